//! The compiled template engine renders every built-in template byte for
//! byte as handlebars does: on the shipped registry, every fixture, the
//! bench's synthetic registry and random registries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::Settings;
use codegen::targets::Target;
use errspec_tests::{fixture, load, shipped_registry};
use proptest::prelude::*;

fn targets() -> Vec<Target> {
    codegen::targets::load(None).unwrap_or_else(|e| panic!("{e}"))
}

/// Every output of a render, or its error.
type Rendered = Result<BTreeMap<PathBuf, String>, String>;

/// Every template output of `registry` by the engine and by handlebars alone.
fn both(registry: &errspec::Registry) -> (Rendered, Rendered) {
    let targets = targets();
    let settings = Settings::default();
    let engine = codegen::render_with(registry, &targets, &settings).map_err(|e| e.to_string());
    let handlebars =
        codegen::render_by_handlebars(registry, &targets, &settings).map_err(|e| e.to_string());
    (engine, handlebars)
}

/// The first output that differs, for a readable failure.
fn first_difference(
    engine: &BTreeMap<PathBuf, String>,
    handlebars: &BTreeMap<PathBuf, String>,
) -> Option<String> {
    for (path, text) in handlebars {
        match engine.get(path) {
            None => return Some(format!("{}: missing", path.display())),
            Some(e) if e != text => {
                let at = e
                    .bytes()
                    .zip(text.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(e.len().min(text.len()));
                let from = at.saturating_sub(80);
                let near = |s: &str| s.get(from..(at + 80).min(s.len())).unwrap_or("").to_owned();
                return Some(format!(
                    "{} differs at byte {at}:\nengine:     {:?}\nhandlebars: {:?}",
                    path.display(),
                    near(e),
                    near(text)
                ));
            }
            Some(_) => {}
        }
    }
    (engine.len() != handlebars.len()).then(|| "the engine wrote other files".to_owned())
}

fn assert_same(name: &str, registry: &errspec::Registry) {
    let (engine, handlebars) = both(registry);
    let handlebars = handlebars.unwrap_or_else(|e| panic!("{name}: handlebars failed: {e}"));
    let engine = engine.unwrap_or_else(|e| panic!("{name}: the engine failed: {e}"));
    if let Some(d) = first_difference(&engine, &handlebars) {
        panic!("{name}: {d}");
    }
}

#[test]
fn the_shipped_registry_renders_the_same() {
    assert_same("shipped", &shipped_registry());
}

#[test]
fn every_fixture_renders_the_same() {
    let dir = fixture("");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 4, "{fixtures:?}");
    for path in fixtures {
        assert_same(&path.display().to_string(), &load(&path));
    }
}

#[test]
fn the_synthetic_registry_renders_the_same() {
    let text = errspec_bench::registry(500);
    let options = errspec::LoadOptions {
        languages: errspec_tests::languages(),
        ..errspec::LoadOptions::default()
    };
    let registry = errspec::load_str_with(Path::new("synthetic.yaml"), &text, options)
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_same("synthetic", &registry);
}

proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(24))]

    #[test]
    fn random_registries_render_the_same(catalogs in errspec_tests::arbitrary::registry()) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("engine-random");
        errspec_tests::arbitrary::write(&dir, &catalogs);
        let registry = load(&dir);
        let (engine, handlebars) = both(&registry);
        match (&engine, &handlebars) {
            (Ok(e), Ok(h)) => prop_assert!(first_difference(e, h).is_none(), "{:?}", first_difference(e, h)),
            _ => prop_assert_eq!(engine, handlebars),
        }
    }
}
