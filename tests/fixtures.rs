//! Every fixture letter has its expected findings beside it (`NAME.expected.yaml`); the
//! findings imrlint gives must be exactly those (rule, kind and item).

mod common;

use imrlint::check::check_path;
use imrlint::rules::Pack;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
struct Expected {
    findings: Vec<ExpectedFinding>,
}

#[derive(Deserialize)]
struct ExpectedFinding {
    #[serde(default)]
    item: Option<usize>,
    kind: String,
    rule: String,
}

#[test]
fn every_fixture_gives_exactly_its_expected_findings() {
    let pack = Pack::default_rules().expect("default pack loads");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in walkdir::WalkDir::new(common::root().join("fixtures")).sort_by_file_name() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".expected.yaml") else {
            continue;
        };
        let dir = entry.path().parent().unwrap();
        let letter = common::letter_beside(dir, stem)
            .unwrap_or_else(|| panic!("no letter beside {}", entry.path().display()));
        let expected: Expected =
            serde_yaml::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        let want: BTreeSet<(Option<usize>, String, String)> = expected
            .findings
            .into_iter()
            .map(|f| (f.item, f.kind, f.rule))
            .collect();
        let result = check_path(&letter, &pack);
        let got: BTreeSet<(Option<usize>, String, String)> = result
            .findings
            .iter()
            .map(|f| (f.item, f.kind.as_str().to_string(), f.rule.clone()))
            .collect();
        if want != got {
            failures.push(format!(
                "{}\n  expected: {want:?}\n  got:      {got:?}",
                letter.display()
            ));
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} fixtures found");
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The layout-A fixtures cover both directions of every decision rule of the low-back
/// trio, grounding findings, and clean letters.
#[test]
fn layout_a_fixtures_cover_both_directions_and_clean_letters() {
    let dir = common::root().join("fixtures/layout-a");
    let mut rules = BTreeSet::new();
    let mut clean = 0;
    let mut letters = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if !p.to_string_lossy().ends_with(".expected.yaml") {
            continue;
        }
        letters += 1;
        let exp: Expected = serde_yaml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        if exp.findings.is_empty() {
            clean += 1;
        }
        rules.extend(exp.findings.into_iter().map(|f| f.rule));
    }
    assert!(letters >= 15);
    assert!(clean >= 5, "{clean} clean letters");
    for r in [
        "lumbar-xray-without-red-flags",
        "lumbar-xray-red-flag-denied",
        "lumbar-mri-without-indication",
        "lumbar-mri-indicated-denied",
        "emg-lower-without-neuro-findings",
        "emg-lower-progressive-deficit-denied",
        "grounding-prior-imaging",
        "grounding-prior-electrodiagnostics",
    ] {
        assert!(rules.contains(r), "no fixture exercises {r}");
    }
}
