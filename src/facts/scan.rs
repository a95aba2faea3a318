//! Every occurrence of a set of strings in a text, overlapping ones included, in one pass of
//! an Aho-Corasick automaton walked state by state. (The crate's overlapping iterator pays
//! a call and a state check per match, and concept texts have a match every few bytes.)
//!
//! The automaton is the crate's plain (noncontiguous) NFA: it is the quickest to build (a
//! one-letter run builds it for a few bytes of text), and in a batch it took no more time
//! per letter than the contiguous NFA or the DFA, which take fewer instructions per byte
//! but are built from it and, for the DFA, miss the processor's cache.
//!
//! A batch that has searched many texts builds, once, a DFA of the same automaton
//! ([`Compact`]): a table lookup per byte instead of a walk of sparse transitions, about
//! half the instructions of a letter's phrase scans. Building it takes tens of millions
//! of instructions, which a batch of a few thousand letters pays back and a short run
//! would not.
//!
//! A run that reads one letter does not need the automaton of every string: it builds one
//! of the strings whose [`Trigrams`] all occur in the letter, a tenth of the size. A text
//! the letter's trigrams do not cover is searched with the whole automaton, built then, so
//! what is found never depends on which texts were foreseen.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{nfa::noncontiguous, Anchored, MatchKind};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::OnceLock;

/// Whether sets are built when first searched rather than when made (see
/// [`defer_automata`]).
static DEFERRED: AtomicBool = AtomicBool::new(false);

/// String sets made from now on build their automaton when first searched, so that a
/// one-letter run can build only the part its letter needs ([`StringSet::restrict_to`]).
/// Building cannot fail for sets a rule pack can make (the automaton would need 2^31
/// states); a set that fails anyway finds nothing.
pub fn defer_automata() {
    DEFERRED.store(true, Ordering::Relaxed);
}

/// Whether string sets made now defer their automaton (see [`defer_automata`]).
pub fn automata_deferred() -> bool {
    DEFERRED.load(Ordering::Relaxed)
}

/// A set of byte strings to find: anywhere in a text ([`StringSet::new`],
/// [`StringSet::for_each`]), or starting at given places ([`StringSet::new_anchored`],
/// [`StringSet::for_each_at`]).
#[derive(Debug)]
pub struct StringSet {
    strings: Vec<Vec<u8>>,
    /// Searched from given starts only: its DFA has only the anchored start.
    anchored: bool,
    full: OnceLock<Option<noncontiguous::NFA>>,
    /// The DFA of `full`, built by the search that makes [`DFA_AFTER`] searches of it.
    dfa: OnceLock<Option<Compact>>,
    /// Searches with `full` so far, counted up to [`DFA_AFTER`].
    full_searches: AtomicU32,
    /// The automaton of the strings that may occur in one letter (`None`: it could not
    /// be built, and the whole set is searched).
    letter: OnceLock<Option<Restricted>>,
    /// Which occurrences the caller may want, by the byte before them (see
    /// [`StringSet::wanted_after`]).
    wanted: Option<WantedAfter>,
}

/// `f(string, byte)`: whether an occurrence of the string right after the byte may be
/// wanted.
struct WantedAfter(Box<dyn Fn(usize, u8) -> bool + Send + Sync>);

impl std::fmt::Debug for WantedAfter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WantedAfter")
    }
}

#[derive(Debug)]
struct Restricted {
    /// `None` when no string can occur.
    nfa: Option<noncontiguous::NFA>,
    /// For each string of `nfa`, its index in the whole set.
    ids: Vec<u32>,
    grams: Trigrams,
}

/// Searches of the whole automaton after which its DFA is built: a letter makes five to
/// seven of each set, so a batch builds them after its first 600 to 900 letters.
pub(crate) const DFA_AFTER: u32 = 4096;

fn build(strings: &[Vec<u8>]) -> Result<noncontiguous::NFA, String> {
    noncontiguous::Builder::new()
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(strings)
        .map_err(|e| e.to_string())
}

/// A DFA of a string set's automaton, made small so that it stays in the processor's
/// cache: 16-bit state numbers, one column per byte that occurs in some string and one for
/// every other byte, and states numbered breadth first, so that the states a text is
/// mostly in (near the start) lie together. The crate's own DFA takes 32-bit numbers and
/// pads its rows to a power of two: for the default pack's vocabulary it took 2.9 MB and
/// its context triggers 1.5 MB; these take 0.96 and 0.49 MB.
#[derive(Debug)]
struct Compact {
    /// The column of each byte.
    classes: [u8; 256],
    columns: usize,
    /// `next[state * columns + class]`.
    next: Vec<u16>,
    start: u16,
    /// States below this number are the dead state (0, when there is one) and the match
    /// states.
    specials: u16,
    /// The strings that end at special state `s`: `matches[match_at[s]..match_at[s + 1]]`,
    /// in the NFA's order.
    match_at: Vec<u32>,
    matches: Vec<u32>,
    lens: Vec<u32>,
    /// The length of the longest string.
    max_len: usize,
}

