//! Context assessment for concept mentions (NegEx / ConText style).
//!
//! Triggers are data (the `context:` section of a rule pack, see [`ContextSection`]). They are
//! compiled once into an Aho-Corasick automaton (plain phrases, and the first words of each
//! regex trigger), walked from each token start of a sentence (a match that starts inside
//! a token cannot cover whole tokens), plus lazy DFAs for the regex triggers, run only where
//! their first words occur. [`ContextEngine::assess`] segments the text once (see [`super::sentence`]),
//! tokenises each sentence that holds a target, looks all triggers up once per sentence and then
//! decides every target of that sentence from the matches.
//!
//! # Matching
//!
//! A sentence is normalised to its tokens, lowercased and joined by single spaces
//! ("Denies  any\nNUMBNESS," becomes `denies any numbness ,`); phrases are normalised the same way,
//! so a phrase matches regardless of case, line wraps and runs of spaces, and always on whole
//! tokens. Regex triggers run on that normalised form (case-insensitive) and must also start and
//! end on token boundaries.
//!
//! For each target, matches that overlap the target are discarded (so a concept "no focal
//! deficit" or "history of cancer" is not negated / made historical by its own words, and a
//! pseudo-trigger such as "no change" does not hide the "no" of "no CHANGE IN VISION"). The
//! remaining matches are reduced NegEx-style to non-overlapping leftmost-longest ones, so
//! pseudo-triggers ("not only", "gram negative") swallow the trigger words inside them.
//!
//! # Scope
//!
//! A forward trigger covers a target that starts after it, a backward trigger a target that ends
//! before it, when (1) no terminator match and no clause boundary (`;`) lies between them, and
//! (2) the target's first (forward) or last (backward) word is within the trigger's window,
//! counted in content words: function words such as "any", "of", "or", "the", "was" are not
//! counted, so long coordinated lists ("denies fever, chills, or night sweats") stay in scope.
//! The window is set per trigger (`window:`), else by the section (`window:`), else
//! [`DEFAULT_WINDOW`]. Sentence ends always end a scope; a list item inherits triggers from its
//! lead-in ("Denies:" / "- numbness").
//!
//! # Precedence
//!
//! When triggers of several categories apply, the status is chosen in this order:
//!
//! `hypothetical` > `negated` > `other` > `resolved` > `historical` > `possible`
//!
//! * Hypothetical first: conditionals assert nothing ("return if the fever does not resolve",
//!   "once the infection has resolved").
//! * Negated next: an explicit absence holds whoever the sentence is about ("family history is
//!   negative for coronary disease", "no history of diabetes").
//! * Experiencer (other) next: a statement about a relative is never a finding of the patient
//!   ("mother had breast cancer", "family history of stenosis").
//! * Resolved before historical: "prior numbness, now resolved" is gone.
//! * Historical before possible, as a dated past event is more specific than a hedge.
//!
//! Within one category the trigger nearest to the target wins (ties: the earlier one).

use super::patterns::{Pattern, PatternSet};
use super::scan::{StringSet, Trigrams};
use super::sentence::{self, ceil_char_boundary, floor_char_boundary, Token, TokenKind};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Window (in content words) used when neither the trigger nor any section sets one.
pub const DEFAULT_WINDOW: usize = 10;

/// How a mention of a clinical concept is asserted by the text around it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Asserted as a current finding of the patient.
    Present,
    /// Said to be absent ("denies", "no", "negative for").
    Negated,
    /// Past episode or prior procedure ("history of", "status post", "prior").
    Historical,
    /// Conditional or planned ("if symptoms worsen", "should X occur").
    Hypothetical,
    /// Uncertain ("possible", "rule out", "cannot exclude").
    Possible,
    /// Was present and has gone ("has resolved", "no longer").
    Resolved,
    /// About someone other than the patient ("mother had").
    Other,
}

/// The status of one mention, with the trigger that decided it (if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub status: Status,
    /// The trigger phrase as written in the text, and its byte range in the text.
    pub trigger: Option<(String, Range<usize>)>,
}

impl Assessment {
    fn present() -> Self {
        Assessment {
            status: Status::Present,
            trigger: None,
        }
    }
}

/// What a trigger does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerCategory {
    Negated,
    Historical,
    Hypothetical,
    Possible,
    Resolved,
    /// Experiencer other than the patient.
    Other,
    /// Looks like a trigger but is not ("not only", "gram negative"): matched and ignored.
    Pseudo,
    /// Ends the scope of triggers before / after it ("but", "however").
    Terminate,
}

impl TriggerCategory {
    fn status(self) -> Option<Status> {
        match self {
            TriggerCategory::Negated => Some(Status::Negated),
            TriggerCategory::Historical => Some(Status::Historical),
            TriggerCategory::Hypothetical => Some(Status::Hypothetical),
            TriggerCategory::Possible => Some(Status::Possible),
            TriggerCategory::Resolved => Some(Status::Resolved),
            TriggerCategory::Other => Some(Status::Other),
            TriggerCategory::Pseudo | TriggerCategory::Terminate => None,
        }
    }
}

