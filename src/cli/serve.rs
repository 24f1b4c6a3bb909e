//! `innograph serve`: turns the command-line options into the server's configuration (the
//! token read from the environment or a file, limits in their units), then serves until
//! Ctrl-C / SIGTERM.

use std::time::Duration;

use anyhow::{bail, Context, Result};

use super::args::ServeArgs;
use crate::query::Store;
use crate::server::cache::default_capacity;
use crate::server::listener::default_max_connections;
use crate::server::{ConnectionLimits, ServeConfig, ServerOptions, Token};

/// The environment variable holding the write token.
pub const TOKEN_VARIABLE: &str = "INNOGRAPH_TOKEN";

/// The write token: from `--token-file` or `INNOGRAPH_TOKEN` (not both), `None` when neither
/// is given or it is blank.
fn token(args: &ServeArgs) -> Result<Option<Token>> {
    if args.token.is_some() {
        bail!(
            "--token is no longer accepted: a command line is visible to every user of the machine (ps); \
             put the token in the environment variable {TOKEN_VARIABLE} or in a file given with --token-file"
        );
    }
    let from_env = std::env::var(TOKEN_VARIABLE).ok().filter(|t| !t.is_empty());
    match (&args.token_file, from_env) {
        (Some(_), Some(_)) => {
            bail!("both {TOKEN_VARIABLE} and --token-file are set; give the token one way")
        }
        (Some(path), None) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?;
            match Token::new(&text) {
                Some(t) => Ok(Some(t)),
                None => bail!("the token file {} is empty", path.display()),
            }
        }
        (None, Some(text)) => Ok(Token::new(&text)),
        (None, None) => Ok(None),
    }
}

/// The server configuration of `serve`'s options.
pub fn config(args: ServeArgs) -> Result<ServeConfig> {
    let token = token(&args)?;
    let seconds = Duration::from_secs;
    let cache_bytes = args
        .cache_mb
        .map_or_else(default_capacity, |mb| (mb << 20) as usize);
    let max_connections = args
        .max_connections
        .map_or_else(default_max_connections, |n| n as usize);
    Ok(ServeConfig {
        addr: args.addr,
        options: ServerOptions {
            token,
            read_only: args.read_only,
            cache_bytes,
            max_compute: seconds(args.max_compute_s),
            body_timeout: seconds(args.body_timeout_s),
            allowed_hosts: args.allow_host,
            cors_origins: args.cors_origin,
            log_query: args.log_query,
        },
        limits: ConnectionLimits {
            max_connections,
            header_timeout: seconds(args.header_timeout_s),
            write_timeout: seconds(args.write_timeout_s),
            grace: seconds(args.shutdown_grace_s),
        },
    })
}

/// `innograph serve [--addr A] [--token-file F] [--read-only] …`.
pub(super) fn serve(store: Store, args: ServeArgs) -> Result<i32> {
    let config = config(args)?;
    crate::server::serve(store, config)?;
    Ok(0)
}
