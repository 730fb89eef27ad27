//! YAML to a spanned node tree, straight from `granit-parser`'s events
//! (through `errspec-yaml-parser`, which compiles that parser once).
//!
//! We build a generic tree rather than the model so that one pass can report
//! every shape problem of a file (unknown fields, wrong types, missing fields)
//! instead of stopping at the first. The reader is our own on purpose: it is
//! on the path of every consumer's cold build of `catalog!`, and a serde
//! deserializer (serde-saphyr, which errspec used before) cost that build
//! seconds for a tree this small. It reads YAML exactly as errspec read it
//! through serde-saphyr 2.1.1 with `options()` of that time (the oracle test
//! below compares the two on every corpus file and thousands of mutations):
//! YAML 1.2 core scalars with `true`/`false` only as booleans, integers up to
//! 64 bits (larger ones read as floats), `.inf`/`.nan` passed on to the model,
//! core tags honoured and any other tag refused, anchors and aliases expanded
//! under budgets against alias bombs, merge keys (`<<`) merged, repeated keys
//! passed on to our own rule, one document per file, and the same messages
//! and positions for syntax errors.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

use errspec_yaml_parser::{ErrorKind, Event, Marker, Options, Parser, ScalarStyle, ScanError, Tag};

use crate::diagnostic::{Diagnostic, Rule};
use crate::source::{FileId, SourceFile, Span};

#[cfg(test)]
mod oracle;

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

/// The limits: far above any hand-written registry (100,000 entries fit),
/// far below what would exhaust memory.
mod limit {
    /// Nested collections, counted as the parser opens them (aliases included).
    pub const DEPTH: usize = 32;
    /// Scalars and collections, replayed aliases included.
    pub const NODES: usize = 20_000_000;
    /// Parser events (aliases included).
    pub const EVENTS: usize = 40_000_000;
    /// Alias tokens.
    pub const ALIASES: usize = 100_000;
    /// Events replayed by aliases, in total.
    pub const REPLAYED: usize = 100_000;
    /// Aliases replayed inside one another.
    pub const REPLAY_STACK: usize = 64;
    /// Distinct anchors.
    pub const ANCHORS: usize = 50_000;
    /// Event copies kept for anchors, and the text they own.
    pub const RECORDED_EVENTS: usize = 1_000_000;
    pub const RECORDED_BYTES: usize = 64 * 1024 * 1024;
    /// Scalar text, tags included.
    pub const SCALAR_BYTES: usize = 64 * 1024 * 1024;
    pub const MERGE_KEYS: usize = 10_000;
    /// Past `RATIO_MIN_REPLAYED` replayed events, more than `ALIAS_RATIO`
    /// replayed events per event of the text itself is refused, at the alias
    /// that crosses it: an expansion out of proportion with the file (a
    /// small billion-laughs under `REPLAYED`), where one anchor reused
    /// thousands of times for small values stays in proportion. (serde-saphyr
    /// refused more than 10 aliases an anchor after the document, pointing at
    /// its end: a legitimate file using one anchor 4,000 times.)
    pub const RATIO_MIN_REPLAYED: usize = 10_000;
    pub const ALIAS_RATIO: usize = 10;
}

fn parser_options() -> Options {
    let mut options = Options::default();
    options.emit_comments = false;
    options.simple_key_max_lookahead = 1024;
    options.flow_nesting_limit = 255;
    // One level past our own depth limit, so that ours speaks first.
    options.block_nesting_limit = options.block_nesting_limit.max(limit::DEPTH + 1);
    options
}

/// Parses one YAML document. The root of an empty document is [`Value::Null`].
pub(crate) fn parse(file: &SourceFile, id: FileId) -> Result<Node, Box<Diagnostic>> {
    let mut reader = Reader::new(file.text());
    let result = reader.document();
    match result {
        Ok(root) => Ok(root.into_node(file, id)),
        Err(err) => Err(Box::new(err.diagnostic(file, id))),
    }
}

/// A position as the parser reports it: one-based line and column, the length
/// in characters, and the byte offset where the parser knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Loc {
    line: usize,
    col: usize,
    index: usize,
    len: usize,
    byte: Option<usize>,
}

impl Loc {
    const UNKNOWN: Loc = Loc {
        line: 0,
        col: 0,
        index: 0,
        len: 0,
        byte: None,
    };

    fn of(span: &errspec_yaml_parser::Span) -> Loc {
        let byte = match (span.start.byte_offset(), span.end.byte_offset()) {
            (Some(start), Some(_)) => Some(start),
            _ => None,
        };
        Loc {
            line: span.start.line(),
            col: span.start.col() + 1,
            index: span.start.index(),
            len: span.len(),
            byte,
        }
    }

    /// Where a scan error points: one character, no byte offset.
    fn at(mark: &Marker) -> Loc {
        Loc {
            line: mark.line(),
            col: mark.col() + 1,
            index: mark.index(),
            len: 1,
            byte: None,
        }
    }

    fn span(self, file: &SourceFile, id: FileId) -> Span {
        let text = file.text();
        // The parser's byte offset where it has one: finding a column by walking
        // its line costs the line's length per node, quadratic on a long line.
        let byte = self
            .byte
            .filter(|&b| b <= text.len() && text.is_char_boundary(b));
        let start = match byte {
            Some(b) if self.line != 0 => b,
            _ if self.line == 0 => 0,
            _ => file.offset_of(self.line, self.col),
        };
        let end = file.advance_chars(start, self.len);
        Span {
            file: id,
            start,
            end,
        }
    }
}

/// Why reading stopped.
#[derive(Debug)]
enum Stop {
    /// A syntax error, an unsupported tag, a bad scalar: `invalid YAML: …`.
    Syntax,
    /// A second document.
    Document,
    /// A budget or alias limit.
    Limit,
}

#[derive(Debug)]
struct Fail {
    stop: Stop,
    message: String,
    /// Where the error arose.
    loc: Loc,
    /// When it arose inside a node an alias replays: the alias, and where the
    /// node (or the outermost node around it that the alias gave) is defined.
    alias: Option<Box<(Loc, Loc)>>,
}

impl Fail {
    fn new(stop: Stop, message: impl Into<String>, loc: Loc) -> Fail {
        Fail {
            stop,
            message: message.into(),
            loc,
            alias: None,
        }
    }

    fn syntax(message: impl Into<String>, loc: Loc) -> Fail {
        Fail::new(Stop::Syntax, message, loc)
    }

    fn limit(breach: Breach, loc: Loc) -> Fail {
        let stop = if matches!(breach, Breach::Documents(_)) {
            Stop::Document
        } else {
            Stop::Limit
        };
        Fail::new(stop, format!("budget breached: {}", breach.describe()), loc)
    }

    fn scan(err: &ScanError) -> Fail {
        let loc = Loc::at(err.marker());
        let message = match err.kind() {
            ErrorKind::UnknownAnchor => "alias references unknown anchor".to_owned(),
            _ => err.info().to_owned(),
        };
        Fail::syntax(message, loc)
    }

