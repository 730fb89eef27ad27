//! `generated/` is what the registry renders to, byte for byte.

use errspec_tests::root;

#[test]
fn generated_is_up_to_date() {
    // As `cargo run -p codegen` runs: the workspace's errspec.toml names the
    // registry, the out directory, the command the headers name and the crate.
    let config = codegen::config::read(&root().join(codegen::config::FILE_NAME))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut generator = codegen::Generator::new(&config.registry, &config.out);
    if let Some(command) = &config.regenerate {
        generator = generator.regenerate(command);
    }
    for setting in config.settings {
        generator = generator.setting(setting);
    }
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
