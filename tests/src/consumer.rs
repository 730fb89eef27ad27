//! The consumer programs of issue 23 (`tests/consumers/<target>/`): each is written as its
//! target's page in `docs/targets/` recommends, against a copy of the shipped registry, and
//! must compile and give the same answers after a code is added to that registry (the code it
//! already receives as unknown, from "a newer server").
//!
//! Every consumer prints the same lines, its error type's text aside: what it decoded from a
//! known code (4002) and from the code added later (5007), each with a received message, and
//! from an unknown code without one (6001); then the text of the error it threw and caught.

use std::path::Path;

/// The code the consumers receive before the registry has it, and the entry the test adds.
pub const ADDED_CODE: u32 = 5007;

/// The entry added to the shipped `sdk` catalog (in its `service_runtime` range).
const ADDED_ENTRY: &str = "
  - code: 5007
    name: TRANSCRIPTION_FAILED
    message: The transcription service failed after it started.
    trigger: Raised when a transcription started with `startTranscription` stops on an error.
";

/// Copies the shipped registry (catalogs and locks) into `dir`, a fresh directory.
pub fn shipped_copy(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create the registry copy");
    let shipped = crate::root().join("spec/registry");
    for entry in std::fs::read_dir(&shipped).expect("read spec/registry") {
        let path = entry.expect("an entry of spec/registry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, dir.join(name)).expect("copy a registry file");
        }
    }
}

/// Adds `ADDED_CODE` to the copy's `sdk` catalog, as its next release would.
pub fn add_code(dir: &Path) {
    let path = dir.join("sdk.yaml");
    let mut text = std::fs::read_to_string(&path).expect("read sdk.yaml");
    assert!(
        !text.contains(&format!("code: {ADDED_CODE}\n")),
        "the shipped sdk catalog has {ADDED_CODE} already: choose another code for the test"
    );
    text.push_str(ADDED_ENTRY);
    std::fs::write(&path, text).expect("write sdk.yaml");
}

/// What a consumer prints, `error` its error type's name as its text starts (`SdkError`,
/// `SdkException`, `Sdk`), `added` whether the registry has `ADDED_CODE`.
pub fn expected(error: &str, added: bool) -> String {
    let known = format!(
        r#"decoded 4002: {error} 4002 INVALID_TOKEN: token expired
  code 4002, entry INVALID_TOKEN, message "token expired"
  retry: fix
  handling: fetch a new token
"#
    );
    let future = if added {
        format!(
            r#"decoded 5007: {error} 5007 TRANSCRIPTION_FAILED: transcription failed
  code 5007, entry TRANSCRIPTION_FAILED, message "transcription failed"
  retry: no guidance
  handling: known: TRANSCRIPTION_FAILED
"#
        )
    } else {
        format!(
            r#"decoded 5007: {error} 5007: transcription failed
  code 5007, entry none, message "transcription failed"
  retry: no guidance
  handling: unknown to this version
"#
        )
    };
    let bare = format!(
        r#"decoded 6001: {error} 6001
  code 6001, entry none, message ""
  retry: no guidance
  handling: unknown to this version
"#
    );
    let caught = if added {
        format!("caught: {error} 5007 TRANSCRIPTION_FAILED: transcription failed\n")
    } else {
        format!("caught: {error} 5007: transcription failed\n")
    };
    format!("{known}{future}{bare}{caught}")
}

/// The consumer's output against `expected`, with the output on failure.
pub fn assert_output(target: &str, out: &std::process::Output, error: &str, added: bool) {
    let want = expected(error, added);
    let got = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && got == want,
        "the {target} consumer, {} the code was added: expected\n{want}\n{}",
        if added { "after" } else { "before" },
        crate::output_text(out)
    );
}
