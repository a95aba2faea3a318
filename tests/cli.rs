//! The command line as users and CI jobs meet it: parse output, exit codes, the JSON
//! contract, and a batch with broken files in it.

mod common;

use common::{check_jsonl, imrlint, root, shared};
use serde_json::Value;

const SEED: &str = "seed/000_8dfae91c9e56c64c.txt";

#[test]
fn parse_reads_the_real_letter() {
    let Some(seed) = shared(SEED) else { return };
    let out = imrlint().args(["parse"]).arg(&seed).output().unwrap();
    assert!(out.status.success());
    let case: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = case["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let want = [
        ("X-ray of the lumbar spine", "lumbar-xray"),
        ("MRI of the lumbar spine", "lumbar-mri"),
        (
            "Electromyography and Nerve conduction velocity study of the bilateral lower extremity",
            "emg-ncv-lower",
        ),
    ];
    for (item, (request, class)) in items.iter().zip(want) {
        assert_eq!(item["request"]["text"], request);
        assert_eq!(item["class"], class);
        assert_eq!(item["decision"]["value"], "upheld");
    }
    let x = &items[0]["reviewer_guideline"];
    assert_eq!(x["refs"][0]["source"], "mtus-acoem");
    assert_eq!(x["refs"][0]["chapter"], 12);
    assert_eq!(x["refs"][0]["pages"][0]["start"], 303);
    assert_eq!(x["refs"][0]["pages"][0]["end"], 304);
    let mri = &items[1]["reviewer_guideline"];
    assert_eq!(mri["not_based_on_mtus"], true);
    assert_eq!(mri["refs"][0]["source"], "odg");
    let emg = &items[2]["reviewer_guideline"];
    assert_eq!(emg["refs"][0]["chapter"], 12);
    assert_eq!(emg["refs"][0]["pages"][0]["start"], 303);
    assert_eq!(emg["refs"][0]["pages"][0]["end"], 303);
    assert_eq!(case["patient"]["age"]["value"], 65);
    assert_eq!(case["patient"]["sex"]["value"], "male");
    assert_eq!(case["patient"]["date_of_injury"]["text"], "06/25/2012");
    let specialties: Vec<&str> = case["reviewer"]["specialties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        specialties,
        ["Physical Medicine & Rehabilitation", "Pain Management"]
    );
    // Spans point at the words in the user's file.
    let text = std::fs::read_to_string(&seed).unwrap();
    let span = &items[2]["request"]["span"];
    let (s, e) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert!(text[s..e].starts_with("Electromyography"));
    assert!(text[s..e].ends_with("extremity"));
}

