//! Emits the Rust of the 1,000-entry synthetic catalog (the `catalog!`
//! expansion, through `errspec_rust::emit`) and its hand-written baseline into
//! OUT_DIR, for `benches/generated.rs` and `tests/alloc.rs` to `include!`.
//! About 0.5 MB of YAML, loaded and emitted in well under a second.

use std::path::PathBuf;

#[path = "build/baseline.rs"]
mod baseline;
#[allow(dead_code)]
#[path = "src/synth.rs"]
mod synth;

/// Entries of the catalog the generated-code benches use.
const ENTRIES: usize = 1_000;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/baseline.rs");
    println!("cargo::rerun-if-changed=src/synth.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let text = synth::registry(ENTRIES);
    let registry = errspec::load_str("synthetic.yaml", &text)
        .unwrap_or_else(|d| panic!("the synthetic registry is invalid:\n{}", d.render(false)));
    let catalog = &registry.catalogs[0];
    let code = errspec_rust::emit(catalog, &errspec_rust::Options::default())
        .expect("the canonical view always emits");
    let write = |name: &str, code: String| {
        std::fs::write(out.join(name), code)
            .unwrap_or_else(|e| panic!("cannot write {name} in OUT_DIR: {e}"));
    };
    write("synthetic.rs", code);
    // The parameters fixture, for the allocation test of the formatters.
    let params = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("../tests/fixtures/params.yaml");
    println!("cargo::rerun-if-changed={}", params.display());
    let registry = errspec::load(&params)
        .unwrap_or_else(|d| panic!("the parameters fixture is invalid:\n{}", d.render(false)));
    let code = errspec_rust::emit(&registry.catalogs[0], &errspec_rust::Options::default())
        .expect("the canonical view always emits");
    write("params.rs", code);
    write("baseline.rs", baseline::code(catalog));
}
