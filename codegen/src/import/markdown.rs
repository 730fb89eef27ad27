//! Markdown input: the rows of every table whose header names a name, a code
//! and a message column (the seed pages' `Constant`/`Error Name`, `Code`,
//! `Message`), each cell with its place. A message cell is kept as Markdown
//! (the registry's messages are), only the table's `\|` read as `|`.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::problem::{Cell, Column, Place, Problem, RawRow, Read};

/// One table as pulldown-cmark delimits it: its header cells and rows of cells,
/// each cell the byte range of its source.
#[derive(Default)]
struct Table {
    start: usize,
    header: Vec<Range<usize>>,
    rows: Vec<(usize, Vec<Range<usize>>)>,
}

/// Reads every matching table of `text`.
pub fn read(text: &str) -> Read {
    let (tables, title) = tables(text);
    let mut read = Read {
        title,
        ..Read::default()
    };
    let mut nearest: Option<(usize, Vec<&str>)> = None;
    for table in &tables {
        match columns(text, table) {
            Ok(cols) => read.rows.extend(rows(text, table, &cols)),
            Err(missing) => {
                if nearest.is_none() {
                    nearest = Some((table.start, missing));
                }
            }
        }
    }
    if read.rows.is_empty() && !tables.iter().any(|t| columns(text, t).is_ok()) {
        read.problems.push(match nearest {
            Some((at, missing)) => Problem::new(
                Place::of_offset(text, at),
                format!(
                    "this table has no {} column, and no other table has all three",
                    missing.join(" or ")
                ),
                Column::HEADERS_HELP,
            ),
            None => Problem::new(
                Place::START,
                "no Markdown table found (a header row, a `| --- |` delimiter row, then rows)",
                format!(
                    "give the file a table of the errors: {}",
                    Column::HEADERS_HELP
                ),
            ),
        });
    }
    read
}

/// The tables of `text` and its first `# heading`.
fn tables(text: &str) -> (Vec<Table>, Option<String>) {
    let mut tables = Vec::new();
    let mut title: Option<String> = None;
    let mut in_title = false;
    let mut table: Option<Table> = None;
    let mut in_head = false;
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if title.is_none() => {
                in_title = true;
                title = Some(String::new());
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => in_title = false,
            Event::Text(t) | Event::Code(t) if in_title => {
                if let Some(title) = &mut title {
                    title.push_str(&t);
                }
            }
            Event::Start(Tag::Table(_)) => {
                table = Some(Table {
                    start: range.start,
                    ..Table::default()
                });
            }
            Event::End(TagEnd::Table) => tables.extend(table.take()),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => {
                if let Some(t) = &mut table {
                    t.rows.push((range.start, Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(t) = &mut table {
                    match (in_head, t.rows.last_mut()) {
                        (true, _) => t.header.push(range),
                        (false, Some((_, cells))) => cells.push(range),
                        (false, None) => {}
                    }
                }
            }
            _ => {}
        }
    }
    (
        tables,
        title.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
    )
}

/// The index of each column in `table`'s header, or the columns it lacks.
fn columns<'t>(text: &str, table: &Table) -> Result<[usize; 3], Vec<&'t str>> {
    let find = |want: Column| {
        table
            .header
            .iter()
            .position(|r| Column::of_header(text[r.clone()].trim()) == Some(want))
    };
    match (
        find(Column::Name),
        find(Column::Code),
        find(Column::Message),
    ) {
        (Some(n), Some(c), Some(m)) => Ok([n, c, m]),
        (n, c, m) => Err([(n, "name"), (c, "code"), (m, "message")]
            .into_iter()
            .filter(|(i, _)| i.is_none())
            .map(|(_, what)| what)
            .collect()),
    }
}

/// The rows of `table`, its cells read at the columns `[name, code, message]`.
fn rows(text: &str, table: &Table, [name, code, message]: &[usize; 3]) -> Vec<RawRow> {
    table
        .rows
        .iter()
        .map(|(start, cells)| {
            let cell = |i: usize, read: fn(&str) -> String| {
                cells.get(i).and_then(|r| {
                    let raw = &text[r.clone()];
                    let trimmed = raw.trim();
                    let lead = raw.len() - raw.trim_start().len();
                    (!trimmed.is_empty()).then(|| Cell {
                        text: read(trimmed),
                        place: Place::of_offset(text, r.start + lead),
                    })
                })
            };
            RawRow {
                place: Place::of_offset(text, *start),
                name: cell(*name, plain),
                code: cell(*code, plain),
                message: cell(*message, |m| m.replace("\\|", "|")),
            }
        })
        .collect()
}

/// A name or code cell as text: emphasis and code-span marks around it taken
/// off (`**INVALID_API_KEY**`), backslash escapes read (`INVALID\_API\_KEY`).
pub fn plain(cell: &str) -> String {
    let mut s = cell.trim();
    loop {
        let inner = ["**", "__", "`", "*"]
            .iter()
            .find_map(|m| s.strip_prefix(m).and_then(|r| r.strip_suffix(m)));
        match inner {
            Some(inner) if !inner.is_empty() => s = inner.trim(),
            _ => break,
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(next)) if next.is_ascii_punctuation() => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Errors - Web\n\nIntro.\n\n| Constant | Code | Message |\n| --- | --- | --- |\n| **A_B** | 4001 | `x` is \\| bad |\n| C\\_D | 4002 |\n";

    #[test]
    fn reads_the_cells_at_their_places() {
        let read = read(PAGE);
        assert_eq!(read.problems, vec![]);
        assert_eq!(read.title.as_deref(), Some("Errors - Web"));
        let r = &read.rows[0];
        assert_eq!(r.place, Place { line: 7, column: 1 });
        let name = r.name.as_ref().expect("a name");
        assert_eq!(
            (name.text.as_str(), name.place),
            ("A_B", Place { line: 7, column: 3 })
        );
        assert_eq!(r.code.as_ref().map(|c| c.text.as_str()), Some("4001"));
        assert_eq!(
            r.message.as_ref().map(|c| c.text.as_str()),
            Some("`x` is | bad")
        );
        let r = &read.rows[1];
        assert_eq!(r.name.as_ref().map(|c| c.text.as_str()), Some("C_D"));
        assert_eq!(r.message, None);
    }

    #[test]
    fn a_file_without_the_table_is_one_problem() {
        let other = read("# Nothing\n\n| Name | Since |\n| - | - |\n| A | 1 |\n");
        assert_eq!(other.rows, vec![]);
        assert_eq!(other.problems.len(), 1);
        assert_eq!(other.problems[0].place, Place { line: 3, column: 1 });
        assert!(other.problems[0].what.contains("code or message"));
        assert_eq!(read("no table").problems[0].place, Place::START);
    }
}
