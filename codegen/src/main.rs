//! `errspec` (`cargo run -p codegen` in this workspace): regenerate every
//! output of the registry, or check them.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use codegen::config;

/// Rendering builds and frees a JSON tree of millions of small values per view:
/// mimalloc does that in ~30% less time than the system allocator, and peaks lower
/// (BENCHMARKS.md at `ccbf661`, section 12). Only the binary's: the library leaves the choice to its user.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's defaults keep freed pages committed for a while (and, without its
/// `no_thp` feature, ask for transparent huge pages): a Kotlin-only run of 10,000
/// entries peaked at 68 MiB of RSS where purging freed pages at once gives 43 MiB, for
/// no measurable time (BENCHMARKS.md at `ccbf661`, section 19). A `MIMALLOC_PURGE_DELAY` the user
/// sets wins. Checked by measuring: a wrong option number would leave the peak as it was.
#[cfg(feature = "mimalloc")]
#[allow(unsafe_code)]
fn lean_allocator() {
    use std::ffi::{c_int, c_long};
    // `mi_option_purge_delay` in `mi_option_e` of mimalloc v3 (libmimalloc-sys 0.1.49,
    // c_src/mimalloc/v3/include/mimalloc.h). Set here, it is read at every purge.
    const PURGE_DELAY: c_int = 15;
    unsafe extern "C" {
        fn mi_option_set(option: c_int, value: c_long);
    }
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc's own setter, linked in with the allocator; the option
        // takes any integer, and 0 (purge at once) is a documented value.
        unsafe { mi_option_set(PURGE_DELAY, 0) };
    }
}

