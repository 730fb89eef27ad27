// The spec corpus fixture `code_outside_explicit_category`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/code_outside_explicit_category.yaml");

fn main() {}