/// How many statuses there are (for tables indexed by status).
const STATUSES: usize = 7;
const _: () = assert!(Status::Other as usize + 1 == STATUSES);

/// Statuses in decreasing precedence (see the module documentation).
pub const PRECEDENCE: [Status; 6] = [
    Status::Hypothetical,
    Status::Negated,
    Status::Other,
    Status::Resolved,
    Status::Historical,
    Status::Possible,
];

/// Which side of the trigger its scope lies on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Targets after the trigger ("no fever").
    #[default]
    Forward,
    /// Targets before the trigger ("fever has resolved").
    Backward,
    /// Both sides ("unlikely").
    Both,
}

/// One trigger entry: a category and direction shared by a list of phrases, or one regex.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerDef {
    pub category: TriggerCategory,
    #[serde(default)]
    pub direction: Direction,
    /// Scope in content words; defaults to the section's `window`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    /// Literal phrases, matched case-insensitively on whole tokens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
    /// A regex over the normalised sentence (lowercase tokens joined by single spaces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Free-text note for rule authors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Trigger definitions as they appear in a rule pack (`context:` section).
///
/// ```yaml
/// context:
///   window: 8
///   triggers:
///     - category: negated
///       direction: forward
///       phrases: [no, denies, negative for]
///     - category: resolved
///       direction: backward
///       window: 5
///       phrases: [has resolved]
///     - category: historical
///       direction: backward
///       regex: 'in (19|20)\d\d'
///     - category: pseudo
///       phrases: [gram negative, not only]
///     - category: terminate
///       phrases: [but, however]
/// ```
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextSection {
    /// Default scope window (content words) for this section's triggers, and for the whole
    /// engine if it is the last section that sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    #[serde(default)]
    pub triggers: Vec<TriggerDef>,
}

/// One compiled trigger (one phrase or one regex).
#[derive(Debug, Clone)]
struct Trigger {
    category: TriggerCategory,
    direction: Direction,
    /// Explicit window of the trigger or its section; `None` = engine default.
    window: Option<usize>,
    /// Display form (the phrase or regex as written).
    label: String,
}

/// A trigger as listed by [`ContextEngine::triggers`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriggerInfo {
    pub category: TriggerCategory,
    pub direction: Direction,
    pub window: usize,
    pub pattern: String,
    pub is_regex: bool,
}

/// Compiled triggers.
#[derive(Debug, Default)]
pub struct ContextEngine {
    triggers: Vec<Trigger>,
    /// Aho-Corasick over normalised phrases; pattern id -> trigger index.
    phrases: Option<StringSet>,
    phrase_trigger: Vec<usize>,
    /// Regex triggers; each runs where one of its first words occurs (they join the
    /// phrase automaton after the phrases).
    regexes: PatternSet,
    regex_trigger: Vec<usize>,
    /// For automaton patterns past the phrases: the regexes they start.
    anchor_regexes: Vec<Vec<u32>>,
    window: usize,
}

/// Function words that do not count towards a scope window (a `match`, which compiles to
/// a dispatch on length: this runs for every word of every sentence with a mention).
fn is_stopword(word: &[u8]) -> bool {
    matches!(
        word,
        b"a" | b"an"
            | b"the"
            | b"any"
            | b"or"
            | b"and"
            | b"of"
            | b"other"
            | b"to"
            | b"for"
            | b"in"
            | b"on"
            | b"at"
            | b"with"
            | b"by"
            | b"his"
            | b"her"
            | b"their"
            | b"its"
            | b"this"
            | b"that"
            | b"these"
            | b"those"
            | b"all"
            | b"some"
            | b"is"
            | b"are"
            | b"was"
            | b"were"
            | b"be"
            | b"been"
            | b"being"
            | b"has"
            | b"have"
            | b"had"
            | b"do"
            | b"does"
            | b"did"
            | b"s"
    )
}

/// Normalises a phrase the way sentences are normalised.
fn normalise_phrase(p: &str) -> String {
    let toks = sentence::tokenize(p, 0..p.len());
    let mut out = String::new();
    for t in &toks {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&p[t.range.clone()].to_lowercase());
    }
    out
}

