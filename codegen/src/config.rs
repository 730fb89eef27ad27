//! `errspec.toml`, the project file: where the registry, the out directory and
//! the templates are, which targets render, and each target's settings (its
//! platform, and the options its templates declare, e.g. Kotlin's `package`).
//!
//! `codegen` finds it by walking up from the current directory, as cargo finds
//! `Cargo.toml`; paths in it are relative to its own directory.

use std::path::{Path, PathBuf};

use errspec::{Diagnostic, Rule, SourceMap, Span};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod keys;

/// The project file's name.
pub const FILE_NAME: &str = "errspec.toml";

/// The registry path when neither a flag nor the file names one (relative to
/// the file's directory, or to the current directory without a file).
pub const DEFAULT_REGISTRY: &str = "errors";

/// The out directory when neither a flag nor the file names one.
pub const DEFAULT_OUT: &str = "generated";

/// The top-level keys the file may have, for the fix of an unknown one
/// (`target` is the `[target.NAME]` tables').
const KEYS: [&str; 6] = [
    "registry",
    "out",
    "templates",
    "targets",
    "regenerate",
    "target",
];

/// A parsed `errspec.toml`, its paths resolved against its directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The file itself.
    pub file: PathBuf,
    pub registry: PathBuf,
    pub out: PathBuf,
    pub templates: Option<PathBuf>,
    /// `regenerate = "..."`: the command the generated files and locks name
    /// (`cargo run -p codegen` in errspec's own workspace); `None`: `errspec`.
    pub regenerate: Option<String>,
    /// `targets = [...]`: the targets to render, each with its `path:line:column`;
    /// `None` renders every one.
    pub targets: Option<Vec<(String, Option<String>)>>,
    /// The `[target.NAME]` tables' keys in the file's order, as `--platform`
    /// and `--option` set them, each with its `path:line:column`.
    pub settings: Vec<crate::Setting>,
}

/// The nearest `errspec.toml` in `start` or a directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        // Not only regular files: a FIFO or device there is reported by `read`, not skipped.
        .find(|file| std::fs::symlink_metadata(file).is_ok())
}

/// Why `errspec.toml` cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The file cannot be read (not a regular file, not UTF-8, too large, ...).
    Unreadable {
        path: PathBuf,
        error: errspec::input::InputError,
    },
    /// Its problems, each at its `path:line:column`, rendered like the
    /// registry's diagnostics (an excerpt, the fix).
    Invalid {
        sources: SourceMap,
        problems: Vec<Diagnostic>,
    },
}