    fn diagnostic(self, file: &SourceFile, id: FileId) -> Diagnostic {
        let mut text = sanitize(&self.message).into_owned();
        let mut at = self.loc;
        if let Some(&(reference, defined)) = self.alias.as_deref() {
            // serde-saphyr named where a replayed node is defined unless the
            // error had a place of its own; we keep what that left before " at line".
            let own = self.loc != Loc::UNKNOWN && self.loc != reference && self.loc != defined;
            if !own {
                text.push_str(" (defined");
            }
            at = reference;
        }
        // The position is printed by the diagnostic; a message never carries it.
        let message = text
            .split(" at line ")
            .next()
            .unwrap_or(&text)
            .trim()
            .to_owned();
        let span = at.span(file, id);
        match self.stop {
            Stop::Document => second_document(span),
            Stop::Limit => too_complex(&message, span),
            Stop::Syntax => Diagnostic::new(Rule::YamlSyntax, format!("invalid YAML: {message}"))
                .primary(span, "the YAML reader stopped here")
                .help("fix the YAML syntax at this place (indentation, quoting, brackets)"),
        }
    }
}

/// Control characters (and the two Unicode line separators) in a message are
/// shown escaped, so a tag or scalar cannot break the diagnostic's layout.
fn sanitize(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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

/// A budget that ran out, as the note names it.
#[derive(Clone, Copy, Debug)]
enum Breach {
    Events(usize),
    Aliases(usize),
    Anchors(usize),
    Depth(usize),
    Documents(usize),
    Nodes(usize),
    ScalarBytes(usize),
    MergeKeys(usize),
    AliasReplayRatio(usize, usize),
    RecordedEvents(usize),
    RecordedBytes(usize),
    Unbalanced,
}

impl Breach {
    fn describe(self) -> String {
        match self {
            Breach::Events(n) => format!("Events {{ events: {n} }}"),
            Breach::Aliases(n) => format!("Aliases {{ aliases: {n} }}"),
            Breach::Anchors(n) => format!("Anchors {{ anchors: {n} }}"),
            Breach::Depth(n) => format!("Depth {{ depth: {n} }}"),
            Breach::Documents(n) => format!("Documents {{ documents: {n} }}"),
            Breach::Nodes(n) => format!("Nodes {{ nodes: {n} }}"),
            Breach::ScalarBytes(n) => format!("ScalarBytes {{ total_scalar_bytes: {n} }}"),
            Breach::MergeKeys(n) => format!("MergeKeys {{ merge_keys: {n} }}"),
            Breach::AliasReplayRatio(a, n) => {
                format!("AliasReplayRatio {{ replayed_events: {a}, document_events: {n} }}")
            }
            Breach::RecordedEvents(n) => {
                format!("RecordedAnchorEvents {{ recorded_anchor_events: {n} }}")
            }
            Breach::RecordedBytes(n) => {
                format!("RecordedAnchorBytes {{ recorded_anchor_bytes: {n} }}")
            }
            Breach::Unbalanced => "SequenceUnbalanced".to_owned(),
        }
    }
}

/// The tags we tell apart. Anything else is refused where it appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TagKind {
    None,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    Timestamp,
    Time,
    Binary,
    Str,
    Merge,
    Value,
    /// `!`: keeps the text a string.
    NonSpecific,
    Include,
    Degrees,
    Radians,
    Other,
}

const CORE: &str = "tag:yaml.org,2002:";

impl TagKind {
    fn of(tag: Option<&Tag>) -> TagKind {
        let Some(tag) = tag else {
            return TagKind::None;
        };
        let include = [
            "!include",
            "tag:yaml.org,2002:include",
            "tag:yaml.org,2002:!include",
        ]
        .iter()
        .any(|prefix| {
            tag.suffix_in_namespace(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
        });
        if include {
            return TagKind::Include;
        }
        if let Some(kind) = tag.core_suffix().and_then(TagKind::core) {
            return kind;
        }
        if let Some(suffix) = tag.suffix_in_namespace(CORE) {
            match suffix.as_ref() {
                "merge" => return TagKind::Merge,
                "value" => return TagKind::Value,
                _ => {}
            }
            return TagKind::named(suffix.strip_prefix('!').unwrap_or(&suffix));
        }
        let Some(local) = tag.suffix_in_namespace("!") else {
            return TagKind::Other;
        };
        match local.as_ref() {
            "" | "!" => TagKind::NonSpecific,
            "!timestamp" => TagKind::Timestamp,
            "!binary" => TagKind::Binary,
            name => match name.strip_prefix('!') {
                Some(core) => TagKind::core(core).unwrap_or(TagKind::Other),
                None => TagKind::named(name),
            },
        }
    }

    fn core(suffix: &str) -> Option<TagKind> {
        Some(match suffix {
            "null" => TagKind::Null,
            "bool" => TagKind::Bool,
            "int" => TagKind::Int,
            "float" => TagKind::Float,
            "map" => TagKind::Map,
            "seq" => TagKind::Seq,
            "str" => TagKind::Str,
            _ => return None,
        })
    }

    fn named(name: &str) -> TagKind {
        match name {
            "timestamp" => TagKind::Timestamp,
            "time" => TagKind::Time,
            "binary" => TagKind::Binary,
            "include" => TagKind::Include,
            "degrees" => TagKind::Degrees,
            "radians" => TagKind::Radians,
            other => TagKind::core(other).unwrap_or(TagKind::Other),
        }
    }

    /// The kind of node the tag can stand on, if it is particular.
    fn requires(self) -> Option<Shape> {
        match self {
            TagKind::Seq => Some(Shape::Seq),
            TagKind::Map => Some(Shape::Map),
            TagKind::None | TagKind::NonSpecific | TagKind::Other => None,
            _ => Some(Shape::Scalar),
        }
    }

    fn keeps_string(self) -> bool {
        matches!(self, TagKind::Str | TagKind::NonSpecific)
    }

    fn can_be_string(self) -> bool {
        matches!(
            self,
            TagKind::None
                | TagKind::Str
                | TagKind::Merge
                | TagKind::Value
                | TagKind::Other
                | TagKind::Include
                | TagKind::NonSpecific
        )
    }

    fn is_core(self) -> bool {
        matches!(
            self,
            TagKind::Int
                | TagKind::Float
                | TagKind::Bool
                | TagKind::Null
                | TagKind::Seq
                | TagKind::Map
                | TagKind::Str
        )
    }

    fn is_angle_or_time(self) -> bool {
        matches!(self, TagKind::Time | TagKind::Degrees | TagKind::Radians)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Scalar,
    Seq,
    Map,
}

/// Where a node sits in its parent, for the tags only a key may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Key,
    Value,
    Other,
}

#[derive(Clone, Copy, Debug)]
enum TagFrame {
    Seq { slot: Slot },
    Map { expecting_key: bool, slot: Slot },
}

/// One logical event: parser events without stream and document markers,
/// aliases already replaced by the events of their anchor.
#[derive(Clone, Debug)]
enum Ev<'a> {
    Scalar {
        value: Cow<'a, str>,
        style: ScalarStyle,
        tag: TagKind,
        /// The tag as written (`Tag`'s display), for messages and budgets.
        raw_tag: Option<String>,
        loc: Loc,
    },
    SeqStart {
        tag: TagKind,
        raw_tag: Option<String>,
        loc: Loc,
    },
    SeqEnd {
        loc: Loc,
    },
    MapStart {
        tag: TagKind,
        raw_tag: Option<String>,
        loc: Loc,
    },
    MapEnd {
        loc: Loc,
    },
    /// An alias of an anchor still being defined (`&a [*a]`).
    Recursive {
        loc: Loc,
    },
}

