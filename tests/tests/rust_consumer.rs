//! A consumer crate of the generated Rust crate, written as docs/targets/rust.md
//! recommends: it decodes a known and an unknown code into `VideoError`, returns
//! it with `?`, matches the entry with a `_` arm and the retry hint with one too.
//! Built and run by cargo; then the test adds a code to the registry,
//! regenerates, and builds and runs the same consumer again: the addition breaks
//! nothing, and the code that was unknown is now known.
//!
//! A second consumer matches exhaustively without `_`: rustc refuses it
//! (E0004), the proof that the enums are `#[non_exhaustive]` across crates.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REGISTRY: &str = "\
catalog:
  name: video
  title: Video errors
errors:
  - code: 53106
    name: ROOM_NOT_FOUND
    message: Room not found.
    trigger: The room named in the request does not exist.
    retry: never
  - code: 53107
    name: ROOM_FULL
    message: Room is full.
    trigger: The room already holds as many participants as it may.
";

/// What a newer server sends before the registry has it.
const ADDED: &str = "  - code: 53108
    name: ROOM_CLOSED
    message: Room was closed.
    trigger: The room ended while joining it.
    retry: { after: 5s }
";

const CONSUMER: &str = r#"#![deny(warnings)]

use errspec_generated::video::{Video, VideoError, VideoRetry};

/// What the app does with an error: known entries by name, the rest by default.
fn handle(e: &VideoError) -> String {
    match e.entry() {
        Some(Video::RoomNotFound) => "ask for another room".to_owned(),
        Some(Video::RoomFull) => "wait for a seat".to_owned(),
        Some(other) => format!("known, not handled here: {}", other.name()),
        None => format!("unknown code {}", e.code()),
    }
}

fn advice(retry: VideoRetry) -> String {
    match retry {
        VideoRetry::Never => "do not retry".to_owned(),
        VideoRetry::Unspecified => "no guidance: treat as unexpected".to_owned(),
        other => format!("retryable: {other}"),
    }
}

/// The SDK's call: the server answered with a code and a message.
fn join(code: u32, message: &str) -> Result<(), VideoError> {
    Err(Video::error(code, message))
}

fn connect(code: u32, message: &str) -> Result<(), VideoError> {
    join(code, message)?;
    Ok(())
}

fn main() {
    for (code, message) in [
        (53106, "Room not found"),
        (53107, "Room is full"),
        (53108, "Room was closed"),
        (99999, "Something new"),
    ] {
        let Err(e) = connect(code, message) else {
            panic!("connect succeeded");
        };
        let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
        let retry = e.entry().map(|entry| advice(entry.retry()));
        println!(
            "{e} | {} | {} | {}",
            handle(&e),
            retry.unwrap_or_else(|| "unknown".to_owned()),
            boxed
        );
    }
    println!("{}", VideoError::from(Video::RoomFull));
    println!("retryable: {}", Video::RoomFull.retry().is_retryable());
}
"#;

const EXHAUSTIVE: &str = r#"
use errspec_generated::video::Video;

pub fn name(v: Video) -> &'static str {
    match v {
        Video::RoomNotFound => "a",
        Video::RoomFull => "b",
    }
}
"#;

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn cargo(dir: &Path, target: &Path, command: &str) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args([command, "--quiet", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo")
}

/// Renders the Rust target of `registry` into `out`, as `codegen --targets rust` does.
fn generate(registry: &Path, out: &Path) {
    codegen::Generator::new(registry, out)
        .targets(["rust"])
        .write()
        .unwrap_or_else(|e| panic!("codegen: {e}"));
}

fn consumer(root: &Path, name: &str, main: &str, lib: bool) -> PathBuf {
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir.join("Cargo.toml"),
        "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nerrspec-generated = { path = \"../out/rust\" }\n\n[workspace]\n",
    );
    write(
        &dir.join(if lib { "src/lib.rs" } else { "src/main.rs" }),
        main,
    );
    dir
}

fn lines(out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "cargo failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_consumer_decodes_unknown_codes_and_survives_an_added_one() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rust-consumer");
    let _ = std::fs::remove_dir_all(&root);
    let registry = root.join("errors/video.yaml");
    write(&registry, REGISTRY);
    let out = root.join("out");
    generate(&registry, &out);
    let app = consumer(&root, "app", CONSUMER, false);
    let target = root.join("target");

    let before = lines(&cargo(&app, &target, "run"));
    assert_eq!(
        before,
        [
            "Video 53106 ROOM_NOT_FOUND: Room not found | ask for another room | do not retry | Video 53106 ROOM_NOT_FOUND: Room not found",
            "Video 53107 ROOM_FULL: Room is full | wait for a seat | no guidance: treat as unexpected | Video 53107 ROOM_FULL: Room is full",
            "Video 53108: Room was closed | unknown code 53108 | unknown | Video 53108: Room was closed",
            "Video 99999: Something new | unknown code 99999 | unknown | Video 99999: Something new",
            "Video 53107 ROOM_FULL: Room is full.",
            "retryable: false",
        ]
    );

    // Exhaustive matching without `_` is refused across crates.
    let strict = consumer(&root, "strict", EXHAUSTIVE, true);
    let refused = cargo(&strict, &target, "build");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && stderr.contains("E0004") && stderr.contains("non-exhaustive"),
        "an exhaustive match without `_` compiled:\n{stderr}"
    );

    // The registry gains the code the server already sent: the same consumer builds and runs.
    write(&registry, &(REGISTRY.to_owned() + ADDED));
    generate(&registry, &out);
    let after = lines(&cargo(&app, &target, "run"));
    assert_eq!(
        after[2],
        "Video 53108 ROOM_CLOSED: Room was closed | known, not handled here: ROOM_CLOSED | retryable: retry once after 5s | Video 53108 ROOM_CLOSED: Room was closed"
    );
    assert_eq!(
        [&after[..2], &after[3..]].concat(),
        [&before[..2], &before[3..]].concat(),
        "only the new code's line changes"
    );
}