impl ConfigError {
    /// The text to print, every problem's `error:` line included; in colour when `color`.
    pub fn render(&self, color: bool) -> String {
        match self {
            ConfigError::Unreadable { path, error } => format!(
                "error: cannot read {}: {error}\n  = help: make it a regular file of readable UTF-8 text, or delete it to use the defaults\n",
                path.display()
            ),
            ConfigError::Invalid { sources, problems } => {
                problems.iter().map(|d| d.render(sources, color)).collect()
            }
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for ConfigError {}

/// Reads and parses the file at `path`.
pub fn read(path: &Path) -> Result<Config, ConfigError> {
    let text = errspec::input::read_to_string(path).map_err(|error| ConfigError::Unreadable {
        path: path.to_path_buf(),
        error,
    })?;
    parse(path, &text)
}

/// Parses the text of the file at `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let mut sources = SourceMap::new();
    let file = sources.add(path, text.to_owned());
    let at = |range: std::ops::Range<usize>| Span {
        file,
        start: range.start,
        end: range.end,
    };
    let document = match DeTable::parse(text) {
        Ok(document) => document,
        Err(e) => {
            let problems = vec![toml_problem(&e, path, at)];
            return Err(ConfigError::Invalid { sources, problems });
        }
    };
    config_of(document.get_ref(), path, sources, file)
}

/// A TOML syntax error of errspec.toml (its keys and types are judged after, by [`keys`]).
fn toml_problem(
    e: &toml::de::Error,
    path: &Path,
    at: impl Fn(std::ops::Range<usize>) -> Span,
) -> Diagnostic {
    toml_diagnostic(e, path, at, FILE_NAME, |_| {
        format!(
            "{FILE_NAME} is TOML (https://toml.io): `key = \"value\"` lines and `[target.NAME]` tables"
        )
    })
}

/// `registry`, `out`, ... and `[target.NAME]` tables: the keys the file knows.
fn key_list() -> String {
    let plain: Vec<String> = KEYS[..KEYS.len() - 1]
        .iter()
        .map(|k| format!("`{k}`"))
        .collect();
    format!("{} and `[target.NAME]` tables", plain.join(", "))
}

/// A TOML error of a file errspec reads (errspec.toml, a target's row) as a
/// diagnostic: an unknown key or a wrong type, `{what}: {toml's message}`, at
/// its span (else at the file), with the help `help` gives for the message.
pub(crate) fn toml_diagnostic(
    e: &toml::de::Error,
    path: &Path,
    at: impl Fn(std::ops::Range<usize>) -> Span,
    what: &str,
    help: impl FnOnce(&str) -> String,
) -> Diagnostic {
    let message = e.message().trim();
    let rule = if message.starts_with("unknown field") {
        Rule::UnknownField
    } else {
        Rule::WrongType
    };
    let d = Diagnostic::new(rule, format!("{what}: {message}")).help(help(message));
    match e.span() {
        Some(span) => d.primary(at(span), "here"),
        None => d.at_path(path),
    }
}

/// The configuration a well-formed file states, or every problem of its keys
/// and values, in the file's order.
fn config_of(
    document: &DeTable<'_>,
    path: &Path,
    sources: SourceMap,
    file: errspec::FileId,
) -> Result<Config, ConfigError> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut reading = Reading {
        path,
        dir,
        sources: &sources,
        file,
        problems: Vec::new(),
    };
    let raw = reading.walk(document);
    let registry = reading.path(&raw.registry, "registry");
    let out = reading.path(&raw.out, "out");
    let templates = reading.path(&raw.templates, "templates");
    let regenerate = raw.regenerate.as_ref().and_then(|c| reading.command(c));
    let targets = raw.targets.as_ref().map(|list| reading.targets(list));
    let settings = reading.settings(&raw.target);
    let mut problems = reading.problems;
    problems.sort_by_key(|d| d.labels.first().map(|l| l.span.start));
    if !problems.is_empty() {
        return Err(ConfigError::Invalid { sources, problems });
    }
    Ok(Config {
        file: path.to_path_buf(),
        registry: registry.unwrap_or_else(|| dir.join(DEFAULT_REGISTRY)),
        out: out.unwrap_or_else(|| dir.join(DEFAULT_OUT)),
        templates,
        regenerate,
        targets,
        settings,
    })
}

/// The file's values being checked: every problem found, each at its place.
struct Reading<'a> {
    path: &'a Path,
    dir: &'a Path,
    sources: &'a SourceMap,
    file: errspec::FileId,
    problems: Vec<Diagnostic>,
}

