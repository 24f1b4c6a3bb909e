//! The generator's own pseudo-random numbers (xoshiro256** seeded through splitmix64) and
//! the samplers built on them: weighted choice and the Pólya urn used for preferential
//! attachment.
//!
//! Nothing here depends on platform hash seeds or on crate versions, so the same seed gives the
//! same stream everywhere; that is what makes the generator's output byte-identical.

use crate::algo::rng::SplitMix64;

/// xoshiro256** (Blackman & Vigna 2018).
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator for one named step of generation: the stream depends on the seed and the
    /// step's tag only, so adding draws to one step does not shift the others.
    pub(crate) fn stream(seed: u64, tag: &str) -> Rng {
        // FNV-1a of the tag, mixed with the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in tag.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // SplitMix64 expands the seed into xoshiro's state, as its authors recommend.
        let mut sm = SplitMix64::new(seed ^ h.rotate_left(17));
        let s = [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()];
        Rng { s }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub(crate) fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (n > 0); Lemire's multiply-shift, bias below 2^-40 for our sizes.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in lo..=hi.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64(); // (0, 1]
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Log-normal with median `median` and log-scale spread `sigma`: heavy-tailed amounts.
    pub(crate) fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// 1 + a geometric count with the given mean excess (for "how many more").
    pub(crate) fn geometric(&mut self, mean: f64) -> usize {
        let p = 1.0 / (1.0 + mean);
        let mut k = 0;
        while !self.chance(p) && k < 10_000 {
            k += 1;
        }
        k
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// Index drawn with probability proportional to `weights[i]` (linear scan; small lists).
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// A fixed weighted distribution over 0..n, sampled in O(log n) by its cumulative sums.
#[derive(Debug, Clone)]
pub(crate) struct Cumulative {
    cum: Vec<f64>,
}

impl Cumulative {
    pub(crate) fn new(weights: impl IntoIterator<Item = f64>) -> Cumulative {
        let mut total = 0.0;
        let cum = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Cumulative { cum }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.cum.last().is_none_or(|t| *t <= 0.0)
    }

    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.cum.last().expect("non-empty distribution");
        let x = rng.f64() * total;
        self.cum
            .partition_point(|c| *c <= x)
            .min(self.cum.len() - 1)
    }
}

/// A Pólya urn: items drawn with probability proportional to how often they were put in.
/// Putting an item back after each draw gives preferential attachment (rich get richer),
/// which is what makes degrees heavy-tailed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Urn {
    balls: Vec<u32>,
}

impl Urn {
    pub(crate) fn add(&mut self, item: u32, times: usize) {
        self.balls.extend(std::iter::repeat_n(item, times));
    }

    pub(crate) fn draw(&self, rng: &mut Rng) -> Option<u32> {
        (!self.balls.is_empty()).then(|| self.balls[rng.below(self.balls.len())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_rng_streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = {
            let mut r = Rng::stream(7, "x");
            (0..4).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::stream(7, "x");
            (0..4).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::stream(7, "y");
            (0..4).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn generate_rng_cumulative_follows_weights() {
        let mut rng = Rng::stream(1, "cum");
        let d = Cumulative::new([1.0, 0.0, 3.0]);
        let mut counts = [0usize; 3];
        for _ in 0..40_000 {
            counts[d.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let ratio = counts[2] as f64 / counts[0] as f64;
        assert!((ratio - 3.0).abs() < 0.2, "{ratio}");
    }
}
