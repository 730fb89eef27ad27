//! Retired codes: listed in the docs, live nowhere.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

mod expanded {
    errspec_macros::catalog!("../tests/fixtures/retired.yaml");
}

/// The body rows of the table after the `## Retired ...` heading, as plain cell texts.
fn retired_rows(markdown: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut after_heading, mut in_heading, mut in_body) = (false, false, false);
    let mut heading = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                after_heading = heading.starts_with("Retired");
            }
            Event::Start(Tag::TableRow) if after_heading => {
                in_body = true;
                rows.push(Vec::new());
            }
            Event::Start(Tag::TableCell) if in_body => {
                if let Some(row) = rows.last_mut() {
                    row.push(String::new());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading {
                    heading.push_str(&t);
                } else if in_body && let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                    cell.push_str(&t);
                }
            }
            Event::End(TagEnd::TableRow) => in_body = false,
            _ => {}
        }
    }
    rows
}

#[test]
fn docs_list_every_retired_code_with_its_names_why_and_when() {
    let path = errspec_tests::fixture("retired.yaml");
    let registry = errspec_tests::load(&path);
    let catalog = &registry.catalogs[0];
    assert!(!catalog.retired.is_empty(), "the fixture has retired codes");
    let files = errspec_tests::render(&path);
    let pages: Vec<_> = files
        .iter()
        .filter(|(p, _)| p.starts_with("markdown"))
        .collect();
    assert!(!pages.is_empty());
    let expected: Vec<Vec<String>> = catalog
        .retired
        .iter()
        .map(|r| {
            let names: Vec<&str> = r.names.iter().map(|n| n.value.as_str()).collect();
            vec![
                r.code
                    .as_ref()
                    .map(|c| c.value.to_string())
                    .unwrap_or_default(),
                names.join(", "),
                r.when.value.clone(),
                r.why.value.clone(),
            ]
        })
        .collect();
    for (path, text) in pages {
        assert_eq!(
            retired_rows(text),
            expected,
            "{}: the retired table",
            path.display()
        );
    }
}

#[test]
fn retired_codes_and_names_are_no_live_values() {
    let registry = errspec_tests::load(&errspec_tests::fixture("retired.yaml"));
    for r in &registry.catalogs[0].retired {
        let code = r.code.as_ref().expect("code-keyed").value;
        assert_eq!(
            expanded::MediaServer::from_code(code),
            None,
            "from_code({code})"
        );
        for name in &r.names {
            assert_eq!(
                expanded::MediaServer::from_name(&name.value),
                None,
                "from_name({})",
                name.value
            );
        }
    }
    assert_eq!(
        expanded::MediaServer::all().len(),
        registry.catalogs[0].entries.len()
    );
}
