//! A compact byte form of a pattern's syntax tree. The default pack's patterns are parsed
//! when imrlint is built and stored this way, because parsing (with case folding) is most
//! of the cost of compiling a pattern and a one-letter run compiles a score of them.
//! Patterns are read with `unicode(false)`, so classes are byte classes; a tree with a
//! Unicode class has no byte form and is parsed at run time as before.
//!
//! The form is prefix order: a tag byte, then the node's numbers (little-endian u32) and
//! its children.

use regex_syntax::hir::Repetition;
use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, Hir, HirKind, Look};

const EMPTY: u8 = 0;
const LITERAL: u8 = 1;
const CLASS: u8 = 2;
const LOOK: u8 = 3;
const REPETITION: u8 = 4;
const CAPTURE: u8 = 5;
const CONCAT: u8 = 6;
const ALTERNATION: u8 = 7;

/// No maximum, in a repetition's `max`.
const UNBOUNDED: u32 = u32::MAX;

/// The byte form of `hir`, or `None` if it holds a Unicode class.
pub fn encode(hir: &Hir) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    write(hir, &mut out)?;
    Some(out)
}

fn number(out: &mut Vec<u8>, n: usize) -> Option<()> {
    out.extend(u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

fn write(hir: &Hir, out: &mut Vec<u8>) -> Option<()> {
    match hir.kind() {
        HirKind::Empty => out.push(EMPTY),
        HirKind::Literal(l) => {
            out.push(LITERAL);
            number(out, l.0.len())?;
            out.extend_from_slice(&l.0);
        }
        HirKind::Class(Class::Bytes(c)) => {
            out.push(CLASS);
            number(out, c.ranges().len())?;
            for r in c.ranges() {
                out.extend([r.start(), r.end()]);
            }
        }
        HirKind::Class(Class::Unicode(_)) => return None,
        HirKind::Look(look) => {
            out.push(LOOK);
            number(out, look.as_repr() as usize)?;
        }
        HirKind::Repetition(r) => {
            out.push(REPETITION);
            number(out, r.min as usize)?;
            number(out, r.max.unwrap_or(UNBOUNDED) as usize)?;
            out.push(u8::from(r.greedy));
            write(&r.sub, out)?;
        }
        HirKind::Capture(c) => {
            out.push(CAPTURE);
            number(out, c.index as usize)?;
            let name = c.name.as_deref().unwrap_or("");
            number(out, name.len())?;
            out.extend_from_slice(name.as_bytes());
            write(&c.sub, out)?;
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            out.push(if matches!(hir.kind(), HirKind::Concat(_)) {
                CONCAT
            } else {
                ALTERNATION
            });
            number(out, subs.len())?;
            for s in subs {
                write(s, out)?;
            }
        }
    }
    Some(())
}

/// The tree `code` encodes, or `None` if it is not a whole encoding.
pub fn decode(code: &[u8]) -> Option<Hir> {
    let mut r = Reader { code, at: 0 };
    let hir = r.hir(0)?;
    (r.at == code.len()).then_some(hir)
}

struct Reader<'a> {
    code: &'a [u8],
    at: usize,
}

/// Deeper trees than any pattern's are refused rather than risk the stack.
const MAX_DEPTH: usize = 500;

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let b = self.code.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(b)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }

    fn number(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    fn len(&mut self) -> Option<usize> {
        let n = self.number()? as usize;
        // A count can be no larger than the bytes left to hold its items.
        (n <= self.code.len() - self.at).then_some(n)
    }

    fn hir(&mut self, depth: usize) -> Option<Hir> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match self.byte()? {
            EMPTY => Hir::empty(),
            LITERAL => {
                let n = self.len()?;
                Hir::literal(self.bytes(n)?)
            }
            CLASS => {
                let n = self.len()?;
                let ranges = (0..n)
                    .map(|_| Some(ClassBytesRange::new(self.byte()?, self.byte()?)))
                    .collect::<Option<Vec<_>>>()?;
                Hir::class(Class::Bytes(ClassBytes::new(ranges)))
            }
            LOOK => Hir::look(Look::from_repr(self.number()?)?),
            REPETITION => {
                let min = self.number()?;
                let max = Some(self.number()?).filter(|&m| m != UNBOUNDED);
                let greedy = self.byte()? != 0;
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::repetition(Repetition {
                    min,
                    max,
                    greedy,
                    sub,
                })
            }
            CAPTURE => {
                let index = self.number()?;
                let n = self.len()?;
                let name = std::str::from_utf8(self.bytes(n)?).ok()?;
                let name = (!name.is_empty()).then(|| name.into());
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::capture(Capture { index, name, sub })
            }
            tag @ (CONCAT | ALTERNATION) => {
                let n = self.len()?;
                let subs = (0..n)
                    .map(|_| self.hir(depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                if tag == CONCAT {
                    Hir::concat(subs)
                } else {
                    Hir::alternation(subs)
                }
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false)
            .build()
            .parse(p)
            .unwrap()
    }

    #[test]
    fn trees_come_back_as_they_went() {
        for p in [
            r"\b(?:MRI|magnetic\s+resonance)\b[^.;]{0,40}?\b(?:lumbar|L[1-5])\b",
            r"(?P<n>\d{1,3})\s*(?:visits?|sessions?)",
            r"^x+$|a*?b{2,}|(?-i:Abc)|",
            r"(?:\w+\s+){0,3}pain",
        ] {
            let hir = read(p);
            let code = encode(&hir).unwrap();
            assert_eq!(decode(&code), Some(hir), "{p}");
        }
    }

    #[test]
    fn broken_codes_are_refused_not_trusted() {
        let code = encode(&read(r"\bred\s+flags?\b")).unwrap();
        for cut in 0..code.len() {
            assert_eq!(decode(&code[..cut]), None, "cut at {cut}");
        }
        let mut longer = code.clone();
        longer.push(EMPTY);
        assert_eq!(decode(&longer), None);
        assert_eq!(decode(&[9]), None);
        // A count larger than the code cannot allocate its way to a crash.
        assert_eq!(decode(&[CONCAT, 255, 255, 255, 255]), None);
    }

    #[test]
    fn unicode_classes_have_no_byte_form() {
        let hir = regex_syntax::Parser::new().parse(r"\w").unwrap();
        assert_eq!(encode(&hir), None);
    }
}
