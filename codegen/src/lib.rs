//! errspec's generator: a validated registry in, files out.
//!
//! ```no_run
//! // In a build script or a tool: render the shipped outputs, or check them.
//! let generator = codegen::Generator::new("spec/registry", "generated");
//! let report = generator.write().expect("valid registry and writable out dir");
//! println!("{} written, {} unchanged", report.written.len(), report.unchanged);
//! ```
//!
//! Every target but Rust is a handlebars template rendered from one view
//! model ([`view`]); Rust is the `catalog!` macro's own expansion
//! ([`errspec_rust::emit`], which writes it formatted as rustfmt would), as a crate.

pub mod blocks;
pub mod config;
mod engine;
mod error;
pub mod explain;
pub mod export;
pub mod fields;
pub mod files;
mod generator;
pub mod helpers;
pub mod import;
pub mod journal;
pub mod ownership;
pub mod packages;
mod plan;
mod pool;
mod resolve;
pub mod row;
pub mod rust;
mod settings;
pub mod targets;
mod template_error;
pub mod view;

use std::collections::BTreeMap;
use std::path::PathBuf;

use errspec::Registry;

pub use error::{Error, IoCause, IoError, UsageProblems};
pub use files::{CheckReport, WriteReport};
pub use generator::Generator;
use plan::Plan;
pub use settings::{PLATFORM, Setting, Settings};
use targets::Target;
pub use template_error::{
    HeaderProblem, OptionDefaults, Place, Readable, TemplateError, UnknownPlatform,
};

/// The name of the built-in Rust target, for [`Generator::platform`].
pub const RUST_TARGET: &str = "rust";

/// The name of the built-in target that writes the JSON Schemas
/// (`schema/registry.schema.json`, `schema/export.schema.json`), for
/// [`Generator::targets`]; it has no platform and no options.
pub const SCHEMA_TARGET: &str = "schema";

/// The platform value of [`Generator::platform`] that selects the canonical view.
pub const CANONICAL: &str = "canonical";

/// Where every run writes the registry format's JSON Schema (for editors:
/// `# yaml-language-server: $schema=<this file>`), relative to the out directory.
pub const REGISTRY_SCHEMA: &str = "schema/registry.schema.json";

/// Where every run writes the JSON Schema of `errspec export`.
pub const EXPORT_SCHEMA: &str = "schema/export.schema.json";

/// The two JSON Schemas, as every run writes them: (path in the out directory, text).
/// They describe the format, not one registry, so they are the same for all.
pub fn schema_files() -> [(&'static str, String); 2] {
    [
        (REGISTRY_SCHEMA, errspec::schema::registry().document()),
        (EXPORT_SCHEMA, export::schema().document()),
    ]
}

/// Renders every target for every catalog of a valid registry, each target
/// in the view its template header names (the Rust target: canonical).
pub fn render(registry: &Registry, targets: &[Target]) -> Result<BTreeMap<PathBuf, String>, Error> {
    render_with(registry, targets, &Settings::default())
}

/// Renders as [`render`] does, with `settings` applied: the targets chosen,
/// their platforms and options, as [`Generator`] takes them.
pub fn render_with(
    registry: &Registry,
    targets: &[Target],
    settings: &Settings,
) -> Result<BTreeMap<PathBuf, String>, Error> {
    let plan = Plan::new(registry, targets, settings)?;
    let memory = files::Memory::default();
    plan.run(&memory)?;
    Ok(memory.files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Renders as [`render_with`] does, every template through handlebars
/// (none through the compiled engine): the engine's differential tests.
#[doc(hidden)]
pub fn render_by_handlebars(
    registry: &Registry,
    targets: &[Target],
    settings: &Settings,
) -> Result<BTreeMap<PathBuf, String>, Error> {
    let mut plan = Plan::new(registry, targets, settings)?;
    plan.compiled = false;
    let memory = files::Memory::default();
    plan.run(&memory)?;
    Ok(memory.files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Renders every template target as [`render_with`] does, without the Rust
/// target: what the text targets cost apart from the Rust one (benchmarks).
#[doc(hidden)]
pub fn render_templates(
    registry: &Registry,
    targets: &[Target],
    settings: &Settings,
) -> Result<BTreeMap<PathBuf, String>, Error> {
    let mut plan = Plan::new(registry, targets, settings)?;
    plan.rust = false;
    plan.schemas = false;
    let memory = files::Memory::default();
    plan.run(&memory)?;
    Ok(memory.files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// The repository's shipped registry, for the unit tests of several modules.
#[cfg(test)]
fn shipped_registry() -> Registry {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    errspec::load(root.join("spec/registry")).unwrap_or_else(|d| panic!("{d}"))
}
