//! `--format junit`: JUnit XML as CI dashboards read it (GitLab, Jenkins, Azure).
//!
//! One `testsuite` per letter; one failing `testcase` per finding, named
//! `<rule> @ <line>:<col>` so that names are unique within a file (GitLab keeps only the
//! first of two test cases with the same name); one passing `testcase` for a clean letter.

use super::model::FileReport;
use std::collections::HashMap;
use std::io::Write;

/// Escapes text for an XML attribute or element, and drops the characters XML 1.0
/// cannot carry (control characters other than tab, LF and CR; U+FFFE, U+FFFF).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Like [`escape`], for element text, where line breaks stay as they are.
fn escape_text(s: &str) -> String {
    escape(s).replace("&#10;", "\n").replace("&#9;", "\t")
}

fn classname(path: &str) -> String {
    let p = std::path::Path::new(path);
    match p.extension() {
        Some(ext) => path[..path.len() - ext.len() - 1].replace('\\', "/"),
        None => path.replace('\\', "/"),
    }
}

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    let tests: usize = reports.iter().map(|r| r.findings.len().max(1)).sum();
    let failures: usize = reports.iter().map(|r| r.findings.len()).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="imrlint" tests="{tests}" failures="{failures}" errors="0" time="0">"#
    )?;
    for r in reports {
        let path = escape(&r.path);
        let class = escape(&classname(&r.path));
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="0" skipped="0" time="0">"#,
            r.findings.len().max(1),
            r.findings.len()
        )?;
        if r.findings.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="no findings" classname="{class}" file="{path}" time="0"/>"#
            )?;
        }
        let mut names: HashMap<String, usize> = HashMap::new();
        for f in &r.findings {
            let mut name = format!("{} @ {}:{}", f.rule, f.line, f.column);
            let n = names.entry(name.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                name = format!("{name} #{n}");
            }
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{class}" file="{path}" line="{}" time="0">"#,
                escape(&name),
                f.line
            )?;
            writeln!(out, "      <properties>")?;
            for (k, v) in [
                ("severity", f.severity.to_string()),
                ("kind", f.kind.to_string()),
                ("rule", f.rule.clone()),
                ("item", f.item.map(|n| n.to_string()).unwrap_or_default()),
            ] {
                writeln!(
                    out,
                    r#"        <property name="{k}" value="{}"/>"#,
                    escape(&v)
                )?;
            }
            writeln!(out, "      </properties>")?;
            let item = f.item.map(|n| format!("item {n}: ")).unwrap_or_default();
            let mut body = format!(
                "{}:{}:{}: {}[{}] {item}{}",
                r.path, f.line, f.column, f.severity, f.rule, f.message
            );
            if let Some(h) = &f.help {
                body.push_str(&format!("\nhelp: {h}"));
            }
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                escape(&format!("{item}{}", f.message)),
                escape(&f.rule),
                escape_text(&body)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_invalid_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(classname("dir/x.txt"), "dir/x");
    }
}
