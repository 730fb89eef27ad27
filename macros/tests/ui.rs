//! Compile-fail tests: every registry problem and every bad argument becomes a
//! `compile_error!` spanned on the macro call, with the CLI's diagnostics.

#[test]
fn ui() {
    // trybuild builds the cases in its own crate under `target/`; point the
    // macro at this crate's directory so the cases' relative paths resolve.
    // Safety: set before trybuild spawns any thread, and no other test of this
    // binary reads the environment.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("ERRSPEC_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
