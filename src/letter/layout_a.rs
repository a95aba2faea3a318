//! Layout A: the 2014-2016 letters with "CLINICAL CASE SUMMARY" and
//! "IMR ISSUES, DECISIONS AND RATIONALES", items read "1 X-ray of the lumbar spine: Upheld".

use super::fields::{read_header, read_patient};
use super::model::{Case, Decision, Field, Item, ParseProblem, Value};
use super::sections::{find_headings, heading_key, Heading};
use super::text::{Joined, Line};
use crate::citation;
use crate::span::Span;
use regex::Regex;
use std::sync::OnceLock;

pub const HOW_MADE: &str = "HOW THE IMR FINAL DETERMINATION WAS MADE";
pub const SUMMARY: &str = "CLINICAL CASE SUMMARY";
pub const ISSUES: &str = "IMR ISSUES, DECISIONS AND RATIONALES";

/// The headings that identify this layout.
pub const HEADINGS: &[&str] = &[HOW_MADE, SUMMARY, ISSUES];

struct Patterns {
    decision_tail: Regex,
    numbered: Regex,
    label: Regex,
    summary_boilerplate: Regex,
    credential: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        decision_tail: Regex::new(r"(?i)(?:^|:)\s*(upheld|overturned)\s*\.?$").unwrap(),
        numbered: Regex::new(r"(?i)^(?:(?:issue|item)\s+)?(\d{1,3})\s*[.):]?\s+(\S.*)$").unwrap(),
        label: Regex::new(
            r"(?i)^(claims\s+administrator\s+guidelines?|(?:maximus|expert\s+reviewer|reviewer)\s+guidelines?|decision\s+rationale|rationale\s+for\s+the\s+decision)\s*:\s*",
        )
        .unwrap(),
        summary_boilerplate: Regex::new(
            r"(?i)^the\s+expert\s+reviewer\s+developed\s+the\s+following\s+clinical\s+case\s+summary.*?(?:records|file)\s*:\s*",
        )
        .unwrap(),
        credential: Regex::new(r"(?i)\b(state\(s\)\s+of\s+licensure|certification\(s\)\s*/\s*specialty)\s*:\s*").unwrap(),
    })
}