impl Compact {
    /// The DFA of `nfa`, whose strings are `strings`; `None` if it has too many states
    /// for 16-bit numbers (the set is then searched as an NFA). With `wanted` (see
    /// [`StringSet::wanted_after`]), a state leaves out the strings that end there after
    /// a byte they are not wanted after, where its own string tells that byte.
    fn build(
        nfa: &noncontiguous::NFA,
        strings: &[Vec<u8>],
        anchored: bool,
        wanted: Option<&dyn Fn(usize, u8) -> bool>,
    ) -> Option<Compact> {
        let kind = if anchored {
            Anchored::Yes
        } else {
            Anchored::No
        };
        // Bytes outside every string act alike in every state: they share column 0.
        let mut used = [false; 256];
        strings
            .iter()
            .flatten()
            .for_each(|&b| used[b as usize] = true);
        let mut reps: Vec<u8> = vec![(0..=255u8).find(|&b| !used[b as usize])?];
        let mut classes = [0u8; 256];
        for b in 0..=255u8 {
            if used[b as usize] {
                classes[b as usize] = u8::try_from(reps.len()).ok()?;
                reps.push(b);
            }
        }
        let columns = reps.len();
        // The states breadth first from the start, and their transitions by that order.
        let start = nfa.start_state(kind).ok()?;
        let mut order: Vec<StateID> = vec![start];
        // Where breadth first found each state: the state before it and the byte read.
        // A state's string in an unanchored automaton is the shortest text that leads to
        // it, so this path spells it.
        let mut found_from: Vec<(u32, u8)> = vec![(0, 0)];
        let mut place: Vec<u32> = Vec::new();
        let mut place_of = |sid: StateID, order: &mut Vec<StateID>| -> u32 {
            let i = sid.as_usize();
            if i >= place.len() {
                place.resize(i + 1, u32::MAX);
            }
            if place[i] == u32::MAX {
                place[i] = order.len() as u32;
                order.push(sid);
            }
            place[i]
        };
        place_of(start, &mut order);
        let mut by_place: Vec<u32> = Vec::new();
        let mut at = 0;
        while at < order.len() {
            let sid = order[at];
            for &b in &reps {
                let n = nfa.next_state(kind, sid, b);
                by_place.push(place_of(n, &mut order));
                if found_from.len() < order.len() {
                    found_from.push((at as u32, b));
                }
            }
            at += 1;
            if order.len() > usize::from(u16::MAX) {
                return None;
            }
        }
        // The strings each state reports: those that end there, less those `wanted`
        // rules out.
        let spelt = |mut i: usize| {
            let mut text = Vec::new();
            while i != 0 {
                let (from, b) = found_from[i];
                text.push(b);
                i = from as usize;
            }
            text.reverse();
            text
        };
        let reports: Vec<Vec<u32>> = order
            .iter()
            .enumerate()
            .map(|(i, &sid)| {
                if !nfa.is_match(sid) {
                    return Vec::new();
                }
                let all = (0..nfa.match_len(sid)).map(|k| nfa.match_pattern(sid, k).as_usize());
                let (Some(wanted), false) = (wanted, anchored) else {
                    return all.map(|p| p as u32).collect();
                };
                let text = spelt(i);
                all.filter(|&p| {
                    // The string ends the state's text; the byte before it is known
                    // when the text is longer.
                    let before = text.len().checked_sub(strings[p].len() + 1);
                    before.is_none_or(|at| wanted(p, text[at]))
                })
                .map(|p| p as u32)
                .collect()
            })
            .collect();
        // The dead state first, then the match states, then the others, each group in
        // breadth-first order: a state is special when its number is below `specials`.
        let group = |i: usize| {
            if nfa.is_dead(order[i]) {
                0
            } else if !reports[i].is_empty() {
                1
            } else {
                2
            }
        };
        let mut number = vec![0u16; order.len()];
        let mut renumbered: Vec<usize> = Vec::with_capacity(order.len());
        for g in 0..3 {
            for (i, n) in number.iter_mut().enumerate() {
                if group(i) == g {
                    *n = renumbered.len() as u16;
                    renumbered.push(i);
                }
            }
        }
        let specials = (0..order.len()).filter(|&i| group(i) < 2).count();
        let mut next = Vec::with_capacity(order.len() * columns);
        for &i in &renumbered {
            let row = &by_place[i * columns..(i + 1) * columns];
            next.extend(row.iter().map(|&t| number[t as usize]));
        }
        let mut match_at = vec![0u32];
        let mut matches = Vec::new();
        for &i in &renumbered[..specials] {
            matches.extend(&reports[i]);
            match_at.push(matches.len() as u32);
        }
        Some(Compact {
            classes,
            columns,
            next,
            start: number[0],
            specials: specials as u16,
            match_at,
            matches,
            lens: strings.iter().map(|s| s.len() as u32).collect(),
            max_len: strings.iter().map(Vec::len).max().unwrap_or(0),
        })
    }

