//! What a batch reads from its formulaic lines, remembered per thread. Requests ("MRI of
//! the lumbar spine") and guideline lines ("Decision based on MTUS ACOEM Chapter 12 Low
//! Back Complaints Page(s): 303-304") repeat from letter to letter, so what is read from
//! one is kept by its text. Narrative text (summaries, rationales) is always read afresh.

use crate::fasthash::FastMap;

/// Values of up to [`LineMemo::LINES`] distinct lines, by text.
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

    /// The value remembered for `line`.
    pub fn get(&self, line: &str) -> Option<&V> {
        self.values.get(line)
    }

    /// Remembers `value` for `line`.
    pub fn insert(&mut self, line: &str, value: V) {
        if self.values.len() >= Self::LINES {
            self.values.clear();
        }
        self.values.insert(line.into(), value);
    }

    /// The value remembered for `line`, computed by `read` the first time.
    pub fn get_or_read(&mut self, line: &str, read: impl FnOnce() -> V) -> &V {
        if !self.values.contains_key(line) {
            let value = read();
            self.insert(line, value);
        }
        &self.values[line]
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
            let v = *memo.get_or_read("MRI of the lumbar spine", || {
                reads += 1;
                7
            });
            assert_eq!(v, 7);
        }
        assert_eq!(reads, 1);
        for k in 0..LineMemo::<u32>::LINES + 10 {
            memo.insert(&format!("line {k}"), 1);
        }
        assert!(memo.values.len() <= LineMemo::<u32>::LINES);
        assert_eq!(memo.get("line 0"), None);
    }
}
