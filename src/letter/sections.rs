//! Finding section headings in extracted text, including headings that PDF extraction
//! broke over two or three lines and headings whose body starts on the same line
//! ("ISSUE AT DISPUTE: MRI of the lumbar spine").

use super::text::Line;
use crate::span::Span;

/// A heading found in the letter.
#[derive(Debug, Clone)]
pub struct Heading {
    /// Which of the wanted headings it is (an index into the names the [`HeadingKeys`]
    /// were made from).
    pub index: usize,
    pub first_line: usize,
    /// First line of the section's body.
    pub body_line: usize,
    /// When the body starts on the heading's last line: that line and the byte offset in
    /// its text where the body starts.
    pub inline: Option<(usize, usize)>,
    pub span: Span,
}

/// Uppercase letters and digits only, so "IMR ISSUES, DECISIONS  AND RATIONALES" and
/// "IMR Issues, Decisions and Rationales:" compare equal.
pub fn heading_key(s: &str) -> String {
    if s.is_ascii() {
        let key: Vec<u8> = s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_uppercase())
            .collect();
        return String::from_utf8(key).unwrap_or_default();
    }
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The heading found for `name`, one of the `names` the search looked for.
pub fn find_named<'h>(headings: &'h [Heading], names: &[&str], name: &str) -> Option<&'h Heading> {
    let index = names.iter().position(|n| *n == name)?;
    headings.iter().find(|h| h.index == index)
}

/// Lines a heading may be broken over.
const MAX_HEADING_LINES: usize = 3;

/// The keys of a layout's headings, made once, and the letters they start with, which rule
/// out most lines at a glance.
pub struct HeadingKeys {
    keys: Vec<String>,
    first: [bool; 128],
    /// The first six bytes of each key of six or more, as a number: a line's six-letter
    /// lead is compared with them at once rather than key by key.
    leads: Vec<u64>,
}

/// Six bytes as one number.
fn lead_number(six: &[u8]) -> u64 {
    six.iter().fold(0, |n, &b| (n << 8) | u64::from(b))
}

impl HeadingKeys {
    pub fn new(names: &[&str]) -> Self {
        let keys: Vec<String> = names.iter().map(|w| heading_key(w)).collect();
        let mut first = [false; 128];
        for k in &keys {
            if let Some(&b) = k.as_bytes().first().filter(|b| b.is_ascii()) {
                first[usize::from(b)] = true;
            }
        }
        let leads = keys
            .iter()
            .filter(|k| k.len() >= 6)
            .map(|k| lead_number(&k.as_bytes()[..6]))
            .collect();
        HeadingKeys { keys, first, leads }
    }
}

/// The heading keys of a letter's lines, each made the first time a search needs it and
/// kept for the other layouts' searches.
pub struct LineKeys<'a> {
    lines: &'a [Line<'a>],
    keys: Vec<std::cell::OnceCell<LineKey>>,
    /// Each line's first six letters and digits in upper case, when it is ASCII.
    leads: Vec<Option<([u8; 6], usize)>>,
}

struct LineKey {
    key: String,
    /// How long the key of the text before the line's first colon is, and the byte after
    /// that colon in the line.
    head: Option<(usize, usize)>,
}

impl<'a> LineKeys<'a> {
    pub fn new(lines: &'a [Line<'a>]) -> Self {
        let lead = |text: &str| {
            let mut lead = [0u8; 6];
            let mut n = 0;
            for &b in text.as_bytes() {
                if !b.is_ascii() {
                    return None;
                }
                if b.is_ascii_alphanumeric() {
                    lead[n] = b.to_ascii_uppercase();
                    n += 1;
                    if n == lead.len() {
                        break;
                    }
                }
            }
            Some((lead, n))
        };
        LineKeys {
            lines,
            keys: (0..lines.len())
                .map(|_| std::cell::OnceCell::new())
                .collect(),
            leads: lines.iter().map(|l| lead(l.text)).collect(),
        }
    }

    fn get(&self, i: usize) -> &LineKey {
        self.keys[i].get_or_init(|| {
            let text = self.lines[i].text;
            let mut key = Vec::with_capacity(text.len());
            let head = text.find(':').map(|c| {
                push_key(&mut key, &text[..c]);
                (key.len(), c + 1)
            });
            push_key(&mut key, &text[head.map_or(0, |(_, at)| at - 1)..]);
            LineKey {
                // Keys are whole characters, so the bytes are UTF-8.
                key: String::from_utf8(key).unwrap_or_default(),
                head,
            }
        })
    }

    /// The key of line `i`.
    fn key(&self, i: usize) -> &str {
        &self.get(i).key
    }

    /// The key of the text before line `i`'s first colon, and the byte after the colon.
    fn head(&self, i: usize) -> Option<(&str, usize)> {
        let k = self.get(i);
        k.head.map(|(len, at)| (&k.key[..len], at))
    }
}

/// Appends the [`heading_key`] of `s`.
fn push_key(out: &mut Vec<u8>, s: &str) {
    if !s.is_ascii() {
        out.extend_from_slice(heading_key(s).as_bytes());
        return;
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b.to_ascii_uppercase());
        }
    }
}

