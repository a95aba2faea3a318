//! Concept patterns (regular expressions), searched the cheap way. Most patterns can only
//! begin with one of a few words ("MRI", "x-ray", "underwent"): those words join the phrase
//! automaton's single pass over the text, and a pattern runs, anchored, only where one of
//! its words occurs. A pattern that can begin anywhere (`(?:\w+\s+){0,3}x`) is searched in
//! full. Each pattern is compiled the first time it is needed: a one-letter run compiles
//! only the patterns whose words occur in that letter.

use super::hir_code;
use super::literals::{anchors, anchors_folded, read, Anchors};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
use regex_automata::{meta, Anchored, Input, MatchKind};
use regex_syntax::hir::Hir;
use std::sync::OnceLock;

/// Bytes of lazy-DFA states each worker thread may keep per pattern.
const CACHE_BYTES: usize = 1 << 20;

/// A pattern ready to be compiled: its source and its [`Anchors`] (the folded literals one
/// of which every match starts with, or `None` when a match can start anywhere; the same
/// for ends; the longest match).
pub struct Pattern {
    source: String,
    anchors: Anchors,
    home: Home,
}

/// Where a pattern's compiled form is, or will be.
enum Home {
    /// Compiled when it was checked at load (a pattern of a rule file).
    Compiled(Compiled),
    /// Compiled when first needed, into its pattern set's own slot.
    Later,
    /// Compiled when first needed, into a slot shared by every pack of the process (a
    /// pattern of the default pack).
    Shared(&'static SharedCompiled),
}

/// The compiled form of a pattern of the default pack, built once per process by the
/// first thread that needs it (a one-letter run builds the ones its letter needs while
/// the pack loads).
#[derive(Default)]
pub struct SharedCompiled {
    compiled: OnceLock<Option<Compiled>>,
    /// The pattern's syntax tree in [`hir_code`] form, made when imrlint was built
    /// (empty: parse the source).
    tree: &'static [u8],
}

impl SharedCompiled {
    /// A slot for a pattern whose syntax tree is `tree` (see [`hir_code`]).
    pub fn parsed_as(tree: &'static [u8]) -> Self {
        SharedCompiled {
            compiled: OnceLock::new(),
            tree,
        }
    }

    /// Compiles `source` (a trusted pattern that runs anchored when `anchored`) unless
    /// it is compiled already.
    pub fn compile(&self, source: &str, anchored: bool) {
        self.get_or_compile(source, anchored);
    }

    /// Whether the pattern is compiled (or found not to compile).
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    fn get_or_compile(&self, source: &str, anchored: bool) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| {
                // A trusted pattern was checked when imrlint was built; the limit is the
                // loader's, so this cannot fail in practice.
                let hir = match hir_code::decode(self.tree) {
                    Some(hir) => hir,
                    None => read(source, true).ok()?,
                };
                Compiled::build(&hir, anchored, 1 << 24).ok()
            })
            .as_ref()
    }
}

impl Pattern {
    /// Checks a pattern of a rule file: it must parse and its automaton must fit within
    /// `limit` bytes. The error is the parser's own message with its caret line.
    pub fn check(source: &str, limit: usize) -> Result<Pattern, String> {
        let hir = read(source, true)?;
        Self::compiled_now(source, &hir, anchors(source), limit)
    }

    /// [`Pattern::check`] for texts that are lowercased but keep their hyphens (the
    /// context engine's normalised sentences). Refuses a pattern that can match the empty
    /// string.
    pub fn check_lowercase(source: &str, limit: usize) -> Result<Pattern, String> {
        let hir = read(source, true)?;
        if hir.properties().minimum_len() == Some(0) {
            return Err("regex matches the empty string".into());
        }
        let anchors = anchors_folded(source, |b| b.to_ascii_lowercase());
        Self::compiled_now(source, &hir, anchors, limit)
    }

