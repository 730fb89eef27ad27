errspec_macros::catalog!("../spec/registry");

fn main() {}
