//! Targets: one handlebars template each, built in or from `--templates DIR`.
//!
//! A template says where its output goes and which view it renders in a
//! header comment on its first lines, so adding a language is adding a file:
//!
//! ```handlebars
//! {{!-- errspec
//! file: typescript/{catalog}.ts
//! view: platform web
//! --}}
//! ```
//!
//! Two more header keys are optional:
//! - `target: ID` names the target the template belongs to (default: the file
//!   name without `.hbs`), so several templates make one target: `index.ts`
//!   is part of `typescript`, selected and set with it;
//! - `option NAME: DEFAULT` declares a setting of the target, read in the
//!   template as `{{option "NAME"}}` and set with `--option TARGET.NAME=VALUE`
//!   or `[target.TARGET]` in errspec.toml. A value is a dotted name
//!   (`com.example.errors`: ASCII letters, digits and `_`, not starting with
//!   a digit, parts joined by `.`), so it is safe in any language's source;
//!   `{{ident (option "NAME") "kotlin" "path"}}` escapes its keyword parts.
//!
//! `file` is relative to the out directory with `/` separators: no absolute
//! path, `\`, `:`, empty, `.` or `..` component, or control character.
//!
//! `view` is one of:
//! - `canonical`: every entry with its canonical names;
//! - `platform ID`: that platform's view where the catalog has it, else
//!   canonical; some catalog must declare ID, unless the registry declares no
//!   platforms at all (`--platform` overrides it);
//! - `platforms`: the canonical view, plus one view per platform when the
//!   catalog has platform differences (`{.platform}` in `file` becomes `.web`);
//! - `registry`: rendered once with every catalog (`{catalog}` is not allowed).

use std::collections::BTreeMap;
use std::path::Path;

use errspec::lang::{self, Languages};

/// The built-in targets, embedded in the binary: (file name, source).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "typescript.hbs",
        include_str!("../templates/typescript.hbs"),
    ),
    (
        "typescript-index.hbs",
        include_str!("../templates/typescript-index.hbs"),
    ),
    ("dart.hbs", include_str!("../templates/dart.hbs")),
    ("kotlin.hbs", include_str!("../templates/kotlin.hbs")),
    ("swift.hbs", include_str!("../templates/swift.hbs")),
    ("markdown.hbs", include_str!("../templates/markdown.hbs")),
];

/// Which view(s) of a catalog a target renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewSpec {
    Canonical,
    Platform(String),
    Platforms,
    Registry,
}

#[derive(Clone, Debug)]
pub struct Target {
    /// The template's file name, e.g. `dart.hbs`; names the target.
    pub name: String,
    /// Output path pattern, relative to the out directory.
    pub file: String,
    pub view: ViewSpec,
    pub source: String,
    /// Whether this is the embedded template of a built-in target, not one of `--templates`.
    pub built_in: bool,
    /// The header's `target:`, when it names one.
    pub target: Option<String>,
    /// The header's `option NAME: DEFAULT` lines, in order.
    pub options: Vec<TemplateOption>,
}

/// A setting a template declares: `option package: errspec.generated`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateOption {
    pub name: String,
    pub default: String,
}

impl Target {
    /// The target's name on the command line (`--platform dart=web`): the
    /// header's `target:`, else the file name without `.hbs`.
    pub fn id(&self) -> &str {
        match &self.target {
            Some(id) => id,
            None => self.name.strip_suffix(".hbs").unwrap_or(&self.name),
        }
    }
}

/// Why `value` cannot be an option's value, or `None` when it is a dotted name.
pub fn option_value_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("is empty".to_owned());
    }
    for part in value.split('.') {
        let problem = match part.chars().next() {
            None => "has an empty part (`..`, or a `.` at an end)".to_owned(),
            Some(c) if c.is_ascii_digit() => {
                format!("has the part `{part}`, which starts with a digit")
            }
            // Kotlin and Swift reserve `_` (and Kotlin `__`...) as names.
            _ if part.chars().all(|c| c == '_') => {
                format!("has the part `{part}`, which is only underscores")
            }
            _ => match part
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
            {
                Some(c) => format!("contains `{}`", c.escape_debug()),
                None => continue,
            },
        };
        return Some(problem);
    }
    None
}

