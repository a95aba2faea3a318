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
        | "format/too-large"
        | "format/pdf-no-text"
        | "format/pdf-encrypted"
        | "format/pdf-unreadable"
        | "format/not-a-case" => Severity::Error,
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

/// Evaluates every rule of the pack on every item of the case.
pub fn evaluate(case: &Case, pack: &Pack) -> Evaluation {
    let facts = extract(case, pack);
    let mut findings: Vec<Finding> = case.problems.iter().map(problem_finding).collect();
    for (i, item) in case.items.iter().enumerate() {
        let Some(class) = facts.items[i].class else {
            continue;
        };
        for rule in &pack.rules {
            let applies = rule.classes.as_ref().is_none_or(|c| c.contains(&class));
            if !applies {
                continue;
            }
            let mut witnesses = Vec::new();
            if !holds(&rule.when, &facts, i, &mut witnesses) {
                continue;
            }
            let decision = item.decision.as_ref();
            if let Some(expected) = rule.def.expect {
                match decision {
                    Some(d) if d.value != expected => {}
                    _ => continue,
                }
            }
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
    findings.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    Evaluation { facts, findings }
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
