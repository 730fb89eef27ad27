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
    /// The Rust target's crate name: `[target.rust] crate`, else [`rust::DEFAULT_CRATE`].
    pub(crate) rust_crate: String,
    /// Each template's view, the settings applied.
    pub(crate) views: Vec<ViewSpec>,
    /// Whether each template's target is selected.
    pub(crate) selected: Vec<bool>,
    /// Each template's options (by template name): the defaults, with the settings over them.
    pub(crate) options: BTreeMap<String, BTreeMap<String, String>>,
}

/// What the settings are checked against.
struct Scope<'a> {
    targets: &'a [Target],
    /// The platforms the catalogs declare.
    known: BTreeSet<&'a str>,
    /// Every target's id, the Rust and schema targets' too.
    ids: BTreeSet<&'a str>,
    /// The targets selected: `None`, every one.
    selected: Option<BTreeSet<&'a str>>,
}

impl<'a> Scope<'a> {
    fn new(registry: &'a Registry, targets: &'a [Target]) -> Scope<'a> {
        let known = registry
            .catalogs
            .iter()
            .flat_map(|c| c.platforms.iter().map(|p| p.id.value.as_str()))
            .collect();
        let ids = [RUST_TARGET, SCHEMA_TARGET]
            .into_iter()
            .chain(targets.iter().map(Target::id))
            .collect();
        Scope {
            targets,
            known,
            ids,
            selected: None,
        }
    }

    fn is_selected(&self, id: &str) -> bool {
        self.selected.as_ref().is_none_or(|s| s.contains(id))
    }

    fn id_list(&self) -> String {
        quoted(self.ids.iter())
    }

    /// "did you mean `kotlin`? " for a misspelt target id, else nothing.
    fn near(&self, id: &str) -> String {
        let ids: Vec<&str> = self.ids.iter().copied().collect();
        errspec::suggest::did_you_mean(id, &ids)
            .map_or(String::new(), |n| format!("did you mean `{n}`? "))
    }

    fn known_list(&self) -> String {
        quoted(self.known.iter())
    }
}

/// `a`, `b`, `c`.
fn quoted<'s>(names: impl Iterator<Item = &'s &'s str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the settings set: the Rust target's platform, each template's view and options.
struct Applied {
    rust_platform: Option<String>,
    rust_crate: Option<String>,
    views: Vec<ViewSpec>,
    options: BTreeMap<String, BTreeMap<String, String>>,
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
    let mut scope = Scope::new(registry, targets);
    let mut usage = Vec::new();
    if let Some(only) = &settings.only {
        scope.selected = Some(select(&scope, only, &mut usage));
    }
    let mut applied = Applied {
        rust_platform: None,
        rust_crate: None,
        views: targets.iter().map(|t| t.view.clone()).collect(),
        options: targets
            .iter()
            .map(|t| (t.name.clone(), defaults(targets, t.id(), settings)))
            .collect(),
    };
    let mut set: BTreeMap<(&str, &str), &Setting> = BTreeMap::new();
    for setting in &settings.values {
        let (target, key, value) = (&setting.target, &setting.key, &setting.value);
        let problem = match set.insert((target, key), setting) {
            Some(first) => Some(format!(
                "`{key}` of `{target}` is set twice (`{}`, then `{value}`); set it once",
                first.value
            )),
            None => apply(&scope, setting, &mut applied),
        };
        if let Some(problem) = problem {
            usage.push(format!("{}: {problem}", setting.describe()));
        }
    }
    if !usage.is_empty() {
        return Err(Error::Usage(UsageProblems(usage)));
    }
    let selected: Vec<bool> = targets.iter().map(|t| scope.is_selected(t.id())).collect();
    unknown_platforms(targets, &applied.views, &selected, &scope.known)?;
    Ok(Resolved {
        rust: scope.is_selected(RUST_TARGET),
        schemas: scope.is_selected(SCHEMA_TARGET),
        rust_platform: applied.rust_platform,
        rust_crate: applied
            .rust_crate
            .unwrap_or_else(|| rust::DEFAULT_CRATE.to_owned()),
        views: applied.views,
        selected,
        options: applied.options,
    })
}

