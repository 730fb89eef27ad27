// The spec corpus fixture `combo_entry_problems`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/combo_entry_problems.yaml");

fn main() {}
