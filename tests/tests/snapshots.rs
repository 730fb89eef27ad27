//! Every output, kept as an insta snapshot for review: the shipped registry
//! and the hostile-text and regression fixtures. The real tools check them in the other tests.

use std::path::Path;

fn snapshot_all(prefix: &str, registry: &Path) {
    let files = errspec_tests::render(registry);
    assert!(!files.is_empty());
    for (path, text) in files {
        // The JSON Schemas are the format's, the same for every registry: kept once.
        if prefix != "shipped" && path.starts_with("schema") {
            continue;
        }
        let name = format!("{prefix}__{}", path.display()).replace(['/', '\\'], "__");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn shipped_outputs() {
    snapshot_all("shipped", &errspec_tests::root().join("spec/registry"));
}

#[test]
fn retired_outputs() {
    snapshot_all("retired", &errspec_tests::fixture("retired.yaml"));
}

#[test]
fn hostile_outputs() {
    snapshot_all("hostile", &errspec_tests::fixture("hostile.yaml"));
}

#[test]
fn regression_outputs() {
    snapshot_all("regressions", &errspec_tests::fixture("regressions.yaml"));
}

#[test]
fn params_outputs() {
    snapshot_all("params", &errspec_tests::fixture("params.yaml"));
}

/// `trigger` and `retry` left out (what `errspec import` writes): no trigger
/// paragraph in doc comments, an empty string in data, "not documented" on the page.
#[test]
fn undocumented_outputs() {
    snapshot_all(
        "undocumented",
        &errspec_tests::root().join("spec/tests/fixtures/valid/trigger_unspecified.yaml"),
    );
}
