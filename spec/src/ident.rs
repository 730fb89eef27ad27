//! Identifier rules of the target languages, shared by the validator and the generators.
//!
//! The validator uses them to reject two registry names that would become the
//! same identifier (`FOO_BAR` and `FOO__BAR` both become `FooBar`); the
//! generators use them to name variants and enum values. Each language's
//! rules (case, keywords, escapes) are rows of [`crate::lang::LANGUAGES`].

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

/// The Rust variant for a name ([`crate::lang::RUST`]).
pub fn rust_variant(name: &str) -> String {
    crate::lang::RUST.ident(name)
}

/// Type names the generated code (or its users) rely on in some target
/// language: a catalog whose type would be one of them would shadow it.
#[rustfmt::skip]
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    // Dart core types used by the Dart target, and names Dart forbids for types.
    "Duration",
    "String",
    "List",
    "Map",
    "Set",
    "Iterable",
    "Object",
    "Enum",
    "Null",
    "Never",
    "Function",
    "Deprecated",
    "Record",
    "Type",
    "Symbol",
    "Future",
    "Stream",
    "Error",
    "Exception",
    // Rust prelude and std names users match on next to the generated enum.
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "Self_",
    // Swift standard-library types the Swift target names.
    "Int",
    "Bool",
    "Sendable",
    "Equatable",
    "CaseIterable",
    "CustomStringConvertible",
    // TypeScript/JavaScript globals used by the TypeScript target.
    "ReadonlyMap",
    "Array",
    "Number",
    "Boolean",
    "Promise",
];

/// Words a catalog name cannot be, because it names a Rust module, a
/// TypeScript namespace export and a Dart file: the keywords and reserved
/// words of Rust (2024), JavaScript/TypeScript (strict mode) and Dart.
#[rustfmt::skip]
pub const RESERVED_CATALOG_NAMES: &[&str] = &[
    // Rust
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    // JavaScript / TypeScript (strict mode), beyond the above
    "case", "catch", "class", "debugger", "default", "delete", "export", "extends", "finally",
    "function", "implements", "import", "instanceof", "interface", "new", "null", "package",
    "private", "protected", "public", "switch", "this", "throw", "var", "void", "with",
    "arguments", "eval", "enum",
    // Dart, beyond the above
    "assert", "covariant", "deferred", "dynamic", "external", "factory", "get", "hide", "is",
    "late", "library", "mixin", "of", "on", "operator", "part", "required", "rethrow", "sealed",
    "set", "show", "sync", "typedef", "when", "base",
];

/// The Dart enum value for a name ([`crate::lang::DART`]).
pub fn dart_member(name: &str) -> String {
    crate::lang::DART.ident(name)
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
        assert_eq!(dart_member("FOO_BAR_"), dart_member("FOO_BAR"));
    }

    #[test]
    fn catalog_identifiers_follow_the_generated_names() {
        let of = |name: &str| -> Vec<String> {
            crate::lang::catalog_idents()
                .map(|row| row.ident(name))
                .collect()
        };
        assert_eq!(
            of("http_status"),
            [
                "HttpStatus",
                "HttpStatusArgs",
                "HttpStatusRetry",
                "HttpStatusUnknownName",
                "httpStatus",
                "HttpStatusCode",
                "HttpStatusFormat",
                "HttpStatusName",
                "HttpStatusRetry",
                "HttpStatusError",
                "HttpStatus",
                "httpStatusErrors",
                "HttpStatusFormat",
                "HttpStatusRetry",
                "HttpStatusRetryNever",
                "HttpStatusRetryAfter",
                "HttpStatusRetryBackoff",
                "HttpStatusRetryAfterFix",
                "HttpStatus",
                "HttpStatusRetry",
                "HttpStatusFormat",
                "HttpStatus",
                "HttpStatusRetry",
                "HttpStatusFormat",
            ]
        );
        // A digit word joins the word before it: `a_1` and `a1` collide everywhere.
        assert_eq!(of("a_1"), of("a1"));
        // Underscores between letters change the case, so these stay apart everywhere.
        for (a, b) in [("a_b", "ab_c"), ("a_b", "ab"), ("a_bc", "ab_c")] {
            let (a, b) = (of(a), of(b));
            assert!(a.iter().zip(&b).all(|(x, y)| x != y), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn escapes_keywords_and_enum_members() {
        assert_eq!(rust_variant("SELF"), "Self_");
        assert_eq!(dart_member("DEFAULT"), "default_");
        assert_eq!(dart_member("NAME"), "name_");
        assert_eq!(dart_member("INDEX"), "index_");
        assert_eq!(dart_member("TIMEOUT"), "timeout");
    }
}
