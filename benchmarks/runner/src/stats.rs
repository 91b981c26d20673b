//! Medians and how far they can be trusted.
//!
//! A ratio in the tables is the median of per-round ratios. Its 95% interval is distribution-free:
//! the median of `n` values drawn from any distribution lies between the `k`-th smallest and the
//! `k`-th largest of them with probability `1 - 2 P(B <= k - 1)`, `B` binomial with `n` trials of
//! one half, and `k` is the largest rank keeping that probability at 95% or more. Fewer than six
//! rounds give no interval.

/// The median of `v` (sorted copy).
pub fn median(v: &[u64]) -> Option<f64> {
    let mut s: Vec<f64> = v.iter().map(|&x| x as f64).collect();
    s.sort_by(f64::total_cmp);
    sorted_median(&s)
}

/// The median of `sorted` (ascending).
pub fn sorted_median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if !n.is_multiple_of(2) => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The rank `k` (1-based) of the 95% interval's ends for the median of `n` values, if `n` allows
/// one.
fn interval_rank(n: usize) -> Option<usize> {
    if n > 1000 {
        // 2^-n underflows beyond about a thousand; the normal approximation is close there.
        let half_width = 1.96 * (n as f64).sqrt() / 2.0;
        return Some((n as f64 / 2.0 - half_width).floor() as usize);
    }
    // P(B = i) for i = 0, 1, ..., built up from P(B = 0) = 2^-n.
    let mut p = 0.5f64.powi(i32::try_from(n).ok()?);
    let mut below = 0.0;
    let mut k = 0;
    for i in 0..n / 2 {
        below += p;
        if below > 0.025 {
            break;
        }
        k = i + 1;
        p *= (n - i) as f64 / (i + 1) as f64;
    }
    (k > 0).then_some(k)
}

/// The 95% interval of the median of `sorted` (ascending; see the module docs).
pub fn median_interval(sorted: &[f64]) -> Option<(f64, f64)> {
    let k = interval_rank(sorted.len())?;
    Some((sorted[k - 1], sorted[sorted.len() - k]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3, 1, 2]), Some(2.0));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2.5));
    }

    #[test]
    fn interval_ranks_match_the_binomial_tables() {
        // P(B <= 0) = 1/32 > 2.5% for five values: no interval.
        assert_eq!(interval_rank(5), None);
        // 1/64 <= 2.5% for six: the extremes, 96.9%.
        assert_eq!(interval_rank(6), Some(1));
        // 14 rounds: P(B <= 2) = 106/16384, P(B <= 3) = 470/16384 > 2.5%.
        assert_eq!(interval_rank(14), Some(3));
        assert_eq!(interval_rank(20), Some(6));
        assert_eq!(interval_rank(40), Some(14));
        // Both ways of counting agree where they meet.
        assert_eq!(interval_rank(1000), Some(469));
        assert_eq!(interval_rank(1001), Some(469));
    }

    #[test]
    fn the_interval_holds_the_median() {
        let v: Vec<f64> = (1..=14).map(f64::from).collect();
        assert_eq!(median_interval(&v), Some((3.0, 12.0)));
        assert_eq!(median_interval(&v[..5]), None);
    }
}
