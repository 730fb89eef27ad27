//! `errspec import`: existing error tables (Markdown, CSV, JSON; one file per
//! platform) read into a registry whose platforms and per-platform names
//! reproduce every input row. What a table cannot know (`trigger`, `retry`) is
//! left out, never invented. docs/import.md is the user's guide.
//!
//! Each format reader (`markdown`, `csv`, `json`) gives raw rows with places;
//! `table` judges them (every problem of a file at once); `merge` makes the
//! union by code; `registry` writes the YAML, which the real loader then reads
//! back before anything is written.

pub mod cli;
pub mod csv;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod problem;
pub mod registry;
pub mod table;

use std::fmt;
use std::path::{Path, PathBuf};

use errspec::NamingStyle;

use merge::PlatformRows;
use problem::{FileProblems, Place, Problem};
pub use registry::{Category, Header};

/// An input's format, by its file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Json,
}

impl Format {
    /// `.md`, `.markdown`, `.mdx`, `.txt` (a page saved as text): Markdown; `.csv`; `.json`.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" | "mdx" | "txt" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    fn read(self, text: &str) -> problem::Read {
        match self {
            Format::Markdown => markdown::read(text),
            Format::Csv => csv::read(text),
            Format::Json => json::read(text),
        }
    }
}

/// One platform's table.
#[derive(Clone, Debug)]
pub struct Input {
    pub platform: String,
    pub path: PathBuf,
}

/// What the import makes of the inputs; `None` fields are derived.
#[derive(Clone, Debug)]
pub struct Options {
    pub name: Option<String>,
    pub title: Option<String>,
    pub naming: NamingStyle,
    pub categories: Vec<Category>,
    /// The file the registry goes to, if any: its stem names the catalog.
    pub out: Option<PathBuf>,
}

/// The registry made, and what was derived rather than given (to print).
#[derive(Debug)]
pub struct Imported {
    pub text: String,
    pub derived: Vec<String>,
    pub entries: usize,
}

/// Why nothing was imported.
#[derive(Debug)]
pub enum ImportError {
    /// A flag that cannot be used: what is wrong, and how to fix it.
    Usage { what: String, help: String },
    /// Problems in the inputs (unreadable files among them), every one of each file.
    Inputs(Vec<FileProblems>),
    /// The registry made does not load: an importer's gap, said as the loader says it.
    Invalid(errspec::Diagnostics),
}