    /// Steps from `state` through `hay[at..]` until a special state or the end; the place
    /// after the last byte read, and the state there. A loop of its own, with no call in
    /// it, so that the state stays in a register: the step is the scan's critical path.
    fn run(&self, hay: &[u8], mut at: usize, mut state: u16) -> (usize, u16) {
        let (table, specials) = (self.table(), self.specials);
        while at < hay.len() {
            state = table.step(state, hay[at]);
            at += 1;
            if state < specials {
                break;
            }
        }
        (at, state)
    }

    /// The transitions, as a value a scan loop keeps in registers.
    fn table(&self) -> Table<'_> {
        Table {
            next: &self.next,
            classes: &self.classes,
            columns: self.columns,
        }
    }

    /// Whether `state` is dead or a match state.
    fn is_special(&self, state: u16) -> bool {
        state < self.specials
    }

    /// The strings that end at special state `state` (none at the dead state).
    fn ends_at(&self, state: u16) -> &[u32] {
        let s = state as usize;
        &self.matches[self.match_at[s] as usize..self.match_at[s + 1] as usize]
    }
}

/// The transitions of a [`Compact`] DFA.
#[derive(Clone, Copy)]
struct Table<'a> {
    next: &'a [u16],
    classes: &'a [u8; 256],
    columns: usize,
}

impl Table<'_> {
    /// The state after reading `byte` in `state`.
    #[inline(always)]
    fn step(self, state: u16, byte: u8) -> u16 {
        self.next[state as usize * self.columns + self.classes[byte as usize] as usize]
    }
}

/// The shortest part of a text [`scan_compact`] walks in parts; shorter ones are not worth
/// the overlap (as long as the longest string) and buffers of the parts.
const MIN_PART: usize = 16;

/// Bytes the walks of [`scan_compact`] step through before they look at what they passed.
const STRETCH: usize = 32;

/// The special states one walk passed in a stretch of [`STRETCH`] bytes: (place after the
/// byte, state), of which the first `len` count.
#[derive(Clone, Copy)]
struct Passed {
    at: [u32; STRETCH],
    state: [u16; STRETCH],
    len: usize,
}

impl Passed {
    const EMPTY: Passed = Passed {
        at: [0; STRETCH],
        state: [0; STRETCH],
        len: 0,
    };

    /// Notes `state` after `at` bytes; it counts only if it is special. Writing always and
    /// counting conditionally takes no branch: special states come every few bytes, at
    /// places no predictor can guess, and a branch on each would often be mispredicted.
    #[inline(always)]
    fn note(&mut self, at: usize, state: u16, specials: u16) {
        let k = self.len % STRETCH;
        self.at[k] = at as u32;
        self.state[k] = state;
        self.len += usize::from(state < specials);
    }

    fn take(&mut self) -> impl Iterator<Item = (u16, usize)> + '_ {
        let len = std::mem::take(&mut self.len);
        (0..len).map(|k| (self.state[k], self.at[k] as usize))
    }
}

/// [`scan`] with a [`Compact`] DFA.
///
/// A step's table lookup waits for the one before it, and the table is larger than the
/// processor's first-level cache, so one walk through a text is bound by the latency of
/// its loads, not by the processor's throughput. A long text is therefore walked in two
/// or four parts side by side: independent chains of lookups in one loop. Each part but
/// the first starts from the start state `max_len - 1` bytes before the end of the part
/// before it, so it has read every byte of any string that ends past that end; it
/// reports only those, and the part before it the others. The reports of the later parts
/// wait in buffers until the first part is done, so the order (by end) is that of one
/// walk. The walks note the special states they pass without leaving their loop (see
/// [`Passed::note`]), and the strings that end there are reported after each stretch.
fn scan_compact(dfa: &Compact, hay: &[u8], found: impl FnMut(usize, usize, usize)) {
    debug_assert!(hay.len() < u32::MAX as usize);
    let overlap = dfa.max_len.saturating_sub(1);
    if hay.len() >= 4 * (MIN_PART + overlap) {
        scan_in_parts::<4>(dfa, hay, found)
    } else if hay.len() >= 2 * (MIN_PART + overlap) {
        scan_in_parts::<2>(dfa, hay, found)
    } else {
        scan_in_parts::<1>(dfa, hay, found)
    }
}

