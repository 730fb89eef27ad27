//! The `import` subcommand's flags, and where its registry may be written:
//! standard output, or a new `.yaml` file; an existing one only with
//! `--force`, and never an input, a generated output or anything but a
//! regular file (docs/ownership.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use errspec::NamingStyle;

use super::{Category, ImportError, Input, Options};
use crate::ownership::{self, Manifest};

/// `errspec import`: existing error tables into a registry
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A platform's table: ID is the platform id (`web`, `flutter`), FILE a
    /// Markdown (.md, .txt), CSV (.csv) or JSON (.json) file (repeatable; the
    /// first platform given names the canonical entries)
    #[arg(long = "platform", value_name = "ID=FILE", value_parser = platform_file, required = true)]
    pub platforms: Vec<(String, PathBuf)>,

    /// Write the registry to FILE (.yaml) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace FILE if it exists (only a registry file: never an input or a generated output)
    #[arg(long, requires = "out")]
    pub force: bool,

    /// The catalog name (snake_case) [default: --out's file name, else the first input's]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// The catalog title [default: the first input's `# heading`, else the name]
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,

    /// The names' style: SCREAMING_SNAKE_CASE or UpperCamelCase
    #[arg(long, value_name = "STYLE", default_value = "SCREAMING_SNAKE_CASE", value_parser = naming)]
    pub naming: NamingStyle,

    /// A category of codes, e.g. `configuration=4000..4999` (repeatable; its
    /// title is made of its id)
    #[arg(long = "category", value_name = "ID=FROM..TO", value_parser = category)]
    pub categories: Vec<Category>,
}

fn platform_file(value: &str) -> Result<(String, PathBuf), String> {
    match value.split_once('=') {
        Some((id, file)) if !id.trim().is_empty() && !file.is_empty() => {
            Ok((id.trim().to_owned(), PathBuf::from(file)))
        }
        _ => Err("expected ID=FILE, e.g. `web=errors-web.md`".to_owned()),
    }
}

fn naming(value: &str) -> Result<NamingStyle, String> {
    NamingStyle::from_id(value).ok_or_else(|| {
        let styles: Vec<&str> = NamingStyle::ALL.iter().map(|s| s.as_str()).collect();
        format!("expected one of {}", styles.join(", "))
    })
}

fn category(value: &str) -> Result<Category, String> {
    let form = "expected ID=FROM..TO, e.g. `configuration=4000..4999`";
    let (id, range) = value.split_once('=').ok_or(form)?;
    let (from, to) = range.split_once("..").ok_or(form)?;
    let (Ok(from), Ok(to)) = (from.trim().parse::<u32>(), to.trim().parse::<u32>()) else {
        return Err(form.to_owned());
    };
    let id = id.trim();
    if !super::is_snake_id(id) {
        return Err(format!("`{id}` is not a snake_case id ({form})"));
    }
    if from > to {
        return Err(format!("{from} is above {to}: write the lower code first"));
    }
    Ok(Category {
        id: id.to_owned(),
        title: super::words(id),
        from,
        to,
    })
}

/// Runs the subcommand: exit status 0 written, 1 a problem of the inputs or
/// the out file, 2 usage.
pub fn run(args: &ImportArgs) -> ExitCode {
    let inputs: Vec<Input> = args
        .platforms
        .iter()
        .map(|(platform, path)| Input {
            platform: platform.clone(),
            path: path.clone(),
        })
        .collect();
    if let Some(out) = &args.out
        && let Err(refused) = may_write(out, args.force, &inputs)
    {
        eprint!("{refused}");
        return refused.status();
    }
    let options = Options {
        name: args.name.clone(),
        title: args.title.clone(),
        naming: args.naming,
        categories: args.categories.clone(),
        out: args.out.clone(),
    };
    let imported = match super::import(&inputs, &options) {
        Ok(imported) => imported,
        Err(e) => {
            eprint!("{e}");
            return match e {
                ImportError::Usage { .. } => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            };
        }
    };
    for line in &imported.derived {
        eprintln!("derived: {line}");
    }
    let Some(out) = &args.out else {
        print!("{}", imported.text);
        return ExitCode::SUCCESS;
    };
    match crate::files::write_file(out, &imported.text) {
        Ok(_) => {
            eprintln!(
                "wrote {} ({} errors on {} platforms; no trigger or retry: add them where you know them)",
                out.display(),
                imported.entries,
                inputs.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}\n  = help: pick a FILE in a directory you can write to");
            ExitCode::FAILURE
        }
    }
}

/// Why the registry may not go to `--out`.
#[derive(Debug)]
pub enum OutRefused {
    /// Not a `.yaml`/`.yml` file: not a registry the loader would read.
    NotYaml(PathBuf),
    /// There already, and no `--force`.
    Exists(PathBuf),
    /// One of the inputs.
    AnInput(PathBuf),
    /// An output of an errspec run (listed in the manifest of `dir`).
    Generated { path: PathBuf, dir: PathBuf },
}

impl OutRefused {
    fn status(&self) -> ExitCode {
        match self {
            OutRefused::NotYaml(_) => ExitCode::from(2),
            _ => ExitCode::FAILURE,
        }
    }
}

impl std::fmt::Display for OutRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, help) = match self {
            OutRefused::NotYaml(p) => (
                format!("`--out {}` is not a .yaml file", p.display()),
                "name the registry file `NAME.yaml`: the loader reads .yaml and .yml files"
                    .to_owned(),
            ),
            OutRefused::Exists(p) => (
                format!("{} exists; nothing was written", p.display()),
                "pass --force to replace it, or another --out".to_owned(),
            ),
            OutRefused::AnInput(p) => (
                format!("{} is an input of this import", p.display()),
                "write the registry to another file".to_owned(),
            ),
            OutRefused::Generated { path, dir } => (
                format!(
                    "{} is an output errspec generated (listed in {}); nothing was written",
                    path.display(),
                    dir.join(ownership::MANIFEST).display()
                ),
                "write the registry outside the out directory, e.g. `--out errors/NAME.yaml`"
                    .to_owned(),
            ),
        };
        writeln!(f, "error: {what}\n  = help: {help}")
    }
}

/// Whether the registry may be written to `out`.
pub fn may_write(out: &Path, force: bool, inputs: &[Input]) -> Result<(), OutRefused> {
    let yaml = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if !yaml {
        return Err(OutRefused::NotYaml(out.to_owned()));
    }
    let abs = ownership::absolute(out);
    if inputs.iter().any(|i| ownership::absolute(&i.path) == abs) {
        return Err(OutRefused::AnInput(out.to_owned()));
    }
    if let Some(dir) = generated_by(&abs) {
        return Err(OutRefused::Generated {
            path: out.to_owned(),
            dir,
        });
    }
    if std::fs::symlink_metadata(out).is_ok() && !force {
        return Err(OutRefused::Exists(out.to_owned()));
    }
    Ok(())
}

/// The out directory whose manifest lists `abs` as an output, if any.
fn generated_by(abs: &Path) -> Option<PathBuf> {
    abs.ancestors().skip(1).find_map(|dir| {
        let rel = abs.strip_prefix(dir).ok()?;
        let manifest = Manifest::read(dir).ok()??;
        manifest.files.contains_key(rel).then(|| dir.to_owned())
    })
}