impl ImportError {
    fn usage(what: impl Into<String>, help: impl Into<String>) -> ImportError {
        ImportError::Usage {
            what: what.into(),
            help: help.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Usage { what, help } => writeln!(f, "error: {what}\n  = help: {help}"),
            ImportError::Inputs(files) => {
                let n: usize = files.iter().map(|f| f.problems.len()).sum();
                for file in files {
                    write!(f, "{file}")?;
                }
                writeln!(
                    f,
                    "error: {n} problem{} in the input{}; nothing was written",
                    if n == 1 { "" } else { "s" },
                    if files.len() == 1 { "" } else { "s" }
                )
            }
            ImportError::Invalid(d) => write!(
                f,
                "{}error: the imported registry does not load (above, as the registry it would have written); nothing was written\n  = help: fix the input rows these names and messages come from\n",
                d.render(false)
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads the inputs and makes the registry text, validated by the loader.
pub fn import(inputs: &[Input], options: &Options) -> Result<Imported, ImportError> {
    check_platforms(inputs)?;
    let mut failed = Vec::new();
    let mut platforms = Vec::new();
    let mut first_title = None;
    for input in inputs {
        let (rows, title, problems) = read_input(input, options.naming)?;
        if first_title.is_none() {
            first_title = title;
        }
        if !problems.is_empty() {
            failed.push(FileProblems {
                path: input.path.clone(),
                problems,
            });
        }
        platforms.push(PlatformRows {
            id: input.platform.clone(),
            path: input.path.clone(),
            rows,
        });
    }
    if !failed.is_empty() {
        return Err(ImportError::Inputs(failed));
    }
    let entries = merge::merge(&platforms).map_err(|problems| per_file(inputs, problems))?;
    outside_categories(&platforms, inputs, &options.categories)?;
    let (header, derived) = header(inputs, options, first_title)?;
    let text = registry::render(&header, &entries);
    validate(&header.name, &text)?;
    Ok(Imported {
        text,
        derived,
        entries: entries.len(),
    })
}

/// Each platform id snake_case and given once.
fn check_platforms(inputs: &[Input]) -> Result<(), ImportError> {
    if inputs.is_empty() {
        return Err(ImportError::usage(
            "no input given",
            "name each platform's table: `--platform web=errors-web.md --platform flutter=errors-flutter.md`",
        ));
    }
    for (i, input) in inputs.iter().enumerate() {
        if !is_snake_id(&input.platform) {
            return Err(ImportError::usage(
                format!("the platform id `{}` is not snake_case", input.platform),
                "write ids like `web`, `flutter` or `react_native`: lower-case words joined by single underscores",
            ));
        }
        if inputs[..i].iter().any(|o| o.platform == input.platform) {
            return Err(ImportError::usage(
                format!("the platform `{}` is given twice", input.platform),
                "give one file per platform; merge the tables of one platform into one file",
            ));
        }
    }
    Ok(())
}

type ReadInput = (Vec<table::Row>, Option<String>, Vec<Problem>);

/// One input read and judged; an unknown format is a usage error, an
/// unreadable file a problem of that file.
fn read_input(input: &Input, naming: NamingStyle) -> Result<ReadInput, ImportError> {
    let Some(format) = Format::of(&input.path) else {
        return Err(ImportError::usage(
            format!(
                "`{}`: the format cannot be told from the file name",
                input.path.display()
            ),
            "name the file `.md` (or `.txt`) for a Markdown table, `.csv` or `.json`",
        ));
    };
    let text = match errspec::input::read_to_string(&input.path) {
        Ok(text) => text,
        Err(e) => {
            let problem = Problem::new(
                Place::START,
                format!("cannot read this file: {e}"),
                "give the path of a readable file (a regular file, UTF-8 text)",
            );
            return Ok((Vec::new(), None, vec![problem]));
        }
    };
    let read = format.read(&text);
    let (rows, mut problems) = table::judge(read.rows, naming);
    problems.extend(read.problems);
    problems.sort_by_key(|p| p.place);
    Ok((rows, read.title, problems))
}

/// The merge's problems, grouped by the file they are in.
fn per_file(inputs: &[Input], problems: Vec<(usize, Problem)>) -> ImportError {
    let mut files: Vec<FileProblems> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let mine: Vec<Problem> = problems
            .iter()
            .filter(|(p, _)| *p == i)
            .map(|(_, problem)| problem.clone())
            .collect();
        if !mine.is_empty() {
            files.push(FileProblems {
                path: input.path.clone(),
                problems: mine,
            });
        }
    }
    ImportError::Inputs(files)
}

/// With `--category`, every code must fall in one (the registry's rule).
fn outside_categories(
    platforms: &[PlatformRows],
    inputs: &[Input],
    categories: &[Category],
) -> Result<(), ImportError> {
    if categories.is_empty() {
        return Ok(());
    }
    let problems: Vec<(usize, Problem)> = platforms
        .iter()
        .enumerate()
        .flat_map(|(p, platform)| platform.rows.iter().map(move |r| (p, r)))
        .filter(|(_, r)| !categories.iter().any(|c| (c.from..=c.to).contains(&r.code)))
        .map(|(p, r)| {
            (
                p,
                Problem::new(
                    r.code_place,
                    format!("code {} is in no `--category` range", r.code),
                    "widen a `--category ID=FROM..TO` range or add one that holds it",
                ),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(per_file(inputs, problems))
    }
}

/// The catalog header, and a line for each value derived rather than given.
fn header(
    inputs: &[Input],
    options: &Options,
    first_title: Option<String>,
) -> Result<(Header, Vec<String>), ImportError> {
    let mut derived = Vec::new();
    let name = match &options.name {
        Some(name) if is_snake_id(name) => name.clone(),
        Some(name) => {
            return Err(ImportError::usage(
                format!("the catalog name `{name}` is not snake_case"),
                "write it like `sdk` or `video_sdk`: lower-case words joined by single underscores",
            ));
        }
        None => {
            let (name, from) = derived_name(inputs, options.out.as_deref())?;
            derived.push(format!(
                "catalog name: `{name}` (from {from}; --name to change)"
            ));
            name
        }
    };
    let title = match &options.title {
        Some(title) => title.clone(),
        None => {
            let (title, from) = match first_title {
                Some(t) => (
                    t,
                    format!("the first heading of `{}`", inputs[0].path.display()),
                ),
                None => (words(&name), "the catalog name".to_owned()),
            };
            derived.push(format!("title: `{title}` (from {from}; --title to change)"));
            title
        }
    };
    let platforms: Vec<(String, String)> = inputs
        .iter()
        .map(|i| (i.platform.clone(), words(&i.platform)))
        .collect();
    for (id, title) in &platforms {
        derived.push(format!(
            "platform `{id}`: title `{title}` (from its id; edit the registry to change)"
        ));
    }
    if options.categories.is_empty() {
        derived.push("categories: none (--category ID=FROM..TO to group codes)".to_owned());
    }
    derived.push(format!(
        "canonical names and messages: `{}`'s; the other platforms' differences are overrides",
        inputs[0].platform
    ));
    let header = Header {
        name,
        title,
        naming: options.naming,
        platforms,
        categories: options.categories.clone(),
        sources: inputs
            .iter()
            .map(|i| (i.platform.clone(), i.path.display().to_string()))
            .collect(),
    };
    Ok((header, derived))
}

/// The catalog name from the out file's name, else the first input's.
fn derived_name(inputs: &[Input], out: Option<&Path>) -> Result<(String, String), ImportError> {
    let (path, whose) = match out {
        Some(out) => (out, "--out's file name"),
        None => (inputs[0].path.as_path(), "the first input's file name"),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = snake(&stem);
    if is_snake_id(&name) {
        Ok((name, format!("{whose}, `{}`", path.display())))
    } else {
        Err(ImportError::usage(
            format!(
                "no catalog name can be made of `{}` ({whose})",
                path.display()
            ),
            "pass --name NAME (snake_case, e.g. `sdk`)",
        ))
    }
}

/// `Video-SDK errors` -> `video_sdk_errors`.
fn snake(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// `react_native` -> `React native`.
fn words(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// The registry's ids: lower-case words joined by single underscores.
pub fn is_snake_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('_').all(|w| !w.is_empty())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The text loaded as the registry it is, with every built-in target's rules.
fn validate(name: &str, text: &str) -> Result<(), ImportError> {
    let options = errspec::LoadOptions {
        languages: crate::targets::built_in_languages().map_err(|e| {
            ImportError::usage(
                format!("the built-in targets' rows do not load: {e}"),
                "report this as a bug of errspec",
            )
        })?,
        ..errspec::LoadOptions::default()
    };
    errspec::load_str_with(format!("{name}.yaml"), text, options)
        .map(|_| ())
        .map_err(ImportError::Invalid)
}