impl Ev<'_> {
    fn loc(&self) -> Loc {
        match self {
            Ev::Scalar { loc, .. }
            | Ev::SeqStart { loc, .. }
            | Ev::SeqEnd { loc }
            | Ev::MapStart { loc, .. }
            | Ev::MapEnd { loc }
            | Ev::Recursive { loc } => *loc,
        }
    }

    /// Bytes a kept copy of this event owns (text the parser did not borrow).
    fn owned_bytes(&self) -> usize {
        match self {
            Ev::Scalar { value, raw_tag, .. } => {
                let value = match value {
                    Cow::Borrowed(_) => 0,
                    Cow::Owned(s) => s.len(),
                };
                value + raw_tag.as_ref().map_or(0, String::len)
            }
            Ev::SeqStart { raw_tag, .. } | Ev::MapStart { raw_tag, .. } => {
                raw_tag.as_ref().map_or(0, String::len)
            }
            _ => 0,
        }
    }
}

/// What the budget sees of an event.
enum Seen<'s> {
    Scalar {
        value: &'s str,
        plain: bool,
        /// `Some(is the merge tag)` when tagged.
        tag: Option<bool>,
        tag_len: usize,
        anchor: usize,
    },
    SeqStart {
        anchor: usize,
        tag_len: usize,
    },
    MapStart {
        anchor: usize,
        tag_len: usize,
    },
    SeqEnd,
    MapEnd,
    Alias,
    DocumentStart,
    Other,
}

#[derive(Clone, Copy)]
enum Open {
    Seq { in_value: bool },
    Map { expecting_key: bool, in_value: bool },
}

/// Counts what the document costs and refuses it past the limits.
#[derive(Default)]
struct Budget {
    events: usize,
    nodes: usize,
    scalar_bytes: usize,
    depth: usize,
    max_depth: usize,
    anchors: HashSet<usize>,
    aliases: usize,
    documents: usize,
    merge_keys: usize,
    recorded_events: usize,
    recorded_bytes: usize,
    open: Vec<Open>,
}

impl Budget {
    fn see(&mut self, ev: &Seen<'_>) -> Result<(), Breach> {
        self.events += 1;
        if self.events > limit::EVENTS {
            return Err(Breach::Events(self.events));
        }
        match *ev {
            Seen::Scalar {
                value,
                plain,
                tag,
                tag_len,
                anchor,
            } => {
                self.node()?;
                self.scalar_bytes(value.len() + tag_len)?;
                self.anchor(anchor)?;
                if let Some(Open::Map { expecting_key, .. }) = self.open.last_mut() {
                    if *expecting_key {
                        let merge = value == "<<"
                            && match tag {
                                Some(merge_tag) => merge_tag,
                                None => plain,
                            };
                        if merge {
                            self.merge_keys += 1;
                            if self.merge_keys > limit::MERGE_KEYS {
                                return Err(Breach::MergeKeys(self.merge_keys));
                            }
                        }
                        *expecting_key = false;
                    } else {
                        *expecting_key = true;
                    }
                }
            }
            Seen::SeqStart { anchor, tag_len } => {
                self.enter(anchor, tag_len, |in_value| Open::Seq { in_value })?;
            }
            Seen::MapStart { anchor, tag_len } => {
                self.enter(anchor, tag_len, |in_value| Open::Map {
                    expecting_key: true,
                    in_value,
                })?;
            }
            Seen::SeqEnd => self.leave(false)?,
            Seen::MapEnd => self.leave(true)?,
            Seen::Alias => {
                self.alias()?;
                self.advance_key();
            }
            Seen::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Breach::Documents(self.documents));
                }
            }
            Seen::Other => {}
        }
        Ok(())
    }

    /// An alias token, whose replayed events advance the mapping themselves.
    fn see_alias(&mut self) -> Result<(), Breach> {
        self.events += 1;
        if self.events > limit::EVENTS {
            return Err(Breach::Events(self.events));
        }
        self.alias()
    }

    fn alias(&mut self) -> Result<(), Breach> {
        self.aliases += 1;
        if self.aliases > limit::ALIASES {
            return Err(Breach::Aliases(self.aliases));
        }
        Ok(())
    }

    fn advance_key(&mut self) {
        if let Some(Open::Map { expecting_key, .. }) = self.open.last_mut() {
            *expecting_key = !*expecting_key;
        }
    }

    fn recorded(&mut self, bytes: usize) -> Result<(), Breach> {
        self.recorded_events += 1;
        if self.recorded_events > limit::RECORDED_EVENTS {
            return Err(Breach::RecordedEvents(self.recorded_events));
        }
        self.recorded_bytes = self.recorded_bytes.saturating_add(bytes);
        if self.recorded_bytes > limit::RECORDED_BYTES {
            return Err(Breach::RecordedBytes(self.recorded_bytes));
        }
        Ok(())
    }

    fn node(&mut self) -> Result<(), Breach> {
        self.nodes += 1;
        if self.nodes > limit::NODES {
            return Err(Breach::Nodes(self.nodes));
        }
        Ok(())
    }

    fn scalar_bytes(&mut self, bytes: usize) -> Result<(), Breach> {
        self.scalar_bytes = self.scalar_bytes.saturating_add(bytes);
        if self.scalar_bytes > limit::SCALAR_BYTES {
            return Err(Breach::ScalarBytes(self.scalar_bytes));
        }
        Ok(())
    }

    fn anchor(&mut self, anchor: usize) -> Result<(), Breach> {
        if anchor != 0 && self.anchors.insert(anchor) && self.anchors.len() > limit::ANCHORS {
            return Err(Breach::Anchors(self.anchors.len()));
        }
        Ok(())
    }

    fn enter(
        &mut self,
        anchor: usize,
        tag_len: usize,
        open: impl FnOnce(bool) -> Open,
    ) -> Result<(), Breach> {
        self.node()?;
        self.depth += 1;
        self.max_depth = self.max_depth.max(self.depth);
        if self.max_depth > limit::DEPTH {
            return Err(Breach::Depth(self.max_depth));
        }
        self.scalar_bytes(tag_len)?;
        let in_value = match self.open.last_mut() {
            Some(Open::Map { expecting_key, .. }) if *expecting_key => {
                *expecting_key = false;
                false
            }
            Some(Open::Map { .. }) => true,
            _ => false,
        };
        self.open.push(open(in_value));
        self.anchor(anchor)
    }

    fn leave(&mut self, map: bool) -> Result<(), Breach> {
        self.depth = self.depth.checked_sub(1).ok_or(Breach::Unbalanced)?;
        let in_value = match (map, self.open.pop()) {
            (false, Some(Open::Seq { in_value })) | (true, Some(Open::Map { in_value, .. })) => {
                in_value
            }
            _ => return Err(Breach::Unbalanced),
        };
        if in_value && let Some(Open::Map { expecting_key, .. }) = self.open.last_mut() {
            *expecting_key = true;
        }
        Ok(())
    }
}

fn tag_len(tag: Option<&Tag>) -> usize {
    tag.map_or(0, |t| {
        let (handle, suffix) = t.parts();
        handle.len() + suffix.len()
    })
}

