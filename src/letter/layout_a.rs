//! Layout A: the 2014-2016 letters with "CLINICAL CASE SUMMARY" and
//! "IMR ISSUES, DECISIONS AND RATIONALES", items read "1 X-ray of the lumbar spine: Upheld".

use super::fields::{read_front_matter, read_items_section, read_summary_section};
use super::items::{is_label, read_item_fields, sub_field};
use super::model::{Case, Decision, Item, ParseProblem, Value};
use super::sections::{is_key_of, Heading};
use super::text::{Joined, Line};
use crate::re::Regex;
use std::sync::OnceLock;

pub const HOW_MADE: &str = "HOW THE IMR FINAL DETERMINATION WAS MADE";
pub const SUMMARY: &str = "CLINICAL CASE SUMMARY";
pub const ISSUES: &str = "IMR ISSUES, DECISIONS AND RATIONALES";

/// The headings that identify this layout.
pub const HEADINGS: &[&str] = &[HOW_MADE, SUMMARY, ISSUES];

pub(crate) struct Patterns {
    decision_tail: Regex,
    numbered: Regex,
}

pub(crate) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        decision_tail: crate::re::compile_guarded(
            r"(?i)(?:^|:)\s*(upheld|overturned)\s*\.?$",
            ends_with_decision,
        )
        .unwrap(),
        numbered: numbered_item().clone(),
    })
}

/// An item number at the start of a line: "1", "1.", "2)", "Issue 3", "Item 2:".
/// The text ends with "upheld" or "overturned", then white space and a period at most.
fn ends_with_decision(text: &str) -> bool {
    let t = text.strip_suffix('.').unwrap_or(text);
    let t = t.trim_end_matches(|c: char| c.is_ascii() && crate::re::is_regex_space(c as u8));
    crate::re::ends_with_ignore_case(t, "upheld")
        || crate::re::ends_with_ignore_case(t, "overturned")
}

pub fn numbered_item() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::re::compile_guarded(
            r"(?i)^(?:(?:issue|item)\s+)?(\d{1,3})\s*[.):]?\s+(\S.*)$",
            |t| {
                t.starts_with(|c: char| c.is_ascii_digit())
                    || crate::re::starts_with_ignore_case(t, "issue")
                    || crate::re::starts_with_ignore_case(t, "item")
            },
        )
        .unwrap()
    })
}

/// Parses a letter whose lines are already split; `headings` are the layout's headings found.
pub fn parse(lines: &[Line<'_>], headings: &[Heading]) -> Case {
    let mut case = Case {
        layout: "A".into(),
        ..Case::default()
    };
    let pos = |name: &str| headings.iter().find(|h| is_key_of(&h.key, name));

    read_front_matter(lines, headings, pos(HOW_MADE), &mut case);

    read_summary_section(lines, headings, pos(SUMMARY), SUMMARY, &mut case);
    read_items_section(
        lines,
        headings,
        pos(ISSUES),
        ISSUES,
        "1 <request>: Upheld|Overturned",
        &mut case,
        read_items,
    );
    case
}

/// Index of the lines that close an item header (the decision), with the header's first line.
fn item_headers(body: &[Line<'_>]) -> Vec<(usize, usize)> {
    let p = patterns();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, line) in body.iter().enumerate() {
        if is_label(line.text) || !p.decision_tail.is_match(line.text) {
            continue;
        }
        let alone = p
            .decision_tail
            .captures(line.text)
            .is_some_and(|c| c.get(0).unwrap().start() == 0 && !line.text.starts_with(':'));
        let floor = out.last().map(|&(_, end)| end + 1).unwrap_or(0);
        // The header starts at the nearest numbered line at most three lines up.
        let start = (floor.max(i.saturating_sub(3))..=i)
            .rev()
            .find(|&j| p.numbered.is_match(body[j].text) && !is_label(body[j].text));
        if alone {
            // "Upheld" on its own line must follow a request that ends with a colon.
            let prev_ok = i > floor && body[i - 1].text.ends_with(':');
            if !prev_ok {
                continue;
            }
        }
        let start = match start {
            Some(s) => s,
            None if !alone => i,
            None => i - 1,
        };
        out.push((start, i));
    }
    out
}

fn read_items(body: &[Line<'_>], case: &mut Case) {
    let p = patterns();
    let headers = item_headers(body);
    for (k, &(start, dec_line)) in headers.iter().enumerate() {
        let end = headers.get(k + 1).map(|h| h.0).unwrap_or(body.len());
        let header = Joined::from_lines(&body[start..=dec_line]);
        let n = case.items.len() + 1;
        let mut item = Item {
            n,
            span: body[start].span.cover(body[end - 1].span),
            ..Item::default()
        };
        // Request and decision.
        let c = p.decision_tail.captures(&header.text).unwrap();
        let dec = c.get(1).unwrap();
        item.decision = Some(Value {
            value: if dec.as_str().eq_ignore_ascii_case("upheld") {
                Decision::Upheld
            } else {
                Decision::Overturned
            },
            span: header.source_span(dec.start(), dec.end()),
        });
        let req_end = c.get(0).unwrap().start();
        let req_start = p
            .numbered
            .captures(&header.text)
            .map(|c| c.get(2).unwrap().start())
            .filter(|&s| s <= req_end)
            .unwrap_or(0);
        match sub_field(&header, req_start, req_end) {
            Some(f) => item.request = f,
            None => case.problems.push(ParseProblem {
                code: "format/missing-request".into(),
                message: format!("item {n} has a decision but no request text"),
                span: item.decision.as_ref().unwrap().span,
                item: Some(n),
            }),
        }
        read_item_fields(&body[dec_line + 1..end], &mut item, case);
        case.items.push(item);
    }
}
