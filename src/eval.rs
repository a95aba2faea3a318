//! Applies a compiled pack to a parsed case and produces findings.

use crate::facts::extract::{extract, CaseFacts, Mention};
use crate::letter::{Case, Decision, ParseProblem};
use crate::rules::model::{FactName, Kind, Scope, Severity};
use crate::rules::{CondC, Mode, Pack, Rule};
use crate::span::Span;
use serde::Serialize;

/// A secondary place in the letter that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub kind: Kind,
    pub severity: Severity,
    /// 1-based item number, when the finding is about an item.
    pub item: Option<usize>,
    pub message: String,
    /// Primary location and its label.
    pub span: Span,
    pub label: String,
    pub related: Vec<Label>,
    /// The guideline reference, shown as help.
    pub help: Option<String>,
}

/// The outcome of evaluating one case.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub facts: CaseFacts,
    pub findings: Vec<Finding>,
}

/// Severity of a parse problem: a letter that yields nothing to check is an error.
pub fn problem_severity(code: &str) -> Severity {
    match code {
        "format/empty"
        | "format/binary"
        | "format/unknown-layout"
        | "format/no-items"
        | "format/unreadable"
        | "format/too-large" => Severity::Error,
        _ => Severity::Warning,
    }
}

pub fn problem_finding(p: &ParseProblem) -> Finding {
    Finding {
        rule: p.code.clone(),
        kind: Kind::Format,
        severity: problem_severity(&p.code),
        item: p.item,
        message: p.message.clone(),
        span: p.span,
        label: "here".into(),
        related: vec![],
        help: Some("imrlint reads letters of the layouts listed in the README; check the file is a complete IMR determination letter".into()),
    }
}

/// How one rule went on one item: it applied (its request classes match the item's
/// class); whether its `when` held; whether it produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    /// Index into `Pack::rules`.
    pub rule: usize,
    /// The rule's `when` held for the item's documented facts.
    pub held: bool,
    /// The rule produced a finding (for rules with `expect`: `when` held and the decision
    /// differs from `expect`).
    pub fired: bool,
}

/// Every rule that applied to one item, and what the item's facts were for them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemOutcome {
    /// Index into `Pack::classes`; `None` when the request matched no class (no rule applies).
    pub class: Option<usize>,
    /// Rules whose request classes match the item's class, in pack order.
    pub rules: Vec<RuleOutcome>,
    /// The condition leaves of the applicable rules that hold for this item and read the
    /// case (the record, the summary or the request; not the rationale or guideline line,
    /// which are the reviewer's words), as sorted, de-duplicated labels: a concept id
    /// (`documented` in the record), with ` (mentioned)` / ` (negated)` for other modes and
    /// ` in summary` / ` in request` for other scopes; numeric facts as `age>=N`, `weeks-since-injury<=N`. Items of one class with
    /// the same labels present the same facts to the rules.
    pub facts_used: Vec<String>,
}

impl ItemOutcome {
    /// The decisions implied by the rules with `expect` whose `when` held, in pack order.
    pub fn implied<'p>(&'p self, pack: &'p Pack) -> impl Iterator<Item = Decision> + 'p {
        self.rules
            .iter()
            .filter(|o| o.held)
            .filter_map(|o| pack.rules[o.rule].def.expect)
    }
}

/// An evaluation with the per-item rule outcomes behind it.
#[derive(Debug, Default)]
pub struct DetailedEvaluation {
    pub evaluation: Evaluation,
    /// One per item of the case, in order.
    pub items: Vec<ItemOutcome>,
}

/// Evaluates every rule of the pack on every item of the case.
pub fn evaluate(case: &Case, pack: &Pack) -> Evaluation {
    evaluate_inner(case, pack, None)
}

/// Like [`evaluate`] (same findings), and also reports, per item, which rules applied,
/// whether their `when` held and which facts the rules read.
pub fn evaluate_detailed(case: &Case, pack: &Pack) -> DetailedEvaluation {
    let mut items = Vec::with_capacity(case.items.len());
    let evaluation = evaluate_inner(case, pack, Some(&mut items));
    DetailedEvaluation { evaluation, items }
}