/// An alias being replayed.
struct Replay {
    anchor: usize,
    next: usize,
    /// The alias token: where every replayed node is said to be.
    at: Loc,
}

/// An anchored collection whose events are being kept.
struct Recording<'a> {
    anchor: usize,
    depth: usize,
    events: Vec<Ev<'a>>,
}

/// Logical events from the parser: anchors kept, aliases replayed, budgets
/// and tags checked. Each event comes with the alias it was replayed by.
struct Events<'a> {
    parser: Parser<'a>,
    failed: bool,
    budget: Budget,
    look: Option<(Ev<'a>, Option<Loc>)>,
    /// Events read ahead by [`Events::capture`], served after `look`.
    ahead: VecDeque<(Ev<'a>, Option<Loc>)>,
    replays: Vec<Replay>,
    anchors: Vec<Option<Rc<[Ev<'a>]>>>,
    recordings: Vec<Recording<'a>>,
    replayed: usize,
    /// Events read from the text (not replayed), for [`limit::ALIAS_RATIO`].
    parsed: usize,
    /// Each alias token of the text, with the events replayed before it.
    alias_marks: Vec<(usize, Loc)>,
    last: Loc,
    produced: bool,
    tags: Vec<TagFrame>,
}

impl<'a> Events<'a> {
    fn new(text: &'a str) -> Self {
        Events {
            parser: Parser::new(text, parser_options()),
            failed: false,
            budget: Budget::default(),
            look: None,
            ahead: VecDeque::new(),
            replays: Vec::new(),
            anchors: Vec::new(),
            recordings: Vec::new(),
            replayed: 0,
            parsed: 0,
            alias_marks: Vec::new(),
            last: Loc::UNKNOWN,
            produced: false,
            tags: Vec::new(),
        }
    }

    /// Reads the next node's events through its end before any is
    /// interpreted, as serde-saphyr captured keys and merged mappings: a
    /// syntax error inside them is reported before what they mean.
    fn capture(&mut self) -> Result<(), Fail> {
        let mut depth = 0usize;
        let mut seen = 0usize;
        loop {
            let ev = if seen == 0 && self.look.is_some() {
                self.look.as_ref().map(|(ev, _)| ev)
            } else {
                let i = seen - usize::from(self.look.is_some());
                if i >= self.ahead.len() {
                    match self.pull()? {
                        Some(item) => self.ahead.push_back(item),
                        None => return Ok(()),
                    }
                }
                self.ahead.get(i).map(|(ev, _)| ev)
            };
            seen += 1;
            match ev {
                Some(Ev::SeqStart { .. } | Ev::MapStart { .. }) => depth += 1,
                Some(Ev::SeqEnd { .. } | Ev::MapEnd { .. }) => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }

    fn read(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        match self.ahead.pop_front() {
            Some(item) => Ok(Some(item)),
            None => self.pull(),
        }
    }

    fn peek(&mut self) -> Result<Option<&(Ev<'a>, Option<Loc>)>, Fail> {
        if self.look.is_none() {
            self.look = self.read()?;
        }
        if let Some((ev, _)) = &self.look {
            self.last = ev.loc();
            if let Ev::Recursive { loc } = ev {
                return Err(recursive(*loc));
            }
        }
        Ok(self.look.as_ref())
    }

    fn next(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        let item = match self.look.take() {
            Some(item) => Some(item),
            None => self.read()?,
        };
        if let Some((ev, _)) = &item {
            self.last = ev.loc();
            if let Ev::Recursive { loc } = ev {
                return Err(recursive(*loc));
            }
        }
        Ok(item)
    }

    fn slot(&self) -> Slot {
        match self.tags.last() {
            Some(TagFrame::Map {
                expecting_key: true,
                ..
            }) => Slot::Key,
            Some(TagFrame::Map { .. }) => Slot::Value,
            _ => Slot::Other,
        }
    }

    fn complete(&mut self, slot: Slot) {
        if let Some(TagFrame::Map { expecting_key, .. }) = self.tags.last_mut() {
            match slot {
                Slot::Key => *expecting_key = false,
                Slot::Value => *expecting_key = true,
                Slot::Other => {}
            }
        }
    }

    /// Refuses tags we cannot honour where they stand.
    fn check_tag(
        &self,
        kind: TagKind,
        spelled: &dyn Fn() -> String,
        shape: Shape,
        scalar: Option<&str>,
        slot: Slot,
        loc: Loc,
    ) -> Result<(), Fail> {
        if kind.requires().is_some_and(|s| s != shape) {
            let message = if kind == TagKind::Include {
                "!include currently only supports the scalar form: !include <path>".to_owned()
            } else {
                format!("unsupported tag `{}`", spelled())
            };
            return Err(Fail::syntax(message, loc));
        }
        let supported = match kind {
            TagKind::Other | TagKind::Include => false,
            TagKind::Merge => slot == Slot::Key && scalar == Some("<<"),
            TagKind::Value => slot == Slot::Key && scalar == Some("="),
            k if k.is_angle_or_time() => false,
            _ => true,
        };
        if supported {
            Ok(())
        } else {
            Err(Fail::syntax(
                format!("unsupported tag `{}`", spelled()),
                loc,
            ))
        }
    }

    fn check_scalar(
        &mut self,
        kind: TagKind,
        spelled: &dyn Fn() -> String,
        value: &str,
        loc: Loc,
    ) -> Result<(), Fail> {
        let slot = self.slot();
        self.check_tag(kind, spelled, Shape::Scalar, Some(value), slot, loc)?;
        self.complete(slot);
        Ok(())
    }

    fn check_open(
        &mut self,
        kind: TagKind,
        spelled: &dyn Fn() -> String,
        map: bool,
        loc: Loc,
    ) -> Result<(), Fail> {
        let slot = self.slot();
        let shape = if map { Shape::Map } else { Shape::Seq };
        self.check_tag(kind, spelled, shape, None, slot, loc)?;
        self.tags.push(if map {
            TagFrame::Map {
                expecting_key: true,
                slot,
            }
        } else {
            TagFrame::Seq { slot }
        });
        Ok(())
    }

    fn check_close(&mut self) {
        if let Some(TagFrame::Seq { slot } | TagFrame::Map { slot, .. }) = self.tags.pop() {
            self.complete(slot);
        }
    }

    /// Checks a replayed event as if it stood where the alias is.
    fn check_replayed(&mut self, ev: &Ev<'_>) -> Result<(), Fail> {
        let spelled = |kind: TagKind, raw: &Option<String>| {
            raw.clone().unwrap_or_else(|| match kind {
                TagKind::Merge => "!!merge".to_owned(),
                TagKind::Value => "!!value".to_owned(),
                _ => String::new(),
            })
        };
        match ev {
            Ev::Recursive { loc } => self.check_scalar(TagKind::Null, &String::new, "", *loc),
            Ev::Scalar {
                value,
                tag,
                raw_tag,
                loc,
                ..
            } => self.check_scalar(*tag, &|| spelled(*tag, raw_tag), value, *loc),
            Ev::SeqStart {
                tag, raw_tag, loc, ..
            } => self.check_open(*tag, &|| spelled(*tag, raw_tag), false, *loc),
            Ev::MapStart {
                tag, raw_tag, loc, ..
            } => self.check_open(*tag, &|| spelled(*tag, raw_tag), true, *loc),
            Ev::SeqEnd { .. } | Ev::MapEnd { .. } => {
                self.check_close();
                Ok(())
            }
        }
    }

    /// Keeps `ev` in every anchor being recorded.
    fn record(&mut self, ev: &Ev<'a>, skip_last: bool) -> Result<(), Fail> {
        let n = self.recordings.len();
        for i in 0..n {
            if skip_last && i + 1 == n {
                continue;
            }
            self.budget
                .recorded(ev.owned_bytes())
                .map_err(|b| Fail::limit(b, ev.loc()))?;
            self.recordings[i].events.push(ev.clone());
        }
        Ok(())
    }

    fn start_recording(&mut self, anchor: usize, ev: &Ev<'a>) -> Result<(), Fail> {
        for r in &mut self.recordings {
            r.depth += 1;
        }
        if anchor != 0 {
            self.budget
                .recorded(ev.owned_bytes())
                .map_err(|b| Fail::limit(b, ev.loc()))?;
            self.recordings.push(Recording {
                anchor,
                depth: 1,
                events: vec![ev.clone()],
            });
        }
        self.record(ev, anchor != 0)
    }

    fn end_recording(&mut self) -> Result<(), Fail> {
        for r in &mut self.recordings {
            r.depth = r
                .depth
                .checked_sub(1)
                .ok_or_else(|| Fail::syntax("internal depth underflow", Loc::UNKNOWN))?;
        }
        while self.recordings.last().is_some_and(|r| r.depth == 0) {
            if let Some(done) = self.recordings.pop() {
                self.store(done.anchor, done.events.into());
            }
        }
        Ok(())
    }

    fn store(&mut self, anchor: usize, events: Rc<[Ev<'a>]>) {
        if anchor >= self.anchors.len() {
            self.anchors.resize_with(anchor + 8, || None);
        }
        self.anchors[anchor] = Some(events);
    }

    /// The check that needs the whole document: far more events replayed
    /// than the text holds. Known only at the end (the text keeps adding
    /// events), it points at the alias whose replay crossed the limit.
    fn replay_ratio(&self) -> Result<(), Fail> {
        let limit = limit::ALIAS_RATIO
            .saturating_mul(self.parsed)
            .max(limit::RATIO_MIN_REPLAYED);
        if self.replayed <= limit {
            return Ok(());
        }
        let crossing = self
            .alias_marks
            .partition_point(|&(before, _)| before < limit);
        let at = crossing
            .checked_sub(1)
            .and_then(|i| self.alias_marks.get(i))
            .map_or(self.last, |&(_, loc)| loc);
        Err(Fail::limit(
            Breach::AliasReplayRatio(self.replayed, self.parsed),
            at,
        ))
    }

    fn pull(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        // Replayed events first; an exhausted replay is dropped only now, so
        // that the last node it gave still counts as the alias's.
        while let Some(r) = self.replays.last() {
            let (anchor, next, at) = (r.anchor, r.next, r.at);
            let events = self
                .anchors
                .get(anchor)
                .and_then(Option::as_ref)
                .ok_or_else(|| Fail::syntax("alias references unknown anchor", self.last))?
                .clone();
            let Some(ev) = events.get(next).cloned() else {
                self.replays.pop();
                continue;
            };
            if let Some(r) = self.replays.last_mut() {
                r.next += 1;
            }
            let loc = ev.loc();
            self.replayed += 1;
            if self.replayed > limit::REPLAYED {
                return Err(Fail::new(
                    Stop::Limit,
                    format!(
                        "alias replay limit exceeded: total_replayed_events={} > {}",
                        self.replayed,
                        limit::REPLAYED
                    ),
                    loc,
                ));
            }
            let seen = match &ev {
                Ev::Scalar {
                    value, style, tag, ..
                } => {
                    let merge = *tag == TagKind::Merge;
                    Seen::Scalar {
                        value,
                        plain: *style == ScalarStyle::Plain,
                        tag: merge.then_some(true),
                        tag_len: if merge { CORE.len() + "merge".len() } else { 0 },
                        anchor: 0,
                    }
                }
                Ev::SeqStart { .. } => Seen::SeqStart {
                    anchor: 0,
                    tag_len: 0,
                },
                Ev::MapStart { .. } => Seen::MapStart {
                    anchor: 0,
                    tag_len: 0,
                },
                Ev::SeqEnd { .. } => Seen::SeqEnd,
                Ev::MapEnd { .. } => Seen::MapEnd,
                Ev::Recursive { .. } => Seen::Scalar {
                    value: "",
                    plain: true,
                    tag: None,
                    tag_len: 0,
                    anchor: 0,
                },
            };
            if let Err(b) = self.budget.see(&seen) {
                return Err(wrap_alias(Fail::limit(b, loc), Some(at), loc));
            }
            if let Err(f) = self.check_replayed(&ev) {
                return Err(wrap_alias(f, Some(at), loc));
            }
            self.record(&ev, false)?;
            self.last = loc;
            self.produced = true;
            return Ok(Some((ev, Some(at))));
        }

        if self.failed {
            return Ok(None);
        }
        while let Some(item) = self.parser.next_event() {
            let (event, span) = match item {
                Ok(pair) => pair,
                Err(e) => {
                    self.failed = true;
                    return Err(Fail::scan(&e));
                }
            };
            let loc = Loc::of(&span);
            self.parsed += 1;
            let seen = match &event {
                Event::Scalar(value, style, anchor, tag) => Seen::Scalar {
                    value,
                    plain: *style == ScalarStyle::Plain,
                    tag: tag.as_deref().map(is_merge_tag),
                    tag_len: tag_len(tag.as_deref()),
                    anchor: *anchor,
                },
                Event::SequenceStart(_, anchor, tag) => Seen::SeqStart {
                    anchor: *anchor,
                    tag_len: tag_len(tag.as_deref()),
                },
                Event::MappingStart(_, anchor, tag) => Seen::MapStart {
                    anchor: *anchor,
                    tag_len: tag_len(tag.as_deref()),
                },
                Event::SequenceEnd => Seen::SeqEnd,
                Event::MappingEnd => Seen::MapEnd,
                Event::Alias(_) => Seen::Alias,
                Event::DocumentStart(..) => Seen::DocumentStart,
                _ => Seen::Other,
            };
            let counted = if matches!(seen, Seen::Alias) {
                Ok(())
            } else {
                self.budget.see(&seen)
            };
            let map = matches!(seen, Seen::MapStart { .. } | Seen::MapEnd);
            counted.map_err(|b| Fail::limit(b, loc))?;

            match event {
                Event::Scalar(value, style, anchor, tag) => {
                    let kind = TagKind::of(tag.as_deref());
                    let spelled = || tag.as_deref().map_or_else(String::new, Tag::original);
                    self.check_scalar(kind, &spelled, &value, loc)?;
                    let ev = Ev::Scalar {
                        value,
                        style,
                        tag: kind,
                        raw_tag: tag.as_deref().map(Tag::to_string),
                        loc,
                    };
                    self.record(&ev, false)?;
                    if anchor != 0 {
                        self.budget
                            .recorded(ev.owned_bytes())
                            .map_err(|b| Fail::limit(b, loc))?;
                        self.store(anchor, Rc::from(vec![ev.clone()]));
                    }
                    self.last = loc;
                    self.produced = true;
                    return Ok(Some((ev, None)));
                }
                Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                    let kind = TagKind::of(tag.as_deref());
                    let spelled = || tag.as_deref().map_or_else(String::new, Tag::original);
                    self.check_open(kind, &spelled, map, loc)?;
                    let raw_tag = tag.as_deref().map(Tag::to_string);
                    let ev = if map {
                        Ev::MapStart {
                            tag: kind,
                            raw_tag,
                            loc,
                        }
                    } else {
                        Ev::SeqStart {
                            tag: kind,
                            raw_tag,
                            loc,
                        }
                    };
                    self.start_recording(anchor, &ev)?;
                    self.last = loc;
                    self.produced = true;
                    return Ok(Some((ev, None)));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    self.check_close();
                    let ev = if map {
                        Ev::MapEnd { loc }
                    } else {
                        Ev::SeqEnd { loc }
                    };
                    self.record(&ev, false)?;
                    self.end_recording().map_err(|mut f| {
                        f.loc = loc;
                        f
                    })?;
                    self.last = loc;
                    self.produced = true;
                    return Ok(Some((ev, None)));
                }
                Event::Alias(anchor) => {
                    self.budget.see_alias().map_err(|b| Fail::limit(b, loc))?;
                    self.alias_marks.push((self.replayed, loc));
                    let depth = self.replays.len() + 1;
                    if depth > limit::REPLAY_STACK {
                        return Err(Fail::new(
                            Stop::Limit,
                            format!(
                                "alias replay stack depth exceeded: depth={depth} > {}",
                                limit::REPLAY_STACK
                            ),
                            loc,
                        ));
                    }
                    if self.recordings.iter().any(|r| r.anchor == anchor) {
                        let ev = Ev::Recursive { loc };
                        self.check_replayed(&ev)?;
                        self.record(&ev, false)?;
                        self.last = loc;
                        self.produced = true;
                        return Ok(Some((ev, None)));
                    }
                    if self.anchors.get(anchor).and_then(Option::as_ref).is_none() {
                        return Err(Fail::syntax("alias references unknown anchor", loc));
                    }
                    self.replays.push(Replay {
                        anchor,
                        next: 0,
                        at: loc,
                    });
                    return self.pull();
                }
                Event::DocumentStart(..) | Event::DocumentEnd => {
                    // Before the counts of this document are reset.
                    if matches!(event, Event::DocumentEnd) {
                        self.replay_ratio()?;
                    }
                    self.replays.clear();
                    self.recordings.clear();
                    self.tags.clear();
                    for a in &mut self.anchors {
                        *a = None;
                    }
                    self.replayed = 0;
                    self.parsed = 0;
                    self.alias_marks.clear();
                    self.last = loc;
                }
                Event::StreamStart | Event::StreamEnd => self.last = loc,
                _ => {
                    return Err(Fail::syntax("unsupported event from granit-parser", loc));
                }
            }
        }
        // A stream without a document reads as null.
        if !self.produced {
            let ev = Ev::Scalar {
                value: Cow::Borrowed(""),
                style: ScalarStyle::Plain,
                tag: TagKind::Null,
                raw_tag: None,
                loc: self.last,
            };
            self.check_replayed(&ev)?;
            self.produced = true;
            return Ok(Some((ev, None)));
        }
        Ok(None)
    }
}

fn is_merge_tag(tag: &Tag) -> bool {
    tag.suffix_in_namespace(CORE).is_some_and(|s| s == "merge")
}

fn recursive(loc: Loc) -> Fail {
    Fail::syntax("recursive references require weak recursion types", loc)
}

/// An error met while reading a node an alias replays is reported at the alias
/// (where the user wrote it), unless it is there already.
fn wrap_alias(mut fail: Fail, alias: Option<Loc>, defined: Loc) -> Fail {
    let at = alias.unwrap_or(defined);
    if at != Loc::UNKNOWN && defined != Loc::UNKNOWN && at != defined {
        match fail.alias.as_deref_mut() {
            Some((reference, outer)) if *reference == at => *outer = defined,
            _ => fail.alias = Some(Box::new((at, defined))),
        }
    } else if fail.alias.is_none() && fail.loc == Loc::UNKNOWN {
        fail.loc = at;
    }
    fail
}

/// A node before its spans become byte ranges of the file.
struct Raw {
    value: RawValue,
    loc: Loc,
}

enum RawValue {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Raw>),
    Map(Vec<(Raw, Raw)>),
    /// A scalar of a merged mapping that could not be read: reported only if
    /// its entry is merged (serde-saphyr read merged entries lazily).
    Deferred(Box<Fail>),
}

impl Raw {
    fn into_node(self, file: &SourceFile, id: FileId) -> Node {
        let value = match self.value {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(b),
            RawValue::Int(i) => Value::Int(i),
            RawValue::Float(f) => Value::Float(f),
            RawValue::Str(s) => Value::Str(s),
            // Never reached: a merged entry's error stops the reader.
            RawValue::Deferred(_) => Value::Null,
            RawValue::Seq(items) => {
                Value::Seq(items.into_iter().map(|n| n.into_node(file, id)).collect())
            }
            RawValue::Map(pairs) => Value::Map(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.into_node(file, id), v.into_node(file, id)))
                    .collect(),
            ),
        };
        Node {
            value,
            span: self.loc.span(file, id),
        }
    }

    fn relocate(&mut self, at: Loc) {
        self.loc = at;
        match &mut self.value {
            RawValue::Seq(items) => items.iter_mut().for_each(|n| n.relocate(at)),
            RawValue::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
                k.relocate(at);
                v.relocate(at);
            }),
            _ => {}
        }
    }

    /// The first unreadable scalar in this node, in document order.
    fn deferred(&mut self) -> Option<Fail> {
        match &mut self.value {
            RawValue::Deferred(fail) => {
                let placeholder = Fail::syntax(String::new(), Loc::UNKNOWN);
                Some(std::mem::replace(fail.as_mut(), placeholder))
            }
            RawValue::Seq(items) => items.iter_mut().find_map(Raw::deferred),
            RawValue::Map(pairs) => pairs
                .iter_mut()
                .find_map(|(k, v)| k.deferred().or_else(|| v.deferred())),
            _ => None,
        }
    }

    /// A scalar key as a value that hashes, for merges; `None` for collections
    /// (and unreadable scalars, equal to nothing).
    fn scalar_key(&self) -> Option<ScalarKey> {
        Some(match &self.value {
            RawValue::Null => ScalarKey::Null,
            RawValue::Bool(b) => ScalarKey::Bool(*b),
            RawValue::Int(i) => ScalarKey::Int(*i),
            RawValue::Float(f) => ScalarKey::Float(f.to_bits()),
            RawValue::Str(s) => ScalarKey::Str(s.clone()),
            RawValue::Seq(_) | RawValue::Map(_) | RawValue::Deferred(_) => return None,
        })
    }

    /// Equality of keys, for merges: scalars by value, collections by content.
    fn same(&self, other: &Raw) -> bool {
        match (&self.value, &other.value) {
            (RawValue::Null, RawValue::Null) => true,
            (RawValue::Bool(a), RawValue::Bool(b)) => a == b,
            (RawValue::Int(a), RawValue::Int(b)) => a == b,
            (RawValue::Float(a), RawValue::Float(b)) => a.to_bits() == b.to_bits(),
            (RawValue::Str(a), RawValue::Str(b)) => a == b,
            (RawValue::Seq(a), RawValue::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (RawValue::Map(a), RawValue::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((k1, v1), (k2, v2))| k1.same(k2) && v1.same(v2))
            }
            _ => false,
        }
    }
}

