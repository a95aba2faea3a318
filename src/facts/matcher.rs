//! Finding concept phrases in text: one Aho-Corasick automaton for every phrase of every
//! concept and for the first words of every pattern; one pass over a text finds the
//! phrases and where each pattern may start (see [`super::patterns`]).

use super::literals::fold_byte;
pub use super::literals::fold_bytes;
use super::patterns::{Ends, Pattern, PatternSet};
use super::scan::{StringSet, Trigrams};
use crate::fasthash::FastMap;
use crate::memo::LineMemo;
use crate::re::is_regex_word_byte;

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
    automaton: Option<StringSet>,
    /// For each automaton string: the concepts it is a phrase of, and the patterns it can
    /// start a match of.
    entries: Vec<Entry>,
    /// For each automaton string, which of its entry's lists are not empty ([`ENDS`],
    /// [`STARTS`], [`CONCEPTS`]).
    uses: Vec<u8>,
    patterns: PatternSet,
    /// For each pattern, the concepts it counts for.
    pattern_concepts: Vec<Vec<usize>>,
    /// For each pattern, whether it starts with `\b`.
    word_start: Vec<bool>,
    /// Tells this matcher's entries in the per-thread [`MEMO`] from another's.
    id: u64,
}

/// Bits of [`ConceptMatcher::uses`].
const ENDS: u8 = 1;
const STARTS: u8 = 2;
const CONCEPTS: u8 = 4;

#[derive(Debug, Default)]
struct Entry {
    concepts: Vec<usize>,
    starts: Vec<u32>,
    /// Patterns whose matches can end with this string.
    ends: Vec<u32>,
}

/// Which bytes each automaton string is of use after, as [`ConceptMatcher::find_with`]
/// reads its occurrences: a phrase only after a byte that is not part of a word, the
/// first word of a pattern that begins with `\b` only where the byte before and its own
/// first byte make a word boundary; where a string ends a pattern, after any byte.
struct Wanted {
    /// Per string: its [`ConceptMatcher::uses`] bits, with [`ANYWHERE`] and
    /// [`FIRST_IS_WORD`].
    flags: Vec<u8>,
}

/// Bits of [`Wanted::flags`]: of use after any byte (it ends a pattern, or starts one
/// that does not begin with `\b`); its first byte is a word byte.
const ANYWHERE: u8 = 8;
const FIRST_IS_WORD: u8 = 16;

impl Wanted {
    fn of(keys: &[Vec<u8>], entries: &[Entry], uses: &[u8], word_start: &[bool]) -> Self {
        let flags = keys
            .iter()
            .zip(entries)
            .zip(uses)
            .map(|((key, e), &u)| {
                let anywhere = u & ENDS != 0 || e.starts.iter().any(|&p| !word_start[p as usize]);
                let first_is_word = key.first().is_some_and(|&b| is_regex_word_byte(b));
                u | if anywhere { ANYWHERE } else { 0 }
                    | if first_is_word { FIRST_IS_WORD } else { 0 }
            })
            .collect();
        Wanted { flags }
    }

    /// Whether an occurrence of string `k` right after byte `before` may be used.
    fn after(&self, k: usize, before: u8) -> bool {
        let f = self.flags[k];
        f & ANYWHERE != 0
            || (f & CONCEPTS != 0 && !is_word_byte(before))
            || (f & STARTS != 0 && is_regex_word_byte(before) != (f & FIRST_IS_WORD != 0))
    }
}

/// Buffers of one [`ConceptMatcher::find`], kept per thread: a letter has a dozen texts.
#[derive(Default)]
struct Scratch {
    folded: Vec<u8>,
    candidates: Vec<(u32, u32)>,
    /// (automaton string, start, end) of each string that ends some pattern's matches:
    /// expanded into `ends` only for the patterns that have a candidate start (digits
    /// end many patterns and are frequent; few texts give those patterns a start).
    end_strings: Vec<(u32, u32, u32)>,
    /// For each pattern, whether it has a candidate start in the text.
    has_candidate: Vec<bool>,
    ends: Ends,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
    /// The hits of formulaic lines already searched on this thread (see
    /// [`crate::memo`]), by matcher.
    static MEMO: std::cell::RefCell<FastMap<u64, LineMemo<Box<[Hit]>>>> = Default::default();
}

