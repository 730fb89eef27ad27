//! The compiled engine: the built-in templates (and any `--templates`
//! template using the same constructs) rendered without handlebars'
//! interpreter, byte for byte as handlebars renders them.
//!
//! Handlebars stays the parser and the contract: a template is compiled from
//! the registry's parsed [`handlebars::template::Template`] ([`compile`]) into
//! a small tree whose paths are resolved and whose helpers are bound, then
//! evaluated against the same JSON the handlebars path reads ([`eval`]; a
//! block helper's entries read typed, [`entry`]),
//! calling the same helper functions ([`crate::helpers`], [`crate::blocks`]).
//! What is compiled: text, `{{path}}` (`this`, `../`, `@root`, `@index`,
//! `@first`, `@last`, `@key`, `@../index`), errspec's helpers and `eq`, `ne`,
//! `not`, `len`, `{{#if}}`/`{{#unless}}` with `{{else}}` and `includeZero`,
//! `{{#each}}`, the entry block helpers, and inline partials used inside a
//! line. Anything else (another helper, a decorator, a partial alone on its
//! line, block parameters, hash arguments, `with`, `lookup`, ...) leaves the
//! whole template to handlebars.

mod compile;
mod entry;
mod eval;
mod memo;

use serde_json::Value as Json;

pub(crate) use compile::compile;
pub(crate) use eval::{Env, render};
pub(crate) use memo::{MemoUse, Memos};

use crate::blocks::Kind;

/// A compiled template.
#[derive(Debug)]
pub(crate) struct Program {
    name: String,
    body: Vec<Node>,
}

/// One element, with its line and column in its template (for errors).
#[derive(Debug)]
struct Node {
    at: Option<(usize, usize)>,
    op: Op,
}

#[derive(Debug)]
enum Op {
    Text(String),
    /// `{{path}}`: the value, an error when missing (strict mode).
    Value(Expr),
    /// `{{helper args}}`: what the helper writes.
    Write(Call),
    If {
        cond: Expr,
        include_zero: bool,
        negate: bool,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Each {
        over: Expr,
        body: Vec<Node>,
        inverse: Option<Vec<Node>>,
        has_body: bool,
    },
    Entries {
        kind: Kind,
        body: Vec<Node>,
        inverse: Option<Vec<Node>>,
        has_body: bool,
    },
    /// An inline partial, its body inlined; `context` is `this` when `None`.
    Partial {
        context: Option<Expr>,
        /// The spaces before the call, written after each line break the partial writes.
        indent: Option<String>,
        body: Vec<Node>,
    },
}

#[derive(Debug)]
enum Expr {
    Path {
        root: bool,
        depth: usize,
        names: Vec<String>,
        raw: String,
    },
    Local {
        level: usize,
        name: String,
        raw: String,
    },
    Literal(Json),
    Call(Box<Call>),
}

#[derive(Debug)]
struct Call {
    native: Native,
    args: Vec<Expr>,
}

#[derive(Debug, Clone, Copy)]
enum Native {
    /// One of [`crate::helpers::ROW_HELPERS`].
    Row(usize),
    /// One of [`crate::helpers::TEXT_HELPERS`].
    Text(usize),
    Eq,
    Ne,
    Not,
    Len,
    Preamble,
    Chunk,
    ChunkStarts,
    Option,
}

impl Native {
    fn name(self) -> &'static str {
        match self {
            Native::Row(i) => crate::helpers::ROW_HELPERS[i].0,
            Native::Text(i) => crate::helpers::TEXT_HELPERS[i].0,
            Native::Eq => "eq",
            Native::Ne => "ne",
            Native::Not => "not",
            Native::Len => "len",
            Native::Preamble => "preamble",
            Native::Chunk => "chunk",
            Native::ChunkStarts => "chunk_starts",
            Native::Option => "option",
        }
    }
}

#[cfg(test)]
mod tests;
