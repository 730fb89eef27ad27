//! errspec's benchmarks and performance budgets (see `BENCHMARKS.md`).
//!
//! - [`registry`]: a deterministic synthetic catalog of any size, valid by
//!   construction, shaped like the shipped `sdk` catalog;
//! - [`floor`]: the parse-only floor (the YAML event parser alone);
//! - [`expansion`]: the `catalog!` expansion of a registry as formatted Rust,
//!   what `scripts/macro-cost.sh` pastes into its consumer crate.
//!
//! The criterion benches are in `benches/`, the allocation test in
//! `tests/alloc.rs`; `build.rs` emits the 1,000-entry catalog's Rust and its
//! hand-written baseline for `benches/generated.rs`.

pub mod floor;
mod synth;

pub use synth::{CATALOG, CATEGORIES, name, registry};

/// The sizes the pipeline benches run at.
pub const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

/// The Rust that `catalog!` expands to for every catalog of a registry text,
/// formatted as `codegen` writes `generated/rust` (rustfmt's layout), without
/// the macro's `include_str!` of the YAML.
pub fn expansion(path: &str, text: &str) -> Result<String, String> {
    let registry = errspec::load_str(path, text).map_err(|d| d.render(false))?;
    let mut code = String::new();
    for catalog in &registry.catalogs {
        errspec_rust::emit_into(&mut code, catalog, &errspec_rust::Options::default())
            .map_err(|e| e.to_string())?;
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use errspec::{Catalog, RetryHint};

    use super::*;

    fn load(entries: usize) -> errspec::Registry {
        let text = registry(entries);
        errspec::load_str("synthetic.yaml", &text)
            .unwrap_or_else(|d| panic!("{entries} entries:\n{}", d.render(false)))
    }

    /// Every feature the generator promises, counted on the loaded model.
    fn assert_realistic(c: &Catalog) {
        let n = c.entries.len();
        let count = |f: &dyn Fn(&errspec::Entry) -> bool| c.entries.iter().filter(|e| f(e)).count();
        let retry = |kind: fn(&RetryHint) -> bool| count(&|e| kind(&e.retry.value));
        assert!(retry(|r| matches!(r, RetryHint::Never)) > 0);
        assert!(retry(|r| matches!(r, RetryHint::After(_))) > 0);
        assert!(retry(|r| matches!(r, RetryHint::Backoff { .. })) > 0);
        assert!(retry(|r| matches!(r, RetryHint::AfterFix(_))) > 0);
        assert!(count(&|e| !e.aliases.is_empty()) > 0);
        assert!(count(&|e| e.aliases.len() > 1) > 0);
        assert!(count(&|e| e.deprecated.is_some()) > 0);
        assert!(count(&|e| e.docs.is_some()) > 0);
        assert!(count(&|e| e.category.is_some()) > 0);
        assert!(count(&|e| e.platforms.is_some()) > 0);
        assert!(count(&|e| e.overrides.iter().any(|o| o.name.is_some())) > 0);
        assert!(count(&|e| e.overrides.iter().any(|o| o.message.is_some())) > 0);
        assert_eq!(c.platforms.len(), 2);
        assert_eq!(c.categories.len(), CATEGORIES.len());
        for cat in &c.categories {
            assert!(
                c.entries
                    .iter()
                    .any(|e| c.category_of(e).is_some_and(|x| x.id == cat.id))
            );
        }
        // Realistic lengths: names like `INVALID_LIVESTREAM_CONFIG`, one-line messages.
        let avg = |f: &dyn Fn(&errspec::Entry) -> usize| c.entries.iter().map(f).sum::<usize>() / n;
        let name = avg(&|e| e.name.len());
        let message = avg(&|e| e.message.len());
        let trigger = avg(&|e| e.trigger_text().len());
        assert!((20..=35).contains(&name), "names average {name} characters");
        assert!(
            (50..=120).contains(&message),
            "messages average {message} characters"
        );
        assert!(
            (120..=400).contains(&trigger),
            "triggers average {trigger} characters"
        );
    }

    #[test]
    fn small_registries_are_valid() {
        for entries in [1, 2, 10, 100, 1_000] {
            let registry = load(entries);
            assert_eq!(registry.catalogs[0].entries.len(), entries);
        }
        assert_realistic(&load(1_000).catalogs[0]);
    }

    #[test]
    fn ten_thousand_entries_are_valid() {
        let text = registry(10_000);
        let registry = load(10_000);
        let c = &registry.catalogs[0];
        assert_eq!(c.entries.len(), 10_000);
        assert_realistic(c);
        // About as dense as the shipped sdk catalog (some 450 bytes per entry).
        let per_entry = text.len() / 10_000;
        assert!(
            (350..=600).contains(&per_entry),
            "{per_entry} bytes per entry"
        );
    }

    #[test]
    fn floor_reads_what_errspec_reads() {
        let text = registry(100);
        floor::ignored(&text).expect("the parser accepts the registry");
        let nodes = floor::tree(&text).expect("the parser accepts the registry");
        assert!(nodes > 100 * 10, "{nodes} nodes");
    }

    #[test]
    fn expansion_is_formatted_rust() {
        let code = expansion("synthetic.yaml", &registry(20)).expect("valid registry");
        assert!(code.contains("pub enum Synthetic {"));
        assert!(code.contains("pub fn from_name("));
    }
}
