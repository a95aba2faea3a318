//! The statistics of the audit: Wilson score intervals, the two-proportion z-test and
//! Cohen's kappa on a 2x2 table.

use serde::Serialize;

/// The normal quantile for two-sided 95%: intervals use it, and a profile is flagged when
/// its |z| exceeds it.
pub const Z_95: f64 = 1.96;

/// `x / n`, or `None` when `n` is 0.
pub fn rate(x: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| x as f64 / n as f64)
}

/// Wilson score interval for `x` successes in `n` trials at normal quantile `z`.
pub fn wilson(x: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = x as f64 / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Two-proportion z statistic with pooled standard error, `x1/n1` against `x2/n2`:
/// `z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))`, `p = (x1 + x2) / (n1 + n2)`.
/// `None` when either group is empty; 0 when the pooled proportion is 0 or 1 (both
/// groups are identical).
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let p = (x1 + x2) as f64 / (n1 + n2) as f64;
    let var = p * (1.0 - p) * (1.0 / n1 as f64 + 1.0 / n2 as f64);
    if var <= 0.0 {
        return Some(0.0);
    }
    Some((p1 - p2) / var.sqrt())
}

/// A 2x2 table of implied (rows) against actual (columns) decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Table2 {
    pub implied_upheld_actual_upheld: u64,
    pub implied_upheld_actual_overturned: u64,
    pub implied_overturned_actual_upheld: u64,
    pub implied_overturned_actual_overturned: u64,
}

/// Agreement figures of a [`Table2`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Agreement {
    pub items: u64,
    pub agree: u64,
    /// Observed agreement `po = agree / items`.
    pub observed: Option<f64>,
    /// Chance agreement `pe` from the margins.
    pub expected: Option<f64>,
    /// Cohen's kappa `(po - pe) / (1 - pe)`; `None` when there are no items or `pe = 1`.
    pub kappa: Option<f64>,
}

impl Table2 {
    pub fn add(&mut self, implied_upheld: bool, actual_upheld: bool) {
        match (implied_upheld, actual_upheld) {
            (true, true) => self.implied_upheld_actual_upheld += 1,
            (true, false) => self.implied_upheld_actual_overturned += 1,
            (false, true) => self.implied_overturned_actual_upheld += 1,
            (false, false) => self.implied_overturned_actual_overturned += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.implied_upheld_actual_upheld
            + self.implied_upheld_actual_overturned
            + self.implied_overturned_actual_upheld
            + self.implied_overturned_actual_overturned
    }

    pub fn agreement(&self) -> Agreement {
        let n = self.total();
        let agree = self.implied_upheld_actual_upheld + self.implied_overturned_actual_overturned;
        if n == 0 {
            return Agreement::default();
        }
        let nf = n as f64;
        let po = agree as f64 / nf;
        let implied_u =
            (self.implied_upheld_actual_upheld + self.implied_upheld_actual_overturned) as f64;
        let implied_o = nf - implied_u;
        let actual_u =
            (self.implied_upheld_actual_upheld + self.implied_overturned_actual_upheld) as f64;
        let actual_o = nf - actual_u;
        let pe = (implied_u * actual_u + implied_o * actual_o) / (nf * nf);
        let kappa = ((1.0 - pe).abs() > 1e-12).then(|| (po - pe) / (1.0 - pe));
        Agreement {
            items: n,
            agree,
            observed: Some(po),
            expected: Some(pe),
            kappa,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_textbook_value() {
        // 8 of 10: Wilson 95% is about (0.490, 0.943).
        let (lo, hi) = wilson(8, 10, Z_95).unwrap();
        assert!(
            (lo - 0.4902).abs() < 1e-3 && (hi - 0.9433).abs() < 1e-3,
            "{lo} {hi}"
        );
        assert_eq!(wilson(0, 0, Z_95), None);
        let (lo, hi) = wilson(0, 5, Z_95).unwrap();
        assert_eq!(lo, 0.0);
        assert!(hi > 0.4 && hi < 0.45);
    }

    #[test]
    fn z_test_and_kappa() {
        let z = two_proportion_z(30, 50, 20, 50).unwrap();
        assert!((z - 2.0).abs() < 1e-9, "{z}");
        assert_eq!(two_proportion_z(0, 5, 0, 5), Some(0.0));
        assert_eq!(two_proportion_z(1, 0, 0, 5), None);
        let t = Table2 {
            implied_upheld_actual_upheld: 20,
            implied_upheld_actual_overturned: 5,
            implied_overturned_actual_upheld: 10,
            implied_overturned_actual_overturned: 15,
        };
        let a = t.agreement();
        // po = 0.7, pe = (25*30 + 25*20) / 2500 = 0.5, kappa = 0.4
        assert!((a.kappa.unwrap() - 0.4).abs() < 1e-12);
    }
}
