//! Turning extracted letter text into clean logical lines and joined paragraphs,
//! without ever losing the byte offsets into the user's file.

use crate::span::Span;

/// One non-blank line of the letter, trimmed, with its span in the source.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub text: &'a str,
    pub span: Span,
}

fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{a0}'
}

/// The page footer pattern, written out: a whole line that is "Page 2" or "Page 2 of 5",
/// "- 3 -", "2/5", or a line of at most 70 other bytes that ends with "Page 2 of 4" or
/// starts with it ("IMR Case Number CM13-0001234 Page 2 of 4"). (As the regex
/// `(?i)^(page\s+\d+(\s+of\s+\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+|.{0,70}\bpage\s+\d+\s+of\s+\d+|page\s+\d+\s+of\s+\d+\b.{0,70})$`
/// would read it; that regex takes milliseconds to compile.)
pub(crate) fn is_page_footer(line: &str) -> bool {
    let b = line.as_bytes();
    if b.contains(&b'\n') {
        return false;
    }
    let space = |i: usize| crate::re::regex_spaces_at(b, i);
    let digits = |i: usize| crate::re::digits_at(b, i);
    let word = |i: usize| b.get(i).is_some_and(|&c| crate::re::is_regex_word_byte(c));
    let at_ci = |i: usize, w: &str| {
        b.get(i..i + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w.as_bytes()))
    };
    // "page N" from `i`: the end of the number, if there is one.
    let page_n = |i: usize| -> Option<usize> {
        if !at_ci(i, "page") {
            return None;
        }
        let s = space(i + 4);
        let d = digits(i + 4 + s);
        (s > 0 && d > 0).then_some(i + 4 + s + d)
    };
    // " of M" from `i`: the end of the number, if there is one.
    let of_m = |i: usize| -> Option<usize> {
        let s = space(i);
        if s == 0 || !at_ci(i + s, "of") {
            return None;
        }
        let t = space(i + s + 2);
        let d = digits(i + s + 2 + t);
        (t > 0 && d > 0).then_some(i + s + 2 + t + d)
    };
    let n = b.len();
    // "Page 2", "Page 2 of 5", and "Page 2 of 5" followed by at most 70 bytes.
    if let Some(e) = page_n(0) {
        if e == n || of_m(e) == Some(n) {
            return true;
        }
        if let Some(e) = of_m(e) {
            if !word(e) && n - e <= 70 {
                return true;
            }
        }
    }
    // "- 3 -" and "2/5".
    let s = space(1);
    if b.first() == Some(&b'-') && digits(1 + s) > 0 {
        let e = 1 + s + digits(1 + s);
        let t = space(e);
        if b.get(e + t) == Some(&b'-') && e + t + 1 == n {
            return true;
        }
    }
    let d = digits(0);
    if d > 0 {
        let s = space(d);
        if b.get(d + s) == Some(&b'/') {
            let t = space(d + s + 1);
            let d2 = digits(d + s + 1 + t);
            if d2 > 0 && d + s + 1 + t + d2 == n {
                return true;
            }
        }
    }
    // At most 70 bytes, then "Page 2 of 4" to the end, its "page" starting a word.
    // Only where a "p" is can "page" start.
    let head = &b[..b.len().min(71)];
    memchr::memchr2_iter(b'p', b'P', head)
        .any(|i| !(i > 0 && word(i - 1)) && page_n(i).and_then(of_m) == Some(n))
}

/// A cheap test that rules out most lines before [`is_page_footer`] runs: a footer starts
/// with "page", a dash or a digit, or ends with a page count ("... Page 2 of 4").
fn may_be_page_footer(text: &str) -> bool {
    let b = text.as_bytes();
    matches!(b.first(), Some(b'-' | b'0'..=b'9'))
        || crate::re::starts_with_ignore_case(text, "page")
        || (b.last().is_some_and(u8::is_ascii_digit)
            && crate::re::contains_ignore_case(text, "page"))
}

/// A short line seen this many times at page edges is a running header or footer.
const RUNNING_MIN_REPEATS: usize = 3;
const RUNNING_MAX_CHARS: usize = 80;

