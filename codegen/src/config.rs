//! `errspec.toml`, the project file: where the registry, the out directory and
//! the templates are, and the platform each target renders.
//!
//! `codegen` finds it by walking up from the current directory, as cargo finds
//! `Cargo.toml`; paths in it are relative to its own directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use errspec::{Diagnostic, Rule, SourceMap, Span};
use serde::Deserialize;
use toml::Spanned;

/// The project file's name.
pub const FILE_NAME: &str = "errspec.toml";

/// The registry path when neither a flag nor the file names one (relative to
/// the file's directory, or to the current directory without a file).
pub const DEFAULT_REGISTRY: &str = "errors";

/// The out directory when neither a flag nor the file names one.
pub const DEFAULT_OUT: &str = "generated";

/// The keys the file may have, for the fix of an unknown one.
const KEYS: &str = "`registry`, `out`, `templates` and the `[platform]` table";

/// A parsed `errspec.toml`, its paths resolved against its directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The file itself.
    pub file: PathBuf,
    pub registry: PathBuf,
    pub out: PathBuf,
    pub templates: Option<PathBuf>,
    /// `(target, platform id)` in the file's order, as `--platform TARGET=ID`.
    pub platforms: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    registry: Option<Spanned<String>>,
    out: Option<Spanned<String>>,
    templates: Option<Spanned<String>>,
    #[serde(default)]
    platform: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// The nearest `errspec.toml` in `start` or a directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|file| file.is_file())
}

/// Reads and parses the file at `path`; the error is rendered like the
/// registry's diagnostics (`path:line:column`, an excerpt, the fix).
pub fn read(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "error: cannot read {}: {e}\n  = help: make the file readable UTF-8 text, or delete it to use the defaults\n",
            path.display()
        )
    })?;
    parse(path, &text)
}

/// Parses the text of the file at `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, String> {
    let mut sources = SourceMap::new();
    let file = sources.add(path, text.to_owned());
    let at = |range: std::ops::Range<usize>| Span {
        file,
        start: range.start,
        end: range.end,
    };
    let render = |d: Diagnostic| d.render(&sources, false);
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_owned();
        let (rule, help) = if message.starts_with("unknown field") {
            (
                Rule::UnknownField,
                format!("remove or rename the key: {FILE_NAME} knows {KEYS}"),
            )
        } else if message.starts_with("invalid type") {
            (
                Rule::WrongType,
                "write a quoted string, e.g. `registry = \"errors\"` or `rust = \"web\"`"
                    .to_owned(),
            )
        } else {
            (
                Rule::WrongType,
                format!(
                    "{FILE_NAME} is TOML (https://toml.io): `key = \"value\"` lines and a `[platform]` table"
                ),
            )
        };
        let mut d = Diagnostic::new(rule, format!("{FILE_NAME}: {message}")).help(help);
        d = match e.span() {
            Some(span) => d.primary(at(span), "here"),
            None => d.at_path(path),
        };
        render(d)
    })?;

    let dir = path.parent().unwrap_or(Path::new(""));
    let mut problems = Vec::new();
    let mut resolve = |value: &Option<Spanned<String>>, key: &str| -> Option<PathBuf> {
        let value = value.as_ref()?;
        if value.get_ref().trim().is_empty() {
            problems.push(
                Diagnostic::new(Rule::EmptyField, format!("{FILE_NAME}: `{key}` is empty"))
                    .primary(at(value.span()), "an empty path")
                    .help(format!(
                        "give a path relative to {}, or remove the line to use the default",
                        dir.join(FILE_NAME).display()
                    )),
            );
            return None;
        }
        Some(dir.join(value.get_ref()))
    };
    let registry = resolve(&raw.registry, "registry");
    let out = resolve(&raw.out, "out");
    let templates = resolve(&raw.templates, "templates");
    let mut platforms = Vec::new();
    for (target, id) in &raw.platform {
        let mut bad = false;
        for (what, value, example) in [
            (
                "target",
                target,
                "`rust`, `typescript`, `dart` or a template's name",
            ),
            (
                "platform",
                id,
                "a platform id a catalog declares, or \"canonical\"",
            ),
        ] {
            let v = value.get_ref();
            if v.trim().is_empty() || v.trim() != v || v.contains(char::is_whitespace) {
                bad = true;
                problems.push(
                    Diagnostic::new(
                        Rule::InvalidId,
                        format!("{FILE_NAME}: `[platform]` has an invalid {what} {v:?}"),
                    )
                    .primary(at(value.span()), format!("not a {what} name"))
                    .help(format!("write {example}, without spaces")),
                );
            }
        }
        if !bad {
            platforms.push((target.get_ref().clone(), id.get_ref().clone()));
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_iter().map(render).collect());
    }
    Ok(Config {
        file: path.to_path_buf(),
        registry: registry.unwrap_or_else(|| dir.join(DEFAULT_REGISTRY)),
        out: out.unwrap_or_else(|| dir.join(DEFAULT_OUT)),
        templates,
        platforms,
    })
}