/// The options of the target `id`, each with its default (`{project}`: the
/// project's name in the option's form, docs/packages.md).
fn defaults(targets: &[Target], id: &str, settings: &Settings) -> BTreeMap<String, String> {
    let project = settings.project.as_deref().unwrap_or("errors");
    targets::options_of(targets, id)
        .into_iter()
        .map(|o| {
            let value = if o.default == crate::packages::PROJECT && o.kind.derives() {
                o.kind.derive(project)
            } else {
                o.default.clone()
            };
            (o.name.clone(), value)
        })
        .collect()
}

/// The targets `only` names, each a target, once; `usage` gets the problems.
fn select<'a>(
    scope: &Scope<'a>,
    only: &'a [(String, Option<String>)],
    usage: &mut Vec<String>,
) -> BTreeSet<&'a str> {
    let mut chosen = BTreeSet::new();
    for (id, origin) in only {
        let at = origin.as_ref().map_or(String::new(), |o| format!("{o}: "));
        if !scope.ids.contains(id.as_str()) {
            let hbs = without_hbs(id);
            let near = scope.near(id);
            let id_list = scope.id_list();
            usage.push(format!(
                "{at}the target `{id}` to render does not exist{hbs}; {near}the targets are {id_list}"
            ));
        } else if !chosen.insert(id.as_str()) {
            usage.push(format!(
                "{at}the target `{id}` is named twice; name it once"
            ));
        }
    }
    chosen
}

/// The hint for a target named as its template's file.
fn without_hbs(id: &str) -> &'static str {
    if id.ends_with(".hbs") {
        "; name the target without `.hbs`"
    } else {
        ""
    }
}

/// Applies one setting: the problem with it, or `None`.
fn apply(scope: &Scope<'_>, setting: &Setting, applied: &mut Applied) -> Option<String> {
    let (target, key) = (setting.target.as_str(), setting.key.as_str());
    if !scope.ids.contains(target) {
        return Some(no_such_target(scope, target, key));
    }
    // A target not selected keeps its settings, checked as if it were (so
    // narrowing `targets` never means deleting them); nothing renders it.
    if key == PLATFORM {
        apply_platform(scope, setting, applied)
    } else if target == RUST_TARGET {
        apply_rust_option(setting, applied)
    } else {
        apply_option(scope, setting, applied)
    }
}

/// Why `target`, set by a setting of `key`, names no target, with those there are.
fn no_such_target(scope: &Scope<'_>, target: &str, key: &str) -> String {
    let hbs = without_hbs(target);
    let near = scope.near(target);
    let list = if key == PLATFORM {
        let settable: BTreeSet<&str> = std::iter::once(RUST_TARGET)
            .chain(
                scope
                    .targets
                    .iter()
                    .filter(|t| matches!(t.view, ViewSpec::Canonical | ViewSpec::Platform(_)))
                    .map(Target::id),
            )
            .collect();
        let settable = quoted(settable.iter());
        format!("the targets whose platform can be set are {settable}")
    } else {
        format!("the targets are {}", scope.id_list())
    };
    format!(
        "there is no target `{target}`{hbs}; {near}{list} (a template goes by its header's `target:`, else its file name without `.hbs`)"
    )
}

