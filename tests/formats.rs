//! Every output format on the same fixture set: snapshots, a SARIF check against what
//! GitHub code scanning requires, JUnit XML and CSV read back with real parsers, and
//! byte-identical output whatever the number of threads.

mod common;

use common::{imrlint, root};
use serde_json::Value;

/// Three letters (a decision error, a grounding warning, a clean letter) and the broken
/// inputs, named relative to the repository root so snapshot paths are stable.
const FIXTURES: &[&str] = &[
    "fixtures/layout-a/002-xray-emg-overturned-bus-mechanic.txt",
    "fixtures/layout-a/014-mri-upheld-cites-previous-mri-not-in-record.txt",
    "fixtures/layout-a/019-clean-three-upheld-negated-flags.txt",
    "fixtures/bad-input",
];

const FORMATS: &[&str] = &[
    "human", "concise", "json", "jsonl", "sarif", "junit", "github", "csv",
];

fn run(format: &str, extra: &[&str]) -> (i32, String, String) {
    let out = imrlint()
        .current_dir(root())
        .env_remove("CI")
        .args([
            "check",
            "--no-config",
            "--color",
            "never",
            "--format",
            format,
        ])
        .args(extra)
        .args(FIXTURES)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (
        out.status.code().unwrap_or(-1),
        stdout.replace(env!("CARGO_PKG_VERSION"), "[VERSION]"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn snapshots_of_every_format() {
    for format in FORMATS {
        let (code, out, _) = run(format, &[]);
        assert_eq!(code, 1, "{format}: the fixture set has error findings");
        // CSV lines end in CRLF (RFC 4180); the snapshot shows them as `\r` + newline.
        let out = if *format == "csv" {
            out.replace("\r\n", "\\r\n")
        } else {
            out
        };
        insta::assert_snapshot!(format!("format_{format}"), out);
    }
    let (_, stats, _) = run("concise", &["--statistics"]);
    insta::assert_snapshot!("statistics", stats);
}

fn obj<'a>(v: &'a Value, what: &str) -> &'a serde_json::Map<String, Value> {
    v.as_object()
        .unwrap_or_else(|| panic!("{what} must be an object: {v}"))
}

fn text<'a>(v: &'a Value, what: &str, max: usize) -> &'a str {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what} must be a string: {v}"));
    assert!(!s.trim().is_empty(), "{what} must not be empty");
    assert!(s.chars().count() <= max, "{what} is over {max} characters");
    s
}

fn int(v: &Value, what: &str, min: u64) -> u64 {
    let n = v
        .as_u64()
        .unwrap_or_else(|| panic!("{what} must be an integer: {v}"));
    assert!(n >= min, "{what} must be at least {min}");
    n
}

const LEVELS: &[&str] = &["none", "note", "warning", "error"];

