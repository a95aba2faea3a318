//! The fixed regexes of the parsers. Letters are English text in ASCII (the normaliser maps
//! smart quotes and dashes), so ASCII semantics for `\w`, `\b`, `\s` and case folding
//! suffice; they compile many times faster than Unicode tables. Literal prefilters are
//! left out too: extracting them costs more to build than they save on texts of a few
//! kilobytes, and a one-letter run pays for every regex it builds. A pattern with a
//! non-ASCII character in it is compiled with Unicode.
//!
//! [`Regex`] offers the part of `regex::Regex`'s interface the parsers use.

use regex_automata::meta;
use regex_automata::util::captures::Captures as RawCaptures;
use regex_automata::util::syntax;
use std::ops::Range;

/// A compiled parser regex searching `&str`.
#[derive(Debug, Clone)]
pub struct Regex {
    inner: meta::Regex,
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
    let unicode = !pattern.is_ascii();
    let inner = meta::Regex::builder()
        .configure(meta::Config::new().auto_prefilter(false))
        .syntax(syntax::Config::new().unicode(unicode).utf8(unicode))
        .build(pattern)
        .map_err(Box::new)?;
    Ok(Regex { inner })
}

impl Regex {
    pub fn is_match(&self, haystack: &str) -> bool {
        self.inner.is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.inner
            .find(haystack)
            .map(|m| Match::new(haystack, m.start(), m.end()))
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.inner
            .find_iter(haystack)
            .map(move |m| Match::new(haystack, m.start(), m.end()))
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        let mut raw = self.inner.create_captures();
        self.inner.captures(haystack, &mut raw);
        raw.is_match().then_some(Captures { haystack, raw })
    }

    pub fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        self.inner
            .captures_iter(haystack)
            .map(move |raw| Captures { haystack, raw })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
