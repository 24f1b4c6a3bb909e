//! What a long command shows on a terminal and how it stops: the progress bars, and the
//! Ctrl-C flag that computations and imports poll.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::algo::Observer;

/// Set by the Ctrl-C handler.
pub(super) fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = Arc::clone(&flag);
        // If a handler cannot be installed, Ctrl-C simply ends the process, which the
        // store survives too (the write stays unpublished).
        let _ = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst));
        flag
    })
    .clone()
}

pub(super) fn progress_bar(total: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg:>10} [{bar:40}] {bytes}/{total_bytes} ({eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Drives a progress bar on a terminal and stops computations on Ctrl-C.
pub(super) struct TerminalObserver {
    pub(super) bar: indicatif::ProgressBar,
    stop: Arc<AtomicBool>,
}

impl TerminalObserver {
    pub(super) fn new(stop: Arc<AtomicBool>) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(0);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} ({eta})")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        TerminalObserver { bar, stop }
    }
}

impl Observer for TerminalObserver {
    fn start(&self, total: u64) {
        self.bar.set_position(0);
        self.bar.set_length(total);
    }
    fn advance(&self, steps: u64) {
        self.bar.inc(steps);
    }
    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}
