//! `--format csv`: one row per finding, RFC 4180 (CRLF line ends, fields with a comma,
//! quote or line break quoted, quotes doubled).

use super::model::FileReport;
use std::io::Write;

pub const HEADER: [&str; 8] = [
    "path", "line", "column", "severity", "kind", "rule", "item", "message",
];

/// Quotes a field when RFC 4180 needs it. A field that a spreadsheet would read as a
/// formula (`=`, `+`, `-`, `@` first) is prefixed with `'`, as OWASP advises.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn row(out: &mut dyn Write, fields: &[&str]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    write!(out, "{}\r\n", line.join(","))
}

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    row(out, &HEADER)?;
    for r in reports {
        for f in &r.findings {
            let (line, col) = (f.line.to_string(), f.column.to_string());
            let item = f.item.map(|n| n.to_string()).unwrap_or_default();
            row(
                out,
                &[
                    &r.path, &line, &col, f.severity, f.kind, &f.rule, &item, &f.message,
                ],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
    }
}