/// Numbers matchers for [`MEMO`].
static NEXT_MATCHER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Lowercases ASCII and maps a hyphen to a space: same byte length, so offsets hold.
pub fn fold(text: &str) -> String {
    // Byte for byte: only ASCII bytes change, so multi-byte characters ("é", NBSP, the
    // replacement character of a lossy decode) keep their length and stay valid UTF-8.
    let bytes = fold_bytes(text.as_bytes());
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The form a phrase is matched in: folded ([`fold`]), trimmed, each run of white space
/// one space. Two phrases with the same key are the same phrase.
pub fn phrase_key(p: &str) -> String {
    let f = fold(p.trim());
    // A hyphen folds to a space, so the folded phrase can start or end with one.
    let single_spaced = !f.contains(|c: char| c.is_whitespace() && c != ' ')
        && !f.contains("  ")
        && !f.starts_with(' ')
        && !f.ends_with(' ');
    if single_spaced {
        return f;
    }
    f.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

impl ConceptMatcher {
    /// `phrases[i]` belongs to the concept set `owners[i]`, `patterns[i]` to
    /// `pattern_owners[i]`.
    pub fn build(
        phrases: Vec<(String, Vec<usize>)>,
        patterns: Vec<Pattern>,
        pattern_owners: Vec<Vec<usize>>,
    ) -> Result<Self, String> {
        let keyed = phrases
            .into_iter()
            .map(|(p, owners)| (phrase_key(&p), owners))
            .collect();
        Self::build_keyed(keyed, patterns, pattern_owners)
    }

    /// [`ConceptMatcher::build`] for phrases already in their [`phrase_key`] form (the rule
    /// loader makes the keys to find duplicates).
    pub fn build_keyed(
        phrases: Vec<(String, Vec<usize>)>,
        patterns: Vec<Pattern>,
        pattern_owners: Vec<Vec<usize>>,
    ) -> Result<Self, String> {
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: FastMap<Vec<u8>, usize> = FastMap::default();
        let mut entry = |key: Vec<u8>, keys: &mut Vec<Vec<u8>>, entries: &mut Vec<Entry>| {
            *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                entries.push(Entry::default());
                entries.len() - 1
            })
        };
        for (key, owners) in phrases {
            if key.is_empty() {
                continue;
            }
            let at = entry(key.into_bytes(), &mut keys, &mut entries);
            for o in owners {
                if !entries[at].concepts.contains(&o) {
                    entries[at].concepts.push(o);
                }
            }
        }
        for (i, p) in patterns.iter().enumerate() {
            for l in p.starts().unwrap_or_default() {
                let at = entry(l.clone(), &mut keys, &mut entries);
                entries[at].starts.push(i as u32);
            }
            for l in p.ends().unwrap_or_default() {
                let at = entry(l.clone(), &mut keys, &mut entries);
                entries[at].ends.push(i as u32);
            }
        }
        let uses: Vec<u8> = entries
            .iter()
            .map(|e| {
                let bit = |empty: bool, b| if empty { 0 } else { b };
                bit(e.ends.is_empty(), ENDS)
                    | bit(e.starts.is_empty(), STARTS)
                    | bit(e.concepts.is_empty(), CONCEPTS)
            })
            .collect();
        let word_start: Vec<bool> = patterns.iter().map(|p| p.word_start()).collect();
        let wanted = Wanted::of(&keys, &entries, &uses, &word_start);
        let automaton = if keys.is_empty() {
            None
        } else {
            Some(StringSet::new(keys)?.wanted_after(move |k, before| wanted.after(k, before)))
        };
        Ok(ConceptMatcher {
            automaton,
            entries,
            uses,
            patterns: PatternSet::new(patterns),
            pattern_concepts: pattern_owners,
            word_start,
            id: NEXT_MATCHER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// A matcher of phrases only.
    pub fn phrases_only(phrases: Vec<(String, Vec<usize>)>) -> Result<Self, String> {
        Self::build(phrases, Vec::new(), Vec::new())
    }

    /// Searches texts that `grams` covers with an automaton of only the strings that can
    /// occur in them (see [`StringSet::restrict_to`]).
    pub fn restrict_to(&self, grams: &Trigrams) {
        if let Some(ac) = &self.automaton {
            ac.restrict_to(grams);
        }
    }

    /// Compiles every pattern now; the sources of those that fail.
    pub fn compile_all_patterns(&self) -> Vec<&str> {
        self.patterns.compile_all()
    }

    /// Every whole-word match in `text`. A match contained in a longer match of the same
    /// concept is dropped ("red flag" inside "red flags for serious spinal pathology").
    pub fn find(&self, text: &str, out: &mut Vec<Hit>) {
        SCRATCH.with_borrow_mut(|scratch| self.find_with(text, out, scratch));
    }

    /// [`ConceptMatcher::find`] for a formulaic line (a request, a guideline line), which
    /// a batch repeats: its hits are remembered on this thread.
    pub fn find_formulaic(&self, text: &str, out: &mut Vec<Hit>) {
        MEMO.with_borrow_mut(|memo| {
            let search = || {
                let mut hits = Vec::new();
                self.find(text, &mut hits);
                hits.into_boxed_slice()
            };
            memo.entry(self.id)
                .or_default()
                .read(text, search, |hits| out.extend_from_slice(hits));
        });
    }

    fn find_with(&self, text: &str, out: &mut Vec<Hit>, scratch: &mut Scratch) {
        let start_len = out.len();
        let Scratch {
            folded,
            candidates,
            end_strings,
            has_candidate,
            ends,
        } = scratch;
        folded.clear();
        folded.extend(text.bytes().map(fold_byte));
        candidates.clear();
        end_strings.clear();
        ends.clear();
        let bytes = &folded[..];
        if let Some(ac) = &self.automaton {
            ac.for_each(bytes, |id, s, e| {
                // Most occurrences come to nothing (a short word inside a longer one);
                // the uses are read from a small table first, the entry only when needed.
                let uses = self.uses[id];
                if uses & ENDS != 0 {
                    end_strings.push((id as u32, s as u32, e as u32));
                }
                if uses & STARTS != 0 {
                    let entry = &self.entries[id];
                    // Most patterns begin with `\b`: a start inside a word (the "3" of
                    // "2013") cannot match, and digits and short words are frequent.
                    let boundary =
                        (s > 0 && is_regex_word_byte(bytes[s - 1])) != is_regex_word_byte(bytes[s]);
                    for &p in &entry.starts {
                        if boundary || !self.word_start[p as usize] {
                            candidates.push((p, s as u32));
                        }
                    }
                }
                if uses & CONCEPTS == 0 {
                    return;
                }
                let before_ok = s == 0 || !is_word_byte(bytes[s - 1]);
                let after_ok = e == bytes.len() || !is_word_byte(bytes[e]);
                if before_ok && after_ok {
                    for &c in &self.entries[id].concepts {
                        out.push(Hit {
                            concept: c,
                            start: s,
                            end: e,
                        });
                    }
                }
            });
        }
        if !candidates.is_empty() {
            has_candidate.clear();
            has_candidate.resize(self.patterns.len(), false);
            for &(p, _) in candidates.iter() {
                has_candidate[p as usize] = true;
            }
            for &(id, s, e) in end_strings.iter() {
                for &p in &self.entries[id as usize].ends {
                    if has_candidate[p as usize] {
                        self.patterns.note_end(ends, p, s, e);
                    }
                }
            }
            self.patterns.keep_possible(candidates, ends);
        }
        self.patterns
            .find(text.as_bytes(), candidates, |p, start, end| {
                // Byte-level patterns may stop inside a multi-byte character.
                let (mut start, mut end) = (start, end);
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                if start == end {
                    return;
                }
                for &c in &self.pattern_concepts[p] {
                    out.push(Hit {
                        concept: c,
                        start,
                        end,
                    });
                }
            });
        let new = &mut out[start_len..];
        // Keys hold every field of a hit, so an unstable sort orders as a stable one would.
        new.sort_unstable_by_key(|h| (h.concept, h.start, std::cmp::Reverse(h.end)));
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
        kept.sort_unstable_by_key(|h| (h.start, h.end, h.concept));
        out.truncate(start_len);
        out.extend(kept);
    }
}

#[cfg(test)]
mod fold_tests {
    #[test]
    fn a_phrase_key_is_folded_and_single_spaced() {
        for (phrase, key) in [
            ("Low Back", "low back"),
            ("  straight-leg   raise\t", "straight leg raise"),
            ("-itis-", "itis"),
            ("x-ray", "x ray"),
            ("caf\u{e9}\u{a0}au lait", "caf\u{e9} au lait"),
            ("", ""),
        ] {
            assert_eq!(super::phrase_key(phrase), key, "{phrase:?}");
        }
    }

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
        let m = ConceptMatcher::phrases_only(vec![
            ("red flag".into(), vec![0]),
            ("red flags".into(), vec![0]),
            ("straight leg raise".into(), vec![1]),
            ("x-ray".into(), vec![2]),
        ])
        .unwrap();
        let mut hits = Vec::new();
        m.find(
            "No Red Flags; positive straight-leg raise; X-RAYS; xray",
            &mut hits,
        );
        let got: Vec<_> = hits.iter().map(|h| (h.concept, h.start, h.end)).collect();
        assert_eq!(got, vec![(0, 3, 12), (1, 23, 41)]);
    }

    /// Short phrases and pattern words inside longer words ("he" in "the", "12" in
    /// "2012") are found, or not, the same before and after a long batch switches the
    /// phrase automaton to its DFA, which leaves out some of them early.
    #[test]
    fn what_is_found_does_not_change_when_the_automaton_becomes_a_dfa() {
        let patterns = [
            r"\b\d+\s*visits?\b",
            r"sessions?\s*x\s*\d+",
            r"\bfollow\s+up\s+on\s+\d+",
        ]
        .into_iter()
        .map(|p| Pattern::check(p, 1 << 20).unwrap())
        .collect();
        let m = ConceptMatcher::build(
            vec![
                ("he".into(), vec![0]),
                ("her".into(), vec![0]),
                ("the injured worker".into(), vec![1]),
                ("not".into(), vec![2]),
                ("ot".into(), vec![3]),
                ("said he was".into(), vec![6]),
                ("a follow up".into(), vec![7]),
            ],
            patterns,
            vec![vec![4], vec![5], vec![8]],
        )
        .unwrap();
        let texts = [
            "The injured worker said he had 12 visits; other notes: her 2012 visit, 3visits.",
            "Further sessions x6 and 8 sessions x 2 in 2012visits; he, the other, not hot.",
            "she went there; PT 10 visit; 1x2 visits; a follow up on 3 May, unfollow up on 4 June",
        ];
        let find = |t: &str| {
            let mut hits = Vec::new();
            m.find(t, &mut hits);
            hits.iter()
                .map(|h| (h.concept, h.start, h.end))
                .collect::<Vec<_>>()
        };
        let want: Vec<_> = texts.iter().map(|t| find(t)).collect();
        assert_eq!(
            want[0].iter().filter(|h| h.0 == 0).count(),
            2,
            "\"he\" and \"her\" as words: {:?}",
            want[0]
        );
        for concept in [4, 5, 8] {
            assert!(want.iter().flatten().any(|h| h.0 == concept), "{concept}");
        }
        for i in 0..super::super::scan::DFA_AFTER as usize + 10 {
            assert_eq!(find(texts[i % 3]), want[i % 3], "search {i}");
        }
    }

    /// A remembered line gives what a search gives, appended after what `out` holds, and
    /// another matcher's hits for the same line are its own.
    #[test]
    fn formulaic_lines_are_remembered_per_matcher() {
        let lumbar = ConceptMatcher::phrases_only(vec![("lumbar spine".into(), vec![0])]).unwrap();
        let mri = ConceptMatcher::phrases_only(vec![("mri".into(), vec![0])]).unwrap();
        let line = "MRI of the lumbar spine";
        let found = |m: &ConceptMatcher| {
            let mut hits = vec![Hit {
                concept: 9,
                start: 0,
                end: 0,
            }];
            m.find_formulaic(line, &mut hits);
            hits
        };
        for _ in 0..2 {
            let mut want = vec![Hit {
                concept: 9,
                start: 0,
                end: 0,
            }];
            lumbar.find(line, &mut want);
            assert_eq!(found(&lumbar), want);
            assert_eq!(
                want[1..],
                [Hit {
                    concept: 0,
                    start: 11,
                    end: 23
                }]
            );
            assert_eq!(
                found(&mri)[1..],
                [Hit {
                    concept: 0,
                    start: 0,
                    end: 3
                }]
            );
        }
    }
}