/// Parses a letter whose lines are already split; `headings` are the layout's headings found.
pub fn parse(lines: &[Line<'_>], headings: &[Heading]) -> Case {
    let mut case = Case {
        layout: "A".into(),
        ..Case::default()
    };
    let pos = |name: &str| headings.iter().find(|h| h.key == heading_key(name));
    let end_of = |h: &Heading| {
        headings
            .iter()
            .filter(|o| o.first_line > h.first_line)
            .map(|o| o.first_line)
            .min()
            .unwrap_or(lines.len())
    };

    // Header block: everything before the first heading.
    let first = headings.iter().map(|h| h.first_line).min().unwrap_or(0);
    if first > 0 {
        let block = Field::from_joined(Joined::from_lines(&lines[..first]));
        read_header(&block, &mut case.header);
    }

    if let Some(h) = pos(HOW_MADE) {
        read_credentials(&lines[h.body_line..end_of(h)], &mut case);
    }

    match pos(SUMMARY) {
        Some(h) => {
            let body = &lines[h.body_line..end_of(h)];
            if let Some(summary) = summary_field(body) {
                case.patient = read_patient(&summary);
                case.summary = Some(summary);
            }
        }
        None => case.problems.push(ParseProblem {
            code: "format/missing-section".into(),
            message: format!("the letter has no \"{SUMMARY}\" section"),
            span: lines.first().map(|l| l.span).unwrap_or_default(),
            item: None,
        }),
    }
    if case.patient.date_of_injury.is_none() {
        case.patient.date_of_injury = case.header.date_of_injury.clone();
    }

    match pos(ISSUES) {
        Some(h) => {
            let body = &lines[h.body_line..end_of(h)];
            read_items(body, &mut case);
            if case.items.is_empty() {
                case.problems.push(ParseProblem {
                    code: "format/no-items".into(),
                    message: "no disputed item (\"1 <request>: Upheld|Overturned\") was found under this heading".into(),
                    span: h.span,
                    item: None,
                });
            }
        }
        None => case.problems.push(ParseProblem {
            code: "format/no-items".into(),
            message: format!(
                "the letter has no \"{ISSUES}\" section, so no disputed item could be read"
            ),
            span: lines.first().map(|l| l.span).unwrap_or_default(),
            item: None,
        }),
    }
    case
}

fn read_credentials(body: &[Line<'_>], case: &mut Case) {
    let p = patterns();
    for line in body {
        for c in p.credential.captures_iter(line.text) {
            let whole = c.get(0).unwrap();
            let rest = &line.text[whole.end()..];
            let rest = match p.credential.find(rest) {
                Some(n) => &rest[..n.start()],
                None => rest,
            };
            let value_start = line.span.start + whole.end();
            let key = c[1].to_ascii_lowercase();
            if key.starts_with("state") {
                let v = rest.trim();
                if !v.is_empty() {
                    case.reviewer.licensure = Some(Field::plain(
                        v,
                        Span::new(value_start, value_start + v.len()),
                    ));
                }
            } else {
                let mut off = 0;
                for part in rest.split([',', ';']) {
                    let lead = part.len() - part.trim_start().len();
                    let v = part.trim().trim_end_matches('.');
                    if !v.is_empty() {
                        let s = value_start + off + lead;
                        case.reviewer
                            .specialties
                            .push(Field::plain(v, Span::new(s, s + v.len())));
                    }
                    off += part.len() + 1;
                }
            }
        }
    }
}

fn summary_field(body: &[Line<'_>]) -> Option<Field> {
    if body.is_empty() {
        return None;
    }
    let joined = Joined::from_lines(body);
    let skip = patterns()
        .summary_boilerplate
        .find(&joined.text)
        .map(|m| m.end())
        .unwrap_or(0);
    sub_field(&joined, skip, joined.text.len())
}

/// A field made of `joined.text[start..end]`, trimmed, keeping the offset map.
fn sub_field(joined: &Joined, start: usize, end: usize) -> Option<Field> {
    let raw = joined.text.get(start..end)?;
    let lead = raw.len() - raw.trim_start().len();
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    let s = start + lead;
    let e = s + text.len();
    Some(Field {
        text: text.to_string(),
        span: joined.source_span(s, e),
        joined: Some(joined.slice(s, e)),
    })
}

/// Index of the lines that close an item header (the decision), with the header's first line.
fn item_headers(body: &[Line<'_>]) -> Vec<(usize, usize)> {
    let p = patterns();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, line) in body.iter().enumerate() {
        if p.label.is_match(line.text) || !p.decision_tail.is_match(line.text) {
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
            .find(|&j| p.numbered.is_match(body[j].text) && !p.label.is_match(body[j].text));
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

fn read_item_fields(body: &[Line<'_>], item: &mut Item, case: &mut Case) {
    let p = patterns();
    let starts: Vec<usize> = (0..body.len())
        .filter(|&i| p.label.is_match(body[i].text))
        .collect();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(body.len());
        let joined = Joined::from_lines(&body[s..e]);
        let label = p.label.captures(&joined.text).unwrap();
        let key = label[1].to_ascii_lowercase();
        let Some(field) = sub_field(&joined, label.get(0).unwrap().end(), joined.text.len()) else {
            continue;
        };
        if key.starts_with("claims") {
            item.claims_guideline = Some(cite(&field));
        } else if key.contains("guideline") {
            item.reviewer_guideline = Some(cite(&field));
        } else {
            item.rationale = Some(field);
        }
    }
    let n = item.n;
    let at = item.decision.as_ref().map(|d| d.span).unwrap_or(item.span);
    let mut missing = |what: &str| {
        case.problems.push(ParseProblem {
            code: "format/missing-field".into(),
            message: format!("item {n} has no {what}"),
            span: at,
            item: Some(n),
        })
    };
    if item.reviewer_guideline.is_none() {
        missing("reviewer guideline line (\"MAXIMUS guideline:\")");
    }
    if item.rationale.is_none() {
        missing("decision rationale (\"Decision rationale:\")");
    }
}

fn cite(field: &Field) -> citation::Citation {
    citation::parse(&field.text, field.span, &|s, e| field.source_span(s, e))
}

/// True when the lines look like this layout.
pub fn score(headings: &[Heading]) -> usize {
    HEADINGS
        .iter()
        .filter(|h| headings.iter().any(|f| f.key == heading_key(h)))
        .count()
}

/// Finds this layout's headings.
pub fn headings(lines: &[Line<'_>]) -> Vec<Heading> {
    find_headings(lines, HEADINGS)
}