/// [`scan_compact`] in `PARTS` parts.
fn scan_in_parts<const PARTS: usize>(
    dfa: &Compact,
    hay: &[u8],
    mut found: impl FnMut(usize, usize, usize),
) {
    let mut report = |state: u16, at: usize| {
        for &p in dfa.ends_at(state) {
            found(p as usize, at - dfa.lens[p as usize] as usize, at);
        }
    };
    let (table, specials) = (dfa.table(), dfa.specials);
    let overlap = if PARTS == 1 {
        0
    } else {
        dfa.max_len.saturating_sub(1)
    };
    // Part j reads [j * (len - overlap), j * (len - overlap) + len), the last one to the
    // end of the text, and reports the strings that end past `j * (len - overlap) +
    // overlap` (0 for the first part).
    let len = (hay.len() + (PARTS - 1) * overlap).div_ceil(PARTS);
    let from: [usize; PARTS] = std::array::from_fn(|j| j * (len - overlap));
    let part = |j: usize| &hay[from[j]..(from[j] + len).min(hay.len())];
    let after = |j: usize| if j == 0 { 0 } else { from[j] + overlap };
    let parts: [&[u8]; PARTS] = std::array::from_fn(part);
    // Every part is at least as long as the last.
    let together = parts[PARTS - 1].len();
    let mut states = [dfa.start; PARTS];
    let mut passed = [Passed::EMPTY; PARTS];
    // The first part reports as it goes; the others' buffers are this thread's, taken
    // for the walk (a nested walk would make its own) and given back cleared.
    let mut later: [Vec<(u16, usize)>; PARTS] = LATER.with_borrow_mut(|kept| {
        std::array::from_fn(|j| match j {
            0 => Vec::new(),
            _ => kept.get_mut(j - 1).map(std::mem::take).unwrap_or_default(),
        })
    });
    for at in (0..together).step_by(STRETCH) {
        let end = (at + STRETCH).min(together);
        for k in at..end {
            let walks = states
                .iter_mut()
                .zip(&mut passed)
                .zip(parts.iter().zip(&from));
            for ((state, passed), (part, &from)) in walks {
                *state = table.step(*state, part[k]);
                passed.note(from + k + 1, *state, specials);
            }
        }
        for (state, at) in passed[0].take() {
            report(state, at);
        }
        for j in 1..PARTS {
            let after = after(j);
            later[j].extend(passed[j].take().filter(|&(_, at)| at > after));
        }
    }
    // The rest of the parts longer than the last.
    for j in 0..PARTS - 1 {
        for (k, &byte) in parts[j].iter().enumerate().skip(together) {
            states[j] = table.step(states[j], byte);
            let at = from[j] + k + 1;
            if states[j] < specials && at > after(j) {
                if j == 0 {
                    report(states[j], at);
                } else {
                    later[j].push((states[j], at));
                }
            }
        }
    }
    for part in &later[1..] {
        for &(state, at) in part {
            report(state, at);
        }
    }
    LATER.with_borrow_mut(|kept| {
        for (j, mut part) in later.into_iter().enumerate().skip(1) {
            part.clear();
            if let Some(k) = kept.get_mut(j - 1) {
                *k = part;
            }
        }
    });
}

thread_local! {
    /// The report buffers of [`scan_in_parts`]'s second to fourth parts, kept per thread:
    /// a letter has a dozen texts walked in parts.
    static LATER: std::cell::RefCell<[Vec<(u16, usize)>; 3]> = const {
        std::cell::RefCell::new([Vec::new(), Vec::new(), Vec::new()])
    };
}

/// The automaton a search uses, and how its string indices map to the set's.
enum Pick<'a> {
    Nfa(&'a noncontiguous::NFA, Option<&'a [u32]>),
    Dfa(&'a Compact),
    Nothing,
}

impl StringSet {
    /// Builds the automaton of `strings` (none empty), unless builds are deferred.
    pub fn new(strings: Vec<Vec<u8>>) -> Result<Self, String> {
        Self::make(strings, false)
    }

    /// A set searched only from given starts ([`StringSet::for_each_at`]).
    pub fn new_anchored(strings: Vec<Vec<u8>>) -> Result<Self, String> {
        Self::make(strings, true)
    }

    fn make(strings: Vec<Vec<u8>>, anchored: bool) -> Result<Self, String> {
        let full = OnceLock::new();
        if !automata_deferred() {
            let _ = full.set(Some(build(&strings)?));
        }
        Ok(StringSet {
            strings,
            anchored,
            full,
            dfa: OnceLock::new(),
            full_searches: AtomicU32::new(0),
            letter: OnceLock::new(),
            wanted: None,
        })
    }

    /// Lets the set leave out occurrences its caller would drop: `wanted(string, byte)`
    /// says whether an occurrence of the string right after the byte may be wanted (a
    /// phrase that must start a word is not wanted after a letter). The DFA a long batch
    /// builds ([`Compact`]) then stops only where some occurrence may be wanted: in the
    /// default pack's phrases, short words that end longer ones ("he" in "the") are a
    /// good part of all occurrences, and each stop costs a mispredicted branch. The
    /// filter is a hint, not a promise: other automata report every occurrence, and so
    /// does the DFA where the byte before is not known from its state, so the caller
    /// still checks. For a set made with [`StringSet::new`].
    pub fn wanted_after(
        mut self,
        wanted: impl Fn(usize, u8) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.wanted = Some(WantedAfter(Box::new(wanted)));
        self
    }

