//! `errspec explain CODE|NAME`: one entry as a support engineer needs it.
//!
//! An entry is found by its code, its canonical name, a platform's name or an
//! alias; a retired code or name is found too, with when and why it went.

use errspec::{Catalog, Entry, Registry, Retired};
use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::export::EntryRecord;

/// What a query found.
#[derive(Clone, Copy, Debug)]
pub enum Found<'a> {
    Live {
        catalog: &'a Catalog,
        entry: &'a Entry,
        /// How the query matched: `code`, `canonical name`, `web name`, `alias`.
        by: Matched<'a>,
    },
    Retired {
        catalog: &'a Catalog,
        retired: &'a Retired,
        by: Matched<'a>,
    },
}

/// How a query matched an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matched<'a> {
    Code,
    Canonical,
    /// The name a platform gives it (an override).
    Platform(&'a str),
    Alias,
    /// One of a retired entry's names.
    RetiredName,
}

impl std::fmt::Display for Matched<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Matched::Code => f.write_str("code"),
            Matched::Canonical => f.write_str("canonical name"),
            Matched::Platform(p) => write!(f, "{p} name"),
            Matched::Alias => f.write_str("alias"),
            Matched::RetiredName => f.write_str("retired name"),
        }
    }
}

/// Every entry of the registry that `query` names, in catalog order. With
/// `platform`, only names that platform accepts (a catalog without the
/// platform: its canonical view), and only entries that exist there. Exact
/// matches first; when there are none, names are compared ignoring case.
pub fn find<'a>(registry: &'a Registry, query: &str, platform: Option<&str>) -> Vec<Found<'a>> {
    let query = query.trim();
    if let Ok(code) = query.parse::<u32>() {
        let mut found = Vec::new();
        for catalog in &registry.catalogs {
            let platform = platform_of(catalog, platform);
            for entry in &catalog.entries {
                if entry.code.as_ref().is_some_and(|c| c.value == code)
                    && entry.is_available_on(platform)
                {
                    found.push(Found::Live {
                        catalog,
                        entry,
                        by: Matched::Code,
                    });
                }
            }
            for retired in &catalog.retired {
                if retired.code.as_ref().is_some_and(|c| c.value == code) {
                    found.push(Found::Retired {
                        catalog,
                        retired,
                        by: Matched::Code,
                    });
                }
            }
        }
        return found;
    }
    let exact = by_name(registry, platform, |n| n == query);
    if !exact.is_empty() {
        return exact;
    }
    by_name(registry, platform, |n| n.eq_ignore_ascii_case(query))
}

/// The platform a catalog shows for `platform`: it, where the catalog declares it.
fn platform_of<'p>(catalog: &Catalog, platform: Option<&'p str>) -> Option<&'p str> {
    platform.filter(|p| catalog.view(p).is_some())
}

/// Every name an entry answers to, with how: on `platform` alone, or on every platform.
fn names<'a>(
    catalog: &'a Catalog,
    entry: &'a Entry,
    platform: Option<&str>,
) -> Vec<(&'a str, Matched<'a>)> {
    let mut out = Vec::new();
    match platform_of(catalog, platform) {
        Some(p) => {
            let name = entry.name_on(Some(p));
            if name.value != entry.name.value {
                let id = catalog
                    .platforms
                    .iter()
                    .find(|x| x.id.value == p)
                    .map_or("", |x| x.id.value.as_str());
                out.push((name.value.as_str(), Matched::Platform(id)));
            }
        }
        None if platform.is_none() => {
            for o in &entry.overrides {
                if let Some(name) = &o.name {
                    out.push((name.value.as_str(), Matched::Platform(&o.platform.value)));
                }
            }
        }
        None => {}
    }
    out.push((entry.name.value.as_str(), Matched::Canonical));
    out.extend(
        entry
            .aliases
            .iter()
            .map(|a| (a.value.as_str(), Matched::Alias)),
    );
    out
}

