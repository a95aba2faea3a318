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

/// Every request class of the default pack has, in `fixtures/classes/<class>/`, a letter
/// with a decision finding on that class and a clean letter.
#[test]
fn every_class_has_a_flagged_and_a_clean_fixture() {
    let pack = Pack::default_rules().expect("default pack loads");
    assert_eq!(
        pack.classes.len(),
        14,
        "the default pack has 14 request classes"
    );
    let mut missing = Vec::new();
    for class in &pack.classes {
        let dir = common::root().join("fixtures/classes").join(&class.id);
        let (mut flagged, mut clean) = (false, false);
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.filter_map(|e| e.ok()) {
                let p = e.path();
                if !p.to_string_lossy().ends_with(".txt") {
                    continue;
                }
                let result = check_path(&p, &pack);
                let decision = result
                    .findings
                    .iter()
                    .any(|f| f.kind.as_str() == "decision");
                if decision {
                    flagged = true;
                } else if result.findings.is_empty() {
                    clean = true;
                }
            }
        }
        if !flagged || !clean {
            missing.push(format!("{}: flagged {flagged}, clean {clean}", class.id));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The kind fixtures show every citation, contradiction and grounding rule at work.
#[test]
fn kind_fixtures_cover_citation_contradiction_and_grounding_rules() {
    let pack = Pack::default_rules().expect("default pack loads");
    let mut seen = BTreeSet::new();
    for e in std::fs::read_dir(common::root().join("fixtures/kinds")).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().ends_with(".txt") {
            seen.extend(check_path(&p, &pack).findings.into_iter().map(|f| f.rule));
        }
    }
    for rule in &pack.rules {
        let k = rule.def.kind.as_str();
        if matches!(k, "citation" | "contradiction")
            || (k == "grounding"
                && !rule.def.id.starts_with("grounding-prior")
                && rule.def.id != "grounding-red-flags-denied")
        {
            assert!(
                seen.contains(&rule.def.id),
                "no kind fixture exercises {}",
                rule.def.id
            );
        }
    }
}
