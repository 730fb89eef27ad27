//! The engine against handlebars: the same bytes, or the same error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use errspec::Registry;

use crate::plan::Plan;
use crate::targets::{self, Target};
use crate::{Settings, files};

/// Every output of a render, or its error.
type Rendered = Result<BTreeMap<PathBuf, String>, String>;

/// Every output of `targets` on `registry`, rendered by the engine and by handlebars.
fn both(registry: &Registry, targets: &[Target]) -> [Rendered; 2] {
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
    let registry = crate::shipped_registry();
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

/// `source` as a canonical template in Kotlin's row, rendered by both
/// engines on the shipped registry: whether it compiled, and each result.
fn one(source: &str) -> (bool, [Rendered; 2]) {
    let registry = crate::shipped_registry();
    let kotlin = targets::load(None)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|t| t.name == "kotlin.hbs")
        .unwrap_or_else(|| panic!("no kotlin.hbs"));
    let targets = vec![Target {
        name: "t.hbs".to_owned(),
        folder: None,
        language: kotlin.language.clone(),
        file: "{catalog}.t.txt".to_owned(),
        view: targets::ViewSpec::Canonical,
        source: source.to_owned(),
        at: "t.hbs".to_owned(),
        built_in: false,
        target: None,
        options: kotlin.options.clone(),
        when: None,
    }];
    let plan = Plan::new(&registry, &targets, &Settings::default())
        .unwrap_or_else(|e| panic!("{source}: {e}"));
    let compiled = plan.compiled_templates().count() == 1;
    (compiled, both(&registry, &targets))
}

/// Each construct the engine compiles renders as handlebars renders it.
#[test]
fn each_construct_renders_as_handlebars_does() {
    for (i, source) in [
        // Standalone lines, `~`, `else`, `unless`.
        "a\n  {{#if name}}\n  x {{~name~}} y\n  {{/if}}\nb {{#unless keyed_by_code}}n{{else}}k{{/unless}}\n",
        "{{#if 0 includeZero=true}}z{{/if}}{{#if 0}}n{{else}}y{{/if}}{{#if \"\"}}e{{/if}}{{#if 1.5}}f{{/if}}",
        // Locals, `../` (past the outermost block too), `@root`.
        "{{#each_entry}}{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}}:{{name}}/{{../name}}/{{../../../name}}/{{@root.type_name}}{{#each aliases}}[{{@../index}}.{{@index}} {{this}} {{../name}} {{../../name}}]{{else}}-{{/each}}\n{{/each_entry}}",
        "{{#each_group}}{{title}}{{#if @first}}^{{/if}}{{#group_entries}}{{#if @last}}{{name}}{{/if}}{{/group_entries}};{{/each_group}}{{#each_param_entry}}{{name}}{{#each params}}{{name}}:{{type}}{{/each}}{{else}}none{{/each_param_entry}}",
        // Inline partials inside a line: their context, the entry whole, line breaks indented.
        "{{#*inline \"p\"}}<{{#each this}}{{@index}}={{this}},{{/each}}>{{/inline~}}\n{{#*inline \"k\"}}{{#each this}}{{@key}}{{@index}}={{this}},{{/each}}{{/inline~}}\n{{#each_entry}}- {{> p aliases}} {{> k}}|\n{{/each_entry}}",
        "{{#*inline \"q\"}}({{this}}){{/inline}}{{#each_entry}}  {{> q trigger}}{{> q \"lit\"}}\n{{/each_entry}}",
        "{{#each_entry}}{{#if deprecated}}d{{else if aliases}}a{{else}}n{{/if}}{{#each aliases}}{{/each}}{{/each_entry}}",
        "{{eq 1 1}}{{ne name \"x\"}}{{not keyed_by_code}}{{len name}}{{chunk 7 3}}{{chunk_starts 6 3}}{{str (ident name \"bare\")}}{{preamble}}{{option \"package\"}}{{#if (eq (len platforms) 2)}}two{{/if}}",
        "{{#each platforms}}{{@index}}{{id}}{{#if @last}}.{{/if}}{{/each}}{{this}}{{platforms}}",
        // Errors: a missing value, helpers refusing their parameters.
        "{{@index}}",
        "{{platform.id}}",
        "{{#each platform}}x{{/each}}",
        "{{#each_entry}}{{str 3}}{{/each_entry}}",
        "line 1\n{{#each_entry}}\n  {{option \"nope\"}}\n{{/each_entry}}",
        "{{chunk \"a\" 2}}",
        "{{eq name}}",
        "{{len}}",
    ]
    .into_iter()
    .enumerate()
    {
        let (compiled, [engine, handlebars]) = one(source);
        assert!(compiled, "not compiled: {source}");
        // The cases from `{{@index}}` on fail, with handlebars' message.
        assert_eq!(engine.is_err(), i >= 9, "{source}: {engine:?}");
        assert_eq!(engine, handlebars, "{source}");
    }
}

/// What the engine does not compile renders through handlebars, whole.
#[test]
fn the_rest_falls_back_to_handlebars() {
    for source in [
        "{{#with platform}}{{id}}{{/with}}",
        "{{lookup this \"name\"}}",
        "{{#*inline \"p\"}}x\ny{{/inline}}\n  {{> p}}\n",
        "{{#*inline \"p\"}}x{{/inline}}\n{{> p}}\n",
        "{{#each platforms as |p|}}{{p.id}}{{/each}}",
        "{{#each platforms}}{{@key}}{{/each}}{{and 1 2}}",
        "{{#if name includeZero=keyed_by_code}}x{{/if}}",
    ] {
        let (compiled, [engine, handlebars]) = one(source);
        assert!(!compiled, "compiled: {source}");
        assert_eq!(engine, handlebars, "{source}");
    }
}
