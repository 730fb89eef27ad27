//! The shipped `sdk` catalog as a Rust enum: `cargo run -p errspec-macros --example sdk`.

// One line turns the registry file into `enum Sdk` (its path is relative to this crate).
errspec_macros::catalog!("../spec/registry/sdk.yaml", platform = "web");

/// What an app might do with an error code it received from the SDK.
fn handle(code: u32) -> String {
    match Sdk::from_code(code) {
        Some(Sdk::InvalidToken) => "fetch a new token, then join again".to_owned(),
        Some(
            err @ (Sdk::ErrorCameraAccessDeniedOrDismissed
            | Sdk::ErrorMicrophoneAccessDeniedOrDismissed),
        ) => {
            format!("ask the user: {err}")
        }
        Some(err) if err.retry().is_retryable() => format!("{}: {}", err.name(), err.retry()),
        Some(err) => format!("{} ({}): give up", err.name(), err.code()),
        None => format!("unknown error code {code}"),
    }
}

fn main() {
    for code in [4002, 3017, 4011, 4005, 9999] {
        println!("{code}: {}", handle(code));
    }
    let err = Sdk::MaxPartcipantReached;
    println!(
        "\n{} ({}): {}\n  retry: {}",
        err.name(),
        err.code(),
        err,
        err.retry()
    );
}
