//! Scoring the context engine on NegEx-style annotation files.
//!
//! Input rows are `report<TAB>concept<TAB>sentence[<TAB>label]` (an optional header line whose
//! first column is `report` is skipped); labels are `Negated` or `Affirmed`. Each row's concept is
//! located in its sentence (see [`locate_concept`]), assessed with the engine, and printed as
//! `report<TAB>concept<TAB>Affirmed|Negated`. `Negated` and `Resolved` statuses print as
//! `Negated`, every other status as `Affirmed`.

use crate::facts::context::{ContextEngine, Status};
use std::ops::Range;

/// Scores for the `Negated` class over the labelled rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Labelled rows scored.
    pub rows: usize,
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// One parsed input row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertRow<'a> {
    /// 1-based line number in the input.
    pub line: usize,
    pub report: &'a str,
    pub concept: &'a str,
    pub sentence: &'a str,
    /// `Some(true)` for `Negated`, `Some(false)` for `Affirmed`.
    pub negated: Option<bool>,
}

/// Parses the rows of an annotation file.
pub fn parse_assert_tsv(input: &str) -> Result<Vec<AssertRow<'_>>, String> {
    let mut rows = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line_no = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if rows.is_empty() && i == 0 && cols[0].trim().eq_ignore_ascii_case("report") {
            continue;
        }
        if cols.len() < 3 {
            return Err(format!(
                "line {line_no}: expected report<TAB>concept<TAB>sentence[<TAB>label], found {} column(s)",
                cols.len()
            ));
        }
        let negated = match cols.get(3).map(|l| l.trim()) {
            None | Some("") => None,
            Some(l) if l.eq_ignore_ascii_case("negated") => Some(true),
            Some(l) if l.eq_ignore_ascii_case("affirmed") => Some(false),
            Some(l) => {
                return Err(format!(
                    "line {line_no}: unknown label '{l}' (expected Negated or Affirmed)"
                ))
            }
        };
        rows.push(AssertRow {
            line: line_no,
            report: cols[0],
            concept: cols[1],
            sentence: cols[2],
            negated,
        });
    }
    Ok(rows)
}

/// Whether a status counts as `Negated` in NegEx terms.
pub fn is_negated(status: Status) -> bool {
    matches!(status, Status::Negated | Status::Resolved)
}

/// Assesses every row, writes one output line per row and returns the scores when labels are
/// present (computed over the labelled rows).
pub fn run_assert_tsv(
    engine: &ContextEngine,
    input: &str,
    out: &mut impl std::io::Write,
) -> Result<Option<Scores>, String> {
    let rows = parse_assert_tsv(input)?;
    let (mut tp, mut fp, mut tn, mut fneg) = (0usize, 0usize, 0usize, 0usize);
    for row in &rows {
        let target = locate_concept(row.sentence, row.concept);
        let status = engine.assess(row.sentence, std::slice::from_ref(&target))[0].status;
        let pred = is_negated(status);
        writeln!(
            out,
            "{}\t{}\t{}",
            row.report,
            row.concept,
            if pred { "Negated" } else { "Affirmed" }
        )
        .map_err(|e| format!("cannot write output: {e}"))?;
        match (row.negated, pred) {
            (Some(true), true) => tp += 1,
            (Some(true), false) => fneg += 1,
            (Some(false), true) => fp += 1,
            (Some(false), false) => tn += 1,
            (None, _) => {}
        }
    }
    let n = tp + fp + tn + fneg;
    if n == 0 {
        return Ok(None);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fneg);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Ok(Some(Scores {
        rows: n,
        accuracy: ratio(tp + tn, n),
        precision,
        recall,
        f1,
    }))
}

/// Lowercased copy of `s` with whitespace runs collapsed to one space, and for each byte of
/// the copy the byte offset of the original character it came from.
fn fold(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut in_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                map.push(i);
            }
            in_space = true;
            continue;
        }
        in_space = false;
        for l in c.to_lowercase() {
            let before = out.len();
            out.push(l);
            map.extend(std::iter::repeat_n(i, out.len() - before));
        }
    }
    map.push(s.len());
    (out, map)
}

