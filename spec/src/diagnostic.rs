//! Diagnostics: what is wrong, where (`path:line:column` plus an excerpt), and how to fix it.
//!
//! Rendering is rustc-like and plain text unless colour is asked for, so that
//! snapshots and `compile_error!` messages are stable.

use std::fmt::{self, Write as _};

use crate::source::{SourceMap, Span};

/// Every rule the loader and validator enforce. The id is printed as `error[id]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// The file or directory could not be read.
    Io,
    /// A directory registry holds no `.yaml`/`.yml` file.
    NoCatalogs,
    /// The file is empty or holds only comments.
    EmptyFile,
    /// The file is not UTF-8.
    NotUtf8,
    /// The YAML itself does not parse.
    YamlSyntax,
    /// A mapping has the same key twice.
    DuplicateKey,
    /// Too deep, too many nodes, or an alias expanding without bound.
    YamlTooComplex,
    /// The document (or a part of it) is not a mapping where one is required.
    NotAMapping,
    UnknownField,
    MissingField,
    EmptyField,
    WrongType,
    /// A catalog or platform or category id is not snake_case.
    InvalidId,
    DuplicateCode,
    DuplicateName,
    IdentifierCollision,
    NamingStyle,
    CodeOutOfRange,
    OverlappingCategories,
    InvalidCategoryRange,
    UnknownCategory,
    UnknownPlatform,
    ControlCharacter,
    MultiLineText,
    InvalidDuration,
    /// A delay is longer than [`crate::model::MAX_DURATION`] (one year).
    DurationTooLong,
    InvalidRetry,
    MissingCode,
    CodeInNameKeyedCatalog,
    DuplicateCatalog,
    /// Two catalogs whose names become one identifier in a target language (`a_1`, `a1`).
    CatalogIdentifierCollision,
    InvalidUrl,
    UnavailablePlatformOverride,
    /// A `{` without its `}` (or a `}` without its `{`) in a message with parameters.
    UnbalancedBrace,
    /// `{}` in a message with parameters.
    EmptyPlaceholder,
    /// `{name}` where the entry declares no parameter `name`.
    UnknownPlaceholder,
    /// A declared parameter the message never uses.
    UnusedParam,
    /// A parameter name that is not snake_case or is a keyword in a target language.
    InvalidParamName,
    /// A parameter type outside the closed set (`string`, `int`, `bool`, `duration`).
    InvalidParamType,
    /// More parameters than a target being rendered can pass to one function
    /// (the JVM: 255 slots, so Kotlin's formatter).
    TooManyParams,
    /// A platform's message uses another set of parameters than the entry's.
    OverrideParamsDiffer,
    /// A live entry reuses a retired code or name.
    RetiredReused,
    /// A lock file does not parse.
    InvalidLock,
    /// A locked code (or name-keyed entry) is gone without being retired.
    LockedEntryRemoved,
    /// A locked name no longer resolves to its code (renamed without an alias).
    LockedNameChanged,
    /// A locked name now resolves to another code.
    LockedNameMoved,
    /// A locked code is live again after being retired.
    RetiredRevived,
    /// A lock exists for a catalog no file defines.
    LockedCatalogRemoved,
    /// A published parameter was removed, renamed, retyped, moved, or one was added.
    LockedParamChanged,
}

