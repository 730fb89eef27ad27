//! The Rust target: a crate whose modules are the macro's expansion of each catalog.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use errspec::Registry;
use errspec::lang::Comment;
use errspec::preamble::{Source, preamble};

/// The Rust target's option naming the generated crate (`[target.rust] crate`,
/// `--option rust.crate=NAME`).
pub const CRATE_OPTION: &str = "crate";

/// The crate's name when no setting names it (`errspec init` writes one
/// derived from the project's directory, [`derived_crate_name`], into errspec.toml).
pub const DEFAULT_CRATE: &str = "errspec-generated";

/// What a crate name may be, for the fix of a refused one.
pub const CRATE_NAME_FORM: &str = "a crate name is ASCII letters, digits, `-` and `_`, starts with a letter, and has at most 64 characters, e.g. `acme-sdk-errors`";

/// Names cargo or rustc refuse for a package whose library is imported by name.
const RESERVED_CRATES: &[&str] = &[
    "alloc",
    "core",
    "proc_macro",
    "proc-macro",
    "std",
    "test",
    "self",
    "super",
    "crate",
    "Self",
];

/// Why `name` cannot be the generated crate's package name, or `None`.
pub fn crate_name_problem(name: &str) -> Option<String> {
    let first = name.chars().next();
    if name.is_empty() {
        Some("is empty".to_owned())
    } else if !first.is_some_and(|c| c.is_ascii_alphabetic()) {
        Some("does not start with an ASCII letter".to_owned())
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(format!("contains `{}`", c.escape_debug()))
    } else if name.len() > 64 {
        Some(format!("has {} characters", name.len()))
    } else if RESERVED_CRATES.contains(&name) {
        Some("is reserved by Rust".to_owned())
    } else {
        None
    }
}

/// The crate name `errspec init` writes into errspec.toml: the name of the
/// directory it runs in, lower-cased,
/// each run of other characters than ASCII letters and digits made one `-`,
/// then `-errors` (`Acme SDK` → `acme-sdk-errors`). Two projects in two
/// directories get two crates that one consumer can depend on together.
/// Written into the file, not computed at each run: a project's outputs
/// must not change with the directory it is checked out in.
/// `errspec-` goes first when the name does not start with a letter.
pub fn derived_crate_name(dir: &Path) -> String {
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut name = String::new();
    for c in base.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    // 64 at most with the suffix and prefix: `errspec-` + 48 + `-errors`.
    name.truncate(48);
    let name = name.trim_end_matches('-');
    let lead = if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        ""
    } else {
        "errspec-"
    };
    let mut crate_name = format!("{lead}{name}");
    if !crate_name.ends_with('-') {
        crate_name.push('-');
    }
    crate_name + "errors"
}

/// A file's preamble in the comment syntax of its language (the Rust row's, or TOML's `#`).
fn header(comment: &Comment, command: &str) -> String {
    preamble(comment, Source::Registry, command) + "\n"
}

/// `rust/Cargo.toml`, `rust/src/lib.rs` and `rust/src/<catalog>.rs`: each
/// catalog's view of `platform` where the catalog has it, else canonical, in
/// the crate `crate_name`; the headers name `command` to regenerate them.
pub fn files(
    registry: &Registry,
    platform: Option<&str>,
    crate_name: &str,
    command: &str,
) -> Result<BTreeMap<PathBuf, String>, errspec_rust::EmitError> {
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("rust/Cargo.toml"),
        header(&Comment::Line("#".to_owned()), command)
            + "[package]\n"
            + &format!("name = \"{crate_name}\"\n")
            + "\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         description = \"The errspec registry's catalogs as Rust enums: the expansion of errspec_macros::catalog!\"\n\n\
         [dependencies]\n",
    );
    let views = match platform {
        None => String::new(),
        Some(p) => {
            format!(": each catalog's `{p}` view, or its canonical view where it has no `{p}`")
        }
    };
    let rust_header = header(&errspec_rust::language().comment, command);
    let mut lib =
        format!("{rust_header}\n//! The errspec registry's catalogs as Rust enums{views}.\n\n");
    for c in &registry.catalogs {
        let options = errspec_rust::Options {
            platform: platform.filter(|p| c.view(p).is_some()).map(str::to_owned),
            ..errspec_rust::Options::default()
        };
        // The emitter writes rustfmt's layout, so the file is its text as it is.
        let mut text = format!("{rust_header}\n");
        errspec_rust::emit_into(&mut text, c, &options)?;
        files.insert(PathBuf::from(format!("rust/src/{}.rs", c.name.value)), text);
        lib.push_str(&format!("pub mod {};\n", c.name.value));
    }
    files.insert(PathBuf::from("rust/src/lib.rs"), lib);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_are_valid_crate_names() {
        for (dir, name) in [
            ("/work/Acme SDK", "acme-sdk-errors"),
            ("/p/billing_v2", "billing-v2-errors"),
            ("/p/2024-app", "errspec-2024-app-errors"),
            ("/p/.tmpX1", "tmpx1-errors"),
            ("/", "errspec-errors"),
            ("/p/Éclair", "clair-errors"),
            ("/p/---", "errspec-errors"),
        ] {
            assert_eq!(derived_crate_name(Path::new(dir)), name, "{dir}");
            assert_eq!(crate_name_problem(name), None, "{name}");
        }
        let long = derived_crate_name(Path::new(&"a".repeat(200)));
        assert_eq!(crate_name_problem(&long), None, "{long}");
    }

    #[test]
    fn bad_crate_names_say_what_is_wrong() {
        assert_eq!(crate_name_problem("acme-errors"), None);
        assert_eq!(crate_name_problem(""), Some("is empty".to_owned()));
        assert_eq!(
            crate_name_problem("1x"),
            Some("does not start with an ASCII letter".to_owned())
        );
        assert_eq!(crate_name_problem("a.b"), Some("contains `.`".to_owned()));
        assert_eq!(
            crate_name_problem("std"),
            Some("is reserved by Rust".to_owned())
        );
        assert!(crate_name_problem(&"a".repeat(65)).is_some());
    }
}