/// The SARIF 2.1.0 properties GitHub code scanning requires, with their types and
/// limits, as listed in GitHub's "SARIF support for code scanning".
fn validate_sarif_for_github(log: &Value) {
    assert_eq!(
        text(&log["$schema"], "$schema", 1024),
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs must be an array");
    assert!(!runs.is_empty() && runs.len() <= 20, "1 to 20 runs");
    for run in runs {
        obj(run, "run");
        let driver = obj(&run["tool"]["driver"], "tool.driver");
        text(&driver["name"], "tool.driver.name", 1024);
        if let Some(v) = driver.get("version") {
            text(v, "tool.driver.version", 1024);
        }
        if let Some(u) = driver.get("informationUri") {
            assert!(text(u, "informationUri", 2048).contains("://"));
        }
        let rules = driver["rules"]
            .as_array()
            .expect("driver.rules is an array");
        let mut ids = std::collections::BTreeSet::new();
        for r in rules {
            let id = text(&r["id"], "rule.id", 1024);
            assert!(ids.insert(id), "rule ids are unique: {id}");
            if let Some(n) = r.get("name") {
                text(n, "rule.name", 255);
            }
            text(
                &r["shortDescription"]["text"],
                "shortDescription.text",
                1024,
            );
            text(&r["fullDescription"]["text"], "fullDescription.text", 1024);
            text(&r["help"]["text"], "help.text", usize::MAX);
            if let Some(m) = r["help"].get("markdown") {
                text(m, "help.markdown", usize::MAX);
            }
            if let Some(l) = r.get("defaultConfiguration").map(|c| &c["level"]) {
                assert!(LEVELS.contains(&l.as_str().unwrap()), "level {l}");
            }
            if let Some(tags) = r.get("properties").and_then(|p| p.get("tags")) {
                let tags = tags.as_array().expect("tags is an array");
                assert!(tags.len() <= 20);
                assert!(tags.iter().all(Value::is_string));
            }
        }
        if let Some(k) = run.get("columnKind") {
            assert!(["utf16CodeUnits", "unicodeCodePoints"].contains(&k.as_str().unwrap()));
        }
        let results = run["results"].as_array().expect("results is an array");
        assert!(results.len() <= 25_000);
        for res in results {
            text(&res["message"]["text"], "message.text", usize::MAX);
            if let Some(id) = res.get("ruleId") {
                let id = text(id, "ruleId", 1024);
                let idx = int(&res["ruleIndex"], "ruleIndex", 0) as usize;
                assert_eq!(rules[idx]["id"], id, "ruleIndex points at ruleId");
            }
            if let Some(l) = res.get("level") {
                assert!(LEVELS.contains(&l.as_str().unwrap()));
            }
            let locations = res["locations"].as_array().expect("locations is an array");
            assert!(!locations.is_empty() && locations.len() <= 1000);
            for loc in locations {
                let phys = obj(&loc["physicalLocation"], "physicalLocation");
                let uri = text(&phys["artifactLocation"]["uri"], "uri", 2048);
                assert!(
                    !uri.contains("://") && !uri.starts_with('/') && !uri.contains('\\'),
                    "a relative URI with forward slashes: {uri}"
                );
                assert!(!uri.contains(' '), "URI characters are encoded: {uri}");
                let region = &phys["region"];
                let sl = int(&region["startLine"], "startLine", 1);
                let sc = int(&region["startColumn"], "startColumn", 1);
                let el = int(&region["endLine"], "endLine", 1);
                let ec = int(&region["endColumn"], "endColumn", 1);
                assert!(el >= sl, "endLine >= startLine");
                assert!(el > sl || ec >= sc, "endColumn >= startColumn on one line");
            }
            let fps = obj(&res["partialFingerprints"], "partialFingerprints");
            assert!(!fps.is_empty());
            for (k, v) in fps {
                assert!(!k.is_empty());
                text(v, "partialFingerprints value", 1024);
            }
        }
    }
}

#[test]
fn sarif_has_what_github_code_scanning_requires() {
    let (_, out, _) = run("sarif", &[]);
    let log: Value = serde_json::from_str(&out).unwrap();
    validate_sarif_for_github(&log);
    let sarif_run = &log["runs"][0];
    // Every rule of the default pack is described, and the format findings too.
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "lumbar-xray-without-red-flags"));
    assert!(rules.iter().any(|r| r["id"] == "format/binary"));
    let xray = rules
        .iter()
        .find(|r| r["id"] == "lumbar-xray-without-red-flags")
        .unwrap();
    assert_eq!(xray["defaultConfiguration"]["level"], "error");
    assert!(xray["help"]["text"]
        .as_str()
        .unwrap()
        .contains("MTUS ACOEM Chapter 12"));
    // The results match the JSON findings one for one, fingerprints included.
    let (_, json, _) = run("json", &[]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let findings: Vec<&Value> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .collect();
    let results = sarif_run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["rule"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            f["line"]
        );
        assert_eq!(
            r["partialFingerprints"]["imrlintFingerprint/v1"],
            f["fingerprint"]
        );
    }
}