/// A scalar key, as [`Raw::same`] compares it.
#[derive(PartialEq, Eq, Hash)]
enum ScalarKey {
    Null,
    Bool(bool),
    Int(i128),
    Float(u64),
    Str(String),
}

/// Builds the tree from the events.
struct Reader<'a> {
    events: Events<'a>,
    depth: usize,
    /// Inside a merge key's value: scalar errors wait for the merge.
    merging: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            events: Events::new(text),
            depth: 0,
            merging: 0,
        }
    }

    fn document(&mut self) -> Result<Raw, Fail> {
        let root = self.node()?;
        // Anything after the first document but its end is a second one.
        if self.events.peek()?.is_some() {
            return Err(Fail::new(
                Stop::Document,
                "multiple YAML documents detected",
                self.events.last,
            ));
        }
        Ok(root)
    }

    /// A sequence item or a mapping value: errors inside a replayed node are
    /// reported at its alias.
    fn child(&mut self) -> Result<Raw, Fail> {
        let (defined, alias) = match self.events.peek()? {
            Some((ev, alias)) => (ev.loc(), *alias),
            None => (self.events.last, None),
        };
        self.node().map_err(|f| match alias {
            Some(at) => wrap_alias(f, Some(at), defined),
            None => wrap_alias(f, None, defined),
        })
    }

    fn node(&mut self) -> Result<Raw, Fail> {
        let (first, alias) = match self.events.peek()? {
            Some((ev, alias)) => (ev.clone(), *alias),
            None => {
                return Ok(Raw {
                    value: RawValue::Null,
                    loc: self.events.last,
                });
            }
        };
        let at = alias.unwrap_or(first.loc());
        match first {
            Ev::Scalar {
                value,
                style,
                tag,
                loc,
                ..
            } => {
                self.events.next()?;
                let value = match scalar(value, style, tag, loc) {
                    Err(fail) if self.merging > 0 => RawValue::Deferred(Box::new(fail)),
                    other => other?,
                };
                Ok(Raw { value, loc: at })
            }
            Ev::SeqStart { loc, .. } => {
                self.enter(loc)?;
                self.events.next()?;
                let mut items = Vec::new();
                loop {
                    match self.events.peek()? {
                        Some((Ev::SeqEnd { .. }, _)) => {
                            self.events.next()?;
                            break;
                        }
                        Some(_) => items.push(self.child()?),
                        None => return Err(eof(self.events.last)),
                    }
                }
                self.depth -= 1;
                Ok(Raw {
                    value: RawValue::Seq(items),
                    loc: at,
                })
            }
            Ev::MapStart { loc, .. } => {
                self.enter(loc)?;
                self.events.next()?;
                let pairs = self.map_entries()?;
                self.depth -= 1;
                Ok(Raw {
                    value: RawValue::Map(pairs),
                    loc: at,
                })
            }
            Ev::SeqEnd { loc } => Err(Fail::syntax("unexpected sequence end", loc)),
            Ev::MapEnd { loc } => Err(Fail::syntax("unexpected mapping end", loc)),
            Ev::Recursive { loc } => Err(recursive(loc)),
        }
    }

    fn enter(&mut self, loc: Loc) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > limit::DEPTH {
            return Err(Fail::limit(Breach::Depth(self.depth), loc));
        }
        Ok(())
    }

    /// The entries of a mapping whose start was read, through its end; merge
    /// keys (`<<`) add the entries of their mappings after the mapping's own,
    /// unless a key is already there.
    fn map_entries(&mut self) -> Result<Vec<(Raw, Raw)>, Fail> {
        let mut pairs: Vec<(Raw, Raw)> = Vec::new();
        let mut merged: Vec<Vec<(Raw, Raw)>> = Vec::new();
        loop {
            match self.events.peek()? {
                Some((Ev::MapEnd { .. }, _)) => {
                    self.events.next()?;
                    break;
                }
                Some((ev, _)) if is_merge_key(ev) => {
                    self.events.next()?;
                    self.merging += 1;
                    let batch = self.merge_value(None);
                    self.merging -= 1;
                    merged.push(batch?);
                }
                Some(_) => {
                    self.events.capture()?;
                    let key = self.node()?;
                    let value = self.child()?;
                    pairs.push((key, value));
                }
                None => return Err(eof(self.events.last)),
            }
        }
        if merged.is_empty() {
            return Ok(pairs);
        }
        // Scalar keys by value in a set (a merge of many keys stays linear);
        // the rare collection keys compared one by one.
        let mut scalars: HashSet<ScalarKey> = HashSet::new();
        let mut collections: Vec<usize> = Vec::new();
        for (i, (k, _)) in pairs.iter().enumerate() {
            match k.scalar_key() {
                Some(key) => {
                    scalars.insert(key);
                }
                None => collections.push(i),
            }
        }
        for batch in merged {
            for (mut k, mut v) in batch {
                let seen = match k.scalar_key() {
                    Some(key) => !scalars.insert(key),
                    None => collections.iter().any(|&i| pairs[i].0.same(&k)),
                };
                if seen {
                    continue;
                }
                if self.merging == 0
                    && let Some(fail) = k.deferred().or_else(|| v.deferred())
                {
                    return Err(fail);
                }
                if k.scalar_key().is_none() {
                    collections.push(pairs.len());
                }
                pairs.push((k, v));
            }
        }
        Ok(pairs)
    }

    /// The value of a merge key: null, a mapping or a list of them (lists may
    /// nest). A merged entry, and all it holds, is said to be where its
    /// mapping is referenced: the mapping or the alias naming it, or the item
    /// of the merge key's list that holds it.
    fn merge_value(&mut self, at: Option<Loc>) -> Result<Vec<(Raw, Raw)>, Fail> {
        let Some((ev, alias)) = self.events.peek()? else {
            return Err(eof(self.events.last));
        };
        let here = at.unwrap_or(alias.unwrap_or(ev.loc()));
        match ev {
            Ev::Scalar {
                value, style, tag, ..
            } if is_null(*tag, value, *style) => {
                self.events.next()?;
                Ok(Vec::new())
            }
            Ev::MapStart { .. } => {
                self.events.capture()?;
                match self.node()? {
                    Raw {
                        value: RawValue::Map(mut pairs),
                        ..
                    } => {
                        for (k, v) in &mut pairs {
                            k.relocate(here);
                            v.relocate(here);
                        }
                        Ok(pairs)
                    }
                    other => Err(not_mergeable(other.loc)),
                }
            }
            Ev::SeqStart { .. } => {
                self.events.next()?;
                let mut all = Vec::new();
                loop {
                    let item = match self.events.peek()? {
                        Some((Ev::SeqEnd { .. }, _)) => {
                            self.events.next()?;
                            break;
                        }
                        Some((ev, alias)) => at.unwrap_or(alias.unwrap_or(ev.loc())),
                        None => return Err(eof(self.events.last)),
                    };
                    self.events.capture()?;
                    all.extend(self.merge_value(Some(item))?);
                }
                Ok(all)
            }
            other => Err(not_mergeable(other.loc())),
        }
    }
}