/// Whether `name` can name an option or a target: `[a-z][a-z0-9_-]*`.
pub fn is_setting_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The targets to render: the built-in ones, overridden or extended by a directory.
pub fn load(dir: Option<&Path>) -> Result<Vec<Target>, String> {
    let mut sources: BTreeMap<String, (String, bool)> = BUILT_IN
        .iter()
        .map(|(n, s)| ((*n).to_owned(), ((*s).to_owned(), true)))
        .collect();
    if let Some(dir) = dir {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            format!(
                "cannot read the templates directory `{}`: {e}",
                dir.display()
            )
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                format!(
                    "cannot read the templates directory `{}`: {e}",
                    dir.display()
                )
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "hbs") {
                if path.file_stem().is_some_and(|s| s == crate::RUST_TARGET) {
                    let rust = crate::RUST_TARGET;
                    return Err(format!(
                        "template `{rust}.hbs` in `{}`: `{rust}` names the built-in Rust target (the `catalog!` macro's expansion, not a template), which `--platform {rust}=ID` sets; rename the template",
                        dir.display()
                    ));
                }
                if path.file_stem().is_some_and(|s| s == crate::SCHEMA_TARGET) {
                    let schema = crate::SCHEMA_TARGET;
                    return Err(format!(
                        "template `{schema}.hbs` in `{}`: `{schema}` names the built-in target that writes the JSON Schemas; rename the template",
                        dir.display()
                    ));
                }
                let text = errspec::input::read_to_string(&path).map_err(|e| {
                    format!(
                        "cannot read template `{}`: {e}; a template must be a regular file of UTF-8 text",
                        path.display()
                    )
                })?;
                sources.insert(
                    entry.file_name().to_string_lossy().into_owned(),
                    (text, false),
                );
            }
        }
    }
    let targets = sources
        .into_iter()
        .map(|(name, (source, built_in))| {
            // Where header problems are reported: the file, or the built-in template's source.
            let at = match (built_in, dir) {
                (false, Some(dir)) => dir.join(&name).display().to_string(),
                _ => format!("codegen/templates/{name}"),
            };
            parse(name, source, built_in, &at)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The templates of one target share its options: one default each.
    for (i, t) in targets.iter().enumerate() {
        for o in &t.options {
            let other = targets[..i].iter().find_map(|u| {
                let same = u.options.iter().find(|p| p.name == o.name)?;
                (u.id() == t.id() && same.default != o.default).then_some((u, same))
            });
            if let Some((u, same)) = other {
                return Err(format!(
                    "templates `{}` and `{}` of the target `{}` give `option {}` two defaults, `{}` and `{}`; give it one",
                    u.name,
                    t.name,
                    t.id(),
                    o.name,
                    same.default,
                    o.default
                ));
            }
        }
    }
    Ok(targets)
}

/// The options of the target `id`: every option its templates declare, once, in file order.
pub fn options_of<'t>(targets: &'t [Target], id: &str) -> Vec<&'t TemplateOption> {
    let mut options: Vec<&TemplateOption> = Vec::new();
    for t in targets.iter().filter(|t| t.id() == id) {
        for o in &t.options {
            if !options.iter().any(|p| p.name == o.name) {
                options.push(o);
            }
        }
    }
    options
}

impl Target {
    /// The languages whose rules this template's output follows: the row whose
    /// id is the target's (`python.hbs` over `lang::PYTHON`), and every row the
    /// template names as a helper's language (`{{ident name "kotlin"}}`).
    pub fn languages(&self) -> Languages {
        lang::LANGUAGES
            .iter()
            .filter(|l| l.id == self.id() || self.source.contains(&format!("\"{}\"", l.id)))
            .collect()
    }
}

