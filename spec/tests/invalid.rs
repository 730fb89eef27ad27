//! The corpus of invalid registries: one per rule, plus combinations.
//!
//! Each fixture (a `.yaml` file or a directory under `fixtures/invalid/`) says on
//! its first line which rules it breaks (`# expect: duplicate-code, naming-style`;
//! a directory says it in `expect.txt`). The test checks that exactly those rules
//! fire, then keeps the rendered diagnostics as an insta snapshot for review.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Loads with the built-in targets' language rows (codegen's), as `codegen` does
/// when it renders every target: this crate ships none.
fn load(path: impl AsRef<std::path::Path>) -> Result<errspec::Registry, errspec::Diagnostics> {
    let options = errspec::LoadOptions {
        languages: codegen::targets::built_in_languages().unwrap_or_else(|e| panic!("{e}")),
        ..errspec::LoadOptions::default()
    };
    errspec::load_with(std::path::Path::new(""), path, options)
}

const FIXTURES: &str = "tests/fixtures/invalid";

fn fixtures() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .expect("fixture directory")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    all.sort();
    all
}

/// The rule ids a fixture declares, from `# expect: a, b`.
fn expected_rules(fixture: &Path) -> BTreeSet<String> {
    let header = if fixture.is_dir() {
        std::fs::read_to_string(fixture.join("expect.txt")).unwrap_or_default()
    } else {
        // Non-UTF-8 fixtures still start with an ASCII header line.
        String::from_utf8_lossy(&std::fs::read(fixture).expect("read fixture")).into_owned()
    };
    // A 0-byte fixture has no room for a header: it can only be the empty file.
    if header.is_empty() {
        return BTreeSet::from(["empty-file".to_owned()]);
    }
    // Fixtures may use any line ending and start with a byte-order mark.
    let first = header
        .trim_start_matches('\u{feff}')
        .split(['\r', '\n'])
        .next()
        .unwrap_or_default();
    let list = first.strip_prefix("# expect:").unwrap_or_else(|| {
        panic!(
            "{} must start with `# expect: <rule ids>`",
            fixture.display()
        )
    });
    list.split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn every_invalid_fixture_reports_exactly_its_rules() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 30,
        "the corpus has {} fixtures, expected at least 30",
        fixtures.len()
    );
    let mut covered = BTreeSet::new();
    for fixture in &fixtures {
        let name = fixture
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture name");
        let expected = expected_rules(fixture);
        let diagnostics = match load(fixture) {
            Ok(_) => panic!("{} loaded without diagnostics", fixture.display()),
            Err(d) => d,
        };
        let fired: BTreeSet<String> = diagnostics
            .list
            .iter()
            .map(|d| d.rule.id().to_owned())
            .collect();
        assert_eq!(
            fired,
            expected,
            "{}: rules fired vs. declared",
            fixture.display()
        );
        let rendered = diagnostics.render(false);
        // Every diagnostic points at path:line:column and shows the source line.
        for d in &diagnostics.list {
            assert!(
                !d.labels.is_empty() || d.path.is_some(),
                "{name}: {} has no place",
                d.rule.id()
            );
            assert!(
                d.help.is_some(),
                "{name}: {} says nothing about how to fix it",
                d.rule.id()
            );
        }
        covered.extend(fired);
        insta::assert_snapshot!(name, rendered);
    }
    // Rules that need a broken file system rather than a file: tested in `cli.rs` / below.
    // `io` needs a broken file system; the lock rules need a before and an
    // after, and have their own corpus in `evolution.rs`.
    let untestable_here = [
        "io",
        "locked-entry-removed",
        "locked-name-changed",
        "locked-name-moved",
        "retired-revived",
        "locked-catalog-removed",
        "locked-param-changed",
    ];
    let missing: Vec<&str> = errspec_rule_ids()
        .into_iter()
        .filter(|id| !covered.contains(*id) && !untestable_here.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

/// Every rule id, taken from the rendered ids of the `Rule` enum via the shipped docs list.
fn errspec_rule_ids() -> Vec<&'static str> {
    errspec::Rule::ALL.iter().map(|r| r.id()).collect()
}