impl Reading<'_> {
    fn at(&self, range: std::ops::Range<usize>) -> Span {
        Span {
            file: self.file,
            start: range.start,
            end: range.end,
        }
    }

    /// `path:line:column` of a value, for the settings' origins.
    fn origin(&self, range: std::ops::Range<usize>) -> String {
        let lc = self.sources.file(self.file).line_col(range.start);
        format!("{}:{}:{}", self.path.display(), lc.line, lc.column)
    }

    /// A path key's value, relative to the file's directory; `None` when
    /// absent or refused (empty, or with a control character).
    fn path(&mut self, value: &Option<Spanned<String>>, key: &str) -> Option<PathBuf> {
        let value = value.as_ref()?;
        if value.get_ref().trim().is_empty() {
            let d = Diagnostic::new(Rule::EmptyField, format!("{FILE_NAME}: `{key}` is empty"))
                .primary(self.at(value.span()), "an empty path")
                .help(format!(
                    "give a path relative to {}, or remove the line to use the default",
                    self.dir.join(FILE_NAME).display()
                ));
            self.problems.push(d);
            return None;
        }
        // A NUL cannot be in a path at all (the OS would refuse it later, with
        // no line to point at); other controls are never meant.
        if let Some(c) = value.get_ref().chars().find(|c| c.is_control()) {
            let d = Diagnostic::new(
                Rule::ControlCharacter,
                format!(
                    "{FILE_NAME}: `{key}` contains the control character U+{:04X}",
                    u32::from(c)
                ),
            )
            .primary(self.at(value.span()), "a path with a control character")
            .help("a path cannot hold control characters: remove the escape (such as `\\u0000`) from the string");
            self.problems.push(d);
            return None;
        }
        Some(self.dir.join(value.get_ref()))
    }

    /// `regenerate = "..."`: a command on one line that every comment
    /// syntax can hold; `None` when refused.
    fn command(&mut self, value: &Spanned<String>) -> Option<String> {
        let command = value.get_ref().trim();
        let problem = if command.is_empty() {
            Some("is empty".to_owned())
        } else if let Some(c) = command.chars().find(|c| c.is_control()) {
            Some(format!(
                "contains the control character U+{:04X}",
                u32::from(c)
            ))
        } else if command.contains('`') {
            Some(
                "contains a backquote, which would end the code span headers quote it in"
                    .to_owned(),
            )
        } else {
            ["*/", "-->"]
                .into_iter()
                .find(|bad| command.contains(bad))
                .map(|bad| {
                    format!("contains `{bad}`, which would end the comment it is written in")
                })
        };
        let Some(problem) = problem else {
            return Some(command.to_owned());
        };
        let d = Diagnostic::new(
            Rule::InvalidId,
            format!("{FILE_NAME}: `regenerate` {problem}"),
        )
        .primary(self.at(value.span()), "this command")
        .help("write the command that regenerates the outputs here, on one line, e.g. `regenerate = \"cargo run -p codegen\"`, or remove the line to name `errspec`");
        self.problems.push(d);
        None
    }

    /// The `[platform]` table errspec.toml had before `[target.NAME]`.
    fn old_platform_table(&mut self, span: std::ops::Range<usize>) {
        let d = Diagnostic::new(
            Rule::UnknownField,
            format!("{FILE_NAME}: the `[platform]` table is now `[target.NAME]` tables"),
        )
        .primary(self.at(span), "the old spelling")
        .help("write each line `kotlin = \"android\"` as `[target.kotlin]` with `platform = \"android\"`");
        self.problems.push(d);
    }

    /// Whether `value` can be a target's or an option's name (`what`); if not, a problem.
    fn name_ok(&mut self, value: &Spanned<String>, what: &str) -> bool {
        let v = value.get_ref();
        let ok = crate::targets::is_setting_name(v);
        if !ok {
            let d = Diagnostic::new(Rule::InvalidId, format!("{FILE_NAME}: {v:?} cannot be {what}"))
                .primary(self.at(value.span()), "not a target or option name")
                .help("a target is `rust` or a template's name without `.hbs` (`kotlin`), an option a name its template declares (`package`): lower-case letters, digits, `_` and `-`");
            self.problems.push(d);
        }
        ok
    }

    /// `targets = [...]`: each valid name with its place.
    fn targets(&mut self, list: &Spanned<Vec<Spanned<String>>>) -> Vec<(String, Option<String>)> {
        if list.get_ref().is_empty() {
            // Rendering nothing would remove every generated file: never a default.
            let d = Diagnostic::new(
                Rule::EmptyField,
                format!("{FILE_NAME}: `targets` is empty, so nothing would render and every generated file would be removed"),
            )
            .primary(self.at(list.span()), "no target named")
            .help("name at least one target, e.g. `targets = [\"typescript\", \"markdown\"]`, or remove the line to render every target");
            self.problems.push(d);
        }
        let mut targets = Vec::new();
        for id in list.get_ref() {
            if self.name_ok(id, "a target") {
                targets.push((id.get_ref().clone(), Some(self.origin(id.span()))));
            }
        }
        targets
    }

    /// The `[target.NAME]` tables' keys, each valid one as a setting with its place.
    fn settings(&mut self, tables: &[keys::TargetTable]) -> Vec<crate::Setting> {
        let mut settings = Vec::new();
        for (target, keys) in tables {
            if !self.name_ok(target, "a target") {
                continue;
            }
            for (key, value) in keys {
                if self.name_ok(key, "an option") && self.value_ok(target, key, value) {
                    settings.push(crate::Setting {
                        target: target.get_ref().clone(),
                        key: key.get_ref().clone(),
                        value: value.get_ref().clone(),
                        origin: Some(self.origin(value.span())),
                    });
                }
            }
        }
        settings
    }

    /// Whether `[target.rust] crate` is a crate name; if not, a problem.
    fn crate_ok(&mut self, value: &Spanned<String>) -> bool {
        let Some(problem) = crate::rust::crate_name_problem(value.get_ref()) else {
            return true;
        };
        let d = Diagnostic::new(
            Rule::InvalidId,
            format!(
                "{FILE_NAME}: `crate` of [target.rust] {:?} {problem}",
                value.get_ref()
            ),
        )
        .primary(self.at(value.span()), "not a crate name")
        .help(crate::rust::CRATE_NAME_FORM);
        self.problems.push(d);
        false
    }

    /// A setting's value as text: a string as it is, a boolean (a `switch`
    /// option, `manifest = false`) as `true` or `false`; else a problem.
    /// `platform` and Rust's `crate` are strings only (`crate = true` is no name).
    fn setting_text(
        &mut self,
        target: &Spanned<String>,
        key: &Spanned<String>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Spanned<String>> {
        let (t, k) = (target.get_ref(), key.get_ref());
        let text_only =
            k == crate::PLATFORM || (t == crate::RUST_TARGET && k == crate::rust::CRATE_OPTION);
        let text = match value.get_ref() {
            DeValue::String(s) => return Some(Spanned::new(value.span(), s.to_string())),
            DeValue::Boolean(b) if !text_only => b.to_string(),
            other => {
                let expected = if text_only {
                    "a string"
                } else {
                    "a string or a boolean"
                };
                let d = Diagnostic::new(
                    Rule::WrongType,
                    format!(
                        "{FILE_NAME}: `{k}` of [target.{t}] is not {expected} but of type {}",
                        other.type_str()
                    ),
                )
                .primary(self.at(value.span()), "this value")
                .help(setting_example(t, k));
                self.problems.push(d);
                return None;
            }
        };
        Some(Spanned::new(value.span(), text))
    }

    /// Whether a setting's value is a platform id (`platform`) or could be an
    /// option's (checked against the option's kind when the targets are
    /// known, at this same place); if not, a problem.
    fn value_ok(
        &mut self,
        target: &Spanned<String>,
        key: &Spanned<String>,
        value: &Spanned<String>,
    ) -> bool {
        let v = value.get_ref();
        let platform = key.get_ref() == crate::PLATFORM;
        if target.get_ref() == crate::RUST_TARGET && key.get_ref() == crate::rust::CRATE_OPTION {
            return self.crate_ok(value);
        }
        let problem = if platform {
            (v.trim().is_empty() || v.contains(char::is_whitespace))
                .then(|| "is not a platform id".to_owned())
        } else {
            crate::packages::option_text_problem(v)
        };
        let Some(problem) = problem else {
            return true;
        };
        let example = if platform {
            "a platform id a catalog declares, or \"canonical\""
        } else {
            "a name such as \"com.example.errors\" or \"@acme/errors\", or a version such as \"1.2.0\""
        };
        let d = Diagnostic::new(
            Rule::InvalidId,
            format!(
                "{FILE_NAME}: `{}` of [target.{}] {v:?} {problem}",
                key.get_ref(),
                target.get_ref()
            ),
        )
        .primary(self.at(value.span()), "this value")
        .help(format!("write {example}"));
        self.problems.push(d);
        false
    }
}

