//! Clinical facts of a case: every concept mention in each part of the letter, with
//! its context status, and the numeric facts rules compare.

use super::context::{Assessment, Status};
use super::matcher::Hit;
use super::scan::Trigrams;
use super::sentence::{segment, Segment};
use crate::letter::{Case, Field};
use crate::re::{AnyWord, Regex};
use crate::rules::model::{Conclusion, Scope};
use crate::rules::Pack;
use crate::span::Span;
use serde::Serialize;
use std::sync::OnceLock;

/// A side of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Side {
    Left,
    Right,
    Both,
}

/// One mention of a concept.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub concept: usize,
    pub span: Span,
    pub status: Status,
    /// The context trigger that decided the status, and where it is.
    pub trigger: Option<(String, Span)>,
    /// Byte range in the text of the part of the letter it was found in (the matched
    /// words as written: `field.text[local.0..local.1]`).
    #[serde(skip)]
    pub local: (usize, usize),
}

/// Mentions in one item's own text.
#[derive(Debug, Clone, Default)]
pub struct ItemFacts {
    pub class: Option<usize>,
    pub request: Vec<Mention>,
    pub rationale: Vec<Mention>,
    pub guideline: Vec<Mention>,
    /// Catalogue region the request concerns (the class's, else read from the request).
    pub region: Option<usize>,
    /// Every catalogue region the request concerns.
    pub request_regions: Vec<usize>,
    /// Side named in the request.
    pub side: Option<Side>,
    pub visits_requested: Option<f64>,
    /// Sum of the completed visits of the request's modality in the record.
    pub visits_completed: Option<f64>,
    /// Each completed-visit count of the request's modality in the record.
    pub completed_counts: Vec<f64>,
    pub rationale_visits_completed: Option<f64>,
    pub quantity_requested: Option<f64>,
    /// The rationale's closing conclusion and where it is.
    pub conclusion: Option<(Conclusion, Span)>,
    /// Catalogue regions the rationale speaks of (not in guideline restatements), with
    /// the index of the mention in `rationale`.
    pub rationale_regions: Vec<(usize, usize)>,
    /// Sides the rationale attaches to the request's region, with the mention index.
    pub rationale_sides: Vec<(Side, usize)>,
}

/// Everything the rules read from one case.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    pub summary: Vec<Mention>,
    pub documents: Vec<Mention>,
    pub items: Vec<ItemFacts>,
    pub age: Option<f64>,
    pub weeks_since_injury: Option<f64>,
}

impl CaseFacts {
    /// The mentions a scope covers for item `i`.
    pub fn scope(&self, scope: Scope, i: usize) -> impl Iterator<Item = &Mention> + '_ {
        let item = self.items.get(i);
        let none: &[Mention] = &[];
        // Every scope is one or two lists: no boxed iterator to allocate per rule condition.
        let (first, second): (&[Mention], &[Mention]) = match scope {
            Scope::Record => (&self.summary, &self.documents),
            Scope::Summary => (&self.summary, none),
            Scope::Request => (item.map_or(none, |f| &f.request), none),
            Scope::Rationale => (item.map_or(none, |f| &f.rationale), none),
            Scope::Guideline => (item.map_or(none, |f| &f.guideline), none),
        };
        first.iter().chain(second)
    }
}

/// Which mentions the context engine assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assess {
    /// Every mention (what `imrlint facts` shows).
    All,
    /// Those whose status the pack reads ([`Pack::status_read`]); the others are
    /// left `Present`, with no trigger. Checking a letter needs no more.
    Read,
}

