//! Why reading stopped, where (as the parser counts), and the diagnostic
//! it becomes.

use std::borrow::Cow;

use errspec_yaml_parser::{ErrorKind, Marker, ScanError};

use crate::diagnostic::{Diagnostic, Rule};
use crate::source::{FileId, SourceFile, Span};

use super::budget::Breach;

/// A position as the parser reports it: one-based line and column, the length
/// in characters, and the byte offset where the parser knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Loc {
    line: usize,
    col: usize,
    index: usize,
    len: usize,
    byte: Option<usize>,
}

impl Loc {
    pub(super) const UNKNOWN: Loc = Loc {
        line: 0,
        col: 0,
        index: 0,
        len: 0,
        byte: None,
    };

    pub(super) fn of(span: &errspec_yaml_parser::Span) -> Loc {
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

    pub(super) fn span(self, file: &SourceFile, id: FileId) -> Span {
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
pub(super) enum Stop {
    /// A syntax error, an unsupported tag, a bad scalar: `invalid YAML: …`.
    Syntax,
    /// A second document.
    Document,
    /// A budget or alias limit.
    Limit,
}

#[derive(Debug)]
pub(super) struct Fail {
    stop: Stop,
    message: String,
    /// Where the error arose.
    pub(super) loc: Loc,
    /// When it arose inside a node an alias replays: the alias, and where the
    /// node (or the outermost node around it that the alias gave) is defined.
    alias: Option<Box<(Loc, Loc)>>,
}

impl Fail {
    pub(super) fn new(stop: Stop, message: impl Into<String>, loc: Loc) -> Fail {
        Fail {
            stop,
            message: message.into(),
            loc,
            alias: None,
        }
    }

    pub(super) fn syntax(message: impl Into<String>, loc: Loc) -> Fail {
        Fail::new(Stop::Syntax, message, loc)
    }

    pub(super) fn limit(breach: Breach, loc: Loc) -> Fail {
        let stop = if matches!(breach, Breach::Documents(_)) {
            Stop::Document
        } else {
            Stop::Limit
        };
        Fail::new(stop, format!("budget breached: {}", breach.describe()), loc)
    }

    pub(super) fn scan(err: &ScanError) -> Fail {
        let loc = Loc::at(err.marker());
        let message = match err.kind() {
            ErrorKind::UnknownAnchor => "alias references unknown anchor".to_owned(),
            _ => err.info().to_owned(),
        };
        Fail::syntax(message, loc)
    }

    pub(super) fn diagnostic(self, file: &SourceFile, id: FileId) -> Diagnostic {
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
pub(super) fn sanitize(text: &str) -> Cow<'_, str> {
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

pub(super) fn second_document(span: Span) -> Diagnostic {
    Diagnostic::new(Rule::YamlSyntax, "the file holds more than one YAML document")
        .primary(span, "a second document starts here")
        .help("a catalog file is one YAML document: remove the `---` separator, or move the second catalog to a file of its own")
}

pub(super) fn too_complex(message: &str, span: Span) -> Diagnostic {
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

pub(super) fn recursive(loc: Loc) -> Fail {
    Fail::syntax("recursive references require weak recursion types", loc)
}

/// An error met while reading a node an alias replays is reported at the alias
/// (where the user wrote it), unless it is there already.
pub(super) fn wrap_alias(mut fail: Fail, alias: Option<Loc>, defined: Loc) -> Fail {
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

pub(super) fn not_mergeable(loc: Loc) -> Fail {
    Fail::syntax(
        "YAML merge value must be mapping or sequence of mappings",
        loc,
    )
}

pub(super) fn eof(loc: Loc) -> Fail {
    Fail::syntax("unexpected end of input", loc)
}
