//! Guideline citations ("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints
//! Page(s): 303-4") turned into structured references.

use crate::re::Regex;
use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Which guideline a reference points at.
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
pub enum Source {
    /// ACOEM Practice Guidelines chapters adopted into the MTUS (8 CCR 9792.22-9792.23).
    MtusAcoem,
    /// MTUS Chronic Pain Medical Treatment Guidelines (8 CCR 9792.24.2).
    MtusCpmtg,
    /// MTUS Acupuncture Medical Treatment Guidelines (8 CCR 9792.24.1).
    MtusAcupuncture,
    /// MTUS Postsurgical Treatment Guidelines (8 CCR 9792.24.3).
    MtusPostsurgical,
    /// Official Disability Guidelines (non-MTUS).
    Odg,
    /// Anything else (journal articles, other guidelines).
    Other,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::MtusAcoem => "mtus-acoem",
            Source::MtusCpmtg => "mtus-cpmtg",
            Source::MtusAcupuncture => "mtus-acupuncture",
            Source::MtusPostsurgical => "mtus-postsurgical",
            Source::Odg => "odg",
            Source::Other => "other",
        }
    }

    pub fn is_mtus(self) -> bool {
        matches!(
            self,
            Source::MtusAcoem
                | Source::MtusCpmtg
                | Source::MtusAcupuncture
                | Source::MtusPostsurgical
        )
    }
}

/// An inclusive page range; a single page has `start == end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRange {
    pub start: u32,
    pub end: u32,
}

/// One guideline a citation line relies on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuidelineRef {
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub chapter: Option<u32>,
    /// Chapter title or topic as written ("Low Back Complaints", "MRIs").
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageRange>,
    pub span: Span,
}

/// A whole guideline line of one item (claims administrator's or reviewer's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    pub text: String,
    pub span: Span,
    /// The line says the decision was not based on the MTUS.
    pub not_based_on_mtus: bool,
    pub refs: Vec<GuidelineRef>,
}

impl Citation {
    /// The distinct sources cited, in order of first appearance.
    pub fn sources(&self) -> Vec<Source> {
        let mut out: Vec<Source> = Vec::new();
        for r in &self.refs {
            if !out.contains(&r.source) {
                out.push(r.source);
            }
        }
        out
    }
}

pub(crate) struct Patterns {
    not_mtus: Regex,
    source: Regex,
    mtus_silent: Regex,
    chapter: Regex,
    pages: Regex,
    page_item: Regex,
}

pub(crate) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        not_mtus: crate::re::compile_guarded(
            r"(?i)\b(?:did\s+not|didn't|does\s+not)\s+base\s+(?:their|his|her|its|the)\s+decision\s+on\s+(?:the\s+)?(?:CA\s+)?MTUS|\bnon-?\s*MTUS\b",
            |t| contains(t, "not") || contains(t, "non") || t.contains("n't"),
        )
        .unwrap(),
        // Order matters: the specific MTUS parts before the bare "ACOEM"/"MTUS".
        source: crate::re::compile(
            r"(?ix)
            (?P<acu>acupuncture\s+medical\s+treatment\s+guidelines?)
            |(?P<post>post-?\s*surgical\s+(?:treatment\s+)?guidelines?|\bPSTG\b)
            |(?P<cp>chronic\s+pain\s+(?:medical\s+)?treatment\s+guidelines?|\bCPMTG\b|\bMTUS\s*\(?\s*chronic\s+pain)
            |(?P<acoem>\bACOEM\b|occupational\s+medicine\s+practice\s+guidelines?|american\s+college\s+of\s+occupational\s+and\s+environmental\s+medicine)
            |(?P<odg>official\s+disability\s+guidelines?(?:\s*\(ODG\))?|\bODG\b)
            |(?P<mtus>\b(?:CA\s+)?MTUS\b)
            ",
        )
        .unwrap(),
        mtus_silent: crate::re::compile(r"(?i)^\s+(?:does\s+not|doesn't|did\s+not|is\s+silent|fails\s+to)\b").unwrap(),
        chapter: crate::re::compile_guarded(r"(?i)\bchapter\s+(\d{1,2})\b(?:\s*[:,-]?\s*([A-Z][A-Za-z,&/' -]*?))?(?:\s*[,.;(]|\s+Pages?\b|\s+p\.|\s*$)", |t| contains(t, "chapter")).unwrap(),
        pages: crate::re::compile_guarded(
            r"(?i)\b(?:page\s*\(s\)|pages?|pp?\.)\s*:?\s*((?:\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*(?:,|&|and)\s*)?)+)",
            |t| contains(t, "page") || contains(t, "p."),
        )
        .unwrap(),
        page_item: crate::re::compile(r"(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?").unwrap(),
    })
}

