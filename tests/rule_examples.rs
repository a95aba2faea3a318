//! The default pack's rules carry their own examples; all of them must pass.

use imrlint::rules::{testing, Pack};

#[test]
fn default_pack_rule_examples_pass() {
    let pack = Pack::default_rules().expect("default pack loads");
    let outcomes = testing::run(&pack, None);
    assert!(
        outcomes.len() >= 2 * pack.rules.len(),
        "each rule needs a valid and an invalid example"
    );
    for rule in &pack.rules {
        let mine: Vec<_> = outcomes.iter().filter(|o| o.rule == rule.def.id).collect();
        assert!(
            mine.iter().any(|o| o.must_fire),
            "{} has no invalid example",
            rule.def.id
        );
        assert!(
            mine.iter().any(|o| !o.must_fire),
            "{} has no valid example",
            rule.def.id
        );
    }
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| {
            format!(
                "{} {}: expected {}, got {:?}",
                o.rule, o.example, o.expected, o.actual
            )
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
