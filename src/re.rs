//! The fixed regexes of the parsers. Letters are English text in ASCII (the normaliser maps
//! smart quotes and dashes), so ASCII semantics for `\w`, `\b`, `\s` and case folding
//! suffice; they compile many times faster than Unicode tables. Literal prefilters are
//! left out too: extracting them costs more to build than they save on texts of a few
//! kilobytes, and a one-letter run pays for every regex it builds. A pattern with a
//! non-ASCII character in it ("×", "–") gets Unicode semantics where they matter, on a
//! text that is not ASCII; on ASCII text (nearly every letter) both read the same, and
//! the ASCII form is built first, the Unicode one only when a text needs it.
//!
//! [`Regex`] offers the part of `regex::Regex`'s interface the parsers use.

use regex_automata::meta;
use regex_automata::util::captures::Captures as RawCaptures;
use regex_automata::util::iter::Searcher;
use regex_automata::util::syntax;
use regex_automata::Input;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A compiled parser regex searching `&str`.
#[derive(Debug, Clone)]
pub struct Regex {
    /// The pattern with ASCII semantics: for every text when the pattern is ASCII, and
    /// for ASCII texts when it is not.
    inner: Deferred,
    /// For a pattern that spells a non-ASCII character: its Unicode form, for texts that
    /// are not ASCII (clones share it).
    unicode: Option<std::sync::Arc<UnicodeForm>>,
    /// A cheap necessary condition for a match: when it says no, the search is skipped.
    /// Most parser regexes run on every line of a letter and match on few of them.
    guard: Option<fn(&str) -> bool>,
}

/// A match in a haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    /// A byte-level match widened to whole characters: under ASCII semantics `[^.]` or
    /// `\W` can stop inside a multi-byte character.
    fn new(haystack: &'h str, mut start: usize, mut end: usize) -> Self {
        while !haystack.is_char_boundary(start) {
            start -= 1;
        }
        while !haystack.is_char_boundary(end) {
            end += 1;
        }
        Match {
            haystack,
            start,
            end,
        }
    }
    pub fn start(&self) -> usize {
        self.start
    }
    pub fn end(&self) -> usize {
        self.end
    }
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match.
#[derive(Debug, Clone)]
pub struct Captures<'h> {
    haystack: &'h str,
    raw: RawCaptures,
}

impl<'h> Captures<'h> {
    fn span(&self, s: Option<regex_automata::Span>) -> Option<Match<'h>> {
        s.map(|s| Match::new(self.haystack, s.start, s.end))
    }
    /// Group `i` (0 is the whole match), if it took part.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        self.span(self.raw.get_group(i))
    }
    /// The named group, if it took part.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.span(self.raw.get_group_by_name(name))
    }
}

impl std::ops::Index<usize> for Captures<'_> {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(m) => &self.haystack[m.start..m.end],
            None => panic!("no group at index {i}"),
        }
    }
}

/// Compiles a parser regex: ASCII semantics unless the pattern spells a non-ASCII
/// character.
pub fn compile(pattern: &str) -> Result<Regex, Box<meta::BuildError>> {
    if pattern.is_ascii() {
        return Ok(Regex {
            inner: Deferred::new(pattern.to_string())?,
            unicode: None,
            guard: None,
        });
    }
    // Built when first needed. Parser regexes are fixed: the test of the two forms
    // builds the Unicode form of every one, so it cannot fail then; checking it here
    // (a Unicode parse) would cost a one-letter run a tenth of its time.
    let re = Regex {
        inner: Deferred::new(ascii_form(pattern))?,
        unicode: Some(std::sync::Arc::new(UnicodeForm {
            pattern: pattern.to_string(),
            built: std::sync::OnceLock::new(),
            slot: NEXT_SLOT.fetch_add(1, Ordering::Relaxed),
        })),
        guard: None,
    };
    #[cfg(test)]
    NON_ASCII.lock().unwrap().push(re.clone());
    Ok(re)
}

