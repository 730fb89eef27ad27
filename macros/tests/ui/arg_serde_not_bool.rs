errspec_macros::catalog!("../tests/fixtures/hostile.yaml", serde = "yes");

fn main() {}