impl Rule {
    /// Every rule, in declaration order.
    pub const ALL: &'static [Rule] = &[
        Rule::Io,
        Rule::NoCatalogs,
        Rule::EmptyFile,
        Rule::NotUtf8,
        Rule::YamlSyntax,
        Rule::DuplicateKey,
        Rule::YamlTooComplex,
        Rule::NotAMapping,
        Rule::UnknownField,
        Rule::MissingField,
        Rule::EmptyField,
        Rule::WrongType,
        Rule::InvalidId,
        Rule::DuplicateCode,
        Rule::DuplicateName,
        Rule::IdentifierCollision,
        Rule::NamingStyle,
        Rule::CodeOutOfRange,
        Rule::OverlappingCategories,
        Rule::InvalidCategoryRange,
        Rule::UnknownCategory,
        Rule::UnknownPlatform,
        Rule::ControlCharacter,
        Rule::MultiLineText,
        Rule::InvalidDuration,
        Rule::DurationTooLong,
        Rule::InvalidRetry,
        Rule::MissingCode,
        Rule::CodeInNameKeyedCatalog,
        Rule::DuplicateCatalog,
        Rule::CatalogIdentifierCollision,
        Rule::InvalidUrl,
        Rule::UnavailablePlatformOverride,
        Rule::UnbalancedBrace,
        Rule::EmptyPlaceholder,
        Rule::UnknownPlaceholder,
        Rule::UnusedParam,
        Rule::InvalidParamName,
        Rule::InvalidParamType,
        Rule::TooManyParams,
        Rule::OverrideParamsDiffer,
        Rule::RetiredReused,
        Rule::InvalidLock,
        Rule::LockedEntryRemoved,
        Rule::LockedNameChanged,
        Rule::LockedNameMoved,
        Rule::RetiredRevived,
        Rule::LockedCatalogRemoved,
        Rule::LockedParamChanged,
    ];

    /// Stable kebab-case id, printed in `error[...]` and usable for search.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Io => "io",
            Rule::NoCatalogs => "no-catalogs",
            Rule::EmptyFile => "empty-file",
            Rule::NotUtf8 => "not-utf8",
            Rule::YamlSyntax => "yaml-syntax",
            Rule::DuplicateKey => "duplicate-key",
            Rule::YamlTooComplex => "yaml-too-complex",
            Rule::NotAMapping => "not-a-mapping",
            Rule::UnknownField => "unknown-field",
            Rule::MissingField => "missing-field",
            Rule::EmptyField => "empty-field",
            Rule::WrongType => "wrong-type",
            Rule::InvalidId => "invalid-id",
            Rule::DuplicateCode => "duplicate-code",
            Rule::DuplicateName => "duplicate-name",
            Rule::IdentifierCollision => "identifier-collision",
            Rule::NamingStyle => "naming-style",
            Rule::CodeOutOfRange => "code-out-of-range",
            Rule::OverlappingCategories => "overlapping-categories",
            Rule::InvalidCategoryRange => "invalid-category-range",
            Rule::UnknownCategory => "unknown-category",
            Rule::UnknownPlatform => "unknown-platform",
            Rule::ControlCharacter => "control-character",
            Rule::MultiLineText => "multi-line-text",
            Rule::InvalidDuration => "invalid-duration",
            Rule::DurationTooLong => "duration-too-long",
            Rule::InvalidRetry => "invalid-retry",
            Rule::MissingCode => "missing-code",
            Rule::CodeInNameKeyedCatalog => "code-in-name-keyed-catalog",
            Rule::DuplicateCatalog => "duplicate-catalog",
            Rule::CatalogIdentifierCollision => "catalog-identifier-collision",
            Rule::InvalidUrl => "invalid-url",
            Rule::UnavailablePlatformOverride => "unavailable-platform-override",
            Rule::UnbalancedBrace => "unbalanced-brace",
            Rule::EmptyPlaceholder => "empty-placeholder",
            Rule::UnknownPlaceholder => "unknown-placeholder",
            Rule::UnusedParam => "unused-param",
            Rule::InvalidParamName => "invalid-param-name",
            Rule::TooManyParams => "too-many-params",
            Rule::InvalidParamType => "invalid-param-type",
            Rule::OverrideParamsDiffer => "override-params-differ",
            Rule::RetiredReused => "retired-reused",
            Rule::InvalidLock => "invalid-lock",
            Rule::LockedEntryRemoved => "locked-entry-removed",
            Rule::LockedNameChanged => "locked-name-changed",
            Rule::LockedNameMoved => "locked-name-moved",
            Rule::RetiredRevived => "retired-revived",
            Rule::LockedCatalogRemoved => "locked-catalog-removed",
            Rule::LockedParamChanged => "locked-param-changed",
        }
    }
}

/// A place in a file with a short explanation. The primary label is the offending value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
    pub primary: bool,
}