/// Every regex of a non-ASCII pattern built so far, for the test that compares its two
/// forms.
#[cfg(test)]
static NON_ASCII: std::sync::Mutex<Vec<Regex>> = std::sync::Mutex::new(Vec::new());

/// Whether parser regexes are built for a short run (see [`prefer_quick_builds`]).
static QUICK_BUILDS: AtomicBool = AtomicBool::new(false);

/// Builds the parser regexes compiled from now on when first searched, and without their
/// lazy DFAs (and the reverse automata and one-pass DFAs that go with them), searching
/// with the NFA simulations instead. Matches are the same; building takes a fifth fewer
/// instructions and searching is slower, which pays on a run that reads one letter and
/// loses on a batch. Set before the first parser regex is compiled.
pub fn prefer_quick_builds() {
    QUICK_BUILDS.store(true, Ordering::Relaxed);
}

/// A regex built when compiled, or in a one-letter run ([`prefer_quick_builds`]) when
/// first searched: a letter needs only some of the parsers' regexes (the guards and the
/// layout rule out the rest), and a one-letter run is mostly building.
#[derive(Debug)]
struct Deferred {
    pattern: std::sync::Arc<str>,
    built: std::sync::OnceLock<meta::Regex>,
    /// This regex's place in each thread's [`CACHES`].
    slot: usize,
}

impl Clone for Deferred {
    /// A clone may build its own engine, which needs caches of its own: it takes a new
    /// slot.
    fn clone(&self) -> Self {
        Deferred {
            pattern: self.pattern.clone(),
            built: self.built.clone(),
            slot: NEXT_SLOT.fetch_add(1, Ordering::Relaxed),
        }
    }
}

/// A pattern compiled with Unicode semantics the first time a text that is not ASCII is
/// searched.
#[derive(Debug)]
struct UnicodeForm {
    pattern: String,
    built: OnceLock<meta::Regex>,
    /// Its place in each thread's [`CACHES`].
    slot: usize,
}

/// Slots of [`CACHES`] handed out so far. Parser regexes are a fixed set, made once per
/// process, so the slots stay few.
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Each thread's search caches, one per parser regex. The regex crate keeps a pool of
    /// caches per regex instead: its first user takes them without a lock, but each search
    /// writes the pool's owner word, and every other thread goes through a mutex, so with
    /// two workers the word moves between the cores on every search.
    static CACHES: std::cell::RefCell<Vec<Option<Box<meta::Cache>>>> = const {
        std::cell::RefCell::new(Vec::new())
    };
}

/// Runs `f` with this thread's cache of the regex in `slot`, made for `engine` when
/// missing. The cache is out of [`CACHES`] while `f` runs, so `f` may search with other
/// regexes.
fn with_cache<R>(slot: usize, engine: &meta::Regex, f: impl FnOnce(&mut meta::Cache) -> R) -> R {
    let taken = CACHES.with_borrow_mut(|c| c.get_mut(slot).and_then(Option::take));
    let mut cache = taken.unwrap_or_else(|| Box::new(engine.create_cache()));
    let out = f(&mut cache);
    CACHES.with_borrow_mut(|c| {
        if c.len() <= slot {
            c.resize_with(slot + 1, || None);
        }
        c[slot] = Some(cache);
    });
    out
}

impl Deferred {
    fn new(pattern: String) -> Result<Self, Box<meta::BuildError>> {
        let built = std::sync::OnceLock::new();
        if !QUICK_BUILDS.load(Ordering::Relaxed) {
            let _ = built.set(build(&pattern, false)?);
        }
        Ok(Deferred {
            pattern: pattern.into(),
            built,
            slot: NEXT_SLOT.fetch_add(1, Ordering::Relaxed),
        })
    }

    fn get(&self) -> &meta::Regex {
        // Parser regexes are fixed, and the tests build every one when compiled.
        self.built
            .get_or_init(|| build(&self.pattern, false).expect("built by the tests"))
    }
}

