//! The bad-input table: every hostile or broken input gives a clear error naming it, nothing
//! panics, and the rest of the batch is still evaluated.

mod common;

use common::{check_jsonl, imrlint, root};
use serde_json::Value;
use std::path::Path;

const GOOD: &str = "fixtures/layout-a/001-xray-overturned-order-selector.txt";

/// Puts a good letter beside the bad input and checks both are accounted for.
fn batch_with(d: &Path) -> (i32, Vec<Value>) {
    std::fs::copy(root().join(GOOD), d.join("good.txt")).unwrap();
    let (code, lines) = check_jsonl(&[d.to_str().unwrap()], d);
    let good = lines
        .iter()
        .find(|l| l["path"].as_str().is_some_and(|p| p.ends_with("good.txt")))
        .expect("the good letter is reported");
    assert_eq!(good["layout"], "A");
    assert!(
        !good["findings"].as_array().unwrap().is_empty(),
        "the good letter was evaluated"
    );
    (code, lines)
}

fn finding_of<'a>(lines: &'a [Value], name: &str) -> &'a Value {
    let file = lines
        .iter()
        .find(|l| l["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("{name} missing from the report"));
    &file["findings"][0]
}

#[test]
fn invalid_utf8_is_read_lossily_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(root().join(GOOD)).unwrap();
    bytes.splice(10..10, [0xff, 0xfe, 0x80]);
    std::fs::write(tmp.path().join("latin1.txt"), &bytes).unwrap();
    let (_, lines) = batch_with(tmp.path());
    let file = lines
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("latin1.txt"))
        .unwrap();
    assert_eq!(file["layout"], "A", "the letter is still parsed");
    let f = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "format/invalid-utf8")
        .unwrap();
    assert_eq!(f["severity"], "warning");
    assert!(f["message"].as_str().unwrap().contains("offset 10"));
}

#[test]
fn a_200_mb_file_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(tmp.path().join("huge.txt")).unwrap();
    f.set_len(200 << 20).unwrap();
    let (code, lines) = batch_with(tmp.path());
    assert_eq!(code, 1);
    let f = finding_of(&lines, "huge.txt");
    assert_eq!(f["rule"], "format/too-large");
    assert!(f["message"].as_str().unwrap().contains("200 MiB"));
}

#[test]
fn a_letter_of_100000_items_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("HOW THE IMR FINAL DETERMINATION WAS MADE\nCLINICAL CASE SUMMARY\nThe injured worker is a 50-year-old male.\nIMR ISSUES, DECISIONS AND RATIONALES\n");
    for _ in 0..100_000 {
        text.push_str("1 X-ray of the lumbar spine: Upheld\nMAXIMUS guideline: Decision based on MTUS ACOEM Chapter 12\nDecision rationale: Not medically necessary.\n");
    }
    std::fs::write(tmp.path().join("many.txt"), text).unwrap();
    let (_, lines) = batch_with(tmp.path());
    let file = lines
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("many.txt"))
        .unwrap();
    assert_eq!(file["items"].as_array().unwrap().len(), 100_000);
}

#[test]
fn directories_nested_1000_deep_are_walked() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = tmp.path().to_path_buf();
    for _ in 0..1000 {
        p.push("d");
    }
    std::fs::create_dir_all(&p).unwrap();
    std::fs::copy(root().join(GOOD), p.join("deep.txt")).unwrap();
    let (_, lines) = batch_with(tmp.path());
    let deep = lines
        .iter()
        .find(|l| l["path"].as_str().is_some_and(|x| x.ends_with("deep.txt")))
        .unwrap();
    assert_eq!(deep["layout"], "A");
}

#[cfg(unix)]
#[test]
fn symlink_loops_dangling_links_and_fifos_do_not_hang_or_crash() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    symlink(d, d.join("sub/loop")).unwrap();
    symlink(d.join("nowhere.txt"), d.join("dangling.txt")).unwrap();
    let fifo = d.join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let (_, lines) = batch_with(d);
    let f = finding_of(&lines, "dangling.txt");
    assert_eq!(f["rule"], "format/unreadable");
    assert_eq!(f["severity"], "error");
    let s = &lines.last().unwrap()["summary"];
    assert!(
        s["skipped"].as_u64().unwrap() > u64::from(made),
        "the loop link (and the fifo) are skipped: {s}"
    );
    // Named explicitly, the loop is an unreadable path, not a hang.
    imrlint()
        .arg("check")
        .arg(d.join("sub/loop/sub/loop/sub/loop"))
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1);
}