/// The fix of a setting's value of the wrong type, by its key.
fn setting_example(target: &str, key: &str) -> String {
    if key == crate::PLATFORM {
        format!(
            "`platform` is a quoted platform id a catalog declares, or \"canonical\", e.g. `platform = \"canonical\"` under [target.{target}]"
        )
    } else if target == crate::RUST_TARGET && key == crate::rust::CRATE_OPTION {
        "`crate` is the generated crate's name, quoted, e.g. `crate = \"acme-errors\"`".to_owned()
    } else if key == "manifest" {
        "`manifest` is a switch: `manifest = true` or `manifest = false`".to_owned()
    } else {
        format!(
            "`{key}` is an option, a quoted string, e.g. `package = \"com.example.errors\"` or `version = \"1.2.0\"`"
        )
    }
}

/// The `errspec.toml` `errspec init` writes.
pub const INIT_CONFIG: &str = r#"# errspec project file. `errspec` finds it by walking up from the current
# directory (as cargo finds Cargo.toml), so `errspec` run anywhere in this
# repository regenerates it, and `errspec check` checks it, with no flags.
# Paths are relative to this file's directory; flags override what is here.

# The registry: a catalog .yaml file, or a directory of them.
registry = "errors"

# Where the generated files go: rust/, typescript/, dart/, kotlin/, swift/, go/, c/, markdown/, schema/.
out = "generated"