/// Concept mentions in a field. Narrative text comes with its sentences, and its mentions
/// are assessed by the context engine.
pub fn mentions(
    field: &Field,
    pack: &Pack,
    sentences: Option<(&[Segment], Assess)>,
    hits: &mut Vec<Hit>,
) -> Vec<Mention> {
    hits.clear();
    if sentences.is_some() {
        pack.matcher.find(&field.text, hits);
    } else {
        // Requests and guideline lines: formulaic, and read without their context.
        pack.matcher.find_formulaic(&field.text, hits);
    }
    // One assessment per distinct span (a phrase of several concepts is one target).
    // Formulaic lines are not assessed: nothing is allocated for them.
    let mut assessed: Vec<Option<usize>> = Vec::new();
    let assessments: Vec<Assessment> = match sentences {
        Some((sentences, assess)) => {
            assessed.resize(hits.len(), None);
            let mut ranges: Vec<std::ops::Range<usize>> = Vec::with_capacity(hits.len());
            for (k, h) in hits.iter().enumerate() {
                if assess == Assess::Read && !pack.status_read[h.concept] {
                    continue;
                }
                if ranges.last() != Some(&(h.start..h.end)) {
                    ranges.push(h.start..h.end);
                }
                assessed[k] = Some(ranges.len() - 1);
            }
            pack.context.assess_in(&field.text, sentences, &ranges)
        }
        None => Vec::new(),
    };
    // Hits come in order of start.
    let mut cursor = 0;
    hits.iter()
        .enumerate()
        .map(|(k, h)| {
            let a = assessed
                .get(k)
                .copied()
                .flatten()
                .and_then(|r| assessments.get(r));
            Mention {
                concept: h.concept,
                span: field.source_span_after(&mut cursor, h.start, h.end),
                status: a.map(|a| a.status).unwrap_or(Status::Present),
                trigger: a
                    .and_then(|a| a.trigger.as_ref())
                    .map(|(t, r)| (t.clone(), field.source_span(r.start, r.end))),
                local: (h.start, h.end),
            }
        })
        .collect()
}

/// The trigrams of the texts of a letter that extraction searches: the letter's text and
/// the fields read from it (whose lines are joined).
pub fn letter_trigrams(source: &str, case: &Case) -> Trigrams {
    let mut grams = Trigrams::default();
    grams.add(source.as_bytes());
    let items = case.items.iter().flat_map(|i| {
        [
            Some(&i.request.text),
            i.rationale.as_ref().map(|r| &r.text),
            i.reviewer_guideline.as_ref().map(|g| &g.text),
        ]
    });
    let fields = [&case.summary, &case.documents_reviewed]
        .into_iter()
        .map(|f| f.as_ref().map(|f| &f.text));
    for text in fields.chain(items).flatten() {
        grams.add(text.as_bytes());
    }
    grams
}

/// Extracts the facts of a case, every mention assessed in its context.
pub fn extract(case: &Case, pack: &Pack) -> CaseFacts {
    extract_with(case, pack, Assess::All)
}

/// Extracts the facts of a case that the pack's rules read.
pub fn extract_for_rules(case: &Case, pack: &Pack) -> CaseFacts {
    extract_with(case, pack, Assess::Read)
}

