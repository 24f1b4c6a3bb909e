//! The command-line adapter: clap definitions in [`args`], command bodies in `commands`,
//! rendering in `output`. No business logic lives here.

mod analysis;
pub mod args;
mod commands;
mod gaps;
mod output;
mod partners;
mod serve;

pub use args::Cli;
pub use commands::run;
