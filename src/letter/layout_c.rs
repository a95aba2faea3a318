//! Layout C: "MEDICAL PROFESSIONAL REVIEW" letters with one disputed item, its parts under
//! colon headings ("ISSUE AT DISPUTE:", "CASE SUMMARY:", ...). The determination is stated in
//! words ("DETERMINATION: ... is not medically necessary. The denial is upheld."), before or
//! after the rationale, whose heading says "NOT MEDICALLY NECESSARY" whatever the decision.
//! There is no claims-administrator guideline; the reviewer's guideline is a paragraph.

use super::fields::{
    missing_section, read_credentials, read_header_lines, read_patient, summary_field,
};
use super::items::{cite, decision_in_words, lines_field, necessity, numbered_item, sub_field};
use super::model::{Case, Field, Item, ParseProblem, Value};
use super::sections::{section_body, Heading, HeadingKeys};
use super::text::Line;
use super::Reading;
use crate::re::Regex;
use std::sync::OnceLock;

pub const ISSUE: &str = "ISSUE AT DISPUTE";
pub const SUMMARY: &str = "CASE SUMMARY";
pub const DOCUMENTS: &str = "DOCUMENTS REVIEWED FOR DETERMINATION";
pub const GUIDELINES: &str =
    "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY";
pub const RATIONALE: &str =
    "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY";
pub const QUALIFICATIONS: &str = "MEDICAL REVIEWER QUALIFICATIONS";
/// Not identifying (other layouts use the words too), but it closes the section before it.
const DETERMINATION: &[&str] = &["DETERMINATION", "FINAL DETERMINATION", "IMR DETERMINATION"];

/// The headings that identify this layout.
pub const HEADINGS: &[&str] = &[
    ISSUE,
    SUMMARY,
    DOCUMENTS,
    GUIDELINES,
    RATIONALE,
    QUALIFICATIONS,
];

/// This layout's headings plus the determination's, as searched for.
fn wanted() -> &'static [&'static str] {
    static WANTED: OnceLock<Vec<&'static str>> = OnceLock::new();
    WANTED.get_or_init(|| HEADINGS.iter().chain(DETERMINATION).copied().collect())
}

/// The keys of [`wanted`].
pub fn heading_keys() -> &'static HeadingKeys {
    static KEYS: OnceLock<HeadingKeys> = OnceLock::new();
    KEYS.get_or_init(|| HeadingKeys::new(wanted()))
}

pub(crate) fn question() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "Is the requested MRI of the lumbar spine medically necessary?" / "Whether ..."
    RE.get_or_init(|| {
        crate::re::compile(r"(?i)^(?:is|are|whether)\s+(?:the\s+)?(?:requested\s+|request\s+for\s+)?(.+?)\s+(?:is\s+|are\s+)?medically\s+necessary\W*$").unwrap()
    })
}

pub fn parse(lines: &[Line<'_>], headings: &[Heading], reading: Reading) -> Case {
    let mut case = Case {
        layout: "C".into(),
        ..Case::default()
    };
    // The first heading (in letter order) that is one of `names`.
    let pos = |names: &[&str]| headings.iter().find(|h| names.contains(&wanted()[h.index]));
    let body = |h: &Heading| section_body(lines, h, headings);

    let first = headings.iter().map(|h| h.first_line).min().unwrap_or(0);
    read_header_lines(&lines[..first], &mut case.header);

    if let Some(h) = pos(&[QUALIFICATIONS]).filter(|_| reading == Reading::Everything) {
        read_credentials(&body(h), &mut case.reviewer);
    }
    if let Some(h) = pos(&[DOCUMENTS]) {
        case.documents_reviewed = lines_field(&body(h));
    }
    match pos(&[SUMMARY]) {
        Some(h) => {
            if let Some(summary) = summary_field(&body(h)) {
                case.patient = read_patient(&summary);
                case.summary = Some(summary);
            }
        }
        None => case.problems.push(missing_section(SUMMARY, lines)),
    }
    if case.patient.date_of_injury.is_none() {
        case.patient.date_of_injury = case.header.date_of_injury.clone();
    }

    let Some(issue) = pos(&[ISSUE]).and_then(|h| lines_field(&body(h)).map(|f| (h, f))) else {
        case.problems.push(ParseProblem {
            code: "format/no-items".into(),
            message: format!(
                "the letter has no \"{ISSUE}:\" section, so no disputed item could be read"
            ),
            span: lines.first().map(|l| l.span).unwrap_or_default(),
            item: None,
        });
        return case;
    };
    let (issue_heading, issue_field) = issue;
    let mut item = Item {
        n: 1,
        span: issue_heading.span,
        request: request_of(&issue_field),
        ..Item::default()
    };
    if let Some(h) = pos(&[GUIDELINES]) {
        item.reviewer_guideline = lines_field(&body(h)).map(|f| cite(&f));
    }
    if let Some(h) = pos(&[RATIONALE]) {
        item.rationale = lines_field(&body(h));
    }
    item.decision = pos(DETERMINATION)
        .and_then(|h| lines_field(&body(h)))
        .and_then(|f| decision_in_words(&f))
        .or_else(|| item.rationale.as_ref().and_then(last_necessity));
    if let Some(r) = &item.rationale {
        item.span = item.span.cover(r.span);
    }
    let at = item.request.span;
    let mut missing = |what: &str| {
        case.problems.push(ParseProblem {
            code: "format/missing-field".into(),
            message: format!("item 1 has no {what}"),
            span: at,
            item: Some(1),
        })
    };
    if item.decision.is_none() {
        missing("determination (\"DETERMINATION: ... The denial is upheld.\")");
    }
    if item.reviewer_guideline.is_none() {
        missing(&format!("\"{GUIDELINES}:\" paragraph"));
    }
    if item.rationale.is_none() {
        missing("rationale");
    }
    case.items.push(item);
    case
}

/// The request of "ISSUE AT DISPUTE:", without a number, a question's wording or the
/// final full stop.
fn request_of(f: &Field) -> Field {
    let joined = f.joined();
    let text = &joined.text;
    let mut start = numbered_item(text).unwrap_or(0);
    let mut end = text.len();
    if let Some(c) = question().captures(&text[start..]) {
        let g = c.get(1).unwrap();
        end = start + g.end();
        start += g.start();
    }
    let end = start + text[start..end].trim_end_matches(['.', '?', ' ']).len();
    sub_field(&joined, start, end).unwrap_or_else(|| f.clone())
}

/// Without a determination line, the rationale's last "is (not) medically necessary".
fn last_necessity(f: &Field) -> Option<Value<super::model::Decision>> {
    let mut from = 0;
    let mut last = None;
    while let Some((s, e, d)) = necessity(&f.text, from) {
        last = Some((s, e, d));
        from = e;
    }
    let (s, e, d) = last?;
    Some(Value {
        value: d,
        span: f.source_span(s, e),
    })
}