    fn full(&self) -> Option<&noncontiguous::NFA> {
        self.full.get_or_init(|| build(&self.strings).ok()).as_ref()
    }

    /// Builds the automaton of the strings that can occur in a text `grams` covers, and
    /// searches such texts with it from now on. Only the first call counts.
    pub fn restrict_to(&self, grams: &Trigrams) {
        self.letter.get_or_init(|| {
            let (ids, strings): (Vec<u32>, Vec<Vec<u8>>) = self
                .strings
                .iter()
                .enumerate()
                // A string can occur in a covered text only if the letter covers it too
                // (one of fewer than three letters and digits always may).
                .filter(|(_, s)| grams.covers(s))
                .map(|(i, s)| (i as u32, s.clone()))
                .unzip();
            let nfa = if strings.is_empty() {
                None
            } else {
                Some(build(&strings).ok()?)
            };
            Some(Restricted {
                nfa,
                ids,
                grams: grams.clone(),
            })
        });
    }

    /// Calls `found(string index, start, end)` for every occurrence in `hay`, in order of
    /// end, then of string index as the automaton lists them. For a set made with
    /// [`StringSet::new`].
    pub fn for_each(&self, hay: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        debug_assert!(!self.anchored);
        match self.pick(hay) {
            Pick::Nfa(nfa, Some(ids)) => scan(nfa, hay, |k, s, e| found(ids[k] as usize, s, e)),
            Pick::Nfa(nfa, None) => scan(nfa, hay, found),
            Pick::Dfa(dfa) => scan_compact(dfa, hay, found),
            Pick::Nothing => {}
        }
    }

    /// Calls `found(string index, start, end)` for every occurrence in `hay` that starts at
    /// one of `starts`, in order of start, then of end. For a set made with
    /// [`StringSet::new_anchored`]: a search that only keeps occurrences at word starts
    /// walks from those alone, instead of through every byte and every occurrence inside
    /// words.
    pub fn for_each_at(
        &self,
        hay: &[u8],
        starts: &[usize],
        mut found: impl FnMut(usize, usize, usize),
    ) {
        debug_assert!(self.anchored);
        match self.pick(hay) {
            Pick::Nfa(nfa, Some(ids)) => {
                walk(nfa, hay, starts, |k, s, e| found(ids[k] as usize, s, e))
            }
            Pick::Nfa(nfa, None) => walk(nfa, hay, starts, found),
            Pick::Dfa(dfa) => walk_compact(dfa, hay, starts, found),
            Pick::Nothing => {}
        }
    }

    /// The automaton to search `hay` with.
    fn pick(&self, hay: &[u8]) -> Pick<'_> {
        if let Some(Some(r)) = self.letter.get() {
            if r.grams.covers(hay) {
                return match &r.nfa {
                    Some(nfa) => Pick::Nfa(nfa, Some(&r.ids)),
                    None => Pick::Nothing,
                };
            }
        }
        if let Some(Some(dfa)) = self.dfa.get() {
            return Pick::Dfa(dfa);
        }
        let Some(nfa) = self.full() else {
            return Pick::Nothing;
        };
        // Exactly one search reaches the count; it builds the DFA while others go on
        // with the NFA (`OnceLock::get` does not wait for a build under way).
        if self.full_searches.load(Ordering::Relaxed) < DFA_AFTER
            && self.full_searches.fetch_add(1, Ordering::Relaxed) + 1 == DFA_AFTER
        {
            if let Some(dfa) = self.dfa.get_or_init(|| {
                let wanted = self
                    .wanted
                    .as_ref()
                    .map(|w| &*w.0 as &dyn Fn(usize, u8) -> bool);
                Compact::build(nfa, &self.strings, self.anchored, wanted)
            }) {
                return Pick::Dfa(dfa);
            }
        }
        Pick::Nfa(nfa, None)
    }
}

/// The three-character runs that occur in some texts, the texts read as their ASCII
/// letters and digits only, lowercased: what lies between them (spaces, line breaks,
/// hyphens, punctuation) is dropped, so that the ways texts are cut and joined (lines
/// joined, words de-hyphenated, tokens spaced) do not matter. Deleting characters keeps
/// substrings substrings, so a string occurs in a covered text only if all its runs are
/// here. One bit for each of the 36^3 runs.
#[derive(Debug, Clone)]
pub struct Trigrams {
    bits: Vec<u64>,
}

const GRAMS: usize = 36 * 36 * 36;

impl Default for Trigrams {
    fn default() -> Self {
        Trigrams {
            bits: vec![0; GRAMS.div_ceil(64)],
        }
    }
}

/// A letter or digit's place among the 36, lowercase and uppercase alike.
fn code(b: u8) -> Option<usize> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as usize),
        b'a'..=b'z' => Some((b - b'a') as usize + 10),
        b'A'..=b'Z' => Some((b - b'A') as usize + 10),
        _ => None,
    }
}

