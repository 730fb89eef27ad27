// The spec corpus fixture `wrong_type_code_string`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/wrong_type_code_string.yaml");

fn main() {}
