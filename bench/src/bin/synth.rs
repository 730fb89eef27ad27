//! Writes benchmark inputs (used by `scripts/`):
//!
//! ```text
//! synth registry <ENTRIES> <OUT.yaml>   a synthetic catalog of ENTRIES errors
//! synth expand <REGISTRY.yaml> <OUT.rs> the catalog! expansion of a catalog file, formatted
//! synth baseline <REGISTRY.yaml> <OUT.rs> the hand-written peer of the same catalog (one
//!                                        `match` per accessor, `bench/build/baseline.rs`)
//! synth load <REGISTRY>                  load and validate only (for peak memory)
//! synth write-templates <REGISTRY> <OUT> codegen's write without the Rust target (for peak memory)
//! ```

use std::process::ExitCode;

// The bench's own build script writes the same baseline; `code` (with alternatives) is its.
#[allow(dead_code)]
#[path = "../../build/baseline.rs"]
mod baseline;

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [cmd, entries, out] if cmd == "registry" => {
            let entries: usize = entries
                .replace('_', "")
                .parse()
                .map_err(|e| format!("ENTRIES `{entries}`: {e}"))?;
            std::fs::write(out, errspec_bench::registry(entries))
                .map_err(|e| format!("cannot write `{out}`: {e}"))
        }
        [cmd, registry, out] if cmd == "expand" => {
            let text = std::fs::read_to_string(registry)
                .map_err(|e| format!("cannot read `{registry}`: {e}"))?;
            let code = errspec_bench::expansion(registry, &text)?;
            std::fs::write(out, code).map_err(|e| format!("cannot write `{out}`: {e}"))
        }
        [cmd, registry, out] if cmd == "baseline" => {
            let loaded = errspec::load(registry).map_err(|d| d.render(false))?;
            let catalog = loaded.catalogs.first().ok_or("the registry has no catalog")?;
            std::fs::write(out, baseline::hand_written(catalog))
                .map_err(|e| format!("cannot write `{out}`: {e}"))
        }
        [cmd, registry] if cmd == "load" => {
            let registry = errspec::load(registry).map_err(|d| d.render(false))?;
            let entries: usize = registry.catalogs.iter().map(|c| c.entries.len()).sum();
            eprintln!("{entries} entries, valid");
            Ok(())
        }
        [cmd, registry, out] if cmd == "write-templates" => {
            let report = codegen::Generator::new(registry, out)
                .without_rust_target()
                .write()
                .map_err(|e| e.to_string())?;
            eprintln!("{} written, {} unchanged", report.written.len(), report.unchanged);
            Ok(())
        }
        _ => Err(
            "usage: synth registry <ENTRIES> <OUT.yaml> | synth expand <REGISTRY.yaml> <OUT.rs> | synth baseline <REGISTRY.yaml> <OUT.rs> | synth load <REGISTRY> | synth write-templates <REGISTRY> <OUT>"
                .to_owned(),
        ),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