    fn compiled_now(
        source: &str,
        hir: &Hir,
        anchors: Anchors,
        limit: usize,
    ) -> Result<Pattern, String> {
        let compiled = Compiled::build(hir, anchors.starts.is_some(), limit)?;
        Ok(Pattern {
            source: source.to_string(),
            anchors,
            home: Home::Compiled(compiled),
        })
    }

    /// A pattern of the default pack, checked when imrlint was built (its anchors worked
    /// out then too); compiled when first needed.
    pub fn trusted(source: &str, anchors: Anchors) -> Pattern {
        Pattern {
            source: source.to_string(),
            anchors,
            home: Home::Later,
        }
    }

    /// [`Pattern::trusted`], compiled into `shared`.
    pub fn trusted_shared(
        source: &str,
        anchors: Anchors,
        shared: &'static SharedCompiled,
    ) -> Pattern {
        Pattern {
            home: Home::Shared(shared),
            ..Pattern::trusted(source, anchors)
        }
    }

    /// Whether every match starts at a word boundary (see [`begins_at_word_boundary`]).
    pub fn word_start(&self) -> bool {
        begins_at_word_boundary(&self.source)
    }

    pub fn starts(&self) -> Option<&[Vec<u8>]> {
        self.anchors.starts.as_deref()
    }

    /// The literals one of which ends every match, when the pattern runs where its
    /// starts occur and they are worth looking for (otherwise none is needed).
    pub fn ends(&self) -> Option<&[Vec<u8>]> {
        self.anchors.starts.as_ref()?;
        let ends = self.anchors.ends.as_deref()?;
        // A digit or a two-letter word ("in", "of") occurs in nearly every text, inside
        // words too: looking for it costs the phrase scan a stop every few bytes and
        // rules out almost no start. Without ends the pattern simply runs at each start.
        // (On the default pack, ends shorter than 2, 3 and 5 bytes left out: 281,000,
        // 280,000 and 285,000 instructions a letter; all ends kept: 284,000; none: 300,000.)
        if ends.iter().any(|e| e.len() < MIN_END_LEN) {
            return None;
        }
        Some(ends)
    }

    /// The longest match in bytes, if bounded.
    pub fn max_len(&self) -> Option<usize> {
        self.anchors.max_len
    }
}

/// Whether every match of pattern `source` starts at a word boundary: it begins with `\b`.
pub fn begins_at_word_boundary(source: &str) -> bool {
    source.starts_with(r"\b")
}

/// The error message of an automaton over the size limit.
pub fn size_message(limit: usize) -> String {
    format!(
        "the pattern compiles to an automaton larger than the {} KiB limit; simplify its repetitions",
        limit >> 10
    )
}

/// A compiler error as rule authors read it.
fn build_error(over_size_limit: bool, e: &dyn std::fmt::Display, limit: usize) -> String {
    if over_size_limit {
        size_message(limit)
    } else {
        e.to_string()
    }
}

/// A compiled pattern: a lazy DFA for anchored searches, or a full regex.
enum Compiled {
    /// Searched with this thread's cache of it (see [`with_caches`]).
    Anchored(Box<DFA>),
    Unanchored(Box<meta::Regex>),
}

impl Compiled {
    fn build(hir: &Hir, anchored: bool, limit: usize) -> Result<Compiled, String> {
        if anchored {
            let nfa: NFA = thompson::Compiler::new()
                .configure(
                    thompson::Config::new()
                        .which_captures(WhichCaptures::None)
                        .nfa_size_limit(Some(limit)),
                )
                .build_from_hir(hir)
                .map_err(|e| build_error(e.size_limit().is_some(), &e, limit))?;
            let dfa = DFA::builder()
                .configure(
                    DFA::config()
                        .match_kind(MatchKind::LeftmostFirst)
                        .cache_capacity(CACHE_BYTES)
                        .skip_cache_capacity_check(true),
                )
                .build_from_nfa(nfa)
                .map_err(|e| e.to_string())?;
            Ok(Compiled::Anchored(Box::new(dfa)))
        } else {
            let re = meta::Regex::builder()
                .configure(
                    meta::Config::new()
                        .auto_prefilter(false)
                        .which_captures(WhichCaptures::Implicit)
                        .nfa_size_limit(Some(limit))
                        .hybrid_cache_capacity(CACHE_BYTES),
                )
                .build_from_hir(hir)
                .map_err(|e| build_error(e.size_limit().is_some(), &e, limit))?;
            Ok(Compiled::Unanchored(Box::new(re)))
        }
    }
}

