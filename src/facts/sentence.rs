//! Sentence segmentation and tokenisation for clinical text extracted from PDFs.
//!
//! The splitter is rule based and tuned for letter / report prose:
//!
//! * `.`, `!` and `?` end a sentence when followed by whitespace and a capital letter, a digit
//!   or other non-lowercase character, except after titles and Latin abbreviations ("Dr.",
//!   "e.g.", "vs."), after single-letter initials ("M. Smith") and after list numbers at the
//!   start of a line ("1. Lumbar ..."). Decimals ("0.7"), levels ("L4-5") and scores ("5/5")
//!   never split because the punctuation is not followed by whitespace.
//! * A line break only ends a sentence when the next line starts a list item or a heading
//!   ("Plan:"), when the previous line is itself a heading (short, all capitals or Title Case,
//!   no final punctuation), or when a blank line follows a sentence-final mark. Lines wrapped in
//!   the middle of a sentence, even with blank lines between them, are joined.
//! * Inline list numbers ("... 1) Colitis 2) Polyps") and inline capitalised headings after a
//!   run of spaces ("...   IMPRESSION: ...") start new segments, as PDF extraction often puts
//!   a whole form on one line.
//! * A list item that follows a lead-in ending with a colon ("Denies:" / "- numbness") keeps
//!   that lead-in as [`Segment::lead_in`], so triggers in the lead-in reach every item.

use std::ops::Range;

/// One sentence (or list item / heading) of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte range of the segment in the text, without surrounding whitespace.
    pub range: Range<usize>,
    /// For list items: the byte range of the lead-in line that introduces the list
    /// (a segment ending with `:`), if there is one.
    pub lead_in: Option<Range<usize>>,
}

/// Kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word or number ("L4-5", "patient's", "0.7").
    Word,
    /// One punctuation character.
    Punct,
}

/// A token with its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
}

/// Abbreviations after which a period never ends a sentence (compared lowercase, without the
/// final period).
const NEVER_SPLIT: &[&str] = &[
    "dr", "drs", "mr", "mrs", "ms", "prof", "sr", "jr", "st", "e.g", "i.e", "eg", "ie", "vs", "v",
    "cf", "approx", "fig", "figs", "viz", "al", "incl", "esp", "dept", "ref", "re", "pt", "pts",
    "hx", "dx", "tx", "rx", "sx", "fx", "approx", "appt", "avg", "min", "max", "lt", "rt", "bilat",
    "sig", "nos", "ca", "co", "inc", "ltd", "corp", "univ", "mt", "ft", "vol", "pp", "ed", "eds",
];

/// Splits `text` into sentences and returns their byte ranges.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    segment(text).into_iter().map(|s| s.range).collect()
}

