//! Why the templates cannot be loaded, planned or rendered, typed: each
//! message names what is wrong and how to fix it.

use std::fmt;
use std::path::PathBuf;

use errspec::input::InputError;

/// A template, a target folder or its row is malformed, or a template failed
/// to render.
#[derive(Debug)]
pub enum TemplateError {
    /// A template's header is wrong: every problem found in it.
    Header {
        template: String,
        problems: Vec<HeaderProblem>,
    },
    /// A target's `target.toml` is malformed: every problem, at its
    /// `path:line:column` (each message names the row's target).
    Row(errspec::Diagnostics),
    /// A template or a row (`what`) cannot be read.
    Unreadable {
        what: Readable,
        path: PathBuf,
        error: InputError,
    },
    /// The templates directory or a target folder (`what`) cannot be listed.
    Unlisted {
        what: &'static str,
        dir: PathBuf,
        error: std::io::Error,
    },
    /// A `--templates` template or folder (`what`, e.g. "template `rust.hbs`")
    /// takes the id of a built-in target that is not a template (`id`).
    ReservedId {
        what: String,
        dir: PathBuf,
        id: &'static str,
    },
    /// A target folder's name cannot be a target id.
    FolderName { path: PathBuf },
    /// The target a template names (its file name's, or its `target:`) cannot be a target id.
    TargetId { template: String, id: String },
    /// Two templates of one target give an option two defaults.
    OptionDefaults(Box<OptionDefaults>),
    /// A template is not valid handlebars.
    Syntax {
        template: String,
        error: Box<handlebars::TemplateError>,
    },
    /// A catalog's view model cannot be made the templates' context.
    ViewModel {
        catalog: String,
        error: serde_json::Error,
    },
    /// Templates name fields the view model does not have: each problem at
    /// the template's `path:line:column`, with the scope's fields.
    UnknownFields { problems: Vec<String> },
    /// A template failed to render the output `path`.
    Render {
        template: String,
        path: PathBuf,
        error: Box<handlebars::RenderError>,
    },
    /// Two templates (or catalogs) write one path.
    Collision { template: String, path: PathBuf },
    /// One template's output is a file where another's needs a directory.
    FileAndDirectory {
        template: String,
        path: PathBuf,
        other: String,
        other_path: PathBuf,
    },
    /// Selected templates render platforms no catalog declares; `known` lists those declared.
    UnknownPlatforms {
        templates: Vec<UnknownPlatform>,
        known: Vec<String>,
    },
}

/// Two templates of the target `target` that give `option` two defaults:
/// each as (template, default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionDefaults {
    pub target: String,
    pub option: String,
    pub first: (String, String),
    pub second: (String, String),
}

/// What [`TemplateError::Unreadable`] failed to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readable {
    Template,
    Row,
}

/// One problem of a template's header, at its `path:line:column` when it is one line's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderProblem {
    pub place: Option<Place>,
    pub what: String,
}

/// A line and column (1-based) of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A template whose `view: platform ID` header names an undeclared platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlatform {
    pub template: String,
    pub target: String,
    pub platform: String,
}

/// The header every template starts with, shown when its header is wrong.
const HEADER_FORM: &str = "{{!-- errspec\nfile: <path, may use {catalog}, {.platform} and {option.<name>}>\nview: canonical | platform <id> | platforms | registry\nlanguage: <id>            (optional: the row its helpers read)\ntarget: <id>              (optional: the target it belongs to)\noption <name>: <default>  (optional, repeatable: a setting of the target;\n                          `option <name> npm|pub|swift|version|switch: <default>` for another kind)\nwhen: <switch option>     (optional: rendered only while it is true)\n--}}";

impl TemplateError {
    /// The message to print; a row's diagnostics in colour when `color`.
    pub fn render(&self, color: bool) -> String {
        match self {
            // Each diagnostic ends its own line; a blank line between them.
            TemplateError::Row(d) => {
                let each: Vec<String> = d
                    .list
                    .iter()
                    .map(|one| one.render(&d.sources, color))
                    .collect();
                each.join("\n")
            }
            other => format!("error: {other}\n"),
        }
    }