#[test]
fn junit_parses_back_with_an_xml_parser() {
    use quick_xml::events::Event;
    let (_, out, _) = run("junit", &[]);
    let mut reader = quick_xml::Reader::from_str(&out);
    let (mut suites, mut cases, mut failures) = (Vec::new(), Vec::new(), 0);
    let mut elements = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &[u8]| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    b"testsuite" => suites.push(attr(b"name").unwrap()),
                    b"testcase" => cases.push((
                        attr(b"name").unwrap(),
                        attr(b"classname").unwrap(),
                        attr(b"file").unwrap(),
                    )),
                    b"failure" => failures += 1,
                    _ => {}
                }
                elements += 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(elements > 0);
    // One suite per file (bad-input has 4 files).
    assert_eq!(suites.len(), 3 + 4);
    assert!(suites.contains(&"fixtures/layout-a/019-clean-three-upheld-negated-flags.txt".into()));
    // The clean letter has one passing case; names are unique within a file.
    assert!(cases
        .iter()
        .any(|(n, _, f)| n == "no findings"
            && f.ends_with("019-clean-three-upheld-negated-flags.txt")));
    let mut seen = std::collections::BTreeSet::new();
    for (name, class, file) in &cases {
        assert!(
            seen.insert((file.clone(), name.clone())),
            "duplicate case {name}"
        );
        assert!(!class.is_empty());
    }
    assert!(cases
        .iter()
        .any(|(n, _, _)| n.starts_with("lumbar-xray-without-red-flags @ ")));
    let (_, json, _) = run("json", &[]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        failures,
        json["summary"]["findings"]["error"].as_u64().unwrap() as usize
            + json["summary"]["findings"]["warning"].as_u64().unwrap() as usize
            + json["summary"]["findings"]["info"].as_u64().unwrap() as usize
    );
}

#[test]
fn csv_parses_back_with_a_csv_reader() {
    let (_, out, _) = run("csv", &[]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        ["path", "line", "column", "severity", "kind", "rule", "item", "message"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let (_, json, _) = run("json", &[]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let findings: Vec<(&str, &Value)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |x| (f["path"].as_str().unwrap(), x))
        })
        .collect();
    assert_eq!(rows.len(), findings.len());
    for (row, (path, f)) in rows.iter().zip(findings) {
        assert_eq!(&row[0], path);
        assert_eq!(row[1], f["line"].to_string());
        assert_eq!(row[2], f["column"].to_string());
        assert_eq!(&row[3], f["severity"].as_str().unwrap());
        assert_eq!(&row[5], f["rule"].as_str().unwrap());
        // Messages with commas and quotes come back whole.
        assert_eq!(&row[7], f["message"].as_str().unwrap());
    }
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let (_, out, _) = run("github", &[]);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert!(!lines.is_empty());
    for l in &lines {
        let (cmd, rest) = l[2..].split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&cmd), "{l}");
        let (props, msg) = rest.split_once("::").unwrap();
        for p in props.split(',') {
            let (k, v) = p.split_once('=').unwrap();
            assert!(["file", "line", "endLine", "col", "endColumn", "title"].contains(&k));
            assert!(!v.contains(':'), "`:` is escaped in {k}");
        }
        assert!(!msg.contains('\n') && !msg.contains('\r'));
    }
    // Errors come first: GitHub shows only 10 annotations of each level per step.
    let first_warning = lines.iter().position(|l| l.starts_with("::warning"));
    let last_error = lines.iter().rposition(|l| l.starts_with("::error"));
    if let (Some(w), Some(e)) = (first_warning, last_error) {
        assert!(e < w);
    }
}

#[test]
fn one_and_eight_threads_give_identical_bytes() {
    let dir = root().join("fixtures");
    for format in ["json", "sarif", "junit", "human"] {
        let outputs: Vec<Vec<u8>> = ["1", "8"]
            .iter()
            .map(|n| {
                imrlint()
                    .current_dir(root())
                    .args(["check", "--no-config", "--color", "never", "--threads", n])
                    .args(["--format", format])
                    .arg(&dir)
                    .output()
                    .unwrap()
                    .stdout
            })
            .collect();
        assert!(!outputs[0].is_empty());
        assert_eq!(outputs[0], outputs[1], "{format}: 1 vs 8 threads");
    }
}

#[test]
fn output_file_is_written_atomically_and_stdout_stays_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("report.sarif");
    let out = imrlint()
        .current_dir(root())
        .args(["check", "--no-config", "--format", "sarif", "--output"])
        .arg(&target)
        .args(FIXTURES)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    validate_sarif_for_github(&log);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.sarif"]);
    // The summary went to stderr.
    assert!(String::from_utf8_lossy(&out.stderr).contains("imrlint: checked"));
}