impl ContextEngine {
    /// Compiles the trigger sections of all packs (later sections extend earlier ones; a phrase
    /// defined again later overrides the earlier definition).
    pub fn compile(sections: &[&ContextSection]) -> Result<Self, String> {
        let mut triggers: Vec<Trigger> = Vec::new();
        let mut phrase_pats: Vec<String> = Vec::new();
        let mut phrase_trigger: Vec<usize> = Vec::new();
        let mut regexes: Vec<Pattern> = Vec::new();
        let mut regex_trigger: Vec<usize> = Vec::new();
        let mut window = DEFAULT_WINDOW;
        for s in sections {
            if let Some(w) = s.window {
                if w == 0 {
                    return Err("context window must be at least 1".to_string());
                }
                window = w;
            }
        }
        for (si, section) in sections.iter().enumerate() {
            let place = if sections.len() > 1 {
                format!(" in context section {}", si + 1)
            } else {
                String::new()
            };
            for (ti, def) in section.triggers.iter().enumerate() {
                let n = ti + 1;
                let first = def
                    .phrases
                    .first()
                    .cloned()
                    .or_else(|| def.regex.clone())
                    .unwrap_or_default();
                let err =
                    |label: &str, msg: String| format!("trigger {n} ('{label}'){place}: {msg}");
                if def.phrases.is_empty() && def.regex.is_none() {
                    return Err(err(&first, "needs `phrases` or `regex`".to_string()));
                }
                if !def.phrases.is_empty() && def.regex.is_some() {
                    return Err(err(
                        &first,
                        "has both `phrases` and `regex`; use one per trigger".to_string(),
                    ));
                }
                if def.window == Some(0) {
                    return Err(err(&first, "window must be at least 1".to_string()));
                }
                let win = def.window.or(section.window);
                for p in &def.phrases {
                    let norm = normalise_phrase(p);
                    if norm.is_empty() {
                        return Err(err(p, "phrase has no words".to_string()));
                    }
                    phrase_pats.push(norm);
                    phrase_trigger.push(triggers.len());
                    triggers.push(Trigger {
                        category: def.category,
                        direction: def.direction,
                        window: win,
                        label: p.clone(),
                    });
                }
                if let Some(re) = &def.regex {
                    // A default trigger was checked when imrlint was built.
                    let trusted = crate::rules::load::default_trigger_anchors(re)
                        .map(|a| Ok(Pattern::trusted(re, a)));
                    let compiled = trusted
                        .unwrap_or_else(|| Pattern::check_lowercase(re, 1 << 20))
                        .map_err(|e| {
                            if e.contains("empty string") {
                                err(re, e)
                            } else {
                                err(re, format!("invalid regex: {e}"))
                            }
                        })?;
                    regexes.push(compiled);
                    regex_trigger.push(triggers.len());
                    triggers.push(Trigger {
                        category: def.category,
                        direction: def.direction,
                        window: win,
                        label: re.clone(),
                    });
                }
            }
        }
        // Each regex's first words follow the phrases in the automaton.
        let mut anchor_regexes: Vec<Vec<u32>> = Vec::new();
        let mut anchor_index: crate::fasthash::FastMap<Vec<u8>, usize> =
            crate::fasthash::FastMap::default();
        let mut patterns: Vec<Vec<u8>> =
            phrase_pats.iter().map(|p| p.as_bytes().to_vec()).collect();
        for (ri, r) in regexes.iter().enumerate() {
            for lit in r.starts().unwrap_or_default() {
                let k = *anchor_index.entry(lit.clone()).or_insert_with(|| {
                    patterns.push(lit.clone());
                    anchor_regexes.push(Vec::new());
                    anchor_regexes.len() - 1
                });
                anchor_regexes[k].push(ri as u32);
            }
        }
        let phrases = if patterns.is_empty() {
            None
        } else {
            Some(
                // Only a match at a token start counts: a phrase must cover whole
                // tokens, and a regex trigger must start a token to cover them.
                StringSet::new_anchored(patterns)
                    .map_err(|e| format!("cannot compile context phrases: {e}"))?,
            )
        };
        Ok(ContextEngine {
            triggers,
            phrases,
            phrase_trigger,
            regexes: PatternSet::new(regexes),
            regex_trigger,
            anchor_regexes,
            window,
        })
    }

    /// Number of compiled triggers (phrases + regexes).
    pub fn len(&self) -> usize {
        self.triggers.len()
    }

    /// Whether no trigger is compiled.
    pub fn is_empty(&self) -> bool {
        self.triggers.is_empty()
    }

    /// Lists the compiled triggers in definition order.
    pub fn triggers(&self) -> Vec<TriggerInfo> {
        let regex_ids: std::collections::HashSet<usize> =
            self.regex_trigger.iter().copied().collect();
        self.triggers
            .iter()
            .enumerate()
            .map(|(i, t)| TriggerInfo {
                category: t.category,
                direction: t.direction,
                window: t.window.unwrap_or(self.window),
                pattern: t.label.clone(),
                is_regex: regex_ids.contains(&i),
            })
            .collect()
    }

    /// Assesses every target span (byte ranges into `text`, sorted or not) and returns one
    /// assessment per target, in the same order. `text` may hold many sentences.
    ///
    /// Ranges outside `text` are clamped; ranges not on char boundaries are widened to the
    /// enclosing characters; a target that lies outside every sentence is `Present`.
    pub fn assess(&self, text: &str, targets: &[Range<usize>]) -> Vec<Assessment> {
        if targets.is_empty() || text.is_empty() || self.triggers.is_empty() {
            return vec![Assessment::present(); targets.len()];
        }
        self.assess_in(text, &sentence::segment(text), targets)
    }

    /// Searches sentences that `grams` covers with an automaton of only the trigger
    /// phrases that can occur in them (see [`StringSet::restrict_to`]).
    pub fn restrict_to(&self, grams: &Trigrams) {
        if let Some(ac) = &self.phrases {
            ac.restrict_to(grams);
        }
    }

