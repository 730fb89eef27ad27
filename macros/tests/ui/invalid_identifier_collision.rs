// The spec corpus fixture `identifier_collision`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/identifier_collision.yaml");

fn main() {}