use crate::re::contains_ignore_case as contains;

/// The source a match of the `source` pattern names, told by its first word (each
/// alternative starts with its own words); `None` for a bare "MTUS".
fn source_named(matched: &str) -> Option<Source> {
    let starts = |w: &str| crate::re::starts_with_ignore_case(matched, w);
    Some(if starts("acupuncture") {
        Source::MtusAcupuncture
    } else if starts("post") || starts("pstg") {
        Source::MtusPostsurgical
    } else if starts("chronic")
        || starts("cpmtg")
        || (starts("mtus") && contains(matched, "chronic"))
    {
        Source::MtusCpmtg
    } else if starts("acoem") || starts("occupational") || starts("american") {
        Source::MtusAcoem
    } else if starts("official") || starts("odg") {
        Source::Odg
    } else {
        return None;
    })
}

/// Expands a page range as letters write it: "303-4" is 303 to 304, "58-60" is 58 to 60.
pub fn expand_range(start: u32, end_text: &str) -> PageRange {
    let end = last_page(start, end_text).unwrap_or(start);
    PageRange {
        start,
        end: end.max(start),
    }
}

/// One page range as a rule file writes it: a page ("303") or a first and last page
/// ("286-326"; "303-4", the last page abbreviated as letters do; an en or em dash works
/// as a hyphen). `None` for anything else, page 0, or a last page before the first.
pub fn parse_page_range(text: &str) -> Option<PageRange> {
    fn page(t: &str) -> Option<&str> {
        let t = t.trim();
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
    }
    let (first, last) = match text.split_once(['-', '\u{2013}', '\u{2014}']) {
        Some((first, last)) => (page(first)?, Some(page(last)?)),
        None => (page(text)?, None),
    };
    let start: u32 = first.parse().ok().filter(|&s| s > 0)?;
    let end = match last {
        Some(last) => last_page(start, last)?,
        None => start,
    };
    (end >= start).then_some(PageRange { start, end })
}

/// The last page of a range that starts at `start`, written `end_text` ("303-4": 304).
fn last_page(start: u32, end_text: &str) -> Option<u32> {
    let s = start.to_string();
    if end_text.len() < s.len() {
        format!("{}{}", &s[..s.len() - end_text.len()], end_text)
            .parse()
            .ok()
    } else {
        end_text.parse().ok()
    }
}

/// Parses the page list of a citation ("303-4", "58-60, 63", "303").
pub fn parse_pages(text: &str) -> Vec<PageRange> {
    let p = patterns();
    let mut out = Vec::new();
    for m in p.pages.find_iter(text) {
        // The page list (the pattern's group 1) starts at the match's first digit: the
        // label before it ("Page(s):", "pp.") has none.
        let m = m.as_str();
        let list = &m[m.find(|c: char| c.is_ascii_digit()).unwrap_or(m.len())..];
        if list.is_ascii() {
            out.extend(ascii_page_items(list));
            continue;
        }
        for c in p.page_item.captures_iter(list) {
            let Ok(start) = c[1].parse::<u32>() else {
                continue;
            };
            out.push(match c.get(2) {
                Some(e) => expand_range(start, e.as_str()),
                None => PageRange { start, end: start },
            });
        }
    }
    out
}

