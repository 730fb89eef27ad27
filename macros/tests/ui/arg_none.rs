errspec_macros::catalog!();

fn main() {}