# A directory of target folders (ID/target.toml and ID/*.hbs: a language, added
# or replacing a built-in) and .hbs templates: a file named like a built-in
# template (typescript.hbs, dart.hbs, markdown.hbs) replaces it, any other adds one.
# templates = "templates"

# The targets to render; without this line, every one: rust, typescript,
# dart, kotlin, swift, go, c, markdown, schema (the JSON Schemas of the format), and
# those of `templates`. The out directory
# then holds only their files (errspec removes the generated files of others).
# (keep "schema" when the registry's `yaml-language-server` line points at it)
# targets = ["typescript", "dart", "kotlin", "swift", "go", "c", "markdown", "schema"]

# The command the generated files' headers and the locks name as what
# regenerates them (default `errspec`), e.g. in a workspace that builds
# errspec from source:
# regenerate = "cargo run -p codegen"

# A target's settings, like `--platform TARGET=ID` and `--option TARGET.NAME=VALUE`.
# `platform`: the view it renders, a platform id a catalog declares or
# "canonical" (every entry, canonical names). Defaults: rust canonical,
# typescript web, dart flutter, kotlin android, swift ios, go canonical.
# Other keys are the options its templates declare, e.g. Kotlin's package
# (default errspec.generated) and Go's (default errspec).
# [target.kotlin]
# platform = "android"
# package = "com.example.sdk.errors"

# The Rust target's crate (generated/rust), named after the directory errspec
# init ran in: two projects' crates can then sit in one consumer. Named here,
# it stays the same wherever the repository is checked out.
[target.rust]
crate = "{crate}"

# Packages (docs/packages.md): npm's package.json, pub's pubspec.yaml and SwiftPM's
# Package.swift are written beside the files, named after the registry by default.
# [target.typescript]
# package = "@example/errors"
# version = "1.0.0"
# manifest = false   # only the files, no package
"#;

/// The `errspec.toml` `errspec init` writes, naming the Rust crate `crate_name`
/// (the directory's, [`crate::rust::derived_crate_name`]).
pub fn init_config(crate_name: &str) -> String {
    INIT_CONFIG.replace("{crate}", crate_name)
}

