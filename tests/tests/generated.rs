//! `generated/` is what the registry renders to, byte for byte.

use errspec_tests::root;

#[test]
fn generated_is_up_to_date() {
    let generator = codegen::Generator::new(root().join("spec/registry"), root().join("generated"));
    let report = generator.check().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.is_clean(),
        "generated/ is out of date with spec/registry (stale: {:?}, missing: {:?}, extra: {:?});\n\
         run `cargo run -p codegen` and commit the result",
        report.stale,
        report.missing,
        report.extra,
    );
    assert!(
        report.stale_locks.is_empty(),
        "the locks lack codes or names spec/registry publishes: {:?}; run `cargo run -p codegen` and commit the result",
        report.stale_locks
    );
}
