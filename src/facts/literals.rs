//! The literals a concept pattern's matches can begin and end with, and their longest
//! length. Shared with `build.rs`, which works them out for the default pack ahead of
//! time, so this module needs nothing but `regex-syntax`.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::Hir;

/// Where a pattern's matches can be: the folded literals one of which begins every match,
/// those one of which ends every match (`None`: no such set), and the longest match in
/// bytes (`None`: unbounded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    pub starts: Option<Vec<Vec<u8>>>,
    pub ends: Option<Vec<Vec<u8>>>,
    pub max_len: Option<usize>,
}

/// The [`Anchors`] of a concept pattern, folded as the phrase matcher folds texts.
pub fn anchors(pattern: &str) -> Anchors {
    anchors_folded(pattern, fold_bytes)
}

/// [`anchors`] folded with `fold` (which must keep lengths).
pub fn anchors_folded(pattern: &str, fold: fn(&[u8]) -> Vec<u8>) -> Anchors {
    Anchors {
        starts: start_literals_folded(pattern, fold),
        ends: end_literals_folded(pattern, fold),
        max_len: read(pattern, true)
            .ok()
            .and_then(|h| h.properties().maximum_len()),
    }
}

/// Reads a pattern the way every concept pattern is read: ASCII classes and case folding
/// (letters are normalised to ASCII), matching bytes.
pub fn read(pattern: &str, case_insensitive: bool) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

/// Lowercases ASCII and maps a hyphen to a space, as the phrase matcher folds texts.
pub fn fold_bytes(text: &[u8]) -> Vec<u8> {
    text.iter().map(|&b| fold_byte(b)).collect()
}

/// One byte as [`fold_bytes`] folds it.
pub fn fold_byte(b: u8) -> u8 {
    match b {
        b'-' => b' ',
        b => b.to_ascii_lowercase(),
    }
}

/// The folded literals one of which begins every match of `pattern`, none a prefix of
/// another; `None` if a match can begin with anything (or the pattern does not parse).
pub fn start_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    start_literals_folded(pattern, fold_bytes)
}

/// [`start_literals`] folded with `fold` (which must keep lengths).
pub fn start_literals_folded(pattern: &str, fold: fn(&[u8]) -> Vec<u8>) -> Option<Vec<Vec<u8>>> {
    edge_literals(pattern, fold, ExtractKind::Prefix)
}

/// The folded literals one of which ends every match of `pattern`, none a suffix of
/// another; `None` if a match can end with anything (or the pattern does not parse).
pub fn end_literals_folded(pattern: &str, fold: fn(&[u8]) -> Vec<u8>) -> Option<Vec<Vec<u8>>> {
    edge_literals(pattern, fold, ExtractKind::Suffix)
}

/// The literals at one edge of every match. Suffixes are worked on reversed, so that both
/// edges read from the outside in.
fn edge_literals(
    pattern: &str,
    fold: fn(&[u8]) -> Vec<u8>,
    kind: ExtractKind,
) -> Option<Vec<Vec<u8>>> {
    let reversed = matches!(kind, ExtractKind::Suffix);
    // Read case-sensitively and matched without regard to case: with case folding on,
    // every letter would be a two-letter class and the literal sets would explode.
    let hir = read(pattern, false).ok()?;
    let seq = Extractor::new().kind(kind).extract(&hir);
    let lits = seq.literals()?;
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for l in lits {
        let mut bytes = l.as_bytes().to_vec();
        if reversed {
            bytes.reverse();
        }
        // A literal is cut at any whitespace but a plain space: `\s` would spell every
        // word once per whitespace byte, and a shorter literal is as good an anchor.
        let cut = bytes
            .iter()
            .position(|b| b.is_ascii_whitespace() && *b != b' ')
            .unwrap_or(bytes.len());
        if cut == 0 {
            return None;
        }
        out.push(fold(&bytes[..cut]));
    }
    out.sort();
    out.dedup();
    // A literal that extends a shorter one adds no position.
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(out.len());
    for l in out {
        if !kept.last().is_some_and(|k| l.starts_with(k)) {
            kept.push(l);
        }
    }
    if reversed {
        kept.iter_mut().for_each(|l| l.reverse());
    }
    Some(kept)
}