#[test]
fn a_missing_registry_names_the_absolute_path() {
    let err = load("no/such/catalog.yaml").expect_err("missing file");
    let text = err.render(false);
    assert!(text.contains("error[io]"), "{text}");
    assert!(text.contains("--> no/such/catalog.yaml"), "{text}");
    let abs = std::env::current_dir()
        .expect("cwd")
        .join("no/such/catalog.yaml");
    assert!(
        text.contains(&format!("looked for {}", abs.display())),
        "{text}"
    );
}

/// Issue 21: an excerpt printed the whole offending line, so a 10 MB line gave
/// 20 MB of output. It shows a window around the span, marked `...` where cut,
/// with the underline under the span.
#[test]
fn an_excerpt_shows_a_window_of_a_long_line() {
    let long = "x".repeat(1_000_000);
    let text = format!(
        "catalog:\n  name: shapes\n  title: Shapes\nerrors:\n  - code: 1\n    name: MANY\n    message: \"{long} {{a}} {{nope}} {long}\"\n    trigger: t\n    retry: never\n    params:\n      a: {{ type: string, description: d }}\n"
    );
    let Err(refused) = errspec::load_str("long.yaml", &text) else {
        panic!("an unknown placeholder was accepted");
    };
    let report = refused.render(false);
    assert!(report.len() < 4_000, "a {}-byte report", report.len());
    assert!(report.contains("long.yaml:7:"), "{report}");
    let lines: Vec<&str> = report.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("...xxx") && l.contains("{nope}"))
        .unwrap_or_else(|| panic!("no cut excerpt with the span in\n{report}"));
    assert!(lines[at].ends_with("x..."), "{}", lines[at]);
    // The underline starts under the `{` of the placeholder.
    let column = lines[at].find("{nope}").expect("the placeholder");
    let underline = lines[at + 1];
    assert_eq!(
        underline.find('^'),
        Some(column),
        "{}\n{underline}",
        lines[at]
    );
    // A short line is shown whole, as before.
    let short = errspec::load_str(
        "short.yaml",
        "catalog:\n  name: shapes\n  title: Shapes\nerrors:\n  - code: 1\n    name: MANY\n    message: \"a {a} {nope}\"\n    trigger: t\n    retry: never\n    params:\n      a: { type: string, description: d }\n",
    )
    .expect_err("an unknown placeholder")
    .render(false);
    assert!(
        short.contains("7 |     message: \"a {a} {nope}\"\n"),
        "{short}"
    );
    assert!(!short.contains("..."), "{short}");
}

/// Issue 21: an expansion out of proportion with the file (here 13,000 events
/// replayed from a text of 60) is refused at the alias that crosses the
/// limit, not at the end of the file; serde-saphyr's alias-per-anchor count
/// let this one through (30 aliases) and refused legitimate reuse instead.
#[test]
fn a_small_alias_bomb_is_refused_at_an_alias() {
    let text = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\n";
    let Err(refused) = errspec::load_str("bomb.yaml", text) else {
        panic!("an alias bomb was read");
    };
    let report = refused.render(false);
    assert!(report.contains("error[yaml-too-complex]"), "{report}");
    // Line 4, at one of its `*c` aliases.
    let at = report
        .split_once("--> bomb.yaml:4:")
        .map(|(_, rest)| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or("")
        })
        .and_then(|column| column.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("not at line 4:\n{report}"));
    assert_eq!(
        &text.lines().nth(3).unwrap_or("")[at - 1..at + 1],
        "*c",
        "{report}"
    );
}

/// A 1 MB unknown key is named by its first 60 characters, and its line by a
/// window: the report stays small.
#[test]
fn a_long_unknown_key_is_named_by_its_start() {
    let key = "k".repeat(1_000_000);
    // An explicit key: an implicit one is limited to 1,024 characters.
    let text = format!("catalog:\n  name: shapes\n  title: Shapes\n  ? {key}\n  : 1\nerrors: []\n");
    let Err(refused) = errspec::load_str("key.yaml", &text) else {
        panic!("an unknown key was accepted");
    };
    let report = refused.render(false);
    assert!(report.len() < 4_000, "a {}-byte report", report.len());
    assert!(
        report.contains(&format!("unknown field `{}...`", "k".repeat(60))),
        "{report}"
    );
}
