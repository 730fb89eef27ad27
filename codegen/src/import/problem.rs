//! What can be wrong with an input of `errspec import`: each problem at its
//! `path:line:column`, saying what is wrong and how to fix it.

use std::fmt;
use std::path::PathBuf;

/// A place in an input file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

impl Place {
    /// The first character of a file: where a problem of the whole file is shown.
    pub const START: Place = Place { line: 1, column: 1 };

    /// The place of byte `offset` of `text` (clamped to its end and to a character).
    pub fn of_offset(text: &str, offset: usize) -> Place {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Place {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// One problem of one input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    /// What is wrong, one sentence.
    pub what: String,
    /// How to fix it.
    pub help: String,
}

impl Problem {
    pub fn new(place: Place, what: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            place,
            what: what.into(),
            help: help.into(),
        }
    }
}

/// Every problem of one input file, in the order of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblems {
    /// The path as the user gave it.
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

impl fmt::Display for FileProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(
                f,
                "error: {}\n  --> {}:{}:{}\n  = help: {}",
                p.what,
                self.path.display(),
                p.place.line,
                p.place.column,
                p.help
            )?;
        }
        Ok(())
    }
}

/// A text value of an input and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub place: Place,
}

/// One row as a format read it, before its values are judged: a column the
/// format could not find a value for is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    /// Where the row starts.
    pub place: Place,
    pub name: Option<Cell>,
    pub code: Option<Cell>,
    pub message: Option<Cell>,
}

/// What a format reader returns: the rows it found and the problems it met,
/// so that every problem of a file is reported in one run.
#[derive(Debug, Default)]
pub struct Read {
    pub rows: Vec<RawRow>,
    pub problems: Vec<Problem>,
    /// The document's own title, where the format has one (a Markdown `# heading`).
    pub title: Option<String>,
}

/// The words a header (or a key) may use for each column, compared without
/// case, spaces, `_` or `-`, and Markdown emphasis.
pub const NAME_HEADERS: &[&str] = &["name", "constant", "errorname", "constantname", "error"];
pub const CODE_HEADERS: &[&str] = &["code", "errorcode"];
pub const MESSAGE_HEADERS: &[&str] = &["message", "errormessage", "description"];

/// Which column a header names, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Code,
    Message,
}

impl Column {
    pub fn of_header(header: &str) -> Option<Column> {
        let key: String = header
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-' | '*' | '`'))
            .flat_map(char::to_lowercase)
            .collect();
        if NAME_HEADERS.contains(&key.as_str()) {
            Some(Column::Name)
        } else if CODE_HEADERS.contains(&key.as_str()) {
            Some(Column::Code)
        } else if MESSAGE_HEADERS.contains(&key.as_str()) {
            Some(Column::Message)
        } else {
            None
        }
    }

    /// The help line listing what a header may say.
    pub const HEADERS_HELP: &'static str = "name the columns `Constant` (or `Name`, `Error Name`), `Code` and `Message` (or `Description`), in any order and case";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_count_lines_and_characters() {
        let text = "ab\nçd|x";
        assert_eq!(Place::of_offset(text, 0), Place::START);
        assert_eq!(Place::of_offset(text, 3), Place { line: 2, column: 1 });
        // `ç` is two bytes, one column.
        assert_eq!(Place::of_offset(text, 6), Place { line: 2, column: 3 });
        assert_eq!(Place::of_offset(text, 99), Place { line: 2, column: 5 });
    }

    #[test]
    fn headers_are_read_without_case_or_emphasis() {
        assert_eq!(Column::of_header("**Error Name**"), Some(Column::Name));
        assert_eq!(Column::of_header("Constant"), Some(Column::Name));
        assert_eq!(Column::of_header("CODE"), Some(Column::Code));
        assert_eq!(Column::of_header("error_message"), Some(Column::Message));
        assert_eq!(Column::of_header("Since"), None);
    }
}