/// Calls `f` with each run of `text` until it returns false; whether it never did.
fn all_grams(text: &[u8], mut f: impl FnMut(usize) -> bool) -> bool {
    let (mut a, mut b, mut seen) = (0, 0, 0);
    for &byte in text {
        let Some(c) = code(byte) else {
            continue;
        };
        if seen >= 2 && !f((a * 36 + b) * 36 + c) {
            return false;
        }
        (a, b, seen) = (b, c, seen + 1);
    }
    true
}

impl Trigrams {
    /// Adds the runs of `text`.
    pub fn add(&mut self, text: &[u8]) {
        let bits = &mut self.bits;
        all_grams(text, |g| {
            bits[g / 64] |= 1 << (g % 64);
            true
        });
    }

    fn has(&self, g: usize) -> bool {
        self.bits[g / 64] & (1 << (g % 64)) != 0
    }

    /// Whether every run of `text` is here.
    pub fn covers(&self, text: &[u8]) -> bool {
        all_grams(text, |g| self.has(g))
    }
}

fn scan(aut: &impl Automaton, hay: &[u8], mut found: impl FnMut(usize, usize, usize)) {
    let Ok(mut sid) = aut.start_state(Anchored::No) else {
        return;
    };
    for (i, &b) in hay.iter().enumerate() {
        sid = aut.next_state(Anchored::No, sid, b);
        if aut.is_special(sid) && aut.is_match(sid) {
            let end = i + 1;
            for k in 0..aut.match_len(sid) {
                let p = aut.match_pattern(sid, k);
                found(p.as_usize(), end - aut.pattern_len(p), end);
            }
        }
    }
}

/// [`walk`] with a [`Compact`] DFA.
fn walk_compact(
    dfa: &Compact,
    hay: &[u8],
    starts: &[usize],
    mut found: impl FnMut(usize, usize, usize),
) {
    for &start in starts {
        if start > hay.len() {
            continue;
        }
        let (mut at, mut state) = (start, dfa.start);
        while at < hay.len() {
            (at, state) = dfa.run(hay, at, state);
            if !dfa.is_special(state) {
                break;
            }
            let ends = dfa.ends_at(state);
            if ends.is_empty() {
                // The dead state: no string goes on.
                break;
            }
            let len = at - start;
            for &p in ends {
                if dfa.lens[p as usize] as usize == len {
                    found(p as usize, start, at);
                }
            }
        }
    }
}