fn build(pattern: &str, unicode: bool) -> Result<meta::Regex, Box<meta::BuildError>> {
    let quick = QUICK_BUILDS.load(Ordering::Relaxed);
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .auto_prefilter(false)
                .hybrid(!quick)
                .onepass(!quick),
        )
        .syntax(syntax::Config::new().unicode(unicode).utf8(unicode))
        .build(pattern)
        .map_err(Box::new)
}

/// The pattern for ASCII texts: each non-ASCII character becomes a class of non-ASCII
/// bytes, which no ASCII text has, so it matches exactly what the pattern matches there.
fn ascii_form(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    for c in pattern.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(r"[^\x00-\x7F]");
        }
    }
    out
}

/// [`compile`] with a guard: `guard(text)` must be true of every text the pattern matches
/// (it may be true of others). Each guard is tested against its pattern in the tests of the
/// module that defines it.
pub fn compile_guarded(
    pattern: &str,
    guard: fn(&str) -> bool,
) -> Result<Regex, Box<meta::BuildError>> {
    let mut re = compile(pattern)?;
    re.guard = Some(guard);
    #[cfg(test)]
    GUARDED
        .lock()
        .unwrap()
        .push((pattern.to_string(), re.clone()));
    Ok(re)
}

/// Every guarded regex built so far, for the test that checks each guard.
#[cfg(test)]
static GUARDED: std::sync::Mutex<Vec<(String, Regex)>> = std::sync::Mutex::new(Vec::new());

/// A fixed list of words (lowercase ASCII) to look for anywhere in a text, ignoring ASCII
/// case, in one pass: a guard that tries each word in turn reads the text once a word.
pub struct AnyWord {
    words: &'static [&'static str],
    automaton: OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl AnyWord {
    pub const fn new(words: &'static [&'static str]) -> Self {
        AnyWord {
            words,
            automaton: OnceLock::new(),
        }
    }

    /// Whether `text` contains one of the words.
    pub fn in_text(&self, text: &str) -> bool {
        let built = self.automaton.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(self.words)
                .ok()
        });
        match built {
            Some(ac) => ac.is_match(text),
            None => self.words.iter().any(|w| contains_ignore_case(text, w)),
        }
    }
}

/// Whether `hay` contains `needle` (lowercase ASCII), ignoring ASCII case.
pub fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    if h.len() < n.len() {
        return false;
    }
    let starts = &h[..=h.len() - n.len()];
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), starts)
        .any(|i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Whether `text` starts with `prefix` (lowercase ASCII), ignoring ASCII case.
pub fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether `text` ends with `suffix` (lowercase ASCII), ignoring ASCII case.
pub fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// White space as `\s` reads it under ASCII semantics (`\x0B` included).
pub fn is_regex_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// A word byte as `\b` reads it under ASCII semantics.
pub fn is_regex_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// How many bytes of `b` from `i` on are white space as `\s` reads it (0 past the end).
pub fn regex_spaces_at(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| is_regex_space(c))
        .count()
}

/// How many bytes of `b` just before `i` are white space as `\s` reads it.
pub fn regex_spaces_before(b: &[u8], i: usize) -> usize {
    b[..i.min(b.len())]
        .iter()
        .rev()
        .take_while(|&&c| is_regex_space(c))
        .count()
}

/// How many ASCII digits `b` has from `i` on (0 past the end).
pub fn digits_at(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// `s` without the white space (as `\s` reads it) it starts with.
pub fn trim_space_start(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_ascii() && is_regex_space(c as u8))
}

/// `s` without the white space (as `\s` reads it) it ends with.
pub fn trim_space_end(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_ascii() && is_regex_space(c as u8))
}

