// The spec corpus fixture `duplicate_key`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/duplicate_key.yaml");

fn main() {}