#[test]
fn seed_has_no_error_but_grounding_warnings() {
    let Some(seed) = shared(SEED) else { return };
    let (code, lines) = check_jsonl(&[seed.to_str().unwrap()], &root());
    assert_eq!(code, 0, "warnings only: exit 0");
    let file = &lines[0];
    let findings = file["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["severity"] != "error"));
    let grounding: Vec<(u64, &str)> = findings
        .iter()
        .filter(|f| f["kind"] == "grounding")
        .map(|f| (f["item"].as_u64().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    assert!(
        grounding.contains(&(1, "grounding-prior-imaging")),
        "{grounding:?}"
    );
    assert!(
        grounding.contains(&(3, "grounding-prior-electrodiagnostics")),
        "{grounding:?}"
    );
    // The EMG finding points at the words "prior electrodiagnostic testing".
    let emg = findings
        .iter()
        .find(|f| f["rule"] == "grounding-prior-electrodiagnostics")
        .unwrap();
    let text = std::fs::read_to_string(&seed).unwrap();
    let off = emg["offset"].as_u64().unwrap() as usize;
    assert!(text[off..].starts_with("prior electrodiagnostic"));
    let line = emg["line"].as_u64().unwrap() as usize;
    assert!(text
        .lines()
        .nth(line - 1)
        .unwrap()
        .contains("prior electrodiagnostic"));
    // --deny warnings turns them into a failing run.
    imrlint()
        .args(["check", "--deny", "warnings"])
        .arg(&seed)
        .assert()
        .code(1);
}

#[test]
fn jsonl_contract_and_exit_code_on_error_findings() {
    let dir = root().join("fixtures/layout-a");
    let (code, lines) = check_jsonl(&[dir.to_str().unwrap()], &root());
    assert_eq!(code, 1, "fixtures contain error-level decision findings");
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["schema_version"], 1);
    assert_eq!(
        summary["tool"],
        format!("imrlint {}", env!("CARGO_PKG_VERSION"))
    );
    let files = lines.len() - 1;
    assert_eq!(summary["files"], files);
    assert_eq!(summary["letters"], files);
    let items: usize = lines[..files]
        .iter()
        .map(|l| l["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(summary["items"], items);
    let errors: usize = lines[..files]
        .iter()
        .flat_map(|l| l["findings"].as_array().unwrap())
        .filter(|f| f["severity"] == "error")
        .count();
    assert_eq!(summary["findings"]["error"], errors);
    let f = lines[..files]
        .iter()
        .flat_map(|l| l["findings"].as_array().unwrap())
        .find(|f| f["kind"] == "decision")
        .unwrap();
    for key in [
        "rule", "kind", "severity", "item", "message", "line", "column", "offset", "length",
    ] {
        assert!(!f[key].is_null(), "finding lacks {key}");
    }
    let item = &lines[0]["items"][0];
    for key in [
        "n",
        "request",
        "class",
        "decision",
        "reviewer_sources",
        "claims_sources",
    ] {
        assert!(!item[key].is_null(), "item lacks {key}");
    }
    // The same run twice gives the same bytes.
    let a = imrlint()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap()
        .stdout;
    let b = imrlint()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b);
}

#[test]
fn clean_letter_exits_zero() {
    let letter = root().join("fixtures/layout-a/019-clean-three-upheld-negated-flags.txt");
    assert!(letter.exists());
    imrlint().args(["check"]).arg(&letter).assert().code(0);
}

#[test]
fn broken_files_are_located_format_findings_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::copy(
        root().join("fixtures/bad-input/binary-file.txt"),
        d.join("binary.txt"),
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::copy(
        root().join("fixtures/bad-input/letter-without-items.txt"),
        d.join("no-items.txt"),
    )
    .unwrap();
    std::fs::copy(
        root().join("fixtures/layout-a/001-xray-overturned-order-selector.txt"),
        d.join("good.txt"),
    )
    .unwrap();
    std::fs::write(d.join(".hidden.txt"), "x").unwrap();
    std::fs::write(d.join("notes.docx"), "x").unwrap();
    let (code, lines) = check_jsonl(&[d.to_str().unwrap()], d);
    assert_eq!(code, 1);
    let by_name = |n: &str| {
        lines
            .iter()
            .find(|l| l["path"].as_str().is_some_and(|p| p.ends_with(n)))
            .unwrap()
    };
    for (name, rule) in [
        ("binary.txt", "format/binary"),
        ("empty.txt", "format/empty"),
        ("no-items.txt", "format/no-items"),
    ] {
        let f = &by_name(name)["findings"][0];
        assert_eq!(f["kind"], "format", "{name}");
        assert_eq!(f["rule"], rule, "{name}");
        assert_eq!(f["severity"], "error", "{name}");
        assert!(f["line"].as_u64().unwrap() >= 1);
    }
    // The no-items finding points at the section heading that has no items.
    let f = &by_name("no-items.txt")["findings"][0];
    let text = std::fs::read_to_string(d.join("no-items.txt")).unwrap();
    assert!(text[f["offset"].as_u64().unwrap() as usize..].starts_with("IMR ISSUES"));
    // The good letter was still evaluated.
    assert!(!by_name("good.txt")["findings"]
        .as_array()
        .unwrap()
        .is_empty());
    let s = &lines.last().unwrap()["summary"];
    assert_eq!(s["files"], 4);
    assert_eq!(s["letters"], 1);
    assert_eq!(s["unreadable"], 3);
    assert_eq!(s["skipped"], 2);
}

#[test]
fn rule_errors_exit_two_and_name_the_place() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("bad.yaml"),
        "version: 1\nrules:\n  - id: r1\n    title: t\n    kind: decision\n    severity: eror\n    applies-to: [lumbar-xray]\n    when: {documented: red-flag}\n    message: m\n    guideline: {source: odg, says: s}\n",
    )
    .unwrap();
    let out = imrlint()
        .args(["check", "--rules"])
        .arg(tmp.path())
        .arg(root().join("fixtures/layout-a"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.yaml:6:"), "{err}");
    assert!(err.contains("unknown variant `eror`"), "{err}");
    assert!(err.contains("did you mean `error`?"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing is linted with a broken pack"
    );
}

#[test]
fn usage_errors_exit_two() {
    imrlint()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn flipping_a_rules_expected_decision_fails_its_tests() {
    let tmp = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(root().join("rules")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root().join("rules")).unwrap();
        let to = tmp.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let f = tmp.path().join("low-back/lumbar-xray.yaml");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replacen("expect: upheld", "expect: overturned", 1)).unwrap();
    let out = imrlint()
        .args(["rules", "test"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAIL lumbar-xray-without-red-flags"),
        "{stdout}"
    );
    // The unmodified pack passes.
    imrlint().args(["rules", "test"]).assert().code(0);
}

#[test]
fn human_output_quotes_the_letter_with_rule_and_help() {
    let letter = root().join("fixtures/layout-a/001-xray-overturned-order-selector.txt");
    let out = imrlint()
        .args(["check", "--color", "always"])
        .arg(&letter)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("lumbar-xray-without-red-flags"), "{s}");
    assert!(s.contains("001-xray-overturned-order-selector.txt:"), "{s}");
    assert!(s.contains("decided overturned"), "{s}");
    assert!(s.contains("MTUS ACOEM Chapter 12"), "{s}");
    assert!(s.contains("imrlint: checked 1 file"), "{s}");
}

/// A letter checked on its own (a one-letter run builds its regexes the quick way and
/// parses on a second core while the pack loads) gets exactly the report line it gets
/// in a batch.
#[test]
fn a_letter_checked_alone_reports_what_it_reports_in_a_batch() {
    let dirs = [
        "fixtures/layout-a",
        "fixtures/layout-b",
        "fixtures/layout-c",
        "fixtures/pdf",
    ];
    let (_, batch) = check_jsonl(&[&["--no-config"][..], &dirs[..]].concat(), &root());
    let files: Vec<&Value> = batch.iter().filter(|l| l.get("path").is_some()).collect();
    assert!(
        files.len() >= 20,
        "only {} letters in the batch",
        files.len()
    );
    for line in files {
        let path = line["path"].as_str().unwrap();
        let (_, alone) = check_jsonl(&["--no-config", path], &root());
        assert_eq!(&alone[0], line, "{path} alone differs from the batch");
        assert_eq!(alone[1]["summary"]["files"], 1);
    }
}

/// `imrlint check ... | head -1`: the reader goes away early; imrlint ends quietly (no
/// panic, no "Broken pipe" error), as `grep` would.
#[cfg(unix)]
#[test]
fn output_piped_into_a_reader_that_quits_early_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};

    let tmp = tempfile::tempdir().unwrap();
    let letter =
        std::fs::read(root().join("fixtures/layout-a/001-xray-overturned-order-selector.txt"))
            .unwrap();
    // Far more report than a pipe buffers (about 1 KB a letter).
    for i in 0..400 {
        std::fs::write(tmp.path().join(format!("{i:03}.txt")), &letter).unwrap();
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("imrlint"))
        .args([
            "check",
            "--no-config",
            "--threads",
            "1",
            "--format",
            "jsonl",
        ])
        .arg(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'), "{first}");
    // The reader is dropped here: the pipe is closed with most of the report unread.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(
        out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
        "{:?}: {stderr}",
        out.status
    );
}