/// The pages of an ASCII page list, as the `page_item` pattern reads them: a number of up
/// to four digits, optionally a dash and a second number ("303-4", "58 - 60").
fn ascii_page_items(list: &str) -> impl Iterator<Item = PageRange> + '_ {
    let b = list.as_bytes();
    let digits = |i: usize| crate::re::digits_at(b, i).min(4);
    let skip_space = |i: usize| i + crate::re::regex_spaces_at(b, i);
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let n = digits(i);
            if n == 0 {
                i += 1;
                continue;
            }
            let first = &list[i..i + n];
            i += n;
            let dash = skip_space(i);
            let second = (b.get(dash) == Some(&b'-'))
                .then(|| skip_space(dash + 1))
                .map(|at| (at, digits(at)))
                .filter(|&(_, n)| n > 0);
            let start: u32 = first.parse().unwrap_or(0);
            return Some(match second {
                Some((at, n)) => {
                    i = at + n;
                    expand_range(start, &list[at..at + n])
                }
                None => PageRange { start, end: start },
            });
        }
        None
    })
}

thread_local! {
    /// Citation lines already parsed on this thread (see [`crate::memo`]), with their
    /// spans relative to the line.
    static MEMO: std::cell::RefCell<crate::memo::LineMemo<(bool, Vec<GuidelineRef>)>> =
        Default::default();
}

/// Parses a guideline line. `span_of` maps a byte range of `text` to a source span.
pub fn parse(text: &str, span: Span, span_of: &dyn Fn(usize, usize) -> Span) -> Citation {
    let (not_based_on_mtus, mut refs) =
        MEMO.with_borrow_mut(|memo| memo.read(text, || parse_relative(text), Clone::clone));
    for r in &mut refs {
        r.span = span_of(r.span.start, r.span.end);
    }
    Citation {
        text: text.to_string(),
        span,
        not_based_on_mtus,
        refs,
    }
}

/// Whether the line says the decision was not based on the MTUS, and its references,
/// with spans as byte ranges of `text`.
fn parse_relative(text: &str) -> (bool, Vec<GuidelineRef>) {
    let span_of = |s, e| Span::new(s, e);
    let p = patterns();
    let not_based_on_mtus = p.not_mtus.is_match(text);
    // Each source mention starts a reference that runs to the next mention.
    let mut marks: Vec<(usize, Source)> = Vec::new();
    for m in p.source.find_iter(text) {
        let source = if let Some(s) = source_named(m.as_str()) {
            s
        } else {
            // A bare "MTUS" is only a reference when nothing more specific follows it
            // closely ("MTUS ACOEM", "MTUS Chronic Pain").
            let rest = &text[m.end()..];
            let next_specific = p
                .source
                .find(rest)
                .is_some_and(|n| source_named(n.as_str()).is_some() && n.start() < 12);
            // "ACOEM, Chapter 12 (MTUS)" names the MTUS part already given, and "the MTUS
            // does not address ..." says the MTUS was not used.
            let names_previous = marks
                .last()
                .is_some_and(|&(at, src)| src.is_mtus() && !text[at..m.start()].contains(". "));
            if next_specific
                || names_previous
                || (not_based_on_mtus && is_negated_mtus(text, m.start()))
                || p.mtus_silent.is_match(rest)
            {
                continue;
            }
            Source::MtusCpmtg
        };
        // Merge "Official Disability Guidelines (ODG)" style repeats of the same source.
        if let Some(&(prev_at, prev_src)) = marks.last() {
            if prev_src == source && m.start() - prev_at < 60 {
                continue;
            }
        }
        marks.push((m.start(), source));
    }
    let mut refs = Vec::new();
    for (k, &(at, source)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map(|m| m.0).unwrap_or(text.len());
        let part = &text[at..end];
        let mut chapter = None;
        let mut title = None;
        if let Some(m) = p.chapter.find(part) {
            let (number, name) = chapter_parts(m.as_str(), m.end() == part.len());
            chapter = number.parse().ok();
            title = name.map(|t| t.trim().trim_end_matches(',').to_string());
        }
        if title.as_deref().is_none_or(str::is_empty) {
            title = topic_after_source(part);
        }
        let pages = parse_pages(part);
        let trimmed_end = at + part.trim_end().len();
        refs.push(GuidelineRef {
            source,
            chapter,
            title: title.filter(|t| !t.is_empty()),
            pages,
            span: span_of(at, trimmed_end),
        });
    }
    // A line that cites something that is neither MTUS nor ODG ("Non-MTUS Citation:
    // American College of Radiology ...").
    if refs.is_empty() {
        if let Some(rest) = other_citation_text(text) {
            let at = text.len() - rest.len();
            refs.push(GuidelineRef {
                source: Source::Other,
                chapter: None,
                title: Some(rest.trim().to_string()),
                pages: parse_pages(rest),
                span: span_of(at, text.len()),
            });
        }
    }
    (not_based_on_mtus, refs)
}

