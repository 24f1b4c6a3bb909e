//! The `innograph` binary: parse arguments, run, map the result to an exit code
//! (0 success, 1 error, 2 a value the command cannot use, from clap or found later; 0 also when the reader of standard output
//! has gone, as with `innograph … | head -1`).

use clap::Parser;

fn main() {
    let cli = innograph::cli::Cli::parse();
    let code = match innograph::cli::run(cli) {
        Ok(code) => code,
        Err(e) if innograph::cli::is_closed_pipe(&e) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            innograph::cli::exit_code(&e)
        }
    };
    std::process::exit(code);
}
