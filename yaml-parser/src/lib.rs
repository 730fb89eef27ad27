//! granit-parser's event parser over a `&str`, behind one non-generic type.
//!
//! granit-parser's `Parser` is generic over its input, so its scanner and
//! parser are compiled in whichever crate first names a concrete input. Naming
//! it here, in a crate of its own, compiles that code once beside `errspec`
//! rather than inside it: in the cold build of a crate using `catalog!`,
//! `errspec` (the longest step left on the way to the macro) starts as soon as
//! this small crate's metadata is out and has less to compile. errspec's
//! reader (`spec/src/yaml.rs`) is the only user; nothing here interprets YAML.

pub use granit_parser::{ErrorKind, Event, Marker, Options, ScalarStyle, ScanError, Span, Tag};

/// The events of one YAML text, as granit-parser reads them.
pub struct Parser<'a>(granit_parser::Parser<'a, granit_parser::StrInput<'a>>);

impl<'a> Parser<'a> {
    /// A parser of `text` with `options`.
    pub fn new(text: &'a str, options: Options) -> Self {
        Parser(granit_parser::Parser::with_options(
            granit_parser::StrInput::new(text),
            options,
        ))
    }

    /// The next event and its span; `None` after the stream's end or an error.
    // Not inlined: callers link to this crate's copy of the parser.
    #[inline(never)]
    pub fn next_event(&mut self) -> Option<Result<(Event<'a>, Span), ScanError>> {
        self.0.next_event()
    }
}