/// Splits `text` into sentences / list items, see the module documentation.
pub fn segment(text: &str) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // Sized for a sentence every 48 bytes (narratives run 80 to 120), up to a long
    // narrative's worth: a vector grown from empty is copied at each doubling.
    let mut cuts: Vec<usize> = Vec::with_capacity((len / 48 + 4).min(4096));

    let mut i = 0;
    while i < len {
        let b = bytes[i];
        if !ACTS_ON[b as usize] {
            i += 1;
            continue;
        }
        // One space before a letter, the commonest case by far, cuts nothing.
        if b == b' ' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 2;
            continue;
        }
        match b {
            b'.' | b'!' | b'?' => {
                if let Some(cut) = sentence_end_cut(text, i) {
                    cuts.push(cut);
                }
            }
            b'\n' | b'\r' => {
                // Whole whitespace run containing this line break.
                let mut s = i;
                while s > 0 && is_space(bytes[s - 1]) {
                    s -= 1;
                }
                let mut k = i;
                while k < len && is_space(bytes[k]) {
                    k += 1;
                }
                if k < len && s > 0 && line_break_cuts(text, s, k) {
                    cuts.push(k);
                }
                i = k;
                continue;
            }
            b' ' | b'\t' => {
                // Inline list numbers and inline headings after whitespace.
                let mut k = i;
                while k < len && (bytes[k] == b' ' || bytes[k] == b'\t') {
                    k += 1;
                }
                if k < len
                    && !is_space(bytes[k])
                    && (starts_inline_number(&text[k..])
                        || (k - i >= 2 && starts_caps_heading(&text[k..])))
                {
                    cuts.push(k);
                }
                i = k;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut out: Vec<Segment> = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(len)) {
        if cut < start || cut > len {
            continue;
        }
        if let Some(r) = trim_range(text, start..cut) {
            out.push(Segment {
                range: r,
                lead_in: None,
            });
        }
        start = cut;
    }

    // Lead-ins for list items.
    for idx in 1..out.len() {
        let item = &text[out[idx].range.clone()];
        if !starts_list_marker(item) {
            continue;
        }
        let prev = &out[idx - 1];
        let prev_text = &text[prev.range.clone()];
        let lead =
            if list_marker_kind(prev_text) == list_marker_kind(item) && prev.lead_in.is_some() {
                prev.lead_in.clone()
            } else if prev_text.ends_with(':') {
                Some(prev.range.clone())
            } else {
                None
            };
        out[idx].lead_in = lead;
    }
    out
}

/// The bytes [`segment`] acts on: sentence marks, line breaks, spaces and tabs.
static ACTS_ON: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let acts = b".!?\n\r \t";
    while k < acts.len() {
        t[acts[k] as usize] = true;
        k += 1;
    }
    t
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b')
}

fn trim_range(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail >= s.len() {
        return None;
    }
    Some(r.start + lead..r.end - trail)
}

/// For a `.`/`!`/`?` at byte `i`, the byte offset where the next sentence starts, if this
/// mark ends a sentence.
fn sentence_end_cut(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut j = i + 1;
    // Repeated marks ("?!", "...") and closing brackets / quotes belong to this sentence.
    while j < len && matches!(bytes[j], b'.' | b'!' | b'?' | b')' | b']' | b'"' | b'\'') {
        j += 1;
    }
    if j < len && !is_space(bytes[j]) {
        // "0.7", "e.g.x", "5/5." followed by a letter: not an end. Also handles UTF-8 quotes
        // conservatively.
        return None;
    }
    let mut k = j;
    let mut newlines = 0;
    while k < len && is_space(bytes[k]) {
        if bytes[k] == b'\n' {
            newlines += 1;
        }
        k += 1;
    }
    if k >= len {
        return None;
    }
    let next = text[k..].chars().next()?;
    if bytes[i] == b'.' {
        let word = word_before(text, i);
        let lower = word.to_ascii_lowercase();
        if NEVER_SPLIT.contains(&lower.as_str()) {
            return None;
        }
        // Single-letter initial: "M. Smith", "J. Doe".
        if word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase() && next.is_uppercase() {
            return None;
        }
        // "1. " at the start of a line is a list number, not a sentence end.
        if !word.is_empty()
            && word.len() <= 2
            && word.bytes().all(|b| b.is_ascii_digit())
            && at_line_start(text, i - word.len())
        {
            return None;
        }
    }
    if newlines >= 2 {
        return Some(k);
    }
    if next.is_lowercase() {
        return None;
    }
    Some(k)
}

/// The word (alphanumerics and inner dots) ending just before byte `i`.
fn word_before(text: &str, i: usize) -> &str {
    let bytes = text.as_bytes();
    let mut s = i;
    while s > 0 && (bytes[s - 1].is_ascii_alphanumeric() || bytes[s - 1] == b'.') {
        s -= 1;
    }
    // Leading dots are not part of the word.
    while s < i && bytes[s] == b'.' {
        s += 1;
    }
    &text[s..i]
}

