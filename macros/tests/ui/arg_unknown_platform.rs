errspec_macros::catalog!("../tests/fixtures/hostile.yaml", platform = "android");

fn main() {}