/// Why `value`, set on the target `id`, is a package that one of the target's
/// languages refuses for a user's code (`kotlin.errors`, `java.errors`), or `None`.
pub fn reserved_package_problem(targets: &[Target], id: &str, value: &str) -> Option<String> {
    let root = value.split('.').next().unwrap_or(value);
    let language = targets
        .iter()
        .filter(|t| t.id() == id)
        .flat_map(|t| t.languages().iter())
        .find(|l| l.reserved_packages.contains(&root))?;
    let why = match root {
        "kotlin" => {
            "kotlinc refuses it (\"only the Kotlin standard library is allowed to use the 'kotlin' package\")"
        }
        "java" => "the JVM refuses to load it (\"Prohibited package name\")",
        _ => "its tools refuse it",
    };
    Some(format!(
        "is under `{root}`, which {} reserves for its own library: {why}",
        language.name
    ))
}

/// The languages a registry must suit to render the targets `settings` selects
/// (every target when it names none): each selected template's
/// [`Target::languages`], and Rust's when the Rust target renders (unless `rust`
/// is false). Ids that name no target add nothing: rendering reports them.
pub fn languages(targets: &[Target], settings: &crate::Settings, rust: bool) -> Languages {
    let selected = |id: &str| {
        settings
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|(o, _)| o == id))
    };
    let mut languages: Languages = targets
        .iter()
        .filter(|t| selected(t.id()))
        .flat_map(|t| t.languages().iter())
        .collect();
    if rust && selected(crate::RUST_TARGET) {
        languages = languages.with(&lang::RUST);
    }
    languages
}

