//! Turning extracted letter text into clean logical lines and joined paragraphs,
//! without ever losing the byte offsets into the user's file.

use crate::span::Span;
use regex::Regex;
use std::sync::OnceLock;

/// One non-blank line of the letter, trimmed, with its span in the source.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub text: &'a str,
    pub span: Span,
}

fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{a0}'
}

fn page_footer() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^(page\s+\d+(\s+of\s+\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+)$").unwrap()
    })
}

/// Splits on LF, CRLF, lone CR and form feed; drops blank lines and page footers
/// ("Page 2 of 5", "- 3 -"), which PDF extraction scatters through the text.
pub fn content_lines(src: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        let at_break = i == bytes.len() || matches!(bytes[i], b'\n' | b'\r' | b'\x0c');
        if at_break {
            push_line(src, start, i, &mut out);
            if i < bytes.len() && bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    out
}

fn push_line<'a>(src: &'a str, start: usize, end: usize, out: &mut Vec<Line<'a>>) {
    let raw = &src[start..end];
    let trimmed_start = raw.len() - raw.trim_start_matches(is_blank_char).len();
    let text = raw.trim_matches(is_blank_char);
    if text.is_empty() || page_footer().is_match(text) {
        return;
    }
    let s = start + trimmed_start;
    out.push(Line {
        text,
        span: Span::new(s, s + text.len()),
    });
}

/// A paragraph made of several source lines joined with single spaces, with a map
/// from offsets in the joined text back to offsets in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Joined {
    pub text: String,
    /// (offset in `text`, offset in source, length) for each copied run.
    segments: Vec<(usize, usize, usize)>,
}

impl Joined {
    /// Joins lines; a word hyphenated across a line break ("docu-" / "mentation")
    /// is mended, and a line ending in "/" continues without a space.
    pub fn from_lines(lines: &[Line<'_>]) -> Self {
        let mut j = Joined::default();
        for (k, line) in lines.iter().enumerate() {
            let mut text = line.text;
            let next_starts_lower = lines
                .get(k + 1)
                .and_then(|n| n.text.chars().next())
                .is_some_and(|c| c.is_lowercase());
            let hyphen_break = next_starts_lower
                && text.ends_with('-')
                && text[..text.len() - 1]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphabetic())
                && !text.ends_with("--");
            if hyphen_break {
                text = &text[..text.len() - 1];
            }
            j.push(text, line.span.start);
            let glue = hyphen_break || text.ends_with('/');
            if k + 1 < lines.len() && !glue {
                j.text.push(' ');
            }
        }
        j
    }

    /// A single run of source text.
    pub fn from_source(text: &str, start: usize) -> Self {
        let mut j = Joined::default();
        j.push(text, start);
        j
    }

    /// Appends a run of source text, folding each run of white space to one space so
    /// that phrase matching never depends on how the PDF spaced the words.
    fn push(&mut self, text: &str, src_start: usize) {
        let mut first = true;
        let mut rest = text;
        let mut offset = src_start;
        while !rest.is_empty() {
            let lead = rest.len() - rest.trim_start().len();
            offset += lead;
            rest = &rest[lead..];
            if rest.is_empty() {
                break;
            }
            let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if !first {
                self.text.push(' ');
            }
            first = false;
            self.segments.push((self.text.len(), offset, word_len));
            self.text.push_str(&rest[..word_len]);
            offset += word_len;
            rest = &rest[word_len..];
        }
    }

    /// Maps a byte range of the joined text to a span of the source.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        if self.segments.is_empty() {
            return Span::default();
        }
        let s = self.source_offset(start, false);
        let e = self.source_offset(end, true);
        Span::new(s, e.max(s))
    }

    fn source_offset(&self, off: usize, is_end: bool) -> usize {
        // The segment containing `off`; an end offset that falls on a segment boundary
        // belongs to the earlier segment, so spans never swallow the line break.
        let idx = self
            .segments
            .partition_point(|&(j, _, len)| {
                if is_end {
                    j + len < off
                } else {
                    j + len <= off
                }
            })
            .min(self.segments.len() - 1);
        let (j, s, len) = self.segments[idx];
        s + off.saturating_sub(j).min(len)
    }

    /// The part `text[start..end]` as its own joined text, still mapped to the source.
    pub fn slice(&self, start: usize, end: usize) -> Joined {
        let mut out = Joined::default();
        for &(j, s, len) in &self.segments {
            let (a, b) = (j.max(start), (j + len).min(end));
            if a < b {
                out.segments.push((a - start, s + (a - j), b - a));
            }
        }
        out.text = self.text.get(start..end).unwrap_or_default().to_string();
        out
    }

    /// The whole paragraph's span in the source.
    pub fn span(&self) -> Span {
        self.source_span(0, self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_blanks_footers_and_keep_offsets() {
        let src = "First line  \r\n\r\n  Page 2 of 5\r\nSecond\x0cThird\n";
        let lines = content_lines(src);
        let texts: Vec<_> = lines.iter().map(|l| l.text).collect();
        assert_eq!(texts, ["First line", "Second", "Third"]);
        for l in &lines {
            assert_eq!(&src[l.span.start..l.span.end], l.text);
        }
    }

    #[test]
    fn joined_paragraph_maps_back_to_source() {
        let src = "no evidence of progressive symptoms/ \n\nfindings since docu-\nmentation ends";
        let lines = content_lines(src);
        let j = Joined::from_lines(&lines);
        assert_eq!(
            j.text,
            "no evidence of progressive symptoms/findings since documentation ends"
        );
        let at = j.text.find("findings").unwrap();
        let sp = j.source_span(at, at + "findings".len());
        assert_eq!(&src[sp.start..sp.end], "findings");
        let at = j.text.find("documentation").unwrap();
        let sp = j.source_span(at, at + "documentation".len());
        assert_eq!(&src[sp.start..sp.end], "docu-\nmentation");
    }
}
