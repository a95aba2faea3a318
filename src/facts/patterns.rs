//! Concept patterns (regular expressions), searched the cheap way. Most patterns can only
//! begin with one of a few words ("MRI", "x-ray", "underwent"): those words join the phrase
//! automaton's single pass over the text, and a pattern runs, anchored, only where one of
//! its words occurs. All patterns share one lazy DFA, so loading a pack compiles one
//! automaton instead of a full regex per pattern. A pattern that can begin anywhere
//! (`(?:\w+\s+){0,3}x`) is searched in full, as before.

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{meta, Anchored, Input, MatchKind, PatternID};
use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::Hir;
use std::sync::{Arc, OnceLock};

/// Per-thread lazy DFA caches.
type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>;

/// Bytes of lazy-DFA states each worker thread may keep.
const CACHE_BYTES: usize = 8 << 20;

/// A parsed pattern: its syntax tree and the literals one of which every match starts with
/// (lowercase), or `None` when a match can start anywhere.
pub struct ParsedPattern {
    source: String,
    hir: Hir,
    starts: Option<Vec<Vec<u8>>>,
}

/// Reads a pattern the way every concept pattern is read: ASCII classes and case folding
/// (letters are normalised to ASCII), matching bytes.
fn read(pattern: &str, case_insensitive: bool) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

/// Parses a pattern; the error is the parser's own message with its caret line.
pub fn parse(pattern: &str) -> Result<ParsedPattern, String> {
    let hir = read(pattern, true)?;
    // The starting literals are read from the case-sensitive reading of the pattern and
    // matched without regard to case: with case folding on, every letter would be a
    // two-letter class and the literal sets would explode.
    let starts = read(pattern, false)
        .ok()
        .and_then(|cased| start_literals(&cased));
    Ok(ParsedPattern {
        source: pattern.to_string(),
        hir,
        starts,
    })
}

/// The lowercase literals one of which begins every match, with none a prefix of another;
/// `None` if some match can begin with anything.
fn start_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().extract(hir);
    let lits = seq.literals()?;
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for l in lits {
        if l.as_bytes().is_empty() {
            return None;
        }
        // A literal is cut before any whitespace but a plain space: `\s` would spell every
        // word once per whitespace byte, and a shorter start is as good an anchor.
        let bytes = l.as_bytes();
        let cut = bytes
            .iter()
            .position(|b| b.is_ascii_whitespace() && *b != b' ')
            .unwrap_or(bytes.len());
        if cut == 0 {
            return None;
        }
        out.push(super::matcher::fold_bytes(&bytes[..cut]));
    }
    out.sort();
    out.dedup();
    // A literal that extends a shorter one adds no start position.
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(out.len());
    for l in out {
        if !kept.last().is_some_and(|k| l.starts_with(k)) {
            kept.push(l);
        }
    }
    Some(kept)
}

/// The compiled patterns.
pub struct PatternSet {
    anchored: Option<(Arc<DFA>, CachePool)>,
    /// For each pattern, its index in the DFA, or the full regex it is searched with.
    engines: Vec<Engine>,
    /// For each anchored pattern, its number in the DFA.
    dfa_index: Vec<usize>,
    sources: Vec<String>,
    /// Full regexes for the rare anchored search the lazy DFA declines.
    fallback: Vec<OnceLock<Option<meta::Regex>>>,
}

enum Engine {
    Anchored,
    Unanchored(Box<meta::Regex>),
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternSet")
            .field("patterns", &self.sources)
            .finish()
    }
}

/// The error of one pattern, by its index.
pub type PatternError = (usize, String);

fn size_message(limit: usize) -> String {
    format!(
        "the pattern compiles to an automaton larger than the {} KiB limit; simplify its repetitions",
        limit >> 10
    )
}

fn nfa_config(limit: usize) -> thompson::Config {
    thompson::Config::new()
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(limit))
}

/// A full regex for a pattern that can start anywhere.
fn full_regex(p: &ParsedPattern, limit: usize) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .auto_prefilter(false)
                .which_captures(WhichCaptures::Implicit)
                .nfa_size_limit(Some(limit))
                .hybrid_cache_capacity(2 << 20),
        )
        .build_from_hir(&p.hir)
        .map_err(|e| {
            if e.size_limit().is_some() {
                size_message(limit)
            } else {
                e.to_string()
            }
        })
}