/// Renders an errspec YAML registry into Rust, TypeScript, Dart, Kotlin, Swift, Go and Markdown.
///
/// With no arguments it reads the project file, errspec.toml, found in the
/// current directory or the nearest directory above it (as cargo finds
/// Cargo.toml; `errspec init` writes one), and renders its registry into its
/// out directory; flags override the file. Without a file the defaults are
/// errors/ and generated/ in the current directory. The outputs:
///
///   rust/        a crate: the catalog! macro's expansion of every catalog
///                (canonical view)
///   typescript/  <catalog>.ts (web view) and index.ts
///   dart/        <catalog>.dart (Flutter view)
///   kotlin/      <catalog>.kt (Android view)
///   swift/       <catalog>.swift (iOS view)
///   go/          <catalog>_errspec.go (canonical view) and errspec.go
///   c/           <catalog>.h, for C11 and C++17 (native view)
///   markdown/    <catalog>.md, and <catalog>.<platform>.md where platforms differ
///   schema/      registry.schema.json (the format's JSON Schema, for editors)
///                and export.schema.json (of `errspec export --json`)
///
/// errspec.toml's `targets` chooses which of them render; --platform changes the
/// view of rust, typescript, dart, kotlin, swift and go (and of added templates
/// that render one view per catalog); --option sets what templates declare (the
/// Kotlin and Go packages).
///
/// An invalid registry prints every problem with its file:line:column, exits
/// with status 1 and writes nothing; so does an added template whose
/// platform no catalog declares. Misused options exit with status 2.
/// Files whose bytes did not change are not rewritten. Outputs and locks are
/// replaced as a set, once every one has rendered: a run that fails (a
/// template error, a full disk, a kill) leaves the old files as they were,
/// or the next run finishes the new ones. Only files errspec wrote (listed
/// in OUT/.errspec-manifest) are replaced or removed: any other file in the
/// way stops the run, which names it (see --take-over).
///
/// Exit status: 0 done (or up to date); 1 findings (an invalid registry or
/// errspec.toml, stale outputs, an entry not found, a file init will not
/// overwrite, a file in the way, another run on the out directory);
/// 2 usage (a bad option, nothing to read: run `errspec init`, an out
/// directory that is / or your home).
#[derive(Parser, Debug)]
#[command(
    name = "errspec",
    version,
    about,
    long_about,
    verbatim_doc_comment,
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  errspec                       regenerate what errspec.toml names\n  errspec check                 exit 1 if an output or lock is stale (CI; also --check)\n  errspec --platform rust=web   the Rust target with the web SDK's names\n  errspec init                  start a project here\n  errspec explain 4009          look an error up (errspec explain --help)\n  errspec schema                the registry format's JSON Schema, for editors\n  errspec export                the registry as JSON, for dashboards and generators"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    args: Args,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Write a commented errspec.toml and an example registry (errors/example.yaml) here
    ///
    /// Refuses, writing nothing, when errspec.toml or errors/ already exists
    /// in the current directory (exit status 1).
    #[command(
        verbatim_doc_comment,
        after_help = "Example:\n  mkdir my-sdk && cd my-sdk\n  errspec init      # errspec.toml, errors/example.yaml\n  errspec           # renders errors/ into generated/"
    )]
    Init,

    /// Write nothing; exit 1 and list every stale, missing or extra file or lock (as --check)
    ///
    /// For CI and pre-commit hooks: the same project, flags and exit status as
    /// `errspec --check`; the message names the command that regenerates.
    #[command(
        verbatim_doc_comment,
        after_help = "Examples:\n  errspec check\n  errspec check --platform rust=web   compare what that run would write"
    )]
    Check(Sources),

    /// Look an error up: names on each platform, message, trigger, retry hint, docs, deprecation
    ///
    /// QUERY is a code (4009), a canonical name, a platform's name or an
    /// alias; a retired code or name says when and why it was retired.
    /// Names are matched exactly, else ignoring case. The registry is the
    /// one errspec.toml names (or --registry). Nothing found: exit status 1,
    /// with the nearest codes or names.
    #[command(
        verbatim_doc_comment,
        after_help = "Examples:\n  errspec explain 4009\n  errspec explain MAX_PARTCIPANT_REACHED --platform web\n  errspec explain UNAUTHORIZED --json"
    )]
    Explain(ExplainArgs),

    /// Print the JSON Schema (draft 2020-12) of the registry format, for editors and tools
    ///
    /// Registry files that start with
    ///   # yaml-language-server: $schema=../generated/schema/registry.schema.json
    /// get completion, hover docs and errors as you type in editors with the
    /// YAML language server (VS Code's YAML extension, Neovim, Helix...).
    /// Every `errspec` run writes this schema to schema/registry.schema.json
    /// and the one of `errspec export --json` to schema/export.schema.json in
    /// its out directory (`--check` compares them); this prints one.
    /// The schema holds the rules of single values (fields, types, names,
    /// codes, delays, codes present exactly in code-keyed catalogs); rules
    /// across values (duplicates, ranges, declared platforms, locks) are
    /// errspec's. It is the same for every registry.
    #[command(
        verbatim_doc_comment,
        after_help = "Examples:\n  errspec schema                         print the registry format's schema\n  errspec schema --out errors/schema.json write it (atomically; unchanged: not rewritten)\n  errspec schema --export                the schema of `errspec export --json`\n\nExit status: 0 printed or written; 1 the file cannot be written; 2 usage (--out a directory)."
    )]
    Schema(SchemaArgs),

    /// Print the validated registry as JSON, for dashboards and other generators
    ///
    /// The document is {"errspec_export": 1, "catalogs": [..]}: every catalog
    /// with its platforms, categories, entries (code, names on each platform,
    /// message, trigger, retry hint in milliseconds and as the sentence every
    /// target prints, category, docs, aliases, deprecation) and retired
    /// entries. Every key is always there (null or [] when not given), in a
    /// fixed order; the version changes when a key is renamed, removed or
    /// retyped. `errspec schema --export` prints its JSON Schema; docs/export.md
    /// lists every field. The registry is the one errspec.toml names (or
    /// --registry); an invalid one prints every problem and exits with 1.
    #[command(
        verbatim_doc_comment,
        after_help = "Examples:\n  errspec export                          print it\n  errspec export --out dist/errors.json   write it atomically\n  errspec export | jq '.catalogs[].entries[] | {code, name}'\n\nExit status: 0 printed or written; 1 an invalid registry or a file that cannot be written; 2 usage (--out a directory, no registry)."
    )]
    Export(ExportArgs),

    /// Write a registry from existing error tables (Markdown, CSV, JSON), one file per platform
    ///
    /// Each platform's table gives codes, names and messages; the registry
    /// has every code once, with the platforms it is on, the first
    /// platform's name and message, and the others' differences as their
    /// overrides. What a table does not say (trigger, retry) is left out.
    /// Derived values (name, titles) are printed. Any problem of the inputs
    /// is reported at its file:line:column, every one at once, and nothing
    /// is written. See docs/import.md.
    #[command(
        verbatim_doc_comment,
        after_help = "Examples:\n  errspec import --platform web=errors-react.md --platform flutter=errors-flutter.md --out errors/sdk.yaml\n  errspec import --platform web=errors.csv --name sdk\n\nExit status: 0 written; 1 a problem of the inputs or of the out file (nothing written); 2 usage."
    )]
    Import(codegen::import::cli::ImportArgs),
}

