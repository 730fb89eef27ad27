// The spec corpus fixture `alias_bomb`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/alias_bomb.yaml");

fn main() {}