    /// [`ContextEngine::assess`] for a text already split into `segments`
    /// ([`sentence::segment`]).
    pub fn assess_in(
        &self,
        text: &str,
        segments: &[sentence::Segment],
        targets: &[Range<usize>],
    ) -> Vec<Assessment> {
        let mut out = vec![Assessment::present(); targets.len()];
        if targets.is_empty() || text.is_empty() || self.triggers.is_empty() {
            return out;
        }
        if segments.is_empty() {
            return out;
        }
        // (segment index, target index, clamped range), grouped by segment.
        let mut jobs: Vec<(usize, usize, Range<usize>)> = Vec::with_capacity(targets.len());
        for (ti, t) in targets.iter().enumerate() {
            let s = floor_char_boundary(text, t.start.min(text.len()));
            let e = ceil_char_boundary(text, t.end.min(text.len())).max(s);
            // First segment that ends after the target start (or contains a zero-width point).
            let si = segments.partition_point(|seg| seg.range.end <= s && seg.range.end < e);
            let si = if si < segments.len() {
                si
            } else if s == text.len() || s >= segments[segments.len() - 1].range.end {
                segments.len() - 1
            } else {
                continue;
            };
            let seg = &segments[si].range;
            // Clip the target to its sentence; it must touch the sentence.
            let cs = s.max(seg.start);
            let ce = e.min(seg.end).max(cs);
            if s > seg.end || e < seg.start {
                continue;
            }
            jobs.push((si, ti, cs..ce));
        }
        jobs.sort_unstable_by_key(|j| (j.0, j.1));

        VIEW.with_borrow_mut(|(view, selected)| {
            let mut current: Option<usize> = None;
            for (si, ti, range) in jobs {
                if current != Some(si) {
                    view.build(self, text, &segments[si]);
                    current = Some(si);
                }
                out[ti] = self.decide(text, view, selected, range);
            }
        });
        out
    }

    /// Window of trigger `t`.
    fn window_of(&self, t: &Trigger) -> usize {
        t.window.unwrap_or(self.window)
    }

    /// `selected` is a buffer for the triggers that take part (indices into `view.cands`).
    fn decide(
        &self,
        text: &str,
        view: &SentenceView,
        selected: &mut Vec<usize>,
        target: Range<usize>,
    ) -> Assessment {
        if view.cands.is_empty() {
            // No trigger in the sentence (its scopes were not read).
            return Assessment::present();
        }
        let toks = &view.tokens;
        // Target tokens [a, b); a == b for a point between tokens.
        let a = view.first_token;
        let a = a + toks[a..].partition_point(|t| t.range.end <= target.start);
        let mut b = a;
        while b < toks.len() && toks[b].range.start < target.end {
            b += 1;
        }
        let point = a == b;
        let overlaps = |c: &Cand| {
            if point {
                c.start < a && c.end > a
            } else {
                c.start < b && c.end > a
            }
        };

        // Leftmost-longest selection among matches outside the target.
        // On an identical span the latest definition wins, together with any other definitions
        // of the same category (e.g. one phrase listed as forward and as backward negation).
        selected.clear();
        let mut last_end = 0;
        for (k, c) in view.cands.iter().enumerate() {
            if overlaps(c) {
                continue;
            }
            if c.start < last_end {
                let same = selected.last().is_some_and(|&p| {
                    let p = &view.cands[p];
                    p.start == c.start
                        && p.end == c.end
                        && self.triggers[p.trigger].category == self.triggers[c.trigger].category
                });
                if same {
                    selected.push(k);
                }
                continue;
            }
            selected.push(k);
            last_end = c.end;
        }
        let selected = selected.iter().map(|&k| &view.cands[k]);

        let is_boundary = |i: usize| view.boundary[i];
        // A scope ends at a terminator, a clause boundary, or where it leaves the parenthesis
        // the trigger sits in.
        let terminated = |c: &Cand, lo: usize, hi: usize| {
            let lvl = view.level[c.start];
            (lo..hi).any(|i| is_boundary(i) || view.level[i] < lvl)
                || selected.clone().any(|c| {
                    self.triggers[c.trigger].category == TriggerCategory::Terminate
                        && c.start >= lo
                        && c.end <= hi
                })
        };

        // The nearest trigger of each status: (distance, candidate), the first on a tie.
        let mut best: [Option<(usize, &Cand)>; STATUSES] = [None; STATUSES];
        for c in selected.clone() {
            let trig = &self.triggers[c.trigger];
            let Some(status) = trig.category.status() else {
                continue;
            };
            let window = self.window_of(trig);
            let mut dist = None;
            if matches!(trig.direction, Direction::Forward | Direction::Both) && c.end <= a {
                // Target first word must be within the window; point targets count as a word.
                let d = view.content_words(c.end, a) + 1;
                if d <= window && !terminated(c, c.end, a) {
                    dist = Some(d);
                }
            }
            if dist.is_none()
                && matches!(trig.direction, Direction::Backward | Direction::Both)
                && c.start >= b
            {
                let d = view.content_words(b, c.start) + 1;
                if d <= window && !terminated(c, b, c.start) {
                    dist = Some(d);
                }
            }
            if let Some(d) = dist {
                let slot = &mut best[status as usize];
                if slot.is_none_or(|(bd, bc)| (d, c.start) < (bd, bc.start)) {
                    *slot = Some((d, c));
                }
            }
        }
        for status in PRECEDENCE {
            if let Some((_, c)) = best[status as usize] {
                let r = toks[c.start].range.start..toks[c.end - 1].range.end;
                return Assessment {
                    status,
                    trigger: Some((text[r.clone()].to_string(), r)),
                };
            }
        }
        Assessment::present()
    }
}

