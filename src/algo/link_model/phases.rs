//! Elapsed time of each phase of training and ranking, printed to standard error when the
//! environment variable `INNOGRAPH_TRACE` is set (for profiling; silent otherwise).

use std::time::Instant;

/// A stopwatch that reports phases when tracing is on.
pub struct Phases {
    clock: Instant,
    on: bool,
}

impl Phases {
    /// Starts the clock; reports only when `INNOGRAPH_TRACE` is set.
    pub fn start() -> Phases {
        Phases {
            clock: Instant::now(),
            on: std::env::var_os("INNOGRAPH_TRACE").is_some(),
        }
    }

    /// Reports that `phase` ended, with the time since the start.
    pub fn mark(&self, phase: &str) {
        if self.on {
            eprintln!("  {phase} {:.3} s", self.clock.elapsed().as_secs_f64());
        }
    }
}
