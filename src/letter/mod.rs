//! Reading letters: decoding, normalisation, layout detection and one parser per layout.

pub mod fields;
pub mod layout_a;
pub mod model;
pub mod sections;
pub mod text;

pub use model::*;

use crate::span::Span;

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
    if let Some(at) = head.iter().position(|&b| b == 0) {
        return Some(at);
    }
    let ctrl = |b: &u8| *b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | b'\x0c');
    let count = head.iter().filter(|b| ctrl(b)).count();
    (count * 20 > head.len()).then(|| head.iter().position(ctrl).unwrap_or(0))
}

/// Parses letter text into a case, choosing the layout by its section headings.
pub fn parse_text(text: &str) -> Case {
    let lines = text::content_lines(text);
    let a = layout_a::headings(&lines);
    if layout_a::score(&a) >= 2 {
        return layout_a::parse(&lines, &a);
    }
    let mut case = Case {
        layout: "unknown".into(),
        ..Case::default()
    };
    let first = lines.first().map(|l| l.span).unwrap_or_default();
    let found: Vec<&str> = layout_a::HEADINGS
        .iter()
        .copied()
        .filter(|h| a.iter().any(|f| f.key == sections::heading_key(h)))
        .collect();
    let missing: Vec<&str> = layout_a::HEADINGS
        .iter()
        .copied()
        .filter(|h| !found.contains(h))
        .collect();
    case.problems.push(ParseProblem {
        code: "format/unknown-layout".into(),
        message: format!(
            "not an IMR letter of a known layout: closest is layout A, but {} missing",
            missing
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
                + if missing.len() == 1 { " is" } else { " are" }
        ),
        span: first,
        item: None,
    });
    case
}