fn extract_with(case: &Case, pack: &Pack, assess: Assess) -> CaseFacts {
    // Room for a summary's hits (a few dozen), so the buffer is not grown hit by hit.
    let mut hits = Vec::with_capacity(128);
    let mut facts = CaseFacts::default();
    // Completed visits in the record (summary, then documents), attributed to services.
    let mut record_counts = Vec::new();
    for (field, out) in [
        (&case.summary, &mut facts.summary),
        (&case.documents_reviewed, &mut facts.documents),
    ] {
        if let Some(f) = field {
            let sentences = segment(&f.text);
            *out = mentions(f, pack, Some((&sentences, assess)), &mut hits);
            record_counts.extend(completed_counts(&f.text, &sentences, out, &pack.services));
        }
    }
    // The rationale's hits, kept beside `hits` for the item's numbers; the two buffers
    // change places each item instead of a new one growing from empty.
    let mut rationale_hits = Vec::with_capacity(128);
    for item in &case.items {
        let request = mentions(&item.request, pack, None, &mut hits);
        let mut f = ItemFacts {
            class: pack.classify_hits(&hits),
            request,
            ..ItemFacts::default()
        };
        // The rationale is searched once: its hits also serve the restatement check and
        // the conclusion.
        rationale_hits.clear();
        let mut rationale_sentences = Vec::new();
        if let Some(r) = &item.rationale {
            rationale_sentences = segment(&r.text);
            f.rationale = mentions(r, pack, Some((&rationale_sentences, assess)), &mut hits);
            mark_guideline_restatements(&rationale_sentences, &mut f.rationale, pack, &hits);
            std::mem::swap(&mut rationale_hits, &mut hits);
        }
        if let Some(g) = &item.reviewer_guideline {
            let field = Field::plain(&g.text, g.span);
            f.guideline = mentions(&field, pack, None, &mut hits);
        }
        item_numbers(
            item,
            pack,
            &record_counts,
            &mut f,
            &rationale_hits,
            &rationale_sentences,
        );
        facts.items.push(f);
    }
    facts.age = case.patient.age.as_ref().map(|a| a.value as f64);
    let injury = case
        .patient
        .date_of_injury
        .as_ref()
        .or(case.header.date_of_injury.as_ref())
        .and_then(|d| d.day_number());
    let latest = case
        .patient
        .visit_dates
        .iter()
        .filter_map(|d| d.day_number())
        .max()
        .or_else(|| {
            case.header
                .decision_date
                .as_ref()
                .and_then(|d| d.day_number())
        })
        .or_else(|| {
            case.header
                .ur_denial_date
                .as_ref()
                .and_then(|d| d.day_number())
        });
    if let (Some(i), Some(l)) = (injury, latest) {
        if l >= i {
            facts.weeks_since_injury = Some((l - i) as f64 / 7.0);
        }
    }
    facts
}

/// In a rationale, a sentence that restates a guideline ("x-rays are not recommended in the
/// absence of red flags") without speaking of the patient asserts nothing about the
/// patient: its mentions become hypothetical. The two voices are the pack's
/// `guideline-voice` and `patient-voice` concepts; without them nothing changes.
fn mark_guideline_restatements(
    sentences: &[Segment],
    mentions: &mut [Mention],
    pack: &Pack,
    hits: &[Hit],
) {
    let (Some(&guide), Some(&patient)) = (
        pack.concept_index.get("guideline-voice"),
        pack.concept_index.get("patient-voice"),
    ) else {
        return;
    };
    for s in sentences {
        let (start, end) = (s.range.start, s.range.end);
        let has = |c: usize| {
            hits.iter()
                .any(|h| h.concept == c && h.start >= start && h.end <= end)
        };
        if !has(guide) || has(patient) {
            continue;
        }
        for m in mentions.iter_mut() {
            let inside = m.local.0 >= start && m.local.1 <= end;
            if inside && matches!(m.status, Status::Present | Status::Negated) {
                m.status = Status::Hypothetical;
            }
        }
    }
}

/// Reads a count written in digits or words ("12", "twelve", "twenty-four").
pub fn number(word: &str) -> Option<f64> {
    let w = word.trim().to_ascii_lowercase().replace('-', " ");
    if let Ok(n) = w.parse::<f64>() {
        return Some(n);
    }
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 5] = ["", "", "twenty", "thirty", "forty"];
    let mut parts = w.split_whitespace();
    let first = parts.next()?;
    if let Some(u) = UNITS.iter().position(|x| *x == first) {
        return parts.next().is_none().then_some(u as f64);
    }
    let t = TENS.iter().position(|x| !x.is_empty() && *x == first)?;
    let rest = match parts.next() {
        Some(r) => UNITS
            .iter()
            .position(|x| *x == r)
            .filter(|u| (1..10).contains(u))?,
        None => 0,
    };
    Some((t * 10 + rest) as f64)
}

const NUM: &str = r"(\d{1,3}|(?:twenty|thirty|forty)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty)";

/// Whether `t` may hold a number as [`NUM`] reads it: a digit, or the stem of a number
/// word ("fourteen" holds "four"). The guard of the regexes that need one.
fn may_hold_number(t: &str) -> bool {
    static STEMS: AnyWord = AnyWord::new(&[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fifteen", "twenty", "thirty", "forty",
    ]);
    has_digit(t) || STEMS.in_text(t)
}

fn has_digit(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_digit())
}

