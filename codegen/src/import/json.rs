//! JSON input: an array of objects with a name, a code and a message, or an
//! object keyed by code whose values have a name and a message (Flutter's
//! `VideoSDKErrors` map, `{"4001": {"name": ..., "message": ...}}`), possibly
//! the one value of an object (`{"VideoSDKErrors": {...}}`). Read by a small
//! parser of its own that keeps each value's place, for the problems.

use super::problem::{Cell, Column, Place, Problem, RawRow, Read};

/// A JSON value and where it starts.
#[derive(Debug)]
struct Node {
    value: Value,
    place: Place,
}

#[derive(Debug)]
enum Value {
    Null,
    Bool,
    /// As written: codes are compared as text, so `4001.0` is no code.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(Cell, Node)>),
}

/// Reads the rows of `text`.
pub fn read(text: &str) -> Read {
    let mut read = Read::default();
    let mut parser = Parser {
        text,
        at: 0,
        depth: 0,
    };
    let root = parser.document();
    match root {
        Ok(root) => rows(&root, &mut read),
        Err(problem) => read.problems.push(problem),
    }
    read
}

const SHAPE_HELP: &str = "write an array of objects with `name`, `code` and `message`, or an object keyed by code whose values have `name` and `message`";

fn rows(node: &Node, read: &mut Read) {
    match &node.value {
        Value::Array(items) => {
            for item in items {
                read.rows.extend(row(item, None, &mut read.problems));
            }
        }
        Value::Object(members) if members.len() == 1 && !is_code(&members[0].0.text) => {
            rows(&members[0].1, read);
        }
        Value::Object(members) => {
            for (key, item) in members {
                let code = Cell {
                    text: key.text.clone(),
                    place: key.place,
                };
                read.rows.extend(row(item, Some(code), &mut read.problems));
            }
        }
        _ => read.problems.push(Problem::new(
            node.place,
            "this JSON document is not a list of errors",
            SHAPE_HELP,
        )),
    }
}

