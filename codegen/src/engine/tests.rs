//! The engine against handlebars: the same bytes, or the same error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use errspec::Registry;

use crate::plan::Plan;
use crate::targets::{self, Target};
use crate::{Settings, files};

fn shipped() -> Registry {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    errspec::load(root.join("spec/registry")).unwrap_or_else(|d| panic!("{d}"))
}

/// Every output of `targets` on `registry`, rendered by the engine and by handlebars.
fn both(registry: &Registry, targets: &[Target]) -> [Result<BTreeMap<PathBuf, String>, String>; 2] {
    let mut plan =
        Plan::new(registry, targets, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    [true, false].map(|compiled| {
        plan.compiled = compiled;
        let memory = files::Memory::default();
        plan.run_on(&memory, 1).map_err(|e| e.to_string())?;
        Ok(memory.files.into_inner().unwrap_or_else(|e| e.into_inner()))
    })
}

#[test]
fn every_built_in_template_compiles_and_renders_as_handlebars_does() {
    let registry = shipped();
    let targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
    let plan =
        Plan::new(&registry, &targets, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let compiled: Vec<&str> = plan.compiled_templates().collect();
    for t in &targets {
        assert!(
            compiled.contains(&t.name.as_str()),
            "{} is not compiled",
            t.name
        );
    }
    let [engine, handlebars] = both(&registry, &targets);
    let (engine, handlebars) = (
        engine.unwrap_or_else(|e| panic!("{e}")),
        handlebars.unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(engine.len(), handlebars.len());
    for (path, text) in &handlebars {
        assert!(engine.get(path) == Some(text), "{} differs", path.display());
    }
}