#[derive(clap::Args, Debug)]
struct SchemaArgs {
    /// The schema of `errspec export --json`'s document instead of the registry format's
    #[arg(long)]
    export: bool,

    /// Write it to FILE (atomically; an unchanged file is not rewritten) instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct ExportArgs {
    /// JSON, the one format and the default (accepted, so scripts that pass it keep working)
    #[arg(long)]
    json: bool,

    /// A catalog .yaml file, or a directory of them [default: errspec.toml's `registry`, else errors]
    #[arg(long, value_name = "PATH")]
    registry: Option<PathBuf>,

    /// Write it to FILE (atomically; an unchanged file is not rewritten) instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct ExplainArgs {
    /// A code, or a canonical, platform or alias name
    #[arg(value_name = "CODE|NAME")]
    query: String,

    /// Only this platform's names and entries (a platform id a catalog declares)
    #[arg(long, value_name = "ID")]
    platform: Option<String>,

    /// Print JSON: {"query", "platform", "matches": [..]}, each match "live" or "retired"
    #[arg(long)]
    json: bool,

    /// A catalog .yaml file, or a directory of them [default: errspec.toml's `registry`, else errors]
    #[arg(long, value_name = "PATH")]
    registry: Option<PathBuf>,
}

/// Generating (no subcommand): what to render, and how to write it.
#[derive(clap::Args, Debug)]
struct Args {
    #[command(flatten)]
    sources: Sources,

    /// Write nothing; exit 1 and list every stale, missing or extra file (`errspec check` does the same)
    #[arg(long)]
    check: bool,

    /// Accept the breaking changes the locks report (a removed code, a
    /// renamed constant...), recording REASON in each changed lock. Review
    /// the lock diff like code: apps in the field may break.
    #[arg(
        long,
        value_name = "REASON",
        verbatim_doc_comment,
        conflicts_with = "check"
    )]
    accept_breaking: Option<String>,

    /// Replace the output at PATH even though errspec did not write the file
    /// there (or it was edited since) (repeatable)
    ///
    /// errspec replaces and removes only the files its manifest
    /// (OUT/.errspec-manifest) lists with the bytes it wrote; a run that
    /// meets any other file at an output path writes nothing and names it.
    /// PATH is such a file, as the run printed it.
    #[arg(
        long,
        value_name = "PATH",
        verbatim_doc_comment,
        conflicts_with = "check"
    )]
    take_over: Vec<PathBuf>,
}

/// Where to read, where to write, what to render: generating's and `check`'s.
#[derive(clap::Args, Debug)]
struct Sources {
    /// A catalog .yaml file, or a directory of them [default: errspec.toml's `registry`, else errors]
    #[arg(long, value_name = "PATH")]
    registry: Option<PathBuf>,

    /// Where the generated files go [default: errspec.toml's `out`, else generated]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// A directory of target folders and .hbs templates: DIR/ID/ (its target.toml
    /// language row and templates) adds the target ID or replaces the built-in one;
    /// a file named like a built-in template (typescript.hbs, typescript-index.hbs,
    /// dart.hbs, kotlin.hbs, swift.hbs, go.hbs, go-errspec.hbs, markdown.hbs)
    /// replaces it, any other but rust.hbs and schema.hbs adds a target. See
    /// errspec's docs/templates.md.
    #[arg(long, value_name = "DIR", verbatim_doc_comment)]
    templates: Option<PathBuf>,

