//! Identifier rules of the target languages, shared by the validator and the generators.
//!
//! The validator uses them to reject two registry names that would become the
//! same identifier (`FOO_BAR` and `FOO__BAR` both become `FooBar`); the
//! generators use them to name variants and enum values. Each language's
//! rules (case, keywords, escapes) are a [`crate::lang::Language`] row.

/// The words of a name: split at underscores; an all-caps word is lowercased
/// after its first letter, a mixed-case word is kept.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split('_').filter(|w| !w.is_empty()).map(|w| {
        let mixed = w.chars().any(|c| c.is_ascii_lowercase());
        let mut chars = w.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase());
        let rest: String = if mixed {
            chars.collect()
        } else {
            chars.map(|c| c.to_ascii_lowercase()).collect()
        };
        first.into_iter().chain(rest.chars()).collect()
    })
}

/// `INVALID_API_KEY` → `InvalidApiKey`; `SecurityError` stays.
pub fn upper_camel(name: &str) -> String {
    words(name).collect()
}

/// `INVALID_API_KEY` → `invalidApiKey`; `SecurityError` → `securityError`.
pub fn lower_camel(name: &str) -> String {
    let upper = upper_camel(name);
    let mut chars = upper.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => upper,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_screaming_snake_case() {
        assert_eq!(upper_camel("INVALID_API_KEY"), "InvalidApiKey");
        assert_eq!(lower_camel("INVALID_API_KEY"), "invalidApiKey");
        assert_eq!(upper_camel("ERROR_3D_TRACK"), "Error3dTrack");
    }

    #[test]
    fn keeps_upper_camel_case() {
        assert_eq!(upper_camel("SecurityError"), "SecurityError");
        assert_eq!(
            lower_camel("InvalidModificationError"),
            "invalidModificationError"
        );
    }

    #[test]
    fn repeated_underscores_collapse_so_names_can_collide() {
        assert_eq!(upper_camel("FOO_BAR"), upper_camel("FOO__BAR"));
        assert_eq!(lower_camel("FOO_BAR_"), lower_camel("FOO_BAR"));
        // A digit word joins the word before it: `a_1` and `a1` collide.
        assert_eq!(upper_camel("a_1"), upper_camel("a1"));
    }
}
