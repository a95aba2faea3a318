//! Compiling the fixed regexes of the parsers. Letters are English text in ASCII (the
//! normaliser maps smart quotes and dashes), so ASCII semantics for `\w`, `\b`, `\s` and
//! case folding suffice, and they compile many times faster than Unicode tables, which
//! matters for a one-letter run. A pattern that needs Unicode (it could match inside a
//! multi-byte character) is compiled with it.

use regex::{Regex, RegexBuilder};

pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .or_else(|_| Regex::new(pattern))
}
