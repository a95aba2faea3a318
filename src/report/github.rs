//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! The runner drops an annotation silently when `col`/`endColumn` are given on a
//! multi-line region (actions/runner#4167), so columns are only written for one-line
//! regions. GitHub shows 10 annotations of each level per step, so the most severe come
//! first. Each message starts with `path:line:col:` so the raw log reads on its own.

use super::model::{FileReport, FindingReport};
use std::io::Write;

/// Escapes the message part (`%`, CR, LF), as `@actions/core` does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        _ => "notice",
    }
}

fn rank(severity: &str) -> u8 {
    match severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    let mut all: Vec<(&FileReport, &FindingReport)> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .collect();
    // Stable: within a severity, path then position order is kept.
    all.sort_by_key(|(_, f)| rank(f.severity));
    for (r, f) in all {
        let mut props = format!(
            "file={},line={},endLine={}",
            escape_property(&r.path),
            f.line,
            f.end_line
        );
        if f.line == f.end_line {
            props.push_str(&format!(
                ",col={},endColumn={}",
                f.column,
                f.end_column.max(f.column)
            ));
        }
        props.push_str(&format!(
            ",title={}",
            escape_property(&format!("{} ({})", f.rule, f.kind))
        ));
        let item = f.item.map(|n| format!("item {n}: ")).unwrap_or_default();
        let msg = format!(
            "{}:{}:{}: {}[{}] {item}{}",
            r.path, f.line, f.column, f.severity, f.rule, f.message
        );
        writeln!(
            out,
            "::{} {props}::{}",
            command(f.severity),
            escape_data(&msg)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