    /// The platform TARGET renders, e.g. rust=web or typescript=canonical (repeatable)
    ///
    /// TARGET is `rust` or a template's target (its file name without .hbs); ID is a platform id
    /// a catalog declares, or `canonical` for every entry with its canonical
    /// names. Each catalog renders its ID view where it has that platform,
    /// else canonical. Pass the same flags to --check.
    /// The defaults:
    ///   rust              canonical
    ///   typescript        web
    ///   dart              flutter
    ///   kotlin            android
    ///   swift             ios
    ///   markdown          every platform, a page each (cannot be set)
    /// (typescript's index.ts renders the whole registry in any case)
    /// A catalog without the platform renders its canonical view, and so
    /// does every catalog when none declares a built-in default (`web`,
    /// `flutter`); a platform set here or named in an added template's
    /// header must be one some catalog declares.
    #[arg(
        long,
        value_name = "TARGET=ID",
        value_parser = target_platform,
        verbatim_doc_comment
    )]
    platform: Vec<(String, String)>,

    /// Set an option TARGET's templates declare, e.g. kotlin.package=com.example.errors (repeatable)
    ///
    /// A template declares its options in its header (`option NAME: DEFAULT`);
    /// the built-in ones:
    ///   kotlin.package    the Kotlin package (default errspec.generated)
    ///   go.package        the Go package (default errspec)
    ///   rust.crate        the Rust crate's name (default errspec-generated;
    ///                     `errspec init` names it after its directory)
    ///   typescript.package, dart.package, swift.package, *.version,
    ///   *.manifest        the npm, pub and SwiftPM packages (docs/packages.md)
    /// VALUE is a dotted name (ASCII letters, digits and `_`, not starting
    /// with a digit, parts joined by `.`), or what the option's kind takes
    /// (a crate or package name, a version, true or false). errspec.toml sets them in
    /// `[target.TARGET]` tables; a flag overrides the file. Pass the same
    /// flags to --check.
    #[arg(
        long = "option",
        value_name = "TARGET.NAME=VALUE",
        value_parser = target_option,
        verbatim_doc_comment
    )]
    options: Vec<(String, String, String)>,
}

/// A `--platform` or `--option` value that is not of its form: the form expected.
#[derive(Debug)]
struct FlagSyntax(&'static str);

impl std::fmt::Display for FlagSyntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected {} (see --help)", self.0)
    }
}

impl std::error::Error for FlagSyntax {}

/// Parses `--platform TARGET=ID`.
fn target_platform(value: &str) -> Result<(String, String), FlagSyntax> {
    match value.split_once('=') {
        Some((target, id)) if !target.trim().is_empty() && !id.trim().is_empty() => {
            Ok((target.trim().to_owned(), id.trim().to_owned()))
        }
        _ => Err(FlagSyntax(
            "TARGET=ID, e.g. `rust=web` or `typescript=canonical`",
        )),
    }
}

/// Parses `--option TARGET.NAME=VALUE`.
fn target_option(value: &str) -> Result<(String, String, String), FlagSyntax> {
    let parsed = value.split_once('=').and_then(|(setting, v)| {
        let (target, name) = setting.split_once('.')?;
        let (target, name, v) = (target.trim(), name.trim(), v.trim());
        (!target.is_empty() && !name.is_empty() && !v.is_empty())
            .then(|| (target.to_owned(), name.to_owned(), v.to_owned()))
    });
    parsed.ok_or(FlagSyntax(
        "TARGET.NAME=VALUE, e.g. `kotlin.package=com.example.errors`",
    ))
}

/// The command that regenerates what `--check` compared: the project's
/// command (errspec.toml's `regenerate`, else `errspec`) with the flags given
/// (the rest comes from the same `errspec.toml`).
fn regenerate_command(command: &str, args: &Sources) -> String {
    let mut cmd = String::new();
    for (flag, value) in [
        ("--registry", &args.registry),
        ("--out", &args.out),
        ("--templates", &args.templates),
    ] {
        if let Some(v) = value {
            cmd.push_str(&format!(" {flag} {}", v.display()));
        }
    }
    for (target, id) in &args.platform {
        cmd.push_str(&format!(" --platform {target}={id}"));
    }
    for (target, name, value) in &args.options {
        cmd.push_str(&format!(" --option {target}.{name}={value}"));
    }
    errspec::preamble::command_with(command, cmd.trim_start())
}

