//! `cargo run -p codegen`: regenerate every output of the registry, or check them.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Renders an errspec YAML registry into Rust, TypeScript, Dart and Markdown.
///
/// With no arguments it reads the shipped registry (spec/registry/) and writes
/// generated/ at the workspace root:
///
///   rust/        a crate: the catalog! macro's expansion of every catalog
///                (canonical view)
///   typescript/  <catalog>.ts (web view) and index.ts
///   dart/        <catalog>.dart (Flutter view)
///   markdown/    <catalog>.md, and <catalog>.<platform>.md where platforms differ
///
/// --platform changes the view of rust, typescript and dart (and of added
/// templates that render one view per catalog).
///
/// An invalid registry prints every problem with its file:line:column, exits
/// with status 1 and writes nothing; so does an added template whose
/// platform no catalog declares. Misused options exit with status 2.
/// Files whose bytes did not change are not rewritten. Outputs and locks are
/// replaced as a set, once every one has rendered: a run that fails (a
/// template error, a full disk) leaves the old files as they were.
#[derive(Parser, Debug)]
#[command(name = "codegen", version, about, long_about, verbatim_doc_comment)]
struct Args {
    /// A catalog .yaml file, or a directory of them [default: spec/registry]
    #[arg(long, value_name = "PATH")]
    registry: Option<PathBuf>,

    /// Where the generated files go [default: generated]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Write nothing; exit 1 and list every stale, missing or extra file
    #[arg(long)]
    check: bool,

    /// A directory of .hbs templates: a file named like a built-in target
    /// (typescript.hbs, typescript-index.hbs, dart.hbs, markdown.hbs) replaces
    /// it, any other but rust.hbs adds a target. See README "Adding a target".
    #[arg(long, value_name = "DIR", verbatim_doc_comment)]
    templates: Option<PathBuf>,

    /// The platform TARGET renders, e.g. rust=web or typescript=canonical (repeatable)
    ///
    /// TARGET is `rust` or a template name without .hbs; ID is a platform id
    /// a catalog declares, or `canonical` for every entry with its canonical
    /// names. Each catalog renders its ID view where it has that platform,
    /// else canonical. Pass the same flags to --check.
    /// The defaults:
    ///   rust              canonical
    ///   typescript        web
    ///   dart              flutter
    ///   markdown          every platform, a page each (cannot be set)
    ///   typescript-index  the whole registry (cannot be set)
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
}

/// Parses `--platform TARGET=ID`.
fn target_platform(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((target, id)) if !target.trim().is_empty() && !id.trim().is_empty() => {
            Ok((target.trim().to_owned(), id.trim().to_owned()))
        }
        _ => Err(
            "expected TARGET=ID, e.g. `rust=web` or `typescript=canonical` (see --help)".to_owned(),
        ),
    }
}

/// The command that regenerates what `--check` compared, with the same paths and platforms.
fn regenerate_command(args: &Args) -> String {
    let mut cmd = String::from("cargo run -p codegen");
    let mut sep = " --";
    for (flag, value) in [
        ("--registry", &args.registry),
        ("--out", &args.out),
        ("--templates", &args.templates),
    ] {
        if let Some(v) = value {
            cmd.push_str(&format!("{sep} {flag} {}", v.display()));
            sep = "";
        }
    }
    for (target, id) in &args.platform {
        cmd.push_str(&format!("{sep} --platform {target}={id}"));
        sep = "";
    }
    cmd
}

/// Usage errors exit with status 2, every other failure with 1.
fn failure(e: &codegen::Error) -> ExitCode {
    match e {
        codegen::Error::Usage(_) => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

/// The workspace root, so that the defaults work from any directory under `cargo run`.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let regenerate = regenerate_command(&args);
    let root = workspace_root();
    let registry = args
        .registry
        .unwrap_or_else(|| root.join("spec").join("registry"));
    let out = args.out.unwrap_or_else(|| root.join("generated"));
    let mut generator = codegen::Generator::new(&registry, &out);
    if let Some(dir) = &args.templates {
        generator = generator.templates(dir);
    }
    for (target, id) in &args.platform {
        generator = generator.platform(target, id);
    }
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if args.check {
        match generator.check() {
            Ok(report) if report.is_clean() => {
                eprintln!("{}: up to date", out.display());
                ExitCode::SUCCESS
            }
            Ok(report) => {
                for (what, list) in [
                    ("stale", &report.stale),
                    ("missing", &report.missing),
                    ("extra", &report.extra),
                ] {
                    for path in list {
                        eprintln!("{what}: {}", out.join(path).display());
                    }
                }
                for path in &report.stale_locks {
                    eprintln!(
                        "stale lock: {} (new codes or names are not locked yet)",
                        path.display()
                    );
                }
                eprintln!(
                    "error: the generated files or locks are out of date with the registry; run `{}` to regenerate them",
                    regenerate
                );
                ExitCode::FAILURE
            }
            Err(e) => {
                eprint!("{}", e.render(color));
                failure(&e)
            }
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
                eprintln!(
                    "{}: {} written, {} unchanged, {} removed",
                    out.display(),
                    report.written.len(),
                    report.unchanged,
                    report.removed.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprint!("{}", e.render(color));
                failure(&e)
            }
        }
    }
}