/// The token span of a byte span of a normalised sentence (tokens start at `starts` and
/// end at `ends`), if it starts and ends on token boundaries.
fn token_span(starts: &[usize], ends: &[usize], s: usize, e: usize) -> Option<(usize, usize)> {
    let ts = starts.binary_search(&s).ok()?;
    let te = ends.binary_search(&e).ok()?;
    (te >= ts).then_some((ts, te + 1))
}

thread_local! {
    /// The sentence view's buffers, reused from sentence to sentence.
    static VIEW: std::cell::RefCell<(SentenceView, Vec<usize>)> = std::cell::RefCell::default();
}

/// A trigger match in token coordinates of a [`SentenceView`].
#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    trigger: usize,
}

/// A tokenised, normalised sentence (lead-in tokens first) with its trigger matches.
#[derive(Debug, Default)]
struct SentenceView {
    tokens: Vec<Token>,
    /// Index of the first token of the sentence proper (after the lead-in).
    first_token: usize,
    /// The normalised sentence (lowercase tokens joined by single spaces), as bytes.
    norm: Vec<u8>,
    norm_start: Vec<usize>,
    norm_end: Vec<usize>,
    /// Token is a clause boundary. This, `level` and `content_prefix` are read only for
    /// a sentence with trigger candidates ([`SentenceView::read_scopes`]).
    boundary: Vec<bool>,
    /// Parenthesis nesting level of each token (brackets count as outside).
    level: Vec<u16>,
    /// Prefix sums of the content words (words that count towards windows: not
    /// [`is_stopword`]), one entry per token plus a leading 0.
    content_prefix: Vec<usize>,
    cands: Vec<Cand>,
    /// (regex, start) pairs where a regex trigger may match.
    anchors: Vec<(u32, u32)>,
}

impl SentenceView {
    fn build(&mut self, engine: &ContextEngine, text: &str, seg: &sentence::Segment) {
        self.tokens.clear();
        if let Some(lead) = &seg.lead_in {
            sentence::tokenize_into(text, lead.clone(), &mut self.tokens);
        }
        self.first_token = self.tokens.len();
        sentence::tokenize_into(text, seg.range.clone(), &mut self.tokens);

        self.norm.clear();
        self.norm_start.clear();
        self.norm_end.clear();
        for t in &self.tokens {
            if !self.norm.is_empty() {
                self.norm.push(b' ');
            }
            let start = self.norm.len();
            let raw = &text.as_bytes()[t.range.clone()];
            if raw.is_ascii() {
                self.norm.extend(raw.iter().map(u8::to_ascii_lowercase));
            } else {
                self.norm
                    .extend_from_slice(text[t.range.clone()].to_lowercase().as_bytes());
            }
            self.norm_start.push(start);
            self.norm_end.push(self.norm.len());
        }

        self.cands.clear();
        self.anchors.clear();
        if let Some(ac) = &engine.phrases {
            let phrases = engine.phrase_trigger.len();
            let (anchors, cands) = (&mut self.anchors, &mut self.cands);
            let (starts, ends) = (&self.norm_start, &self.norm_end);
            ac.for_each_at(&self.norm, starts, |id, start, end| {
                if id >= phrases {
                    for &r in &engine.anchor_regexes[id - phrases] {
                        anchors.push((r, start as u32));
                    }
                } else if let Some((s, e)) = token_span(starts, ends, start, end) {
                    cands.push(Cand {
                        start: s,
                        end: e,
                        trigger: engine.phrase_trigger[id],
                    });
                }
            });
        }
        let (starts, ends, cands) = (&self.norm_start, &self.norm_end, &mut self.cands);
        engine
            .regexes
            .find(&self.norm, &mut self.anchors, |r, s, e| {
                if let Some((s, e)) = token_span(starts, ends, s, e) {
                    cands.push(Cand {
                        start: s,
                        end: e,
                        trigger: engine.regex_trigger[r],
                    });
                }
            });
        // Leftmost, then longest, then the later definition (every field of a candidate is
        // in the key, so an unstable sort orders as a stable one would).
        self.cands
            .sort_unstable_by(|x, y| (x.start, y.end, y.trigger).cmp(&(y.start, x.end, x.trigger)));
        // Most sentences with a mention have no trigger (six in ten in the generated
        // corpus), and every target in them is present: their scopes are not needed.
        if !self.cands.is_empty() {
            self.read_scopes(text);
        }
    }

