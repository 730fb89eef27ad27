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
    /// The text is not YAML: `invalid YAML: …` (the scanner's message, or ours).
    Syntax,
    /// Valid YAML that errspec does not read (a tag, `!include`, a recursive alias).
    Unsupported,
    /// A second document.
    Document,
    /// A budget or alias limit.
    Limit(Breach),
}

#[derive(Debug)]
pub(super) struct Fail {
    stop: Stop,
    message: String,
    /// How to fix it, when more is known than "fix the syntax".
    help: Option<&'static str>,
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
            help: None,
            loc,
            alias: None,
        }
    }

    pub(super) fn syntax(message: impl Into<String>, loc: Loc) -> Fail {
        Fail::new(Stop::Syntax, message, loc)
    }

    /// Valid YAML errspec does not read, and how to write it instead.
    pub(super) fn unsupported(message: impl Into<String>, help: &'static str, loc: Loc) -> Fail {
        Fail::new(Stop::Unsupported, message, loc).help(help)
    }

    pub(super) fn help(mut self, help: &'static str) -> Fail {
        self.help = Some(help);
        self
    }

    pub(super) fn limit(breach: Breach, loc: Loc) -> Fail {
        let stop = if matches!(breach, Breach::Documents(_)) {
            Stop::Document
        } else {
            Stop::Limit(breach)
        };
        Fail::new(stop, breach.describe(), loc)
    }

    pub(super) fn scan(err: &ScanError) -> Fail {
        let loc = Loc::at(err.marker());
        match err.kind() {
            ErrorKind::UnknownAnchor => unknown_anchor(loc),
            _ => Fail::syntax(err.info(), loc),
        }
    }

    pub(super) fn diagnostic(self, file: &SourceFile, id: FileId) -> Diagnostic {
        let text = sanitize(&self.message);
        // The position is printed by the diagnostic; a message never carries it.
        let message = text.split(" at line ").next().unwrap_or(&text).trim();
        let (at, inside) = match self.alias.as_deref() {
            // Reported at the alias the user wrote, with the place in the
            // node it repeats: the error's own, or where that node is defined.
            Some(&(reference, defined)) => {
                let own = self.loc != Loc::UNKNOWN && self.loc != reference;
                let (place, label) = if own {
                    (
                        self.loc,
                        "the problem is here, in the node the alias repeats",
                    )
                } else {
                    (defined, "the node the alias repeats is defined here")
                };
                (reference, (place != reference).then_some((place, label)))
            }
            None => (self.loc, None),
        };
        let span = at.span(file, id);
        let d = match self.stop {
            Stop::Document => return second_document(span),
            Stop::Limit(breach) => too_complex(breach, span),
            Stop::Syntax => Diagnostic::new(Rule::YamlSyntax, format!("invalid YAML: {message}"))
                .primary(span, "the YAML reader stopped here")
                .help(self.help.unwrap_or(
                    "fix the YAML syntax at this place (indentation, quoting, brackets)",
                )),
            Stop::Unsupported => Diagnostic::new(Rule::YamlSyntax, message)
                .primary(span, "not read by errspec")
                .help(self.help.unwrap_or("write the value as plain YAML")),
        };
        match inside {
            // A limit is the whole expansion's, not one place's in it.
            Some((place, label)) if !matches!(self.stop, Stop::Limit(_)) => {
                d.secondary(place.span(file, id), label)
            }
            _ => d,
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

pub(super) fn too_complex(breach: Breach, span: Span) -> Diagnostic {
    let what = match breach {
        Breach::Depth(_) => "nests deeper than 32 levels",
        Breach::Aliases(_)
        | Breach::Nodes(_)
        | Breach::AliasReplayRatio(..)
        | Breach::Replayed(_)
        | Breach::ReplayStack(_) => "expands its aliases into too many nodes (an alias bomb?)",
        _ => "is too large to load",
    };
    Diagnostic::new(Rule::YamlTooComplex, format!("the YAML document {what}"))
        .primary(span, "limit reached here")
        .note(format!("the YAML reader stopped at {}", breach.describe()))
        .help("a registry needs only a few levels of nesting and few aliases; write the values out")
}

pub(super) fn recursive(loc: Loc) -> Fail {
    Fail::unsupported(
        "this alias is inside the node its anchor names, so it would repeat itself forever",
        "an alias repeats a node that is complete before it: move the anchor, or write the value out",
        loc,
    )
}

pub(super) fn unknown_anchor(loc: Loc) -> Fail {
    Fail::syntax("this alias names no anchor defined before it", loc).help(
        "define the anchor (`&name`) on a value above this alias, or write the value out here",
    )
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
        "a merge key (`<<`) takes a mapping or a list of mappings",
        loc,
    )
    .help("merge a mapping, e.g. `<<: *defaults`, or a list of them: `<<: [*a, *b]`")
}

pub(super) fn eof(loc: Loc) -> Fail {
    Fail::syntax("the file ends inside a list or mapping", loc)
        .help("close every `[` and `{` that is still open")
}
