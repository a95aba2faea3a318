//! Reading letters: decoding, normalisation, layout detection and one parser per layout.

pub mod fields;
pub mod items;
pub mod layout_a;
pub mod layout_b;
pub mod layout_c;
pub mod model;
pub mod sections;
pub mod text;

pub use model::*;

use crate::span::Span;
use sections::Heading;
use std::sync::OnceLock;
use text::Line;

/// A letter's text, decoded, with the problems found while decoding it.
pub struct Decoded {
    pub text: String,
    pub problems: Vec<ParseProblem>,
}

/// Decodes file bytes. Binary files are refused; invalid UTF-8 is decoded lossily
/// with a warning, so a stray byte from a PDF export does not lose the letter.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ParseProblem> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseProblem {
            code: "format/empty".into(),
            message: "the file is empty".into(),
            span: Span::new(0, 0),
            item: None,
        });
    }
    if let Some(at) = binary_marker(bytes) {
        return Err(ParseProblem {
            code: "format/binary".into(),
            message: format!(
                "the file is binary, not letter text (control byte 0x{:02x} at offset {at})",
                bytes[at]
            ),
            span: Span::new(0, 0),
            item: None,
        });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: s.to_string(),
            problems: vec![],
        }),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            // The lossy text has replacement characters; point just before the first one.
            let start = text.floor_char_boundary_compat(at);
            Ok(Decoded {
                problems: vec![ParseProblem {
                    code: "format/invalid-utf8".into(),
                    message: format!("the file is not valid UTF-8 (first bad byte at offset {at}); undecodable bytes were replaced"),
                    span: Span::new(start, start),
                    item: None,
                }],
                text,
            })
        }
    }
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for String {
    fn floor_char_boundary_compat(&self, i: usize) -> usize {
        let mut i = i.min(self.len());
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// The first NUL or other non-text control byte, if the file has several of them.
fn binary_marker(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(at) = memchr::memchr(0, head) {
        return Some(at);
    }
    let ctrl = |b: &u8| *b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | b'\x0c');
    // Letters have none: count them only if there is one. A chunk is tested without
    // stopping at each byte, which the compiler turns into vector instructions.
    let chunk_has_ctrl = |c: &[u8]| c.iter().fold(false, |any, b| any | ctrl(b));
    let chunk = head.chunks(64).position(chunk_has_ctrl)?;
    let first = chunk * 64 + head[chunk * 64..].iter().position(ctrl)?;
    let count = head[first..].iter().filter(|b| ctrl(b)).count();
    (count * 20 > head.len()).then_some(first)
}

/// A letter layout: the headings that identify it, how to find them, how to parse it.
struct Layout {
    id: &'static str,
    headings: &'static [&'static str],
    /// The keys of the headings to look for (the layout's, and any it also reads).
    keys: fn() -> &'static sections::HeadingKeys,
    parse: fn(&[Line<'_>], &[Heading], Reading) -> Case,
}

/// How much of a letter to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every part of the case model (`parse`, `facts`, `audit`).
    Everything,
    /// What rules and check reports read: the reviewer's credentials (`Case::reviewer`)
    /// are left empty. Only `audit` and `parse` show them, and they cost a check a few
    /// per cent of its time.
    ForRules,
}

const LAYOUTS: &[Layout] = &[
    Layout {
        id: "A",
        headings: layout_a::HEADINGS,
        keys: || {
            static KEYS: OnceLock<sections::HeadingKeys> = OnceLock::new();
            KEYS.get_or_init(|| sections::HeadingKeys::new(layout_a::HEADINGS))
        },
        parse: layout_a::parse,
    },
    Layout {
        id: "B",
        headings: layout_b::HEADINGS,
        keys: || {
            static KEYS: OnceLock<sections::HeadingKeys> = OnceLock::new();
            KEYS.get_or_init(|| sections::HeadingKeys::new(layout_b::HEADINGS))
        },
        parse: layout_b::parse,
    },
    Layout {
        id: "C",
        headings: layout_c::HEADINGS,
        keys: layout_c::heading_keys,
        parse: layout_c::parse,
    },
];

/// A layout is chosen when at least this many of its headings are found.
const MIN_HEADINGS: usize = 2;

/// Parses letter text into a case. Every layout is scored by how many of its headings
/// appear anywhere in the letter (so leading blank lines, a header block or a cover page
/// do not matter) and the best one parses it.
pub fn parse_text(text: &str) -> Case {
    parse_text_for(text, Reading::Everything)
}

/// [`parse_text`], reading only what `reading` asks for.
pub fn parse_text_for(text: &str, reading: Reading) -> Case {
    let lines = text::content_lines(text);
    let line_keys = sections::LineKeys::new(&lines);
    let scored: Vec<(&Layout, Vec<Heading>, Vec<&str>)> = LAYOUTS
        .iter()
        .map(|l| {
            let found = sections::find_headings(&lines, &line_keys, (l.keys)());
            let present = l
                .headings
                .iter()
                .copied()
                .enumerate()
                .filter(|(i, _)| found.iter().any(|f| f.index == *i))
                .map(|(_, h)| h)
                .collect();
            (l, found, present)
        })
        .collect();
    // Most headings found, then the largest share of the layout's headings.
    let best = scored.iter().max_by(|x, y| {
        let share = |s: &(&Layout, Vec<Heading>, Vec<&str>)| s.2.len() * 1000 / s.0.headings.len();
        (x.2.len(), share(x))
            .cmp(&(y.2.len(), share(y)))
            .then(std::cmp::Ordering::Greater)
    });
    let Some((layout, found, present)) = best else {
        return Case::default();
    };
    if present.len() >= MIN_HEADINGS {
        return (layout.parse)(&lines, found, reading);
    }
    let missing: Vec<String> = layout
        .headings
        .iter()
        .filter(|h| !present.contains(h))
        .map(|m| format!("\"{m}\""))
        .collect();
    Case {
        layout: "unknown".into(),
        problems: vec![ParseProblem {
            code: "format/unknown-layout".into(),
            message: format!(
                "not an IMR letter of a known layout: closest is layout {} ({} of {} headings found), but {} {} missing",
                layout.id,
                present.len(),
                layout.headings.len(),
                missing.join(", "),
                if missing.len() == 1 { "is" } else { "are" }
            ),
            span: lines.first().map(|l| l.span).unwrap_or_default(),
            item: None,
        }],
        ..Case::default()
    }
}

#[cfg(test)]
mod binary_tests {
    use super::binary_marker;

    #[test]
    fn control_bytes_mark_a_binary_file_at_the_first_one() {
        let mut text = "Letter text.\r\n\tIndented\x0cnext page\n"
            .repeat(10)
            .into_bytes();
        assert_eq!(binary_marker(&text), None);
        // One stray control byte in a letter is not enough.
        text[100] = 0x1b;
        assert_eq!(binary_marker(&text), None);
        let mut bin: Vec<u8> = (0..200u32)
            .map(|i| if i % 3 == 0 { 0x01 } else { b'a' })
            .collect();
        bin[0] = b'x';
        assert_eq!(binary_marker(&bin), Some(3));
        bin[70] = 0;
        assert_eq!(binary_marker(&bin), Some(70));
    }
}
