//! The imported catalog as registry YAML: the header, then every entry with
//! what the inputs say (code, name, message, platforms, overrides) and nothing
//! else: no `trigger`, no `retry`, which a table cannot know.

use std::fmt::Write;

use errspec::NamingStyle;

use super::merge::Entry;

/// The catalog header: given by flags or derived (and printed) by the command.
#[derive(Clone, Debug)]
pub struct Header {
    pub name: String,
    pub title: String,
    pub naming: NamingStyle,
    /// (id, title) in the order given.
    pub platforms: Vec<(String, String)>,
    pub categories: Vec<Category>,
    /// (platform id, the input as the user named it), for the file's comment.
    pub sources: Vec<(String, String)>,
}

/// A category: a range of codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub title: String,
    pub from: u32,
    pub to: u32,
}

/// The registry file's text.
pub fn render(header: &Header, entries: &[Entry]) -> String {
    let mut y = String::from("# Imported by `errspec import` from:\n");
    for (id, path) in &header.sources {
        let _ = writeln!(y, "#   {id}: {}", path.replace('\n', " "));
    }
    y.push_str(
        "# The tables do not say when each error fires or whether to retry it:\n\
         # add `trigger` and `retry` to the entries you know (docs/import.md).\n",
    );
    catalog(&mut y, header);
    y.push_str("errors:\n");
    for e in entries {
        entry(&mut y, e);
    }
    y
}

fn catalog(y: &mut String, h: &Header) {
    let _ = writeln!(y, "catalog:\n  name: {}", scalar(&h.name));
    let _ = writeln!(y, "  title: {}", quoted(&h.title));
    if h.naming != NamingStyle::ScreamingSnakeCase {
        let _ = writeln!(y, "  naming: {}", h.naming.as_str());
    }
    if !h.platforms.is_empty() {
        y.push_str("  platforms:\n");
        for (id, title) in &h.platforms {
            let _ = writeln!(y, "    {}:\n      title: {}", scalar(id), quoted(title));
        }
    }
    if !h.categories.is_empty() {
        y.push_str("  categories:\n");
        for c in &h.categories {
            let _ = writeln!(
                y,
                "    {}:\n      title: {}\n      codes: {{ from: {}, to: {} }}",
                scalar(&c.id),
                quoted(&c.title),
                c.from,
                c.to
            );
        }
    }
}

fn entry(y: &mut String, e: &Entry) {
    let _ = writeln!(y, "  - code: {}", e.code);
    let _ = writeln!(y, "    name: {}", scalar(&e.name));
    let _ = writeln!(y, "    message: {}", quoted(&e.message));
    if let Some(list) = &e.platforms {
        let list: Vec<String> = list.iter().map(|p| scalar(p)).collect();
        let _ = writeln!(y, "    platforms: [{}]", list.join(", "));
    }
    if !e.overrides.is_empty() {
        y.push_str("    overrides:\n");
        for o in &e.overrides {
            let _ = writeln!(y, "      {}:", scalar(&o.platform));
            if let Some(name) = &o.name {
                let _ = writeln!(y, "        name: {}", scalar(name));
            }
            if let Some(message) = &o.message {
                let _ = writeln!(y, "        message: {}", quoted(message));
            }
        }
    }
}

/// Words YAML reads as something other than text when plain.
const YAML_WORDS: &[&str] = &["null", "true", "false", "yes", "no", "on", "off", "y", "n"];

/// An identifier plain (`INVALID_API_KEY`), anything else double-quoted.
fn scalar(s: &str) -> String {
    let mut chars = s.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !YAML_WORDS.contains(&s.to_ascii_lowercase().as_str());
    if plain { s.to_owned() } else { quoted(s) }
}

/// A double-quoted YAML scalar: JSON's string syntax is one (its escapes are YAML's).
fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_and_texts_quoted() {
        assert_eq!(scalar("INVALID_API_KEY"), "INVALID_API_KEY");
        assert_eq!(scalar("NO"), "\"NO\"");
        assert_eq!(scalar("4xx"), "\"4xx\"");
        assert_eq!(quoted("`a`: \"b\" \\"), r#""`a`: \"b\" \\""#);
    }
}
