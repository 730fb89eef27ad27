errspec_macros::catalog!("../tests/fixtures/hostile.yaml", serde = true, serde = false);

fn main() {}
