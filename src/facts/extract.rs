//! Clinical facts of a case: every concept mention in each part of the letter, with
//! its context status, and the numeric facts rules compare.

use super::context::{Assessment, Status};
use super::matcher::Hit;
use crate::letter::{Case, Field};
use crate::rules::model::Scope;
use crate::rules::Pack;
use crate::span::Span;
use serde::Serialize;

/// One mention of a concept.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub concept: usize,
    /// The matched words as written.
    pub text: String,
    pub span: Span,
    pub status: Status,
    /// The context trigger that decided the status, and where it is.
    pub trigger: Option<(String, Span)>,
    /// Byte range in the text of the part of the letter it was found in.
    #[serde(skip)]
    pub local: (usize, usize),
}

/// Mentions in one item's own text.
#[derive(Debug, Clone, Default)]
pub struct ItemFacts {
    pub class: Option<usize>,
    pub request: Vec<Mention>,
    pub rationale: Vec<Mention>,
    pub guideline: Vec<Mention>,
}

/// Everything the rules read from one case.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    pub summary: Vec<Mention>,
    pub documents: Vec<Mention>,
    pub items: Vec<ItemFacts>,
    pub age: Option<f64>,
    pub weeks_since_injury: Option<f64>,
}

impl CaseFacts {
    /// The mentions a scope covers for item `i`.
    pub fn scope(&self, scope: Scope, i: usize) -> Box<dyn Iterator<Item = &Mention> + '_> {
        let item = self.items.get(i);
        match scope {
            Scope::Record => Box::new(self.summary.iter().chain(self.documents.iter())),
            Scope::Summary => Box::new(self.summary.iter()),
            Scope::Request => Box::new(item.into_iter().flat_map(|f| f.request.iter())),
            Scope::Rationale => Box::new(item.into_iter().flat_map(|f| f.rationale.iter())),
            Scope::Guideline => Box::new(item.into_iter().flat_map(|f| f.guideline.iter())),
        }
    }
}

/// Concept mentions in a field; `assess` runs the context engine (narrative text only).
pub fn mentions(field: &Field, pack: &Pack, assess: bool, hits: &mut Vec<Hit>) -> Vec<Mention> {
    hits.clear();
    pack.matcher.find(&field.text, hits);
    let assessments: Vec<Assessment> = if assess {
        let ranges: Vec<_> = hits.iter().map(|h| h.start..h.end).collect();
        pack.context.assess(&field.text, &ranges)
    } else {
        Vec::new()
    };
    hits.iter()
        .enumerate()
        .map(|(k, h)| {
            let a = assessments.get(k);
            Mention {
                concept: h.concept,
                text: field.text[h.start..h.end].to_string(),
                span: field.source_span(h.start, h.end),
                status: a.map(|a| a.status).unwrap_or(Status::Present),
                trigger: a
                    .and_then(|a| a.trigger.as_ref())
                    .map(|(t, r)| (t.clone(), field.source_span(r.start, r.end))),
                local: (h.start, h.end),
            }
        })
        .collect()
}

/// Extracts the facts of a case.
pub fn extract(case: &Case, pack: &Pack) -> CaseFacts {
    let mut hits = Vec::new();
    let mut facts = CaseFacts::default();
    if let Some(s) = &case.summary {
        facts.summary = mentions(s, pack, true, &mut hits);
    }
    if let Some(d) = &case.documents_reviewed {
        facts.documents = mentions(d, pack, true, &mut hits);
    }
    for item in &case.items {
        let mut f = ItemFacts {
            class: pack.classify(&item.request.text),
            request: mentions(&item.request, pack, false, &mut hits),
            ..ItemFacts::default()
        };
        if let Some(r) = &item.rationale {
            f.rationale = mentions(r, pack, true, &mut hits);
            mark_guideline_restatements(&r.text, &mut f.rationale, pack, &mut hits);
        }
        if let Some(g) = &item.reviewer_guideline {
            let field = Field::plain(&g.text, g.span);
            f.guideline = mentions(&field, pack, false, &mut hits);
        }
        facts.items.push(f);
    }
    facts.age = case.patient.age.as_ref().map(|a| a.value as f64);
    let injury = case
        .patient
        .date_of_injury
        .as_ref()
        .or(case.header.date_of_injury.as_ref())
        .and_then(|d| d.day_number());
    let latest = case
        .patient
        .visit_dates
        .iter()
        .filter_map(|d| d.day_number())
        .max()
        .or_else(|| {
            case.header
                .decision_date
                .as_ref()
                .and_then(|d| d.day_number())
        })
        .or_else(|| {
            case.header
                .ur_denial_date
                .as_ref()
                .and_then(|d| d.day_number())
        });
    if let (Some(i), Some(l)) = (injury, latest) {
        if l >= i {
            facts.weeks_since_injury = Some((l - i) as f64 / 7.0);
        }
    }
    facts
}

/// In a rationale, a sentence that restates a guideline ("x-rays are not recommended in the
/// absence of red flags") without speaking of the patient asserts nothing about the
/// patient: its mentions become hypothetical. The two voices are the pack's
/// `guideline-voice` and `patient-voice` concepts; without them nothing changes.
fn mark_guideline_restatements(
    text: &str,
    mentions: &mut [Mention],
    pack: &Pack,
    hits: &mut Vec<Hit>,
) {
    let (Some(&guide), Some(&patient)) = (
        pack.concept_index.get("guideline-voice"),
        pack.concept_index.get("patient-voice"),
    ) else {
        return;
    };
    hits.clear();
    pack.matcher.find(text, hits);
    for r in super::sentence::split_sentences(text) {
        let (start, end) = (r.start, r.end);
        let has = |c: usize| {
            hits.iter()
                .any(|h| h.concept == c && h.start >= start && h.end <= end)
        };
        if !has(guide) || has(patient) {
            continue;
        }
        for m in mentions.iter_mut() {
            let inside = m.local.0 >= start && m.local.1 <= end;
            if inside && matches!(m.status, Status::Present | Status::Negated) {
                m.status = Status::Hypothetical;
            }
        }
    }
}
