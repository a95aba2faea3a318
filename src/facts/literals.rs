//! The literals a concept pattern's matches can begin with. Shared with `build.rs`, which
//! works them out for the default pack ahead of time, so this module needs nothing but
//! `regex-syntax`.

use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::Hir;

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
    text.iter()
        .map(|&b| match b {
            b'-' => b' ',
            b => b.to_ascii_lowercase(),
        })
        .collect()
}

/// The folded literals one of which begins every match of `pattern`, none a prefix of
/// another; `None` if a match can begin with anything (or the pattern does not parse).
pub fn start_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    start_literals_folded(pattern, fold_bytes)
}

/// [`start_literals`] folded with `fold` (which must keep lengths).
pub fn start_literals_folded(pattern: &str, fold: fn(&[u8]) -> Vec<u8>) -> Option<Vec<Vec<u8>>> {
    // Read case-sensitively and matched without regard to case: with case folding on,
    // every letter would be a two-letter class and the literal sets would explode.
    let hir = read(pattern, false).ok()?;
    let seq = Extractor::new().extract(&hir);
    let lits = seq.literals()?;
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for l in lits {
        // A literal is cut before any whitespace but a plain space: `\s` would spell every
        // word once per whitespace byte, and a shorter start is as good an anchor.
        let bytes = l.as_bytes();
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
    // A literal that extends a shorter one adds no start position.
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(out.len());
    for l in out {
        if !kept.last().is_some_and(|k| l.starts_with(k)) {
            kept.push(l);
        }
    }
    Some(kept)
}
