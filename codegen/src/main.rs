//! `cargo run -p codegen`: load and validate a registry.
//!
//! Rendering the outputs comes with the codegen issue; today the binary is the
//! registry's checker: it prints every diagnostic and exits non-zero when the
//! registry is invalid, writing nothing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Turns an errspec YAML registry into code and docs for every platform.
///
/// With no arguments it loads the shipped registry (`spec/registry/`).
/// An invalid registry prints every problem with its file:line:column and
/// exits with status 1; nothing is written then.
#[derive(Parser, Debug)]
#[command(name = "codegen", version, about, long_about)]
struct Args {
    /// A catalog `.yaml` file, or a directory of them.
    #[arg(long, value_name = "PATH")]
    registry: Option<PathBuf>,

    /// Where generated files go (default: `generated/` at the workspace root).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// The workspace root, for defaults that work from any directory under `cargo run`.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let registry = args
        .registry
        .unwrap_or_else(|| workspace_root().join("spec").join("registry"));
    match errspec::load(&registry) {
        Ok(reg) => {
            let entries: usize = reg.catalogs.iter().map(|c| c.entries.len()).sum();
            eprintln!(
                "{}: {} catalog{}, {entries} entries, no problems",
                registry.display(),
                reg.catalogs.len(),
                if reg.catalogs.len() == 1 { "" } else { "s" },
            );
            let _ = args.out;
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", diags.render(std::io::stderr().is_terminal()));
            ExitCode::FAILURE
        }
    }
}
