//! The rows of one input file judged, whatever its format: each has a numeric
//! code, a name in the registry's naming and a one-line message, and a code
//! or a name is used once in the file. Every problem of the file is collected.

use std::collections::HashMap;

use errspec::NamingStyle;

use super::problem::{Cell, Place, Problem, RawRow};

/// One error of one platform's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub code: u32,
    pub code_place: Place,
    pub name: Cell,
    pub message: Cell,
}

/// The rows of a file, each once, in file order; or every problem found.
pub fn judge(raw: Vec<RawRow>, naming: NamingStyle) -> (Vec<Row>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut by_code: HashMap<u32, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for r in raw {
        let Some(row) = row(r, naming, &mut problems) else {
            continue;
        };
        if let Some(&i) = by_code.get(&row.code) {
            if let Some(p) = twice(&rows[i], &row) {
                problems.push(p);
            }
            continue;
        }
        if let Some(&i) = by_name.get(&row.name.text) {
            let first = &rows[i];
            problems.push(Problem::new(
                row.name.place,
                format!(
                    "`{}` names code {} here and code {} at line {}",
                    row.name.text, row.code, first.code, first.name.place.line
                ),
                "a name means one error: rename one of them",
            ));
            continue;
        }
        by_code.insert(row.code, rows.len());
        by_name.insert(row.name.text.clone(), rows.len());
        rows.push(row);
    }
    (rows, problems)
}

/// The same code a second time: nothing when the row is the same, else a problem.
fn twice(first: &Row, again: &Row) -> Option<Problem> {
    let differs = if first.name.text != again.name.text {
        format!(
            "named `{}` here and `{}` at line {}",
            again.name.text, first.name.text, first.name.place.line
        )
    } else if first.message.text != again.message.text {
        format!(
            "with another message than at line {}",
            first.message.place.line
        )
    } else {
        return None;
    };
    Some(Problem::new(
        again.code_place,
        format!("code {} is in this file twice, {differs}", again.code),
        "keep one row per code: remove the row that is wrong",
    ))
}

/// One row's values judged; `None` (its problems pushed) when one is missing or wrong.
fn row(r: RawRow, naming: NamingStyle, problems: &mut Vec<Problem>) -> Option<Row> {
    let before = problems.len();
    let code = match &r.code {
        None => {
            problems.push(Problem::new(
                r.place,
                "this row has no code",
                "write the error's numeric code in the code column",
            ));
            None
        }
        Some(c) => code(c, problems),
    };
    match &r.name {
        None => problems.push(Problem::new(
            r.place,
            "this row has no name",
            "write the error's constant name in the name column",
        )),
        Some(n) => name(n, naming, problems),
    }
    match &r.message {
        None => problems.push(Problem::new(
            r.place,
            "this row has no message",
            "write the message the error carries in the message column",
        )),
        Some(m) => message(m, problems),
    }
    if problems.len() > before {
        return None;
    }
    Some(Row {
        code: code?,
        code_place: r.code?.place,
        name: r.name?,
        message: r.message?,
    })
}

fn code(cell: &Cell, problems: &mut Vec<Problem>) -> Option<u32> {
    let parsed = cell
        .text
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| cell.text.parse::<u32>().ok())
        .flatten();
    if parsed.is_none() {
        problems.push(Problem::new(
            cell.place,
            format!(
                "`{}` is not a code: a code is a whole number from 0 to {}",
                cell.text,
                u32::MAX
            ),
            "write the code in digits only, e.g. `4001`",
        ));
    }
    parsed
}

fn name(cell: &Cell, naming: NamingStyle, problems: &mut Vec<Problem>) {
    if naming.accepts(&cell.text) {
        return;
    }
    let other = NamingStyle::ALL
        .into_iter()
        .find(|s| *s != naming && s.accepts(&cell.text));
    let help = match other {
        Some(style) => format!(
            "rename it, or pass `--naming {}` if the catalog's names are spelled so",
            style.as_str()
        ),
        None => format!(
            "rename it in {}, e.g. `{}`",
            naming.as_str(),
            example(naming)
        ),
    };
    problems.push(Problem::new(
        cell.place,
        format!("`{}` is not a name in {}", cell.text, naming.as_str()),
        help,
    ));
}

fn example(naming: NamingStyle) -> &'static str {
    match naming {
        NamingStyle::ScreamingSnakeCase => "INVALID_API_KEY",
        NamingStyle::UpperCamelCase => "InvalidApiKey",
    }
}

fn message(cell: &Cell, problems: &mut Vec<Problem>) {
    if cell.text.contains(['\n', '\r']) {
        problems.push(Problem::new(
            cell.place,
            "this message spans lines",
            "keep a message to one line (the registry's `trigger` may span lines: add it after the import)",
        ));
    } else if let Some(c) = cell.text.chars().find(|c| c.is_control() && *c != '\t') {
        problems.push(Problem::new(
            cell.place,
            format!(
                "this message holds the control character U+{:04X}",
                u32::from(c)
            ),
            "remove it from the message",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(line: usize, name: &str, code: &str, message: &str) -> RawRow {
        let cell = |text: &str, column| {
            (!text.is_empty()).then(|| Cell {
                text: text.to_owned(),
                place: Place { line, column },
            })
        };
        RawRow {
            place: Place { line, column: 1 },
            name: cell(name, 3),
            code: cell(code, 10),
            message: cell(message, 20),
        }
    }

    #[test]
    fn every_problem_of_a_file_is_found() {
        let (rows, problems) = judge(
            vec![
                raw(1, "A", "1", "m"),
                raw(2, "A", "1", "m"),
                raw(3, "B", "1", "m"),
                raw(4, "a", "x", ""),
                raw(5, "A", "2", "m"),
                raw(6, "C", "", "m"),
            ],
            NamingStyle::ScreamingSnakeCase,
        );
        assert_eq!(rows.len(), 1, "the repeated identical row is one");
        let lines: Vec<(usize, usize)> = problems
            .iter()
            .map(|p| (p.place.line, p.place.column))
            .collect();
        assert_eq!(lines, [(3, 10), (4, 10), (4, 3), (4, 1), (5, 3), (6, 1)]);
        assert!(
            problems[0]
                .what
                .contains("named `B` here and `A` at line 1")
        );
        assert!(
            problems[4]
                .what
                .contains("`A` names code 2 here and code 1")
        );
    }
}
