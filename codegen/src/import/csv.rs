//! CSV input (RFC 4180: `,` between fields, `"` around a field that holds `,`,
//! `"` (doubled) or a line break): a header row, then one row per error; the
//! name, code and message columns found by their headers, in any order and case.

use super::problem::{Cell, Column, Place, Problem, RawRow, Read};

/// One record: its fields, each with its text and place.
type Record = Vec<Cell>;

/// Reads the rows of `text`.
pub fn read(text: &str) -> Read {
    let mut read = Read::default();
    let (records, problems) = records(text);
    read.problems = problems;
    let mut records = records.into_iter().filter(|r| !is_blank(r));
    let Some(header) = records.next() else {
        read.problems.push(Problem::new(
            Place::START,
            "the CSV file has no header row",
            format!("start it with a header row: {}", Column::HEADERS_HELP),
        ));
        return read;
    };
    let find = |want| {
        header
            .iter()
            .position(|c| Column::of_header(c.text.trim()) == Some(want))
    };
    let (Some(name), Some(code), Some(message)) = (
        find(Column::Name),
        find(Column::Code),
        find(Column::Message),
    ) else {
        read.problems.push(Problem::new(
            header.first().map_or(Place::START, |c| c.place),
            "the header row does not name a name, a code and a message column",
            Column::HEADERS_HELP,
        ));
        return read;
    };
    for record in records {
        let cell = |i: usize| {
            record
                .get(i)
                .filter(|c| !c.text.trim().is_empty())
                .map(|c| Cell {
                    text: c.text.trim().to_owned(),
                    place: c.place,
                })
        };
        read.rows.push(RawRow {
            place: record.first().map_or(Place::START, |c| c.place),
            name: cell(name),
            code: cell(code),
            message: cell(message),
        });
    }
    read
}

fn is_blank(record: &Record) -> bool {
    record.iter().all(|c| c.text.trim().is_empty())
}

/// The records of `text`, and an unterminated quote if there is one.
fn records(text: &str) -> (Vec<Record>, Vec<Problem>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut record = Record::new();
    let mut field = String::new();
    let mut place = Place::START;
    let mut at = Place::START;
    let mut quoted = false;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let here = at;
        at = if c == '\n' {
            Place {
                line: at.line + 1,
                column: 1,
            }
        } else {
            Place {
                column: at.column + 1,
                ..at
            }
        };
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
                at.column += 1;
            }
            '"' if in_quotes => in_quotes = false,
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            ',' if !in_quotes => {
                record.push(Cell {
                    text: std::mem::take(&mut field),
                    place,
                });
                place = at;
                quoted = false;
            }
            '\r' if !in_quotes && chars.peek() == Some(&'\n') => {}
            '\n' if !in_quotes => {
                record.push(Cell {
                    text: std::mem::take(&mut field),
                    place,
                });
                records.push(std::mem::take(&mut record));
                place = at;
                quoted = false;
            }
            _ => {
                if field.is_empty() && !quoted && c != ' ' {
                    place = here;
                }
                field.push(c);
            }
        }
    }
    if in_quotes {
        problems.push(Problem::new(
            place,
            "this quoted field has no closing `\"`",
            "close the quote; a `\"` inside a quoted field is written `\"\"`",
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(Cell { text: field, place });
        records.push(record);
    }
    (records, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_fields_at_their_places() {
        let read = read("Code,Name,Message\r\n4001,A_B,\"a, \"\"b\"\"\"\n\n4002,C,plain\n");
        assert_eq!(read.problems, vec![]);
        let r = &read.rows[0];
        assert_eq!(r.code.as_ref().map(|c| c.text.as_str()), Some("4001"));
        assert_eq!(
            r.message.as_ref().map(|c| (c.text.as_str(), c.place)),
            Some((
                "a, \"b\"",
                Place {
                    line: 2,
                    column: 10
                }
            ))
        );
        let r = &read.rows[1];
        assert_eq!(
            r.name.as_ref().map(|c| (c.text.as_str(), c.place)),
            Some(("C", Place { line: 4, column: 6 }))
        );
    }

    #[test]
    fn a_missing_column_and_an_open_quote_are_problems() {
        let missing = read("Code,Name\n1,A\n");
        assert!(missing.problems[0].what.contains("header row"));
        let open = read("Code,Name,Message\n1,A,\"open\n");
        assert_eq!(open.problems[0].place, Place { line: 2, column: 5 });
    }
}