/// The example registry `errspec init` writes to `errors/example.yaml`.
pub const INIT_REGISTRY: &str = r#"# yaml-language-server: $schema=../generated/schema/registry.schema.json
# An errspec catalog: one file per catalog. See the errspec README for every
# field. Run `errspec` to regenerate the outputs after editing, and
# `errspec explain 1001` to read an entry as support engineers see it.
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
            "registry = \"spec/reg\"\ntemplates = \"t\"\ntargets = [\"rust\", \"kotlin\"]\n[target.rust]\nplatform = \"web\"\n[target.kotlin]\npackage = \"com.example\"\n",
        )
        .expect("valid");
        assert_eq!(c.registry, Path::new("/repo/spec/reg"));
        assert_eq!(c.out, Path::new("/repo/generated"));
        assert_eq!(c.templates.as_deref(), Some(Path::new("/repo/t")));
        let at = |line: usize, col: usize| Some(format!("/repo/errspec.toml:{line}:{col}"));
        assert_eq!(
            c.targets,
            Some(vec![
                ("rust".to_owned(), at(3, 12)),
                ("kotlin".to_owned(), at(3, 20))
            ])
        );
        let settings: Vec<_> = c
            .settings
            .iter()
            .map(|s| {
                (
                    s.target.as_str(),
                    s.key.as_str(),
                    s.value.as_str(),
                    s.origin.clone(),
                )
            })
            .collect();
        assert_eq!(
            settings,
            // In the file's order.
            [
                ("rust", "platform", "web", at(5, 12)),
                ("kotlin", "package", "com.example", at(7, 11))
            ]
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_point_at_the_file() {
        let e = parse(
            Path::new("p/errspec.toml"),
            "registry = \"a\"\nregistyr = \"b\"\n",
        )
        .expect_err("unknown key")
        .to_string();
        assert!(e.contains("error[unknown-field]"), "{e}");
        assert!(e.contains("p/errspec.toml:2:1"), "{e}");
        assert!(e.contains("knows `registry`"), "{e}");

        let e = parse(Path::new("errspec.toml"), "out = 3\n")
            .expect_err("wrong type")
            .to_string();
        assert!(e.contains("errspec.toml:1:7"), "{e}");
        assert!(e.contains("quoted string"), "{e}");

        let e = parse(
            Path::new("errspec.toml"),
            "out = \"\"\ntargets = [\"Kotlin\"]\n[target.rust]\nplatform = \"w b\"\n[target.kotlin]\npackage = \"com 1x\"\n",
        )
        .expect_err("bad values");
        assert!(
            matches!(&e, ConfigError::Invalid { problems, .. } if problems.len() == 4),
            "{e}"
        );
        let e = e.to_string();
        assert!(
            e.contains("errspec.toml:1:7") && e.contains("`out` is empty"),
            "{e}"
        );
        assert!(
            e.contains("errspec.toml:2:12") && e.contains("\"Kotlin\" cannot be a target"),
            "{e}"
        );
        assert!(
            e.contains("errspec.toml:4:12") && e.contains("is not a platform id"),
            "{e}"
        );
        // An option's kind is its template's: `com.1x` is refused when the
        // targets are known (tests/cli.rs); a space is no value of any kind.
        assert!(
            e.contains("errspec.toml:6:11") && e.contains("\"com 1x\" contains ` `"),
            "{e}"
        );

        let e = parse(
            Path::new("errspec.toml"),
            "[target.dart]\nmanifest = false\nversion = 2\n",
        )
        .expect_err("a number")
        .to_string();
        assert!(
            e.contains("errspec.toml:3:11")
                && e.contains(
                    "`version` of [target.dart] is not a string or a boolean but of type integer"
                ),
            "{e}"
        );

        // Issue 21: a NUL in a path was refused later by the OS, with no line.
        let e = parse(Path::new("errspec.toml"), "out = \"a\\u0000b\"\n")
            .expect_err("a NUL")
            .to_string();
        assert!(
            e.contains("errspec.toml:1:7") && e.contains("control character U+0000"),
            "{e}"
        );
        assert!(e.contains("remove the escape"), "{e}");

        let e = parse(Path::new("errspec.toml"), "targets = []\n")
            .expect_err("no target")
            .to_string();
        assert!(
            e.contains("errspec.toml:1:11") && e.contains("`targets` is empty"),
            "{e}"
        );

        let e = parse(Path::new("errspec.toml"), "[platform]\nrust = \"web\"\n")
            .expect_err("the old table")
            .to_string();
        assert!(
            e.contains("errspec.toml:1:1") && e.contains("[target.kotlin]"),
            "{e}"
        );
    }

    #[test]
    fn regenerate_and_the_crate_name_are_read_and_judged() {
        let c = parse(
            Path::new("errspec.toml"),
            "regenerate = \" cargo run -p codegen \"\n[target.rust]\ncrate = \"acme-errors\"\n",
        )
        .expect("valid");
        assert_eq!(c.regenerate.as_deref(), Some("cargo run -p codegen"));
        assert_eq!(
            c.settings
                .iter()
                .map(|s| (s.key.as_str(), s.value.as_str()))
                .collect::<Vec<_>>(),
            [("crate", "acme-errors")]
        );
        assert_eq!(
            parse(Path::new("errspec.toml"), "")
                .expect("empty")
                .regenerate,
            None
        );

        for (text, at, says) in [
            (
                "regenerate = \"\"\n",
                "errspec.toml:1:14",
                "`regenerate` is empty",
            ),
            (
                "regenerate = \"a\\nb\"\n",
                "errspec.toml:1:14",
                "control character U+000A",
            ),
            (
                "regenerate = \"a */ b\"\n",
                "errspec.toml:1:14",
                "contains `*/`",
            ),
            (
                "[target.rust]\ncrate = \"my.errors\"\n",
                "errspec.toml:2:9",
                "\"my.errors\" contains `.`",
            ),
            (
                "regenrate = \"x\"\n",
                "errspec.toml:1:1",
                "did you mean `regenerate`?",
            ),
            (
                "tragets = [\"rust\"]\n",
                "errspec.toml:1:1",
                "did you mean `targets`?",
            ),
            (
                "[targt.rust]\n",
                "errspec.toml:1:2",
                "did you mean `[target.NAME]`?",
            ),
        ] {
            let e = parse(Path::new("errspec.toml"), text)
                .expect_err(text)
                .to_string();
            assert!(e.contains(at) && e.contains(says), "{text}: {e}");
        }
    }

    /// The problems of a file, each as its rendered `error:` line and `help:`, in order.
    fn problems(text: &str) -> Vec<(String, String)> {
        let Err(ConfigError::Invalid { sources, problems }) =
            parse(Path::new("errspec.toml"), text)
        else {
            panic!("accepted: {text}");
        };
        problems
            .iter()
            .map(|d| {
                let at = d
                    .labels
                    .first()
                    .map(|l| sources.file(l.span.file).line_col(l.span.start))
                    .map_or(String::new(), |lc| format!("{}:{} ", lc.line, lc.column));
                (
                    format!("{at}{}", d.message),
                    d.help.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Issue 24: each key's wrong type has that key's own fix.
    #[test]
    fn a_value_of_the_wrong_type_gets_its_keys_fix() {
        for (text, error, help) in [
            (
                "targets = \"markdown\"\n",
                "1:11 errspec.toml: `targets` is not a list but of type string",
                "`targets` is a list of target ids, e.g. `targets = [\"typescript\", \"markdown\"]`",
            ),
            (
                "targets = [\"rust\", 3]\n",
                "1:20 errspec.toml: an item of `targets` is not a string but of type integer",
                "`targets` is a list of target ids, e.g. `targets = [\"typescript\", \"markdown\"]`",
            ),
            (
                "out = [\"a\"]\n",
                "1:7 errspec.toml: `out` is not a string but of type array",
                "`out` is a quoted string: the directory the generated files go to, relative to errspec.toml, e.g. `out = \"generated\"`",
            ),
            (
                "registry = 1\n",
                "1:12 errspec.toml: `registry` is not a string but of type integer",
                "`registry` is a quoted string: the path of a catalog .yaml file or of a directory of them, relative to errspec.toml, e.g. `registry = \"errors\"`",
            ),
            (
                "[target.rust]\ncrate = 5\n",
                "2:9 errspec.toml: `crate` of [target.rust] is not a string but of type integer",
                "`crate` is the generated crate's name, quoted, e.g. `crate = \"acme-errors\"`",
            ),
            (
                "[target.kotlin]\nplatform = [\"android\"]\n",
                "2:12 errspec.toml: `platform` of [target.kotlin] is not a string but of type array",
                "`platform` is a quoted platform id a catalog declares, or \"canonical\", e.g. `platform = \"canonical\"` under [target.kotlin]",
            ),
            (
                "[target.rust]\ncrate = true\n",
                "2:9 errspec.toml: `crate` of [target.rust] is not a string but of type boolean",
                "`crate` is the generated crate's name, quoted, e.g. `crate = \"acme-errors\"`",
            ),
            (
                "[target.dart]\nversion = 1.5\n",
                "2:11 errspec.toml: `version` of [target.dart] is not a string or a boolean but of type float",
                "`version` is an option, a quoted string, e.g. `package = \"com.example.errors\"` or `version = \"1.2.0\"`",
            ),
            (
                "[targets.rust]\ncrate = \"x\"\n",
                "1:2 errspec.toml: `[targets.rust]` is not a table errspec.toml knows",
                "did you mean `[target.rust]`? `[target.NAME]` tables hold a target's settings; `targets` is a list of target ids, e.g. `targets = [\"typescript\", \"markdown\"]`",
            ),
            (
                "target = \"rust\"\n",
                "1:10 errspec.toml: `target` is not a table but of type string",
                "`target` holds one table per target: write `[target.kotlin]` on its own line and its settings under it, e.g. `package = \"com.example.errors\"`",
            ),
            (
                "[target]\nrust = \"web\"\n",
                "2:8 errspec.toml: `target.rust` is not a table but of type string",
                "write `[target.rust]` on its own line and its settings under it, e.g. `platform = \"canonical\"`",
            ),
        ] {
            assert_eq!(
                problems(text),
                [(error.to_owned(), help.to_owned())],
                "{text}"
            );
        }
    }

    /// Issue 24: every problem of the file in one run, in the file's order.
    #[test]
    fn every_problem_of_the_file_is_reported_in_order() {
        let found = problems(
            "regstry = \"errors\"\nout = 3\n[target.rust]\ncrate = \"a.b\"\n[target.kotlin]\npackge = \"x\"\n[targts.go]\nplatform = \"web\"\n",
        );
        let errors: Vec<&str> = found.iter().map(|(e, _)| e.as_str()).collect();
        assert_eq!(
            errors,
            [
                "1:1 errspec.toml: unknown key `regstry`",
                "2:7 errspec.toml: `out` is not a string but of type integer",
                "4:9 errspec.toml: `crate` of [target.rust] \"a.b\" contains `.`",
                "7:2 errspec.toml: unknown key `targts`",
            ]
        );
        assert!(
            found[0].1.starts_with("did you mean `registry`?"),
            "{found:?}"
        );
        assert!(
            found[3].1.starts_with("did you mean `targets`?"),
            "{found:?}"
        );
    }

    #[test]
    fn init_files_are_valid() {
        let config = parse(Path::new("errspec.toml"), &init_config("acme-sdk-errors"))
            .expect("init config parses");
        assert_eq!(config.settings.len(), 1, "{:?}", config.settings);
        assert_eq!(config.settings[0].value, "acme-sdk-errors");
        errspec::load_str("errors/example.yaml", INIT_REGISTRY).expect("example registry is valid");
    }
}
