// The spec corpus fixture `param_combo`: every parameter rule, one compile_error! each.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/param_combo.yaml");

fn main() {}
