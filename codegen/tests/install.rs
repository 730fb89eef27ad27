//! Issue 24: `errspec` as a new SDK team gets it: installed with
//! `cargo install --path codegen`, then run in fresh repositories of their own,
//! away from this checkout; two projects' Rust crates in one consumer.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (this package's parent).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `cmd`, panicking with its output unless it succeeds.
fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `cargo install --path codegen --root ROOT --debug --offline --locked`, into
/// the target directory this test was built in (its artifacts are reused: only
/// what the test build lacks is built), and the installed binary's path.
fn install(root: &Path) -> PathBuf {
    // CARGO_BIN_EXE_errspec is TARGET/debug/errspec.
    let target = Path::new(env!("CARGO_BIN_EXE_errspec"))
        .ancestors()
        .nth(2)
        .expect("the target directory")
        .to_path_buf();
    ok(cargo()
        .args(["install", "--quiet", "--debug", "--offline", "--locked"])
        .arg("--path")
        .arg(workspace().join("codegen"))
        .arg("--root")
        .arg(root)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0"));
    let bin = root
        .join("bin")
        .join(format!("errspec{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.is_file(), "cargo install wrote no {}", bin.display());
    bin
}

/// `errspec ARGS` run in `dir` with only the installed binary on PATH's front.
fn errspec(bin: &Path, dir: &Path, args: &[&str]) -> Output {
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");
    ok(Command::new("errspec")
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1"))
}

/// A fresh repository `name` under `root`: `git init` (where git exists),
/// `errspec init`, `errspec`, `errspec check`.
fn new_project(bin: &Path, root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).expect("project dir");
    // A repository of its own, as a team's would be; git is optional here.
    let _ = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&dir)
        .output();
    errspec(bin, &dir, &["init"]);
    let write = errspec(bin, &dir, &[]);
    assert!(
        String::from_utf8_lossy(&write.stderr).contains("written"),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    let check = errspec(bin, &dir, &["check"]);
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("up to date"),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    dir
}

/// `npm pack` of the TypeScript package the installed `errspec` wrote: its
/// `prepack` builds dist/ with the workspace's pinned tsc (tests/typescript),
/// and the tarball holds the compiled entry point and types.
fn npm_pack(package: &Path) {
    let bin = workspace().join("tests/typescript/node_modules/.bin");
    assert!(
        bin.join("tsc").exists(),
        "no pinned TypeScript compiler in {}: run `npm ci --prefix tests/typescript` (Node.js and npm from your system's packages)",
        bin.display()
    );
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let pack = ok(Command::new("npm")
        .args(["pack", "--offline", "--json"])
        .current_dir(package)
        .env("PATH", path));
    let report = String::from_utf8_lossy(&pack.stdout);
    for needed in [
        "\"package.json\"",
        "\"dist/index.js\"",
        "\"dist/index.d.ts\"",
    ] {
        assert!(
            report.contains(needed),
            "{needed} is not in the tarball: {report}"
        );
    }
}

#[test]
fn installed_errspec_serves_two_fresh_repositories_and_one_consumer() {
    let tmp = temp_dir("install");
    let bin = install(&tmp.join("root"));

    let web = new_project(&bin, &tmp, "acme-web");
    // The headers and the lock name the command that works there: the binary.
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    // Every generated file's header, wherever the targets put their files.
    let mut headers = 0;
    let mut dirs = vec![web.join("generated")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read generated/").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let head: String = text.lines().take(2).collect::<Vec<_>>().join("\n");
            if head.contains("Regenerate with") {
                headers += 1;
                assert!(
                    head.contains("Regenerate with `errspec`."),
                    "{}: {head}",
                    path.display()
                );
            }
        }
    }
    assert!(headers >= 8, "only {headers} generated files have a header");
    let lock = read(web.join("errors/example.lock"));
    assert!(
        lock.contains("# `errspec` adds to it")
            && lock.contains("`errspec --accept-breaking \"<reason>\"`"),
        "{lock}"
    );
    let cargo_toml = read(web.join("generated/rust/Cargo.toml"));
    assert!(
        cargo_toml.contains("name = \"acme-web-errors\""),
        "{cargo_toml}"
    );

    // A second registry in a second repository: its crate has its own name.
    let billing = new_project(&bin, &tmp, "Acme Billing");
    let cargo_toml = read(billing.join("generated/rust/Cargo.toml"));
    assert!(
        cargo_toml.contains("name = \"acme-billing-errors\""),
        "{cargo_toml}"
    );

    // One consumer of both crates, built and run by cargo.
    let consumer = tmp.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).expect("consumer dir");
    std::fs::write(
        consumer.join("Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nacme-web-errors = {{ path = {:?} }}\nacme-billing-errors = {{ path = {:?} }}\n\n[workspace]\n",
            web.join("generated/rust"),
            billing.join("generated/rust"),
        ),
    )
    .expect("consumer manifest");
    std::fs::write(
        consumer.join("src/main.rs"),
        "fn main() {\n    \
         let web = acme_web_errors::example::Example::from_code(1001).expect(\"1001\");\n    \
         let billing = acme_billing_errors::example::Example::from_code(1002).expect(\"1002\");\n    \
         println!(\"{} {}\", web.name(), billing.name());\n}\n",
    )
    .expect("consumer main");
    let run = ok(cargo()
        .args(["run", "--quiet", "--offline"])
        .current_dir(&consumer)
        .env("CARGO_TARGET_DIR", consumer.join("target"))
        .env_remove("RUSTFLAGS"));
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "CONNECTION_LOST INVALID_TOKEN\n"
    );

    npm_pack(&web.join("generated/typescript"));
    // What the build left beside the outputs (dist/, the tarball) is the team's:
    // the pre-commit check still passes.
    errspec(&bin, &web, &["check"]);

    let _ = std::fs::remove_dir_all(&tmp);
}
