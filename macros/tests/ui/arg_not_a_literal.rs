const PATH: &str = "../tests/fixtures/hostile.yaml";
errspec_macros::catalog!(PATH);

fn main() {}