/// Sets an option the target declares to a dotted name no language reserves.
fn apply_option(scope: &Scope<'_>, setting: &Setting, applied: &mut Applied) -> Option<String> {
    let (target, key, value) = (&setting.target, &setting.key, &setting.value);
    let declared = targets::options_of(scope.targets, target);
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
        let names: Vec<&str> = declared.iter().map(|o| o.name.as_str()).collect();
        let near = errspec::suggest::did_you_mean(key, &[&names[..], &[PLATFORM]].concat())
            .map_or(String::new(), |n| format!("did you mean `{n}`? "));
        return Some(format!(
            "`{target}` has no option `{key}`; {near}{list}, and every target but a `registry` one has `platform`"
        ));
    }
    let kind = declared
        .iter()
        .find(|o| o.name == *key)
        .map_or(crate::packages::OptionKind::Dotted, |o| o.kind);
    if let Some(problem) = kind.problem(value) {
        return Some(format!(
            "the value `{}` {problem}; `{key}` of `{target}` is {}",
            value.escape_debug(),
            kind.example()
        ));
    }
    if kind == crate::packages::OptionKind::Dotted
        && let Some(problem) = targets::reserved_package_problem(scope.targets, target, value)
    {
        return Some(format!("the value `{value}` {problem}"));
    }
    for t in scope.targets.iter().filter(|t| t.id() == target) {
        if let Some(options) = applied.options.get_mut(&t.name) {
            options.insert(key.clone(), value.clone());
        }
    }
    None
}

/// Sets the Rust target's one option, `crate`: the generated crate's package name.
fn apply_rust_option(setting: &Setting, applied: &mut Applied) -> Option<String> {
    let (key, value) = (&setting.key, &setting.value);
    if key != rust::CRATE_OPTION {
        return Some(format!(
            "`{RUST_TARGET}` has no option `{key}`; its option is `{}` (the generated crate's name), and it has `platform`",
            rust::CRATE_OPTION
        ));
    }
    if let Some(problem) = rust::crate_name_problem(value) {
        return Some(format!(
            "the crate name `{}` {problem}; {}",
            value.escape_debug(),
            rust::CRATE_NAME_FORM
        ));
    }
    applied.rust_crate = Some(value.clone());
    None
}

/// Sets the platform of the Rust target, or of the target's per-catalog templates.
fn apply_platform(scope: &Scope<'_>, setting: &Setting, applied: &mut Applied) -> Option<String> {
    let target = setting.target.as_str();
    let targets = scope.targets;
    let slots: Vec<usize> = (0..targets.len())
        .filter(|&i| {
            targets[i].id() == target
                && matches!(targets[i].view, ViewSpec::Canonical | ViewSpec::Platform(_))
        })
        .collect();
    if target == SCHEMA_TARGET {
        return Some(format!(
            "the target `{SCHEMA_TARGET}` writes the JSON Schemas of the registry format, the same for every registry, so it has no platform; remove this setting"
        ));
    }
    if target != RUST_TARGET && slots.is_empty() {
        return Some(no_one_platform(targets, target));
    }
    if let Some(problem) = platform_problem(scope, setting) {
        return Some(problem);
    }
    // `None`: the canonical view.
    let view = (setting.value != CANONICAL).then(|| setting.value.clone());
    if target == RUST_TARGET {
        applied.rust_platform = view;
    } else {
        for i in slots {
            applied.views[i] = view.clone().map_or(ViewSpec::Canonical, ViewSpec::Platform);
        }
    }
    None
}

/// Why the target `target`, with no per-catalog template, has no platform to set.
fn no_one_platform(targets: &[Target], target: &str) -> String {
    let every_platform = targets
        .iter()
        .any(|t| t.id() == target && t.view == ViewSpec::Platforms);
    if every_platform {
        format!(
            "the target `{target}` renders every platform (view `platforms`): the canonical page and one per platform that differs, so it has no one platform to set; remove this setting"
        )
    } else {
        format!(
            "the target `{target}` renders once for the whole registry (view `registry`), not one platform's view of each catalog; remove this setting"
        )
    }
}