/// Splits on LF, CRLF, lone CR and form feed; drops blank lines, page footers
/// ("Page 2 of 5", "- 3 -") and running headers/footers (a short line that repeats at
/// page edges, such as the letterhead), which PDF extraction scatters through the text.
pub fn content_lines(src: &str) -> Vec<Line<'_>> {
    // Sized for a line every 40 bytes (letters average about 50), up to a long letter's
    // worth: a huge file reserves no more than that, and the vector grows past it only as
    // lines are found.
    let mut out = Vec::with_capacity((src.len() / 40 + 8).min(4096));
    // Page boundaries, as indices into `out`: a line at index `b` starts a new page.
    let mut boundaries = vec![0];
    let bytes = src.as_bytes();
    let mut start = 0;
    // CRLF gives an empty line between CR and LF, which is dropped as blank.
    for i in memchr::memchr3_iter(b'\n', b'\r', b'\x0c', bytes).chain([bytes.len()]) {
        if push_line(src, start, i, &mut out) == Pushed::Footer {
            boundaries.push(out.len());
        }
        if bytes.get(i) == Some(&b'\x0c') {
            boundaries.push(out.len());
        }
        start = i + 1;
    }
    boundaries.push(out.len());
    drop_running_lines(out, &boundaries)
}

/// Lines with digits folded, so "Page 2" and "Page 3" headers count as the same line.
fn running_key(text: &str) -> String {
    // Sized up front: collected from the characters, the key grew a few bytes at a time.
    let mut key = String::with_capacity(text.len() + 1);
    for w in text.split_whitespace() {
        key.extend(w.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }));
        key.push(' ');
    }
    key
}

fn drop_running_lines<'a>(lines: Vec<Line<'a>>, boundaries: &[usize]) -> Vec<Line<'a>> {
    if boundaries.len() <= 2 {
        return lines;
    }
    // Within two lines of a page boundary, on either side; and the first line of a page.
    let mut edge = vec![false; lines.len()];
    let mut top = vec![false; lines.len()];
    for &b in boundaries {
        let near = b.saturating_sub(2)..(b + 2).min(lines.len());
        if let Some(run) = edge.get_mut(near) {
            run.fill(true);
        }
        if let Some(t) = top.get_mut(b) {
            *t = true;
        }
    }
    // Occurrences near page edges, and as the very first line of a page: a line that
    // opens two pages is a running header even in a two-page letter.
    let keys: Vec<Option<String>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (edge[i] && l.text.chars().count() <= RUNNING_MAX_CHARS).then(|| running_key(l.text))
        })
        .collect();
    let mut counts: crate::fasthash::FastMap<&str, (usize, usize)> = Default::default();
    for (i, key) in keys.iter().enumerate() {
        if let Some(k) = key {
            let c = counts.entry(k.as_str()).or_insert((0, 0));
            c.0 += 1;
            c.1 += usize::from(top[i]);
        }
    }
    lines
        .into_iter()
        .enumerate()
        .filter(|(i, l)| {
            // The letterhead's first appearance, at the top of the letter, is content.
            if *i < 3 || !edge[*i] {
                return true;
            }
            let (near, tops) = match &keys[*i] {
                Some(k) => counts.get(k.as_str()).copied().unwrap_or((0, 0)),
                // A long line is not counted itself; a short one may share its key.
                None => counts
                    .get(running_key(l.text).as_str())
                    .copied()
                    .unwrap_or((0, 0)),
            };
            near < RUNNING_MIN_REPEATS && tops < 2
        })
        .map(|(_, l)| l)
        .collect()
}

#[derive(PartialEq)]
enum Pushed {
    Line,
    Blank,
    Footer,
}

/// `text` without blank characters ([`is_blank_char`]) at either end, and where it starts
/// in `text`. ASCII white space is trimmed byte by byte; only a line that then starts or
/// ends with a non-ASCII character (a no-break space, a byte order mark) is trimmed by
/// character.
fn trim_blank(text: &str) -> (usize, &str) {
    let b = text.as_bytes();
    let ascii_blank = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    let mut s = 0;
    while s < b.len() && ascii_blank(b[s]) {
        s += 1;
    }
    let mut e = b.len();
    while e > s && ascii_blank(b[e - 1]) {
        e -= 1;
    }
    let rest = &text[s..e];
    if s < e && (b[s] >= 0x80 || b[e - 1] >= 0x80) {
        let lead = rest.len() - rest.trim_start_matches(is_blank_char).len();
        return (s + lead, rest.trim_matches(is_blank_char));
    }
    (s, rest)
}

