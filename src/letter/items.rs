//! Reading parts of a disputed item that every layout shares: labelled fields
//! (guideline lines and rationale), decisions stated in words, and sub-fields that keep
//! their map back to the source.

use super::model::{Case, Decision, Field, Item, ParseProblem, Value};
use super::text::{Joined, Line};
use crate::citation;
use crate::re::Regex;
use std::sync::OnceLock;

pub(crate) struct Patterns {
    label: Regex,
    necessity: Regex,
    denial: Regex,
}

pub(crate) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        // Layout A labels ("Claims Administrator guideline:") and layout B sentences ("The
        // Claims Administrator based its decision on ..."), where the label is the
        // sentence's opening words.
        label: crate::re::compile_guarded(
            r"(?i)^(?:(claims\s+administrator\s+guidelines?|(?:maximus|expert\s+reviewer|reviewer)\s+guidelines?|decision\s+rationale|rationale\s+for\s+the\s+decision)\s*:|the\s+(claims\s+administrator|expert\s+reviewer)\s+based\s+(?:its|his/her|his|her|their)\s+decision\s+on\b)\s*",
            may_be_label,
        )
        .unwrap(),
        necessity: crate::re::compile(
            r"(?i)\b(?:is|are|was|were)\s+(not\s+)?medically\s+necessary(?:\s+and\s+appropriate)?",
        )
        .unwrap(),
        denial: crate::re::compile(
            r"(?i)^\W*(upheld|overturned)\b|\b(?:denial|decision|request)\s+(?:is|was)\s+(?:hereby\s+)?(upheld|overturned|reversed)\b",
        )
        .unwrap(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelledField {
    ClaimsGuideline,
    ReviewerGuideline,
    Rationale,
}

/// The field a label opens, told by its words: "Claims Administrator guideline:" and "The
/// Claims Administrator based its decision on" the claims administrator's guideline; the
/// other guideline labels and "The Expert Reviewer based ..." the reviewer's; "Decision
/// rationale:" and "Rationale for the Decision:" the rationale.
fn label_field(label: &str) -> LabelledField {
    use crate::re::{contains_ignore_case as has, starts_with_ignore_case as starts};
    if starts(label, "claims") || (starts(label, "the") && has(label, "claims")) {
        LabelledField::ClaimsGuideline
    } else if starts(label, "the") || has(label, "guideline") {
        LabelledField::ReviewerGuideline
    } else {
        LabelledField::Rationale
    }
}

/// Every label starts with one of these words.
fn may_be_label(text: &str) -> bool {
    use crate::re::starts_with_ignore_case as starts;
    [
        "claims",
        "maximus",
        "expert",
        "reviewer",
        "decision",
        "rationale",
        "the",
    ]
    .iter()
    .any(|w| starts(text, w))
}

/// Where the request starts in an item header that opens with its number ("1 MRI ...",
/// "2. ...", "3) ...", "Issue 4: ..."). This is the regex
/// `(?i)^(?:(?:issue|item)\s+)?(\d{1,3})\s*[.):]?\s+(\S.*)$` (the start of group 2), read by
/// hand: it runs on most lines of an items section.
pub fn numbered_item(text: &str) -> Option<usize> {
    use crate::re::{starts_with_ignore_case as starts, trim_space_start as skip};
    let mut at = 0;
    for word in ["issue", "item"] {
        if starts(text, word) {
            let rest = skip(&text[word.len()..]);
            if rest.len() < text.len() - word.len() {
                at = text.len() - rest.len();
            }
            break;
        }
    }
    let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let number_end = at + digits;
    let p = text.len() - skip(&text[number_end..]).len();
    // Greedy first: a closing ".", ")" or ":" and white space; else white space alone,
    // which leaves that mark to the request.
    let after_mark = text.len() - skip(text.get(p + 1..).unwrap_or("")).len();
    let start = if text[p..].starts_with(['.', ')', ':'])
        && after_mark > p + 1
        && after_mark < text.len()
    {
        after_mark
    } else if p > number_end && p < text.len() {
        p
    } else {
        return None;
    };
    (!text[start..].contains('\n')).then_some(start)
}

/// Whether a line opens a labelled item field.
pub fn is_label(text: &str) -> bool {
    patterns().label.is_match(text)
}

/// The first "is (not) medically necessary" in `text[from..]`: byte range and decision.
pub fn necessity(text: &str, from: usize) -> Option<(usize, usize, Decision)> {
    let m = patterns().necessity.find(text.get(from..)?)?;
    // The only "not" a match can hold is its optional group's.
    let d = if crate::re::contains_ignore_case(m.as_str(), "not") {
        Decision::Upheld
    } else {
        Decision::Overturned
    };
    Some((from + m.start(), from + m.end(), d))
}

/// A decision stated in words: "The denial is upheld" wins over "is (not) medically
/// necessary", since a letter may quote the request's wording before deciding.
pub fn decision_in_words(field: &Field) -> Option<Value<Decision>> {
    let (s, e, value) = match patterns().denial.captures(&field.text) {
        Some(c) => {
            let m = c.get(1).or_else(|| c.get(0)).unwrap();
            let word = c.get(1).or_else(|| c.get(2)).unwrap().as_str();
            let d = if word.eq_ignore_ascii_case("upheld") {
                Decision::Upheld
            } else {
                Decision::Overturned
            };
            (m.start(), m.end(), d)
        }
        None => necessity(&field.text, 0)?,
    };
    Some(Value {
        value,
        span: field.source_span(s, e),
    })
}

/// A field made of `joined.text[start..end]`, trimmed, keeping the offset map.
pub fn sub_field(joined: &Joined, start: usize, end: usize) -> Option<Field> {
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
        map: Some(joined.map.slice(s, e)),
    })
}

