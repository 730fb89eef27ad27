//! The parse-only floor: the YAML read, without errspec's model or rules.
//!
//! - [`ignored`]: granit-parser, the event parser under errspec's reader,
//!   reads the YAML and every event is thrown away: the parser alone;
//! - [`tree`]: `errspec::parse_yaml`, errspec's own first step: the YAML
//!   becomes its spanned tree of owned values (every node with its byte span),
//!   the input of the model. This is the floor the render budget is measured
//!   against.

/// Parses the YAML and discards every event: the parser alone.
pub fn ignored(text: &str) -> Result<(), granit_parser::ScanError> {
    for event in granit_parser::Parser::new_from_str(text) {
        event?;
    }
    Ok(())
}

/// Parses the YAML into errspec's spanned tree; returns its node count.
pub fn tree(text: &str) -> Result<usize, errspec::Diagnostics> {
    errspec::parse_yaml("synthetic.yaml", text)
}
