//! Shared set-up of the cross-crate tests: rendering registries in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The shipped registry, loaded.
pub fn shipped_registry() -> errspec::Registry {
    load(&root().join("spec/registry"))
}

/// A registry loaded from a path, judged by every built-in target's language
/// (panics with the diagnostics when invalid: a test set-up error).
pub fn load(path: &Path) -> errspec::Registry {
    let options = errspec::LoadOptions {
        languages: languages(),
        ..errspec::LoadOptions::default()
    };
    errspec::load_with(Path::new(""), path, options).unwrap_or_else(|d| panic!("{d}"))
}

/// The built-in targets' language rows, Rust's first.
pub fn languages() -> errspec::Languages {
    static ROWS: std::sync::OnceLock<errspec::Languages> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| codegen::targets::built_in_languages().unwrap_or_else(|e| panic!("{e}")))
        .clone()
}

/// The language row of the built-in target `id`.
pub fn language(id: &str) -> std::sync::Arc<errspec::lang::Language> {
    languages()
        .find(id)
        .cloned()
        .unwrap_or_else(|| panic!("no built-in row `{id}`"))
}

/// Every output of a registry, rendered in memory with the built-in templates.
pub fn render(registry_path: &Path) -> BTreeMap<PathBuf, String> {
    codegen::Generator::new(registry_path, "unused")
        .render()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The test fixtures with hostile text, under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}
/// A finished process's stdout and stderr, for a failing assertion's message.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub mod arbitrary;
pub mod c;
pub mod consumer;
pub mod go;
pub mod large;
pub mod params;