fn by_name<'a>(
    registry: &'a Registry,
    platform: Option<&str>,
    matches: impl Fn(&str) -> bool,
) -> Vec<Found<'a>> {
    let mut found = Vec::new();
    for catalog in &registry.catalogs {
        for entry in &catalog.entries {
            if !entry.is_available_on(platform_of(catalog, platform)) {
                continue;
            }
            if let Some((_, by)) = names(catalog, entry, platform)
                .into_iter()
                .find(|(n, _)| matches(n))
            {
                found.push(Found::Live { catalog, entry, by });
            }
        }
        for retired in &catalog.retired {
            if retired.names.iter().any(|n| matches(&n.value)) {
                found.push(Found::Retired {
                    catalog,
                    retired,
                    by: Matched::RetiredName,
                });
            }
        }
    }
    found
}

/// Up to three codes or names nearest `query`, for a query that found nothing:
/// codes by distance for a number, names by edit distance otherwise.
pub fn nearest(registry: &Registry, query: &str, platform: Option<&str>) -> Vec<String> {
    let query = query.trim();
    let mut scored: Vec<(u64, String)> = Vec::new();
    if let Ok(code) = query.parse::<u32>() {
        for catalog in &registry.catalogs {
            let on = platform_of(catalog, platform);
            for entry in catalog.entries.iter().filter(|e| e.is_available_on(on)) {
                if let Some(c) = &entry.code {
                    let name = &entry.name_on(on).value;
                    scored.push((
                        u64::from(c.value.abs_diff(code)),
                        format!("{} {name}", c.value),
                    ));
                }
            }
        }
    } else {
        let query = query.to_ascii_uppercase();
        for catalog in &registry.catalogs {
            let on = platform_of(catalog, platform);
            for entry in catalog.entries.iter().filter(|e| e.is_available_on(on)) {
                for (name, _) in names(catalog, entry, platform) {
                    scored.push((distance(&query, name), name.to_owned()));
                }
            }
            for retired in &catalog.retired {
                for name in &retired.names {
                    scored.push((distance(&query, &name.value), name.value.clone()));
                }
            }
        }
    }
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, s)| s).collect()
}

/// How far a name is from an (uppercased) query: its edit distance, or that of
/// its start when the query is a misspelt beginning (`MAX_PARTICPANT`).
fn distance(query: &str, name: &str) -> u64 {
    let name = name.to_ascii_uppercase();
    let whole = errspec::suggest::edit_distance(query, &name);
    let start: String = name.chars().take(query.chars().count()).collect();
    let prefix = errspec::suggest::edit_distance(query, &start) + 1;
    whole.min(prefix) as u64
}

/// The entry's code and canonical name, or its name alone (name-keyed catalogs).
fn heading(code: Option<u32>, name: &str, catalog: &Catalog) -> String {
    let key = match code {
        Some(c) => format!("{c} {name}"),
        None => name.to_owned(),
    };
    format!("{key}  ({}: {})", catalog.name.value, catalog.title.value)
}

/// A labelled line, later lines of the value indented under the first.
fn field(out: &mut String, label: &str, value: &str) {
    let pad = " ".repeat(14);
    let mut lines = value.lines().map(terminal_safe);
    let first = lines.next().unwrap_or_default();
    out.push_str(&format!("  {:<12}{first}\n", format!("{label}:")));
    for line in lines {
        out.push_str(&format!("{pad}{line}\n"));
    }
}

/// A line of registry text as a terminal should show it: control characters
/// (a carriage return would overwrite the line, an escape start a terminal
/// sequence) and bidirectional overrides written as escapes (`\r`,
/// `\u{1b}`); a tab stays.
fn terminal_safe(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => c.to_string(),
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                c.escape_default().to_string()
            }
            c => c.to_string(),
        })
        .collect()
}

