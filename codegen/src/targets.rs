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
//!   `{{ident (option "NAME") "path"}}` escapes its keyword parts;
//!   `option NAME KIND: DEFAULT` declares one of another kind of value (`npm`,
//!   `pub`, `swift`, `version`, `switch`: [`crate::packages::OptionKind`]);
//! - `when: NAME` renders the template only while the `switch` option `NAME`
//!   is `true` (a package's metadata file).
//!
//! `file` may hold `{option.NAME}`, a dotted option's value with `.` as `/`
//! (Kotlin's package directory). It is relative to the out directory with `/` separators: no absolute
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

use crate::packages::OptionKind;
use crate::template_error::{HeaderProblem, OptionDefaults, Place, Readable, TemplateError};

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
            (
                "typescript-package.hbs",
                include_str!("../targets/typescript/typescript-package.hbs"),
            ),
            (
                "typescript-tsconfig.hbs",
                include_str!("../targets/typescript/typescript-tsconfig.hbs"),
            ),
        ],
    },
    BuiltIn {
        id: "dart",
        row: include_str!("../targets/dart/target.toml"),
        templates: &[
            ("dart.hbs", include_str!("../targets/dart/dart.hbs")),
            (
                "dart-pubspec.hbs",
                include_str!("../targets/dart/dart-pubspec.hbs"),
            ),
        ],
    },
    BuiltIn {
        id: "kotlin",
        row: include_str!("../targets/kotlin/target.toml"),
        templates: &[("kotlin.hbs", include_str!("../targets/kotlin/kotlin.hbs"))],
    },
    BuiltIn {
        id: "swift",
        row: include_str!("../targets/swift/target.toml"),
        templates: &[
            ("swift.hbs", include_str!("../targets/swift/swift.hbs")),
            (
                "swift-package.hbs",
                include_str!("../targets/swift/swift-package.hbs"),
            ),
        ],
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
        id: "c",
        row: include_str!("../targets/c/target.toml"),
        templates: &[("c.hbs", include_str!("../targets/c/c.hbs"))],
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
pub fn built_in_languages() -> Result<Languages, TemplateError> {
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

fn built_in_row(b: &BuiltIn) -> Result<Arc<Language>, TemplateError> {
    let at = format!("codegen/targets/{}/{}", b.id, crate::row::FILE_NAME);
    crate::row::parse(b.id, Path::new(&at), b.row).map_err(TemplateError::Row)
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
    /// The header's `when: OPTION`: a `switch` option of the target, the
    /// template rendered only while it is `true` (a package's metadata file).
    pub when: Option<String>,
}

/// A setting a template declares: `option package: errspec.generated`, or
/// with a kind, `option package npm: {project}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateOption {
    pub name: String,
    pub default: String,
    pub kind: OptionKind,
}

impl TemplateOption {
    /// Its default as the header declares it, with its kind: `npm: {project}`.
    pub fn declared(&self) -> String {
        match self.kind.word() {
            Some(kind) => format!("{kind}: {}", self.default),
            None => self.default.clone(),
        }
    }
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

/// The error when `id` (a `--templates` folder's or template's, `what`) names
/// a built-in target that is not a template, or `None`.
fn reserved_id(id: &str, what: &str, dir: &Path) -> Option<TemplateError> {
    let id = [crate::RUST_TARGET, crate::SCHEMA_TARGET]
        .into_iter()
        .find(|r| *r == id)?;
    Some(TemplateError::ReservedId {
        what: what.to_owned(),
        dir: dir.to_path_buf(),
        id,
    })
}

/// The entries of a directory, sorted by name (the file system's order is its own).
fn entries(dir: &Path, what: &'static str) -> Result<Vec<std::path::PathBuf>, TemplateError> {
    let read = |error: std::io::Error| TemplateError::Unlisted {
        what,
        dir: dir.to_path_buf(),
        error,
    };
    let mut paths = std::fs::read_dir(dir)
        .map_err(read)?
        .map(|entry| entry.map(|e| e.path()).map_err(read))
        .collect::<Result<Vec<_>, _>>()?;
    paths.sort();
    Ok(paths)
}

fn read_template(path: &Path) -> Result<String, TemplateError> {
    errspec::input::read_to_string(path).map_err(|error| TemplateError::Unreadable {
        what: Readable::Template,
        path: path.to_path_buf(),
        error,
    })
}

/// The row of the target folder `path` (`DIR/<id>/target.toml`), if it has one.
fn read_row(id: &str, path: &Path) -> Result<Option<Arc<Language>>, TemplateError> {
    let row_path = path.join(crate::row::FILE_NAME);
    match errspec::input::read_to_string(&row_path) {
        Ok(text) => Ok(Some(
            crate::row::parse(id, &row_path, &text).map_err(TemplateError::Row)?,
        )),
        Err(e) if e.is_not_found() => Ok(None),
        Err(error) => Err(TemplateError::Unreadable {
            what: Readable::Row,
            path: row_path,
            error,
        }),
    }
}

/// Reads the target folder `path` (`DIR/<file>/`): its row, if it has one, and
/// its templates, which replace the built-in target of its id.
fn add_folder(
    dir: &Path,
    path: &Path,
    file: &str,
    rows: &mut BTreeMap<String, Arc<Language>>,
    sources: &mut BTreeMap<String, Source>,
) -> Result<(), TemplateError> {
    if let Some(e) = reserved_id(file, &format!("the target folder `{file}`"), dir) {
        return Err(e);
    }
    if !is_setting_name(file) {
        return Err(TemplateError::FolderName {
            path: path.to_path_buf(),
        });
    }
    // The folder is the whole target: a built-in of its id is replaced.
    sources.retain(|_, s| !(s.built_in && s.folder.as_deref() == Some(file)));
    if let Some(row) = read_row(file, path)? {
        rows.insert(file.to_owned(), row);
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

/// Reads the flat template `path` (`DIR/<file>`), which replaces the built-in
/// template of its name, in that built-in's target.
fn add_flat(
    dir: &Path,
    path: &Path,
    file: &str,
    sources: &mut BTreeMap<String, Source>,
) -> Result<(), TemplateError> {
    let stem = file.strip_suffix(".hbs").unwrap_or(file);
    if let Some(e) = reserved_id(stem, &format!("template `{file}`"), dir) {
        return Err(e);
    }
    let folder = sources
        .get(file)
        .filter(|s| s.built_in)
        .and_then(|s| s.folder.clone());
    let source = Source {
        text: read_template(path)?,
        folder,
        built_in: false,
        at: path.display().to_string(),
    };
    sources.insert(file.to_owned(), source);
    Ok(())
}

/// The rows and templates of the built-in targets.
type Loaded = (BTreeMap<String, Arc<Language>>, BTreeMap<String, Source>);

fn built_ins() -> Result<Loaded, TemplateError> {
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
    Ok((rows, sources))
}

/// The targets to render: the built-in ones, overridden or extended by a
/// directory of target folders (`DIR/<id>/`, each replacing the built-in
/// target of its id) and flat templates (`DIR/<name>.hbs`, each replacing the
/// built-in template of its name).
pub fn load(dir: Option<&Path>) -> Result<Vec<Target>, TemplateError> {
    // The rows templates may name: the built-ins', each replaced by a folder of its id.
    let (mut rows, mut sources) = built_ins()?;
    if let Some(dir) = dir {
        for path in entries(dir, "templates directory")? {
            let Some(file) = path.file_name().map(|f| f.to_string_lossy().into_owned()) else {
                continue;
            };
            if path.is_dir() {
                add_folder(dir, &path, &file, &mut rows, &mut sources)?;
            } else if path.extension().is_some_and(|e| e == "hbs") {
                add_flat(dir, &path, &file, &mut sources)?;
            }
        }
    }
    let targets = sources
        .into_iter()
        .map(|(name, source)| {
            let own = source.folder.clone();
            // A template reads its own folder's row, or a built-in target's.
            let language = |id: &str| {
                let allowed = own.as_deref() == Some(id) || BUILT_IN.iter().any(|b| b.id == id);
                rows.get(id).filter(|_| allowed).cloned()
            };
            parse(name, source, &language)
        })
        .collect::<Result<Vec<_>, _>>()?;
    check_option_defaults(&targets)?;
    Ok(targets)
}

/// The templates of one target share its options: one default each.
fn check_option_defaults(targets: &[Target]) -> Result<(), TemplateError> {
    for (i, t) in targets.iter().enumerate() {
        for o in &t.options {
            let other = targets[..i].iter().find_map(|u| {
                let same = u.options.iter().find(|p| p.name == o.name)?;
                let differ = same.default != o.default || same.kind != o.kind;
                (u.id() == t.id() && differ).then_some((u, same))
            });
            if let Some((u, same)) = other {
                return Err(TemplateError::OptionDefaults(Box::new(OptionDefaults {
                    target: t.id().to_owned(),
                    option: o.name.clone(),
                    first: (u.name.clone(), same.declared()),
                    second: (t.name.clone(), o.declared()),
                })));
            }
        }
    }
    Ok(())
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
            if !l.dotted_packages && value.contains('.') {
                return Some(format!(
                    "has several parts, but a {} package is one identifier: use one name, such as `errors`",
                    l.name
                ));
            }
            if l.prefix_packages
                && (value.starts_with('_') || value.ends_with('_') || value.contains("__"))
            {
                return Some(format!(
                    "starts {} names, so it may not start with `_` nor hold `__` (names C and C++ reserve) nor end with `_` (a `_` follows it): use letters and digits joined by single `_`, such as `vsdk`",
                    l.name
                ));
            }
            let package = l.reserved_packages.iter().find(|p| p.name == root)?;
            Some(format!(
                "is under `{root}`, which {} refuses for a package of yours: {}; use a package of your own, such as `com.example.errors`",
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

/// What a template's header says, before it is checked as a whole.
#[derive(Default)]
struct Header {
    file: Option<String>,
    view: Option<ViewSpec>,
    target: Option<String>,
    language: Option<Arc<Language>>,
    options: Vec<TemplateOption>,
    when: Option<String>,
    /// The keys given so far, each allowed once.
    seen: Vec<String>,
}

/// The row a header's `language: ID` names, if the template may read it.
type RowOf<'a> = dyn Fn(&str) -> Option<Arc<Language>> + 'a;

fn parse(name: String, from: Source, language_row: &RowOf<'_>) -> Result<Target, TemplateError> {
    let Source {
        text: source,
        folder,
        built_in,
        at,
    } = from;
    let fail = |what: String| TemplateError::header(&name, what);
    let text = source
        .strip_prefix("{{!-- errspec")
        .and_then(|rest| rest.split_once("--}}"))
        .map(|(h, _)| h)
        .ok_or_else(|| fail("it has no errspec header".to_owned()))?;
    let header =
        read_header(text, &at, language_row).map_err(|problems| TemplateError::Header {
            template: name.clone(),
            problems,
        })?;
    let file = header
        .file
        .ok_or_else(|| fail("the header has no `file:`".to_owned()))?;
    let view = header
        .view
        .ok_or_else(|| fail("the header has no `view:`".to_owned()))?;
    if let Some(problem) = placement_problem(&file, &view)
        .or_else(|| crate::packages::file_options_problem(&file, &header.options))
        .or_else(|| crate::packages::when_problem(header.when.as_deref(), &header.options))
    {
        return Err(fail(problem));
    }
    let t = Target {
        name,
        folder,
        language: header.language,
        file,
        view,
        source,
        at,
        built_in,
        target: header.target,
        options: header.options,
        when: header.when,
    };
    // The id is what `--platform`, `--option` and errspec.toml name the target by.
    if !is_setting_name(t.id()) {
        return Err(TemplateError::TargetId {
            id: t.id().to_owned(),
            template: t.name,
        });
    }
    Ok(t)
}

/// Reads the header `text` of the template at `at`: what it says, or every
/// problem of its lines, each at its `path:line:column`.
fn read_header(
    text: &str,
    at: &str,
    language_row: &RowOf<'_>,
) -> Result<Header, Vec<HeaderProblem>> {
    let mut header = Header::default();
    let mut problems = Vec::new();
    // The header starts on the template's first line, after `{{!-- errspec`.
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let column = if i == 0 { "{{!-- errspec".len() } else { 0 } + indent + 1;
        if let Some(what) = header_line(&mut header, line, language_row) {
            let place = Place {
                file: at.to_owned(),
                line: i + 1,
                column,
            };
            problems.push(HeaderProblem {
                place: Some(place),
                what,
            });
        }
    }
    if problems.is_empty() {
        Ok(header)
    } else {
        Err(problems)
    }
}

/// Reads one line of a header into `header`: the problem with it, or `None`.
fn header_line(header: &mut Header, line: &str, language_row: &RowOf<'_>) -> Option<String> {
    let Some((key, value)) = line.split_once(':') else {
        return Some(format!("header line `{line}` is not `key: value`"));
    };
    let (key, value) = (key.trim(), value.trim());
    if let Some(option) = key.strip_prefix("option ") {
        return option_line(header, option.trim(), value);
    }
    if ["target", "file", "view", "language", "when"].contains(&key) {
        if header.seen.iter().any(|k| k == key) {
            return Some(format!("`{key}:` is given twice; give it once"));
        }
        header.seen.push(key.to_owned());
    }
    match key {
        "target" => {
            if !is_setting_name(value)
                || [crate::RUST_TARGET, crate::SCHEMA_TARGET].contains(&value)
            {
                return Some(format!(
                    "`target: {value}`: a target id is lower-case ASCII letters, digits, `_` and `-`, starting with a letter, and not `{}` or `{}` (built-in targets that are not templates)",
                    crate::RUST_TARGET,
                    crate::SCHEMA_TARGET
                ));
            }
            header.target = Some(value.to_owned());
        }
        "file" => header.file = Some(value.to_owned()),
        "when" => header.when = Some(value.to_owned()),
        "language" => match language_row(value) {
            Some(row) => header.language = Some(row),
            None => {
                let built_in: Vec<&str> = BUILT_IN.iter().map(|b| b.id).collect();
                return Some(format!(
                    "`language: {value}` names no row: a template names its own folder's (`<folder>/{}`) or a built-in target's ({})",
                    crate::row::FILE_NAME,
                    built_in.join(", ")
                ));
            }
        },
        "view" => match view_spec(value) {
            Some(view) => header.view = Some(view),
            None => return Some(format!("unknown view `{value}`")),
        },
        other => return Some(format!("unknown header key `{other}`")),
    }
    None
}

fn view_spec(value: &str) -> Option<ViewSpec> {
    match value.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["canonical"] => Some(ViewSpec::Canonical),
        ["platforms"] => Some(ViewSpec::Platforms),
        ["registry"] => Some(ViewSpec::Registry),
        ["platform", id] => Some(ViewSpec::Platform((*id).to_owned())),
        _ => None,
    }
}

/// Reads a header's `option NAME: DEFAULT` line: the problem with it, or `None`.
fn option_line(header: &mut Header, option: &str, value: &str) -> Option<String> {
    let (option, kind) = match option.split_once(' ') {
        Some((name, kind)) => match OptionKind::parse(kind.trim()) {
            Some(kind) => (name, kind),
            None => {
                return Some(format!(
                    "`option {option}`: `{}` is no kind of value; a kind is {}, or none for a dotted name",
                    kind.trim(),
                    OptionKind::NAMES
                ));
            }
        },
        None => (option, OptionKind::Dotted),
    };
    if !is_setting_name(option) {
        Some(format!(
            "`option {option}`: an option's name is lower-case ASCII letters, digits, `_` and `-`, starting with a letter"
        ))
    } else if option == "platform" {
        Some("`option platform`: `platform` is every target's own setting (`--platform TARGET=ID`); name the option otherwise".to_owned())
    } else if header.options.iter().any(|o| o.name == option) {
        Some(format!("`option {option}` is declared twice"))
    } else if let Some(why) = (value != crate::packages::PROJECT || !kind.derives())
        .then(|| kind.problem(value))
        .flatten()
    {
        Some(format!(
            "the default `{value}` of `option {option}` {why}; a value is {}",
            kind.example()
        ))
    } else {
        header.options.push(TemplateOption {
            name: option.to_owned(),
            default: value.to_owned(),
            kind,
        });
        None
    }
}

fn placement_problem(file: &str, view: &ViewSpec) -> Option<String> {
    if let Some(problem) = path_problem(file) {
        let shown: String = file
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        return Some(format!(
            "`file: {shown}` {problem}; the path must be relative, with `/` separators, inside the out directory (e.g. `csv/{{catalog}}.csv`)"
        ));
    }
    let problem = match (view, file.contains("{catalog}")) {
        (ViewSpec::Registry, true) => {
            "a `registry` view renders once, so `file` cannot use {catalog}"
        }
        (ViewSpec::Registry, false) | (_, true) => "",
        (_, false) => "a per-catalog view needs {catalog} in `file`",
    };
    if !problem.is_empty() {
        return Some(problem.to_owned());
    }
    (*view == ViewSpec::Platforms && !file.contains("{.platform}"))
        .then(|| "a `platforms` view needs {.platform} in `file`".to_owned())
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
