//! errspec.toml's keys, walked one by one in the file's order so that every
//! problem of the file is reported in one run, each with its key's own fix
//! (a serde struct stops at the first unknown key and knows no key's example).

use errspec::{Diagnostic, Rule};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::{FILE_NAME, KEYS, Reading, key_list};

/// A target's settings as written: each key with its string (or boolean) value.
pub(super) type TargetTable = (Spanned<String>, Vec<(Spanned<String>, Spanned<String>)>);

/// The values the file sets with the right type, each at its place; a key
/// absent or of the wrong type is `None` (its problem is recorded).
#[derive(Default)]
pub(super) struct Raw {
    pub(super) registry: Option<Spanned<String>>,
    pub(super) out: Option<Spanned<String>>,
    pub(super) templates: Option<Spanned<String>>,
    pub(super) regenerate: Option<Spanned<String>>,
    pub(super) targets: Option<Spanned<Vec<Spanned<String>>>>,
    /// The `[target.NAME]` tables, in the file's order.
    pub(super) target: Vec<TargetTable>,
}

/// What `targets` is, for a value of the wrong type.
const TARGETS_HELP: &str =
    "`targets` is a list of target ids, e.g. `targets = [\"typescript\", \"markdown\"]`";

/// A table's entries in the file's order (the map's own order is by key).
fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

impl Reading<'_> {
    /// Every top-level key: the values of known ones, a problem for each
    /// unknown key or value of the wrong type.
    pub(super) fn walk(&mut self, document: &DeTable<'_>) -> Raw {
        let mut raw = Raw::default();
        for (key, value) in in_file_order(document) {
            match key.get_ref().as_ref() {
                "registry" => raw.registry = self.string(key, value, "the path of a catalog .yaml file or of a directory of them, relative to errspec.toml, e.g. `registry = \"errors\"`"),
                "out" => raw.out = self.string(key, value, "the directory the generated files go to, relative to errspec.toml, e.g. `out = \"generated\"`"),
                "templates" => raw.templates = self.string(key, value, "a directory of target folders and .hbs templates, relative to errspec.toml, e.g. `templates = \"templates\"`"),
                "regenerate" => raw.regenerate = self.string(key, value, "the command the generated files' headers name, on one line, e.g. `regenerate = \"cargo run -p codegen\"`"),
                "targets" => raw.targets = self.target_list(key, value),
                "target" => raw.target = self.target_tables(value),
                "platform" => self.old_platform_table(value.span()),
                _ => self.unknown_key(key),
            }
        }
        raw
    }

    /// A string key's value; else a problem whose fix says what `key` is (`what`).
    fn string(
        &mut self,
        key: &Spanned<DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
        what: &str,
    ) -> Option<Spanned<String>> {
        if let DeValue::String(s) = value.get_ref() {
            return Some(Spanned::new(value.span(), s.to_string()));
        }
        let key = key.get_ref();
        let help = format!("`{key}` is a quoted string: {what}");
        self.wrong_type(&format!("`{key}`"), "a string", value, help);
        None
    }

    /// A value of the wrong type: `{what} is not {expected} but of type ...`.
    fn wrong_type(
        &mut self,
        what: &str,
        expected: &str,
        value: &Spanned<DeValue<'_>>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::new(
            Rule::WrongType,
            format!(
                "{FILE_NAME}: {what} is not {expected} but of type {}",
                value.get_ref().type_str()
            ),
        )
        .primary(self.at(value.span()), "this value")
        .help(help);
        self.problems.push(d);
    }

    /// `targets = [...]`: a list of strings; `[targets.NAME]`, a misspelt `[target.NAME]`.
    fn target_list(
        &mut self,
        key: &Spanned<DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Spanned<Vec<Spanned<String>>>> {
        let items = match value.get_ref() {
            DeValue::Array(items) => items,
            DeValue::Table(table) => {
                self.targets_table(key, table);
                return None;
            }
            _ => {
                self.wrong_type("`targets`", "a list", value, TARGETS_HELP);
                return None;
            }
        };
        let mut names = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => names.push(Spanned::new(item.span(), s.to_string())),
                _ => self.wrong_type("an item of `targets`", "a string", item, TARGETS_HELP),
            }
        }
        (names.len() == items.len()).then(|| Spanned::new(value.span(), names))
    }

    /// `[targets.rust]`: the settings table is `[target.NAME]`.
    fn targets_table(&mut self, key: &Spanned<DeString<'_>>, table: &DeTable<'_>) {
        let name = in_file_order(table)
            .first()
            .map_or("NAME".to_owned(), |(k, _)| k.get_ref().to_string());
        let d = Diagnostic::new(
            Rule::UnknownField,
            format!("{FILE_NAME}: `[targets.{name}]` is not a table errspec.toml knows"),
        )
        .primary(self.at(key.span()), "`targets` is the list of targets to render")
        .help(format!(
            "did you mean `[target.{name}]`? `[target.NAME]` tables hold a target's settings; {TARGETS_HELP}"
        ));
        self.problems.push(d);
    }

    /// `[target.NAME]` tables: each target's settings of the right type.
    fn target_tables(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<TargetTable> {
        let DeValue::Table(tables) = value.get_ref() else {
            self.wrong_type("`target`", "a table", value, "`target` holds one table per target: write `[target.kotlin]` on its own line and its settings under it, e.g. `package = \"com.example.errors\"`");
            return Vec::new();
        };
        let mut targets = Vec::new();
        for (name, table) in in_file_order(tables) {
            let name = Spanned::new(name.span(), name.get_ref().to_string());
            let DeValue::Table(keys) = table.get_ref() else {
                let help = format!(
                    "write `[target.{}]` on its own line and its settings under it, e.g. `platform = \"canonical\"`",
                    name.get_ref()
                );
                self.wrong_type(
                    &format!("`target.{}`", name.get_ref()),
                    "a table",
                    table,
                    help,
                );
                continue;
            };
            let mut settings = Vec::new();
            for (key, value) in in_file_order(keys) {
                let key = Spanned::new(key.span(), key.get_ref().to_string());
                if let Some(value) = self.setting_text(&name, &key, value) {
                    settings.push((key, value));
                }
            }
            targets.push((name, settings));
        }
        targets
    }

    /// An unknown top-level key, as the registry's unknown fields are
    /// reported: the key, the nearest known one, and every key the file knows.
    fn unknown_key(&mut self, key: &Spanned<DeString<'_>>) {
        let name = key.get_ref();
        let near = errspec::suggest::did_you_mean(name, &KEYS).map(|k| match k {
            "target" => "[target.NAME]".to_owned(),
            k => k.to_owned(),
        });
        let help = match near {
            Some(k) => format!("did you mean `{k}`? {FILE_NAME} knows {}", key_list()),
            None => format!("remove or rename the key: {FILE_NAME} knows {}", key_list()),
        };
        let d = Diagnostic::new(
            Rule::UnknownField,
            format!("{FILE_NAME}: unknown key `{name}`"),
        )
        .primary(self.at(key.span()), "not a key of errspec.toml")
        .help(help);
        self.problems.push(d);
    }
}