/// The occurrences that start at each of `starts`: an anchored walk from each, which
/// ends where no string goes on. The automaton lists, at a state, the strings that end
/// there; only those as long as the walk started at the start.
fn walk(
    aut: &impl Automaton,
    hay: &[u8],
    starts: &[usize],
    mut found: impl FnMut(usize, usize, usize),
) {
    let Ok(start) = aut.start_state(Anchored::Yes) else {
        return;
    };
    for &at in starts {
        let Some(rest) = hay.get(at..) else {
            continue;
        };
        let mut sid = start;
        for (i, &b) in rest.iter().enumerate() {
            sid = aut.next_state(Anchored::Yes, sid, b);
            if aut.is_special(sid) {
                if aut.is_dead(sid) {
                    break;
                }
                if aut.is_match(sid) {
                    let len = i + 1;
                    for k in 0..aut.match_len(sid) {
                        let p = aut.match_pattern(sid, k);
                        if aut.pattern_len(p) == len {
                            found(p.as_usize(), at, at + len);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// Strings that overlap and nest, and a text where they do.
    const STRINGS: [&str; 8] = [
        "red flag",
        "red flags",
        "flag",
        "a",
        "ag",
        "back pain",
        "pain",
        "ba",
    ];
    const HAY: &[u8] = b"no red flags; back pain and a flag, bag ag";

    fn set_of(strings: &[&str]) -> StringSet {
        StringSet::new(strings.iter().map(|s| s.as_bytes().to_vec()).collect()).unwrap()
    }

    /// What the crate's overlapping iterator finds, in its order.
    fn crate_finds(strings: &[&str], hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(strings)
            .unwrap();
        ac.find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    /// The walk finds what the crate's overlapping iterator finds, in the same order.
    #[test]
    fn every_overlapping_occurrence_as_the_crate_finds_them() {
        let want = crate_finds(&STRINGS, HAY);
        assert_eq!(occurrences(&set_of(&STRINGS), HAY), want);
        assert!(want.len() > 10);
    }

    /// A long batch switches to the DFA; what is found does not change.
    #[test]
    fn the_dfa_a_long_batch_switches_to_finds_what_the_nfa_finds() {
        let hays: [&[u8]; 3] = [HAY, b"", b"pain pain ba"];
        let want: Vec<_> = hays.iter().map(|h| crate_finds(&STRINGS, h)).collect();
        let set = set_of(&STRINGS);
        assert!(set.dfa.get().is_none());
        for i in 0..DFA_AFTER as usize {
            assert_eq!(occurrences(&set, hays[i % 3]), want[i % 3]);
        }
        assert!(
            matches!(set.dfa.get(), Some(Some(_))),
            "built after {DFA_AFTER} searches"
        );
        for (h, w) in hays.iter().zip(&want) {
            assert_eq!(&occurrences(&set, h), w);
        }
    }

    /// A long text is walked in two or four parts side by side; every occurrence is found
    /// once, in the order one walk finds them, wherever the parts meet: in particular
    /// across a meeting place, and where the longest string ends right after it.
    #[test]
    fn the_dfa_walks_parts_of_a_long_text_and_finds_what_one_walk_finds() {
        let set = set_of(&STRINGS);
        let dfa = Compact::build(set.full().unwrap(), &set.strings, false, None).unwrap();
        let text: Vec<u8> = [HAY, b" red flags", b"back pain ", HAY, b"xx red flags", HAY]
            .concat()
            .repeat(3);
        let walk = |hay: &[u8], parts: usize| {
            let mut got = Vec::new();
            let found = |p, s, e| got.push((p, s, e));
            match parts {
                1 => scan_in_parts::<1>(&dfa, hay, found),
                2 => scan_in_parts::<2>(&dfa, hay, found),
                _ => scan_in_parts::<4>(&dfa, hay, found),
            }
            got
        };
        let mut walked = [0; 3];
        for n in 0..=text.len() {
            let hay = &text[..n];
            let want = crate_finds(&STRINGS, hay);
            let mut got = Vec::new();
            scan_compact(&dfa, hay, |p, s, e| got.push((p, s, e)));
            assert_eq!(got, want, "first {n} bytes");
            for (i, parts) in [1, 2, 4].into_iter().enumerate() {
                if n >= parts * (MIN_PART + dfa.max_len) {
                    assert_eq!(walk(hay, parts), want, "first {n} bytes in {parts} parts");
                    walked[i] += 1;
                }
            }
        }
        assert!(
            walked[2] > 300,
            "{walked:?} texts walked in 1, 2 and 4 parts"
        );
    }

    /// Walks from given starts find exactly the occurrences that start there, whichever
    /// automaton the set searches with: the NFA, the DFA a long batch switches to, or the
    /// automaton of one letter's strings.
    #[test]
    fn walks_from_given_starts_find_the_occurrences_that_start_there() {
        let hays: [&[u8]; 4] = [HAY, b"", b"pain pain ba", b"flag"];
        let want = |hay: &[u8], starts: &[usize]| {
            let mut w: Vec<_> = crate_finds(&STRINGS, hay)
                .into_iter()
                .filter(|(_, s, _)| starts.contains(s))
                .collect();
            w.sort_by_key(|&(p, s, e)| (s, e, p));
            w
        };
        let got = |set: &StringSet, hay: &[u8], starts: &[usize]| {
            let mut g = Vec::new();
            set.for_each_at(hay, starts, |p, s, e| g.push((p, s, e)));
            g.sort_by_key(|&(p, s, e)| (s, e, p));
            g
        };
        // Every position, word starts only, and starts past the end.
        let starts_of = |hay: &[u8]| -> Vec<Vec<usize>> {
            let words = (0..hay.len())
                .filter(|&i| hay[i] != b' ' && (i == 0 || hay[i - 1] == b' '))
                .collect();
            vec![
                (0..hay.len()).collect(),
                words,
                vec![hay.len(), hay.len() + 3],
            ]
        };
        let set = StringSet::new_anchored(STRINGS.iter().map(|s| s.as_bytes().to_vec()).collect())
            .unwrap();
        let mut found = 0;
        for i in 0..DFA_AFTER as usize + 8 {
            let hay = hays[i % hays.len()];
            for starts in starts_of(hay) {
                let w = want(hay, &starts);
                found += w.len();
                assert_eq!(
                    got(&set, hay, &starts),
                    w,
                    "{:?} {starts:?}",
                    String::from_utf8_lossy(hay)
                );
            }
        }
        assert!(matches!(set.dfa.get(), Some(Some(_))), "the DFA was built");
        assert!(found > DFA_AFTER as usize * 5, "{found}");
        // Restricted to a letter: its texts and others give the same.
        let letter =
            StringSet::new_anchored(STRINGS.iter().map(|s| s.as_bytes().to_vec()).collect())
                .unwrap();
        let mut grams = Trigrams::default();
        grams.add(b"no red flags; pain");
        letter.restrict_to(&grams);
        for hay in hays {
            for starts in starts_of(hay) {
                assert_eq!(got(&letter, hay, &starts), want(hay, &starts));
            }
        }
    }

    /// A set too big for 16-bit state numbers keeps its NFA, and finds the same.
    #[test]
    fn a_set_too_big_for_the_compact_dfa_keeps_searching_with_its_nfa() {
        // 10,000 pseudo-random twelve-letter strings: some 90,000 trie states.
        let mut seed: u64 = 1;
        let strings: Vec<String> = (0..10_000)
            .map(|_| {
                (0..12)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (b'a' + ((seed >> 33) % 26) as u8) as char
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
        let set = set_of(&refs);
        assert!(Compact::build(set.full().unwrap(), &set.strings, false, None).is_none());
        let hay = format!("x {} y {}z", strings[7], strings[4321]);
        let want = crate_finds(&refs, hay.as_bytes());
        assert!(want.len() >= 2);
        for _ in 0..DFA_AFTER + 2 {
            assert_eq!(occurrences(&set, hay.as_bytes()), want);
        }
        assert!(matches!(set.dfa.get(), Some(None)), "the DFA was tried");
    }

    /// With a filter of the byte before, the DFA a long batch switches to reports every
    /// occurrence the filter wants and only occurrences there are; it leaves out those it
    /// can tell are unwanted ("ag" after "l" in "flag", where its state spells the "l").
    #[test]
    fn the_dfa_leaves_out_occurrences_not_wanted_after_the_byte_before() {
        let wanted = |k: usize, before: u8| STRINGS[k] != "ag" || before != b'l';
        let set = StringSet::new(STRINGS.iter().map(|s| s.as_bytes().to_vec()).collect())
            .unwrap()
            .wanted_after(wanted);
        let hays: [&[u8]; 3] = [HAY, b"ag flag", b"bag ag rag"];
        // The search that makes DFA_AFTER builds the DFA and uses it.
        for i in 0..DFA_AFTER as usize - 1 {
            let hay = hays[i % 3];
            assert_eq!(
                occurrences(&set, hay),
                crate_finds(&STRINGS, hay),
                "the NFA reports all"
            );
        }
        occurrences(&set, b"");
        assert!(matches!(set.dfa.get(), Some(Some(_))), "the DFA was built");
        let ag = STRINGS.iter().position(|&s| s == "ag").unwrap();
        let mut left_out = 0;
        for hay in hays {
            let all = crate_finds(&STRINGS, hay);
            let got = occurrences(&set, hay);
            let is_wanted = |&&(k, s, _): &&(usize, usize, usize)| s == 0 || wanted(k, hay[s - 1]);
            assert!(got.iter().all(|o| all.contains(o)), "{got:?}");
            assert_eq!(
                got.iter().filter(is_wanted).collect::<Vec<_>>(),
                all.iter().filter(is_wanted).collect::<Vec<_>>()
            );
            left_out += all.len() - got.len();
            assert!(all.iter().filter(|o| !is_wanted(o)).all(|o| o.0 == ag));
        }
        assert!(left_out >= 2, "{left_out}");
    }

    fn occurrences(set: &StringSet, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut got = Vec::new();
        set.for_each(hay, |p, s, e| got.push((p, s, e)));
        got
    }

    /// Restricted to one letter, a set finds in the letter's texts, and in any other
    /// text, exactly what the whole set finds; it holds only the strings that can occur.
    #[test]
    fn a_set_restricted_to_a_letter_finds_what_the_whole_set_finds() {
        let strings: Vec<Vec<u8>> = [
            "radiculopathy",
            "low back",
            "red flag",
            "cauda equina",
            "x ray",
            "no",
            "of",
            "mri",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let whole = StringSet::new(strings.clone()).unwrap();
        let letter = StringSet::new(strings).unwrap();
        let source = "Low back pain with radi-\nculopathy; no red\n  flags. X-ray of the spine.";
        let mut grams = Trigrams::default();
        grams.add(source.as_bytes());
        letter.restrict_to(&grams);
        let kept = &letter.letter.get().unwrap().as_ref().unwrap().ids;
        // "cauda equina" and "mri" cannot occur; the two-letter strings always may.
        assert_eq!(kept, &[0, 1, 2, 4, 5, 6]);
        // Texts cut and joined from the letter are covered and searched by the small set.
        let joined = [
            "low back pain with radiculopathy; no red flags. x ray of the spine.",
            "no red flags .",
            "radiculopathy",
        ];
        for text in joined {
            assert!(grams.covers(text.as_bytes()), "{text}");
            assert_eq!(
                occurrences(&letter, text.as_bytes()),
                occurrences(&whole, text.as_bytes())
            );
        }
        // A text the letter does not cover is searched with the whole set.
        let other = b"mri shows cauda equina compression; no red flags";
        assert!(!grams.covers(other));
        let found = occurrences(&letter, other);
        assert_eq!(found, occurrences(&whole, other));
        assert!(found.iter().any(|&(p, ..)| p == 3));
    }

    #[test]
    fn trigrams_read_letters_and_digits_only_in_any_case() {
        let mut grams = Trigrams::default();
        grams.add(b"L4-5 disc");
        for covered in ["l45 disc", "L4 5, DISC", "l4\n5disc", "", "ab", "l4"] {
            assert!(grams.covers(covered.as_bytes()), "{covered}");
        }
        for not in ["l46", "discs", "5 dis c x"] {
            assert!(!grams.covers(not.as_bytes()), "{not}");
        }
    }
}
