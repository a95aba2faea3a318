//! Finding section headings in extracted text, including headings that PDF extraction
//! broke over two lines.

use super::text::Line;
use crate::span::Span;

/// A heading found in the letter.
#[derive(Debug, Clone)]
pub struct Heading {
    /// Normalised heading text (see [`heading_key`]).
    pub key: String,
    pub first_line: usize,
    /// First line of the section's body.
    pub body_line: usize,
    pub span: Span,
}

/// Uppercase letters and digits only, so "IMR ISSUES, DECISIONS  AND RATIONALES" and
/// "IMR Issues, Decisions and Rationales:" compare equal.
pub fn heading_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Finds each wanted heading: a line (or two consecutive lines) whose key equals the
/// heading's key, or a line that starts with the heading followed by a colon.
pub fn find_headings(lines: &[Line<'_>], wanted: &[&str]) -> Vec<Heading> {
    let keys: Vec<String> = wanted.iter().map(|w| heading_key(w)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let k1 = heading_key(lines[i].text);
        let mut hit = None;
        for key in &keys {
            if out.iter().any(|h: &Heading| &h.key == key) || k1.is_empty() {
                continue;
            }
            if &k1 == key {
                hit = Some((key.clone(), 1));
            } else if key.starts_with(&k1) && k1.len() >= 6 {
                if let Some(next) = lines.get(i + 1) {
                    if format!("{k1}{}", heading_key(next.text)) == *key {
                        hit = Some((key.clone(), 2));
                    }
                }
            }
            if hit.is_some() {
                break;
            }
        }
        if let Some((key, n)) = hit {
            out.push(Heading {
                key,
                first_line: i,
                body_line: i + n,
                span: lines[i].span.cover(lines[i + n - 1].span),
            });
            i += n;
        } else {
            i += 1;
        }
    }
    out
}