/// Calls `emit(start, end)` for the match of `dfa` at each of `starts` (ascending), as
/// `find_iter` would: a start inside the last match is skipped, and so are empty matches.
fn anchored_matches(
    dfa: &DFA,
    cache: &mut Cache,
    text: &[u8],
    starts: impl Iterator<Item = usize>,
    mut emit: impl FnMut(usize, usize),
) {
    let mut last_end = 0;
    for start in starts {
        if start < last_end {
            continue;
        }
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        // Only a search that gives up errs, and this DFA is not told to.
        if let Ok(Some(m)) = dfa.try_search_fwd(cache, &input) {
            if m.offset() > start {
                emit(start, m.offset());
                last_end = m.offset();
            }
        }
    }
}

/// Where the patterns' end literals occur in one text (see [`PatternSet::note_end`]);
/// reused from text to text.
#[derive(Debug, Default)]
pub struct Ends {
    /// For each pattern with unbounded matches: one past the last start of one of its end
    /// literals (0: none).
    latest: Vec<u32>,
    /// (pattern, start, end) of the end literals of patterns with a longest match.
    bounded: Vec<(u32, u32, u32)>,
}

impl Ends {
    pub fn clear(&mut self) {
        self.latest.iter_mut().for_each(|l| *l = 0);
        self.bounded.clear();
    }
}

/// The shortest end literal worth looking for (see [`Pattern::ends`]).
const MIN_END_LEN: usize = 3;

/// The compiled patterns.
pub struct PatternSet {
    patterns: Vec<Slot>,
    /// Tells this set's caches in each thread's [`CACHES`] from another set's.
    id: u64,
}

impl Default for PatternSet {
    fn default() -> Self {
        PatternSet::new(Vec::new())
    }
}

/// Numbers pattern sets for [`CACHES`].
static NEXT_SET_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The pattern sets whose caches a thread keeps: a run searches with two (the concept
/// patterns and the context engine's), tests with a few more.
const CACHED_SETS: usize = 8;

thread_local! {
    /// This thread's lazy-DFA caches of the anchored patterns of the sets it searched
    /// last (at most [`CACHED_SETS`]): (set id, a cache by pattern, made when first
    /// needed). The crate's pool of caches, shared by the threads, wrote to memory both
    /// threads read on every search, and its second thread went through a lock.
    static CACHES: std::cell::RefCell<Vec<(u64, Vec<Option<Cache>>)>> = const {
        std::cell::RefCell::new(Vec::new())
    };
}

/// Runs `f` with this thread's caches of set `id`'s patterns, one place per pattern of its
/// `len`. The caches are out of [`CACHES`] while `f` runs, so a search inside `f` is safe
/// (it would start with caches of its own).
fn with_caches<R>(id: u64, len: usize, f: impl FnOnce(&mut [Option<Cache>]) -> R) -> R {
    let mut caches = CACHES
        .with_borrow_mut(|sets| {
            let at = sets.iter().position(|(set, _)| *set == id)?;
            Some(sets.swap_remove(at).1)
        })
        .unwrap_or_default();
    caches.resize_with(len, || None);
    let r = f(&mut caches);
    CACHES.with_borrow_mut(|sets| {
        if sets.len() >= CACHED_SETS {
            sets.remove(0);
        }
        sets.push((id, caches));
    });
    r
}

struct Slot {
    source: String,
    anchored: bool,
    /// Every match ends with one of the pattern's end literals.
    needs_end: bool,
    max_len: Option<usize>,
    compiled: SlotHome,
}

/// A slot's compiled form: its own, or the process's for a default pattern.
enum SlotHome {
    Own(SharedCompiled),
    Shared(&'static SharedCompiled),
}

impl Slot {
    fn compiled(&self) -> Option<&Compiled> {
        let cell = match &self.compiled {
            SlotHome::Own(cell) => cell,
            SlotHome::Shared(cell) => cell,
        };
        cell.get_or_compile(&self.source, self.anchored)
    }
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.patterns.iter().map(|p| &p.source))
            .finish()
    }
}