/// The chapter number and title (groups 1 and 2 of the `chapter` pattern) of one of its
/// matches, read off the match: a capture search costs ten times the match. `at_end`: the
/// match ends the searched text. The title is lazy, so it ends where the earliest
/// terminator does, which is the longest terminator that ends the match.
fn chapter_parts(m: &str, at_end: bool) -> (&str, Option<&str>) {
    use crate::re::{trim_space_end as trim_end, trim_space_start as trim_start};
    let b = m.as_bytes();
    let mut i = m.len() - trim_start(&m["chapter".len()..]).len();
    let digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let number = &m[digits..i];
    let rest = &m[i..];
    // Where the title would end before each terminator that can end the match.
    let mut ends: Vec<usize> = Vec::new();
    if rest.ends_with([',', '.', ';', '(']) {
        ends.push(trim_end(&rest[..rest.len() - 1]).len());
    }
    for word in ["pages", "page", "p."] {
        if crate::re::ends_with_ignore_case(rest, word) {
            let before = &rest[..rest.len() - word.len()];
            let head = trim_end(before);
            if head.len() < before.len() {
                ends.push(head.len());
            }
        }
    }
    if at_end {
        ends.push(trim_end(rest).len());
    }
    let region = &rest[..ends.into_iter().min().unwrap_or(0)];
    // The separator before the title: white space, one of ":,-", white space.
    let region = trim_start(region);
    let title = trim_start(region.strip_prefix([':', ',', '-']).unwrap_or(region));
    (number, (!title.is_empty()).then_some(title))
}

fn is_negated_mtus(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let lower = before.to_ascii_lowercase();
    lower.ends_with("on the ")
        || lower.ends_with("on ")
        || lower.ends_with("non-")
        || lower.ends_with("non ")
}

/// For "ODG, Low Back Chapter, MRIs" and "MTUS Chronic Pain ... Guidelines, Opioids" the
/// words after the source name.
fn topic_after_source(part: &str) -> Option<String> {
    let p = patterns();
    let m = p.source.find(part)?;
    let rest = part[m.end()..]
        .trim_start_matches(|c: char| {
            c == ')' || c == ',' || c == ':' || c == ';' || c.is_whitespace()
        })
        .trim_start_matches("(ODG)")
        .trim_start_matches(|c: char| c == ',' || c.is_whitespace());
    let rest = match p.pages.find(rest) {
        Some(pm) => &rest[..pm.start()],
        None => rest,
    };
    let t = rest.trim().trim_end_matches(['.', ',', ';']).trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub(crate) fn other_citation_label() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::re::compile(r"(?i)(?:non-?\s*MTUS\s+citation\s*[:x]?\s*|decision\s+based\s+on\s+)")
            .unwrap()
    })
}

