errspec_macros::catalog!("../tests/fixtures/hostile.yaml", visibility = pub);

fn main() {}