#[test]
fn a_file_deleted_while_the_batch_runs_is_reported_unreadable() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(GOOD), tmp.path().join("a.txt")).unwrap();
    std::fs::copy(root().join(GOOD), tmp.path().join("b.txt")).unwrap();
    let pack = imrlint::rules::Pack::default_rules().unwrap();
    let found = imrlint::input::discover(&[tmp.path().to_path_buf()]);
    assert_eq!(found.files.len(), 2);
    std::fs::remove_file(tmp.path().join("a.txt")).unwrap();
    let results: Vec<_> = found
        .files
        .iter()
        .map(|p| imrlint::check::check_path(p, &pack))
        .collect();
    assert_eq!(results[0].findings[0].rule, "format/unreadable");
    assert!(results[0].errors[0].contains("No such file"));
    assert!(results[1].is_letter());
}

#[test]
fn an_unreadable_path_is_reported() {
    let (code, lines) = check_jsonl(&["no/such/letter.txt"], &root());
    assert_eq!(code, 1);
    assert_eq!(lines[0]["findings"][0]["rule"], "format/unreadable");
    assert_eq!(lines.last().unwrap()["summary"]["unreadable"], 1);
}

fn rule_error(yaml: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("r.yaml"), yaml).unwrap();
    let out = imrlint()
        .args(["rules", "check"])
        .arg(tmp.path())
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn a_regex_that_would_compile_to_a_huge_automaton_is_refused() {
    let err =
        rule_error("version: 1\nconcepts:\n  - id: huge\n    patterns: ['(?:\\w{500}){500}']\n");
    assert!(err.contains("invalid regex in concept `huge`"), "{err}");
    assert!(err.contains("r.yaml:4:"), "{err}");
    assert!(err.contains("larger than the 1024 KiB limit"), "{err}");
}

#[test]
fn a_yaml_bomb_is_refused() {
    let mut y = String::from("version: 1\nrules:\n  - id: bomb\n    title: t\n    kind: decision\n    severity: error\n    applies-to: [lumbar-xray]\n    message: m\n    guideline: {source: odg, says: s}\n    when:\n      all:\n        - &a0 {documented: red-flag}\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        y.push_str(&format!("        - &a{i} {{all: [{refs}]}}\n"));
    }
    let err = rule_error(&y);
    assert!(err.contains("YAML bomb"), "{err}");
}

#[test]
fn deeply_nested_yaml_is_refused_quickly() {
    let y = format!(
        "version: 1\nconcepts: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = rule_error(&y);
    assert!(err.contains("nested more than 64 levels"), "{err}");
}

/// Found by the `pdf` fuzz target: one PDF extractor panics on this file. The panic is
/// caught, silently; the other extractor's text is no complete letter, a `format` error.
#[test]
fn a_pdf_that_crashes_the_extractor_is_a_finding() {
    let pdf = root().join("fixtures/pdf/303-fuzz-missing-font.pdf");
    let out = imrlint()
        .args(["check", "--format", "jsonl"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let first: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["findings"][0]["kind"], "format");
    assert_eq!(first["findings"][0]["severity"], "error");
}

/// Found by the `pdf` fuzz target: a page listed as its own parent kept one extractor
/// climbing the page tree forever. The file is now a located error; the batch goes on.
#[test]
fn a_pdf_whose_page_tree_loops_is_a_finding_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let mut doc = pdf_extract::Document::load(
        root().join("fixtures/pdf/201-c-mri-upheld-after-rationale.pdf"),
    )
    .unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let dict = doc.get_dictionary_mut(page).unwrap();
    dict.set("Parent", pdf_extract::Object::Reference(page));
    dict.remove(b"MediaBox");
    doc.save(tmp.path().join("looped.pdf")).unwrap();
    std::fs::copy(root().join(GOOD), tmp.path().join("good.txt")).unwrap();
    let out = imrlint()
        .args(["check", "--no-config", "--format", "jsonl"])
        .arg(tmp.path())
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "not killed by the timeout");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let f = finding_of(&lines, "looped.pdf");
    assert_eq!(f["rule"], "format/pdf-unreadable");
    assert!(
        f["message"].as_str().unwrap().contains("page tree loops"),
        "{f}"
    );
    let good = lines
        .iter()
        .find(|l| l["path"].as_str().is_some_and(|p| p.ends_with("good.txt")))
        .expect("the good letter is reported");
    assert!(!good["findings"].as_array().unwrap().is_empty());
    assert_eq!(lines.last().unwrap()["summary"]["files"], 2);
}

/// Inputs the `parse_letter` fuzz target crashed on (`tests/fuzz-crashes/`), each checked
/// as a letter without a panic. The first: a multi-byte character 24 bytes before a region
/// the rationale names, where the side ("left", "right") is looked for.
#[test]
fn letters_the_fuzzer_crashed_on_are_checked() {
    let dir = root().join("tests/fuzz-crashes");
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert!(files >= 1);
    let out = imrlint()
        .args(["check", "--no-config", "--format", "jsonl"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|l: &Value| l.get("summary").is_none())
        .collect();
    assert_eq!(lines.len(), files);
    assert!(
        lines
            .iter()
            .all(|l| !l["items"].as_array().unwrap().is_empty()),
        "{lines:?}"
    );
}
