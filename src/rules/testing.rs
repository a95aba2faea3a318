//! Running the examples rules carry (`tests: {invalid, valid}`), like `sg test`.

use super::model::RuleExample;
use super::{Pack, Rule};
use crate::eval::evaluate;
use crate::letter::{parse_text, Decision};

/// A one-item layout-A letter built from an example's short form.
pub fn example_letter(ex: &RuleExample) -> String {
    if let Some(l) = &ex.letter {
        return l.clone();
    }
    let decision = match ex.decision.unwrap_or(Decision::Upheld) {
        Decision::Upheld => "Upheld",
        Decision::Overturned => "Overturned",
    };
    format!(
        "HOW THE IMR FINAL DETERMINATION WAS MADE\n\
         The Expert Reviewer has the following credentials:\n\
         State(s) of Licensure: California\n\
         Certification(s)/Specialty: Physical Medicine & Rehabilitation\n\
         CLINICAL CASE SUMMARY\n\
         {summary}\n\
         IMR ISSUES, DECISIONS AND RATIONALES\n\
         The Final Determination was based on decisions for the disputed items/services set forth below:\n\
         1 {request}: {decision}\n\
         Claims Administrator guideline: Decision based on MTUS ACOEM Chapter 12 Low Back Complaints.\n\
         MAXIMUS guideline: {guideline}\n\
         Decision rationale: {rationale}\n",
        summary = ex.summary.as_deref().unwrap_or("The injured worker is an adult."),
        request = ex.request.as_deref().unwrap_or("Unspecified request"),
        guideline = ex
            .guideline
            .as_deref()
            .unwrap_or("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-304."),
        rationale = ex.rationale.as_deref().unwrap_or("See above."),
    )
}

/// The outcome of one example.
#[derive(Debug, Clone)]
pub struct ExampleOutcome {
    pub rule: String,
    pub file: String,
    /// "invalid #1 (name)".
    pub example: String,
    pub must_fire: bool,
    pub passed: bool,
    /// The findings of this rule that the example produced, as "item N: message".
    pub actual: Vec<String>,
    pub expected: String,
}

/// Runs every example of every rule (or of the rules whose id contains `filter`).
pub fn run(pack: &Pack, filter: Option<&str>) -> Vec<ExampleOutcome> {
    let mut out = Vec::new();
    for rule in &pack.rules {
        if filter.is_some_and(|f| !rule.def.id.contains(f)) {
            continue;
        }
        for (k, ex) in rule.def.tests.invalid.iter().enumerate() {
            out.push(run_one(pack, rule, ex, k, true));
        }
        for (k, ex) in rule.def.tests.valid.iter().enumerate() {
            out.push(run_one(pack, rule, ex, k, false));
        }
    }
    out
}

fn run_one(
    pack: &Pack,
    rule: &Rule,
    ex: &RuleExample,
    k: usize,
    must_fire: bool,
) -> ExampleOutcome {
    let text = example_letter(ex);
    let case = parse_text(&text);
    let item = ex.item.unwrap_or(1);
    let ev = evaluate(&case, pack);
    let actual: Vec<String> = ev
        .findings
        .iter()
        .filter(|f| f.rule == rule.def.id)
        .map(|f| format!("item {}: {}", f.item.unwrap_or(0), f.message))
        .collect();
    let on_item = ev
        .findings
        .iter()
        .any(|f| f.rule == rule.def.id && f.item == Some(item));
    let parse_problems: Vec<String> = case
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.code, p.message))
        .collect();
    let mut actual = actual;
    actual.extend(parse_problems.iter().map(|p| format!("(letter) {p}")));
    let kind = if must_fire { "invalid" } else { "valid" };
    let name = ex
        .name
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    ExampleOutcome {
        rule: rule.def.id.clone(),
        file: rule.file.clone(),
        example: format!("{kind} #{}{name}", k + 1),
        must_fire,
        passed: if must_fire { on_item } else { !on_item } && parse_problems.is_empty(),
        actual,
        expected: if must_fire {
            format!("a `{}` finding on item {item}", rule.def.id)
        } else {
            format!("no `{}` finding", rule.def.id)
        },
    }
}