/// The `errspec.toml` `codegen init` writes.
pub const INIT_CONFIG: &str = r#"# errspec project file. `codegen` finds it by walking up from the current
# directory (as cargo finds Cargo.toml), so `codegen` run anywhere in this
# repository regenerates it, and `codegen --check` checks it, with no flags.
# Paths are relative to this file's directory; flags override what is here.

# The registry: a catalog .yaml file, or a directory of them.
registry = "errors"

# Where the generated files go: rust/, typescript/, dart/, markdown/.
out = "generated"

# A directory of .hbs templates: a file named like a built-in target
# (typescript.hbs, dart.hbs, markdown.hbs) replaces it, any other adds one.
# templates = "templates"

# The view each target renders, like `--platform TARGET=ID`: a platform id a
# catalog declares, or "canonical" (every entry, canonical names).
# Defaults: rust canonical, typescript web, dart flutter.
[platform]
# rust = "canonical"
# typescript = "web"
"#;

/// The example registry `codegen init` writes to `errors/example.yaml`.
pub const INIT_REGISTRY: &str = r#"# An errspec catalog: one file per catalog. See the errspec README for every
# field. Run `codegen` to regenerate the outputs after editing, and
# `codegen explain 1001` to read an entry as support engineers see it.
catalog:
  name: example                # snake_case; names the generated files and types
  title: Example errors
  platforms:                   # optional: the SDKs that report these errors
    web: { title: Web SDK }
    flutter: { title: Flutter SDK }
  categories:                  # required when errors have codes
    connection: { title: Connection, codes: { from: 1000, to: 1999 } }
errors:
  - code: 1001
    name: CONNECTION_LOST
    message: The connection to the server was lost.
    trigger: The network drops for longer than the keep-alive interval.
    retry: { backoff: { initial: 1s, max: 30s, attempts: 5 } }
  - code: 1002
    name: INVALID_TOKEN
    message: The access token is invalid or expired.
    trigger: The app connects with a token the server does not accept.
    retry: { fix: "Request a new token from your server, then connect again." }
    aliases: [BAD_TOKEN]
    overrides:
      web: { name: TOKEN_INVALID }
  - code: 1003
    name: RATE_LIMITED
    message: "Too many requests; retry in {wait}."   # {name} is a parameter; {{ and }} are braces
    trigger: The app sent more requests than its plan allows.
    retry: { after: 30s }
    params:                    # optional: typed values the message carries (string, int, bool, duration)
      wait: { type: duration, description: How long the server asks the app to wait. }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_file() {
        let c = parse(
            Path::new("/repo/errspec.toml"),
            "registry = \"spec/reg\"\ntemplates = \"t\"\n[platform]\nrust = \"web\"\n",
        )
        .expect("valid");
        assert_eq!(c.registry, Path::new("/repo/spec/reg"));
        assert_eq!(c.out, Path::new("/repo/generated"));
        assert_eq!(c.templates.as_deref(), Some(Path::new("/repo/t")));
        assert_eq!(c.platforms, vec![("rust".to_owned(), "web".to_owned())]);
    }

    #[test]
    fn unknown_keys_and_bad_values_point_at_the_file() {
        let e = parse(
            Path::new("p/errspec.toml"),
            "registry = \"a\"\nregistyr = \"b\"\n",
        )
        .expect_err("unknown key");
        assert!(e.contains("error[unknown-field]"), "{e}");
        assert!(e.contains("p/errspec.toml:2:1"), "{e}");
        assert!(e.contains("knows `registry`"), "{e}");

        let e = parse(Path::new("errspec.toml"), "out = 3\n").expect_err("wrong type");
        assert!(e.contains("errspec.toml:1:7"), "{e}");
        assert!(e.contains("quoted string"), "{e}");

        let e = parse(
            Path::new("errspec.toml"),
            "out = \"\"\n[platform]\nrust = \"w b\"\n",
        )
        .expect_err("bad values");
        assert!(
            e.contains("errspec.toml:1:7") && e.contains("`out` is empty"),
            "{e}"
        );
        assert!(
            e.contains("errspec.toml:3:8") && e.contains("invalid platform"),
            "{e}"
        );
    }

    #[test]
    fn init_files_are_valid() {
        parse(Path::new("errspec.toml"), INIT_CONFIG).expect("init config parses");
        errspec::load_str("errors/example.yaml", INIT_REGISTRY).expect("example registry is valid");
    }
}
