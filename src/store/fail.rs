//! Failpoints: named steps of commit, prune, snapshot writing, recovery, undo and compact
//! where a test makes the store fail, to prove that every failure leaves the store at
//! exactly the old or the new generation.
//!
//! Every build logs the steps (see [`crate::store::fail::failpoint!`]); the failures
//! exist only in test builds (`cfg(test)`, the `fail` crate with its `failpoints`
//! feature as a dev-dependency); release builds compile [`crate::store::fail::failpoint!`] to nothing.
//! A failpoint fires only on a thread that armed failpoints ([`arm`]), so tests running in
//! parallel do not trip over each other's configuration. Configured with `return`, a
//! failpoint makes its function fail with an injected error; with `return(abort)`, it
//! aborts the process on the spot, which is how the crash tests kill a child in a chosen
//! window.

/// Marks a failpoint: logs the step (a `trace` event with target `innograph::store::step`,
/// which is how the end-to-end crash test sees where a real `innograph` process is, with
/// `RUST_LOG=innograph::store::step=trace`); in test builds, when armed and configured,
/// makes the enclosing function return an injected [`super::StoreError`] (or abort the
/// process).
macro_rules! failpoint {
    ($name:literal) => {
        ::tracing::trace!(target: "innograph::store::step", "{}", $name);
        #[cfg(test)]
        {
            if $crate::store::fail::armed() {
                ::fail::fail_point!($name, |arg: Option<String>| Err(
                    $crate::store::fail::injected($name, arg).into()
                ));
            }
        }
    };
}

pub(crate) use failpoint;

#[cfg(test)]
pub use imp::*;

#[cfg(test)]
mod imp {
    use std::cell::Cell;
    use std::sync::{Mutex, MutexGuard};

    use super::super::StoreError;

    thread_local! {
        static ARMED: Cell<bool> = const { Cell::new(false) };
    }

    /// Whether failpoints fire on this thread.
    pub fn armed() -> bool {
        ARMED.with(Cell::get)
    }

    /// The error an armed, configured failpoint injects; `return(abort)` aborts instead.
    pub fn injected(name: &'static str, arg: Option<String>) -> StoreError {
        if arg.as_deref() == Some("abort") {
            std::process::abort();
        }
        FIRED.with(|f| f.borrow_mut().push(name));
        StoreError::Injected(name)
    }

    thread_local! {
        static FIRED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// Whether failpoint `name` injected a failure on this thread since it was armed (so a
    /// test can tell that the window it meant to hit was reached).
    pub fn fired(name: &str) -> bool {
        FIRED.with(|f| f.borrow().contains(&name))
    }

    static SERIAL: Mutex<()> = Mutex::new(());

    /// Failpoints armed on this thread, one configured failpoint at a time across the
    /// process; dropping it clears the configuration and disarms.
    pub struct Armed {
        names: Vec<&'static str>,
        _serial: MutexGuard<'static, ()>,
    }

    /// Arms failpoints on this thread and configures `name` with `action` (`return`,
    /// `1*return`, `return(abort)`, ...).
    pub fn arm(name: &'static str, action: &str) -> Armed {
        let serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        fail::cfg(name, action).expect("failpoint action");
        FIRED.with(|f| f.borrow_mut().clear());
        ARMED.with(|a| a.set(true));
        Armed {
            names: vec![name],
            _serial: serial,
        }
    }

    impl Armed {
        /// Configures one more failpoint.
        pub fn also(mut self, name: &'static str, action: &str) -> Armed {
            fail::cfg(name, action).expect("failpoint action");
            self.names.push(name);
            self
        }
    }

    impl Drop for Armed {
        fn drop(&mut self) {
            for name in &self.names {
                fail::remove(name);
            }
            ARMED.with(|a| a.set(false));
        }
    }
}
