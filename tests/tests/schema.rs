//! Random valid registries (`errspec_tests::arbitrary`: every field, every
//! text class the validator allows, both naming styles, name-keyed catalogs,
//! platforms, overrides, retired entries) match the registry format's JSON
//! Schema, as the `jsonschema` crate reads it; and their export matches the
//! export's schema. `codegen/tests/schema.rs` has the fixed cases.

use std::sync::OnceLock;

use serde_json::Value;

fn validator(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

fn registry_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| validator(&errspec::schema::registry().document()))
}

fn export_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| validator(&codegen::export::schema().document()))
}

fn problems(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

proptest::proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(64))]

    #[test]
    fn random_valid_catalogs_match_the_schema_and_so_does_their_export(
        catalogs in errspec_tests::arbitrary::registry()
    ) {
        for c in &catalogs {
            let text = c.yaml();
            let registry = errspec::load_str(format!("{}.yaml", c.name), &text)
                .unwrap_or_else(|d| panic!("the generator wrote an invalid catalog:\n{d}\n{text}"));
            let data: Value = serde_saphyr::from_str_with_options(&text, errspec::reader_options())
                .unwrap_or_else(|e| panic!("not YAML data: {e}\n{text}"));
            let found = problems(registry_schema(), &data);
            proptest::prop_assert!(found.is_empty(), "the schema refuses a valid catalog:\n{}\n{text}", found.join("\n"));
            let export: Value = serde_json::from_str(&codegen::export::export(&registry).pretty())
                .expect("the export is JSON");
            let found = problems(export_schema(), &export);
            proptest::prop_assert!(found.is_empty(), "the export does not match its schema:\n{}\n{text}", found.join("\n"));
        }
    }
}
