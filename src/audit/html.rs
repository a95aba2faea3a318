//! The audit as one self-contained HTML file: inline CSS, inline SVG charts drawn here,
//! no scripts, fonts, images or links to anything outside the file. The markup is also
//! well-formed XML (every element closed, every text escaped), so XML tools can read it.

use super::report::{AgreementBlock, AuditReport, GroupFigures};
use super::table::{num, pct};
use std::fmt::Write;

/// Escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1b1f24; margin: 24px auto; max-width: 1200px; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #d0d7de; padding-bottom: 4px; margin-top: 1.6em; }
nav a { margin-right: 12px; }
table { border-collapse: collapse; margin: 8px 0 16px 0; font-size: 0.9em; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.flag td { background: #fff1e6; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: #c2410c; color: #fff; font-size: 0.8em; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; background: #fff; }
figcaption { font-weight: bold; font-size: 0.95em; margin-bottom: 4px; }
svg text { font-family: inherit; font-size: 11px; fill: #1b1f24; }
.excerpt { border-left: 4px solid #c2410c; background: #fafafa; padding: 6px 10px; margin: 6px 0 14px 0; }
.excerpt blockquote { margin: 4px 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85em; white-space: pre-wrap; }
mark { background: #fde68a; }
.muted { color: #57606a; font-size: 0.9em; }
.method li { margin-bottom: 4px; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { page-break-after: avoid; }
  table, figure, .excerpt { page-break-inside: avoid; }
  tr.flag td { background: #fff1e6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .charts { display: block; }
  figure { margin-bottom: 8px; }
}
"#;

const KIND_COLORS: [(&str, &str); 5] = [
    ("decision", "#c2410c"),
    ("citation", "#2563eb"),
    ("contradiction", "#7c3aed"),
    ("grounding", "#0f766e"),
    ("format", "#6b7280"),
];

fn kind_color(kind: &str) -> &'static str {
    KIND_COLORS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, c)| *c)
        .unwrap_or("#6b7280")
}

/// A horizontal bar chart; `avg` draws a dashed reference line.
fn hbar(
    rows: &[(String, f64, &str)],
    fmt: &dyn Fn(f64) -> String,
    avg: Option<(f64, &str)>,
) -> String {
    let (label_w, bar_w, row_h, top) = (250.0, 280.0, 22.0, 8.0);
    let width = label_w + bar_w + 70.0;
    let height =
        top * 2.0 + row_h * rows.len().max(1) as f64 + if avg.is_some() { 16.0 } else { 0.0 };
    let max = rows
        .iter()
        .map(|r| r.1)
        .chain(avg.map(|a| a.0))
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let mut s = format!(
        r#"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">"#
    );
    if rows.is_empty() {
        let _ = write!(s, r#"<text x="10" y="20">nothing to show</text>"#);
    }
    for (i, (label, v, color)) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let w = (v / max * bar_w).max(if *v > 0.0 { 1.0 } else { 0.0 });
        let short: String = if label.chars().count() > 38 {
            format!("{}...", label.chars().take(36).collect::<String>())
        } else {
            label.clone()
        };
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end"><title>{full}</title>{short}</text><rect x="{label_w}" y="{ry}" width="{w:.1}" height="{bh}" fill="{color}"/><text x="{vx:.1}" y="{ty}">{val}</text>"#,
            lx = label_w - 6.0,
            ty = y + 15.0,
            full = esc(label),
            short = esc(&short),
            ry = y + 3.0,
            bh = row_h - 6.0,
            vx = label_w + w + 4.0,
            val = esc(&fmt(*v)),
        );
    }
    if let Some((a, label)) = avg {
        let x = label_w + a / max * bar_w;
        let y2 = top + row_h * rows.len() as f64;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{y2}" stroke="#111" stroke-dasharray="4 3"/><text x="{x:.1}" y="{ty}" text-anchor="middle">{l}</text>"##,
            ty = y2 + 13.0,
            l = esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// Upheld rate per group as vertical bars with Wilson 95% error bars.
fn rate_bars(groups: &[GroupFigures]) -> String {
    let (left, top, plot_h, col_w) = (40.0, 12.0, 200.0, 90.0);
    let width = left + col_w * groups.len().max(1) as f64 + 20.0;
    let height = top + plot_h + 50.0;
    let mut s = format!(
        r#"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">"#
    );
    let y = |v: f64| top + plot_h * (1.0 - v);
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{x2}" y2="{yy:.1}" stroke="#e5e7eb"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{p}%</text>"##,
            yy = y(t),
            x2 = width - 10.0,
            tx = left - 4.0,
            ty = y(t) + 4.0,
            p = (t * 100.0) as u32
        );
    }
    for (i, g) in groups.iter().enumerate() {
        let x = left + i as f64 * col_w + 15.0;
        let bw = col_w - 30.0;
        if let Some(r) = g.upheld_rate {
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{ry:.1}" width="{bw:.1}" height="{h:.1}" fill="#2563eb"><title>{t}</title></rect>"##,
                ry = y(r),
                h = plot_h * r,
                t = esc(&format!(
                    "{}: {} upheld of {} decided",
                    g.key,
                    g.upheld,
                    g.upheld + g.overturned
                )),
            );
            if let Some((lo, hi)) = g.upheld_ci {
                let cx = x + bw / 2.0;
                let _ = write!(
                    s,
                    r##"<line x1="{cx:.1}" y1="{a:.1}" x2="{cx:.1}" y2="{b:.1}" stroke="#111" stroke-width="1.5"/><line x1="{l:.1}" y1="{a:.1}" x2="{r2:.1}" y2="{a:.1}" stroke="#111" stroke-width="1.5"/><line x1="{l:.1}" y1="{b:.1}" x2="{r2:.1}" y2="{b:.1}" stroke="#111" stroke-width="1.5"/>"##,
                    a = y(hi),
                    b = y(lo),
                    l = cx - 8.0,
                    r2 = cx + 8.0,
                );
            }
            let _ = write!(
                s,
                r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{p}</text>"#,
                tx = x + bw / 2.0,
                ty = top + plot_h + 28.0,
                p = esc(&pct(Some(r)))
            );
        }
        let _ = write!(
            s,
            r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{k}</text>"#,
            tx = x + bw / 2.0,
            ty = top + plot_h + 14.0,
            k = esc(&g.key)
        );
    }
    s.push_str("</svg>");
    s
}

/// Upheld and overturned items per month as stacked bars, findings as a line.
fn monthly(months: &[GroupFigures]) -> String {
    let (left, top, plot_h, col_w) = (40.0, 12.0, 200.0, 64.0);
    let width = left + col_w * months.len().max(1) as f64 + 30.0;
    let height = top + plot_h + 56.0;
    let max = months
        .iter()
        .map(|m| m.items.max(m.findings_total))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let y = |v: f64| top + plot_h * (1.0 - v / max);
    let mut s = format!(
        r#"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">"#
    );
    let step = (max / 4.0).ceil().max(1.0);
    let mut t = 0.0;
    while t <= max + 1e-9 {
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{x2}" y2="{yy:.1}" stroke="#e5e7eb"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{t}</text>"##,
            yy = y(t),
            x2 = width - 10.0,
            tx = left - 4.0,
            ty = y(t) + 4.0,
        );
        t += step;
    }
    let mut points = Vec::new();
    for (i, m) in months.iter().enumerate() {
        let x = left + i as f64 * col_w + 12.0;
        let bw = col_w - 24.0;
        let hu = plot_h * m.upheld as f64 / max;
        let ho = plot_h * m.overturned as f64 / max;
        let base = top + plot_h;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{yu:.1}" width="{bw:.1}" height="{hu:.1}" fill="#2563eb"><title>{tu}</title></rect><rect x="{x:.1}" y="{yo:.1}" width="{bw:.1}" height="{ho:.1}" fill="#f59e0b"><title>{to}</title></rect><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{k}</text>"##,
            yu = base - hu,
            yo = base - hu - ho,
            tu = esc(&format!("{}: {} upheld", m.key, m.upheld)),
            to = esc(&format!("{}: {} overturned", m.key, m.overturned)),
            cx = x + bw / 2.0,
            ty = base + 14.0,
            k = esc(&m.key),
        );
        points.push(format!(
            "{:.1},{:.1}",
            x + bw / 2.0,
            y(m.findings_total as f64)
        ));
    }
    if !points.is_empty() {
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#c2410c" stroke-width="2"/>"##,
            points.join(" ")
        );
        for p in &points {
            let (cx, cy) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(s, r##"<circle cx="{cx}" cy="{cy}" r="3" fill="#c2410c"/>"##);
        }
    }
    let ly = top + plot_h + 36.0;
    let _ = write!(
        s,
        r##"<rect x="{left}" y="{r1}" width="10" height="10" fill="#2563eb"/><text x="{t1}" y="{ly}">upheld</text><rect x="{x2}" y="{r1}" width="10" height="10" fill="#f59e0b"/><text x="{t2}" y="{ly}">overturned</text><line x1="{x3}" y1="{lm}" x2="{x3e}" y2="{lm}" stroke="#c2410c" stroke-width="2"/><text x="{t3}" y="{ly}">findings</text>"##,
        r1 = ly - 9.0,
        t1 = left + 14.0,
        x2 = left + 70.0,
        t2 = left + 84.0,
        x3 = left + 160.0,
        x3e = left + 176.0,
        lm = ly - 4.0,
        t3 = left + 180.0,
    );
    s.push_str("</svg>");
    s
}

