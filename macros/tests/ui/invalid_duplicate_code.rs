// The spec corpus fixture `duplicate_code`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/duplicate_code.yaml");

fn main() {}
