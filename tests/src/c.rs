//! The C compilers and valgrind for the C tests (`tests/tests/c.rs`, `tests/tests/large.rs`):
//! the strict flags every generated header must pass, and the checks' own literals.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

pub const HOW_TO_GET_C: &str = "the C checks run `gcc`, `g++` and `valgrind`: install Debian's \
     packages (`apt-get install gcc g++ valgrind`), then run `cargo test --workspace` again";

/// C11, every warning an error.
pub const C_FLAGS: &[&str] = &["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];
/// C++17, every warning an error.
pub const CXX_FLAGS: &[&str] = &["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"];

/// `program ARGS` in `dir`, or a panic saying how to get the program.
pub fn run(program: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}`: {e}\n{HOW_TO_GET_C}"))
}

/// Runs `program ARGS` in `dir` and panics with its output unless it succeeds.
pub fn run_ok(program: &str, args: &[&str], dir: &Path) -> Output {
    let out = run(program, args, dir);
    assert!(
        out.status.success(),
        "`{program} {}` failed (in {})\n{}",
        args.join(" "),
        dir.display(),
        crate::output_text(&out)
    );
    out
}

/// Checks `header` alone as a C11 and as a C++17 translation unit.
pub fn check_header(header: &Path, dir: &Path) {
    let file = header.to_string_lossy();
    for (compiler, flags, lang) in [("gcc", C_FLAGS, "c"), ("g++", CXX_FLAGS, "c++")] {
        let mut args = flags.to_vec();
        args.extend(["-fsyntax-only", "-x", lang, &file]);
        run_ok(compiler, &args, dir);
    }
}

/// A C string literal written by the test, not the template's helper: printable
/// ASCII as itself (`\`, `"` and `?` escaped), every other byte `\xHH` closing its
/// literal, so that a hex digit after it starts a new one.
pub fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        match b {
            b'\\' | b'"' | b'?' => {
                out.push('\\');
                out.push(char::from(b));
            }
            b' '..=b'~' => out.push(char::from(b)),
            _ => {
                write!(out, "\\x{b:02x}\"\"").ok();
            }
        }
    }
    out.push('"');
    out
}
