//! The write token: read from the environment or a file (never from the command line, where
//! `ps` shows it), never printed, compared in constant time.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::state::AppState;

/// A bearer token. Its `Debug` form hides the value, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token, unless `text` is empty or blank.
    pub fn new(text: &str) -> Option<Token> {
        let text = text.trim_end_matches(['\r', '\n']);
        (!text.trim().is_empty()).then(|| Token(text.to_string()))
    }

    /// Whether `given` is this token, in time that depends only on this token's length (not
    /// on where `given` first differs, nor on its length).
    pub fn matches(&self, given: &[u8]) -> bool {
        let expected = self.0.as_bytes();
        let mut diff = u8::from(given.len() != expected.len());
        for (i, e) in expected.iter().enumerate() {
            let g = given.get(i).copied().unwrap_or(!e);
            diff |= g ^ e;
        }
        std::hint::black_box(diff) == 0
    }
}

impl From<&str> for Token {
    fn from(text: &str) -> Token {
        Token(text.to_string())
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<hidden>)")
    }
}

/// The credentials of an `Authorization` header: the scheme is case-insensitive and may be
/// followed by several spaces (RFC 9110, section 11.4); the token itself is taken as sent.
fn bearer(value: &HeaderValue) -> Option<&[u8]> {
    let bytes = value.as_bytes();
    let (scheme, rest) = bytes.split_at(bytes.iter().position(|&b| b == b' ')?);
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    let start = rest.iter().position(|&b| b != b' ')?;
    Some(&rest[start..])
}

/// Writes need `Authorization: Bearer <token>`: 403 when the server takes no writes
/// (`--read-only`, or no token configured), 401 when the token is missing or wrong.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let options = state.options();
    let Some(expected) = options.token.as_ref().filter(|_| !options.read_only) else {
        let why = if options.read_only {
            "this server is read-only (--read-only)"
        } else {
            "writes are disabled: the server was started without a token (INNOGRAPH_TOKEN or --token-file)"
        };
        return ApiError::Forbidden(why.into()).into_response();
    };
    let given = req.headers().get(header::AUTHORIZATION).and_then(bearer);
    match given {
        Some(token) if expected.matches(token) => next.run(req).await,
        Some(_) => ApiError::Unauthorized("wrong bearer token".into()).into_response(),
        None => {
            let mut response =
                ApiError::Unauthorized("writes need `Authorization: Bearer <token>`".into())
                    .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_exactly() {
        let t = Token::new("s3cret").unwrap();
        assert!(t.matches(b"s3cret"));
        assert!(!t.matches(b"s3cre"));
        assert!(!t.matches(b"s3cret "));
        assert!(!t.matches(b" s3cret"));
        assert!(!t.matches(b"s3creT"));
        assert!(!t.matches(b""));
        assert!(!t.matches(b"s3crets3cret"));
    }

    #[test]
    fn a_prefix_padded_with_the_complement_does_not_match() {
        // The padding used for a short `given` must never equal the token's bytes.
        let t = Token::new("ab").unwrap();
        assert!(!t.matches(b"a"));
        assert!(!t.matches(&[b'a', !b'b']));
    }

    #[test]
    fn blank_tokens_are_none_and_file_newlines_are_dropped() {
        assert!(Token::new("").is_none());
        assert!(Token::new("  \n").is_none());
        assert_eq!(Token::new("abc\n"), Some(Token::from("abc")));
        assert_eq!(Token::new(" abc "), Some(Token::from(" abc ")));
    }

    #[test]
    fn debug_hides_the_value() {
        assert!(!format!("{:?}", Token::from("s3cret")).contains("s3cret"));
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        let h = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(bearer(&h("Bearer abc")), Some(&b"abc"[..]));
        assert_eq!(bearer(&h("bearer abc")), Some(&b"abc"[..]));
        assert_eq!(bearer(&h("BEARER   abc")), Some(&b"abc"[..]));
        assert_eq!(bearer(&h("Bearer abc ")), Some(&b"abc "[..]));
        assert_eq!(bearer(&h("Basic abc")), None);
        assert_eq!(bearer(&h("Bearer")), None);
        assert_eq!(bearer(&h("Bearer ")), None);
        assert_eq!(bearer(&h("Bearerabc")), None);
    }
}
