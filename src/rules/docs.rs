//! Rule documentation: `imrlint rules list`, `imrlint explain RULE` and `imrlint rules docs`.

use super::model::RuleExample;
use super::{Pack, Rule};
use std::fmt::Write as _;
use std::path::Path;

/// The request classes a rule applies to, as written.
fn classes(rule: &Rule) -> String {
    rule.def.applies_to.join(", ")
}

/// One line per rule: id, kind, severity, classes, guideline reference.
pub fn list(pack: &Pack) -> String {
    let mut rows: Vec<[String; 5]> = vec![[
        "RULE".into(),
        "KIND".into(),
        "SEVERITY".into(),
        "APPLIES TO".into(),
        "GUIDELINE".into(),
    ]];
    for r in &pack.rules {
        let g = &r.def.guideline;
        let mut reference = g.display();
        if let Some(colon) = reference.find(": ") {
            reference.truncate(colon);
        }
        rows.push([
            r.def.id.clone(),
            r.def.kind.as_str().into(),
            r.def.severity.as_str().into(),
            classes(r),
            reference,
        ]);
    }
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        for (c, w) in widths.iter().enumerate() {
            let _ = write!(out, "{:<w$}  ", r[c], w = w);
        }
        let _ = writeln!(out, "{}", r[4]);
    }
    out
}

fn example_block(out: &mut String, ex: &RuleExample) {
    if let Some(l) = &ex.letter {
        let _ = writeln!(out, "```text\n{}\n```", l.trim_end());
        return;
    }
    let field = |name: &str, v: &Option<String>| {
        v.as_ref()
            .map(|v| format!("- **{name}:** {v}\n"))
            .unwrap_or_default()
    };
    out.push_str(&field("Case summary", &ex.summary));
    out.push_str(&field("Request", &ex.request));
    if let Some(d) = ex.decision {
        let _ = writeln!(out, "- **Decision:** {}", d.as_str());
    }
    out.push_str(&field("Reviewer guideline", &ex.guideline));
    out.push_str(&field("Rationale", &ex.rationale));
}

/// The Markdown page of a rule: what it checks, why, the guideline, the logic, examples.
pub fn explain(rule: &Rule) -> String {
    let d = &rule.def;
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", d.id, d.kind.as_str());
    let _ = writeln!(out, "{}\n", d.title);
    let _ = writeln!(
        out,
        "- **Severity:** {}\n- **Applies to:** {}\n- **Defined in:** {}\n",
        d.severity.as_str(),
        classes(rule),
        rule.file
    );
    if let Some(docs) = &d.docs {
        let _ = writeln!(out, "## What it does\n\n{}\n", docs.what);
        let _ = writeln!(out, "## Why\n\n{}\n", docs.why);
    }
    let _ = writeln!(out, "## Guideline\n\n{}\n", d.guideline.display());
    let _ = writeln!(out, "## Logic\n");
    let when = serde_yaml::to_string(&d.when).unwrap_or_default();
    let _ = writeln!(out, "```yaml\nwhen:\n{}```", indent(&when));
    match d.expect {
        Some(e) => {
            let _ = writeln!(
                out,
                "\nWhen these conditions hold, the guideline implies the request is **{}**; the rule fires when the letter decided otherwise.\n",
                e.as_str()
            );
        }
        None => {
            let _ = writeln!(out, "\nThe rule fires whenever these conditions hold.\n");
        }
    }
    let _ = writeln!(out, "Message: {}\n", d.message);
    let sections = [
        ("fires", &d.tests.invalid),
        ("does not fire", &d.tests.valid),
    ];
    for (verb, list) in sections {
        for (k, ex) in list.iter().enumerate() {
            let name = ex.name.as_deref().unwrap_or("example");
            let _ = writeln!(out, "## Example: {verb} ({}) — {name}\n", k + 1);
            example_block(&mut out, ex);
            out.push('\n');
        }
    }
    out
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("  {l}\n")).collect()
}

/// Writes one page per rule and an index; returns the number of pages.
pub fn write_docs(pack: &Pack, dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut index = String::from("# imrlint rules\n\n| rule | kind | severity | applies to | title |\n| --- | --- | --- | --- | --- |\n");
    for r in &pack.rules {
        std::fs::write(dir.join(format!("{}.md", r.def.id)), explain(r))?;
        let _ = writeln!(
            index,
            "| [{id}]({id}.md) | {} | {} | {} | {} |",
            r.def.kind.as_str(),
            r.def.severity.as_str(),
            classes(r),
            r.def.title,
            id = r.def.id
        );
    }
    std::fs::write(dir.join("index.md"), index)?;
    Ok(pack.rules.len() + 1)
}

/// The JSON Schema of a rule-pack file, generated from the Rust types.
pub fn schema() -> String {
    let schema = schemars::schema_for!(super::model::PackFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
