//! YAML to a spanned node tree, straight from `granit-parser`'s events
//! (through `errspec-yaml-parser`, which compiles that parser once).
//!
//! We build a generic tree rather than the model so that one pass can report
//! every shape problem of a file (unknown fields, wrong types, missing fields)
//! instead of stopping at the first. The reader is our own on purpose: it is
//! on the path of every consumer's cold build of `catalog!`, and a serde
//! deserializer (serde-saphyr, which errspec used before) cost that build
//! seconds for a tree this small. It reads YAML exactly as errspec read it
//! through serde-saphyr 2.1.1 with `options()` of that time (the oracle test,
//! `tests/yaml_oracle.rs`, compares the two on every corpus file and thousands of mutations):
//! YAML 1.2 core scalars with `true`/`false` only as booleans, integers up to
//! 64 bits (larger ones read as floats), `.inf`/`.nan` passed on to the model,
//! core tags honoured and any other tag refused, anchors and aliases expanded
//! under budgets against alias bombs, merge keys (`<<`) merged, repeated keys
//! passed on to our own rule, one document per file, and the same positions
//! for errors (the messages are errspec's own: what is wrong, how to fix it).

mod budget;
mod error;
mod events;
mod scalar;
mod tags;
mod tree;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceFile, Span};

use tree::{Reader, Stream};

/// A YAML value with the span of its node.
#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// How many YAML nodes this tree holds (itself included).
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map(pairs) => pairs.iter().map(|(k, v)| k.count() + v.count()).sum(),
            _ => 0,
        }
    }
}

impl Value {
    /// How a value is named in diagnostics ("the boolean `true`").
    pub fn kind(&self) -> String {
        match self {
            Value::Null => "empty (null)".to_owned(),
            Value::Bool(b) => format!("the boolean `{b}`"),
            Value::Int(i) => format!("the integer `{i}`"),
            Value::Float(f) => format!("the number `{f}`"),
            Value::Str(_) => "a string".to_owned(),
            Value::Seq(_) => "a list".to_owned(),
            Value::Map(_) => "a mapping".to_owned(),
        }
    }
}

/// Parses one YAML document. The root of an empty document is [`Value::Null`].
pub fn parse(file: &SourceFile, id: FileId) -> Result<Node, Box<Diagnostic>> {
    let mut reader = Reader::new(file.text());
    let result = reader.document();
    match result {
        Ok(root) => Ok(root.into_node(file, id)),
        Err(err) => Err(Box::new(err.diagnostic(file, id))),
    }
}

/// Parses one document as [`parse`] does, but hands each item of the root
/// mapping's list under `key` (its first `key`, outside merge keys) to `item`
/// as soon as it is read, and leaves a null node with the item's span in its
/// place. A catalog's entries become the model one at a time instead of all
/// living as YAML first. Returns the tree and whether the list was streamed
/// (`false`: no such key, or its value is not a list, and the tree is whole).
/// On a syntax error, the items handed over so far are to be discarded.
pub fn parse_streaming(
    file: &SourceFile,
    id: FileId,
    key: &str,
    mut item: impl FnMut(Node),
) -> Result<(Node, bool), Box<Diagnostic>> {
    let mut sink = |raw: tree::Raw| item(raw.into_node(file, id));
    let stream = Stream {
        key,
        sink: &mut sink,
        met: false,
        streamed: false,
    };
    let mut reader = Reader::streaming(file.text(), stream);
    let result = reader.document();
    let streamed = reader.streamed();
    match result {
        Ok(root) => Ok((root.into_node(file, id), streamed)),
        Err(err) => Err(Box::new(err.diagnostic(file, id))),
    }
}
