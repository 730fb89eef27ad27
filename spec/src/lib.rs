//! # errspec: the registry format
//!
//! A registry is one YAML file or a directory of them; each file is one
//! [`Catalog`] of errors. [`load`] reads and validates a registry and returns
//! either the [`Registry`] model or every problem found, as [`Diagnostics`]
//! that point at `path:line:column`.
//!
//! The pipeline, in the spirit of serde_derive's internals:
//! `yaml` (spanned tree, from granit-parser's events) → `parse` (shape: fields and types)
//! → `check` (semantics: duplicates, ranges, naming, identifiers).

mod check;
pub mod diagnostic;
pub mod ident;
pub mod impact;
pub mod input;
#[cfg(feature = "schema")]
pub mod json;
pub mod lang;
mod load;
pub mod lock;
pub mod model;
mod parse;
pub mod preamble;
#[cfg(feature = "schema")]
pub mod schema;
pub mod source;
pub mod suggest;
/// The spanned YAML tree the loader reads a file into: public for the
/// oracle test (`tests/yaml_oracle.rs`) and tools, not a stable API.
#[doc(hidden)]
pub mod yaml;

/// Registry text made safe for Markdown: the crate `errspec-markdown` (feature `markdown`, on by default).
#[cfg(feature = "markdown")]
pub use errspec_markdown as markdown;

pub use diagnostic::{Diagnostic, Diagnostics, Label, Rule};
pub use lang::Languages;
pub use load::{LoadOptions, load, load_relative, load_str, load_str_with, load_with, parse_yaml};
pub use model::{
    Catalog, Category, CodeRange, Entry, KeyedBy, LockFile, MAX_DURATION, NamingStyle, Override,
    Param, ParamType, Part, Platform, Registry, Retired, RetryHint, Spanned, View, ViewEntry,
    format_duration, format_duration_ms,
};
pub use source::{FileId, SourceMap, Span};
