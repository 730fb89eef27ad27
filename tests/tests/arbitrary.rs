//! The random registries of `errspec_tests::arbitrary` are valid, and the
//! shared promises hold for each: every target renders, twice the same.

use proptest::prelude::*;

proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(32))]

    #[test]
    fn random_registries_load_and_render_deterministically(catalogs in errspec_tests::arbitrary::registry()) {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("arbitrary-load");
        errspec_tests::arbitrary::write(&dir, &catalogs);
        let registry = match errspec::load(&dir) {
            Ok(r) => r,
            Err(d) => {
                let yaml: Vec<String> = catalogs.iter().map(|c| c.yaml()).collect();
                panic!("a generated registry was refused:\n{d}\n{}", yaml.join("\n---\n"));
            }
        };
        // The message parameters the generator wrote are the ones loaded.
        let written: Vec<Vec<&str>> = catalogs.iter().flat_map(|c| &c.entries).map(|e| e.params.iter().map(|p| p.0.as_str()).collect()).collect();
        let loaded: Vec<Vec<&str>> = registry.catalogs.iter().flat_map(|c| &c.entries).map(|e| e.params.iter().map(|p| p.name.value.as_str()).collect()).collect();
        prop_assert_eq!(written, loaded);
        let first = codegen::Generator::new(&dir, "unused").render().map_err(|e| e.to_string());
        let second = codegen::Generator::new(&dir, "unused").render().map_err(|e| e.to_string());
        prop_assert!(first.is_ok(), "render failed: {:?}", first);
        prop_assert_eq!(first, second, "same registry, same bytes");
    }
}
