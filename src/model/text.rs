//! Rules for identifiers and the text normalisation used by search.

use unicode_normalization::UnicodeNormalization;

use super::RecordError;

/// The longest identifier accepted, in bytes.
pub const MAX_ID_BYTES: usize = 512;

/// Checks that `id` can serve as a node id, edge endpoint or edge key: non-empty (unless
/// `allow_empty`), no NUL or other control characters, no surrounding whitespace, and at most
/// `MAX_ID_BYTES` bytes. The store relies on ids never containing NUL.
pub fn check_id(field: &str, id: &str, allow_empty: bool) -> Result<(), RecordError> {
    if id.is_empty() {
        return if allow_empty {
            Ok(())
        } else {
            Err(RecordError::new(field, "must not be empty"))
        };
    }
    if id.len() > MAX_ID_BYTES {
        return Err(RecordError::new(
            field,
            format!("is {} bytes long; at most {MAX_ID_BYTES} allowed", id.len()),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(RecordError::new(field, "contains a control character"));
    }
    if id.trim() != id {
        return Err(RecordError::new(
            field,
            "has leading or trailing whitespace",
        ));
    }
    Ok(())
}

/// Normalises text for search: NFKC (so full-width and half-width forms agree), then
/// lower-case. Matching is a substring test on the normalised forms.
pub fn normalise_for_search(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkc().flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold_together() {
        assert_eq!(normalise_for_search("ＳＪＴＵ"), "sjtu");
        assert_eq!(normalise_for_search("Fudan"), "fudan");
        assert_eq!(normalise_for_search("上海交通大学"), "上海交通大学");
    }

    #[test]
    fn ids_reject_nul_and_whitespace() {
        assert!(check_id("id", "a\0b", false).is_err());
        assert!(check_id("id", " a", false).is_err());
        assert!(check_id("id", "", false).is_err());
        assert!(check_id("key", "", true).is_ok());
        assert!(check_id("id", "org:上海交大", false).is_ok());
    }
}
