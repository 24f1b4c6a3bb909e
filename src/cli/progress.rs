//! What a long command shows while it works, and how it stops: one [`Progress`] for every
//! command — a labelled bar on a terminal, and a line on stderr every few seconds when
//! stderr is not a terminal (a log, a CI job, a pipe) — and the Ctrl-C flag that
//! computations and imports poll.
//!
//! How a command uses it: `let p = Progress::new("importing", Unit::Bytes)`, then
//! `p.set_length(n)`, `p.inc(k)` or `p.set_position(k)`, `p.set_message("step")` when the
//! step changes, and `p.finish()`. A computation gets a [`TerminalObserver`], which labels
//! the bar with each step the query names (`Observer::step`). Nothing is printed for work
//! that ends within [`QUIET_SECONDS`].

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::query::Observer;

/// Work shorter than this shows no progress at all.
pub const QUIET_SECONDS: u64 = 2;
/// Seconds between two progress lines when stderr is not a terminal.
pub const LINE_EVERY_SECONDS: u64 = 5;

/// Set by the Ctrl-C handler.
pub(super) fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = Arc::clone(&flag);
        // If a handler cannot be installed, Ctrl-C simply ends the process, which the
        // store survives too (the write stays unpublished).
        let _ = ctrlc::set_handler(move || {
            if !f.swap(true, Ordering::SeqCst) {
                eprintln!("stopping…");
            }
        });
        flag
    })
    .clone()
}

/// What a progress count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes read.
    Bytes,
    /// Steps of a computation (sources, iterations, reports).
    Steps,
}

#[derive(Debug)]
struct Lines {
    label: String,
    position: u64,
    length: u64,
    started: Instant,
    last: Option<Instant>,
    printed: bool,
}

/// A progress display: a bar on a terminal, periodic lines otherwise. Clones share it.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    lines: Option<Arc<Mutex<Lines>>>,
    unit: Unit,
}

impl Progress {
    /// A display labelled `label`, drawn on stderr.
    pub fn new(label: &str, unit: Unit) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(0);
            let template = match unit {
                Unit::Bytes => "{msg:>14} [{bar:40}] {bytes}/{total_bytes} ({eta})",
                Unit::Steps => "{msg:>14} [{bar:40}] {pos}/{len} ({eta})",
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(label.to_string());
            Progress {
                bar: Some(bar),
                lines: None,
                unit,
            }
        } else {
            Progress {
                bar: None,
                lines: Some(Arc::new(Mutex::new(Lines {
                    label: label.to_string(),
                    position: 0,
                    length: 0,
                    started: Instant::now(),
                    last: None,
                    printed: false,
                }))),
                unit,
            }
        }
    }

    fn with_lines(&self, update: impl FnOnce(&mut Lines)) {
        let Some(lines) = &self.lines else { return };
        let Ok(mut l) = lines.lock() else { return };
        update(&mut l);
        let now = Instant::now();
        let due = match l.last {
            None => now.duration_since(l.started) >= Duration::from_secs(QUIET_SECONDS),
            Some(last) => now.duration_since(last) >= Duration::from_secs(LINE_EVERY_SECONDS),
        };
        if due {
            l.last = Some(now);
            l.printed = true;
            let line = line(&l, self.unit);
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }

    /// Names the current step.
    pub fn set_message(&self, label: impl Into<String>) {
        let label = label.into();
        if let Some(bar) = &self.bar {
            bar.set_message(label.clone());
        }
        self.with_lines(|l| l.label = label);
    }

    /// Sets the expected total.
    pub fn set_length(&self, length: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(length);
        }
        self.with_lines(|l| l.length = length);
    }

    /// Sets how much is done.
    pub fn set_position(&self, position: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(position);
        }
        self.with_lines(|l| l.position = position);
    }

    /// Adds to how much is done.
    pub fn inc(&self, steps: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(steps);
        }
        self.with_lines(|l| l.position += steps);
    }

    /// Removes the bar; after progress lines, says how long the work took.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
        if let Some(lines) = &self.lines {
            if let Ok(l) = lines.lock() {
                if l.printed {
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "{}: done in {:.1} s",
                        l.label,
                        l.started.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }
}

fn line(l: &Lines, unit: Unit) -> String {
    let secs = l.started.elapsed().as_secs_f64();
    let amount = |n: u64| match unit {
        Unit::Bytes => format!("{:.1} MB", n as f64 / 1e6),
        Unit::Steps => n.to_string(),
    };
    if l.length > 0 {
        format!(
            "{}: {}/{} ({:.0} %), {secs:.0} s",
            l.label,
            amount(l.position.min(l.length)),
            amount(l.length),
            100.0 * l.position.min(l.length) as f64 / l.length as f64
        )
    } else {
        format!("{}: {}, {secs:.0} s", l.label, amount(l.position))
    }
}

/// Drives a [`Progress`] from a computation and stops it on Ctrl-C.
pub(super) struct TerminalObserver {
    pub(super) bar: Progress,
    stop: Arc<AtomicBool>,
}

impl TerminalObserver {
    pub(super) fn new(stop: Arc<AtomicBool>) -> Self {
        TerminalObserver {
            bar: Progress::new("computing", Unit::Steps),
            stop,
        }
    }
}

impl Observer for TerminalObserver {
    fn step(&self, label: &str) {
        self.bar.set_message(label.to_string());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_say_the_step_the_share_and_the_time() {
        let l = Lines {
            label: "betweenness".into(),
            position: 30,
            length: 120,
            started: Instant::now(),
            last: None,
            printed: false,
        };
        assert_eq!(line(&l, Unit::Steps), "betweenness: 30/120 (25 %), 0 s");
        let bytes = Lines {
            length: 0,
            position: 2_500_000,
            ..l
        };
        assert_eq!(line(&bytes, Unit::Bytes), "betweenness: 2.5 MB, 0 s");
    }
}
