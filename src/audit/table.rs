//! The audit as aligned terminal tables.

use super::report::{AuditReport, GroupFigures};
use std::fmt::Write;

/// Renders rows under headers; columns after the first are right-aligned when `numeric`.
pub fn render(title: &str, headers: &[&str], rows: &[Vec<String>], numeric: &[bool]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let w = widths[i];
            let pad = w.saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if numeric.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s.trim_end().to_string()
    };
    let mut out = format!("{title}\n");
    let hs: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    out.push_str(&line(&hs));
    out.push('\n');
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&rule));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out.push('\n');
    out
}

pub fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "-".into())
}

pub fn num(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".into())
}

fn ci(g: &GroupFigures) -> String {
    g.upheld_ci
        .map(|(lo, hi)| format!("{:.1}-{:.1}%", lo * 100.0, hi * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn kinds(g: &GroupFigures) -> Vec<String> {
    let f = &g.findings;
    vec![
        f.decision.to_string(),
        f.citation.to_string(),
        f.contradiction.to_string(),
        f.grounding.to_string(),
        f.format.to_string(),
    ]
}

/// Every table of the audit.
pub fn human(r: &AuditReport) -> String {
    let b = &r.batch;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "imrlint audit: {} files ({} letters, {} unreadable; {} skipped), {} items: {} upheld, {} overturned, {} undecided; {} findings\n",
        b.files,
        b.letters,
        b.unreadable,
        b.skipped,
        b.counts.items,
        b.counts.upheld,
        b.counts.overturned,
        b.counts.undecided,
        b.counts.findings_total
    );
    let rows: Vec<Vec<String>> = r
        .rules
        .iter()
        .map(|x| {
            vec![
                x.id.clone(),
                x.kind.into(),
                x.expect.unwrap_or("-").into(),
                x.applied.to_string(),
                x.held.to_string(),
                x.consistent.to_string(),
                x.inconsistent.to_string(),
            ]
        })
        .collect();
    out += &render(
        "RULES",
        &[
            "rule",
            "kind",
            "expect",
            "applied",
            "when held",
            "consistent",
            "inconsistent",
        ],
        &rows,
        &[false, false, false, true, true, true, true],
    );
    let rows: Vec<Vec<String>> = r
        .rules_by_kind
        .iter()
        .map(|(k, x)| {
            vec![
                k.clone(),
                x.rules.to_string(),
                x.applied.to_string(),
                x.consistent.to_string(),
                x.inconsistent.to_string(),
            ]
        })
        .collect();
    out += &render(
        "RULES BY KIND",
        &["kind", "rules", "applied", "consistent", "inconsistent"],
        &rows,
        &[false, true, true, true, true],
    );
    let group_rows = |gs: &[GroupFigures]| -> Vec<Vec<String>> {
        gs.iter()
            .map(|g| {
                let mut v = vec![
                    g.key.clone(),
                    g.items.to_string(),
                    g.upheld.to_string(),
                    g.overturned.to_string(),
                    pct(g.upheld_rate),
                    ci(g),
                ];
                v.extend(kinds(g));
                v
            })
            .collect()
    };
    let heads = |first: &'static str| {
        [
            first,
            "items",
            "upheld",
            "overturned",
            "upheld %",
            "95% CI",
            "decision",
            "citation",
            "contradiction",
            "grounding",
            "format",
        ]
    };
    let numeric = [
        false, true, true, true, true, true, true, true, true, true, true,
    ];
    out += &render(
        "REQUEST CLASSES",
        &heads("class"),
        &group_rows(&r.classes),
        &numeric,
    );
    let rows: Vec<Vec<String>> = r
        .profiles
        .iter()
        .map(|p| {
            let g = &p.group;
            let per = |k: &str| {
                format!(
                    "{} ({})",
                    num(g.findings_per_100.get(k).copied(), 1),
                    num(p.batch_findings_per_100.get(k).copied(), 1)
                )
            };
            vec![
                g.key.clone(),
                g.items.to_string(),
                format!("{} ({})", pct(g.upheld_rate), pct(p.batch_upheld_rate)),
                num(p.upheld_z, 2),
                format!(
                    "{} ({})",
                    pct(g.any_finding_rate),
                    pct(p.batch_any_finding_rate)
                ),
                num(p.any_finding_z, 2),
                per("decision"),
                per("citation"),
                per("contradiction"),
                per("grounding"),
                if p.flagged {
                    "FLAG".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    out += &render(
        "REVIEWER PROFILES (batch average in brackets; findings per 100 items)",
        &[
            "profile",
            "items",
            "upheld %",
            "z",
            "any finding %",
            "z",
            "decision",
            "citation",
            "contradiction",
            "grounding",
            "flag",
        ],
        &rows,
        &[
            false, true, true, true, true, true, true, true, true, true, false,
        ],
    );
    out += &format!("  test: {}\n\n", r.method.profile_test);
    out += &render(
        "SPECIALTIES",
        &heads("specialty"),
        &group_rows(&r.specialties),
        &numeric,
    );
    let ag = |a: &super::report::AgreementBlock, key: &str| -> Vec<String> {
        let t = &a.table;
        vec![
            key.to_string(),
            a.agreement.items.to_string(),
            t.implied_upheld_actual_upheld.to_string(),
            t.implied_upheld_actual_overturned.to_string(),
            t.implied_overturned_actual_upheld.to_string(),
            t.implied_overturned_actual_overturned.to_string(),
            pct(a.agreement.observed),
            num(a.agreement.kappa, 3),
            a.no_implication.to_string(),
            a.conflicting.to_string(),
        ]
    };
    let mut rows = vec![ag(&r.agreement.overall, "all classes")];
    rows.extend(r.agreement.by_class.iter().map(|a| ag(a, &a.key)));
    out += &render(
        "AGREEMENT WITH THE GUIDELINE LOGIC (implied/actual: U upheld, O overturned)",
        &[
            "class",
            "items",
            "U/U",
            "U/O",
            "O/U",
            "O/O",
            "observed",
            "kappa",
            "no rule",
            "conflicting",
        ],
        &rows,
        &[false, true, true, true, true, true, true, true, true, true],
    );
    let _ = writeln!(
        out,
        "SIMILAR CASES DECIDED DIFFERENTLY ({} of {} groups)",
        r.similar.mixed_groups, r.similar.groups
    );
    for g in &r.similar.mixed {
        let facts = if g.facts.is_empty() {
            "(none)".to_string()
        } else {
            g.facts.join(", ")
        };
        let _ = writeln!(
            out,
            "  {} | facts: {}  -- {} upheld, {} overturned",
            g.class, facts, g.upheld, g.overturned
        );
        for (label, list, n) in [
            ("upheld", &g.upheld_items, g.upheld),
            ("overturned", &g.overturned_items, g.overturned),
        ] {
            for i in list {
                let _ = writeln!(out, "    {label:<10} {} item {}", i.path, i.item);
            }
            if n as usize > list.len() {
                let _ = writeln!(out, "    {label:<10} ... {} more", n as usize - list.len());
            }
        }
    }
    out.push('\n');
    let mut months = r.months.clone();
    if r.undated.items > 0 {
        let mut u = r.undated.clone();
        u.key = "undated".into();
        months.push(u);
    }
    let rows: Vec<Vec<String>> = months
        .iter()
        .map(|g| {
            vec![
                g.key.clone(),
                g.items.to_string(),
                g.upheld.to_string(),
                g.overturned.to_string(),
                pct(g.upheld_rate),
                g.findings_total.to_string(),
            ]
        })
        .collect();
    out += &render(
        "DECISIONS BY MONTH (decision date)",
        &[
            "month",
            "items",
            "upheld",
            "overturned",
            "upheld %",
            "findings",
        ],
        &rows,
        &[false, true, true, true, true, true],
    );
    out
}
