// The spec corpus fixture `unknown_field_typo`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/unknown_field_typo.yaml");

fn main() {}
