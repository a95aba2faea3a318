//! Layout B: the 2013-2014 letters that open "MAXIMUS FEDERAL SERVICES, INC." /
//! "Independent Medical Review" with a cover notice, then "DOCUMENTS REVIEWED" and
//! "IMR DECISION(S) AND RATIONALE(S)", whose items read "1. MRI of the lumbar spine is not
//! medically necessary and appropriate." and carry the decision in those words.

use super::fields::{read_front_matter, read_items_section, read_summary_section};
use super::items::{is_label, lines_field, necessity, numbered_item, read_item_fields, sub_field};
use super::model::{Case, Item, ParseProblem, Value};
use super::sections::{find_named, section_body, Heading};
use super::text::{Joined, Line};
use super::Reading;
use crate::re::Regex;
use std::sync::OnceLock;

pub const HOW_MADE: &str = "HOW THE IMR FINAL DETERMINATION WAS MADE";
pub const DOCUMENTS: &str = "DOCUMENTS REVIEWED";
pub const SUMMARY: &str = "CLINICAL CASE SUMMARY";
pub const DECISIONS: &str = "IMR DECISION(S) AND RATIONALE(S)";

/// The headings that identify this layout.
pub const HEADINGS: &[&str] = &[HOW_MADE, DOCUMENTS, SUMMARY, DECISIONS];

/// Lines an item's header sentence may be wrapped over.
const MAX_HEADER_LINES: usize = 3;

pub(crate) struct Patterns {
    request_lead: Regex,
}

pub(crate) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        request_lead: crate::re::compile_guarded(
            r"(?i)^(?:the\s+)?(?:request(?:ed)?\s+(?:for\s+)?)",
            |t| {
                crate::re::starts_with_ignore_case(t, "the")
                    || crate::re::starts_with_ignore_case(t, "request")
            },
        )
        .unwrap(),
    })
}

pub fn parse(lines: &[Line<'_>], headings: &[Heading], reading: Reading) -> Case {
    let mut case = Case {
        layout: "B".into(),
        ..Case::default()
    };
    let pos = |name: &str| find_named(headings, HEADINGS, name);

    // The cover notice (case number, dates, treatments in dispute, the letter-level final
    // determination) is everything before the first heading.
    read_front_matter(lines, headings, pos(HOW_MADE), reading, &mut case);
    if let Some(h) = pos(DOCUMENTS) {
        case.documents_reviewed = lines_field(&section_body(lines, h, headings));
    }
    read_summary_section(lines, headings, pos(SUMMARY), SUMMARY, &mut case);
    read_items_section(
        lines,
        headings,
        pos(DECISIONS),
        DECISIONS,
        "1. <request> is (not) medically necessary",
        &mut case,
        read_items,
    );
    case
}

/// An item header: first line, last line, and the joined header text.
struct Header {
    start: usize,
    last: usize,
    joined: Joined,
    /// Where the request starts in `joined.text`.
    request_start: usize,
}

/// An item header is a numbered line whose first sentence says the request "is (not)
/// medically necessary", wrapped over at most three lines. A rationale line that happens
/// to start with a number ("6 weeks ...") is not one: it is lower case or continues a
/// sentence.
fn header_at(body: &[Line<'_>], i: usize) -> Option<Header> {
    let line = body[i].text;
    if is_label(line) {
        return None;
    }
    let rest_start = numbered_item(line)?;
    if !line[rest_start..].starts_with(|ch: char| ch.is_uppercase() || ch.is_ascii_digit()) {
        return None;
    }
    if i > 0 && !body[i - 1].text.ends_with(['.', ':']) {
        return None;
    }
    for k in 1..=MAX_HEADER_LINES {
        let last = i + k - 1;
        if last >= body.len()
            || (k > 1 && (is_label(body[last].text) || numbered_item(body[last].text).is_some()))
        {
            return None;
        }
        let joined = Joined::from_lines(&body[i..=last]);
        if let Some((s, _, _)) = necessity(&joined.text, rest_start) {
            let first_sentence_end = joined.text[rest_start..]
                .find(". ")
                .map(|e| rest_start + e)
                .unwrap_or(joined.text.len());
            return (s <= first_sentence_end).then_some(Header {
                start: i,
                last,
                joined,
                request_start: rest_start,
            });
        }
    }
    None
}

fn read_items(body: &[Line<'_>], case: &mut Case) {
    let mut headers = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match header_at(body, i) {
            Some(h) => {
                i = h.last + 1;
                headers.push(h);
            }
            None => i += 1,
        }
    }
    for (k, h) in headers.iter().enumerate() {
        let end = headers.get(k + 1).map(|n| n.start).unwrap_or(body.len());
        let n = case.items.len() + 1;
        let mut item = Item {
            n,
            span: body[h.start].span.cover(body[end - 1].span),
            ..Item::default()
        };
        let Some((ds, de, decision)) = necessity(&h.joined.text, h.request_start) else {
            continue;
        };
        item.decision = Some(Value {
            value: decision,
            span: h.joined.source_span(ds, de),
        });
        let lead = patterns()
            .request_lead
            .find(&h.joined.text[h.request_start..ds])
            .map(|m| m.end())
            .unwrap_or(0);
        match sub_field(&h.joined, h.request_start + lead, ds) {
            Some(f) => item.request = f,
            None => case.problems.push(ParseProblem {
                code: "format/missing-request".into(),
                message: format!("item {n} has a decision but no request text"),
                span: h.joined.source_span(ds, de),
                item: Some(n),
            }),
        }
        read_item_fields(&body[h.last + 1..end], &mut item, case);
        case.items.push(item);
    }
}
