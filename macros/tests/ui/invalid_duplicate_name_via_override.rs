// The spec corpus fixture `duplicate_name_via_override`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/duplicate_name_via_override.yaml");

fn main() {}
