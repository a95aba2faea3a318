//! A quick hash for the maps the rule loader builds from its own strings (phrases, concept
//! ids). The standard library's SipHash resists keys crafted to collide, which these are
//! not, and cost a one-letter run a million instructions. This one mixes a word at a time
//! by rotate, xor and multiply, in the manner of the compiler's FxHash.

use std::hash::{BuildHasher, Hasher};

pub type FastMap<K, V> = std::collections::HashMap<K, V, BuildFast>;
pub type FastSet<K> = std::collections::HashSet<K, BuildFast>;

/// Makes [`Fast`] hashers.
#[derive(Debug, Default, Clone, Copy)]
pub struct BuildFast;

impl BuildHasher for BuildFast {
    type Hasher = Fast;
    fn build_hasher(&self) -> Fast {
        Fast(0)
    }
}

/// The hasher of [`BuildFast`].
#[derive(Debug)]
pub struct Fast(u64);

/// An odd constant with well-spread bits (from the golden ratio).
const K: u64 = 0x9e37_79b9_7f4a_7c15;

impl Fast {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for Fast {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length keeps "ab" and "ab\0" apart.
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The multiplies leave the high bits best mixed and the table indexes by the low
        // ones: a final avalanche (MurmurHash3's) spreads every bit over all of them.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keyed_by_strings_work_and_spread() {
        let mut m: FastMap<String, usize> = FastMap::default();
        let keys: Vec<String> = (0..5000).map(|i| format!("phrase number {i}")).collect();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k.clone(), i);
        }
        assert!(keys.iter().enumerate().all(|(i, k)| m.get(k) == Some(&i)));
        assert_eq!(m.get("phrase number 5000"), None);
        // Short keys that differ only in their last byte or in length hash apart.
        let h = |s: &[u8]| {
            let mut f = BuildFast.build_hasher();
            f.write(s);
            f.finish()
        };
        assert_ne!(h(b"ab"), h(b"ab\0"));
        let low: std::collections::HashSet<u64> =
            keys.iter().map(|k| h(k.as_bytes()) & 0xfff).collect();
        // 5000 keys thrown at random into 4096 slots fill 2888 of them on average.
        assert!(low.len() > 2750, "{} distinct low bits", low.len());
    }
}