fn parse(name: String, source: String, built_in: bool, at: &str) -> Result<Target, String> {
    let fail = |what: &str| {
        format!(
            "template `{name}`: {what}; start it with\n{{{{!-- errspec\nfile: <path, may use {{catalog}} and {{.platform}}>\nview: canonical | platform <id> | platforms | registry\ntarget: <id>              (optional: the target it belongs to)\noption <name>: <default>  (optional, repeatable: a setting of the target)\n--}}}}"
        )
    };
    let header = source
        .strip_prefix("{{!-- errspec")
        .and_then(|rest| rest.split_once("--}}"))
        .map(|(h, _)| h)
        .ok_or_else(|| fail("it has no errspec header"))?;
    let mut file = None;
    let mut view = None;
    let mut target = None;
    let mut options: Vec<TemplateOption> = Vec::new();
    // Every problem of the header, each at its `path:line:column`.
    let mut problems: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    // The header starts on the template's first line, after `{{!-- errspec`.
    for (i, raw) in header.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let column = if i == 0 {
            "{{!-- errspec".len() + raw.len() - raw.trim_start().len() + 1
        } else {
            raw.len() - raw.trim_start().len() + 1
        };
        let mut problem = |what: String| problems.push(format!("{at}:{}:{column}: {what}", i + 1));
        let Some((key, value)) = line.split_once(':') else {
            problem(format!("header line `{line}` is not `key: value`"));
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if let Some(option) = key.strip_prefix("option ") {
            let option = option.trim();
            if !is_setting_name(option) {
                problem(format!(
                    "`option {option}`: an option's name is lower-case ASCII letters, digits, `_` and `-`, starting with a letter"
                ));
            } else if option == "platform" {
                problem(
                    "`option platform`: `platform` is every target's own setting (`--platform TARGET=ID`); name the option otherwise".to_owned(),
                );
            } else if options.iter().any(|o| o.name == option) {
                problem(format!("`option {option}` is declared twice"));
            } else if let Some(why) = option_value_problem(value) {
                problem(format!(
                    "the default `{value}` of `option {option}` {why}; a value is a dotted name such as `com.example.errors`"
                ));
            } else {
                options.push(TemplateOption {
                    name: option.to_owned(),
                    default: value.to_owned(),
                });
            }
            continue;
        }
        if ["target", "file", "view"].contains(&key) {
            if seen.contains(&key) {
                problem(format!("`{key}:` is given twice; give it once"));
                continue;
            }
            seen.push(key);
        }
        match key {
            "target" => {
                if !is_setting_name(value)
                    || [crate::RUST_TARGET, crate::SCHEMA_TARGET].contains(&value)
                {
                    problem(format!(
                        "`target: {value}`: a target id is lower-case ASCII letters, digits, `_` and `-`, starting with a letter, and not `{}` or `{}` (built-in targets that are not templates)",
                        crate::RUST_TARGET,
                        crate::SCHEMA_TARGET
                    ));
                } else {
                    target = Some(value.to_owned());
                }
            }
            "file" => file = Some(value.to_owned()),
            "view" => match value.split_whitespace().collect::<Vec<_>>().as_slice() {
                ["canonical"] => view = Some(ViewSpec::Canonical),
                ["platforms"] => view = Some(ViewSpec::Platforms),
                ["registry"] => view = Some(ViewSpec::Registry),
                ["platform", id] => view = Some(ViewSpec::Platform((*id).to_owned())),
                _ => problem(format!("unknown view `{value}`")),
            },
            other => problem(format!("unknown header key `{other}`")),
        }
    }
    if !problems.is_empty() {
        return Err(fail(&problems.join("\n  ")));
    }
    let file = file.ok_or_else(|| fail("the header has no `file:`"))?;
    let view = view.ok_or_else(|| fail("the header has no `view:`"))?;
    if let Some(problem) = path_problem(&file) {
        return Err(fail(&format!(
            "`file: {}` {problem}; the path must be relative, with `/` separators, inside the out directory (e.g. `csv/{{catalog}}.csv`)",
            file.chars()
                .map(|c| if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                })
                .collect::<String>()
        )));
    }
    match (&view, file.contains("{catalog}")) {
        (ViewSpec::Registry, true) => {
            return Err(fail(
                "a `registry` view renders once, so `file` cannot use {catalog}",
            ));
        }
        (ViewSpec::Registry, false) => {}
        (_, false) => return Err(fail("a per-catalog view needs {catalog} in `file`")),
        (_, true) => {}
    }
    if view == ViewSpec::Platforms && !file.contains("{.platform}") {
        return Err(fail("a `platforms` view needs {.platform} in `file`"));
    }
    let t = Target {
        name,
        file,
        view,
        source,
        built_in,
        target,
        options,
    };
    // The id is what `--platform`, `--option` and errspec.toml name the target by.
    if !is_setting_name(t.id()) {
        return Err(format!(
            "template `{}`: the target it names, `{}`, is not lower-case ASCII letters, digits, `_` and `-` starting with a letter, so no setting could name it; rename the file (e.g. `my-kotlin.hbs`) or give the header a `target:` line",
            t.name,
            t.id()
        ));
    }
    Ok(t)
}

/// Why a `file:` pattern could name a path outside the out directory, or one
/// that means different things on different systems; `None` when it is fine.
///
/// `{catalog}` and `{.platform}` become snake_case ids (`{.platform}` also
/// nothing), so the pattern is checked with `{.platform}` empty, its emptiest form.
fn path_problem(file: &str) -> Option<String> {
    if let Some(c) = file.chars().find(|c| c.is_control()) {
        return Some(format!(
            "contains the control character U+{:04X}",
            u32::from(c)
        ));
    }
    if file.contains('\\') {
        return Some("contains `\\`; separate components with `/`".to_owned());
    }
    if file.starts_with('/') {
        return Some("is absolute".to_owned());
    }
    let canonical = file.replace("{.platform}", "");
    let in_canonical = if canonical == file {
        String::new()
    } else {
        format!(" (`{canonical}` in the canonical view, where `{{.platform}}` is empty)")
    };
    for part in canonical.split('/') {
        let problem = match part {
            "" => "has an empty component (`//`, or a `/` at the end)".to_owned(),
            "." | ".." => format!("has a `{part}` component"),
            _ if part.contains(':') => format!(
                "has the component `{part}`, which contains `:` (a drive or stream on Windows)"
            ),
            _ => continue,
        };
        return Some(problem + &in_canonical);
    }
    None
}
