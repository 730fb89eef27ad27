//! The targets selected, each template's view and options: headers with the settings over them.

use std::collections::{BTreeMap, BTreeSet};

use errspec::Registry;

use crate::targets::{Target, ViewSpec};
use crate::*;

/// What the settings resolve to, before anything renders.
pub(crate) struct Resolved {
    /// Whether the Rust target is selected.
    pub(crate) rust: bool,
    /// Whether the schema target is selected.
    pub(crate) schemas: bool,
    pub(crate) rust_platform: Option<String>,
    /// Each template's view, the settings applied.
    pub(crate) views: Vec<ViewSpec>,
    /// Whether each template's target is selected.
    pub(crate) selected: Vec<bool>,
    /// Each template's options (by template name): the defaults, with the settings over them.
    pub(crate) options: BTreeMap<String, BTreeMap<String, String>>,
}

/// The targets selected, the platform of the Rust target and the view and
/// options of each template: the templates' headers, with `settings`
/// applied. A platform that no catalog declares is an error, unless the
/// registry declares none at all (then there is nothing to misspell
/// against, and every view is canonical). Every problem is reported at once.
pub(crate) fn resolve(
    registry: &Registry,
    targets: &[Target],
    settings: &Settings,
) -> Result<Resolved, Error> {
    let known: BTreeSet<&str> = registry
        .catalogs
        .iter()
        .flat_map(|c| c.platforms.iter().map(|p| p.id.value.as_str()))
        .collect();
    let known_list = known
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let ids: BTreeSet<&str> = [RUST_TARGET, SCHEMA_TARGET]
        .into_iter()
        .chain(targets.iter().map(Target::id))
        .collect();
    let id_list = ids
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut usage = Vec::new();

    // The selection: every target, or those named.
    let mut selected_ids: Option<BTreeSet<&str>> = None;
    if let Some(only) = &settings.only {
        let mut chosen = BTreeSet::new();
        for (id, origin) in only {
            let at = origin.as_ref().map_or(String::new(), |o| format!("{o}: "));
            if !ids.contains(id.as_str()) {
                let hbs = if id.ends_with(".hbs") {
                    "; name the target without `.hbs`"
                } else {
                    ""
                };
                usage.push(format!(
                    "{at}the target `{id}` to render does not exist{hbs}; the targets are {id_list}"
                ));
            } else if !chosen.insert(id.as_str()) {
                usage.push(format!(
                    "{at}the target `{id}` is named twice; name it once"
                ));
            }
        }
        selected_ids = Some(chosen);
    }
    let is_selected = |id: &str| selected_ids.as_ref().is_none_or(|s| s.contains(id));

    let mut rust_platform = None;
    let mut views: Vec<ViewSpec> = targets.iter().map(|t| t.view.clone()).collect();
    let mut options: BTreeMap<String, BTreeMap<String, String>> = targets
        .iter()
        .map(|t| {
            let defaults = targets::options_of(targets, t.id())
                .into_iter()
                .map(|o| (o.name.clone(), o.default.clone()))
                .collect();
            (t.name.clone(), defaults)
        })
        .collect();
    let mut set: BTreeMap<(&str, &str), &Setting> = BTreeMap::new();
    for setting in &settings.values {
        let what = setting.describe();
        let (target, key, value) = (&setting.target, &setting.key, &setting.value);
        if let Some(first) = set.insert((target, key), setting) {
            usage.push(format!(
                "{what}: `{key}` of `{target}` is set twice (`{}`, then `{value}`); set it once",
                first.value
            ));
            continue;
        }
        if !ids.contains(target.as_str()) {
            let hbs = if target.ends_with(".hbs") {
                "; name the target without `.hbs`"
            } else {
                ""
            };
            let list = if key == PLATFORM {
                let settable = std::iter::once(RUST_TARGET)
                    .chain(
                        targets
                            .iter()
                            .filter(|t| {
                                matches!(t.view, ViewSpec::Canonical | ViewSpec::Platform(_))
                            })
                            .map(Target::id),
                    )
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("the targets whose platform can be set are {settable}")
            } else {
                format!("the targets are {id_list}")
            };
            usage.push(format!(
                "{what}: there is no target `{target}`{hbs}; {list} (a template goes by its header's `target:`, else its file name without `.hbs`)"
            ));
            continue;
        }
        if !is_selected(target) {
            usage.push(format!(
                "{what}: the target `{target}` is not among the targets rendered; add it to them, or remove this setting"
            ));
            continue;
        }
        if key != PLATFORM {
            let declared = targets::options_of(targets, target);
            if !declared.iter().any(|o| o.name == *key) {
                let list = if declared.is_empty() {
                    format!("`{target}` has no options")
                } else {
                    let names: Vec<String> = declared
                        .iter()
                        .map(|o| format!("`{}` (default `{}`)", o.name, o.default))
                        .collect();
                    format!("the options of `{target}` are {}", names.join(", "))
                };
                usage.push(format!(
                    "{what}: `{target}` has no option `{key}`; {list}, and every target but a `registry` one has `platform`"
                ));
                continue;
            }
            if let Some(problem) = targets::option_value_problem(value) {
                usage.push(format!(
                    "{what}: the value `{}` {problem}; an option's value is a dotted name such as `com.example.errors` (ASCII letters, digits and `_`, parts joined by `.`)",
                    value.escape_debug()
                ));
                continue;
            }
            if let Some(problem) = targets::reserved_package_problem(targets, target, value) {
                usage.push(format!(
                    "{what}: the value `{value}` {problem}; use a package of your own, such as `com.example.errors`"
                ));
                continue;
            }
            for t in targets.iter().filter(|t| t.id() == target) {
                if let Some(options) = options.get_mut(&t.name) {
                    options.insert(key.clone(), value.clone());
                }
            }
            continue;
        }
        // The platform: the Rust target's, or that of the target's per-catalog templates.
        let slots: Vec<usize> = (0..targets.len())
            .filter(|&i| {
                targets[i].id() == target
                    && matches!(targets[i].view, ViewSpec::Canonical | ViewSpec::Platform(_))
            })
            .collect();
        if target == SCHEMA_TARGET {
            usage.push(format!(
                "{what}: the target `{SCHEMA_TARGET}` writes the JSON Schemas of the registry format, the same for every registry, so it has no platform; remove this setting"
            ));
            continue;
        }
        if target != RUST_TARGET && slots.is_empty() {
            let every_platform = targets
                .iter()
                .any(|t| t.id() == target && t.view == ViewSpec::Platforms);
            usage.push(if every_platform {
                format!(
                    "{what}: the target `{target}` renders every platform (view `platforms`): the canonical page and one per platform that differs, so it has no one platform to set; remove this setting"
                )
            } else {
                format!(
                    "{what}: the target `{target}` renders once for the whole registry (view `registry`), not one platform's view of each catalog; remove this setting"
                )
            });
            continue;
        }
        let view = if value == CANONICAL {
            if known.contains(CANONICAL) {
                usage.push(format!(
                    "{what}: `{CANONICAL}` means the canonical view, but a catalog also declares a platform named `{CANONICAL}`, so the setting is ambiguous; rename that platform in the registry to choose between them"
                ));
                continue;
            }
            None
        } else if known.contains(value.as_str()) {
            Some(value.clone())
        } else {
            usage.push(if known.is_empty() {
                format!(
                    "{what}: no catalog declares the platform `{value}`; the registry declares no platforms, so every view is canonical: use {}, or leave the setting out",
                    match setting.origin {
                        None => format!("`{target}={CANONICAL}`"),
                        Some(_) => format!("`platform = \"{CANONICAL}\"`"),
                    }
                )
            } else {
                format!(
                    "{what}: no catalog declares the platform `{value}`; known platforms: {known_list}; use one of them, or `{CANONICAL}` for the canonical view"
                )
            });
            continue;
        };
        if target == RUST_TARGET {
            rust_platform = view;
        } else {
            for i in slots {
                views[i] = view.clone().map_or(ViewSpec::Canonical, ViewSpec::Platform);
            }
        }
    }
    if !usage.is_empty() {
        return Err(Error::Usage(UsageProblems(usage)));
    }
    let selected: Vec<bool> = targets.iter().map(|t| is_selected(t.id())).collect();
    unknown_platforms(targets, &views, &selected, &known)?;
    Ok(Resolved {
        rust: is_selected(RUST_TARGET),
        schemas: is_selected(SCHEMA_TARGET),
        rust_platform,
        views,
        selected,
        options,
    })
}

/// The platforms the selected templates' headers name, which no catalog
/// declares (those set by the settings are known).
fn unknown_platforms(
    targets: &[Target],
    views: &[ViewSpec],
    selected: &[bool],
    known: &BTreeSet<&str>,
) -> Result<(), TemplateError> {
    let mut unknown = Vec::new();
    for ((t, view), &on) in targets.iter().zip(views).zip(selected) {
        let ViewSpec::Platform(id) = view else {
            continue;
        };
        // A built-in target's platform is a documented default, not a choice
        // the user made: where no catalog declares it, the view is canonical
        // (a web-only registry still renders Dart with no flags).
        if !on || known.is_empty() || known.contains(id.as_str()) || t.built_in {
            continue;
        }
        unknown.push(UnknownPlatform {
            template: t.name.clone(),
            target: t.id().to_owned(),
            platform: id.clone(),
        });
    }
    if unknown.is_empty() {
        return Ok(());
    }
    Err(TemplateError::UnknownPlatforms {
        templates: unknown,
        known: known.iter().map(|p| (*p).to_owned()).collect(),
    })
}