/// Usage errors exit with status 2, every other failure with 1.
fn failure(e: &codegen::Error) -> ExitCode {
    if e.is_usage() {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// What a run reads and writes: the flags over the nearest `errspec.toml`.
struct Project {
    registry: PathBuf,
    out: PathBuf,
    /// The `errspec.toml` read, if any: no output may land on it.
    config: Option<PathBuf>,
    templates: Option<PathBuf>,
    /// The targets errspec.toml's `targets` names, each with its place there.
    targets: Option<Vec<(String, Option<String>)>>,
    /// The flags' settings over the file's (each of those says its place).
    settings: Vec<codegen::Setting>,
    /// The command the outputs name: errspec.toml's `regenerate`, else `errspec`.
    regenerate: String,
}

impl Project {
    /// Prints a failure with its exit status.
    fn fail(&self, e: &codegen::Error, color: bool) -> ExitCode {
        eprint!("{}", e.render(color));
        failure(e)
    }
}

/// Why no project was found.
#[derive(Debug)]
enum ProjectError {
    /// The current directory cannot be read (removed meanwhile?).
    NoCurrentDir(std::io::Error),
    /// The nearest `errspec.toml` cannot be used.
    Config(config::ConfigError),
    /// No `errspec.toml` in `cwd` or above, and no registry at the default place.
    NoProject { cwd: PathBuf },
}

impl ProjectError {
    /// Prints the error; its exit status: 2 for a usage error, 1 for a bad project file.
    fn fail(&self) -> ExitCode {
        match self {
            ProjectError::NoCurrentDir(e) => eprintln!(
                "error: cannot read the current directory: {e}\n  = help: run errspec from an existing directory, or pass --registry PATH --out DIR"
            ),
            ProjectError::Config(e) => {
                eprint!("{}", e.render(color()));
                return ExitCode::FAILURE;
            }
            ProjectError::NoProject { cwd } => eprintln!(
                "error: no {file} in {cwd} or any directory above it, and no registry at {registry}\n  = help: run `errspec init` to write a commented {file} and an example registry here, or pass --registry PATH (and --out DIR)",
                file = config::FILE_NAME,
                cwd = cwd.display(),
                registry = cwd.join(config::DEFAULT_REGISTRY).display(),
            ),
        }
        ExitCode::from(2)
    }
}

/// Finds the project: the flags, then the nearest `errspec.toml` above the
/// current directory, then the defaults relative to the current directory.
fn project(
    registry: Option<&Path>,
    out: Option<&Path>,
    templates: Option<&Path>,
    flags: &[codegen::Setting],
) -> Result<Project, ProjectError> {
    let cwd = std::env::current_dir().map_err(ProjectError::NoCurrentDir)?;
    // Flags are relative to the current directory; made absolute, messages name the place.
    let registry = registry.map(|p| cwd.join(p));
    let out = out.map(|p| cwd.join(p));
    let templates = templates.map(|p| cwd.join(p));
    let config_file = config::find(&cwd);
    let config = match &config_file {
        Some(file) => Some(config::read(file).map_err(ProjectError::Config)?),
        None => None,
    };
    let Some(config) = config else {
        let registry = match registry {
            Some(r) => r,
            None if cwd.join(config::DEFAULT_REGISTRY).exists() => {
                cwd.join(config::DEFAULT_REGISTRY)
            }
            None => return Err(ProjectError::NoProject { cwd }),
        };
        return Ok(Project {
            registry,
            out: out.unwrap_or_else(|| cwd.join(config::DEFAULT_OUT)),
            config: None,
            templates,
            settings: flags.to_vec(),
            targets: None,
            regenerate: errspec::preamble::DEFAULT_COMMAND.to_owned(),
        });
    };
    // A flag replaces the file's setting of the same target and key; the others stay.
    let mut settings: Vec<codegen::Setting> = config
        .settings
        .into_iter()
        .filter(|s| !flags.iter().any(|f| f.target == s.target && f.key == s.key))
        .collect();
    settings.extend(flags.iter().cloned());
    Ok(Project {
        registry: registry.unwrap_or(config.registry),
        out: out.unwrap_or(config.out),
        templates: templates.or(config.templates),
        settings,
        targets: config.targets,
        regenerate: config
            .regenerate
            .unwrap_or_else(|| errspec::preamble::DEFAULT_COMMAND.to_owned()),
        config: config_file,
    })
}

/// `errspec init`: the project file and an example registry in `dir`, or nothing.
fn init(dir: &Path) -> ExitCode {
    let config_file = dir.join(config::FILE_NAME);
    let registry_dir = dir.join(config::DEFAULT_REGISTRY);
    for (path, fix) in [
        (&config_file, "edit it, or delete it to start again"),
        (
            &registry_dir,
            "to use it as the registry, write errspec.toml yourself with `registry = \"errors\"` (see the README)",
        ),
    ] {
        if path.exists() {
            eprintln!(
                "error: {} already exists; errspec init writes nothing over it\n  = help: {fix}",
                path.display()
            );
            return ExitCode::FAILURE;
        }
    }
    let example = registry_dir.join("example.yaml");
    let written = std::fs::create_dir(&registry_dir)
        .and_then(|()| write_new(&example, config::INIT_REGISTRY))
        .and_then(|()| {
            let crate_name = codegen::rust::derived_crate_name(dir);
            write_new(&config_file, &config::init_config(&crate_name))
        });
    if let Err(e) = written {
        eprintln!(
            "error: cannot write {} and {}: {e}\n  = help: run errspec init in a directory you can write to",
            config_file.display(),
            example.display()
        );
        return ExitCode::FAILURE;
    }
    eprintln!(
        "wrote {} and {}\nnext: `errspec` renders errors/ into generated/; `errspec explain 1001` shows an entry",
        config_file.display(),
        example.display()
    );
    ExitCode::SUCCESS
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}

fn main() -> ExitCode {
    #[cfg(feature = "mimalloc")]
    lean_allocator();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Init) => match std::env::current_dir() {
            Ok(dir) => init(&dir),
            Err(e) => {
                eprintln!(
                    "error: cannot read the current directory: {e}\n  = help: run errspec init from an existing directory"
                );
                ExitCode::from(2)
            }
        },
        Some(Command::Explain(args)) => explain(&args),
        Some(Command::Schema(args)) => {
            let schema = if args.export {
                codegen::export::schema()
            } else {
                errspec::schema::registry()
            };
            emit(&schema.document(), args.out.as_deref())
        }
        Some(Command::Export(args)) => export(&args),
        Some(Command::Import(args)) => codegen::import::cli::run(&args),
        Some(Command::Check(sources)) => generate(Args {
            sources,
            check: true,
            accept_breaking: None,
            take_over: Vec::new(),
        }),
        None => generate(cli.args),
    }
}

