//! Platforms' tables merged into one catalog's entries: the union by code, in
//! the order of the first table, then each code first seen in a later table in
//! that table's order. The canonical name and message of a code are those of the
//! first platform given that has it; another platform's differing name or
//! message becomes its override, and a code missing from a table is not
//! available on that platform.

use std::collections::HashMap;
use std::path::PathBuf;

use super::problem::{Place, Problem};
use super::table::Row;

/// One platform's judged table.
pub struct PlatformRows {
    pub id: String,
    /// The input, as the user named it.
    pub path: PathBuf,
    pub rows: Vec<Row>,
}

/// One entry of the imported catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: u32,
    pub name: String,
    pub message: String,
    /// `None`: every platform has it.
    pub platforms: Option<Vec<String>>,
    pub overrides: Vec<Override>,
}

/// What differs on one platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    pub platform: String,
    pub name: Option<String>,
    pub message: Option<String>,
}

/// The entries, or the problems: (index of the platform whose file has it, problem).
pub fn merge(platforms: &[PlatformRows]) -> Result<Vec<Entry>, Vec<(usize, Problem)>> {
    let problems = name_clashes(platforms);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut order: Vec<u32> = Vec::new();
    // code -> (platform index, row) for every platform that has it, in platform order.
    let mut seen: HashMap<u32, Vec<(usize, &Row)>> = HashMap::new();
    for (p, platform) in platforms.iter().enumerate() {
        for row in &platform.rows {
            let on = seen.entry(row.code).or_default();
            if on.is_empty() {
                order.push(row.code);
            }
            on.push((p, row));
        }
    }
    Ok(order
        .into_iter()
        .map(|code| entry(code, &seen[&code], platforms))
        .collect())
}

fn entry(code: u32, on: &[(usize, &Row)], platforms: &[PlatformRows]) -> Entry {
    let (_, canonical) = on[0];
    let overrides = on[1..]
        .iter()
        .map(|(p, row)| Override {
            platform: platforms[*p].id.clone(),
            name: (row.name.text != canonical.name.text).then(|| row.name.text.clone()),
            message: (row.message.text != canonical.message.text).then(|| row.message.text.clone()),
        })
        .filter(|o| o.name.is_some() || o.message.is_some())
        .collect();
    Entry {
        code,
        name: canonical.name.text.clone(),
        message: canonical.message.text.clone(),
        platforms: (on.len() < platforms.len())
            .then(|| on.iter().map(|(p, _)| platforms[*p].id.clone()).collect()),
        overrides,
    }
}

/// A name that means one code on a platform and another code on another: a
/// registry's names are unique in the catalog, on every platform.
fn name_clashes(platforms: &[PlatformRows]) -> Vec<(usize, Problem)> {
    let mut first: HashMap<&str, (u32, usize, Place)> = HashMap::new();
    let mut problems = Vec::new();
    for (p, platform) in platforms.iter().enumerate() {
        for row in &platform.rows {
            let name = row.name.text.as_str();
            match first.get(name) {
                Some(&(code, q, place)) if code != row.code => problems.push((
                    p,
                    Problem::new(
                        row.name.place,
                        format!(
                            "`{name}` names code {} here, but code {code} on `{}` ({}:{}:{})",
                            row.code,
                            platforms[q].id,
                            platforms[q].path.display(),
                            place.line,
                            place.column
                        ),
                        "a name means one error on every platform: rename it on one of them",
                    ),
                )),
                Some(_) => {}
                None => {
                    first.insert(name, (row.code, p, row.name.place));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::problem::Cell;

    fn row(code: u32, name: &str, message: &str) -> Row {
        let cell = |text: &str| Cell {
            text: text.to_owned(),
            place: Place::START,
        };
        Row {
            code,
            code_place: Place::START,
            name: cell(name),
            message: cell(message),
        }
    }

    #[test]
    fn the_first_platform_names_and_the_others_override() {
        let platforms = [
            PlatformRows {
                id: "web".into(),
                path: "web.md".into(),
                rows: vec![row(1, "A", "m"), row(2, "B", "m2"), row(3, "WEB_ONLY", "w")],
            },
            PlatformRows {
                id: "flutter".into(),
                path: "flutter.md".into(),
                rows: vec![row(2, "B", "other"), row(1, "AA", "m"), row(4, "F", "f")],
            },
        ];
        let entries = merge(&platforms).expect("no clash");
        let codes: Vec<u32> = entries.iter().map(|e| e.code).collect();
        assert_eq!(codes, [1, 2, 3, 4]);
        assert_eq!(entries[0].name, "A");
        assert_eq!(entries[0].platforms, None);
        assert_eq!(
            entries[0].overrides,
            [Override {
                platform: "flutter".into(),
                name: Some("AA".into()),
                message: None
            }]
        );
        assert_eq!(entries[1].overrides[0].message.as_deref(), Some("other"));
        assert_eq!(entries[2].platforms, Some(vec!["web".to_owned()]));
        assert_eq!(entries[3].platforms, Some(vec!["flutter".to_owned()]));
    }

    #[test]
    fn a_name_for_two_codes_is_refused() {
        let platforms = [
            PlatformRows {
                id: "web".into(),
                path: "web.md".into(),
                rows: vec![row(1, "A", "m")],
            },
            PlatformRows {
                id: "ios".into(),
                path: "ios.json".into(),
                rows: vec![row(2, "A", "m")],
            },
        ];
        let problems = merge(&platforms).expect_err("a clash");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 1);
    }
}
