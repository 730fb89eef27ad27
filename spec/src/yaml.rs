//! YAML to a spanned node tree, through `serde-saphyr`.
//!
//! We deserialize into a generic tree rather than straight into the model so
//! that one pass can report every shape problem of a file (unknown fields,
//! wrong types, missing fields) instead of stopping at serde's first error.
//! `serde-saphyr` still does what it is good at: YAML 1.2 parsing, duplicate
//! keys, and budgets against alias bombs and absurd nesting.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Location, Options, Spanned};

use crate::diagnostic::{Diagnostic, Rule};
use crate::source::{FileId, SourceFile, Span};

/// A YAML value with the span of its node.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum Value {
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

/// Limits far above any hand-written registry (100,000 entries fit), far
/// below what would exhaust memory.
pub(crate) fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 32;
    budget.max_nodes = 20_000_000;
    budget.max_events = 40_000_000;
    budget.max_aliases = 100_000;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    // YAML 1.1 booleans (`no`, `y`, `off`) silently turn names into booleans.
    options.strict_booleans = true;
    options.with_snippet = false;
    // A tag such as `!custom` would otherwise be dropped without a word.
    options.reject_unsupported_tags = true;
    // Repeated keys reach our visitor, which reports both places and goes on.
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    // `.inf` reaches the model as a float and is reported as a wrong type there.
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    options
}

/// Parses one YAML document. The root of an empty document is [`Value::Null`].
pub(crate) fn parse(file: &SourceFile, id: FileId) -> Result<Node, Box<Diagnostic>> {
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(file.text(), options()) {
        Ok(raw) => Ok(convert(raw, file, id)),
        Err(err) => Err(Box::new(syntax_diagnostic(&err, file, id))),
    }
}

fn span_of(loc: &Location, file: &SourceFile, id: FileId) -> Span {
    let text = file.text();
    // The reader's byte offset where it has one: finding a column by walking
    // its line costs the line's length per node, quadratic on a long line.
    let byte = loc
        .span()
        .byte_offset()
        .and_then(|b| usize::try_from(b).ok())
        .filter(|&b| b <= text.len() && text.is_char_boundary(b));
    let start = match byte {
        Some(b) if loc.line() != 0 => b,
        _ if loc.line() == 0 => 0,
        _ => file.offset_of(loc.line() as usize, loc.column() as usize),
    };
    let end = file.advance_chars(start, loc.span().len() as usize);
    Span {
        file: id,
        start,
        end,
    }
}

fn convert(raw: Spanned<Raw>, file: &SourceFile, id: FileId) -> Node {
    let span = span_of(&raw.referenced, file, id);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|n| convert(n, file, id)).collect()),
        Raw::Map(pairs) => Value::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (convert(k, file, id), convert(v, file, id)))
                .collect(),
        ),
    };
    Node { value, span }
}

fn syntax_diagnostic(err: &serde_saphyr::Error, file: &SourceFile, id: FileId) -> Diagnostic {
    let text = err.without_snippet().to_string();
    // serde-saphyr appends " at line L, column C"; we print the position ourselves.
    let message = text
        .split(" at line ")
        .next()
        .unwrap_or(&text)
        .trim()
        .to_owned();
    let span = err
        .location()
        .map(|loc| span_of(&loc, file, id))
        .unwrap_or(Span {
            file: id,
            start: 0,
            end: 0,
        });
    use serde_saphyr::Error as E;
    // Errors arrive wrapped in alias locations and snippets; classify the cause.
    let mut cause = err;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = cause {
        cause = error;
    }
    match cause {
        // Our budget allows one document; the breach names the count.
        E::MultipleDocuments { .. } => second_document(span),
        E::Budget { .. } if message.contains("Documents") => second_document(span),
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => too_complex(&message, span),
        // serde's own recursion guard fires before our depth budget on very deep flow collections.
        _ if message.contains("recursion limit") => too_complex(&message, span),
        _ => Diagnostic::new(Rule::YamlSyntax, format!("invalid YAML: {message}"))
            .primary(span, "the YAML reader stopped here")
            .help("fix the YAML syntax at this place (indentation, quoting, brackets)"),
    }
}

fn second_document(span: Span) -> Diagnostic {
    Diagnostic::new(Rule::YamlSyntax, "the file holds more than one YAML document")
        .primary(span, "a second document starts here")
        .help("a catalog file is one YAML document: remove the `---` separator, or move the second catalog to a file of its own")
}

fn too_complex(message: &str, span: Span) -> Diagnostic {
    let what = if message.contains("Depth")
        || message.contains("recursion")
        || message.contains("depth")
    {
        "nests deeper than 32 levels"
    } else if message.contains("lias") || message.contains("Nodes") {
        "expands its aliases into too many nodes (an alias bomb?)"
    } else {
        "is too large to load"
    };
    Diagnostic::new(Rule::YamlTooComplex, format!("the YAML document {what}"))
        .primary(span, "limit reached here")
        .note(format!("the YAML reader stopped with: {message}"))
        .help("a registry needs only a few levels of nesting and few aliases; write the values out")
}

/// The tree as `serde-saphyr` hands it over, before spans are made ours.
enum Raw {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        i128::try_from(v)
            .map(Raw::Int)
            .map_err(|_| E::custom("integer does not fit in 128 bits"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<Spanned<Raw>>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            pairs.push((key, value));
        }
        Ok(Raw::Map(pairs))
    }
}
