//! Finding concept phrases in text: one Aho-Corasick automaton for every phrase of
//! every concept, plus the few regex patterns, all built once per run.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta::Regex;

/// A concept match in a text: byte range and concept index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub concept: usize,
    pub start: usize,
    pub end: usize,
}

/// Compiled phrase and pattern matcher.
#[derive(Debug)]
pub struct ConceptMatcher {
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the concepts it counts for.
    phrase_concepts: Vec<Vec<usize>>,
    patterns: Vec<(Regex, Vec<usize>)>,
}

/// Lowercases ASCII and maps a hyphen to a space: same byte length, so offsets hold.
pub fn fold(text: &str) -> String {
    // Byte for byte: only ASCII bytes change, so multi-byte characters ("é", NBSP, the
    // replacement character of a lossy decode) keep their length and stay valid UTF-8.
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| match b {
            b'-' => b' ',
            b => b.to_ascii_lowercase(),
        })
        .collect();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn fold_phrase(p: &str) -> String {
    let f = fold(p.trim());
    f.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

impl ConceptMatcher {
    /// `phrases[i]` and `patterns[i]` belong to the concept set `owners[i]`.
    pub fn build(
        phrases: Vec<(String, Vec<usize>)>,
        patterns: Vec<(Regex, Vec<usize>)>,
    ) -> Result<Self, String> {
        let mut uniq: Vec<String> = Vec::new();
        let mut phrase_concepts: Vec<Vec<usize>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for (p, owners) in phrases {
            let key = fold_phrase(&p);
            if key.is_empty() {
                continue;
            }
            let at = *index.entry(key.clone()).or_insert_with(|| {
                uniq.push(key);
                phrase_concepts.push(Vec::new());
                uniq.len() - 1
            });
            for o in owners {
                if !phrase_concepts[at].contains(&o) {
                    phrase_concepts[at].push(o);
                }
            }
        }
        let automaton = if uniq.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .match_kind(MatchKind::Standard)
                    .build(&uniq)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(ConceptMatcher {
            automaton,
            phrase_concepts,
            patterns,
        })
    }

    /// Every whole-word match in `text`. A match contained in a longer match of the same
    /// concept is dropped ("red flag" inside "red flags for serious spinal pathology").
    pub fn find(&self, text: &str, out: &mut Vec<Hit>) {
        let start_len = out.len();
        let folded = fold(text);
        let bytes = folded.as_bytes();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(&folded) {
                let (s, e) = (m.start(), m.end());
                let before_ok = s == 0 || !is_word_byte(bytes[s - 1]);
                let after_ok = e == bytes.len() || !is_word_byte(bytes[e]);
                if before_ok && after_ok {
                    for &c in &self.phrase_concepts[m.pattern().as_usize()] {
                        out.push(Hit {
                            concept: c,
                            start: s,
                            end: e,
                        });
                    }
                }
            }
        }
        for (re, owners) in &self.patterns {
            for m in re.find_iter(text.as_bytes()) {
                let m = m.range();
                // Byte-level patterns may stop inside a multi-byte character.
                let (mut start, mut end) = (m.start, m.end);
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                if start == end {
                    continue;
                }
                for &c in owners {
                    out.push(Hit {
                        concept: c,
                        start,
                        end,
                    });
                }
            }
        }
        let new = &mut out[start_len..];
        new.sort_by_key(|h| (h.concept, h.start, std::cmp::Reverse(h.end)));
        let mut kept: Vec<Hit> = Vec::with_capacity(new.len());
        for h in new.iter() {
            let contained = kept
                .iter()
                .rev()
                .take_while(|k| k.concept == h.concept)
                .any(|k| k.start <= h.start && h.end <= k.end);
            if !contained {
                kept.push(*h);
            }
        }
        kept.sort_by_key(|h| (h.start, h.end, h.concept));
        out.truncate(start_len);
        out.extend(kept);
    }
}

/// Compiles a concept pattern: ASCII semantics, case-insensitive, only the implicit match group, no
/// literal prefilter. That builds several times faster than a default `regex::Regex`, which
/// keeps loading the pack within a few milliseconds; the texts searched are short.
pub fn compile_pattern(pattern: &str, size_limit: usize) -> Result<Regex, String> {
    use regex_automata::{meta, nfa::thompson, util::syntax};
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .auto_prefilter(false)
                .which_captures(thompson::WhichCaptures::Implicit)
                .nfa_size_limit(Some(size_limit))
                .hybrid_cache_capacity(2 * (1 << 20)),
        )
        .syntax(
            syntax::Config::new()
                .case_insensitive(true)
                .unicode(false)
                .utf8(false),
        )
        .build(pattern)
        .map_err(|e| match e.syntax_error() {
            Some(se) => se.to_string(),
            None if e.size_limit().is_some() => {
                format!("the pattern compiles to an automaton larger than the {} KiB limit; simplify its repetitions", size_limit >> 10)
            }
            None => {
                let cause = std::error::Error::source(&e).map(|c| format!(": {c}")).unwrap_or_default();
                format!("{e}{cause}")
            }
        })
}

#[cfg(test)]
mod fold_tests {
    #[test]
    fn fold_keeps_byte_offsets_of_non_ascii_text() {
        let t = "Caf\u{e9} pain\u{a0}\u{fffd} Low-Back";
        let f = super::fold(t);
        assert_eq!(f.len(), t.len());
        assert_eq!(&f[f.len() - 8..], "low back");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_case_and_hyphen_insensitive_longest_per_concept() {
        let m = ConceptMatcher::build(
            vec![
                ("red flag".into(), vec![0]),
                ("red flags".into(), vec![0]),
                ("straight leg raise".into(), vec![1]),
                ("x-ray".into(), vec![2]),
            ],
            vec![],
        )
        .unwrap();
        let mut hits = Vec::new();
        m.find(
            "No Red Flags; positive straight-leg raise; X-RAYS; xray",
            &mut hits,
        );
        let got: Vec<_> = hits.iter().map(|h| (h.concept, h.start, h.end)).collect();
        assert_eq!(got, vec![(0, 3, 12), (1, 23, 41)]);
    }
}
