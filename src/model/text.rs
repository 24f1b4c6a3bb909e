//! Rules for identifiers and the text normalisation used by search.

use unicode_normalization::{IsNormalized, UnicodeNormalization};

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
    // Most names (Chinese ones among them) are already in NFKC and have no upper case:
    // the quick check and a per-character look-up say so without building the NFKC form.
    let lower_already = |c: char| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    };
    if unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes
        && text.chars().all(lower_already)
    {
        return text.to_string();
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
    fn the_fast_path_agrees_with_nfkc_then_lower_case() {
        for text in [
            "上海交通大学",
            "上海ＡＩ研究院",
            "ｶﾀｶﾅ",
            "Ǆemal",
            "ǅ",
            "İstanbul",
            "Straße ẞ",
            "①②",
            "㍿ Co., Ltd.",
            "ＳＪＴＵ 交大",
            "café",
            "cafe\u{301}",
            "Ωmega ω",
        ] {
            let slow: String = text.nfkc().flat_map(char::to_lowercase).collect();
            assert_eq!(normalise_for_search(text), slow, "{text}");
        }
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
