// The spec corpus fixture `backoff_initial_above_max`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/backoff_initial_above_max.yaml");

fn main() {}
