//! The `generated/rust` crate is the macro's expansion: same items, same values.
//!
//! It compiles as a workspace member on every `cargo test`; here its enums are
//! compared with fresh `catalog!` expansions of the same files.

#![allow(deprecated)] // alias consts are compared on purpose

mod expanded {
    errspec_macros::catalog!("../spec/registry/sdk.yaml");
    errspec_macros::catalog!("../spec/registry/ice.yaml");
    errspec_macros::catalog!("../spec/registry/recorder.yaml");
}

use errspec_generated::{ice, recorder, sdk};

macro_rules! same {
    ($generated:ty, $expanded:ty) => {{
        let g = <$generated>::ALL;
        let e = <$expanded>::ALL;
        assert_eq!(g.len(), e.len());
        for (g, e) in g.iter().zip(e) {
            assert_eq!(g.name(), e.name());
            assert_eq!(g.message(), e.message());
            assert_eq!(g.trigger(), e.trigger());
            assert_eq!(g.docs(), e.docs());
            assert_eq!(g.deprecation(), e.deprecation());
            assert_eq!(format!("{:?}", g), format!("{:?}", e), "variant names");
            assert_eq!(format!("{:?}", g.retry()), format!("{:?}", e.retry()));
            assert_eq!(<$generated>::from_name(e.name()), Some(*g));
        }
        assert_eq!(
            std::mem::size_of::<$generated>(),
            std::mem::size_of::<$expanded>(),
            "repr"
        );
    }};
}

#[test]
fn generated_crate_equals_the_macro_expansion() {
    same!(sdk::Sdk, expanded::Sdk);
    same!(ice::Ice, expanded::Ice);
    same!(recorder::Recorder, expanded::Recorder);
    for (g, e) in sdk::Sdk::ALL.iter().zip(expanded::Sdk::ALL) {
        assert_eq!(g.code(), e.code());
        assert_eq!(sdk::Sdk::from_code(e.code()), Some(*g));
    }
    assert_eq!(ice::Ice::UNAUTHORIZED, ice::Ice::Unauthenticated);
}

#[test]
fn generated_sources_are_the_formatted_emitter_output() {
    let registry = errspec_tests::shipped_registry();
    for catalog in &registry.catalogs {
        let tokens = errspec_rust::emit(catalog, &errspec_rust::Options::default()).expect("emit");
        let file: syn::File = syn::parse2(tokens).expect("the emitter's output parses");
        let path =
            errspec_tests::root().join(format!("generated/rust/src/{}.rs", catalog.name.value));
        let on_disk = std::fs::read_to_string(&path).expect("read generated source");
        assert!(
            on_disk.ends_with(&prettyplease::unparse(&file)),
            "{} is not the emitter's output; run `cargo run -p codegen`",
            path.display()
        );
    }
}

#[test]
fn hostile_rust_output_compiles_without_warnings() {
    // The Rust target for the hostile fixture is compiled as it is written to disk,
    // so comment and string breakers in docs are caught where the macro's tokens would hide them.
    let files = errspec_tests::render(&errspec_tests::fixture("hostile.yaml"));
    let source = files
        .get(std::path::Path::new("rust/src/hostile.rs"))
        .expect("hostile.rs rendered");
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile-rust");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("hostile.rs");
    std::fs::write(&file, source).expect("write source");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = std::process::Command::new(rustc)
        .args([
            "--crate-type=lib",
            "--edition=2024",
            "-D",
            "warnings",
            "--out-dir",
        ])
        .arg(&dir)
        .arg(&file)
        .output()
        .expect("run rustc");
    assert!(
        out.status.success(),
        "rustc rejected the hostile Rust output:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Registry Markdown in docs must not become doctests that fail the consumer's `cargo test`.
    let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".to_owned());
    let doc = std::process::Command::new(rustdoc)
        .args([
            "--test",
            "--edition=2024",
            "--crate-type=lib",
            "--crate-name=hostile",
        ])
        .arg(&file)
        .output()
        .expect("run rustdoc --test");
    assert!(
        doc.status.success(),
        "rustdoc --test failed on the hostile Rust output:\n{}{}",
        String::from_utf8_lossy(&doc.stdout),
        String::from_utf8_lossy(&doc.stderr)
    );
}