fn td(s: &str) -> String {
    format!("<td>{}</td>", esc(s))
}
fn tdn(s: &str) -> String {
    format!(r#"<td class="n">{}</td>"#, esc(s))
}
fn ths(h: &[&str]) -> String {
    let mut s = String::from("<tr>");
    for x in h {
        let _ = write!(s, "<th>{}</th>", esc(x));
    }
    s.push_str("</tr>");
    s
}

fn group_table(first: &str, gs: &[GroupFigures]) -> String {
    let mut s = String::from("<table>");
    s += &ths(&[
        first,
        "items",
        "upheld",
        "overturned",
        "upheld %",
        "Wilson 95%",
        "decision",
        "citation",
        "contradiction",
        "grounding",
        "format",
    ]);
    for g in gs {
        s += "<tr>";
        s += &td(&g.key);
        s += &tdn(&g.items.to_string());
        s += &tdn(&g.upheld.to_string());
        s += &tdn(&g.overturned.to_string());
        s += &tdn(&pct(g.upheld_rate));
        s += &tdn(&g
            .upheld_ci
            .map(|(a, b)| format!("{:.1}-{:.1}%", a * 100.0, b * 100.0))
            .unwrap_or_else(|| "-".into()));
        for k in [
            g.findings.decision,
            g.findings.citation,
            g.findings.contradiction,
            g.findings.grounding,
            g.findings.format,
        ] {
            s += &tdn(&k.to_string());
        }
        s += "</tr>";
    }
    s += "</table>";
    s
}

fn agreement_row(a: &AgreementBlock, key: &str) -> String {
    let t = &a.table;
    format!(
        "<tr>{}{}{}{}{}{}{}{}{}{}</tr>",
        td(key),
        tdn(&a.agreement.items.to_string()),
        tdn(&t.implied_upheld_actual_upheld.to_string()),
        tdn(&t.implied_upheld_actual_overturned.to_string()),
        tdn(&t.implied_overturned_actual_upheld.to_string()),
        tdn(&t.implied_overturned_actual_overturned.to_string()),
        tdn(&pct(a.agreement.observed)),
        tdn(&num(a.agreement.kappa, 3)),
        tdn(&a.no_implication.to_string()),
        tdn(&a.conflicting.to_string()),
    )
}

/// The whole report.
pub fn render(r: &AuditReport) -> String {
    let b = &r.batch;
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>imrlint audit</title>\n<style>");
    h += CSS;
    h += "</style>\n</head>\n<body>\n";
    let _ = writeln!(
        h,
        "<h1>IMR reviewer consistency audit</h1>\n<p class=\"muted\">{} - {} files ({} letters, {} unreadable; {} skipped), {} items: {} upheld, {} overturned, {} undecided; {} findings.</p>",
        esc(&r.tool),
        b.files, b.letters, b.unreadable, b.skipped,
        b.counts.items, b.counts.upheld, b.counts.overturned, b.counts.undecided,
        b.counts.findings_total
    );
    h += "<nav><a href=\"#charts\">Charts</a><a href=\"#rules\">Rules</a><a href=\"#classes\">Request classes</a><a href=\"#profiles\">Reviewer profiles</a><a href=\"#agreement\">Agreement</a><a href=\"#similar\">Similar cases</a><a href=\"#months\">By month</a><a href=\"#flagged\">Flagged items</a><a href=\"#method\">Method</a></nav>\n";

    // Charts.
    h += "<h2 id=\"charts\">Charts</h2>\n<div class=\"charts\">\n";
    let mut by_rule: Vec<(String, f64, &str)> = r
        .rules
        .iter()
        .filter(|x| x.inconsistent > 0)
        .map(|x| (x.id.clone(), x.inconsistent as f64, kind_color(x.kind)))
        .collect();
    by_rule.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let _ = writeln!(
        h,
        "<figure><figcaption>Findings by rule (items where the rule fired; colour = kind)</figcaption>{}</figure>",
        hbar(&by_rule, &|v| format!("{v:.0}"), None)
    );
    let by_spec: Vec<(String, f64, &str)> = r
        .specialties
        .iter()
        .map(|g| {
            (
                g.key.clone(),
                g.findings_per_100_total.unwrap_or(0.0),
                "#c2410c",
            )
        })
        .collect();
    let _ = writeln!(
        h,
        "<figure><figcaption>Findings per 100 items by reviewer specialty (dashed: batch)</figcaption>{}</figure>",
        hbar(
            &by_spec,
            &|v| format!("{v:.1}"),
            b.counts.findings_per_100_total.map(|a| (a, "batch"))
        )
    );
    let _ = writeln!(
        h,
        "<figure><figcaption>Upheld rate per request class, Wilson 95% intervals</figcaption>{}</figure>",
        rate_bars(&r.classes)
    );
    let _ = writeln!(
        h,
        "<figure><figcaption>Decisions and findings per month (decision date)</figcaption>{}</figure>",
        monthly(&r.months)
    );
    h += "</div>\n";

    // Rules.
    h += "<h2 id=\"rules\">Rules</h2>\n<table>";
    h += &ths(&[
        "rule",
        "kind",
        "expect",
        "applied",
        "when held",
        "consistent",
        "inconsistent",
    ]);
    for x in &r.rules {
        let _ = write!(
            h,
            "<tr>{}{}{}{}{}{}{}</tr>",
            td(&x.id),
            td(x.kind),
            td(x.expect.unwrap_or("-")),
            tdn(&x.applied.to_string()),
            tdn(&x.held.to_string()),
            tdn(&x.consistent.to_string()),
            tdn(&x.inconsistent.to_string())
        );
    }
    h += "</table>\n<table>";
    h += &ths(&["kind", "rules", "applied", "consistent", "inconsistent"]);
    for (k, x) in &r.rules_by_kind {
        let _ = write!(
            h,
            "<tr>{}{}{}{}{}</tr>",
            td(k),
            tdn(&x.rules.to_string()),
            tdn(&x.applied.to_string()),
            tdn(&x.consistent.to_string()),
            tdn(&x.inconsistent.to_string())
        );
    }
    h += "</table>\n";

    h += "<h2 id=\"classes\">Request classes</h2>\n";
    h += &group_table("class", &r.classes);

    // Profiles.
    h += "<h2 id=\"profiles\">Reviewer profiles</h2>\n<table>";
    h += &ths(&[
        "profile",
        "items",
        "upheld %",
        "batch",
        "z",
        "any finding %",
        "batch",
        "z",
        "decision /100",
        "citation /100",
        "contradiction /100",
        "grounding /100",
        "batch /100",
        "",
    ]);
    for p in &r.profiles {
        let g = &p.group;
        let per = |k: &str| num(g.findings_per_100.get(k).copied(), 1);
        let batch_per = format!(
            "{} / {} / {} / {}",
            num(p.batch_findings_per_100.get("decision").copied(), 1),
            num(p.batch_findings_per_100.get("citation").copied(), 1),
            num(p.batch_findings_per_100.get("contradiction").copied(), 1),
            num(p.batch_findings_per_100.get("grounding").copied(), 1),
        );
        let _ = write!(
            h,
            "<tr{}>{}{}{}{}{}{}{}{}{}{}{}{}{}<td>{}</td></tr>",
            if p.flagged { " class=\"flag\"" } else { "" },
            td(&g.key),
            tdn(&g.items.to_string()),
            tdn(&pct(g.upheld_rate)),
            tdn(&pct(p.batch_upheld_rate)),
            tdn(&num(p.upheld_z, 2)),
            tdn(&pct(g.any_finding_rate)),
            tdn(&pct(p.batch_any_finding_rate)),
            tdn(&num(p.any_finding_z, 2)),
            tdn(&per("decision")),
            tdn(&per("citation")),
            tdn(&per("contradiction")),
            tdn(&per("grounding")),
            tdn(&batch_per),
            if p.flagged {
                "<span class=\"badge\">departs</span>"
            } else {
                ""
            }
        );
    }
    h += "</table>\n";
    let _ = writeln!(
        h,
        "<p class=\"muted\">Test: {}.</p>",
        esc(r.method.profile_test)
    );
    h += "<h3>Specialties</h3>\n";
    h += &group_table("specialty", &r.specialties);

    // Agreement.
    h += "<h2 id=\"agreement\">Agreement with the guideline logic</h2>\n<table>";
    h += &ths(&[
        "class",
        "items",
        "implied U, actual U",
        "implied U, actual O",
        "implied O, actual U",
        "implied O, actual O",
        "observed",
        "Cohen's kappa",
        "no rule implies",
        "conflicting",
    ]);
    h += &agreement_row(&r.agreement.overall, "all classes");
    for a in &r.agreement.by_class {
        h += &agreement_row(a, &a.key);
    }
    h += "</table>\n";
    let _ = writeln!(h, "<p class=\"muted\">{}.</p>", esc(r.method.agreement));

    // Similar cases.
    let _ = writeln!(
        h,
        "<h2 id=\"similar\">Similar cases decided differently</h2>\n<p class=\"muted\">{} of {} groups of (request class, facts the rules read) hold both outcomes.</p>",
        r.similar.mixed_groups, r.similar.groups
    );
    for g in &r.similar.mixed {
        let facts = if g.facts.is_empty() {
            "(no rule fact holds)".to_string()
        } else {
            g.facts.join(", ")
        };
        let _ = write!(
            h,
            "<h3>{} - {} upheld, {} overturned</h3>\n<p class=\"muted\">facts: {}</p>\n<table>{}",
            esc(&g.class),
            g.upheld,
            g.overturned,
            esc(&facts),
            ths(&["decision", "letter", "item", "request"])
        );
        for (label, list, n) in [
            ("upheld", &g.upheld_items, g.upheld),
            ("overturned", &g.overturned_items, g.overturned),
        ] {
            for i in list {
                let item = match i.excerpt {
                    Some(x) => format!("<a href=\"#x{x}\">{}</a>", i.item),
                    None => i.item.to_string(),
                };
                let _ = write!(
                    h,
                    "<tr>{}{}<td class=\"n\">{item}</td>{}</tr>",
                    td(label),
                    td(&i.path),
                    td(&i.request)
                );
            }
            if n as usize > list.len() {
                let _ = write!(
                    h,
                    "<tr><td>{label}</td><td colspan=\"3\">... and {} more</td></tr>",
                    n as usize - list.len()
                );
            }
        }
        h += "</table>\n";
    }

    // Months.
    h += "<h2 id=\"months\">Decisions by month</h2>\n";
    let mut months = r.months.clone();
    if r.undated.items > 0 {
        let mut u = r.undated.clone();
        u.key = "undated".into();
        months.push(u);
    }
    h += &group_table("month", &months);

    // Flagged items and excerpts.
    let _ = write!(
        h,
        "<h2 id=\"flagged\">Flagged items</h2>\n<p class=\"muted\">{} finding(s) on items with their letter excerpt{}.</p>\n<table>{}",
        r.excerpts.stored,
        if r.excerpts.dropped > 0 {
            format!(
                "; {} more not excerpted (cap {}, raise it with --max-excerpts)",
                r.excerpts.dropped, r.excerpts.cap
            )
        } else {
            String::new()
        },
        ths(&["letter", "item", "request", "rule", "kind", "excerpt"])
    );
    for e in &r.excerpts.list {
        let _ = write!(
            h,
            "<tr>{}{}{}{}{}<td><a href=\"#x{}\">line {}</a></td></tr>",
            td(&e.path),
            tdn(&e.item.map(|i| i.to_string()).unwrap_or_default()),
            td(&e.request),
            td(&e.rule),
            td(e.kind.as_str()),
            e.id,
            e.line
        );
    }
    h += "</table>\n<h2 id=\"excerpts\">Letter excerpts</h2>\n";
    for e in &r.excerpts.list {
        let _ = writeln!(
            h,
            "<div class=\"excerpt\" id=\"x{}\"><strong>{}</strong> - {}:{}:{}, item {} ({})<br/>{}<blockquote>...{}<mark>{}</mark>{}...</blockquote></div>",
            e.id,
            esc(&e.rule),
            esc(&e.path),
            e.line,
            e.column,
            e.item.map(|i| i.to_string()).unwrap_or_default(),
            esc(&e.request),
            esc(&e.message),
            esc(&e.before),
            esc(&e.text),
            esc(&e.after)
        );
    }

    h += "<h2 id=\"method\">Method</h2>\n<ul class=\"method\">";
    for (k, v) in [
        ("Reviewer profiles", r.method.profile_test),
        ("Intervals", r.method.interval),
        ("Agreement", r.method.agreement),
        ("Similar cases", r.method.similar_cases),
    ] {
        let _ = write!(h, "<li><strong>{}</strong>: {}</li>", esc(k), esc(v));
    }
    h += "</ul>\n</body>\n</html>\n";
    h
}
