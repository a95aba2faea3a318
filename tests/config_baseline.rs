//! The configuration file and baselines, as a CI job meets them.

mod common;

use common::{imrlint, root};
use serde_json::Value;
use std::path::Path;

fn copy_letter(name: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(root().join("fixtures/layout-a").join(name), to).unwrap();
}

const XRAY: &str = "001-xray-overturned-order-selector.txt";
const GROUNDING: &str = "014-mri-upheld-cites-previous-mri-not-in-record.txt";
const CLEAN: &str = "019-clean-three-upheld-negated-flags.txt";

/// Runs `check --format json` in `dir`; the exit code and the document.
fn check_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = imrlint()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), doc, stderr)
}

fn findings(doc: &Value) -> Vec<(String, String, String, u64)> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            f["findings"].as_array().unwrap().iter().map(move |x| {
                (
                    path.clone(),
                    x["rule"].as_str().unwrap().to_string(),
                    x["severity"].as_str().unwrap().to_string(),
                    x["line"].as_u64().unwrap(),
                )
            })
        })
        .collect()
}

#[test]
fn config_is_found_from_a_subdirectory_and_levels_take_effect() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_letter(XRAY, &d.join("letters/a/xray.txt"));
    copy_letter(GROUNDING, &d.join("letters/a/grounding.txt"));
    copy_letter(XRAY, &d.join("letters/drafts/draft.txt"));
    std::fs::write(
        d.join("imrlint.yaml"),
        "# project settings\n\
         exclude: ['letters/drafts/**']\n\
         rules-config:\n  \
           lumbar-xray-without-red-flags: off\n  \
           grounding-prior-imaging: error\n",
    )
    .unwrap();
    // From letters/a, two levels below the configuration file.
    let (code, doc, _) = check_json(&d.join("letters/a"), &["."]);
    let f = findings(&doc);
    assert!(
        f.iter().all(|x| x.1 != "lumbar-xray-without-red-flags"),
        "the rule is off: {f:?}"
    );
    let g: Vec<_> = f
        .iter()
        .filter(|x| x.1 == "grounding-prior-imaging")
        .collect();
    assert!(!g.is_empty());
    assert!(g.iter().all(|x| x.2 == "error"), "re-levelled: {g:?}");
    assert_eq!(code, 1, "a re-levelled error fails the run");
    // The exclude glob is relative to the configuration file: from the top, the draft
    // is skipped.
    let (_, doc, _) = check_json(d, &["letters"]);
    assert_eq!(doc["summary"]["files"], 2);
    assert!(findings(&doc).iter().all(|x| !x.0.contains("draft")));
    // --no-config ignores it.
    let (_, doc, _) = check_json(&d.join("letters/a"), &["--no-config", "."]);
    assert!(findings(&doc)
        .iter()
        .any(|x| x.1 == "lumbar-xray-without-red-flags"));
}

#[test]
fn deny_warnings_in_the_config_fails_on_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_letter(GROUNDING, &d.join("g.txt"));
    let (code, _, _) = check_json(d, &["g.txt"]);
    assert_eq!(code, 0, "warnings only");
    std::fs::write(d.join("imrlint.yaml"), "deny-warnings: true\n").unwrap();
    let (code, _, _) = check_json(d, &["g.txt"]);
    assert_eq!(code, 1);
}

#[test]
fn unknown_config_key_is_an_error_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_letter(XRAY, &d.join("x.txt"));
    std::fs::write(
        d.join("imrlint.yaml"),
        "default-rules: true\nexclude: []\ndeny-warning: true\n",
    )
    .unwrap();
    let (code, doc, err) = check_json(d, &["x.txt"]);
    assert_eq!(code, 2);
    assert!(doc.is_null(), "nothing is linted");
    assert!(err.contains("imrlint.yaml:3:1"), "{err}");
    assert!(err.contains("unknown field `deny-warning`"), "{err}");
    assert!(err.contains("did you mean `deny-warnings`?"), "{err}");
}

#[test]
fn unknown_rule_id_in_the_config_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_letter(XRAY, &d.join("x.txt"));
    let cfg = d.join("ci.yaml");
    std::fs::write(&cfg, "rules-config:\n  lumbar-xray-without-red-flag: off\n").unwrap();
    let out = imrlint()
        .current_dir(d)
        .args(["check", "--config"])
        .arg(&cfg)
        .arg("x.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ci.yaml:2:3"), "{err}");
    assert!(
        err.contains("did you mean `lumbar-xray-without-red-flags`?"),
        "{err}"
    );
}