impl PatternSet {
    pub fn new(patterns: Vec<Pattern>) -> Self {
        PatternSet {
            patterns: patterns
                .into_iter()
                .map(|p| {
                    let needs_end = p.ends().is_some();
                    let compiled = match p.home {
                        Home::Compiled(c) => {
                            let own = SharedCompiled::default();
                            let _ = own.compiled.set(Some(c));
                            SlotHome::Own(own)
                        }
                        Home::Later => SlotHome::Own(SharedCompiled::default()),
                        Home::Shared(cell) => SlotHome::Shared(cell),
                    };
                    Slot {
                        anchored: p.anchors.starts.is_some(),
                        needs_end,
                        max_len: p.anchors.max_len,
                        source: p.source,
                        compiled,
                    }
                })
                .collect(),
            id: NEXT_SET_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Compiles every pattern now; the sources of those that fail.
    pub fn compile_all(&self) -> Vec<&str> {
        self.patterns
            .iter()
            .filter(|p| p.compiled().is_none())
            .map(|p| p.source.as_str())
            .collect()
    }

    /// Records that an end literal of pattern `p` occurs at `start..end` of the text.
    pub fn note_end(&self, ends: &mut Ends, p: u32, start: u32, end: u32) {
        let Some(slot) = self.patterns.get(p as usize) else {
            return;
        };
        if slot.max_len.is_some() {
            ends.bounded.push((p, start, end));
        } else {
            if ends.latest.len() <= p as usize {
                ends.latest.resize(self.patterns.len(), 0);
            }
            let l = &mut ends.latest[p as usize];
            *l = (*l).max(start + 1);
        }
    }

    /// Drops the candidates (pattern, start) that cannot match: a pattern whose matches all
    /// end with one of its end literals needs one to occur after the start (within its
    /// longest match, if it has one). `ends` is what [`PatternSet::note_end`] recorded
    /// for the text.
    pub fn keep_possible(&self, candidates: &mut Vec<(u32, u32)>, ends: &mut Ends) {
        ends.bounded.sort_unstable();
        candidates.retain(|&(p, start)| {
            let Some(slot) = self.patterns.get(p as usize) else {
                return false;
            };
            if !slot.needs_end {
                return true;
            }
            let Some(max_len) = slot.max_len else {
                return ends.latest.get(p as usize).is_some_and(|&l| l > start);
            };
            let limit = u64::from(start) + max_len as u64;
            let b = &ends.bounded;
            let from = b.partition_point(|&(q, s, _)| (q, s) < (p, start));
            b[from..]
                .iter()
                .take_while(|&&(q, s, _)| q == p && u64::from(s) <= limit)
                .any(|&(_, _, e)| u64::from(e) <= limit)
        });
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
        candidates.sort_unstable();
        candidates.dedup();
        if !candidates.is_empty() {
            with_caches(self.id, self.patterns.len(), |caches| {
                for group in candidates.chunk_by(|a, b| a.0 == b.0) {
                    let p = group[0].0 as usize;
                    // Unanchored patterns get no candidates.
                    let Some(Compiled::Anchored(dfa)) =
                        self.patterns.get(p).and_then(|s| s.compiled())
                    else {
                        continue;
                    };
                    let cache = caches[p].get_or_insert_with(|| dfa.create_cache());
                    let starts = group.iter().map(|&(_, start)| start as usize);
                    anchored_matches(dfa, cache, text, starts, |start, end| emit(p, start, end));
                }
            });
        }
        candidates.clear();
        for (i, slot) in self.patterns.iter().enumerate() {
            if slot.anchored {
                continue;
            }
            if let Some(Compiled::Unanchored(re)) = slot.compiled() {
                for m in re.find_iter(text) {
                    emit(i, m.start(), m.end());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Candidate starts and end literals, as the matcher's scan gives them.
    type Found = (Vec<(u32, u32)>, Vec<(u32, u32, u32)>);

    /// Candidate starts and end literals of `patterns` in `text`, from a naive scan for
    /// each literal.
    fn literals_in(patterns: &[Pattern], text: &str) -> Found {
        let folded = super::super::literals::fold_bytes(text.as_bytes());
        let mut cands = Vec::new();
        let mut ends = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            for s in 0..folded.len() {
                for l in p.starts().unwrap_or_default() {
                    if folded[s..].starts_with(l) {
                        cands.push((i as u32, s as u32));
                    }
                }
                for l in p.ends().unwrap_or_default() {
                    if folded[s..].starts_with(l) {
                        ends.push((i as u32, s as u32, (s + l.len()) as u32));
                    }
                }
            }
        }
        (cands, ends)
    }

    /// Searches `text` with `set` the way the matcher does, given [`literals_in`].
    fn search(set: &PatternSet, (cands, ends): &Found, text: &str) -> Vec<(usize, usize, usize)> {
        let mut cands = cands.clone();
        let mut noted = Ends::default();
        for &(p, s, e) in ends {
            set.note_end(&mut noted, p, s, e);
        }
        set.keep_possible(&mut cands, &mut noted);
        let mut out = Vec::new();
        set.find(text.as_bytes(), &mut cands, |p, s, e| out.push((p, s, e)));
        out.sort();
        out
    }

    /// Runs a set the way the matcher does.
    fn run(patterns: Vec<Pattern>, text: &str) -> Vec<(usize, usize, usize)> {
        let found = literals_in(&patterns, text);
        search(&PatternSet::new(patterns), &found, text)
    }

    /// Each thread keeps its own caches of the patterns' automata, by set: sets whose
    /// pattern at the same place differs, more sets than a thread keeps, and several
    /// threads searching the same sets at once all find what a plain regex finds.
    #[test]
    fn each_thread_searches_each_set_with_caches_of_its_own_patterns() {
        let text = "MRI dated 2/3/14; pain 7/10 with 60% relief; decreased sensation at L5; \
                    6 sessions. x-ray performed; pain was 4 / 10";
        let orders: Vec<Vec<&str>> = (0..CACHED_SETS + 3)
            .map(|k| {
                let mut order = PATTERNS.to_vec();
                order.rotate_left(k % PATTERNS.len());
                order
            })
            .collect();
        let sets: Vec<_> = orders
            .iter()
            .map(|order| {
                let patterns: Vec<Pattern> = order
                    .iter()
                    .map(|p| Pattern::check(p, 1 << 20).unwrap())
                    .collect();
                let found = literals_in(&patterns, text);
                (PatternSet::new(patterns), found, reference(order, text))
            })
            .collect();
        assert!(sets.iter().all(|(_, _, want)| want.len() >= 5));
        std::thread::scope(|scope| {
            for t in 0..4 {
                let sets = &sets;
                scope.spawn(move || {
                    for round in 0..20 {
                        for k in 0..sets.len() {
                            let (set, found, want) = &sets[(k + t + round) % sets.len()];
                            assert_eq!(&search(set, found, text), want);
                        }
                    }
                });
            }
        });
    }

    /// A pattern whose matches may end with a digit or a two-letter word needs no end
    /// found first; one whose matches all end with a longer word does.
    #[test]
    fn only_end_literals_of_three_bytes_or_more_are_looked_for() {
        let ends = |p: &str| {
            Pattern::check(p, 1 << 20).unwrap().ends().map(|e| {
                e.iter()
                    .map(|l| String::from_utf8_lossy(l).into_owned())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(ends(r"\bvisits?\s+x\s*\d+"), None);
        assert_eq!(ends(r"\bpain\s+(?:in|of)"), None);
        assert_eq!(
            ends(r"\bx\s*\d+\s*(?:weeks|days)\b"),
            Some(vec!["weeks".to_string(), "days".to_string()])
        );
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

    const PATTERNS: [&str; 6] = [
        r"\b(?:MRI|x-?rays?)\s+(?:dated|performed|on\s+\d)",
        r"\bpain\b[^.;]{0,40}?\b\d{1,2}\s*/\s*10\b",
        r"\b(?:[5-9]\d|100)\s*(?:%|percent)\s+relief",
        r"(?:decreased|diminished)\s+sensation\b[^.;]{0,30}?\bL[45]\b",
        r"\b(?:\w+\s+){0,2}?sessions",
        r"\bon\b[^.;]{0,20}?\bnorco\b",
    ];
    const TEXT: &str = "Prior MRI dated 1/2/2020 and X-RAY performed on 3/3. Pain is 7/10, \
        pain 8 / 10 and pain at 9/10 today; 60% relief; 100 percent relief; 49% relief. \
        Decreased sensation in the L5 dermatome; diminished sensation at L4. \
        Six therapy sessions. He is on Norco daily, on norco. mri on 5";

    #[test]
    fn anchored_search_finds_what_a_full_search_finds() {
        let checked = PATTERNS
            .iter()
            .map(|p| Pattern::check(p, 1 << 20).unwrap())
            .collect();
        let got = run(checked, TEXT);
        assert_eq!(got, reference(&PATTERNS, TEXT));
        assert!(got.len() >= 10, "{got:?}");
    }

    #[test]
    fn trusted_patterns_compile_when_first_needed_and_find_the_same() {
        let trusted = PATTERNS
            .iter()
            .map(|p| Pattern::trusted(p, anchors(p)))
            .collect();
        assert_eq!(run(trusted, TEXT), reference(&PATTERNS, TEXT));
    }

    #[test]
    fn matches_do_not_overlap_within_a_pattern() {
        let patterns = [r"\bpain\b[^.;]{0,40}?\bpain\b"];
        let text = "pain then pain then pain then pain.";
        let checked = vec![Pattern::check(patterns[0], 1 << 20).unwrap()];
        assert_eq!(run(checked, text), reference(&patterns, text));
    }

    #[test]
    fn start_literals_are_folded_and_minimal() {
        let lits: Vec<String> = anchors(r"\b(?:MRI|MRIs|x-?rays?|CT(?:\s+scan)?)\s+dated")
            .starts
            .unwrap()
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        assert_eq!(lits, ["ct", "mri", "x ray", "xray"]);
        assert!(anchors(r"(?:\w+\s+){0,3}?x").starts.is_none());
        let a = anchors(r"\b(?:MRI|CT)\b[^.;]{0,70}?\b(?:showed|shows|was\s+read)\b");
        let ends: Vec<String> = a
            .ends
            .unwrap()
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        assert_eq!(ends, ["read", "showed", "shows"]);
        assert_eq!(a.max_len, None);
        assert_eq!(anchors(r"\bSLR\s?positive").max_len, Some(12));
        assert!(anchors(r"\bpain\w*").ends.is_none());
    }

    #[test]
    fn a_huge_pattern_is_refused_with_the_limit() {
        let err = Pattern::check(r"\bx(?:\w{500}){500}", 1 << 20)
            .err()
            .unwrap();
        assert!(err.contains("1024 KiB"), "{err}");
        let err = Pattern::check(r"(?:\w{500}){500}", 1 << 20).err().unwrap();
        assert!(err.contains("1024 KiB"), "{err}");
    }
}