/// Finds `concept` in `sentence`: case-insensitively, with whitespace runs normalised. When it
/// occurs several times, an occurrence on word boundaries and written in capitals (the kit's
/// annotation convention) is preferred. Falls back to the longest concept word found, then to an
/// empty range at the end of the sentence.
pub fn locate_concept(sentence: &str, concept: &str) -> Range<usize> {
    let end = sentence.trim_end().len();
    let concept = concept.trim();
    if concept.is_empty() {
        return end..end;
    }
    let (hay, map) = fold(sentence);
    let (needle, _) = fold(concept);
    if let Some(r) = best_occurrence(sentence, &hay, &map, &needle) {
        return r;
    }
    let mut words: Vec<&str> = needle
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for w in words {
        if let Some(r) = best_occurrence(sentence, &hay, &map, w) {
            return r;
        }
    }
    end..end
}

fn best_occurrence(sentence: &str, hay: &str, map: &[usize], needle: &str) -> Option<Range<usize>> {
    if needle.is_empty() {
        return None;
    }
    let mut best: Option<(u8, Range<usize>)> = None;
    let mut from = 0;
    while let Some(p) = hay[from..].find(needle) {
        let s = from + p;
        let e = s + needle.len();
        from = s + needle.chars().next().map_or(1, |c| c.len_utf8());
        let os = map[s];
        let oe = map[e - 1]
            + sentence[map[e - 1]..]
                .chars()
                .next()
                .map_or(0, |c| c.len_utf8());
        let bounded = !hay[..s]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric())
            && !hay[e..].chars().next().is_some_and(|c| c.is_alphanumeric());
        let text = &sentence[os..oe];
        let caps =
            text.chars().any(|c| c.is_uppercase()) && !text.chars().any(|c| c.is_lowercase());
        // A heading label ("ALLERGIES:") is not the annotated mention.
        let label = hay[e..].trim_start().starts_with(':');
        let score = u8::from(bounded) * 4 + u8::from(caps) * 2 + u8::from(!label);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, os..oe));
        }
        if from >= hay.len() {
            break;
        }
    }
    best.map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_prefers_capitalised_word_bounded_occurrence() {
        let s = "Pain in the back.  Denies BACK   PAIN.";
        let r = locate_concept(s, " back pain ");
        assert_eq!(&s[r], "BACK   PAIN");
        let s = "No pericardial effusion is seen.";
        assert_eq!(
            &s[locate_concept(s, "Pericardial  Effusion")],
            "pericardial effusion"
        );
        let s = "Neck:  Supple.";
        assert_eq!(
            &s[locate_concept(s, "Neck:  Supple.  No lymphadenopathy")],
            "Supple"
        );
        let s = "Nothing relevant here.";
        let r = locate_concept(s, "zzz qqq");
        assert_eq!(r, s.len()..s.len());
    }

    #[test]
    fn runs_rows_and_scores() {
        let yaml = "triggers:\n  - category: negated\n    phrases: [no, denies]\n  - category: resolved\n    direction: backward\n    phrases: [resolved]\n";
        let section: crate::facts::context::ContextSection = serde_yaml::from_str(yaml).unwrap();
        let engine = ContextEngine::compile(&[&section]).unwrap();
        let input = "report\tconcept\tsentence\tlabel\n1\tfever\tNo FEVER.\tNegated\n1\tcough\tHas COUGH.\tAffirmed\n2\trash \tRASH resolved.\tNegated\n3\tpain\tDenies nothing about PAIN.\tAffirmed\n";
        let mut out = Vec::new();
        let scores = run_assert_tsv(&engine, input, &mut out).unwrap().unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "1\tfever\tNegated\n1\tcough\tAffirmed\n2\trash \tNegated\n3\tpain\tNegated\n"
        );
        assert_eq!(scores.rows, 4);
        assert!((scores.accuracy - 0.75).abs() < 1e-9);
        assert!((scores.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((scores.recall - 1.0).abs() < 1e-9);
        let mut out = Vec::new();
        assert_eq!(
            run_assert_tsv(&engine, "1\tx\tNo x.\n", &mut out).unwrap(),
            None
        );
        assert!(run_assert_tsv(&engine, "1\tx\n", &mut out)
            .unwrap_err()
            .contains("line 1"));
        assert!(run_assert_tsv(&engine, "1\tx\ty\tmaybe\n", &mut out).is_err());
    }
}