    /// A header with one problem that is no one line's.
    pub(crate) fn header(template: &str, what: impl Into<String>) -> TemplateError {
        TemplateError::Header {
            template: template.to_owned(),
            problems: vec![HeaderProblem {
                place: None,
                what: what.into(),
            }],
        }
    }
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(Place { file, line, column }) = &self.place {
            write!(f, "{file}:{line}:{column}: ")?;
        }
        f.write_str(&self.what)
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::Header { template, problems } => {
                let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                let problems = problems.join("\n  ");
                write!(
                    f,
                    "template `{template}`: {problems}; start it with\n{HEADER_FORM}"
                )
            }
            TemplateError::Row(_) => f.write_str(self.render(false).trim_end()),
            TemplateError::Unreadable { what, path, error } => {
                fmt_unreadable(f, *what, path, error)
            }
            TemplateError::Unlisted { what, dir, error } => {
                write!(f, "cannot read the {what} `{}`: {error}", dir.display())
            }
            TemplateError::ReservedId { what, dir, id } => fmt_reserved(f, what, dir, id),
            TemplateError::FolderName { path } => write!(
                f,
                "the target folder `{}`: a folder's name is its target's id, lower-case ASCII letters, digits, `_` and `-` starting with a letter; rename it",
                path.display()
            ),
            TemplateError::TargetId { template, id } => write!(
                f,
                "template `{template}`: the target it names, `{id}`, is not lower-case ASCII letters, digits, `_` and `-` starting with a letter, so no setting could name it; rename the file (e.g. `my-kotlin.hbs`) or give the header a `target:` line"
            ),
            TemplateError::OptionDefaults(clash) => {
                let OptionDefaults {
                    target,
                    option,
                    first,
                    second,
                } = clash.as_ref();
                write!(
                    f,
                    "templates `{}` and `{}` of the target `{target}` give `option {option}` two defaults, `{}` and `{}`; give it one",
                    first.0, second.0, first.1, second.1
                )
            }
            TemplateError::Syntax { template, error } => {
                write!(f, "template `{template}`: {error}")
            }
            TemplateError::Render {
                template, error, ..
            } => {
                write!(f, "template `{template}`: {error}")
            }
            TemplateError::UnknownFields { problems } => write!(
                f,
                "{}\n(the view model's fields are listed in errspec's docs/templates.md, \"The view model\"; a template written against an older model moves to the new names)",
                problems.join("\n")
            ),
            TemplateError::ViewModel { catalog, error } => write!(
                f,
                "the view model of catalog `{catalog}` cannot be given to the templates: {error}"
            ),
            TemplateError::Collision { template, path } => write!(
                f,
                "template `{template}` writes `{}`, which another target (or catalog) already writes; give it its own `file:` path",
                path.display()
            ),
            TemplateError::FileAndDirectory {
                template,
                path,
                other,
                other_path,
            } => write!(
                f,
                "template `{template}` writes `{}` and template `{other}` writes `{}`: one is a file where the other needs a directory; give one of them another `file:` path",
                path.display(),
                other_path.display()
            ),
            TemplateError::UnknownPlatforms { templates, known } => {
                fmt_unknown_platforms(f, templates, known)
            }
        }
    }
}

/// Each template's unknown platform, one `error:` each.
fn fmt_unknown_platforms(
    f: &mut fmt::Formatter<'_>,
    templates: &[UnknownPlatform],
    known: &[String],
) -> fmt::Result {
    let known: Vec<String> = known.iter().map(|p| format!("`{p}`")).collect();
    let known = known.join(", ");
    for (i, t) in templates.iter().enumerate() {
        let (name, id, target) = (&t.template, &t.platform, &t.target);
        if i > 0 {
            f.write_str("\nerror: ")?;
        }
        write!(
            f,
            "template `{name}` renders the platform `{id}`, which no catalog declares; known platforms: {known}; fix its `view: platform {id}` header, or choose its view with `--platform {target}=ID` (one of them, or `{}`)",
            crate::CANONICAL
        )?;
    }
    Ok(())
}

fn fmt_unreadable(
    f: &mut fmt::Formatter<'_>,
    what: Readable,
    path: &std::path::Path,
    error: &InputError,
) -> fmt::Result {
    let path = path.display();
    match what {
        Readable::Template => write!(
            f,
            "cannot read template `{path}`: {error}; a template must be a regular file of UTF-8 text"
        ),
        Readable::Row => write!(
            f,
            "cannot read the language row `{path}`: {error}; it must be a regular file of UTF-8 text"
        ),
    }
}

fn fmt_reserved(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    dir: &std::path::Path,
    id: &str,
) -> fmt::Result {
    let dir = dir.display();
    if id == crate::RUST_TARGET {
        write!(
            f,
            "{what} in `{dir}`: `{id}` names the built-in Rust target (the `catalog!` macro's expansion, not a template), which `--platform {id}=ID` sets; rename it"
        )
    } else {
        write!(
            f,
            "{what} in `{dir}`: `{id}` names the built-in target that writes the JSON Schemas; rename it"
        )
    }
}

impl std::error::Error for TemplateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TemplateError::Row(e) => Some(e),
            TemplateError::Unreadable { error, .. } => Some(error),
            TemplateError::Unlisted { error, .. } => Some(error),
            TemplateError::Syntax { error, .. } => Some(error.as_ref()),
            TemplateError::ViewModel { error, .. } => Some(error),
            TemplateError::Render { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}
