//! End-to-end tests: the real `innograph` binary on temporary databases, the real server on
//! loopback sockets, and the HTTP router in-process. One binary, one module per subject, so the
//! crate is linked once; the harness (registration with `case!`, prerequisites that show as
//! ignored, the runner) is described in [`harness`].
//!
//! ```text
//! cargo test --test e2e                       # all of them
//! cargo test --test e2e partners::            # one module
//! cargo test --test e2e -- --exact cli::queries
//! ```

mod harness;

use harness::case;

mod common;

mod bad_input;
mod centrality_cli;
mod cli;
mod concurrent_writes;
mod contract;
mod cordis;
mod crash;
mod exports;
mod first_hour;
mod full_disk;
mod gaps;
mod generated;
mod partners;
mod planners;
mod planners_report;
mod readme_examples;
mod robust_connect_assign;
mod server;
mod server_e2e;
mod store;
mod web;

fn main() {
    harness::main();
}