/// One problem: a rule, a one-line message, labelled places, and how to fix it.
///
/// A diagnostic without labels names only a path (e.g. a directory that cannot be read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub message: String,
    pub labels: Vec<Label>,
    /// A path to name when there is no label (I/O problems).
    pub path: Option<std::path::PathBuf>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            message: message.into(),
            labels: Vec::new(),
            path: None,
            help: None,
            notes: Vec::new(),
        }
    }

    /// The offending place.
    pub fn primary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
            primary: true,
        });
        self
    }

    /// A related place (the first of two duplicates, a definition).
    pub fn secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
            primary: false,
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn at_path(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Where the diagnostic sorts: its primary label's file and offset.
    fn sort_key(&self) -> (Option<(crate::source::FileId, usize)>, Rule) {
        let at = self
            .labels
            .iter()
            .find(|l| l.primary)
            .map(|l| (l.span.file, l.span.start));
        (at, self.rule)
    }

    /// Renders this diagnostic in plain text (or with ANSI colours).
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.render_into(&mut out, sources, &Style::new(color));
        out
    }

    fn render_into(&self, out: &mut String, sources: &SourceMap, s: &Style) -> fmt::Result {
        writeln!(
            out,
            "{}error[{}]{}: {}{}",
            s.error,
            self.rule.id(),
            s.bold,
            self.message,
            s.reset
        )?;
        let width = self
            .labels
            .iter()
            .map(|l| {
                let file = sources.file(l.span.file);
                file.line_col(l.span.start).line.to_string().len()
            })
            .max()
            .unwrap_or(1);
        let pad = " ".repeat(width);
        if self.labels.is_empty()
            && let Some(path) = &self.path
        {
            writeln!(out, "{pad}{}-->{} {}", s.gutter, s.reset, path.display())?;
        }
        for (i, label) in self.labels.iter().enumerate() {
            let file = sources.file(label.span.file);
            let start = file.line_col(label.span.start);
            let arrow = if i == 0 { "-->" } else { ":::" };
            if i > 0 {
                writeln!(out, "{pad} {}|{}", s.gutter, s.reset)?;
            }
            writeln!(
                out,
                "{pad}{}{arrow}{} {}:{}:{}",
                s.gutter,
                s.reset,
                file.path().display(),
                start.line,
                start.column
            )?;
            writeln!(out, "{pad} {}|{}", s.gutter, s.reset)?;
            let line_text = file.line_text(start.line);
            let line_start = file.offset_of(start.line, 1);
            let at = label
                .span
                .start
                .clamp(line_start, line_start + line_text.len())
                - line_start;
            let at = floor_boundary(line_text, at);
            let excerpt = Excerpt::around(line_text, at);
            let shown: String = excerpt
                .text
                .chars()
                .map(|c| match c {
                    '\t' => ' ',
                    c if c.is_control() => '\u{FFFD}',
                    c => c,
                })
                .collect();
            let (lead, trail) = (
                if excerpt.cut_before { "..." } else { "" },
                if excerpt.cut_after { "..." } else { "" },
            );
            let shown = format!("{lead}{shown}{trail}");
            writeln!(
                out,
                "{}{:>width$} |{} {}",
                s.gutter,
                start.line,
                s.reset,
                shown.trim_end()
            )?;
            // Underline the span on its first line only, inside the excerpt;
            // at least one character.
            let line_end = file
                .offset_of(start.line + 1, 1)
                .min(label.span.end.max(label.span.start));
            let shown_end = line_start + excerpt.start + excerpt.text.len();
            let len = file.text()[label.span.start..line_end.min(shown_end).max(label.span.start)]
                .trim_end_matches(['\n', '\r'])
                .chars()
                .count()
                .max(1);
            let column = lead.len() + line_text[excerpt.start..at].chars().count();
            let (mark, color) = if label.primary {
                ('^', &s.error)
            } else {
                ('-', &s.secondary)
            };
            let underline: String = std::iter::repeat_n(mark, len).collect();
            let text = if label.text.is_empty() {
                String::new()
            } else {
                format!(" {}", label.text)
            };
            writeln!(
                out,
                "{pad} {}|{} {}{color}{underline}{text}{}",
                s.gutter,
                s.reset,
                " ".repeat(column),
                s.reset
            )?;
        }
        if self.help.is_some() || !self.notes.is_empty() {
            writeln!(out, "{pad} {}|{}", s.gutter, s.reset)?;
        }
        for note in &self.notes {
            writeln!(out, "{pad} {}={} note: {note}", s.gutter, s.reset)?;
        }
        if let Some(help) = &self.help {
            writeln!(out, "{pad} {}={} help: {help}", s.gutter, s.reset)?;
        }
        Ok(())
    }
}

/// The part of a source line an excerpt shows: a window around the span's
/// start, so that a 10 MB line gives a line of output, not 10 MB.
struct Excerpt<'a> {
    /// Byte offset of the window in the line.
    start: usize,
    text: &'a str,
    cut_before: bool,
    cut_after: bool,
}

impl<'a> Excerpt<'a> {
    /// Characters shown before the span's start, and in all (a longer line is cut).
    const BEFORE: usize = 40;
    const WIDTH: usize = 120;

    fn around(line: &'a str, at: usize) -> Self {
        // A line that fits is shown whole.
        if line.char_indices().nth(Self::WIDTH).is_none() {
            return Excerpt {
                start: 0,
                text: line,
                cut_before: false,
                cut_after: false,
            };
        }
        let start = line[..at]
            .char_indices()
            .rev()
            .nth(Self::BEFORE - 1)
            .map_or(0, |(i, _)| i);
        let rest = &line[start..];
        let end = start
            + rest
                .char_indices()
                .nth(Self::WIDTH)
                .map_or(rest.len(), |(i, _)| i);
        Excerpt {
            start,
            text: &line[start..end],
            cut_before: start > 0,
            cut_after: end < line.len(),
        }
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

struct Style {
    error: &'static str,
    secondary: &'static str,
    gutter: &'static str,
    bold: &'static str,
    reset: &'static str,
}

impl Style {
    fn new(color: bool) -> Self {
        if color {
            Style {
                error: "\x1b[1;31m",
                secondary: "\x1b[1;34m",
                gutter: "\x1b[1;34m",
                bold: "\x1b[0;1m",
                reset: "\x1b[0m",
            }
        } else {
            Style {
                error: "",
                secondary: "",
                gutter: "",
                bold: "",
                reset: "",
            }
        }
    }
}

/// Every problem found in one run, with the sources they point into.
#[derive(Debug)]
pub struct Diagnostics {
    pub sources: SourceMap,
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Orders diagnostics by file and position so output is deterministic.
    pub(crate) fn sorted(sources: SourceMap, mut list: Vec<Diagnostic>) -> Self {
        list.sort_by_key(|a| a.sort_key());
        Diagnostics { sources, list }
    }

    /// All diagnostics, separated by blank lines, then a summary line.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.list {
            out.push_str(&d.render(&self.sources, color));
            out.push('\n');
        }
        let n = self.list.len();
        let _ = writeln!(
            out,
            "error: the registry has {n} problem{}",
            if n == 1 { "" } else { "s" }
        );
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}