fn push_line<'a>(src: &'a str, start: usize, end: usize, out: &mut Vec<Line<'a>>) -> Pushed {
    let raw = &src[start..end];
    let (trimmed_start, text) = trim_blank(raw);
    if text.is_empty() {
        return Pushed::Blank;
    }
    if may_be_page_footer(text) && is_page_footer(text) {
        return Pushed::Footer;
    }
    let s = start + trimmed_start;
    out.push(Line {
        text,
        span: Span::new(s, s + text.len()),
    });
    Pushed::Line
}

/// The plain-ASCII stand-in for a typographic character, so that phrase matching (which
/// folds ASCII only) sees "patient's" and "L4-5" whatever quotes and dashes the letter used.
fn plain_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        // Soft hyphens and zero-width characters disappear.
        '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => "",
        _ => return None,
    })
}

/// A paragraph made of several source lines joined with single spaces, with a map
/// from offsets in the joined text back to offsets in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Joined {
    pub text: String,
    pub map: SourceMap,
}

/// Where each byte of a text read from a letter (a joined paragraph, or a part of one)
/// lies in the source file: the runs copied from it and the characters replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

/// A run of `text` copied from the source, or one typographic character replaced by its
/// plain stand-in (then `len` and `src_len` differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// Offset in the joined text.
    at: usize,
    /// Offset in the source.
    src: usize,
    len: usize,
    src_len: usize,
}

impl Segment {
    fn is_copy(&self) -> bool {
        self.len == self.src_len
    }

    /// The part of this run inside joined range `start..end`, at offsets relative to
    /// `start`; `None` if they do not overlap.
    fn cut(&self, start: usize, end: usize) -> Option<Segment> {
        let (a, b) = (self.at.max(start), (self.at + self.len).min(end));
        if a >= b {
            return None;
        }
        Some(if self.is_copy() {
            Segment {
                at: a - start,
                src: self.src + (a - self.at),
                len: b - a,
                src_len: b - a,
            }
        } else {
            // A replaced character is kept whole (a cut "..." keeps its source char).
            Segment {
                at: a - start,
                src: self.src,
                len: b - a,
                src_len: self.src_len,
            }
        })
    }

    /// The source offset of joined offset `at + k`, for `k` in `0..=len`.
    fn source_at(&self, k: usize) -> usize {
        if self.is_copy() {
            self.src + k.min(self.len)
        } else if k == 0 {
            self.src
        } else {
            self.src + self.src_len
        }
    }
}

