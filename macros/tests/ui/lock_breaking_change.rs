// A lock sits beside the catalog, and the catalog renamed a published constant
// without keeping the old name as an alias: the expansion is refused.
errspec_macros::catalog!("tests/ui/locked/media.yaml");

fn main() {}