/// `errspec explain`: prints every match, or the nearest names and exit status 1.
fn explain(args: &ExplainArgs) -> ExitCode {
    let (project, registry) = match load_registry(args.registry.as_deref()) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let platform = args.platform.as_deref().map(str::trim);
    if let Some(p) = platform {
        let mut declared: Vec<&str> = registry
            .catalogs
            .iter()
            .flat_map(|c| c.platforms.iter().map(|p| p.id.value.as_str()))
            .collect();
        declared.sort_unstable();
        declared.dedup();
        if !declared.contains(&p) {
            let list = if declared.is_empty() {
                "no catalog declares platforms; leave --platform out".to_owned()
            } else {
                format!("the declared platforms are `{}`", declared.join("`, `"))
            };
            eprintln!(
                "error: `--platform {p}`: no catalog of {} declares the platform `{p}`\n  = help: {list}",
                project.registry.display()
            );
            return ExitCode::from(2);
        }
    }
    let found = codegen::explain::find(&registry, &args.query, platform);
    if found.is_empty() {
        let on = platform.map_or(String::new(), |p| format!(" on platform `{p}`"));
        let nearest = codegen::explain::nearest(&registry, &args.query, platform);
        let help = match nearest.first() {
            Some(first) => {
                let first = first.split(' ').next().unwrap_or(first);
                format!(
                    "the nearest: {}; e.g. `errspec explain {first}`",
                    nearest.join(", ")
                )
            }
            None => "the registry has no entries; add some to it".to_owned(),
        };
        eprintln!(
            "error: no entry of {} has the code or name `{}`{on}\n  = help: {help}",
            project.registry.display(),
            args.query.trim()
        );
        return ExitCode::FAILURE;
    }
    if args.json {
        let matches: Vec<_> = found
            .iter()
            .map(|f| codegen::explain::json(f, platform))
            .collect();
        let doc = serde_json::json!({
            "query": args.query.trim(),
            "platform": platform,
            "matches": matches,
        });
        println!("{doc:#}");
    } else {
        let texts: Vec<String> = found
            .iter()
            .map(|f| codegen::explain::text(f, platform))
            .collect();
        print!("{}", texts.join("\n"));
    }
    ExitCode::SUCCESS
}

