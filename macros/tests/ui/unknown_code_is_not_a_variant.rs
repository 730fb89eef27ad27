// A retired or unknown code has no variant: matching on it fails to compile.
errspec_macros::catalog!("../spec/registry/ice.yaml");

fn main() {
    let _ = Ice::NotAnIceError;
}