fn is_merge_key(ev: &Ev<'_>) -> bool {
    matches!(ev, Ev::Scalar { value, tag, style, .. }
        if value.as_ref() == "<<"
            && (*tag == TagKind::Merge || *tag == TagKind::None && *style == ScalarStyle::Plain))
}

fn not_mergeable(loc: Loc) -> Fail {
    Fail::syntax(
        "YAML merge value must be mapping or sequence of mappings",
        loc,
    )
}

fn eof(loc: Loc) -> Fail {
    Fail::syntax("unexpected end of input", loc)
}

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn is_null(tag: TagKind, value: &str, style: ScalarStyle) -> bool {
    tag == TagKind::Null
        || (!tag.is_core()
            && !tag.keeps_string()
            && !matches!(tag, TagKind::Binary | TagKind::Timestamp)
            && !tag.is_angle_or_time()
            && style == ScalarStyle::Plain
            && matches!(value, "" | "~" | "null" | "Null" | "NULL"))
}

/// What a scalar means: its tag if it has a core one, else (plain scalars
/// only) null, `true`/`false`, an integer of up to 64 bits, a float, or text.
fn scalar(
    value: Cow<'_, str>,
    style: ScalarStyle,
    tag: TagKind,
    loc: Loc,
) -> Result<RawValue, Fail> {
    let invalid = |ty: &str| Fail::syntax(format!("invalid {ty}"), loc);
    match tag {
        TagKind::Null => return Ok(RawValue::Null),
        TagKind::Bool => {
            return boolean(&value).map(RawValue::Bool).ok_or_else(|| {
                Fail::syntax("invalid boolean (strict mode expects true/false)", loc)
            });
        }
        TagKind::Int if trim(&value).starts_with('-') => {
            return signed(&value)
                .filter(|v| i64::try_from(*v).is_ok())
                .map(RawValue::Int)
                .ok_or_else(|| invalid("i64"));
        }
        TagKind::Int => {
            return unsigned(&value)
                .filter(|v| u64::try_from(*v).is_ok())
                .map(|v| RawValue::Int(v as i128))
                .ok_or_else(|| invalid("u64"));
        }
        TagKind::Float => {
            return float(&value)
                .map(RawValue::Float)
                .ok_or_else(|| invalid("floating point"));
        }
        _ => {}
    }
    if is_null(tag, &value, style) {
        return Ok(RawValue::Null);
    }
    if style != ScalarStyle::Plain
        || !tag.can_be_string()
        || tag == TagKind::Binary
        || tag.keeps_string()
    {
        if tag == TagKind::Binary {
            let bytes =
                base64(&value).ok_or_else(|| Fail::syntax("invalid !!binary base64", loc))?;
            return String::from_utf8(bytes).map(RawValue::Str).map_err(|_| {
                Fail::syntax(
                    "!!binary scalar is not valid UTF-8 so cannot be stored into string. \
                     If you just use !!binary for documentation/annotation, set ignore_binary_tag_for_string in Options",
                    loc,
                )
            });
        }
        if !tag.can_be_string() {
            return Err(Fail::syntax(
                "cannot deserialize tagged scalar into string",
                loc,
            ));
        }
        return Ok(RawValue::Str(value.into_owned()));
    }
    if let Some(b) = boolean(&value) {
        return Ok(RawValue::Bool(b));
    }
    let t = trim(&value);
    if t.starts_with('-') {
        if !leading_zero(t)
            && let Some(v) = signed(t).filter(|v| i64::try_from(*v).is_ok())
        {
            return Ok(RawValue::Int(v));
        }
    } else if let Some(v) = unsigned(t).filter(|v| u64::try_from(*v).is_ok()) {
        return Ok(RawValue::Int(v as i128));
    }
    if let Some(f) = float(&value) {
        return Ok(RawValue::Float(f));
    }
    Ok(RawValue::Str(value.into_owned()))
}

