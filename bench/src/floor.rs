//! The parse-only floor: the YAML read, without errspec's model or rules.
//!
//! - [`ignored`]: serde-saphyr parses the YAML with errspec's options and
//!   every value is thrown away (`serde::de::IgnoredAny`): the parser alone;
//! - [`tree`]: `errspec::parse_yaml`, errspec's own first step: the YAML
//!   becomes its spanned tree of owned values (every node with its byte span),
//!   the input of the model. This is the floor the render budget is measured
//!   against.

use serde::de::IgnoredAny;

/// Parses the YAML and discards every value: the parser alone.
pub fn ignored(text: &str) -> Result<(), serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<IgnoredAny>(text, errspec::reader_options()).map(|_| ())
}

/// Parses the YAML into errspec's spanned tree; returns its node count.
pub fn tree(text: &str) -> Result<usize, errspec::Diagnostics> {
    errspec::parse_yaml("synthetic.yaml", text)
}