/// A whole section as one field.
pub fn lines_field(lines: &[Line<'_>]) -> Option<Field> {
    let joined = Joined::from_lines(lines);
    sub_field(&joined, 0, joined.text.len())
}

/// Parses a guideline field into a citation whose spans point into the source.
pub fn cite(field: &Field) -> citation::Citation {
    citation::parse(&field.text, field.span, &|s, e| field.source_span(s, e))
}

/// Reads the labelled fields after an item's header: the claims administrator's and the
/// reviewer's guideline lines and the rationale; reports what is missing.
pub fn read_item_fields(body: &[Line<'_>], item: &mut Item, case: &mut Case) {
    let p = patterns();
    let starts: Vec<usize> = (0..body.len())
        .filter(|&i| is_label(body[i].text))
        .collect();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(body.len());
        let joined = Joined::from_lines(&body[s..e]);
        let Some(label) = p.label.find(&joined.text) else {
            continue;
        };
        let Some(field) = sub_field(&joined, label.end(), joined.text.len()) else {
            continue;
        };
        match label_field(label.as_str()) {
            LabelledField::ClaimsGuideline => item.claims_guideline = Some(cite(&field)),
            LabelledField::ReviewerGuideline => item.reviewer_guideline = Some(cite(&field)),
            LabelledField::Rationale => item.rationale = Some(field),
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
        missing("reviewer guideline line");
    }
    if item.rationale.is_none() {
        missing("decision rationale");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Samples and variants of item headers a regex would find tricky.
    fn header_samples() -> Vec<String> {
        crate::re::testing::samples_with(&[
            "1 MRI",
            "12. MRI",
            "123) X",
            "1234 X",
            "1.X",
            "1 .X",
            "1 . X",
            "1 .",
            "1  ",
            "1",
            "Issue 3: MRI",
            "ITEM 2) x",
            "Items 2 x",
            "issue3 x",
            "Issue  4 .  y",
            "1:\tX",
            "1\nX",
            "1 X\nY",
            "2 )",
            "7 ) Physical therapy",
            "42 - x",
            "0 x",
        ])
    }

    #[test]
    fn labels_are_told_apart_as_their_groups_tell_them() {
        let p = patterns();
        let mut matched = 0;
        let texts = crate::re::testing::samples_with(&[
            "Claims Administrator guideline: x",
            "MAXIMUS guideline: x",
            "Expert Reviewer guidelines: x",
            "Reviewer guideline: x",
            "Decision rationale: x",
            "Rationale for the Decision: x",
            "The Claims Administrator based its decision on x",
            "The Expert Reviewer based his/her decision on x",
        ]);
        for t in texts {
            let Some(c) = p.label.captures(&t) else {
                continue;
            };
            matched += 1;
            let key = c
                .get(1)
                .or_else(|| c.get(2))
                .unwrap()
                .as_str()
                .to_ascii_lowercase();
            let want = if key.starts_with("claims") {
                LabelledField::ClaimsGuideline
            } else if key.contains("guideline") || c.get(2).is_some() {
                LabelledField::ReviewerGuideline
            } else {
                LabelledField::Rationale
            };
            assert_eq!(label_field(c.get(0).unwrap().as_str()), want, "{t:?}");
        }
        assert!(matched > 30, "{matched}");
    }

    #[test]
    fn necessity_reads_not_as_the_group_does() {
        let p = patterns();
        for t in crate::re::testing::samples() {
            if let Some(c) = p.necessity.captures(&t) {
                let (_, _, d) = necessity(&t, 0).unwrap();
                assert_eq!(d == Decision::Upheld, c.get(1).is_some(), "{t:?}");
            }
        }
    }

    #[test]
    fn numbered_item_is_the_regex() {
        let re =
            crate::re::compile(r"(?i)^(?:(?:issue|item)\s+)?(\d{1,3})\s*[.):]?\s+(\S.*)$").unwrap();
        let mut matched = 0;
        for t in header_samples() {
            let want = re.captures(&t).map(|c| c.get(2).unwrap().start());
            matched += usize::from(want.is_some());
            assert_eq!(numbered_item(&t), want, "{t:?}");
        }
        assert!(matched > 50, "{matched}");
    }
    use crate::span::Span;

    #[test]
    fn decisions_in_words() {
        let f = |t: &str| Field::plain(t, Span::new(0, t.len()));
        let d = |t: &str| decision_in_words(&f(t)).map(|v| v.value);
        assert_eq!(
            d("The MRI is not medically necessary. The denial is upheld."),
            Some(Decision::Upheld)
        );
        assert_eq!(
            d("The request is medically necessary and appropriate."),
            Some(Decision::Overturned)
        );
        assert_eq!(
            d("Although the UR said it is not medically necessary, the denial is overturned."),
            Some(Decision::Overturned)
        );
        assert_eq!(d("No decision here."), None);
        assert_eq!(
            d("Overturned. The request is medically necessary."),
            Some(Decision::Overturned)
        );
    }
}