/// Prints `text`, or writes it to `out` atomically (unchanged: not rewritten).
fn emit(text: &str, out: Option<&Path>) -> ExitCode {
    use std::io::Write;
    match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                // A reader that stopped early (`| head`) is not an error of ours.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write to standard output: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(path) if path.is_dir() => {
            eprintln!(
                "error: `--out {}` is a directory\n  = help: name the file to write, e.g. `--out {}`",
                path.display(),
                path.join("errspec.json").display()
            );
            ExitCode::from(2)
        }
        Some(path) => match codegen::files::write_file(path, text) {
            Ok(true) => {
                eprintln!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Ok(false) => {
                eprintln!("{}: unchanged", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}\n  = help: pick a FILE in a directory you can write to");
                ExitCode::FAILURE
            }
        },
    }
}

/// `errspec export --json`: the validated registry as the export document.
fn export(args: &ExportArgs) -> ExitCode {
    match load_registry(args.registry.as_deref()) {
        Ok((_, registry)) => emit(
            &codegen::export::export(&registry).pretty(),
            args.out.as_deref(),
        ),
        Err(code) => code,
    }
}

/// The project's registry, loaded (`--registry` over errspec.toml); on failure
/// the diagnostics or the usage error are printed, and the exit status returned.
fn load_registry(flag: Option<&Path>) -> Result<(Project, errspec::Registry), ExitCode> {
    let project = project(flag, None, None, &[]).map_err(|e| e.fail())?;
    match errspec::load(&project.registry) {
        Ok(registry) => Ok((project, registry)),
        Err(d) => {
            eprint!("{}", d.render(color()));
            Err(ExitCode::FAILURE)
        }
    }
}

/// Whether diagnostics are coloured: on a terminal, unless NO_COLOR is set
/// (https://no-color.org: any non-empty value turns colour off).
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Says what a run found left by an interrupted one.
fn print_recovery(recovered: Option<codegen::journal::Recovery>, out: &Path) {
    match recovered {
        Some(codegen::journal::Recovery::Finished) => eprintln!(
            "{}: finished the commit of an interrupted run",
            out.display()
        ),
        Some(codegen::journal::Recovery::RolledBack) => eprintln!(
            "{}: removed the temporary files of an interrupted run",
            out.display()
        ),
        Some(codegen::journal::Recovery::Undone) => eprintln!(
            "{}: undid the commit of an interrupted run that could not be finished",
            out.display()
        ),
        None => {}
    }
}

/// On SIGINT or SIGTERM, rolls back a run still staging (or lets one that
/// is committing finish), then exits with 128 + the signal's number.
fn on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    codegen::journal::abandon_all();
                    std::process::exit(128 + signal);
                }
            });
        }
    }
}

