// The spec corpus fixture `naming_style_lower_snake`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/naming_style_lower_snake.yaml");

fn main() {}