/// The guard of the visit-count regexes: a number and a word for visits.
fn may_count_visits(t: &str) -> bool {
    static VISITS: AnyWord = AnyWord::new(&["session", "visit", "treatment"]);
    may_hold_number(t) && VISITS.in_text(t)
}

fn may_say_times_a_week(t: &str) -> bool {
    static TIMES: AnyWord = AnyWord::new(&["once", "twice", "thrice"]);
    TIMES.in_text(t) && may_hold_number(t)
}

fn may_name_drug_units(t: &str) -> bool {
    static FORMS: AnyWord = AnyWord::new(&["tab", "cap", "patch", "cream", "gel", "ointment"]);
    has_digit(t) || FORMS.in_text(t)
}

pub(crate) struct NumPatterns {
    freq: Regex,
    twice: Regex,
    /// "12 sessions", "six (6) PT visits": requested counts, and completed ones in the record.
    count: Regex,
    count_after: Regex,
    x_only: Regex,
    quantity: Regex,
    drug_units: Regex,
    completed_x: Regex,
    completion: Regex,
    request_words: Regex,
    side: Regex,
    side_before: Regex,
    side_after: Regex,
}

impl NumPatterns {
    /// Builds now the regexes that count completed visits in a record's narrative: a
    /// letter that mentions any service (imaging included) searches them.
    pub(crate) fn build_narrative(&self) {
        for re in [
            &self.completion,
            &self.count,
            &self.completed_x,
            &self.request_words,
        ] {
            re.build_now();
        }
    }

    /// Builds every regex now (see [`Regex::build_now`]).
    pub(crate) fn build_all(&self) {
        self.all().iter().for_each(|re| re.build_now());
    }

    fn all(&self) -> [&Regex; 13] {
        [
            &self.freq,
            &self.twice,
            &self.count,
            &self.count_after,
            &self.x_only,
            &self.quantity,
            &self.drug_units,
            &self.completed_x,
            &self.completion,
            &self.request_words,
            &self.side,
            &self.side_before,
            &self.side_after,
        ]
    }
}

pub(crate) fn num_patterns() -> &'static NumPatterns {
    static P: OnceLock<NumPatterns> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: String| crate::re::compile(&s).unwrap();
        // A guard rules a text out before the regex is searched, or, in a one-letter run,
        // built (request lines rarely hold a number).
        let g = |s: String, guard| crate::re::compile_guarded(&s, guard).unwrap();
        NumPatterns {
            // "2x6", "2 x 6", "3x/week x 4 weeks", "2 times a week for 6 weeks"
            freq: g(format!(
                r"(?i)\b{NUM}\s*(?:x|×|times)\s*(?:(?:a|per|/|each)\s*(?:week|wk)s?\b\s*)?(?:x|×|for|times|over)?\s*{NUM}\b(?:\s*(?:weeks?|wks?))?"
            ), may_hold_number),
            twice: g(format!(
                r"(?i)\b(once|twice|thrice)\s+(?:a|per|each)\s+week\s+(?:for|x|over)\s+{NUM}\s+(?:weeks?|wks?)"
            ), may_say_times_a_week),
            // "12 sessions", "(8) visits", "6 additional acupuncture treatments"
            count: g(format!(
                r"(?i)\(?\b{NUM}\)?\s+(?:[A-Za-z/-]+\s+){{0,3}}?(?:sessions?|visits?|treatments?)\b"
            ), may_count_visits),
            // "sessions x 12", "visits: 8", "visits (12)"
            count_after: g(format!(
                r"(?i)\b(?:sessions?|visits?|treatments?)\s*(?:x|×|:|#|qty\.?|quantity)?\s*\(?{NUM}\)?(?:\b|$)"
            ), may_count_visits),
            x_only: g(r"(?i)(?:^|[^\w/])(?:x|×)\s*(\d{1,2})\b".to_string(), has_digit),
            quantity: g(r"(?i)(?:#|\bqty\.?|\bquantity\s*:?|\bQTY)\s*:?\s*(\d{1,4})\b".to_string(), has_digit),
            drug_units: g(r"(?i)\d\s*(?:mg|mcg|ml|gm|g|%)\b|\b(?:tabs?|tablets?|caps?|capsules?|patch(?:es)?|cream|gel|ointment)\b".to_string(), may_name_drug_units),
            completed_x: g(format!(
                r"(?i)\b(?:PT|physical\s+therapy|chiropractic|chiro|acupuncture|sessions?|visits?|treatments?)\s*(?:x|×)\s*{NUM}\b"
            ), may_hold_number),
            completion: r(r"(?i)\b(?:complet\w*|had|has\s+had|attended|received|underw\w+|undergone|participated|prior|previous(?:ly)?|to\s+date|already|included|includes|including|after|following|status\s+post|s/p|total(?:ing)?|consisted|tried|failed)\b".to_string()),
            request_words: r(r"(?i)\b(?:request\w*|recommend\w*|authoriz\w*|certif\w*|modif\w*|plan(?:ned|s)?|propos\w*|will|would|additional|more|further|allow\w*|guidelines?|up\s+to)\b".to_string()),
            side: r(r"(?i)\b(left|right|bilateral|bilaterally|both|lt|rt)\b".to_string()),
            side_before: r(r"(?i)\b(left|right|bilateral|both|lt|rt)\.?\s+(?:[a-z]+\s+)?$".to_string()),
            side_after: r(r"(?i)^\s*,?\s*\(?\s*(left|right|bilateral)\b".to_string()),
        }
    })
}

