//! Targets: one folder each, `codegen/targets/<id>/` built in or `DIR/<id>/`
//! under `--templates DIR`, holding the target's language row
//! ([`crate::row`], `target.toml`) and its handlebars templates; a flat
//! `DIR/<name>.hbs` overrides the built-in template of that name or adds one.
//!
//! A template says where its output goes, which view it renders and which
//! language it writes in a header comment on its first lines:
//!
//! ```handlebars
//! {{!-- errspec
//! file: typescript/{catalog}.ts
//! view: platform web
//! language: typescript
//! --}}
//! ```
//!
//! `language: ID` names the row the helpers `str`, `doc`, `ident`,
//! `param_ident`, `param_type`, `param_text` and `preamble` read: its own
//! folder's, or a built-in target's. More header keys are optional:
//! - `target: ID` names the target the template belongs to (default: its
//!   folder's id, or a flat template's file name without `.hbs`), so several
//!   templates make one target: `index.ts`
//!   is part of `typescript`, selected and set with it;
//! - `option NAME: DEFAULT` declares a setting of the target, read in the
//!   template as `{{option "NAME"}}` and set with `--option TARGET.NAME=VALUE`
//!   or `[target.TARGET]` in errspec.toml. A value is a dotted name
//!   (`com.example.errors`: ASCII letters, digits and `_`, not starting with
//!   a digit, parts joined by `.`), so it is safe in any language's source;
//!   `{{ident (option "NAME") "path"}}` escapes its keyword parts.
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
use std::sync::Arc;

use errspec::lang::{Language, Languages};

/// A built-in target's folder, embedded in the binary.
pub struct BuiltIn {
    /// The folder's name, `codegen/targets/<id>/`: the target's id and its row's.
    pub id: &'static str,
    /// Its `target.toml`.
    pub row: &'static str,
    /// Its templates: (file name, source).
    pub templates: &'static [(&'static str, &'static str)],
}

/// The built-in targets (the Rust target aside, which is `errspec-rust`'s code).
pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        id: "typescript",
        row: include_str!("../targets/typescript/target.toml"),
        templates: &[
            (
                "typescript.hbs",
                include_str!("../targets/typescript/typescript.hbs"),
            ),
            (
                "typescript-index.hbs",
                include_str!("../targets/typescript/typescript-index.hbs"),
            ),
        ],
    },
    BuiltIn {
        id: "dart",
        row: include_str!("../targets/dart/target.toml"),
        templates: &[("dart.hbs", include_str!("../targets/dart/dart.hbs"))],
    },
    BuiltIn {
        id: "kotlin",
        row: include_str!("../targets/kotlin/target.toml"),
        templates: &[("kotlin.hbs", include_str!("../targets/kotlin/kotlin.hbs"))],
    },
    BuiltIn {
        id: "swift",
        row: include_str!("../targets/swift/target.toml"),
        templates: &[("swift.hbs", include_str!("../targets/swift/swift.hbs"))],
    },
    BuiltIn {
        id: "go",
        row: include_str!("../targets/go/target.toml"),
        templates: &[
            ("go.hbs", include_str!("../targets/go/go.hbs")),
            (
                "go-errspec.hbs",
                include_str!("../targets/go/go-errspec.hbs"),
            ),
        ],
    },
    BuiltIn {
        id: "markdown",
        row: include_str!("../targets/markdown/target.toml"),
        templates: &[(
            "markdown.hbs",
            include_str!("../targets/markdown/markdown.hbs"),
        )],
    },
];

/// The rows of the built-in targets, Rust's first: the languages of a run
/// that renders every built-in target.
pub fn built_in_languages() -> Result<Languages, String> {
    let mut languages = Languages::none().with(errspec_rust::language());
    for b in BUILT_IN {
        languages = languages.with(built_in_row(b)?);
    }
    Ok(languages)
}

/// The row of the built-in target `id` (`rust`: `errspec-rust`'s), as shipped.
pub fn built_in_language(id: &str) -> Option<Arc<Language>> {
    if id == crate::RUST_TARGET {
        return Some(errspec_rust::language());
    }
    built_in_row(BUILT_IN.iter().find(|b| b.id == id)?).ok()
}