fn evaluate_inner(
    case: &Case,
    pack: &Pack,
    mut outcomes: Option<&mut Vec<ItemOutcome>>,
) -> Evaluation {
    let facts = extract(case, pack);
    let mut findings: Vec<Finding> = case.problems.iter().map(problem_finding).collect();
    for (i, item) in case.items.iter().enumerate() {
        let class = facts.items[i].class;
        let mut outcome = ItemOutcome {
            class,
            ..ItemOutcome::default()
        };
        if let Some(class) = class {
            for (r, rule) in pack.rules.iter().enumerate() {
                let applies = rule.classes.as_ref().is_none_or(|c| c.contains(&class));
                if !applies {
                    continue;
                }
                if outcomes.is_some() {
                    collect_facts(&rule.when, pack, &facts, i, &mut outcome.facts_used);
                }
                let mut witnesses = Vec::new();
                let held = holds(&rule.when, &facts, i, &mut witnesses);
                let mut fired = false;
                if held {
                    let decision = item.decision.as_ref();
                    let differs = match rule.def.expect {
                        Some(expected) => decision.is_some_and(|d| d.value != expected),
                        None => true,
                    };
                    if differs {
                        fired = true;
                        findings.push(make_finding(
                            rule,
                            pack,
                            case,
                            i,
                            expected_text(rule),
                            &witnesses,
                        ));
                    }
                }
                outcome.rules.push(RuleOutcome {
                    rule: r,
                    held,
                    fired,
                });
            }
        }
        if let Some(out) = outcomes.as_deref_mut() {
            outcome.facts_used.sort();
            outcome.facts_used.dedup();
            out.push(outcome);
        }
    }
    findings.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    Evaluation { facts, findings }
}

/// Adds the label of every leaf of `c` that holds for item `i`.
fn collect_facts(c: &CondC, pack: &Pack, facts: &CaseFacts, i: usize, out: &mut Vec<String>) {
    match c {
        CondC::All(v) | CondC::Any(v) => {
            for x in v {
                collect_facts(x, pack, facts, i, out);
            }
        }
        CondC::Not(x) => collect_facts(x, pack, facts, i, out),
        CondC::Concept {
            mode,
            concept,
            scope,
            ..
        } => {
            // The reviewer's own words are not facts of the case.
            if matches!(scope, Scope::Rationale | Scope::Guideline)
                || !holds(c, facts, i, &mut Vec::new())
            {
                return;
            }
            let mut label = pack.concepts[*concept].id.clone();
            match mode {
                Mode::Documented => {}
                Mode::Mentioned => label.push_str(" (mentioned)"),
                Mode::Negated => label.push_str(" (negated)"),
            }
            match scope {
                Scope::Record => {}
                Scope::Summary => label.push_str(" in summary"),
                Scope::Request => label.push_str(" in request"),
                Scope::Rationale | Scope::Guideline => {}
            }
            out.push(label);
        }
        CondC::Fact(t) => {
            if !holds(c, facts, i, &mut Vec::new()) {
                return;
            }
            let name = match t.name {
                FactName::Age => "age",
                FactName::WeeksSinceInjury => "weeks-since-injury",
            };
            let mut parts = Vec::new();
            if let Some(lo) = t.at_least {
                parts.push(format!("{name}>={lo}"));
            }
            if let Some(hi) = t.at_most {
                parts.push(format!("{name}<={hi}"));
            }
            if parts.is_empty() {
                parts.push(name.to_string());
            }
            out.push(parts.join(","));
        }
    }
}

fn expected_text(rule: &Rule) -> &'static str {
    match rule.def.expect {
        Some(Decision::Upheld) => "upheld (not medically necessary)",
        Some(Decision::Overturned) => "overturned (medically necessary)",
        None => "",
    }
}