    /// What scopes are measured with: each token's clause boundaries, parenthesis level
    /// and the running count of content words.
    fn read_scopes(&mut self, text: &str) {
        self.boundary.clear();
        self.level.clear();
        self.content_prefix.clear();
        self.content_prefix.push(0);
        let mut depth: u16 = 0;
        for (k, t) in self.tokens.iter().enumerate() {
            let raw = &text.as_bytes()[t.range.clone()];
            // A one-byte punctuation token may open or close brackets or end a clause.
            let punct = match raw {
                [b] if t.kind == TokenKind::Punct => *b,
                _ => 0,
            };
            match punct {
                b'(' | b'[' => {
                    self.level.push(depth);
                    depth = depth.saturating_add(1);
                }
                b')' | b']' => {
                    depth = depth.saturating_sub(1);
                    self.level.push(depth);
                }
                _ => self.level.push(depth),
            }
            self.boundary.push(matches!(punct, b';' | b'!' | b'?'));
            let word = &self.norm[self.norm_start[k]..self.norm_end[k]];
            let content = t.kind == TokenKind::Word && !is_stopword(word);
            let last = *self.content_prefix.last().unwrap_or(&0);
            self.content_prefix.push(last + usize::from(content));
        }
    }

    /// Content words among tokens `lo..hi`.
    fn content_words(&self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            return 0;
        }
        self.content_prefix[hi] - self.content_prefix[lo]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Pack {
        #[allow(dead_code)]
        version: u32,
        context: ContextSection,
    }

    fn engine() -> ContextEngine {
        let pack: Pack = serde_yaml::from_str(include_str!("../../rules/context.yaml")).unwrap();
        ContextEngine::compile(&[&pack.context]).unwrap()
    }

    /// Assesses the first occurrence of `concept` in `text`.
    fn status(e: &ContextEngine, text: &str, concept: &str) -> Status {
        let s = text
            .find(concept)
            .unwrap_or_else(|| panic!("{concept:?} not in {text:?}"));
        e.assess(text, std::slice::from_ref(&(s..s + concept.len())))[0].status
    }