fn boolean(s: &str) -> Option<bool> {
    match trim(s) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Digits in a radix, with single underscores between them.
fn digits(s: &str, radix: u32) -> Option<u128> {
    let bytes = s.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let between =
                i > 0 && bytes[i - 1] != b'_' && bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !between {
                return None;
            }
            continue;
        }
        let d = (b as char)
            .to_digit(16)
            .filter(|&d| d < radix && (radix > 10 || b.is_ascii_digit()))?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        any = true;
    }
    any.then_some(value)
}

/// `0x`, `0o`, `0b` or decimal (no leading zero).
fn magnitude(rest: &str) -> Option<(u128, bool)> {
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(d) = rest.strip_prefix(prefix) {
            return digits(d, radix).map(|v| (v, false));
        }
    }
    if rest.starts_with('0') && rest != "0" {
        return None;
    }
    digits(rest, 10).map(|v| (v, true))
}

fn unsigned(s: &str) -> Option<u128> {
    let t = trim(s);
    if t.starts_with('-') {
        return None;
    }
    magnitude(t.strip_prefix('+').unwrap_or(t)).map(|(v, _)| v)
}

fn signed(s: &str) -> Option<i128> {
    let t = trim(s);
    let (negative, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    let (v, _) = magnitude(rest)?;
    if negative {
        if v == i128::MAX as u128 + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(v).ok().map(|v| -v)
        }
    } else {
        i128::try_from(v).ok()
    }
}