impl Regex {
    /// The engine for `haystack`, and its slot in [`CACHES`].
    fn engine(&self, haystack: &str) -> (&meta::Regex, usize) {
        match &self.unicode {
            Some(u) if !haystack.is_ascii() => (
                u.built.get_or_init(|| {
                    build(&u.pattern, true).expect("built by the tests of both forms")
                }),
                u.slot,
            ),
            _ => (self.inner.get(), self.inner.slot),
        }
    }

    /// Runs `f` with the engine for `haystack` and a cache for it.
    fn search<R>(&self, haystack: &str, f: impl FnOnce(&meta::Regex, &mut meta::Cache) -> R) -> R {
        Self::search_with(self.engine(haystack), f)
    }

    /// Runs `f` with `engine` (from [`Regex::engine`]) and this thread's cache for it.
    fn search_with<R>(
        (engine, slot): (&meta::Regex, usize),
        f: impl FnOnce(&meta::Regex, &mut meta::Cache) -> R,
    ) -> R {
        with_cache(slot, engine, |cache| f(engine, cache))
    }

    /// False when the guard rules a match out.
    fn may_match(&self, haystack: &str) -> bool {
        self.guard.is_none_or(|g| g(haystack))
    }

    /// Builds the regex now if its build was deferred (see [`prefer_quick_builds`]), so
    /// that a second thread can take the work off the first search.
    pub fn build_now(&self) {
        self.inner.get();
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        // As the regex crate's `is_match`: the first match end found is enough.
        self.may_match(haystack)
            && self.search(haystack, |re, cache| {
                re.search_half_with(cache, &Input::new(haystack).earliest(true))
                    .is_some()
            })
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        if !self.may_match(haystack) {
            return None;
        }
        self.search(haystack, |re, cache| {
            re.search_with(cache, &Input::new(haystack))
        })
        .map(|m| Match::new(haystack, m.start(), m.end()))
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.find_iter_in(haystack, 0..haystack.len())
    }

    /// [`Regex::find_iter`] for the matches that lie within `range` of `haystack`; the
    /// text around the range still counts for `\b` and the like.
    pub fn find_iter_in<'r, 'h>(
        &'r self,
        haystack: &'h str,
        range: Range<usize>,
    ) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        let mut searcher = self.may_match(haystack).then(|| {
            (
                self.engine(haystack),
                Searcher::new(Input::new(haystack).range(range)),
            )
        });
        std::iter::from_fn(move || {
            let (engine, searcher) = searcher.as_mut()?;
            let m = Self::search_with(*engine, |re, cache| {
                searcher.advance(|input| Ok(re.search_with(cache, input)))
            })?;
            Some(Match::new(haystack, m.start(), m.end()))
        })
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        if !self.may_match(haystack) {
            return None;
        }
        let raw = self.search(haystack, |re, cache| {
            let mut raw = re.create_captures();
            re.search_captures_with(cache, &Input::new(haystack), &mut raw);
            raw
        });
        raw.is_match().then_some(Captures { haystack, raw })
    }

    pub fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        let mut searcher = self
            .may_match(haystack)
            .then(|| (self.engine(haystack), Searcher::new(Input::new(haystack))));
        let mut raw: Option<RawCaptures> = None;
        std::iter::from_fn(move || {
            let (engine, searcher) = searcher.as_mut()?;
            Self::search_with(*engine, |re, cache| {
                let raw = raw.get_or_insert_with(|| re.create_captures());
                searcher.advance(|input| {
                    re.search_captures_with(cache, input, raw);
                    Ok(raw.get_match())
                })?;
                Some(Captures {
                    haystack,
                    raw: raw.clone(),
                })
            })
        })
    }
}