impl Joined {
    /// Joins lines; a word hyphenated across a line break ("docu-" / "mentation")
    /// is mended, and a line ending in "/" continues without a space.
    pub fn from_lines(lines: &[Line<'_>]) -> Self {
        // Room for every line and its joining space, and a run per line (most lines are
        // one), so that joining does not grow the buffers line by line.
        let mut j = Joined {
            text: String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum()),
            map: SourceMap {
                segments: Vec::with_capacity(lines.len()),
            },
        };
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
        self.text.reserve(text.len() + 1);
        // Most lines are ASCII words one space apart: one run, as the word-by-word path
        // below would make it.
        // Two folds without early exits, which the compiler turns into vector code.
        let bytes = text.as_bytes();
        let odd_byte = bytes.iter().fold(false, |any, &b| {
            any | (b >= 0x80) | (b.wrapping_sub(b'\t') <= b'\r' - b'\t')
        });
        let double_space = bytes
            .iter()
            .zip(bytes.iter().skip(1))
            .fold(false, |any, (a, b)| any | ((*a == b' ') & (*b == b' ')));
        let plain = !odd_byte && !double_space && !text.starts_with(' ') && !text.ends_with(' ');
        if plain {
            self.copy_run(text, src_start);
            return;
        }
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
            // ASCII white space ends the word; at a non-ASCII byte, ask `char`.
            let word_len = match rest
                .bytes()
                .position(|b| matches!(b, b' ' | b'\t'..=b'\r') || b >= 0x80)
            {
                Some(i) if rest.as_bytes()[i] >= 0x80 => {
                    rest.find(char::is_whitespace).unwrap_or(rest.len())
                }
                Some(i) => i,
                None => rest.len(),
            };
            if !first {
                self.text.push(' ');
            }
            first = false;
            self.push_word(&rest[..word_len], offset);
            offset += word_len;
            rest = &rest[word_len..];
        }
    }

    /// Copies a word, replacing typographic characters one segment each so that every
    /// offset still maps back to the source.
    fn push_word(&mut self, word: &str, src_start: usize) {
        if word.is_ascii() {
            self.copy_run(word, src_start);
            return;
        }
        let mut run_start = 0;
        for (k, c) in word.char_indices() {
            let Some(plain) = plain_char(c) else { continue };
            self.copy_run(&word[run_start..k], src_start + run_start);
            if !plain.is_empty() {
                self.map.segments.push(Segment {
                    at: self.text.len(),
                    src: src_start + k,
                    len: plain.len(),
                    src_len: c.len_utf8(),
                });
                self.text.push_str(plain);
            }
            run_start = k + c.len_utf8();
        }
        self.copy_run(&word[run_start..], src_start + run_start);
    }

    fn copy_run(&mut self, run: &str, src: usize) {
        if run.is_empty() {
            return;
        }
        let at = self.text.len();
        // A run one byte after the previous copied run, in the text and in the source
        // (words one space or line break apart), extends it: the byte between maps
        // one to one as well.
        if let Some(last) = self.map.segments.last_mut() {
            if last.is_copy() && last.at + last.len + 1 == at && last.src + last.len + 1 == src {
                last.len += run.len() + 1;
                last.src_len = last.len;
                self.text.push_str(run);
                return;
            }
        }
        self.map.segments.push(Segment {
            at: self.text.len(),
            src,
            len: run.len(),
            src_len: run.len(),
        });
        self.text.push_str(run);
    }

    /// Maps a byte range of the joined text to a span of the source.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        self.map.source_span(start, end)
    }

    /// The whole paragraph's span in the source.
    pub fn span(&self) -> Span {
        self.source_span(0, self.text.len())
    }
}