fn at_line_start(text: &str, pos: usize) -> bool {
    let before = &text[..pos];
    let line_start = before.rfind('\n').map(|p| p + 1).unwrap_or(0);
    before[line_start..].trim().is_empty()
}

/// Whether the line break in the whitespace run `s..k` ends a sentence.
fn line_break_cuts(text: &str, s: usize, k: usize) -> bool {
    let prev_start = text[..s].rfind('\n').map(|p| p + 1).unwrap_or(0);
    let prev = text[prev_start..s].trim();
    let next_end = text[k..].find('\n').map(|p| k + p).unwrap_or(text.len());
    let next = text[k..next_end].trim();
    let blank = text[s..k].matches('\n').count() >= 2;
    if prev.is_empty() || next.is_empty() {
        return false;
    }
    if starts_list_marker(next) || starts_heading(next) {
        return true;
    }
    if prev.ends_with(':') {
        return false;
    }
    // A "Field: value" line followed by a capitalised line is a form, not wrapped prose.
    if starts_heading(prev) && next.chars().next().is_some_and(|c| c.is_uppercase()) {
        return true;
    }
    if is_heading_line(prev) {
        return true;
    }
    if blank && (prev.ends_with('.') || prev.ends_with('!') || prev.ends_with('?')) {
        return true;
    }
    false
}

/// "-", "•", "* ", "1.", "1)", "a)" at the start of `s`.
pub(crate) fn starts_list_marker(s: &str) -> bool {
    list_marker_kind(s).is_some()
}

/// Kind of list marker at the start of `s`: 0 bullet, 1 number, 2 letter.
fn list_marker_kind(s: &str) -> Option<u8> {
    let c0 = s.chars().next()?;
    let rest = &s[c0.len_utf8()..];
    match c0 {
        '•' | '◦' | '▪' | '‣' | '·' | '–' | '—' => return Some(0),
        '-' | '*' | 'o' => {
            return (rest.starts_with(' ') || rest.starts_with('\t')).then_some(0);
        }
        _ => {}
    }
    let digits = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    if (1..=2).contains(&digits) {
        let after = &s[digits..];
        let ok = (after.starts_with(')') || after.starts_with('.'))
            && after[1..].starts_with([' ', '\t']);
        return ok.then_some(1);
    }
    (c0.is_ascii_lowercase() && rest.starts_with(") ")).then_some(2)
}

/// "12) " at the start of `s` (inline enumerations in flattened forms).
fn starts_inline_number(s: &str) -> bool {
    let digits = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    (1..=2).contains(&digits) && s[digits..].starts_with(") ")
}

const SMALL_WORDS: &[&str] = &[
    "of", "and", "or", "the", "to", "for", "in", "on", "a", "&", "/",
];

/// "Plan:", "History of Present Illness:", "NECK:" at the start of a line.
fn starts_heading(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    if colon == 0 || colon > 45 {
        return false;
    }
    let head = &s[..colon];
    if !head.chars().next().is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    if !head
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '/' | '&' | '(' | ')' | '\'' | '-'))
    {
        return false;
    }
    let words: Vec<&str> = head.split_whitespace().collect();
    words.len() <= 6 && words.iter().all(|w| capitalised_or_small(w))
}

fn capitalised_or_small(w: &str) -> bool {
    SMALL_WORDS.contains(&w.to_ascii_lowercase().as_str())
        || w.chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// "IMPRESSION:" / "POSTOPERATIVE DIAGNOSIS(ES):" (all capitals) at the start of `s`.
fn starts_caps_heading(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    if !(2..=45).contains(&colon) {
        return false;
    }
    let head = &s[..colon];
    let letters = head.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && head.chars().next().is_some_and(|c| c.is_uppercase())
        && head.chars().all(|c| {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, ' ' | '/' | '&' | '(' | ')' | '\'' | '-')
        })
        && head.split_whitespace().count() <= 5
        && s[colon + 1..].starts_with([' ', '\t', '\n', '\r'])
}

