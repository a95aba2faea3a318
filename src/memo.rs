//! What a batch reads from its formulaic lines, remembered per thread. Requests ("MRI of
//! the lumbar spine") and guideline lines ("Decision based on MTUS ACOEM Chapter 12 Low
//! Back Complaints Page(s): 303-304") repeat from letter to letter, so what is read from
//! one is kept by its text. Narrative text (summaries, rationales) is always read afresh.

use crate::fasthash::FastMap;

/// Values of up to [`LineMemo::LINES`] distinct lines of up to [`LineMemo::MAX_LINE`]
/// bytes, by text.
pub struct LineMemo<V> {
    values: FastMap<Box<str>, V>,
}

impl<V> Default for LineMemo<V> {
    fn default() -> Self {
        LineMemo {
            values: FastMap::default(),
        }
    }
}

impl<V> LineMemo<V> {
    /// Lines kept; the memo starts over beyond this, so that a batch of one-off lines
    /// does not grow it without bound.
    pub const LINES: usize = 4096;
    /// Longer lines are read each time and not kept: formulaic lines are short, and a
    /// malformed letter's one huge "line" must not be stored thousands of times over.
    pub const MAX_LINE: usize = 256;

    /// Calls `with` on the value of `line`, which `read` makes the first time.
    pub fn read<R>(
        &mut self,
        line: &str,
        read: impl FnOnce() -> V,
        with: impl FnOnce(&V) -> R,
    ) -> R {
        if line.len() > Self::MAX_LINE {
            return with(&read());
        }
        if let Some(v) = self.values.get(line) {
            return with(v);
        }
        let value = read();
        let r = with(&value);
        if self.values.len() >= Self::LINES {
            self.values.clear();
        }
        self.values.insert(line.into(), value);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::LineMemo;

    #[test]
    fn a_line_is_read_once_and_the_memo_stays_bounded() {
        let mut memo = LineMemo::default();
        let mut reads = 0;
        for _ in 0..3 {
            let read = || {
                reads += 1;
                7
            };
            assert_eq!(memo.read("MRI of the lumbar spine", read, |v| *v), 7);
        }
        assert_eq!(reads, 1);
        for k in 0..LineMemo::<u32>::LINES + 10 {
            memo.read(&format!("line {k}"), || 1, |_| ());
        }
        assert!(memo.values.len() <= LineMemo::<u32>::LINES);
        assert!(!memo.values.contains_key("line 0"));
        // A long line is read every time and never kept.
        let long = "x".repeat(LineMemo::<u32>::MAX_LINE + 1);
        let mut long_reads = 0;
        for _ in 0..2 {
            let read = || {
                long_reads += 1;
                2
            };
            assert_eq!(memo.read(&long, read, |v| *v), 2);
        }
        assert_eq!(long_reads, 2);
        assert!(!memo.values.contains_key(long.as_str()));
    }
}