fn side_of(word: &str) -> Side {
    match word.to_ascii_lowercase().as_str() {
        "left" | "lt" => Side::Left,
        "right" | "rt" => Side::Right,
        _ => Side::Both,
    }
}

/// Visits a request asks for.
pub fn requested_visits(text: &str) -> Option<f64> {
    let p = num_patterns();
    if let Some(c) = p.freq.captures(text) {
        if let (Some(a), Some(b)) = (number(&c[1]), number(&c[2])) {
            if a <= 7.0 && b <= 52.0 {
                return Some(a * b);
            }
        }
    }
    if let Some(c) = p.twice.captures(text) {
        let per = match c[1].to_ascii_lowercase().as_str() {
            "once" => 1.0,
            "twice" => 2.0,
            _ => 3.0,
        };
        return number(&c[2]).map(|w| per * w);
    }
    if let Some(c) = p.count.captures(text) {
        return number(&c[1]);
    }
    if let Some(c) = p.count_after.captures(text) {
        return number(&c[1]);
    }
    if let Some(c) = p.x_only.captures(text) {
        return number(&c[1]);
    }
    if !p.drug_units.is_match(text) {
        if let Some(c) = p.quantity.captures(text) {
            return number(&c[1]);
        }
    }
    None
}

/// A dispensing quantity ("#90", "Qty: 60").
pub fn requested_quantity(text: &str) -> Option<f64> {
    num_patterns()
        .quantity
        .captures(text)
        .and_then(|c| number(&c[1]))
}

/// Completed-visit counts in `text`, each with the concept of the service it is
/// attributed to: the nearest asserted service mention of its sentence.
fn completed_counts(
    text: &str,
    sentences: &[Segment],
    mentions: &[Mention],
    services: &[usize],
) -> Vec<(f64, usize)> {
    let p = num_patterns();
    let mut out = Vec::new();
    let asserted_service = |m: &&Mention| {
        services.binary_search(&m.concept).is_ok()
            && !matches!(
                m.status,
                Status::Negated | Status::Hypothetical | Status::Other
            )
    };
    // Found once: a text has a few of them among dozens of mentions.
    let services_named: Vec<&Mention> = mentions.iter().filter(asserted_service).collect();
    if services_named.is_empty() {
        return out;
    }
    for sent in sentences.iter().map(|s| s.range.clone()) {
        let s = &text[sent.clone()];
        // A count needs a service to belong to and words saying it was completed.
        let in_sentence = |m: &&&Mention| m.local.0 >= sent.start && m.local.1 <= sent.end;
        if !services_named.iter().any(|m| in_sentence(&m)) || !p.completion.is_match(s) {
            continue;
        }
        let mut spans: Vec<(usize, usize, f64)> = Vec::new();
        for re in [&p.count, &p.completed_x] {
            for c in re.captures_iter(s) {
                let m = c.get(0).unwrap();
                if spans.iter().any(|(a, b, _)| m.start() < *b && *a < m.end()) {
                    continue;
                }
                if let Some(n) = number(&c[1]) {
                    spans.push((m.start(), m.end(), n));
                }
            }
        }
        for (a, b, n) in spans {
            if p.request_words.is_match(&s[..a]) {
                continue;
            }
            let (ga, gb) = (sent.start + a, sent.start + b);
            let nearest = services_named
                .iter()
                .filter(in_sentence)
                .map(|m| {
                    let d = if m.local.1 <= ga {
                        ga - m.local.1
                    } else {
                        m.local.0.saturating_sub(gb)
                    };
                    (d, m)
                })
                .filter(|(d, _)| *d <= 60)
                .min_by_key(|(d, _)| *d);
            if let Some((_, m)) = nearest {
                out.push((n, m.concept));
            }
        }
    }
    out
}