/// A short line without final punctuation in capitals or Title Case ("ASSESSMENT",
/// "Physical Examination").
fn is_heading_line(line: &str) -> bool {
    if line.ends_with(['.', '!', '?', ',', ';', ':', '-']) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    if !line.chars().any(|c| c.is_alphabetic()) {
        return false;
    }
    let all_caps = line
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase());
    all_caps || words.iter().all(|w| capitalised_or_small(w))
}

/// Tokenises `text[range]` into words and punctuation marks. Out-of-range or non-boundary
/// ranges are clamped.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(text, range, &mut out);
    out
}

pub(crate) fn tokenize_into(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let end = floor_char_boundary(text, range.end.min(text.len()));
    if start >= end {
        return;
    }
    let s = &text[start..end];
    let bytes = s.as_bytes();
    // The class of the character at byte `i` and its length; ASCII by table.
    let class_at = |i: usize| -> (CharClass, usize) {
        match bytes[i] {
            b if b < 0x80 => (ASCII_CLASS[usize::from(b)], 1),
            _ => {
                let c = s[i..].chars().next().unwrap_or(' ');
                let class = if c.is_whitespace() {
                    CharClass::Space
                } else if is_word_char(c) {
                    CharClass::Word
                } else if c == '’' {
                    CharClass::Joiner
                } else {
                    CharClass::Punct
                };
                (class, c.len_utf8())
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let (class, len) = class_at(i);
        if class == CharClass::Space {
            i += len;
            continue;
        }
        if class != CharClass::Word {
            out.push(Token {
                range: start + i..start + i + len,
                kind: TokenKind::Punct,
            });
            i += len;
            continue;
        }
        let mut e = i + len;
        while e < bytes.len() {
            // ASCII letters and digits, most of a word, by table.
            if ASCII_WORD[usize::from(bytes[e])] {
                e += 1;
                continue;
            }
            let (class, dlen) = class_at(e);
            if class == CharClass::Word {
                e += dlen;
            } else if class == CharClass::Joiner
                && e + dlen < bytes.len()
                && class_at(e + dlen).0 == CharClass::Word
            {
                // Joiner: only inside a word ("patient's", "L4-5", "0.7", "q.d").
                e += dlen;
            } else {
                break;
            }
        }
        out.push(Token {
            range: start + i..start + e,
            kind: TokenKind::Word,
        });
        i = e;
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// What a character is to the tokeniser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Space,
    Word,
    /// Joins two word parts ("patient's", "L4-5", "0.7"); punctuation elsewhere.
    Joiner,
    Punct,
}

/// Whether each byte is an ASCII word character ([`CharClass::Word`]); false for every
/// byte of a multi-byte character, which [`tokenize_into`] reads as a `char`.
const ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = matches!(ASCII_CLASS[b], CharClass::Word);
        b += 1;
    }
    t
};

/// [`CharClass`] of each ASCII byte.
const ASCII_CLASS: [CharClass; 128] = {
    let mut t = [CharClass::Punct; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        t[b] = if c.is_ascii_whitespace() || b == 0x0b {
            CharClass::Space
        } else if c.is_ascii_alphanumeric() || c == '_' {
            CharClass::Word
        } else if matches!(c, '\'' | '-' | '.') {
            CharClass::Joiner
        } else {
            CharClass::Punct
        };
        b += 1;
    }
    t
};

/// Largest char boundary `<= i` (stable replacement for `str::floor_char_boundary`).
pub(crate) fn floor_char_boundary(text: &str, i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    let mut i = i;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Smallest char boundary `>= i`.
pub(crate) fn ceil_char_boundary(text: &str, i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    let mut i = i;
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let t = "Seen by Dr. Smith for pain, e.g. in the low back. He denies numbness vs. tingling. Next.";
        assert_eq!(
            sents(t),
            vec![
                "Seen by Dr. Smith for pain, e.g. in the low back.",
                "He denies numbness vs. tingling.",
                "Next."
            ]
        );
    }

    #[test]
    fn levels_scores_and_dosing() {
        let t = "Status post L4-5 fusion. Strength is 5/5. Naproxen 500 mg q.d. was continued. \
                 Take it b.i.d. The pain is 7.5/10.";
        assert_eq!(
            sents(t),
            vec![
                "Status post L4-5 fusion.",
                "Strength is 5/5.",
                "Naproxen 500 mg q.d. was continued.",
                "Take it b.i.d.",
                "The pain is 7.5/10."
            ]
        );
        let toks = tokenize(t, 0..t.len());
        let words: Vec<&str> = toks.iter().map(|t2| &t[t2.range.clone()]).collect();
        assert!(words.contains(&"L4-5"));
        assert!(words.contains(&"q.d"));
        assert!(words.contains(&"7.5"));
    }

    /// Words run over ASCII and non-ASCII letters alike; an apostrophe, straight or curly,
    /// joins two word parts, and a dash other than the hyphen does not.
    #[test]
    fn words_across_non_ascii_letters_and_joiners() {
        let t = "Caf\u{e9}\u{2019}s na\u{ef}ve L4\u{2013}5 patient's x-ray, 0.7 mg.";
        let words: Vec<&str> = tokenize(t, 0..t.len())
            .iter()
            .map(|k| &t[k.range.clone()])
            .collect();
        assert_eq!(
            words,
            [
                "Caf\u{e9}\u{2019}s",
                "na\u{ef}ve",
                "L4",
                "\u{2013}",
                "5",
                "patient's",
                "x-ray",
                ",",
                "0.7",
                "mg",
                "."
            ]
        );
    }

    #[test]
    fn wrapped_lines_join_and_blank_lines_between() {
        let t = "The patient denies\n\nnumbness or tingling in the\nlower extremities.\n\nMRI of the lumbar\n\nspine was normal.";
        assert_eq!(
            sents(t),
            vec![
                "The patient denies\n\nnumbness or tingling in the\nlower extremities.",
                "MRI of the lumbar\n\nspine was normal."
            ]
        );
    }

    #[test]
    fn lists_and_headings() {
        let t = "ASSESSMENT\nLumbar strain with no radiculopathy\nPlan: MRI if worse\nThe patient denies:\n- numbness\n- weakness\n1. Physical therapy\n2. Naproxen";
        let segs = segment(t);
        let texts: Vec<&str> = segs.iter().map(|s| &t[s.range.clone()]).collect();
        assert_eq!(
            texts,
            vec![
                "ASSESSMENT",
                "Lumbar strain with no radiculopathy",
                "Plan: MRI if worse",
                "The patient denies:",
                "- numbness",
                "- weakness",
                "1. Physical therapy",
                "2. Naproxen"
            ]
        );
        assert_eq!(
            segs[4].lead_in.clone().map(|r| &t[r]),
            Some("The patient denies:")
        );
        assert_eq!(
            segs[5].lead_in.clone().map(|r| &t[r]),
            Some("The patient denies:")
        );
        assert_eq!(segs[6].lead_in, None);
    }

    #[test]
    fn inline_form_fields() {
        let t = "COMPLICATIONS:  None    POSTOPERATIVE DIAGNOSIS(ES):  1) Colitis  2) No additional lesions";
        assert_eq!(
            sents(t),
            vec![
                "COMPLICATIONS:  None",
                "POSTOPERATIVE DIAGNOSIS(ES):",
                "1) Colitis",
                "2) No additional lesions"
            ]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "", " ", ".", "..", "\n\n", "é. É.", "1)", "a) b", "-", "Dr.", "x:\n- y",
        ] {
            let _ = segment(t);
            let _ = tokenize(t, 0..t.len() + 5);
        }
        let t = "é";
        assert_eq!(tokenize(t, 1..2).len(), 1);
    }
}