/// Texts to test the parsers' regexes and the code that reads their matches against.
#[cfg(test)]
pub(crate) mod testing {
    /// Lines of every fixture letter, runs of two and three of them joined, whole letters,
    /// and a few forms the fixtures lack.
    pub(crate) fn samples() -> Vec<String> {
        let mut out: Vec<String> = [
            "Page 2 of 5",
            "- 3 -",
            "12 / 14",
            "IMR Case Number CM13-0001234 Page 2 of 4",
            "page 7",
            "The requested MRI of the lumbar spine",
            "Requested for physical therapy",
            "Issue 3: MRI of the knee: Upheld.",
            "Item 2) Norco : overturned",
            "Overturned",
            "upheld .",
            "Physical therapy twice a week for six weeks",
            "PT 3 times a week for 4 weeks",
            "Additional acupuncture sessions x 6",
            "Chiropractic treatment x8",
            "Acupuncture (8) visits",
            "Norco 10/325mg #90, Lidoderm patches",
        ]
        .map(String::from)
        .to_vec();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        for e in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.path().extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for n in 1..=3 {
                out.extend(lines.windows(n).map(|w| w.join(" ")));
            }
            out.push(text);
        }
        out
    }

    /// [`samples`] and `extra`, the forms a test adds for its own pattern.
    pub(crate) fn samples_with(extra: &[&str]) -> Vec<String> {
        let mut out = samples();
        out.extend(extra.iter().map(|t| t.to_string()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::testing::samples;
    use super::*;

    #[test]
    fn any_word_is_found_anywhere_in_any_case() {
        static STEMS: AnyWord = AnyWord::new(&["four", "ten", "visit"]);
        for (text, want) in [
            ("Fourteen sessions", true),
            ("attended", true),
            ("PT VISITS", true),
            ("a few sessions", false),
            ("", false),
            ("fou r", false),
        ] {
            assert_eq!(STEMS.in_text(text), want, "{text:?}");
        }
    }

    #[test]
    fn contains_ignore_case_is_a_lowercased_contains() {
        let hays = [
            "",
            "a",
            "MRI of the Lumbar Spine",
            "lumbar",
            "LUMBAR",
            "xlumbarx",
            "lumba",
            "l",
        ];
        for hay in hays {
            for needle in [
                "",
                "l",
                "lumbar",
                "mri of",
                "spine",
                "x",
                "lumbarx",
                "of the lumbar spine!",
            ] {
                assert_eq!(
                    contains_ignore_case(hay, needle),
                    hay.to_ascii_lowercase().contains(needle),
                    "{hay:?} {needle:?}"
                );
            }
        }
    }

    /// On ASCII text, the ASCII form of a non-ASCII pattern finds what the pattern does.
    #[test]
    fn ascii_forms_match_as_their_patterns_on_ascii_text() {
        crate::warm_up();
        let regexes = NON_ASCII.lock().unwrap().clone();
        assert!(regexes.len() >= 4, "{} non-ASCII patterns", regexes.len());
        let mut samples = samples();
        samples.retain(|s| s.is_ascii());
        samples.extend(
            [
                "2x6",
                "3 x 4 weeks",
                "x 12",
                "sessions x 8",
                "303-4",
                "58 - 60, 63",
            ]
            .map(String::from),
        );
        let mut matched = 0;
        for re in &regexes {
            let u = &re.unicode.as_ref().unwrap().pattern;
            let full = build(u, true).unwrap();
            for s in &samples {
                let groups = |r: &meta::Regex| -> Vec<Vec<Option<regex_automata::Span>>> {
                    r.captures_iter(s.as_str())
                        .map(|c| (0..c.group_len()).map(|g| c.get_group(g)).collect())
                        .collect()
                };
                let want = groups(&full);
                matched += want.len();
                assert_eq!(groups(re.inner.get()), want, "{u} on {s:?}");
            }
        }
        assert!(matched > 50, "{matched}");
    }

    #[test]
    fn every_guard_holds_where_its_regex_matches() {
        crate::warm_up();
        let guarded = GUARDED.lock().unwrap().clone();
        assert!(guarded.len() >= 5, "{} guarded regexes", guarded.len());
        let samples = samples();
        for (pattern, re) in guarded.iter() {
            let guard = re.guard.unwrap();
            let matching: Vec<&String> = samples
                .iter()
                .filter(|s| re.engine(s).0.is_match(s.as_str()))
                .collect();
            assert!(!matching.is_empty(), "no sample matches {pattern}");
            for s in matching {
                assert!(guard(s), "the guard of {pattern} rejects {s:?}");
            }
        }
    }

    /// Each thread searches with caches of its own, kept from search to search: a regex
    /// searched on several threads at once, and again inside a loop over its own matches
    /// (with a text that is not ASCII, which takes the Unicode form), finds what the regex
    /// crate finds.
    #[test]
    fn searches_on_many_threads_and_inside_a_match_loop_find_what_the_regex_crate_finds() {
        let pattern = r"(?i)\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b|visit\s+(?P<n>\d+)|caf\u{e9}";
        let re = compile(pattern).unwrap();
        let reference = regex::Regex::new(pattern).unwrap();
        let digits = compile(r"(\d)(\d)").unwrap();
        let digits_reference = regex::Regex::new(r"(\d)(\d)").unwrap();
        let texts = [
            "Seen 01/02/2014, visit 3 and 04/05/15; VISIT 12.",
            "caf\u{e9} visit 7 on 1/1/2020",
            "nothing here",
            "",
        ];
        let spans = |t: &str| -> Vec<(usize, usize)> {
            reference
                .find_iter(t)
                .map(|m| (m.start(), m.end()))
                .collect()
        };
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..50 {
                        for t in texts {
                            let mut found = Vec::new();
                            for m in re.find_iter(t) {
                                // Searches of the same regex and of another in the middle
                                // of the loop.
                                assert_eq!(
                                    re.find(m.as_str()).map(|i| i.as_str()),
                                    Some(m.as_str())
                                );
                                assert_eq!(
                                    digits.find(t).map(|i| i.range()),
                                    digits_reference.find(t).map(|i| i.range())
                                );
                                found.push((m.start(), m.end()));
                            }
                            assert_eq!(found, spans(t), "{t:?}");
                            assert_eq!(re.is_match(t), reference.is_match(t));
                            let groups: Vec<Option<&str>> = re
                                .captures_iter(t)
                                .map(|c| c.name("n").map(|m| m.as_str()))
                                .collect();
                            let want: Vec<Option<&str>> = reference
                                .captures_iter(t)
                                .map(|c| c.name("n").map(|m| m.as_str()))
                                .collect();
                            assert_eq!(groups, want);
                            assert_eq!(
                                re.captures(t).and_then(|c| c.get(1)).map(|m| m.as_str()),
                                reference
                                    .captures(t)
                                    .and_then(|c| c.get(1))
                                    .map(|m| m.as_str())
                            );
                        }
                    }
                });
            }
        });
        assert_eq!(spans(texts[0]).len(), 4);
    }

    #[test]
    fn groups_by_index_and_name() {
        let re = compile(r"(?i)(?P<n>\d+)\s+(visits?)").unwrap();
        let c = re.captures("had 12 Visits").unwrap();
        assert_eq!(&c[1], "12");
        assert_eq!(c.name("n").unwrap().range(), 4..6);
        assert_eq!(c.get(2).unwrap().as_str(), "Visits");
        let all: Vec<_> = re
            .captures_iter("1 visit, 2 visits")
            .map(|c| c[0].to_string())
            .collect();
        assert_eq!(all, ["1 visit", "2 visits"]);
        assert!(re.captures("none").is_none());
    }

    #[test]
    fn non_ascii_patterns_and_texts() {
        let re = compile(r"\d\s*[-–—]\s*\d").unwrap();
        assert!(re.is_match("1 – 2"));
        // A byte class may stop inside "é"; the match is widened to the whole character.
        let re = compile(r"caf[^.]").unwrap();
        assert_eq!(re.find("café.").unwrap().as_str(), "café");
    }
}