/// Finds each wanted heading once: one to three consecutive lines whose keys concatenate
/// to the heading's key, where the last line may go on after a colon with the body.
pub fn find_headings(
    lines: &[Line<'_>],
    line_keys: &LineKeys,
    wanted: &HeadingKeys,
) -> Vec<Heading> {
    // Room for each of the layout's headings.
    let mut out: Vec<Heading> = Vec::with_capacity(wanted.keys.len());
    let mut i = 0;
    while i < lines.len() {
        match match_at(lines, line_keys, i, wanted, &out) {
            Some(h) => {
                i = h.body_line;
                out.push(h);
            }
            None => i += 1,
        }
    }
    out
}

fn match_at(
    lines: &[Line<'_>],
    line_keys: &LineKeys<'_>,
    i: usize,
    wanted: &HeadingKeys,
    found: &[Heading],
) -> Option<Heading> {
    let keys = &wanted.keys;
    // Most lines are prose: rule them out on their first few letters before making keys.
    let first = lines.get(i)?.text;
    if let Some((lead, n)) = &line_keys.leads[i] {
        if *n > 0 && !wanted.first[usize::from(lead[0])] {
            return None;
        }
        let possible = if *n == 6 {
            // A key starts with six bytes only if it has six or more.
            let lead = lead_number(lead);
            wanted.leads.contains(&lead)
        } else {
            keys.iter().any(|k| k.as_bytes().starts_with(&lead[..*n]))
        };
        if !possible {
            return None;
        }
    } else {
        let lead: String = first
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(6)
            .flat_map(char::to_uppercase)
            .collect();
        if !keys.iter().any(|k| k.starts_with(&lead)) {
            return None;
        }
    }
    let mut prefix = String::new();
    for n in 1..=MAX_HEADING_LINES {
        let line = lines.get(i + n - 1)?;
        let whole = line_keys.key(i + n - 1);
        // The part before the first colon, when the body follows on the same line.
        let head = line_keys.head(i + n - 1);
        for (index, key) in keys.iter().enumerate() {
            if found.iter().any(|h| h.index == index) {
                continue;
            }
            let heading = |body_line: usize, inline: Option<(usize, usize)>| Heading {
                index,
                first_line: i,
                body_line,
                inline,
                span: lines[i].span.cover(line.span),
            };
            if joins_to(&prefix, whole, key) {
                return Some(heading(i + n, None));
            }
            if let Some((h, at)) = head {
                let rest = line.text[at..].trim();
                if !h.is_empty() && joins_to(&prefix, h, key) && !rest.is_empty() {
                    return Some(heading(i + n, Some((i + n - 1, at))));
                }
            }
        }
        // Only a heading's first line may be short; continuation needs a real start.
        if whole.is_empty() || (n == 1 && whole.len() < 6) {
            return None;
        }
        prefix.push_str(whole);
        if !keys.iter().any(|k| k.starts_with(&prefix)) {
            return None;
        }
    }
    None
}

/// Whether `a` followed by `b` spells `key`. Called for every key of a heading-like line;
/// the bytes where `b` would begin rule out most keys before a comparison call (a third of
/// the heading search's time went to `memcmp`, many calls of length 0).
fn joins_to(a: &str, b: &str, key: &str) -> bool {
    let (a, b, key) = (a.as_bytes(), b.as_bytes(), key.as_bytes());
    key.len() == a.len() + b.len()
        && b.first().is_none_or(|&f| key[a.len()] == f)
        && (a.is_empty() || key.starts_with(a))
        && key.ends_with(b)
}

/// The body lines of a section: from the heading's body (its inline part included) up to
/// the next heading (or the end of the letter).
pub fn section_body<'a>(lines: &[Line<'a>], h: &Heading, headings: &[Heading]) -> Vec<Line<'a>> {
    let end = headings
        .iter()
        .filter(|o| o.first_line > h.first_line)
        .map(|o| o.first_line)
        .min()
        .unwrap_or(lines.len())
        .max(h.body_line);
    let mut body = Vec::with_capacity(end.saturating_sub(h.body_line) + 1);
    if let Some((li, at)) = h.inline {
        let line = lines[li];
        let raw = &line.text[at..];
        let lead = raw.len() - raw.trim_start().len();
        let text = raw.trim();
        let s = line.span.start + at + lead;
        body.push(Line {
            text,
            span: Span::new(s, s + text.len()),
        });
    }
    body.extend_from_slice(&lines[h.body_line.min(end)..end]);
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::text::content_lines;

    #[test]
    fn headings_broken_over_lines_and_inline_bodies() {
        let src = "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE\nIS/WAS NOT MEDICALLY NECESSARY: The\nrequest fails.\nISSUE AT DISPUTE: MRI of the lumbar spine\nCASE SUMMARY:\nA summary.";
        let lines = content_lines(src);
        let wanted = [
            "ISSUE AT DISPUTE",
            "CASE SUMMARY",
            "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY",
        ];
        let wanted = HeadingKeys::new(&wanted);
        let hs = find_headings(&lines, &LineKeys::new(&lines), &wanted);
        assert_eq!(hs.len(), 3);
        let body: Vec<_> = section_body(&lines, &hs[0], &hs)
            .iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(body, ["The", "request fails."]);
        let body: Vec<_> = section_body(&lines, &hs[1], &hs)
            .iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(body, ["MRI of the lumbar spine"]);
        assert_eq!(
            &src[body_span(&lines, &hs[1], &hs)],
            "MRI of the lumbar spine"
        );
    }

    /// `joins_to` is concatenation and equality, whatever part is empty.
    #[test]
    fn joins_to_is_concatenation() {
        let parts = ["", "A", "AB", "CASE", "SUMMARY", "CASESUMMARY", "B"];
        for a in parts {
            for b in parts {
                for key in parts.iter().copied().chain(["CASESUMMARYB", "ACASE"]) {
                    assert_eq!(
                        joins_to(a, b, key),
                        format!("{a}{b}") == key,
                        "{a:?} {b:?} {key:?}"
                    );
                }
            }
        }
    }

    fn body_span(lines: &[Line<'_>], h: &Heading, hs: &[Heading]) -> std::ops::Range<usize> {
        let b = section_body(lines, h, hs);
        b[0].span.start..b[0].span.end
    }
}