/// What a request line says of side, visits and quantity.
#[derive(Clone, Copy)]
struct RequestNumbers {
    side: Option<Side>,
    visits: Option<f64>,
    quantity: Option<f64>,
}

thread_local! {
    /// [`RequestNumbers`] of request lines already read on this thread (see [`crate::memo`]).
    static REQUEST_NUMBERS: std::cell::RefCell<crate::memo::LineMemo<RequestNumbers>> =
        Default::default();
}

fn request_numbers(text: &str) -> RequestNumbers {
    REQUEST_NUMBERS.with_borrow_mut(|memo| memo.read(text, || read_request_numbers(text), |n| *n))
}

fn read_request_numbers(text: &str) -> RequestNumbers {
    let sides: Vec<Side> = num_patterns()
        .side
        .captures_iter(text)
        .map(|c| side_of(&c[1]))
        .collect();
    let side = match (sides.contains(&Side::Left), sides.contains(&Side::Right)) {
        (true, true) => Some(Side::Both),
        (true, false) if !sides.contains(&Side::Both) => Some(Side::Left),
        (false, true) if !sides.contains(&Side::Both) => Some(Side::Right),
        _ if sides.contains(&Side::Both) => Some(Side::Both),
        _ => None,
    };
    RequestNumbers {
        side,
        visits: requested_visits(text),
        quantity: requested_quantity(text),
    }
}

/// Region, side, visit counts and conclusion of one item.
fn item_numbers(
    item: &crate::letter::Item,
    pack: &Pack,
    record_counts: &[(f64, usize)],
    f: &mut ItemFacts,
    rationale_hits: &[Hit],
    rationale_sentences: &[Segment],
) {
    let p = num_patterns();
    let cat = &pack.catalogue;
    let class = f.class.map(|k| &pack.classes[k]);
    f.request_regions = match class.and_then(|k| k.body_region) {
        Some(r) => vec![r],
        None => (0..cat.regions.len())
            .filter(|&r| {
                f.request
                    .iter()
                    .any(|m| m.concept == cat.regions[r].concept)
            })
            .collect(),
    };
    f.region = f.request_regions.first().copied();
    let numbers = request_numbers(&item.request.text);
    f.side = numbers.side;
    f.visits_requested = numbers.visits;
    f.quantity_requested = numbers.quantity;
    if let Some(k) = class {
        let of_modality = |counts: &[(f64, usize)]| {
            counts
                .iter()
                .filter(|(_, c)| k.modality.contains(c))
                .map(|(n, _)| *n)
                .collect::<Vec<f64>>()
        };
        let counts = of_modality(record_counts);
        if !counts.is_empty() {
            f.visits_completed = Some(counts.iter().sum());
        }
        f.completed_counts = counts;
        if let Some(r) = &item.rationale {
            let rc = completed_counts(&r.text, rationale_sentences, &f.rationale, &pack.services);
            f.rationale_visits_completed = of_modality(&rc).into_iter().reduce(f64::max);
        }
    }
    if let Some(r) = &item.rationale {
        f.conclusion = conclusion(pack, rationale_hits).map(|(c, s, e)| (c, r.source_span(s, e)));
        // Regions the rationale speaks of, outside guideline restatements.
        for (mi, m) in f.rationale.iter().enumerate() {
            if m.status == Status::Hypothetical {
                continue;
            }
            if let Some(ri) = cat.regions.iter().position(|x| x.concept == m.concept) {
                f.rationale_regions.push((ri, mi));
                if Some(ri) == f.region && cat.regions[ri].sided {
                    // Up to 24 bytes before, on a character boundary (a fuzzed letter
                    // had a multi-byte character there).
                    let from =
                        super::sentence::ceil_char_boundary(&r.text, m.local.0.saturating_sub(24))
                            .min(m.local.0);
                    let before = &r.text[from..m.local.0];
                    let after = &r.text[m.local.1..];
                    let side = p
                        .side_before
                        .captures(before)
                        .or_else(|| p.side_after.captures(after))
                        .map(|c| side_of(&c[1]));
                    if let Some(sd) = side {
                        f.rationale_sides.push((sd, mi));
                    }
                }
            }
        }
    }
}