fn leading_zero(t: &str) -> bool {
    let d = t.strip_prefix(['+', '-']).unwrap_or(t);
    d.len() > 1 && d.starts_with('0') && d.bytes().all(|b| b.is_ascii_digit())
}

/// YAML 1.2 floats: `.inf`, `-.inf`, `.nan` in their three spellings, or what
/// Rust reads as a finite float; a number too large for `f64` is infinite.
fn float(s: &str) -> Option<f64> {
    let t = trim(s);
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => {
            return Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        Ok(v)
            if v.is_infinite()
                && t.trim_start_matches(['+', '-'])
                    .starts_with(|c: char| c.is_ascii_digit()) =>
        {
            Some(v)
        }
        _ => None,
    }
}

/// `!!binary`: base64 with optional whitespace, strictly padded.
fn base64(s: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let sextet = |b: u8| -> Option<u32> {
        Some(u32::from(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let groups = clean.len() / 4;
    let mut out = Vec::with_capacity(groups * 3);
    for (i, group) in clean.chunks(4).enumerate() {
        let pad = group.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != groups) {
            return None;
        }
        let mut bits = 0u32;
        for (j, &b) in group.iter().enumerate() {
            let v = if j >= 4 - pad { 0 } else { sextet(b)? };
            bits = (bits << 6) | v;
        }
        if (pad == 2 && bits & 0xFFFF != 0) || (pad == 1 && bits & 0xFF != 0) {
            return None;
        }
        out.push((bits >> 16) as u8);
        if pad < 2 {
            out.push((bits >> 8) as u8);
        }
        if pad < 1 {
            out.push(bits as u8);
        }
    }
    Some(out)
}
