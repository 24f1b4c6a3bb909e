//! Seeded pseudo-random numbers: SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable
//! pseudorandom number generators"), the one generator behind every sampled or shuffled
//! result (approximate betweenness, Louvain's node order, brokerage permutations, the
//! evaluation's hold-out) and the seeding of the synthetic-data generator.
//!
//! Tiny, fast and portable: the same seed gives the same stream on every platform, which
//! is what makes seeded results reproducible. Not cryptographic.

/// SplitMix64's output function: a bijective 64-bit mixer (also used to derive independent
/// stream seeds from `(seed, i)`).
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The SplitMix64 generator: a 64-bit counter advanced by the golden-ratio increment and
/// passed through [`mix64`].
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose first output is `mix64(seed + 0x9E37_79B9_7F4A_7C15)`.
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Nearly uniform in `0..bound` by one multiply-shift (Lemire 2019 without the
    /// rejection step: bias below `bound / 2⁶⁴`, one draw per call). `bound = 0` gives 0.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// [`Self::below`] for indices: nearly uniform in `0..len`.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Exactly uniform in `0..bound` (`bound = 0` is taken as 1): Lemire's multiply-shift
    /// with rejection, for samples whose statistics are stated (approximate betweenness).
    pub fn below_unbiased(&mut self, bound: u64) -> u64 {
        let bound = bound.max(1);
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(bound);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// Fisher–Yates shuffle (with [`Self::index`]).
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.index(i + 1);
            xs.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence() {
        // First outputs of splitmix64 seeded with 1234567 (Vigna's reference code).
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = SplitMix64::new(7);
        for bound in [1u64, 2, 3, 10, 1 << 40] {
            for _ in 0..1000 {
                assert!(r.below(bound) < bound);
                assert!(r.below_unbiased(bound) < bound);
            }
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.below_unbiased(0), 0);
        let x = r.next_f64();
        assert!((0.0..1.0).contains(&x));
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut xs: Vec<u32> = (0..100).collect();
        SplitMix64::new(3).shuffle(&mut xs);
        let mut sorted = xs.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(xs, sorted);
    }
}
