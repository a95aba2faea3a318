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

/// Whether a line opens a labelled item field.
pub fn is_label(text: &str) -> bool {
    patterns().label.is_match(text)
}

/// The first "is (not) medically necessary" in `text[from..]`: byte range and decision.
pub fn necessity(text: &str, from: usize) -> Option<(usize, usize, Decision)> {
    let c = patterns().necessity.captures(text.get(from..)?)?;
    let m = c.get(0).unwrap();
    let d = if c.get(1).is_some() {
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
        joined: Some(joined.slice(s, e)),
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
        let Some(label) = p.label.captures(&joined.text) else {
            continue;
        };
        let key = label
            .get(1)
            .or_else(|| label.get(2))
            .map(|m| m.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        let is_sentence = label.get(2).is_some();
        let Some(field) = sub_field(&joined, label.get(0).unwrap().end(), joined.text.len()) else {
            continue;
        };
        if key.starts_with("claims") {
            item.claims_guideline = Some(cite(&field));
        } else if key.contains("guideline") || is_sentence {
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
        missing("reviewer guideline line");
    }
    if item.rationale.is_none() {
        missing("decision rationale");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
