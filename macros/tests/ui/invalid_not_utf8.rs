// The spec corpus fixture `not_utf8`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/not_utf8.yaml");

fn main() {}
