//! Cargo rebuilds a crate that uses `catalog!` when its YAML changes: the
//! expansion `include_str!`s the registry, so the file is in the dep-info.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

const CATALOG: &str = "catalog:
  name: demo
  title: Demo
errors:
  - code: 1
    name: ONLY
    message: MESSAGE
    trigger: Always.
    retry: never
";

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// `cargo run` in the consumer; returns what it printed.
fn run(dir: &Path, target: &Path) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env_remove("ERRSPEC_MANIFEST_DIR")
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "cargo run failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn editing_the_yaml_rebuilds_the_consumer() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rebuild-consumer");
    let dir = root.join("crate");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("create consumer");
    let macros = Path::new(env!("CARGO_MANIFEST_DIR"));
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nerrspec-macros = {{ path = {:?} }}\n\n[workspace]\n",
            macros.display().to_string()
        ),
    );
    // The workspace's lock pins the consumer's dependencies to versions already built and cached.
    std::fs::copy(macros.join("../Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    write(
        &dir.join("src/main.rs"),
        "errspec_macros::catalog!(\"errors.yaml\");\nfn main() { println!(\"{}\", Demo::Only.message()); }\n",
    );
    let yaml = dir.join("errors.yaml");
    write(&yaml, &CATALOG.replace("MESSAGE", "The first message."));
    let target = root.join("target");
    assert_eq!(run(&dir, &target), "The first message.");

    write(&yaml, &CATALOG.replace("MESSAGE", "The edited message."));
    // Make the edit newer than the last build whatever the file system's timestamp granularity.
    let later = SystemTime::now() + Duration::from_secs(2);
    std::fs::File::options()
        .write(true)
        .open(&yaml)
        .and_then(|f| f.set_modified(later))
        .expect("touch errors.yaml");
    assert_eq!(
        run(&dir, &target),
        "The edited message.",
        "the consumer was not rebuilt after its YAML changed"
    );
}