impl PatternSet {
    /// Compiles parsed patterns; `limit` bounds each pattern's automaton in bytes.
    pub fn build(patterns: &[ParsedPattern], limit: usize) -> Result<Self, Vec<PatternError>> {
        let mut errors = Vec::new();
        let mut engines = Vec::with_capacity(patterns.len());
        let mut anchored_hirs: Vec<&Hir> = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            if p.starts.is_some() {
                anchored_hirs.push(&p.hir);
                engines.push(Engine::Anchored);
            } else {
                match full_regex(p, limit) {
                    Ok(re) => engines.push(Engine::Unanchored(Box::new(re))),
                    Err(e) => {
                        errors.push((i, e));
                        engines.push(Engine::Anchored);
                    }
                }
            }
        }
        let anchored = if anchored_hirs.is_empty() {
            None
        } else {
            let total = limit.saturating_mul(anchored_hirs.len());
            match Self::build_dfa(&anchored_hirs, total) {
                Ok(dfa) => Some(dfa),
                Err(_) => {
                    // Name the pattern that is too big; one at a time is slower but only
                    // happens on this error path.
                    let mut named = false;
                    for (i, p) in patterns.iter().enumerate() {
                        if p.starts.is_some()
                            && thompson::Compiler::new()
                                .configure(nfa_config(limit))
                                .build_from_hir(&p.hir)
                                .is_err()
                        {
                            errors.push((i, size_message(limit)));
                            named = true;
                        }
                    }
                    if !named {
                        let last = patterns.len() - 1;
                        errors.push((last, "together, the patterns compile to too large an automaton; simplify their repetitions".into()));
                    }
                    None
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // Patterns read anchored are numbered in the DFA in the order they were given.
        let mut dfa_index = vec![usize::MAX; engines.len()];
        let mut next = 0;
        for (i, e) in engines.iter().enumerate() {
            if matches!(e, Engine::Anchored) {
                dfa_index[i] = next;
                next += 1;
            }
        }
        Ok(PatternSet {
            anchored,
            engines,
            dfa_index,
            sources: patterns.iter().map(|p| p.source.clone()).collect(),
            fallback: patterns.iter().map(|_| OnceLock::new()).collect(),
        })
    }

    fn build_dfa(hirs: &[&Hir], limit: usize) -> Result<(Arc<DFA>, CachePool), String> {
        let nfa = thompson::Compiler::new()
            .configure(nfa_config(limit))
            .build_many_from_hir(hirs)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .starts_for_each_pattern(true)
                    .cache_capacity(CACHE_BYTES)
                    .skip_cache_capacity_check(true),
            )
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let dfa = Arc::new(dfa);
        let for_pool = Arc::clone(&dfa);
        let pool: CachePool = Pool::new(Box::new(move || for_pool.create_cache()));
        Ok((dfa, pool))
    }

    pub fn is_empty(&self) -> bool {
        self.engines.is_empty()
    }

    /// Finds every match of every pattern in `text`, as `find_iter` would (leftmost-first,
    /// not overlapping), given the positions where each anchored pattern's starting
    /// literals occur: `candidates` holds (pattern, start) pairs and is consumed.
    pub fn find(
        &self,
        text: &[u8],
        candidates: &mut Vec<(u32, u32)>,
        mut emit: impl FnMut(usize, usize, usize),
    ) {
        if let Some((dfa, pool)) = &self.anchored {
            candidates.sort_unstable();
            candidates.dedup();
            let mut cache = pool.get();
            let mut last: (u32, usize) = (u32::MAX, 0);
            for &(pattern, start) in candidates.iter() {
                let start = start as usize;
                if last.0 == pattern && start < last.1 {
                    continue;
                }
                let p = pattern as usize;
                let input = Input::new(text)
                    .range(start..)
                    .anchored(Anchored::Pattern(PatternID::must(self.dfa_index[p])));
                let end = match dfa.try_search_fwd(&mut cache, &input) {
                    Ok(m) => m.map(|m| m.offset()),
                    Err(_) => self.fallback_search(p, text, start),
                };
                if let Some(end) = end {
                    if end > start {
                        emit(p, start, end);
                        last = (pattern, end);
                    }
                }
            }
        }
        candidates.clear();
        for (i, e) in self.engines.iter().enumerate() {
            if let Engine::Unanchored(re) = e {
                for m in re.find_iter(text) {
                    emit(i, m.start(), m.end());
                }
            }
        }
    }

    fn fallback_search(&self, p: usize, text: &[u8], start: usize) -> Option<usize> {
        let re = self.fallback[p]
            .get_or_init(|| {
                parse(&self.sources[p])
                    .ok()
                    .and_then(|pp| full_regex(&pp, usize::MAX).ok())
            })
            .as_ref()?;
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        re.search(&input).map(|m| m.end())
    }

    /// Each anchored pattern's starting literals, by pattern index.
    pub fn start_literals(patterns: &[ParsedPattern]) -> Vec<(usize, &[Vec<u8>])> {
        patterns
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.starts.as_deref().map(|s| (i, s)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the set the way the matcher does: candidates from a naive scan for each start
    /// literal.
    fn run(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let parsed: Vec<ParsedPattern> = patterns.iter().map(|p| parse(p).unwrap()).collect();
        let set = PatternSet::build(&parsed, 1 << 20).unwrap();
        let folded = super::super::matcher::fold_bytes(text.as_bytes());
        let mut cands = Vec::new();
        for (i, lits) in PatternSet::start_literals(&parsed) {
            for l in lits {
                for s in 0..folded.len() {
                    if folded[s..].starts_with(l) {
                        cands.push((i as u32, s as u32));
                    }
                }
            }
        }
        let mut out = Vec::new();
        set.find(text.as_bytes(), &mut cands, |p, s, e| out.push((p, s, e)));
        out.sort();
        out
    }

    /// What a plain regex finds, for comparison.
    fn reference(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let re = regex::bytes::RegexBuilder::new(p)
                .case_insensitive(true)
                .unicode(false)
                .build()
                .unwrap();
            for m in re.find_iter(text.as_bytes()) {
                if m.end() > m.start() {
                    out.push((i, m.start(), m.end()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn anchored_search_finds_what_a_full_search_finds() {
        let patterns = [
            r"\b(?:MRI|x-?rays?)\s+(?:dated|performed|on\s+\d)",
            r"\bpain\b[^.;]{0,40}?\b\d{1,2}\s*/\s*10\b",
            r"\b(?:[5-9]\d|100)\s*(?:%|percent)\s+relief",
            r"(?:decreased|diminished)\s+sensation\b[^.;]{0,30}?\bL[45]\b",
            r"\b(?:\w+\s+){0,2}?sessions",
            r"\bon\b[^.;]{0,20}?\bnorco\b",
        ];
        let text =
            "Prior MRI dated 1/2/2020 and X-RAY performed on 3/3. Pain is 7/10, pain 8 / 10 \
                    and pain at 9/10 today; 60% relief; 100 percent relief; 49% relief. \
                    Decreased sensation in the L5 dermatome; diminished sensation at L4. \
                    Six therapy sessions. He is on Norco daily, on norco. mri on 5";
        let got = run(&patterns, text);
        assert_eq!(got, reference(&patterns, text));
        assert!(got.len() >= 10, "{got:?}");
    }

    #[test]
    fn matches_do_not_overlap_within_a_pattern() {
        let patterns = [r"\bpain\b[^.;]{0,40}?\bpain\b"];
        let text = "pain then pain then pain then pain.";
        assert_eq!(run(&patterns, text), reference(&patterns, text));
    }

    #[test]
    fn start_literals_are_lowercase_and_minimal() {
        let p = parse(r"\b(?:MRI|MRIs|x-?rays?|CT(?:\s+scan)?)\s+dated").unwrap();
        let lits: Vec<String> = p
            .starts
            .unwrap()
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        assert!(lits.contains(&"mri".to_string()), "{lits:?}");
        assert!(!lits.contains(&"mris".to_string()), "{lits:?}");
        assert!(lits.contains(&"ct".to_string()), "{lits:?}");
        assert!(parse(r"(?:\w+\s+){0,3}?x").unwrap().starts.is_none());
    }

    #[test]
    fn a_huge_pattern_is_named() {
        let parsed = vec![
            parse(r"\bfine\b").unwrap(),
            parse(r"\bx(?:\w{500}){500}").unwrap(),
        ];
        let errs = PatternSet::build(&parsed, 1 << 20).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, 1);
        assert!(errs[0].1.contains("1024 KiB"), "{}", errs[0].1);
    }
}