fn other_citation_text(text: &str) -> Option<&str> {
    let re = other_citation_label();
    let m = re.find_iter(text).last()?;
    let rest = &text[m.end()..];
    let t = rest.trim().trim_end_matches('.').trim();
    (!t.is_empty() && !t.eq_ignore_ascii_case("x")).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(text: &str) -> Citation {
        parse(text, Span::new(0, text.len()), &|s, e| Span::new(s, e))
    }

    /// Rule files name one range; anything else is refused rather than half read.
    #[test]
    fn a_rule_files_page_range() {
        let r = |start, end| Some(PageRange { start, end });
        assert_eq!(parse_page_range("286-326"), r(286, 326));
        assert_eq!(parse_page_range(" 303 "), r(303, 303));
        assert_eq!(parse_page_range("303-4"), r(303, 304));
        assert_eq!(parse_page_range("58 \u{2013} 60"), r(58, 60));
        for bad in [
            "", "0", "326-286", "303-1", "12, 14", "303-", "pages 5", "12345", "5-6-7",
        ] {
            assert_eq!(parse_page_range(bad), None, "{bad:?}");
        }
    }

    /// A line seen before comes from the memo: the same references, with spans mapped
    /// into the letter it is in now.
    #[test]
    fn a_repeated_line_gets_the_spans_of_its_own_letter() {
        let text = "Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303; ODG Low Back, MRIs";
        let first = cite(text);
        let offset = 1000;
        let again = parse(text, Span::new(offset, offset + text.len()), &|s, e| {
            Span::new(s + offset, e + offset)
        });
        assert_eq!(first.refs.len(), 2);
        assert_eq!(again.refs.len(), 2);
        for (a, b) in first.refs.iter().zip(&again.refs) {
            assert_eq!(
                (a.source, a.chapter, &a.title, &a.pages),
                (b.source, b.chapter, &b.title, &b.pages)
            );
            assert_eq!(
                b.span,
                Span::new(a.span.start + offset, a.span.end + offset)
            );
        }
        assert_eq!(again.span, Span::new(offset, offset + text.len()));
        assert_eq!(first.refs[1].source, Source::Odg);
        assert_eq!(
            &text[first.refs[1].span.start..first.refs[1].span.end],
            "ODG Low Back, MRIs"
        );
    }

    #[test]
    fn acoem_chapter_with_abbreviated_pages() {
        let c = cite("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-4.");
        assert!(!c.not_based_on_mtus);
        assert_eq!(c.refs.len(), 1);
        let r = &c.refs[0];
        assert_eq!(r.source, Source::MtusAcoem);
        assert_eq!(r.chapter, Some(12));
        assert_eq!(r.title.as_deref(), Some("Low Back Complaints"));
        assert_eq!(
            r.pages,
            vec![PageRange {
                start: 303,
                end: 304
            }]
        );
    }

    #[test]
    fn non_mtus_odg_line() {
        let c = cite("The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation x Official Disability Guidelines (ODG), Low Back Chapter, MRIs (magnetic resonance imaging).");
        assert!(c.not_based_on_mtus);
        assert_eq!(c.sources(), vec![Source::Odg]);
        assert_eq!(
            c.refs[0].title.as_deref(),
            Some("Low Back Chapter, MRIs (magnetic resonance imaging)")
        );
    }

    #[test]
    fn chronic_pain_and_acupuncture_and_postsurgical() {
        let c = cite("Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Opioids Page(s): 74-96.");
        assert_eq!(c.sources(), vec![Source::MtusCpmtg]);
        assert_eq!(c.refs[0].pages, vec![PageRange { start: 74, end: 96 }]);
        assert_eq!(
            cite("Decision based on MTUS Acupuncture Medical Treatment Guidelines.").sources(),
            vec![Source::MtusAcupuncture]
        );
        assert_eq!(
            cite("Decision based on MTUS Postsurgical Treatment Guidelines.").sources(),
            vec![Source::MtusPostsurgical]
        );
    }

    #[test]
    fn two_sources_on_one_line() {
        let c = cite("Decision based on MTUS ACOEM Chapter 8 Neck and Upper Back Complaints Page(s): 177-178, and Official Disability Guidelines (ODG), Neck Chapter.");
        assert_eq!(c.sources(), vec![Source::MtusAcoem, Source::Odg]);
        assert_eq!(c.refs[0].chapter, Some(8));
        assert_eq!(
            c.refs[0].pages,
            vec![PageRange {
                start: 177,
                end: 178
            }]
        );
    }

    /// Reading the groups off a match gives what the capture search gives.
    #[test]
    fn chapter_parts_are_the_capture_groups() {
        let p = patterns();
        let mut texts = crate::re::testing::samples();
        texts.extend(
            [
                "Chapter 12 Low Back p. 303",
                "chapter 8, Neck and Upper Back Complaints, Pages 177",
                "Chapter 12 (MTUS) Low Back",
                "Chapter 7 - Independent Medical Examinations;",
                "Chapter 12 Low Back Page",
                "Chapter 12 Low Back  Pages",
                "Chapter 12 Low Back 2nd ed.",
                "Chapter 12.",
                "Chapter 12 ",
                "Chapter 3 x p. y",
                "Chapter 99 A-B, C",
            ]
            .map(String::from),
        );
        let mut seen = 0;
        for t in &texts {
            for start in 0..t.len() {
                if !t.is_char_boundary(start)
                    || !t[start..]
                        .get(..7)
                        .is_some_and(|w| w.eq_ignore_ascii_case("chapter"))
                {
                    continue;
                }
                let part = &t[start..];
                let (Some(c), Some(m)) = (p.chapter.captures(part), p.chapter.find(part)) else {
                    continue;
                };
                seen += 1;
                let (number, title) = chapter_parts(m.as_str(), m.end() == part.len());
                assert_eq!(number, &c[1], "{part:?}");
                assert_eq!(title, c.get(2).map(|g| g.as_str()), "{part:?}");
            }
        }
        assert!(seen > 20, "{seen}");
    }

    #[test]
    fn ascii_page_lists_are_read_as_the_pattern_reads_them() {
        let p = patterns();
        let mut lists = vec![
            "303-4",
            "58-60, 63",
            "303",
            "1 - 2",
            "12345",
            "1-",
            "7 -x",
            "1 , 2 & 3 and 4",
            "99-100-101",
            "5\t-\t6",
            "0-0",
            "303-04",
        ];
        let samples = crate::re::testing::samples();
        lists.extend(samples.iter().map(String::as_str).filter(|s| s.is_ascii()));
        let mut seen = 0;
        for list in lists {
            let want: Vec<PageRange> = p
                .page_item
                .captures_iter(list)
                .filter_map(|c| {
                    let start = c[1].parse::<u32>().ok()?;
                    Some(match c.get(2) {
                        Some(e) => expand_range(start, e.as_str()),
                        None => PageRange { start, end: start },
                    })
                })
                .collect();
            seen += want.len();
            assert_eq!(ascii_page_items(list).collect::<Vec<_>>(), want, "{list:?}");
        }
        assert!(seen > 100, "{seen}");
    }

    #[test]
    fn page_lists() {
        assert_eq!(
            parse_pages("Pages 58-60, 63"),
            vec![
                PageRange { start: 58, end: 60 },
                PageRange { start: 63, end: 63 }
            ]
        );
        assert_eq!(
            parse_pages("p. 1098-9"),
            vec![PageRange {
                start: 1098,
                end: 1099
            }]
        );
    }

    #[test]
    fn other_source() {
        let c = cite("Decision based on Non-MTUS Citation: American College of Radiology Appropriateness Criteria.");
        assert!(c.not_based_on_mtus);
        assert_eq!(c.sources(), vec![Source::Other]);
    }
}