/// The plain-text explanation of one match.
pub fn text(found: &Found<'_>, platform: Option<&str>) -> String {
    let mut out = String::new();
    match *found {
        Found::Live { catalog, entry, by } => {
            let on = platform_of(catalog, platform);
            let code = entry.code.as_ref().map(|c| c.value);
            out.push_str(&heading(code, &entry.name_on(on).value, catalog));
            out.push_str(&format!(", found by {by}\n"));
            let mut names = String::new();
            names.push_str(&format!("{:<10}{}", "canonical", entry.name.value));
            for p in &catalog.platforms {
                let id = p.id.value.as_str();
                if on.is_some_and(|o| o != id) {
                    continue;
                }
                let name = if entry.is_available_on(Some(id)) {
                    entry.name_on(Some(id)).value.clone()
                } else {
                    "(not on this platform)".to_owned()
                };
                names.push_str(&format!("\n{id:<10}{name}"));
            }
            field(&mut out, "names", &names);
            if !entry.aliases.is_empty() {
                let aliases: Vec<&str> = entry.aliases.iter().map(|a| a.value.as_str()).collect();
                field(
                    &mut out,
                    "aliases",
                    &format!("{} (deprecated, still accepted)", aliases.join(", ")),
                );
            }
            field(&mut out, "message", &entry.message_on(on).value);
            if on.is_none() {
                for p in &catalog.platforms {
                    let m = entry.message_on(Some(&p.id.value));
                    if m.value != entry.message.value && entry.is_available_on(Some(&p.id.value)) {
                        field(&mut out, &format!("on {}", p.id.value), &m.value);
                    }
                }
            }
            if !entry.params.is_empty() {
                let params: Vec<String> = entry
                    .params
                    .iter()
                    .map(|p| {
                        format!(
                            "{{{}}} ({}): {}",
                            p.name.value,
                            p.ty.value.id(),
                            p.description.value
                        )
                    })
                    .collect();
                field(&mut out, "params", &params.join("\n"));
            }
            let trigger = entry.trigger.as_ref().map(|t| t.value.as_str());
            field(
                &mut out,
                "trigger",
                trigger.unwrap_or(Entry::TRIGGER_UNDOCUMENTED),
            );
            field(&mut out, "retry", &entry.retry.value.to_string());
            if let Some(category) = catalog.category_of(entry) {
                field(&mut out, "category", &category.title.value);
            }
            if let Some(docs) = &entry.docs {
                field(&mut out, "docs", &docs.value);
            }
            if let Some(why) = &entry.deprecated {
                field(&mut out, "deprecated", &why.value);
            }
        }
        Found::Retired {
            catalog,
            retired,
            by,
        } => {
            let code = retired.code.as_ref().map(|c| c.value);
            let name = retired.names.first().map_or("", |n| n.value.as_str());
            out.push_str(&heading(code, name, catalog));
            out.push_str(&format!(", found by {by}\n"));
            out.push_str(&format!(
                "  retired in {}: {}\n",
                terminal_safe(&retired.when.value),
                terminal_safe(&retired.why.value)
            ));
            let names: Vec<&str> = retired.names.iter().map(|n| n.value.as_str()).collect();
            field(&mut out, "names", &names.join(", "));
            field(
                &mut out,
                "now",
                "not a live value: no from_code/fromCode or from_name/fromName accepts it",
            );
        }
    }
    out
}

/// A live match as `explain --json` writes it: the catalog, how it matched,
/// and the entry as `export --json` writes it (one platform with `--platform`).
#[derive(Serialize)]
struct LiveMatch<'a> {
    status: &'static str,
    catalog: &'a str,
    catalog_title: &'a str,
    matched_by: String,
    #[serde(flatten)]
    entry: EntryRecord<'a>,
}

/// One match as JSON (`status` is `live` or `retired`).
pub fn json(found: &Found<'_>, platform: Option<&str>) -> Json {
    match *found {
        Found::Live { catalog, entry, by } => {
            let live = LiveMatch {
                status: "live",
                catalog: &catalog.name.value,
                catalog_title: &catalog.title.value,
                matched_by: by.to_string(),
                entry: EntryRecord::new(catalog, entry, platform_of(catalog, platform)),
            };
            // Strings, numbers and string-keyed maps only: serializing cannot fail.
            serde_json::to_value(live).expect("a match serializes")
        }
        Found::Retired {
            catalog,
            retired,
            by,
        } => json!({
            "status": "retired",
            "catalog": catalog.name.value,
            "catalog_title": catalog.title.value,
            "matched_by": by.to_string(),
            "code": retired.code.as_ref().map(|c| c.value),
            "names": retired.names.iter().map(|n| n.value.as_str()).collect::<Vec<_>>(),
            "retired": { "when": retired.when.value, "why": retired.why.value },
        }),
    }
}
