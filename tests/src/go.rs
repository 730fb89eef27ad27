//! The Go toolchain for the Go tests (`tests/tests/go.rs`, `tests/tests/large.rs`): found
//! on PATH or where Go's installer puts it, and run offline with its caches in a directory
//! the test gives.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const HOW_TO_GET_GO: &str = "the Go checks run the Go toolchain (1.18 or later): `go` on \
     PATH or /usr/local/go/bin/go; install Debian's `golang-go` (`apt-get install golang-go`) \
     or a release from https://go.dev/dl/, then run `cargo test --workspace` again";

/// `go` on PATH, else the official installer's place, or what to install.
pub fn find() -> Result<PathBuf, String> {
    for go in [PathBuf::from("go"), PathBuf::from("/usr/local/go/bin/go")] {
        if let Ok(out) = Command::new(&go).arg("version").output()
            && out.status.success()
        {
            return Ok(go);
        }
    }
    Err(format!("cannot run `go version`\n{HOW_TO_GET_GO}"))
}

/// `gofmt` beside `go` (on PATH when `go` is).
pub fn gofmt(go: &Path) -> PathBuf {
    match go.parent() {
        Some(dir) if dir != Path::new("") => dir.join("gofmt"),
        _ => PathBuf::from("gofmt"),
    }
}

/// `go ARGS` in `dir`: offline (no toolchain or module download: the modules tested have
/// no dependency), with GOPATH and GOCACHE under `caches`, none of the user's settings,
/// and no cgo (no C compiler needed).
pub fn run(go: &Path, caches: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(go)
        .args(args)
        .current_dir(dir)
        .env("GOENV", "off")
        .env("GOFLAGS", "-buildvcs=false")
        .env("GOPATH", caches.join("gopath"))
        .env("GOCACHE", caches.join("cache"))
        .env("GOMODCACHE", caches.join("gopath/pkg/mod"))
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOSUMDB", "off")
        .env("GOWORK", "off")
        .env("GO111MODULE", "on")
        .env("CGO_ENABLED", "0")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}\n{HOW_TO_GET_GO}", go.display()))
}