    fn check(e: &ContextEngine, cases: &[(&str, &str, Status)]) {
        let mut bad = Vec::new();
        for (text, concept, want) in cases {
            let got = status(e, text, concept);
            if got != *want {
                bad.push(format!(
                    "{text:?} / {concept:?}: got {got:?}, want {want:?}"
                ));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    use Status::*;

    #[test]
    fn negation_forward() {
        check(
            &engine(),
            &[
                ("No fever.", "fever", Negated),
                ("She denies fever, chills, or night sweats.", "night sweats", Negated),
                ("He denies bowel or bladder dysfunction.", "bladder dysfunction", Negated),
                ("There are no current red flags.", "red flags", Negated),
                (
                    "The exam was without any evidence of progressive symptoms/findings.",
                    "progressive symptoms",
                    Negated,
                ),
                ("Negative straight leg raise bilaterally.", "straight leg raise", Negated),
                (
                    "There is no evidence of new or progressive symptoms.",
                    "progressive symptoms",
                    Negated,
                ),
                (
                    "There are no physical examination findings supporting a diagnosis of specific nerve compromise.",
                    "nerve compromise",
                    Negated,
                ),
                ("Doppler negative for DVT.", "DVT", Negated),
                ("Free of infection.", "infection", Negated),
                ("Findings were unremarkable for stenosis.", "stenosis", Negated),
                ("Patient reports pain.", "pain", Present),
            ],
        );
    }

    #[test]
    fn negation_backward() {
        check(
            &engine(),
            &[
                ("Radiculopathy was ruled out.", "Radiculopathy", Negated),
                ("PCR for BK virus is negative.", "BK virus", Negated),
                ("Instability is unlikely.", "Instability", Negated),
                (
                    "Sensory deficits were not documented.",
                    "Sensory deficits",
                    Negated,
                ),
                ("Fracture not seen.", "Fracture", Negated),
                ("Allergies: none.", "Allergies", Negated),
                ("Tobacco: denies.", "Tobacco", Negated),
                (
                    "Bowel or bladder incontinence: no",
                    "bladder incontinence",
                    Negated,
                ),
            ],
        );
    }

    #[test]
    fn pseudo_triggers() {
        check(
            &engine(),
            &[
                ("Not only pain but also stiffness.", "pain", Present),
                ("Gram negative rods in the culture.", "rods", Present),
                ("No increase in pain since the injury.", "pain", Present),
                (
                    "No significant change in the effusion.",
                    "effusion",
                    Present,
                ),
                (
                    "It is not certain whether stenosis is present.",
                    "stenosis",
                    Possible,
                ),
                ("Walks without difficulty on heels.", "heels", Present),
                (
                    "In general, no change in vision.",
                    "change in vision",
                    Negated,
                ),
            ],
        );
    }

    #[test]
    fn terminators() {
        check(
            &engine(),
            &[
                ("No fever but has a cough.", "cough", Present),
                (
                    "She denies numbness; however, she has weakness.",
                    "weakness",
                    Present,
                ),
                (
                    "No fracture, although there is stenosis.",
                    "stenosis",
                    Present,
                ),
                (
                    "No instability except mild spondylosis.",
                    "spondylosis",
                    Present,
                ),
                ("No deficits aside from pain.", "pain", Present),
                ("Denies fever; reports nausea.", "nausea", Present),
                ("No fever. Cough is present.", "Cough", Present),
                ("No leg pain secondary to the fall.", "fall", Present),
            ],
        );
    }

    #[test]
    fn historical() {
        check(
            &engine(),
            &[
                ("He has a history of diabetes.", "diabetes", Historical),
                (
                    "Status post L4-5 fusion in 2009.",
                    "L4-5 fusion",
                    Historical,
                ),
                (
                    "Patient is s/p carpal tunnel release.",
                    "carpal tunnel release",
                    Historical,
                ),
                (
                    "Prior lumbar surgery was noted.",
                    "lumbar surgery",
                    Historical,
                ),
                ("Previous MRI showed a herniation.", "MRI", Historical),
                (
                    "He had a knee arthroscopy in 2009.",
                    "knee arthroscopy",
                    Historical,
                ),
                (
                    "Diagnoses: history of cancer.",
                    "history of cancer",
                    Present,
                ),
                ("No history of diabetes.", "diabetes", Negated),
            ],
        );
    }

    #[test]
    fn hypothetical() {
        check(
            &engine(),
            &[
                (
                    "If symptoms progress, MRI may be considered.",
                    "MRI",
                    Hypothetical,
                ),
                (
                    "If symptoms progress, MRI may be considered.",
                    "symptoms",
                    Hypothetical,
                ),
                (
                    "Should radicular symptoms occur, EMG is indicated.",
                    "radicular symptoms",
                    Hypothetical,
                ),
                ("Return if fever develops.", "fever", Hypothetical),
                (
                    "Injection would be considered if pain persists.",
                    "Injection",
                    Hypothetical,
                ),
                (
                    "Bring an inhaler in case of wheezing.",
                    "wheezing",
                    Hypothetical,
                ),
            ],
        );
    }

    #[test]
    fn possible() {
        check(
            &engine(),
            &[
                ("Possible radiculopathy.", "radiculopathy", Possible),
                ("Probable disc herniation.", "disc herniation", Possible),
                ("Suspected fracture of the wrist.", "fracture", Possible),
                ("Rule out fracture.", "fracture", Possible),
                ("R/O fracture.", "fracture", Possible),
                ("We cannot exclude a tear.", "tear", Possible),
                ("Question of instability.", "instability", Possible),
                ("The lesion may represent a cyst.", "cyst", Possible),
                ("MRI to evaluate for stenosis.", "stenosis", Possible),
            ],
        );
    }

    #[test]
    fn resolved() {
        check(
            &engine(),
            &[
                ("The numbness has resolved.", "numbness", Resolved),
                (
                    "Partial small bowel obstruction, resolved.",
                    "Partial small bowel obstruction",
                    Resolved,
                ),
                (
                    "He no longer has radicular pain.",
                    "radicular pain",
                    Resolved,
                ),
                ("The infection cleared.", "infection", Resolved),
                ("Former smoker.", "smoker", Resolved),
                ("Tobacco: quit smoking in 1958.", "Tobacco", Resolved),
            ],
        );
    }

    #[test]
    fn other_experiencer() {
        check(
            &engine(),
            &[
                ("Mother had breast cancer.", "breast cancer", Other),
                ("Family history of diabetes.", "diabetes", Other),
                ("His father has heart disease.", "heart disease", Other),
                ("Her sister had lupus.", "lupus", Other),
                (
                    "His wife has rheumatoid arthritis.",
                    "rheumatoid arthritis",
                    Other,
                ),
                ("No family history of cancer.", "cancer", Negated),
                (
                    "Family history is negative for stenosis.",
                    "stenosis",
                    Negated,
                ),
            ],
        );
    }

    #[test]
    fn concept_containing_its_own_trigger() {
        check(
            &engine(),
            &[
                (
                    "No focal neurologic deficit.",
                    "No focal neurologic deficit",
                    Present,
                ),
                (
                    "Extremities are without edema.",
                    "Extremities are without edema",
                    Present,
                ),
                (
                    "Lungs show no airspace opacities.",
                    "Lungs show no airspace opacities",
                    Present,
                ),
                ("History of cancer.", "History of cancer", Present),
            ],
        );
    }

    #[test]
    fn multi_sentence_paragraph_and_lists() {
        let e = engine();
        let text = "The patient was seen by Dr. Smith on 3/4/2020.  She reports low back pain\n\nradiating to the left leg. She denies\nbowel or bladder dysfunction. Strength 5/5.\n\nHer mother had breast cancer.\nReview of systems:\n- numbness\n- weakness";
        let find = |c: &str| {
            let s = text.find(c).unwrap();
            s..s + c.len()
        };
        let targets = [
            find("low back pain"),
            find("left leg"),
            find("bladder dysfunction"),
            find("breast cancer"),
            find("numbness"),
        ];
        let got: Vec<Status> = e
            .assess(text, &targets)
            .into_iter()
            .map(|a| a.status)
            .collect();
        assert_eq!(got, vec![Present, Present, Negated, Other, Present]);
        let a = &e.assess(text, &[find("bladder dysfunction")])[0];
        let (trig, r) = a.trigger.clone().unwrap();
        assert_eq!(trig.to_lowercase(), "denies");
        assert_eq!(&text[r], trig);

        let text = "The patient denies:\n- numbness\n- weakness\nPlan: physical therapy";
        let got: Vec<Status> = e
            .assess(
                text,
                &[
                    find_in(text, "numbness"),
                    find_in(text, "weakness"),
                    find_in(text, "physical therapy"),
                ],
            )
            .into_iter()
            .map(|a| a.status)
            .collect();
        assert_eq!(got, vec![Negated, Negated, Present]);
    }

    fn find_in(text: &str, c: &str) -> Range<usize> {
        let s = text.find(c).unwrap();
        s..s + c.len()
    }

    #[test]
    fn letter_language_and_scope_limits() {
        check(
            &engine(),
            &[
                (
                    "Abdomen soft, no masses, normal bowel sounds.",
                    "bowel sounds",
                    Present,
                ),
                (
                    "A 46 year old male with low back pain.",
                    "low back pain",
                    Present,
                ),
                (
                    "Utilization review denied the request for lumbar MRI.",
                    "lumbar MRI",
                    Present,
                ),
                ("The request for EMG was denied.", "EMG", Present),
                (
                    "Reports (not verified) indicate a lumbar fracture.",
                    "lumbar fracture",
                    Present,
                ),
                (
                    "He has not yet had lumbar surgery.",
                    "lumbar surgery",
                    Negated,
                ),
                (
                    "Straight leg raise was negative bilaterally.",
                    "Straight leg raise",
                    Negated,
                ),
                ("Spurling test negative.", "Spurling test", Negated),
                ("Pain free since the injection.", "Pain", Negated),
                (
                    "No fever, chills, night sweats, weight loss, nausea, vomiting, or diarrhea.",
                    "diarrhea",
                    Negated,
                ),
                (
                    "No fever a b c d e f g h i j k l m n o p diarrhea.",
                    "diarrhea",
                    Present,
                ),
            ],
        );
    }

    #[test]
    fn trigger_listing() {
        let e = engine();
        let list = e.triggers();
        assert_eq!(list.len(), e.len());
        assert!(list
            .iter()
            .any(|t| t.pattern == "denies" && t.category == TriggerCategory::Negated));
        assert!(list.iter().any(|t| t.is_regex));
    }

    #[test]
    fn bad_ranges_do_not_panic() {
        let e = engine();
        let text = "No fèver. Denies pain.";
        let ranges = [
            0..0,
            100..200,
            Range { start: 5, end: 3 },
            4..5, // inside the two-byte 'è'
            5..6,
            0..text.len() + 10,
            text.len()..text.len(),
            usize::MAX - 1..usize::MAX,
        ];
        let out = e.assess(text, &ranges);
        assert_eq!(out.len(), ranges.len());
        let one = |r: Range<usize>| vec![r];
        assert_eq!(e.assess("", &one(0..1))[0].status, Present);
        assert_eq!(e.assess("   \n ", &one(1..2))[0].status, Present);
        assert_eq!(e.assess(text, &one(3..10))[0].status, Negated);
    }

    #[test]
    fn compile_errors_name_the_trigger() {
        let yaml = "triggers:\n  - category: negated\n    phrases: [no]\n  - category: possible\n    regex: 'rule (out'\n";
        let s: ContextSection = serde_yaml::from_str(yaml).unwrap();
        let err = ContextEngine::compile(&[&s]).unwrap_err();
        assert!(
            err.starts_with("trigger 2 ('rule (out'): invalid regex"),
            "{err}"
        );
        let yaml = "triggers:\n  - category: negated\n    phrases: ['  ']\n";
        let s: ContextSection = serde_yaml::from_str(yaml).unwrap();
        assert!(ContextEngine::compile(&[&s])
            .unwrap_err()
            .contains("trigger 1"));
        assert!(serde_yaml::from_str::<ContextSection>("triggerz: []").is_err());
    }

    #[test]
    fn later_sections_extend_and_override() {
        let base: ContextSection =
            serde_yaml::from_str("triggers:\n  - category: negated\n    phrases: [no]\n").unwrap();
        let extra: ContextSection = serde_yaml::from_str(
            "window: 3\ntriggers:\n  - category: possible\n    phrases: [no]\n  - category: negated\n    phrases: [nix]\n",
        )
        .unwrap();
        let e = ContextEngine::compile(&[&base, &extra]).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(status(&e, "no fever", "fever"), Possible);
        assert_eq!(status(&e, "nix fever", "fever"), Negated);
        assert_eq!(status(&e, "nix a b c d fever", "fever"), Present);
    }
}