fn make_finding(
    rule: &Rule,
    pack: &Pack,
    case: &Case,
    i: usize,
    expected: &str,
    witnesses: &[(&Mention, Scope)],
) -> Finding {
    let item = &case.items[i];
    let decision = item.decision.as_ref();
    let message = rule
        .def
        .message
        .replace("{request}", &item.request.text)
        .replace(
            "{decision}",
            decision.map(|d| d.value.as_str()).unwrap_or("undecided"),
        )
        .replace("{expected}", expected);
    let concept = |m: &Mention| pack.concepts[m.concept].id.clone();
    let describe = |m: &Mention, scope: Scope| {
        let place = match scope {
            Scope::Rationale => "the rationale",
            Scope::Request => "the request",
            Scope::Guideline => "the guideline line",
            _ => "the case record",
        };
        let how = match m.status {
            crate::facts::context::Status::Present => "",
            crate::facts::context::Status::Negated => " (negated)",
            crate::facts::context::Status::Historical => " (historical)",
            crate::facts::context::Status::Hypothetical => " (hypothetical)",
            crate::facts::context::Status::Possible => " (possible)",
            crate::facts::context::Status::Resolved => " (resolved)",
            crate::facts::context::Status::Other => " (someone else)",
        };
        format!("{} in {place}{how}", concept(m))
    };
    let (span, label, rest): (Span, String, &[(&Mention, Scope)]) =
        match (rule.def.expect, decision) {
            (Some(_), Some(d)) if rule.def.kind == Kind::Decision => {
                (d.span, format!("decided {}", d.value.as_str()), witnesses)
            }
            _ => match witnesses
                .iter()
                .position(|(_, s)| matches!(s, Scope::Rationale | Scope::Guideline))
            {
                Some(k) => {
                    let (m, s) = witnesses[k];
                    (m.span, describe(m, s), witnesses)
                }
                None => (
                    item.rationale.as_ref().map(|r| r.span).unwrap_or(item.span),
                    "this rationale".into(),
                    witnesses,
                ),
            },
        };
    let related = rest
        .iter()
        .filter(|(m, _)| m.span != span)
        .map(|(m, s)| Label {
            span: m.span,
            text: describe(m, *s),
        })
        .collect();
    Finding {
        rule: rule.def.id.clone(),
        kind: rule.def.kind,
        severity: rule.def.severity,
        item: Some(item.n),
        message,
        span,
        label,
        related,
        help: Some(rule.def.guideline.display()),
    }
}

/// Whether the condition holds for item `i`; collects the mentions that made it hold.
fn holds<'f>(
    c: &CondC,
    facts: &'f CaseFacts,
    i: usize,
    witnesses: &mut Vec<(&'f Mention, Scope)>,
) -> bool {
    match c {
        CondC::All(v) => {
            let mark = witnesses.len();
            let ok = v.iter().all(|x| holds(x, facts, i, witnesses));
            if !ok {
                witnesses.truncate(mark);
            }
            ok
        }
        CondC::Any(v) => {
            let mut any = false;
            for x in v {
                // Keep evaluating to collect every witness of the branches that hold.
                any |= holds(x, facts, i, witnesses);
            }
            any
        }
        CondC::Not(x) => {
            let mut scratch = Vec::new();
            !holds(x, facts, i, &mut scratch)
        }
        CondC::Concept {
            mode,
            concept,
            scope,
            statuses,
        } => {
            let mut of_concept = facts
                .scope(*scope, i)
                .filter(|m| m.concept == *concept)
                .peekable();
            match mode {
                Mode::Documented | Mode::Mentioned => {
                    let first = of_concept.find(|m| statuses.contains(&m.status));
                    if let Some(m) = first {
                        witnesses.push((m, *scope));
                        true
                    } else {
                        false
                    }
                }
                Mode::Negated => {
                    let all: Vec<&Mention> = of_concept.collect();
                    let ok = !all.is_empty() && all.iter().all(|m| statuses.contains(&m.status));
                    if ok {
                        witnesses.push((all[0], *scope));
                    }
                    ok
                }
            }
        }
        CondC::Fact(t) => {
            let v = match t.name {
                FactName::Age => facts.age,
                FactName::WeeksSinceInjury => facts.weeks_since_injury,
            };
            match v {
                Some(v) => {
                    t.at_least.is_none_or(|lo| v >= lo) && t.at_most.is_none_or(|hi| v <= hi)
                }
                None => t.if_unknown,
            }
        }
    }
}
