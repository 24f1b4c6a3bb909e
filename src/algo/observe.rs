//! Progress reporting and cancellation for long computations, without tying algorithms to
//! a terminal: the CLI passes an observer that drives a progress bar and watches Ctrl-C.

use std::sync::atomic::{AtomicBool, Ordering};

use thiserror::Error;

/// An algorithm was stopped by its observer before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("computation cancelled")]
pub struct Cancelled;

/// Watches a long computation: told of progress, asked whether to stop.
///
/// Implementations must be cheap: algorithms call [`Observer::advance`] about once per
/// source node or per iteration, from several threads.
pub trait Observer: Sync {
    /// Names the step that starts next (an algorithm, a report), for progress labels.
    fn step(&self, _label: &str) {}
    /// Called once before the work starts with the number of steps expected.
    fn start(&self, _total: u64) {}
    /// `steps` more steps are done.
    fn advance(&self, _steps: u64) {}
    /// Whether the computation should stop as soon as it can.
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that shows nothing and never cancels.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Observer for Silent {}

/// An observer that only cancels when its flag is set (e.g. by a Ctrl-C handler).
#[derive(Debug, Default)]
pub struct CancelFlag(pub AtomicBool);

impl CancelFlag {
    /// Asks the computation to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl Observer for CancelFlag {
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Returns `Err(Cancelled)` when the observer asks to stop.
pub fn check(observer: &dyn Observer) -> Result<(), Cancelled> {
    if observer.cancelled() {
        Err(Cancelled)
    } else {
        Ok(())
    }
}
