//! Layout A: the 2014-2016 letters with "CLINICAL CASE SUMMARY" and
//! "IMR ISSUES, DECISIONS AND RATIONALES", items read "1 X-ray of the lumbar spine: Upheld".

use super::fields::{read_front_matter, read_items_section, read_summary_section};
use super::items::{is_label, numbered_item, read_item_fields, sub_field};
use super::model::{Case, Decision, Item, ParseProblem, Value};
use super::sections::{find_named, Heading};
use super::text::{Joined, Line};
use super::Reading;

pub const HOW_MADE: &str = "HOW THE IMR FINAL DETERMINATION WAS MADE";
pub const SUMMARY: &str = "CLINICAL CASE SUMMARY";
pub const ISSUES: &str = "IMR ISSUES, DECISIONS AND RATIONALES";

/// The headings that identify this layout.
pub const HEADINGS: &[&str] = &[HOW_MADE, SUMMARY, ISSUES];

/// A line's closing decision, "...: Upheld" or "Overturned." on its own: the regex
/// `(?i)(?:^|:)\s*(upheld|overturned)\s*\.?$`, read by hand (it runs on every line of the
/// items section). `start` is where the match starts (0, or the colon); `word` the decision.
struct DecisionTail {
    start: usize,
    word: std::ops::Range<usize>,
}

fn decision_tail(text: &str) -> Option<DecisionTail> {
    let t = text.strip_suffix('.').unwrap_or(text);
    let t = crate::re::trim_space_end(t);
    let word = ["upheld", "overturned"]
        .into_iter()
        .find(|w| crate::re::ends_with_ignore_case(t, w))?;
    let word = t.len() - word.len()..t.len();
    let before = crate::re::trim_space_end(&text[..word.start]);
    let start = match before.len() {
        0 => 0,
        n if before.ends_with(':') => n - 1,
        _ => return None,
    };
    Some(DecisionTail { start, word })
}

/// Parses a letter whose lines are already split; `headings` are the layout's headings found.
pub fn parse(lines: &[Line<'_>], headings: &[Heading], reading: Reading) -> Case {
    let mut case = Case {
        layout: "A".into(),
        ..Case::default()
    };
    let pos = |name: &str| find_named(headings, HEADINGS, name);

    read_front_matter(lines, headings, pos(HOW_MADE), reading, &mut case);

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
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, line) in body.iter().enumerate() {
        if is_label(line.text) {
            continue;
        }
        let Some(tail) = decision_tail(line.text) else {
            continue;
        };
        let alone = tail.start == 0 && !line.text.starts_with(':');
        let floor = out.last().map(|&(_, end)| end + 1).unwrap_or(0);
        // The header starts at the nearest numbered line at most three lines up.
        let start = (floor.max(i.saturating_sub(3))..=i)
            .rev()
            .find(|&j| numbered_item(body[j].text).is_some() && !is_label(body[j].text));
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
        let Some(tail) = decision_tail(&header.text) else {
            continue;
        };
        let dec = tail.word;
        item.decision = Some(Value {
            value: if header.text[dec.clone()].eq_ignore_ascii_case("upheld") {
                Decision::Upheld
            } else {
                Decision::Overturned
            },
            span: header.source_span(dec.start, dec.end),
        });
        let req_end = tail.start;
        let req_start = numbered_item(&header.text)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_tail_is_the_regex() {
        let re = crate::re::compile(r"(?i)(?:^|:)\s*(upheld|overturned)\s*\.?$").unwrap();
        let texts = crate::re::testing::samples_with(&[
            "Upheld",
            " upheld .",
            "x: Overturned.",
            "x:Overturned",
            "x: upheld. ",
            "xupheld",
            "x : overturned",
            ":upheld",
            "x: upheld..",
            "a: b: Upheld",
            "UPHELD.",
            "x upheld",
        ]);
        let mut matched = 0;
        for t in texts {
            let want = re
                .captures(&t)
                .map(|c| (c.get(0).unwrap().start(), c.get(1).unwrap().range()));
            matched += usize::from(want.is_some());
            assert_eq!(decision_tail(&t).map(|d| (d.start, d.word)), want, "{t:?}");
        }
        assert!(matched > 30, "{matched}");
    }
}
