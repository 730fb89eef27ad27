errspec_macros::catalog!("tests/fixtures/does_not_exist.yaml");

fn main() {}