#[test]
fn config_rule_packs_are_relative_to_the_config_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_letter(XRAY, &d.join("letters/x.txt"));
    std::fs::create_dir_all(d.join("packs/empty")).unwrap();
    std::fs::write(
        d.join("packs/empty/no-rules.yaml"),
        "version: 1\nconcepts:\n  - id: extra-concept\n    phrases: [zebra]\n",
    )
    .unwrap();
    std::fs::write(d.join("imrlint.yaml"), "rules: [packs/empty]\n").unwrap();
    let (code, doc, err) = check_json(&d.join("letters"), &["x.txt"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(doc["summary"]["letters"], 1);
}

/// Moves line breaks in long prose lines: each is split at the space nearest its middle.
fn reflow(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        let end = &line[body.len()..];
        if body.len() > 60 && !body.starts_with(char::is_numeric) {
            let mid = body.len() / 2;
            let cut = body[..mid]
                .rfind(' ')
                .or_else(|| body[mid..].find(' ').map(|i| i + mid));
            if let Some(c) = cut {
                out.push_str(&body[..c]);
                out.push('\n');
                out.push_str(&body[c + 1..]);
                out.push_str(end);
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

#[test]
fn baseline_reports_only_new_findings_and_survives_reflowing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_letter(XRAY, &d.join("letters/xray.txt"));
    copy_letter(GROUNDING, &d.join("letters/grounding.txt"));
    copy_letter(CLEAN, &d.join("letters/clean.txt"));
    let (code, before, _) = check_json(d, &["--no-config", "letters"]);
    assert_eq!(code, 1);
    let before = findings(&before);
    assert!(before.len() >= 2, "{before:?}");

    // Writing the baseline accepts every current finding.
    let (code, doc, err) = check_json(
        d,
        &[
            "--no-config",
            "--write-baseline",
            "imrlint-baseline.json",
            "letters",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(findings(&doc).is_empty());
    assert_eq!(doc["summary"]["baselined"], before.len());
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("imrlint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["findings"].as_array().unwrap().len(), before.len());
    assert!(baseline["findings"][0]["path"]
        .as_str()
        .unwrap()
        .starts_with("letters/"));

    // An edit adds an inconsistency: an x-ray without red flags is now overturned.
    let clean = d.join("letters/clean.txt");
    let text = std::fs::read_to_string(&clean).unwrap();
    let edited = text.replacen(
        "1 X-ray of the lumbar spine: Upheld",
        "1 X-ray of the lumbar spine: Overturned",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&clean, edited).unwrap();
    let (code, doc, _) = check_json(
        d,
        &[
            "--no-config",
            "--baseline",
            "imrlint-baseline.json",
            "letters",
        ],
    );
    // Flipping the decision makes two new findings on that item: the decision now departs
    // from the guideline, and it contradicts the rationale's own conclusion.
    let now = findings(&doc);
    let mut rules: Vec<&str> = now.iter().map(|f| f.1.as_str()).collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "contradiction-overturned-but-not-necessary",
            "lumbar-xray-without-red-flags"
        ],
        "only the new findings: {now:?}"
    );
    assert!(now.iter().all(|f| f.0 == "letters/clean.txt"));
    assert_eq!(doc["summary"]["baselined"], before.len());
    assert_eq!(code, 1);

    // Reflowing the other letters moves their findings to other lines, but they stay
    // baselined.
    for name in ["xray.txt", "grounding.txt"] {
        let p = d.join("letters").join(name);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, reflow(&t)).unwrap();
    }
    let (_, raw, _) = check_json(d, &["--no-config", "letters"]);
    let moved = findings(&raw);
    assert_eq!(moved.len(), before.len() + 2, "{moved:?}");
    assert!(
        moved
            .iter()
            .filter(|m| !m.0.ends_with("clean.txt"))
            .zip(&before)
            .all(|(m, b)| m.1 == b.1 && m.3 != b.3),
        "every old finding moved to another line: {before:?} {moved:?}"
    );
    let (_, doc, _) = check_json(
        d,
        &[
            "--no-config",
            "--baseline",
            "imrlint-baseline.json",
            "letters",
        ],
    );
    let now = findings(&doc);
    assert!(
        now.len() == 2 && now.iter().all(|f| f.0 == "letters/clean.txt"),
        "reflowing resurfaces nothing: {now:?}"
    );
    assert_eq!(doc["summary"]["baselined"], before.len());

    // The same fingerprints are SARIF's partial fingerprints.
    let out = imrlint()
        .current_dir(d)
        .args(["check", "--no-config", "--format", "sarif", "--baseline"])
        .arg("imrlint-baseline.json")
        .arg("letters")
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fp = sarif["runs"][0]["results"][0]["partialFingerprints"]["imrlintFingerprint/v1"]
        .as_str()
        .unwrap();
    assert_eq!(fp.len(), 32);
    assert_eq!(doc["files"][0]["findings"][0]["fingerprint"], fp);
}

#[test]
fn a_missing_baseline_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    copy_letter(XRAY, &tmp.path().join("x.txt"));
    let (code, _, err) = check_json(
        tmp.path(),
        &["--no-config", "--baseline", "nope.json", "x.txt"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("nope.json"), "{err}");
}