impl SourceMap {
    /// Maps a byte range of its text to a span of the source.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        if self.segments.is_empty() {
            return Span::default();
        }
        let s = self.source_offset(start, false);
        let e = self.source_offset(end, true);
        Span::new(s, e.max(s))
    }

    /// [`SourceMap::source_span`] for ranges taken in order of start (a field's mentions):
    /// `cursor` (0 at first) remembers the segment the last one started in, so the search
    /// walks forward from there instead of starting over.
    pub fn source_span_after(&self, cursor: &mut usize, start: usize, end: usize) -> Span {
        let segs = &self.segments;
        let reaches = |i: usize, off: usize| segs[i].at + segs[i].len > off;
        // The walk below needs a non-empty range and a cursor at or before its segment.
        if segs.is_empty()
            || start >= end
            || *cursor > segs.len()
            || (*cursor > 0 && reaches(*cursor - 1, start))
        {
            return self.source_span(start, end);
        }
        let mut i = *cursor;
        while i < segs.len() && !reaches(i, start) {
            i += 1;
        }
        *cursor = i;
        // Every segment before `i` ends at or before `start`, so before `end` too.
        let mut j = i;
        while j < segs.len() && segs[j].at + segs[j].len < end {
            j += 1;
        }
        let (i, j) = (i.min(segs.len() - 1), j.min(segs.len() - 1));
        let s = segs[i].source_at(start.saturating_sub(segs[i].at));
        let e = segs[j].source_at(end.saturating_sub(segs[j].at));
        Span::new(s, e.max(s))
    }

    fn source_offset(&self, off: usize, is_end: bool) -> usize {
        // The segment containing `off`; an end offset that falls on a segment boundary
        // belongs to the earlier segment, so spans never swallow the line break.
        let idx = self
            .segments
            .partition_point(|g| {
                if is_end {
                    g.at + g.len < off
                } else {
                    g.at + g.len <= off
                }
            })
            .min(self.segments.len() - 1);
        let g = self.segments[idx];
        g.source_at(off.saturating_sub(g.at))
    }

    /// The map of the part `start..end` of its text, as that part's own map.
    pub fn slice(&self, start: usize, end: usize) -> SourceMap {
        // Runs are in text order and do not overlap: only those from the first that ends
        // after `start` to the last that begins before `end` can contribute.
        let first = self.segments.partition_point(|g| g.at + g.len <= start);
        let last = first + self.segments[first..].partition_point(|g| g.at < end);
        let mut out = SourceMap {
            segments: Vec::with_capacity(last - first),
        };
        out.segments.extend(
            self.segments[first..last]
                .iter()
                .filter_map(|g| g.cut(start, end)),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A running header's key has each digit folded and its spacing made single, so
    /// "Page 2" and "Page 3" lines share one.
    #[test]
    fn running_keys_fold_digits_and_spacing() {
        for (line, key) in [
            ("Page 2  of\t5", "Page # of # "),
            ("  IMR Case CM13-0001234 ", "IMR Case CM##-####### "),
            ("caf\u{e9} \u{a0} 12", "caf\u{e9} ## "),
            ("", ""),
        ] {
            assert_eq!(running_key(line), key, "{line:?}");
        }
    }

    /// A slice looks only at the runs its range overlaps (found by binary search); it
    /// must keep what looking at every run keeps, for every range, across line joins,
    /// mended hyphens and typographic characters.
    #[test]
    fn a_slice_keeps_the_runs_a_full_scan_keeps() {
        let every_run = |j: &Joined, start: usize, end: usize| -> Vec<Segment> {
            j.map
                .segments
                .iter()
                .filter_map(|g| g.cut(start, end))
                .collect()
        };
        let src = "Low back pain with radi-\nculopathy;\u{201c}no\u{201d} red\n   flags noted.\nPlan: MRI.";
        let j = Joined::from_lines(&content_lines(src));
        assert!(j.map.segments.len() > 3);
        let n = j.text.len();
        let bounds: Vec<usize> = (0..=n).filter(|&i| j.text.is_char_boundary(i)).collect();
        for (k, &start) in bounds.iter().enumerate() {
            for &end in &bounds[k..] {
                let part = j.map.slice(start, end);
                assert_eq!(part.segments, every_run(&j, start, end), "{start}..{end}");
            }
        }
    }

    /// Walking forward from the last mention's segment maps every range as the search
    /// from scratch does, in order or not, across line joins, mended hyphens and
    /// typographic characters.
    #[test]
    fn spans_mapped_in_order_match_spans_mapped_alone() {
        let src = "Low back pain with radi-\nculopathy;\u{201c}no\u{201d} red\n   flags noted.\nPlan: MRI.";
        let lines = content_lines(src);
        let j = Joined::from_lines(&lines);
        let n = j.text.len();
        let mut ranges = Vec::new();
        for s in 0..=n {
            for e in s..=n.min(s + 12) {
                if j.text.is_char_boundary(s) && j.text.is_char_boundary(e) {
                    ranges.push((s, e));
                }
            }
        }
        let mut cursor = 0;
        for &(s, e) in &ranges {
            assert_eq!(
                j.map.source_span_after(&mut cursor, s, e),
                j.source_span(s, e),
                "{s}..{e}"
            );
        }
        // Out of order: the cursor is behind or ahead of the range's segment.
        for &(s, e) in ranges.iter().rev().step_by(7) {
            assert_eq!(
                j.map.source_span_after(&mut cursor, s, e),
                j.source_span(s, e),
                "{s}..{e}"
            );
        }
        let empty = Joined::default();
        assert_eq!(
            empty.map.source_span_after(&mut 0, 0, 3),
            empty.source_span(0, 3)
        );
    }

    /// The byte-wise trim gives what trimming by character gives, non-ASCII blanks and
    /// text included.
    #[test]
    fn lines_are_trimmed_as_by_character() {
        for raw in [
            "",
            " ",
            "\t x \r",
            "x",
            "  Page 2 ",
            "\u{a0}x\u{a0}",
            " \u{feff}Summary: ",
            "caf\u{e9}",
            "\u{e9} ",
            " \u{2003}\u{2003}",
            "\x0b x \x0c",
            "a \u{a0} b",
        ] {
            let lead = raw.len() - raw.trim_start_matches(is_blank_char).len();
            assert_eq!(
                trim_blank(raw),
                (lead, raw.trim_matches(is_blank_char)),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn page_footers_are_the_regex() {
        let re = crate::re::compile(
            r"(?i)^(page\s+\d+(\s+of\s+\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+|.{0,70}\bpage\s+\d+\s+of\s+\d+|page\s+\d+\s+of\s+\d+\b.{0,70})$",
        )
        .unwrap();
        let mut lines = crate::re::testing::samples();
        let long = "x".repeat(69);
        for t in [
            "Page 2",
            "page 2 of 5",
            "PAGE  12  OF  40",
            "Page 2 of",
            "Page two",
            "- 3 -",
            "-3-",
            "- 3",
            "12/14",
            "12 / 14",
            "12/",
            "/14",
            "IMR Case Number CM13-0001234 Page 2 of 4",
            "CM13-0001234Page 2 of 4",
            "Page 2 of 4 IMR Case Number CM13-0001234",
            "Page 2 of 4x",
            "Page 2 of 4_",
            "page 1 2",
            "Page\t3\x0bof\x0c4",
            "- 3 - x",
            "1 / 2 / 3",
        ] {
            lines.push(t.to_string());
        }
        for n in [68, 69, 70, 71] {
            lines.push(format!("{} page 2 of 3", &long[..n.min(69)].repeat(2)[..n]));
            lines.push(format!("Page 2 of 3 {}", &long.repeat(2)[..n]));
        }
        let mut footers = 0;
        for l in &lines {
            let want = re.is_match(l);
            footers += usize::from(want);
            assert_eq!(is_page_footer(l), want, "{l:?}");
            assert!(!want || may_be_page_footer(l), "{l:?}");
        }
        assert!(footers > 20, "{footers}");
    }

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
    fn running_headers_and_case_footers_are_dropped() {
        let src = "Review - CM14-1\nISSUE AT DISPUTE: MRI\nRATIONALE FOR WHY\nIMR Case Number CM14-1 Page 1 of 2\x0cReview - CM14-1\nIS/WAS NOT\nText \u{201c}quoted\u{201d} L4\u{2013}5.\n";
        let texts: Vec<_> = content_lines(src).iter().map(|l| l.text).collect();
        assert_eq!(
            texts,
            [
                "Review - CM14-1",
                "ISSUE AT DISPUTE: MRI",
                "RATIONALE FOR WHY",
                "IS/WAS NOT",
                "Text \u{201c}quoted\u{201d} L4\u{2013}5."
            ]
        );
        let lines = content_lines(src);
        let j = Joined::from_lines(&lines[4..]);
        assert_eq!(j.text, "Text \"quoted\" L4-5.");
        let at = j.text.find("L4-5").unwrap();
        let sp = j.source_span(at, at + 4);
        assert_eq!(&src[sp.start..sp.end], "L4\u{2013}5");
        let sp = j.source_span(5, 13);
        assert_eq!(&src[sp.start..sp.end], "\u{201c}quoted\u{201d}");
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

    /// Plain lines are copied whole; any other white space is folded to single spaces,
    /// and every word still maps back to its place in the source.
    #[test]
    fn white_space_runs_fold_to_one_space_and_words_map_back() {
        for line in [
            "pain  radiates",
            "pain\tradiates",
            " pain radiates",
            "pain radiates ",
            "pain radiates",
        ] {
            let j = Joined::from_source(line, 0);
            assert_eq!(j.text, "pain radiates", "{line:?}");
            let at = j.text.find("radiates").unwrap();
            let sp = j.source_span(at, at + "radiates".len());
            assert_eq!(&line[sp.start..sp.end], "radiates", "{line:?}");
        }
    }
}