/// Regenerates or checks the outputs (no subcommand).
fn generate(args: Args) -> ExitCode {
    on_signals();
    let sources = &args.sources;
    let flags: Vec<codegen::Setting> = sources
        .platform
        .iter()
        .map(|(target, id)| (target, codegen::PLATFORM, id))
        .chain(
            sources
                .options
                .iter()
                .map(|(target, name, value)| (target, name.as_str(), value)),
        )
        .map(|(target, key, value)| codegen::Setting {
            target: target.clone(),
            key: key.to_owned(),
            value: value.clone(),
            origin: None,
        })
        .collect();
    let project = match project(
        sources.registry.as_deref(),
        sources.out.as_deref(),
        sources.templates.as_deref(),
        &flags,
    ) {
        Ok(p) => p,
        Err(e) => return e.fail(),
    };
    let regenerate = regenerate_command(&project.regenerate, sources);
    // `out = "."` is the directory itself: no `/./` in the paths printed.
    let out: PathBuf = project.out.components().collect();
    let mut generator =
        codegen::Generator::new(&project.registry, &out).regenerate(&project.regenerate);
    if let Some(file) = &project.config {
        generator = generator.protect(file, codegen::config::FILE_NAME);
    }
    let out_abs = codegen::ownership::absolute(&out);
    for path in &args.take_over {
        let abs = codegen::ownership::absolute_keeping_name(path);
        match abs.strip_prefix(&out_abs) {
            Ok(rel) if !rel.as_os_str().is_empty() => generator = generator.take_over(rel),
            _ => {
                eprintln!(
                    "error: `--take-over {}` is not a file in the out directory `{}`\n  = help: pass a path the run named as in the way",
                    path.display(),
                    out.display()
                );
                return ExitCode::from(2);
            }
        }
    }
    if let Some(dir) = &project.templates {
        generator = generator.templates(dir);
    }
    for setting in &project.settings {
        generator = generator.setting(setting.clone());
    }
    if let Some(targets) = &project.targets {
        generator = generator.targets_from(targets.clone());
    }
    let color = color();
    if args.check {
        match generator.check() {
            Ok(report) if report.is_clean() => {
                print_recovery(report.recovered, &out);
                eprintln!("{}: up to date", out.display());
                ExitCode::SUCCESS
            }
            Ok(report) => {
                print_recovery(report.recovered, &out);
                for (what, list) in [
                    ("stale", &report.stale),
                    ("missing", &report.missing),
                    ("extra", &report.extra),
                ] {
                    for path in list {
                        eprintln!("{what}: {}", out.join(path).display());
                    }
                }
                for conflict in &report.in_the_way {
                    eprintln!("in the way: {}", conflict.describe());
                }
                for path in &report.stale_locks {
                    eprintln!(
                        "stale lock: {} (new codes or names are not locked yet)",
                        path.display()
                    );
                }
                for (path, added) in &report.unlocked {
                    for line in added {
                        eprintln!("  {}: {line}", path.display());
                    }
                }
                eprintln!(
                    "error: the generated files or locks are out of date with the registry; run `{}` to regenerate them",
                    regenerate
                );
                ExitCode::FAILURE
            }
            Err(e) => project.fail(&e, color),
        }
    } else {
        let result = match &args.accept_breaking {
            Some(reason) if reason.trim().is_empty() => {
                eprintln!(
                    "error: --accept-breaking needs a reason; it is recorded in the lock for reviewers"
                );
                return ExitCode::FAILURE;
            }
            Some(reason) => generator.accept_breaking(reason.trim()),
            None => generator.write(),
        };
        match result {
            Ok(report) => {
                print_recovery(report.recovered, &out);
                for (what, list) in [
                    ("taken over", &report.taken_over),
                    (
                        "adopted (written by an errspec before manifests)",
                        &report.adopted,
                    ),
                    ("removed", &report.removed),
                ] {
                    for path in list {
                        eprintln!("{what}: {}", out.join(path).display());
                    }
                }
                for path in &report.released {
                    eprintln!(
                        "left: {} (no longer an output, and not as errspec wrote it: it is yours now)",
                        out.join(path).display()
                    );
                }
                for (path, added) in &report.locked {
                    for line in added {
                        eprintln!("locked in {}: {line}", path.display());
                    }
                }
                for path in &report.unused_take_over {
                    eprintln!(
                        "warning: `--take-over {}`: no output of this run is there",
                        out.join(path).display()
                    );
                }
                eprintln!(
                    "{}: {} written, {} unchanged, {} removed",
                    out.display(),
                    report.written.len(),
                    report.unchanged,
                    report.removed.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => project.fail(&e, color),
        }
    }
}