/// Why a setting's value names neither a platform a catalog declares nor
/// (unambiguously) the canonical view, or `None`.
fn platform_problem(scope: &Scope<'_>, setting: &Setting) -> Option<String> {
    let (target, value) = (&setting.target, &setting.value);
    let known = &scope.known;
    if value == CANONICAL {
        return known.contains(CANONICAL).then(|| format!(
            "`{CANONICAL}` means the canonical view, but a catalog also declares a platform named `{CANONICAL}`, so the setting is ambiguous; rename that platform in the registry to choose between them"
        ));
    }
    if known.contains(value.as_str()) {
        return None;
    }
    Some(if known.is_empty() {
        let canonical = match setting.origin {
            None => format!("`{target}={CANONICAL}`"),
            Some(_) => format!("`platform = \"{CANONICAL}\"`"),
        };
        format!(
            "no catalog declares the platform `{value}`; the registry declares no platforms, so every view is canonical: use {canonical}, or leave the setting out"
        )
    } else {
        format!(
            "no catalog declares the platform `{value}`; known platforms: {}; use one of them, or `{CANONICAL}` for the canonical view",
            scope.known_list()
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn set(target: &str, key: &str, value: &str) -> Setting {
        Setting {
            target: target.to_owned(),
            key: key.to_owned(),
            value: value.to_owned(),
            origin: None,
        }
    }

    #[test]
    fn every_misused_setting_is_one_usage_problem_in_order() {
        let registry = crate::shipped_registry();
        let targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        let only = [
            "kotlin",
            "kotlin",
            "kotlin.hbs",
            "markdown",
            "schema",
            "rust",
            "typescript",
        ];
        let settings = Settings {
            only: Some(only.iter().map(|t| ((*t).to_owned(), None)).collect()),
            values: vec![
                set("dart", PLATFORM, "web"),
                set("go", PLATFORM, "mars"),
                set("markdown", PLATFORM, "web"),
                set("schema", PLATFORM, "web"),
                set("kotlin", "package", "kotlin.errors"),
                set("kotlin", "nope", "x"),
                set("kotln", PLATFORM, "android"),
                set("kotln", "package", "x"),
                set("rust", PLATFORM, "mars"),
                set("rust", "crate", "a.b"),
                set("rust", "package", "x"),
                set("typescript", PLATFORM, "web"),
                set("typescript", PLATFORM, "flutter"),
            ],
            regenerate: None,
            project: None,
        };
        let Err(Error::Usage(UsageProblems(problems))) = resolve(&registry, &targets, &settings)
        else {
            panic!("the settings were accepted");
        };
        let expected = [
            "the target `kotlin` is named twice",
            "the target `kotlin.hbs` to render does not exist; name the target without `.hbs`",
            // `dart` and `go` are not selected: `dart=web` is kept, `go=mars` still judged.
            "`--platform go=mars`: no catalog declares the platform `mars`",
            "`--platform markdown=web`: the target `markdown` renders every platform",
            "`--platform schema=web`: the target `schema` writes the JSON Schemas",
            "`--option kotlin.package=kotlin.errors`: the value `kotlin.errors` is under `kotlin`",
            "`--option kotlin.nope=x`: `kotlin` has no option `nope`",
            "`--platform kotln=android`: there is no target `kotln`; did you mean `kotlin`? the targets whose platform can be set are `c`, `dart`, ",
            "`--option kotln.package=x`: there is no target `kotln`; did you mean `kotlin`? the targets are `c`, `dart`, ",
            "`--platform rust=mars`: no catalog declares the platform `mars`; known platforms: `",
            "`--option rust.crate=a.b`: the crate name `a.b` contains `.`; a crate name is",
            "`--option rust.package=x`: `rust` has no option `package`; its option is `crate`",
            "`--platform typescript=flutter`: `platform` of `typescript` is set twice (`web`, then `flutter`)",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (problem, start) in problems.iter().zip(expected) {
            assert!(
                problem.starts_with(start),
                "{problem}\ndoes not start with\n{start}"
            );
        }
    }
}
