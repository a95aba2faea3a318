//! `--statistics`: how often each rule fired, like `ruff check --statistics`.

use super::model::FileReport;
use std::collections::BTreeMap;
use std::io::Write;

/// One row per rule, most frequent first, then a total per kind.
pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    let mut rules: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for f in reports.iter().flat_map(|r| &r.findings) {
        *rules
            .entry((f.rule.as_str(), f.kind, f.severity))
            .or_default() += 1;
        *kinds.entry(f.kind).or_default() += 1;
    }
    let mut rows: Vec<_> = rules.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows.iter().map(|r| r.0 .0.len()).max().unwrap_or(0);
    for ((rule, kind, severity), n) in &rows {
        writeln!(out, "{n:>5}  {rule:<width$}  {kind:<13}  {severity}")?;
    }
    if !rows.is_empty() {
        let per_kind: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(out, "by kind: {}", per_kind.join(", "))?;
    }
    Ok(())
}
