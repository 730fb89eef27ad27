//! The `codegen` binary as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .output()
        .expect("run codegen")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

#[test]
fn shipped_registry_is_valid_by_default() {
    let out = codegen(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("3 catalogs") && stderr.contains("no problems"),
        "{stderr}"
    );
}

#[test]
fn invalid_registry_prints_every_diagnostic_exits_non_zero_and_writes_nothing() {
    let dir = temp_dir("invalid");
    let registry = dir.join("bad.yaml");
    std::fs::write(
        &registry,
        "catalog:\n  name: bad\n  title: Bad\nerrors:\n  - code: 1\n    name: A\n    message: m\n    trigger: t\n    retry: nevr\n  - code: 1\n    name: B\n    message: m\n    trigger: t\n    retry: never\n  - code: 2\n    name: C\n    mesage: m\n    trigger: t\n    retry: never\n",
    )
    .expect("write registry");
    let out_dir = dir.join("out");
    let out = codegen(&[
        "--registry",
        registry.to_str().expect("utf-8 path"),
        "--out",
        out_dir.to_str().expect("utf-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Diagnostics go to stderr as plain text (not a terminal), with path:line:column.
    assert!(
        stderr.contains(&format!("{}:9:12", registry.display())),
        "{stderr}"
    );
    assert!(stderr.contains("error[invalid-retry]"), "{stderr}");
    assert!(
        stderr.contains("error[unknown-field]") && stderr.contains("did you mean `message`?"),
        "{stderr}"
    );
    // The misspelt `mesage` is reported once, as a typo, not again as a missing `message`.
    assert!(!stderr.contains("error[missing-field]"), "{stderr}");
    assert!(
        !stderr.contains("\x1b["),
        "no colour codes when not a terminal"
    );
    assert!(out.stdout.is_empty());
    assert!(
        !Path::new(&out_dir).exists(),
        "nothing may be written for an invalid registry"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_registry_names_the_absolute_path_it_looked_for() {
    let out = codegen(&["--registry", "no/such/registry.yaml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[io]") && stderr.contains("no/such/registry.yaml"),
        "{stderr}"
    );
    let cwd = std::env::current_dir().expect("cwd");
    assert!(
        stderr.contains(&cwd.join("no/such/registry.yaml").display().to_string()),
        "{stderr}"
    );
}

#[test]
fn help_explains_the_options() {
    let out = codegen(&["--help"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for needle in ["--registry", "--out", "spec/registry"] {
        assert!(stdout.contains(needle), "--help lacks {needle}:\n{stdout}");
    }
}
