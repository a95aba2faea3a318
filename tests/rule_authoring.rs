//! Rule authoring: broken rule files give precise, located errors; the schema, docs and
//! `explain` stay in step with the rules.

mod common;

use common::{imrlint, root};
use imrlint::rules::{self, Pack};
use std::path::Path;

/// Every case in `tests/broken-rules/` holds one mistake; its diagnostics (code, place,
/// message, help) are snapshotted so a change in wording or location is reviewed.
#[test]
fn broken_rule_files_give_located_errors() {
    let dir = root().join("tests/broken-rules");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "only {} broken-rule cases", cases.len());
    let mut table = String::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let pack = rules::read_pack_dir(case).unwrap();
        let errors = match rules::load(&[rules::default_pack(), pack]) {
            Ok(_) => panic!("{name}: the broken rule file loaded without error"),
            Err(e) => e,
        };
        for e in &errors {
            let file = Path::new(&e.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            let place = match e.line_col() {
                Some((l, c)) => format!("{file}:{l}:{c}"),
                None => format!("{file}:-"),
            };
            let help = e
                .help
                .as_deref()
                .unwrap_or("-")
                .replace(&root().display().to_string(), "<root>");
            table.push_str(&format!(
                "{name}\n  {} at {place}\n  {}\n  label: {}\n  help: {}\n",
                e.code, e.message, e.label, help
            ));
            // Located errors point inside the file.
            if let Some(s) = e.span {
                assert!(s.end <= e.source_text.len(), "{name}: span past the end");
            }
        }
        let located = errors
            .iter()
            .all(|e| e.span.is_some() || e.code == "rules/empty-file");
        assert!(located, "{name}: an error has no location");
    }
    insta::assert_snapshot!(table);
}

#[test]
fn check_refuses_to_lint_with_a_broken_pack() {
    let out = imrlint()
        .args(["check", "--rules"])
        .arg(root().join("tests/broken-rules/07-unknown-concept.yaml"))
        .arg(root().join("fixtures/layout-a"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown concept `red-flg`"), "{err}");
    assert!(err.contains("did you mean `red-flag`?"), "{err}");
}

#[test]
fn shipped_schema_matches_the_rust_types() {
    let shipped = std::fs::read_to_string(root().join("schema/imrlint-rules.schema.json")).unwrap();
    assert_eq!(
        shipped,
        rules::docs::schema(),
        "schema/imrlint-rules.schema.json is stale: run `cargo run -- rules schema --output schema/imrlint-rules.schema.json`"
    );
}

#[test]
fn every_rule_file_points_editors_at_the_schema() {
    for e in walkdir::WalkDir::new(root().join("rules")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "yaml") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let first = text.lines().next().unwrap_or("");
            assert!(
                first.starts_with("# yaml-language-server: $schema=")
                    && first.ends_with("schema/imrlint-rules.schema.json"),
                "{} does not start with the schema comment",
                e.path().display()
            );
            let rel = first.split("$schema=").nth(1).unwrap();
            assert!(
                e.path().parent().unwrap().join(rel).exists(),
                "{}: schema path {rel} does not resolve",
                e.path().display()
            );
        }
    }
}

#[test]
fn explain_and_docs_cover_every_rule() {
    let pack = Pack::default_rules().unwrap();
    for r in &pack.rules {
        let out = imrlint().args(["explain", &r.def.id]).output().unwrap();
        assert!(out.status.success(), "explain {} failed", r.def.id);
        let text = String::from_utf8_lossy(&out.stdout);
        for part in [
            "## What it does",
            "## Why",
            "## Guideline",
            "## Logic",
            "## Example: fires",
            "## Example: does not fire",
        ] {
            assert!(text.contains(part), "explain {} lacks {part}", r.def.id);
        }
    }
    imrlint()
        .args(["explain", "lumbar-xray-without-red-flag"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "did you mean `lumbar-xray-without-red-flags`?",
        ));
    let tmp = tempfile::tempdir().unwrap();
    imrlint()
        .args(["rules", "docs"])
        .arg(tmp.path())
        .assert()
        .success();
    let index = std::fs::read_to_string(tmp.path().join("index.md")).unwrap();
    for r in &pack.rules {
        assert!(tmp.path().join(format!("{}.md", r.def.id)).exists());
        assert!(index.contains(&format!("[{}]", r.def.id)));
    }
}

#[test]
fn rules_list_names_every_rule() {
    let pack = Pack::default_rules().unwrap();
    let out = imrlint().args(["rules", "list"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for r in &pack.rules {
        assert!(
            text.lines().any(|l| l.starts_with(&r.def.id)),
            "{} not listed",
            r.def.id
        );
    }
}
