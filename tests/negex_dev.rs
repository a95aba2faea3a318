//! Scores the default context triggers on the NegEx test kit's development half.
//!
//! Set `NEGEX_DEV_VERBOSE=1` (with `--nocapture`) to print the misclassified rows.

use imrlint::facts::context::{ContextEngine, ContextSection};
use imrlint::negex_eval::{is_negated, locate_concept, parse_assert_tsv, run_assert_tsv};
use serde::Deserialize;
use std::path::Path;
use std::time::Instant;

#[derive(Deserialize)]
struct Pack {
    #[allow(dead_code)]
    version: u32,
    context: ContextSection,
}

fn engine() -> ContextEngine {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/context.yaml");
    let yaml = std::fs::read_to_string(&path).expect("read rules/context.yaml");
    let pack: Pack = serde_yaml::from_str(&yaml).expect("parse rules/context.yaml");
    ContextEngine::compile(&[&pack.context]).expect("compile context triggers")
}

#[test]
fn negex_dev_scores() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/negex/dev.tsv");
    let Ok(input) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let engine = engine();

    let start = Instant::now();
    let mut out = Vec::new();
    let scores = run_assert_tsv(&engine, &input, &mut out)
        .expect("run")
        .expect("dev.tsv is labelled");
    let elapsed = start.elapsed();
    eprintln!(
        "negex dev: rows {} accuracy {:.4} precision {:.4} recall {:.4} F1 {:.4} ({:?})",
        scores.rows, scores.accuracy, scores.precision, scores.recall, scores.f1, elapsed
    );

    if std::env::var_os("NEGEX_DEV_VERBOSE").is_some() {
        for row in parse_assert_tsv(&input).unwrap() {
            let target = locate_concept(row.sentence, row.concept);
            let a = &engine.assess(row.sentence, std::slice::from_ref(&target))[0];
            let pred = is_negated(a.status);
            if Some(pred) != row.negated {
                let lo = target.start.saturating_sub(160);
                let lo = (0..=lo)
                    .rev()
                    .find(|i| row.sentence.is_char_boundary(*i))
                    .unwrap_or(0);
                let hi = (target.end + 120).min(row.sentence.len());
                let hi = (hi..=row.sentence.len())
                    .find(|i| row.sentence.is_char_boundary(*i))
                    .unwrap();
                eprintln!(
                    "L{} gold={} got={:?} trig={:?} concept={:?}\n    ...{}...",
                    row.line,
                    if row.negated == Some(true) { "N" } else { "A" },
                    a.status,
                    a.trigger.as_ref().map(|t| t.0.as_str()),
                    &row.sentence[target.clone()],
                    &row.sentence[lo..hi]
                );
            }
        }
    }

    assert!(
        scores.accuracy >= 0.985,
        "accuracy {:.4} < 0.985",
        scores.accuracy
    );
    assert!(scores.f1 >= 0.968, "Negated F1 {:.4} < 0.968", scores.f1);
}
