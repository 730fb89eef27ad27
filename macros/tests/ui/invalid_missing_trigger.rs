// The spec corpus fixture `missing_trigger`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/missing_trigger.yaml");

fn main() {}
