errspec_macros::catalog!("../spec/registry/ice.yaml", platform = "web");

fn main() {}
