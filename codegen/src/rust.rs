//! The Rust target: a crate whose modules are the macro's expansion of each catalog.

use std::collections::BTreeMap;
use std::path::PathBuf;

use errspec::Registry;
use errspec::lang::Comment;
use errspec::preamble::{Source, preamble};

/// A file's preamble in the comment syntax of its language (the Rust row's, or TOML's `#`).
fn header(comment: &Comment) -> String {
    preamble(comment, Source::Registry) + "\n"
}

/// `rust/Cargo.toml`, `rust/src/lib.rs` and `rust/src/<catalog>.rs`: each
/// catalog's view of `platform` where the catalog has it, else canonical.
pub fn files(
    registry: &Registry,
    platform: Option<&str>,
) -> Result<BTreeMap<PathBuf, String>, errspec_rust::EmitError> {
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("rust/Cargo.toml"),
        header(&Comment::Line("#".to_owned()))
            + "[package]\n\
         name = \"errspec-generated\"\n\
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
    let rust_header = header(&errspec_rust::language().comment);
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