fn is_code(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

/// One error object; `key` is its code where the document is keyed by code.
/// `None` (its problem pushed) when it is no object or a value has the wrong type.
fn row(node: &Node, key: Option<Cell>, problems: &mut Vec<Problem>) -> Option<RawRow> {
    let mut row = RawRow {
        place: node.place,
        name: None,
        code: None,
        message: None,
    };
    let Value::Object(members) = &node.value else {
        problems.push(Problem::new(
            node.place,
            "this error is not a JSON object",
            SHAPE_HELP,
        ));
        return None;
    };
    let before = problems.len();
    for (k, v) in members {
        let slot = match Column::of_header(&k.text) {
            Some(Column::Name) => &mut row.name,
            Some(Column::Code) => &mut row.code,
            Some(Column::Message) => &mut row.message,
            None => continue,
        };
        match &v.value {
            Value::String(s) | Value::Number(s) => {
                *slot = Some(Cell {
                    text: s.trim().to_owned(),
                    place: v.place,
                })
                .filter(|c| !c.text.is_empty());
            }
            Value::Null => {}
            _ => problems.push(Problem::new(
                v.place,
                format!("`{}` is not a text or a number", k.text),
                "write it as a string (a code may be a number)",
            )),
        }
    }
    match (key, &row.code) {
        (Some(key), Some(code)) if code.text != key.text => problems.push(Problem::new(
            code.place,
            format!(
                "this error's code {} is not its key {}",
                code.text, key.text
            ),
            "make the key and the `code` the same, or leave `code` out",
        )),
        (Some(key), None) => row.code = Some(key),
        _ => {}
    }
    (problems.len() == before).then_some(row)
}

/// Deeper than this is no error table: refused rather than recursed into.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn document(&mut self) -> Result<Node, Problem> {
        self.skip_space();
        if self.text[self.at..].starts_with('\u{feff}') {
            self.at += '\u{feff}'.len_utf8();
            self.skip_space();
        }
        let node = self.value()?;
        self.skip_space();
        if self.at < self.text.len() {
            return Err(self.problem("more text after the JSON value"));
        }
        Ok(node)
    }

    fn place(&self) -> Place {
        Place::of_offset(self.text, self.at)
    }

    fn problem(&self, what: &str) -> Problem {
        Problem::new(
            self.place(),
            format!("invalid JSON: {what}"),
            "fix the JSON syntax here (a validator such as `jq . FILE` shows the same place)",
        )
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn value(&mut self) -> Result<Node, Problem> {
        self.skip_space();
        let place = self.place();
        let value = match self.peek() {
            Some(b'{') | Some(b'[') if self.depth >= MAX_DEPTH => {
                return Err(self.problem("nested too deeply"));
            }
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.keyword()?,
        };
        Ok(Node { value, place })
    }

    fn keyword(&mut self) -> Result<Value, Problem> {
        for (word, value) in [
            ("true", Value::Bool),
            ("false", Value::Bool),
            ("null", Value::Null),
        ] {
            if self.text[self.at..].starts_with(word) {
                self.at += word.len();
                return Ok(value);
            }
        }
        Err(self.problem("expected a value"))
    }

    fn number(&mut self) -> Value {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.at += 1;
        }
        Value::Number(self.text[start..self.at].to_owned())
    }

    fn array(&mut self) -> Result<Value, Problem> {
        self.at += 1;
        self.depth += 1;
        let mut items = Vec::new();
        if !self.eat(b']') {
            loop {
                items.push(self.value()?);
                if self.eat(b']') {
                    break;
                }
                if !self.eat(b',') {
                    return Err(self.problem("expected `,` or `]`"));
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value, Problem> {
        self.at += 1;
        self.depth += 1;
        let mut members = Vec::new();
        if !self.eat(b'}') {
            loop {
                self.skip_space();
                let place = self.place();
                if self.peek() != Some(b'"') {
                    return Err(self.problem("expected a key in double quotes"));
                }
                let key = Cell {
                    text: self.string()?,
                    place,
                };
                if !self.eat(b':') {
                    return Err(self.problem("expected `:`"));
                }
                members.push((key, self.value()?));
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return Err(self.problem("expected `,` or `}`"));
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Object(members))
    }

    fn string(&mut self) -> Result<String, Problem> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.at..];
            let Some(c) = rest.chars().next() else {
                return Err(self.problem("this string has no closing `\"`"));
            };
            self.at += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => out.push(self.escape()?),
                c if u32::from(c) < 0x20 => {
                    self.at -= 1;
                    return Err(
                        self.problem("a control character in a string (write `\\n`, `\\t`...)")
                    );
                }
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, Problem> {
        let c = self
            .peek()
            .ok_or_else(|| self.problem("an unfinished escape"))?;
        self.at += 1;
        Ok(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xd800..0xdc00).contains(&high) && self.text[self.at..].starts_with("\\u") {
                    self.at += 2;
                    let low = self.hex4()?;
                    let joined =
                        0x10000 + ((high - 0xd800) << 10) + (low.wrapping_sub(0xdc00) & 0x3ff);
                    char::from_u32(joined)
                        .ok_or_else(|| self.problem("an invalid surrogate pair"))?
                } else {
                    char::from_u32(high).ok_or_else(|| self.problem("a lone surrogate"))?
                }
            }
            _ => return Err(self.problem("an unknown escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, Problem> {
        let digits = self.text.get(self.at..self.at + 4).unwrap_or("");
        let value = u32::from_str_radix(digits, 16)
            .ok()
            .filter(|_| digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.problem("expected four hex digits after `\\u`"))?;
        self.at += 4;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(read: &Read) -> Vec<(String, String, String)> {
        let t = |c: &Option<Cell>| c.as_ref().map_or(String::new(), |c| c.text.clone());
        read.rows
            .iter()
            .map(|r| (t(&r.name), t(&r.code), t(&r.message)))
            .collect()
    }

    #[test]
    fn reads_an_array_and_a_map_keyed_by_code() {
        let array = read(r#"[{"name": "A", "code": 4001, "message": "m \u00e9\"", "since": 2}]"#);
        assert_eq!(array.problems, vec![]);
        assert_eq!(texts(&array), [("A".into(), "4001".into(), "m é\"".into())]);
        let map =
            read("{\"VideoSDKErrors\": {\n  \"4001\": {\"name\": \"A\", \"message\": \"m\"}}}");
        assert_eq!(map.problems, vec![]);
        assert_eq!(texts(&map), [("A".into(), "4001".into(), "m".into())]);
        assert_eq!(
            map.rows[0].code.as_ref().map(|c| c.place),
            Some(Place { line: 2, column: 3 })
        );
    }

    #[test]
    fn a_syntax_error_is_at_its_place() {
        let bad = read("[\n  {\"name\": \"A\",}\n]");
        assert_eq!(
            bad.problems[0].place,
            Place {
                line: 2,
                column: 16
            }
        );
        let bad = read("{\"4001\": {\"code\": 4002, \"name\": \"A\", \"message\": \"m\"}}");
        assert!(bad.problems[0].what.contains("is not its key"));
    }
}
