//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning ingests it.
//!
//! Every property GitHub requires is present: `$schema`, `version`, the driver's `name`
//! and `rules` (each with `id`, `shortDescription.text`, `fullDescription.text` and
//! `help.text`), and on each result `message.text`, a physical location with a full
//! region and `partialFingerprints`. Columns count Unicode code points, as imrlint's do,
//! and the run says so in `columnKind`. URIs are relative, with forward slashes.

use super::model::{FileReport, FindingReport};
use super::Run;
use crate::eval::problem_severity;
use crate::rules::model::{Kind, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The driver's `informationUri`: the package's `homepage` (or `repository`) from
/// Cargo.toml; left out while neither is set, rather than pointing somewhere made up.
pub fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
}
/// The key of imrlint's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "imrlintFingerprint/v1";
/// GitHub keeps at most 1024 characters of a rule description.
const MAX_DESCRIPTION: usize = 1024;

/// The findings imrlint raises when a letter cannot be (fully) read.
pub const FORMAT_RULES: &[(&str, &str)] = &[
    ("format/binary", "The file is binary, not a text letter"),
    ("format/empty", "The file is empty"),
    (
        "format/missing-field",
        "A field of an item could not be read",
    ),
    ("format/missing-request", "An item has no request text"),
    (
        "format/missing-section",
        "A section of the letter is missing",
    ),
    ("format/no-items", "The letter has no disputed item"),
    ("format/too-large", "The file is too large to be a letter"),
    (
        "format/unknown-layout",
        "The letter's layout is not one imrlint reads",
    ),
    ("format/unreadable", "The file could not be read"),
];

fn level(s: &str) -> &'static str {
    match s {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

fn severity_level(s: Severity) -> &'static str {
    level(s.as_str())
}

fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_DESCRIPTION {
        return s.to_string();
    }
    let mut t: String = s.chars().take(MAX_DESCRIPTION - 1).collect();
    t.push('…');
    t
}

/// A path as a relative URI reference: forward slashes, and everything but unreserved
/// characters and `/` percent-encoded. Absolute paths outside the working directory
/// become `file://` URIs.
pub fn uri(path: &str) -> String {
    let p = Path::new(path);
    let (prefix, rel) = if p.is_absolute() {
        let cwd = std::env::current_dir().unwrap_or_default();
        match p.strip_prefix(&cwd) {
            Ok(r) => ("", r.to_string_lossy().into_owned()),
            Err(_) => ("file://", path.to_string()),
        }
    } else {
        ("", path.to_string())
    };
    let rel = rel.replace('\\', "/");
    let rel = rel.trim_start_matches("./");
    let mut out = String::from(prefix);
    for b in rel.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The driver's rule list: every rule of the pack, the format findings, and any other
/// rule id a finding carries; sorted by id.
fn rules(run: &Run) -> Vec<(String, Value)> {
    let mut rules: BTreeMap<String, Value> = BTreeMap::new();
    for r in &run.pack.rules {
        let d = &r.def;
        let guideline = d.guideline.display();
        let (what, why) = d
            .docs
            .as_ref()
            .map(|x| (x.what.clone(), x.why.clone()))
            .unwrap_or_else(|| (d.title.clone(), String::new()));
        let mut text = what.clone();
        if !why.is_empty() {
            text.push_str("\n\n");
            text.push_str(&why);
        }
        text.push_str("\n\nGuideline: ");
        text.push_str(&guideline);
        let mut markdown = format!("**{}**\n\n{what}", d.title);
        if !why.is_empty() {
            markdown.push_str(&format!("\n\n{why}"));
        }
        markdown.push_str(&format!(
            "\n\n**Guideline:** {guideline}\n\nKind: `{}`. Applies to: {}.",
            d.kind.as_str(),
            d.applies_to
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        rules.insert(
            d.id.clone(),
            json!({
                "id": d.id,
                "name": d.id,
                "shortDescription": {"text": clip(&d.title)},
                "fullDescription": {"text": clip(&what)},
                "help": {"text": text, "markdown": markdown},
                "defaultConfiguration": {"level": severity_level(d.severity)},
                "properties": {
                    "tags": ["imrlint", d.kind.as_str(), d.guideline.source.as_str()],
                    "kind": d.kind.as_str(),
                },
            }),
        );
    }
    let help = "imrlint reads letters of the layouts listed in its README; check that the file \
                is a complete IMR determination letter, extracted as text.";
    let format_rule = |id: &str, title: &str| {
        let severity = match run.levels.get(id).and_then(|l| l.severity()) {
            Some(s) => s,
            None => problem_severity(id),
        };
        json!({
            "id": id,
            "name": id,
            "shortDescription": {"text": title},
            "fullDescription": {"text": format!("{title}: imrlint could not fully read the letter, so its checks are incomplete.")},
            "help": {"text": help, "markdown": help},
            "defaultConfiguration": {"level": severity_level(severity)},
            "properties": {"tags": ["imrlint", Kind::Format.as_str()], "kind": Kind::Format.as_str()},
        })
    };
    for (id, title) in FORMAT_RULES {
        if run.levels.get(*id) != Some(&crate::config::Level::Off) {
            rules.insert(id.to_string(), format_rule(id, title));
        }
    }
    for f in run.reports.iter().flat_map(|r| &r.findings) {
        if !rules.contains_key(&f.rule) {
            rules.insert(f.rule.clone(), format_rule(&f.rule, &f.rule));
        }
    }
    rules.into_iter().collect()
}

fn result(r: &FileReport, f: &FindingReport, index: usize) -> Value {
    let item = f.item.map(|n| format!("item {n}: ")).unwrap_or_default();
    let region = json!({
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
        "charOffset": f.offset,
        "charLength": f.length,
    });
    let mut res = json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level(f.severity),
        "kind": "fail",
        "message": {"text": format!("{item}{}", f.message)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&r.path)},
                "region": region,
            },
            "message": {"text": f.label},
        }],
        "partialFingerprints": {
            FINGERPRINT_KEY: f.fingerprint.clone().unwrap_or_default(),
        },
        "properties": {"kind": f.kind, "item": f.item},
    });
    if !f.related.is_empty() {
        res["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&r.path)},
                        "region": {"startLine": l.line, "startColumn": l.column,
                                   "charOffset": l.offset, "charLength": l.length},
                    },
                    "message": {"text": l.message},
                })
            })
            .collect();
    }
    res
}

/// The whole SARIF log as a JSON value.
pub fn log(run: &Run) -> Value {
    let rules = rules(run);
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let results: Vec<Value> = run
        .reports
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .map(|f| result(r, f, index[f.rule.as_str()]))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut driver = json!({
        "name": "imrlint",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
    });
    if let Some(u) = information_uri() {
        driver["informationUri"] = json!(u);
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub fn write(out: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(run))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./a b/c.txt"), "a%20b/c.txt");
        assert_eq!(uri("letters\\x.txt"), "letters/x.txt");
    }
}
