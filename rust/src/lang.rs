//! Rust's row of the validator's languages ([`errspec::lang::Language`]): the Rust
//! target has no template, so its row lives beside its emitter, as code (the
//! `catalog!` macro reads it without a TOML parser).

use std::sync::{Arc, LazyLock};

use errspec::lang::{
    Case, CatalogForm, CatalogRule, Comment, Idents, Language, ParamRules, ParamTypeRule, Wrap,
};

/// Rust's keywords: strict and reserved (2024 edition), and `Self`. `self`,
/// `super`, `crate` and `Self` cannot even be raw identifiers.
#[rustfmt::skip]
pub const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else",
    "enum", "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct",
    "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield",
];

/// Whether `word` is one of Rust's [`KEYWORDS`].
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Rust's row.
pub fn language() -> Arc<Language> {
    static ROW: LazyLock<Arc<Language>> = LazyLock::new(|| Arc::new(row()));
    ROW.clone()
}

/// The Rust variant (or type) a registry name becomes: `INVALID_API_KEY` → `InvalidApiKey`, `SELF` → `Self_`.
pub fn variant(name: &str) -> String {
    language().ident(name)
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|&w| w.to_owned()).collect()
}

fn rule(what: &str, form: CatalogForm, suffix: &str) -> CatalogRule {
    CatalogRule {
        what: what.to_owned(),
        form,
        suffix: suffix.to_owned(),
    }
}

/// The emitter writes each value with `Display`: `{}` is the value itself.
fn param(ty: &str) -> ParamTypeRule {
    ParamTypeRule {
        ty: ty.to_owned(),
        text: "{}".to_owned(),
        slots: 1,
    }
}

fn row() -> Language {
    let underscore = Wrap {
        before: String::new(),
        after: "_".to_owned(),
    };
    Language {
        id: "rust".to_owned(),
        name: "Rust".to_owned(),
        comment: Comment::Line("//".to_owned()),
        // Variants are UpperCamelCase: of the keywords only `Self` can be one.
        idents: Idents {
            member: Case::UpperCamel,
            ty: Case::UpperCamel,
            keywords: owned(KEYWORDS),
            keyword_escape: underscore.clone(),
            members: Vec::new(),
            member_escape: underscore,
        },
        string: None,
        doc: None,
        catalog: vec![
            rule("enum", CatalogForm::Type, ""),
            rule("error struct", CatalogForm::Type, "Error"),
            rule("message arguments enum", CatalogForm::Type, "Args"),
            rule("retry enum", CatalogForm::Type, "Retry"),
            rule("unknown-name error", CatalogForm::Type, "UnknownName"),
        ],
        params: Some(ParamRules {
            case: Case::Verbatim,
            keywords: Vec::new(),
            string: param("&'a str"),
            int: param("i64"),
            bool: param("bool"),
            duration: param("::core::time::Duration"),
            max_slots: None,
        }),
        // codegen's crate: `src/<catalog>.rs` beside `src/lib.rs`; a `src/main.rs` would
        // make Cargo build a binary without `fn main`.
        files: vec![rule("module file", CatalogForm::Name, ".rs")],
        reserved_files: owned(&["lib", "main"]),
        reserved_packages: Vec::new(),
        dotted_packages: true,
        prefix_packages: false,
        // The prelude and std names users match on next to the generated enum.
        type_names: owned(&[
            "Option", "Result", "Some", "None", "Ok", "Err", "Box", "Vec", "Self",
        ]),
        // A catalog names a module.
        catalog_keywords: owned(KEYWORDS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_escape_self_only() {
        assert_eq!(variant("SELF"), "Self_");
        assert_eq!(variant("INVALID_API_KEY"), "InvalidApiKey");
        assert_eq!(variant("TYPE"), "Type");
        assert!(is_keyword("type") && is_keyword("Self") && is_keyword("gen"));
        assert!(!is_keyword("platform"));
    }
}