/// The last necessity conclusion of a rationale: a negative phrase hides a positive
/// one it overlaps ("is not medically necessary and appropriate").
fn conclusion(pack: &Pack, hits: &[Hit]) -> Option<(Conclusion, usize, usize)> {
    let (Some(yes), Some(no)) = (
        pack.concept("conclusion-necessary"),
        pack.concept("conclusion-not-necessary"),
    ) else {
        return None;
    };
    let negs: Vec<Hit> = hits.iter().filter(|h| h.concept == no).copied().collect();
    hits.iter()
        .filter(|h| {
            h.concept == no
                || (h.concept == yes && !negs.iter().any(|n| n.start < h.end && h.start < n.end))
        })
        .max_by_key(|h| (h.start, h.end))
        .map(|h| {
            let c = if h.concept == no {
                Conclusion::NotNecessary
            } else {
                Conclusion::Necessary
            };
            (c, h.start, h.end)
        })
}

#[cfg(test)]
mod number_tests {
    use super::*;

    /// Remembered request lines keep their own side, visits and quantity.
    #[test]
    fn request_lines_read_again_say_the_same() {
        let lines = [
            (
                "Physical therapy, left knee, 12 sessions",
                Some(Side::Left),
                Some(12.0),
                None,
            ),
            ("MRI of the right shoulder", Some(Side::Right), None, None),
            ("Tramadol 50 mg #60", None, None, Some(60.0)),
            ("Bilateral knee x-rays", Some(Side::Both), None, None),
        ];
        for _ in 0..2 {
            for (text, side, visits, quantity) in lines {
                let n = request_numbers(text);
                assert_eq!(
                    (n.side, n.visits, n.quantity),
                    (side, visits, quantity),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn visit_counts_as_written() {
        assert_eq!(
            requested_visits("Physical therapy 2x6 for the lumbar spine"),
            Some(12.0)
        );
        assert_eq!(requested_visits("Chiropractic treatment x8"), Some(8.0));
        assert_eq!(
            requested_visits("12 sessions of physical therapy"),
            Some(12.0)
        );
        assert_eq!(requested_visits("Acupuncture (8) visits"), Some(8.0));
        assert_eq!(
            requested_visits("PT 3 times a week for 4 weeks"),
            Some(12.0)
        );
        assert_eq!(
            requested_visits("Physical therapy twice a week for six weeks"),
            Some(12.0)
        );
        assert_eq!(
            requested_visits("Additional acupuncture sessions x 6"),
            Some(6.0)
        );
        assert_eq!(requested_visits("Norco 10/325mg #90"), None);
        assert_eq!(requested_quantity("Norco 10/325mg #90"), Some(90.0));
        assert_eq!(requested_visits("MRI of the right knee"), None);
        assert_eq!(number("twenty-four"), Some(24.0));
        assert_eq!(number("eighteen"), Some(18.0));
    }
}