fn built_in_row(b: &BuiltIn) -> Result<Arc<Language>, String> {
    let at = format!("codegen/targets/{}/{}", b.id, crate::row::FILE_NAME);
    crate::row::parse(b.id, Path::new(&at), b.row)
}

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
    /// The template's name: its file name, e.g. `dart.hbs`, or `<folder>/<file>`
    /// for a template of a `--templates` folder.
    pub name: String,
    /// The folder it belongs to (`dart`), if any: the target's id by default.
    pub folder: Option<String>,
    /// The row its header's `language:` names.
    pub language: Option<Arc<Language>>,
    /// Output path pattern, relative to the out directory.
    pub file: String,
    pub view: ViewSpec,
    pub source: String,
    /// Where it was read from, for messages: `codegen/targets/dart/dart.hbs`, or its path under `--templates`.
    pub at: String,
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
    /// header's `target:`, else its folder's id, else the file name without `.hbs`.
    pub fn id(&self) -> &str {
        match (&self.target, &self.folder) {
            (Some(id), _) | (None, Some(id)) => id,
            (None, None) => self.name.strip_suffix(".hbs").unwrap_or(&self.name),
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

/// A template before its header is read.
struct Source {
    text: String,
    folder: Option<String>,
    built_in: bool,
    /// Where its problems are reported: its file, or the built-in's source.
    at: String,
}

/// Why `id` (a `--templates` folder's or template's, `what`) cannot name a target, or `None`.
fn reserved_id_problem(id: &str, what: &str, dir: &Path) -> Option<String> {
    let (rust, schema) = (crate::RUST_TARGET, crate::SCHEMA_TARGET);
    if id == rust {
        return Some(format!(
            "{what} in `{}`: `{rust}` names the built-in Rust target (the `catalog!` macro's expansion, not a template), which `--platform {rust}=ID` sets; rename it",
            dir.display()
        ));
    }
    if id == schema {
        return Some(format!(
            "{what} in `{}`: `{schema}` names the built-in target that writes the JSON Schemas; rename it",
            dir.display()
        ));
    }
    None
}

/// The entries of a directory, sorted by name (the file system's order is its own).
fn entries(dir: &Path, what: &str) -> Result<Vec<std::path::PathBuf>, String> {
    let read = |e: std::io::Error| format!("cannot read the {what} `{}`: {e}", dir.display());
    let mut paths = std::fs::read_dir(dir)
        .map_err(read)?
        .map(|entry| entry.map(|e| e.path()).map_err(read))
        .collect::<Result<Vec<_>, _>>()?;
    paths.sort();
    Ok(paths)
}

fn read_template(path: &Path) -> Result<String, String> {
    errspec::input::read_to_string(path).map_err(|e| {
        format!(
            "cannot read template `{}`: {e}; a template must be a regular file of UTF-8 text",
            path.display()
        )
    })
}

/// Reads the target folder `path` (`DIR/<file>/`): its row, if it has one, and
/// its templates, which replace the built-in target of its id.
fn add_folder(
    dir: &Path,
    path: &Path,
    file: &str,
    rows: &mut BTreeMap<String, Arc<Language>>,
    sources: &mut BTreeMap<String, Source>,
) -> Result<(), String> {
    if let Some(problem) = reserved_id_problem(file, &format!("the target folder `{file}`"), dir) {
        return Err(problem);
    }
    if !is_setting_name(file) {
        return Err(format!(
            "the target folder `{}`: a folder's name is its target's id, lower-case ASCII letters, digits, `_` and `-` starting with a letter; rename it",
            path.display()
        ));
    }
    // The folder is the whole target: a built-in of its id is replaced.
    sources.retain(|_, s| !(s.built_in && s.folder.as_deref() == Some(file)));
    let row_path = path.join(crate::row::FILE_NAME);
    match errspec::input::read_to_string(&row_path) {
        Ok(text) => {
            rows.insert(file.to_owned(), crate::row::parse(file, &row_path, &text)?);
        }
        Err(e) if e.is_not_found() => {}
        Err(e) => {
            return Err(format!(
                "cannot read the language row `{}`: {e}; it must be a regular file of UTF-8 text",
                row_path.display()
            ));
        }
    }
    for template in entries(path, "target folder")? {
        if template.extension().is_some_and(|e| e == "hbs") {
            let name = template
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            sources.insert(
                format!("{file}/{name}"),
                Source {
                    text: read_template(&template)?,
                    folder: Some(file.to_owned()),
                    built_in: false,
                    at: template.display().to_string(),
                },
            );
        }
    }
    Ok(())
}

/// The targets to render: the built-in ones, overridden or extended by a
/// directory of target folders (`DIR/<id>/`, each replacing the built-in
/// target of its id) and flat templates (`DIR/<name>.hbs`, each replacing the
/// built-in template of its name).
pub fn load(dir: Option<&Path>) -> Result<Vec<Target>, String> {
    // The rows templates may name: the built-ins', each replaced by a folder of its id.
    let mut rows: BTreeMap<String, Arc<Language>> = BTreeMap::new();
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    for b in BUILT_IN {
        rows.insert(b.id.to_owned(), built_in_row(b)?);
        for (name, text) in b.templates {
            sources.insert(
                (*name).to_owned(),
                Source {
                    text: (*text).to_owned(),
                    folder: Some(b.id.to_owned()),
                    built_in: true,
                    at: format!("codegen/targets/{}/{name}", b.id),
                },
            );
        }
    }
    if let Some(dir) = dir {
        for path in entries(dir, "templates directory")? {
            let Some(file) = path.file_name().map(|f| f.to_string_lossy().into_owned()) else {
                continue;
            };
            if path.is_dir() {
                add_folder(dir, &path, &file, &mut rows, &mut sources)?;
            } else if path.extension().is_some_and(|e| e == "hbs") {
                let stem = file.strip_suffix(".hbs").unwrap_or(&file);
                if let Some(problem) = reserved_id_problem(stem, &format!("template `{file}`"), dir)
                {
                    return Err(problem);
                }
                // A flat template replaces the built-in of its name, in that built-in's target.
                let folder = sources
                    .get(&file)
                    .filter(|s| s.built_in)
                    .and_then(|s| s.folder.clone());
                sources.insert(
                    file.clone(),
                    Source {
                        text: read_template(&path)?,
                        folder,
                        built_in: false,
                        at: path.display().to_string(),
                    },
                );
            }
        }
    }
    let built_in_ids: Vec<&str> = BUILT_IN.iter().map(|b| b.id).collect();
    let targets = sources
        .into_iter()
        .map(|(name, source)| {
            let own = source.folder.clone();
            let language = |id: &str| -> Result<Arc<Language>, String> {
                let allowed = own.as_deref() == Some(id) || built_in_ids.contains(&id);
                match rows.get(id).filter(|_| allowed) {
                    Some(row) => Ok(row.clone()),
                    None => Err(format!(
                        "`language: {id}` names no row: a template names its own folder's (`<folder>/{}`) or a built-in target's ({})",
                        crate::row::FILE_NAME,
                        built_in_ids.join(", ")
                    )),
                }
            };
            parse(name, source, &language)
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

/// Why `value`, set on the target `id`, is a package that one of the target's
/// languages refuses for a user's code (`kotlin.errors`, `java.errors`), or `None`.
pub fn reserved_package_problem(targets: &[Target], id: &str, value: &str) -> Option<String> {
    let root = value.split('.').next().unwrap_or(value);
    targets
        .iter()
        .filter(|t| t.id() == id)
        .filter_map(|t| t.language.as_deref())
        .find_map(|l| {
            let package = l.reserved_packages.iter().find(|p| p.name == root)?;
            Some(format!(
                "is under `{root}`, which {} reserves for its own library: {}",
                l.name, package.why
            ))
        })
}

/// The languages a registry must suit to render the targets `settings` selects
/// (every target when it names none): each selected template's row, and Rust's
/// when the Rust target renders (unless `rust` is false). Ids that name no
/// target add nothing: rendering reports them.
pub fn languages(targets: &[Target], settings: &crate::Settings, rust: bool) -> Languages {
    let selected = |id: &str| {
        settings
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|(o, _)| o == id))
    };
    let mut languages = Languages::none();
    if rust && selected(crate::RUST_TARGET) {
        languages = languages.with(errspec_rust::language());
    }
    // Diagnostics name languages in the built-in targets' order, then by id.
    let mut rows: Vec<Arc<Language>> = targets
        .iter()
        .filter(|t| selected(t.id()))
        .filter_map(|t| t.language.clone())
        .collect();
    rows.sort_by_key(|l| {
        let built_in = BUILT_IN.iter().position(|b| b.id == l.id);
        (built_in.unwrap_or(BUILT_IN.len()), l.id.clone())
    });
    rows.into_iter().fold(languages, Languages::with)
}

fn parse(
    name: String,
    from: Source,
    language_row: &dyn Fn(&str) -> Result<Arc<Language>, String>,
) -> Result<Target, String> {
    let Source {
        text: source,
        folder,
        built_in,
        at,
    } = from;
    let fail = |what: &str| {
        format!(
            "template `{name}`: {what}; start it with\n{{{{!-- errspec\nfile: <path, may use {{catalog}} and {{.platform}}>\nview: canonical | platform <id> | platforms | registry\nlanguage: <id>            (optional: the row its helpers read)\ntarget: <id>              (optional: the target it belongs to)\noption <name>: <default>  (optional, repeatable: a setting of the target)\n--}}}}"
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
    let mut language = None;
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
        if ["target", "file", "view", "language"].contains(&key) {
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
            "language" => match language_row(value) {
                Ok(row) => language = Some(row),
                Err(why) => problem(why),
            },
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
        folder,
        language,
        file,
        view,
        source,
        at,
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
