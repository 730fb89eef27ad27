//! Packaged outputs (docs/packages.md): the kinds of value a template's option
//! may hold beyond a dotted name (an npm, pub or Swift package name, a version,
//! a switch), each kind's rules, and the package names a project gets by default.
//!
//! A template declares an option's kind in its header, `option package npm:
//! {project}`; `{project}` as a default is the project's name
//! ([`project_name`]) in that kind's form (`registry-errors`, `registry_errors`,
//! `RegistryErrors`).

use std::path::Path;

/// What an option's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A dotted name, `com.example.errors` (the default kind).
    Dotted,
    /// An npm package name, `@acme/errors`.
    Npm,
    /// A pub (Dart) package name, `acme_errors`.
    Pub,
    /// A SwiftPM package, product and module name: a Swift identifier, `AcmeErrors`.
    Swift,
    /// A semantic version, `1.2.0`.
    Version,
    /// `true` or `false` (a header's `when:` names one).
    Switch,
}

/// The default that stands for the project's name in the option's form.
pub const PROJECT: &str = "{project}";

impl OptionKind {
    /// The kind a header names after the option (`option package npm: ...`).
    pub fn parse(word: &str) -> Option<OptionKind> {
        Some(match word {
            "npm" => OptionKind::Npm,
            "pub" => OptionKind::Pub,
            "swift" => OptionKind::Swift,
            "version" => OptionKind::Version,
            "switch" => OptionKind::Switch,
            _ => return None,
        })
    }

    /// The word a header names the kind by (`None`: a dotted name, named by none).
    pub fn word(self) -> Option<&'static str> {
        Some(match self {
            OptionKind::Dotted => return None,
            OptionKind::Npm => "npm",
            OptionKind::Pub => "pub",
            OptionKind::Swift => "swift",
            OptionKind::Version => "version",
            OptionKind::Switch => "switch",
        })
    }

    /// The kinds a header may name, for its error.
    pub const NAMES: &'static str = "`npm`, `pub`, `swift`, `version` or `switch`";

    /// What a value of this kind is, with an example, for a fix.
    pub fn example(self) -> &'static str {
        match self {
            OptionKind::Dotted => {
                "a dotted name such as `com.example.errors` (ASCII letters, digits and `_`, parts joined by `.`)"
            }
            OptionKind::Npm => {
                "an npm package name such as `acme-errors` or `@acme/errors` (lower-case letters, digits, `-`, `.`, `_` and `~`, not starting with `.` or `_`, at most 214 characters)"
            }
            OptionKind::Pub => {
                "a pub package name such as `acme_errors` (lower-case ASCII letters, digits and `_`, starting with a letter, not a Dart keyword)"
            }
            OptionKind::Swift => {
                "a Swift module name such as `AcmeErrors` (ASCII letters, digits and `_`, not starting with a digit, not a Swift keyword)"
            }
            OptionKind::Version => "a semantic version such as `1.2.0` or `2.0.0-beta.1`",
            OptionKind::Switch => "`true` or `false`",
        }
    }

    /// Why `value` is not a value of this kind, or `None`.
    pub fn problem(self, value: &str) -> Option<String> {
        match self {
            OptionKind::Dotted => crate::targets::option_value_problem(value),
            OptionKind::Npm => npm_problem(value),
            OptionKind::Pub => pub_problem(value),
            OptionKind::Swift => swift_problem(value),
            OptionKind::Version => version_problem(value),
            OptionKind::Switch => {
                (!matches!(value, "true" | "false")).then(|| "is not `true` or `false`".to_owned())
            }
        }
    }

    /// Whether `{project}` may be this kind's default.
    pub fn derives(self) -> bool {
        matches!(self, OptionKind::Npm | OptionKind::Pub | OptionKind::Swift)
    }

    /// The project's name in this kind's form: `{project}`'s value.
    pub fn derive(self, project: &str) -> String {
        let mut words = words(project);
        if words
            .first()
            .is_none_or(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        {
            words.insert(0, "errors".to_owned());
        }
        if words.last().is_none_or(|w| w != "errors") {
            words.push("errors".to_owned());
        }
        match self {
            OptionKind::Npm => words.join("-"),
            OptionKind::Pub => words.join("_"),
            OptionKind::Swift => words.iter().map(|w| upper_first(w)).collect(),
            _ => project.to_owned(),
        }
    }
}

/// Why `value` can be no option's value of any kind (empty, or with a space
/// or a control character), before the option's kind is known; `None` when it may be.
pub fn option_text_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("is empty".to_owned());
    }
    value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control())
        .map(|c| format!("contains `{}`", c.escape_debug()))
}

/// Why a `file:` pattern's `{option.NAME}` parts (the option's dotted value
/// with `.` as `/`: Kotlin's package directory) name no dotted option the
/// header declares, or `None`.
pub fn file_options_problem(
    file: &str,
    options: &[crate::targets::TemplateOption],
) -> Option<String> {
    let mut rest = file;
    while let Some(at) = rest.find("{option.") {
        let after = &rest[at + "{option.".len()..];
        let Some(end) = after.find('}') else {
            return Some(format!("`file: {file}` has an unclosed `{{option.`"));
        };
        let name = &after[..end];
        let declared = options.iter().find(|o| o.name == name);
        if declared.is_none_or(|o| o.kind != OptionKind::Dotted) {
            return Some(format!(
                "`file: {file}` names `{{option.{name}}}`, but the header declares no option `{name}` of dotted names (`option {name}: DEFAULT`)"
            ));
        }
        rest = &after[end..];
    }
    None
}

/// Why a header's `when: NAME` names no `switch` option it declares, or `None`.
pub fn when_problem(
    when: Option<&str>,
    options: &[crate::targets::TemplateOption],
) -> Option<String> {
    let name = when?;
    let declared = options.iter().find(|o| o.name == name);
    declared.is_none_or(|o| o.kind != OptionKind::Switch).then(|| {
        format!(
            "`when: {name}` names no option the header declares as a switch (`option {name} switch: true`)"
        )
    })
}

/// A template's `file:` with its `{option.NAME}` parts replaced by the
/// options' values, `.` as `/` (values are dotted names, so each part is a
/// plain path component).
pub fn file_with_options(
    file: &str,
    options: Option<&std::collections::BTreeMap<String, String>>,
) -> String {
    let Some(options) = options else {
        return file.to_owned();
    };
    let mut file = file.to_owned();
    for (name, value) in options {
        file = file.replace(&format!("{{option.{name}}}"), &value.replace('.', "/"));
    }
    file
}

/// The project's name, from which the packages' default names derive: the
/// registry's own name (a file's stem, a directory's name), so that it is the
/// same wherever the repository is checked out.
pub fn project_name(registry: &Path) -> String {
    let name = if registry
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml")
    {
        registry.file_stem()
    } else {
        registry.file_name()
    };
    name.map_or_else(|| "errors".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// `MyRegistry-v2` as `["my", "registry", "v2"]`: ASCII words, lower case.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            previous_lower = false;
            words.push(String::new());
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            words.push(String::new());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        match words.last_mut() {
            Some(w) => w.push(c.to_ascii_lowercase()),
            None => words.push(c.to_ascii_lowercase().to_string()),
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// npm's rules for a new package's name (those of `validate-npm-package-name`).
fn npm_problem(value: &str) -> Option<String> {
    if value.len() > 214 {
        return Some(format!(
            "is {} characters long; npm allows 214",
            value.len()
        ));
    }
    let (scope, name) = match value.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, name)) => (Some(scope), name),
            None => return Some("has a scope but no `/name` after it".to_owned()),
        },
        None => (None, value),
    };
    for part in scope.into_iter().chain([name]) {
        if part.is_empty() {
            return Some("has an empty scope or name".to_owned());
        }
        if let Some(c) = part
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "-._~".contains(*c)))
        {
            return Some(format!(
                "contains `{}`, which npm refuses in a package name",
                c.escape_debug()
            ));
        }
        if part.starts_with(['.', '_']) {
            return Some(format!(
                "has the part `{part}`, which starts with `.` or `_`"
            ));
        }
    }
    if scope.is_none() && NODE_BUILTINS.contains(&name) {
        return Some(format!("is `{name}`, the name of a Node.js core module"));
    }
    if ["node_modules", "favicon.ico"].contains(&name) {
        return Some(format!("is `{name}`, a name npm reserves"));
    }
    None
}

/// Node.js core modules, which npm refuses as a new package's name.
const NODE_BUILTINS: &[&str] = &[
    "assert",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "dns",
    "domain",
    "events",
    "fs",
    "http",
    "http2",
    "https",
    "module",
    "net",
    "os",
    "path",
    "process",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "string_decoder",
    "sys",
    "timers",
    "tls",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "worker_threads",
    "zlib",
];

/// pub's rules: a valid Dart identifier in lower case, and no reserved word.
fn pub_problem(value: &str) -> Option<String> {
    if !value.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("does not start with a lower-case ASCII letter".to_owned());
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Some(format!(
            "contains `{}`; pub allows lower-case ASCII letters, digits and `_`",
            c.escape_debug()
        ));
    }
    if value.len() > 64 {
        return Some(format!("is {} characters long; pub allows 64", value.len()));
    }
    DART_RESERVED
        .contains(&value)
        .then(|| format!("is `{value}`, a Dart reserved word"))
}

/// Dart's reserved words (which pub refuses as package names).
const DART_RESERVED: &[&str] = &[
    "assert", "break", "case", "catch", "class", "const", "continue", "default", "do", "else",
    "enum", "extends", "false", "final", "finally", "for", "if", "in", "is", "new", "null",
    "rethrow", "return", "super", "switch", "this", "throw", "true", "try", "var", "void", "while",
    "with",
];

/// A Swift identifier that `import` can name: ASCII, no keyword.
fn swift_problem(value: &str) -> Option<String> {
    if !value.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return Some("does not start with an ASCII letter or `_`".to_owned());
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Some(format!(
            "contains `{}`; a Swift module name is ASCII letters, digits and `_`",
            c.escape_debug()
        ));
    }
    let swift = crate::targets::built_in_language("swift");
    swift
        .is_some_and(|row| row.idents.keywords.iter().any(|k| k == value))
        .then(|| format!("is `{value}`, a Swift keyword"))
}

/// Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH[-PRE][+BUILD]`.
fn version_problem(value: &str) -> Option<String> {
    let (rest, build) = match value.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (value, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    let number_ok = |n: &&str| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    if numbers.len() != 3 || !numbers.iter().all(number_ok) {
        return Some(format!(
            "does not start with `MAJOR.MINOR.PATCH` (three numbers without leading zeros): `{core}`"
        ));
    }
    let ident_ok =
        |i: &str| !i.is_empty() && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    for (what, part) in [("pre-release", pre), ("build", build)] {
        if let Some(part) = part
            && !part.split('.').all(ident_ok)
        {
            return Some(format!(
                "has the {what} part `{part}`: dot-separated identifiers of ASCII letters, digits and `-`"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_each_registry_s_rules() {
        for ok in ["errors", "@acme/errors", "acme-errors", "a.b_c~d", "x1"] {
            assert_eq!(npm_problem(ok), None, "{ok}");
        }
        for bad in [
            "Errors",
            "@acme",
            "@/x",
            ".x",
            "_x",
            "a b",
            "fs",
            "node_modules",
            "ü",
        ] {
            assert!(npm_problem(bad).is_some(), "{bad}");
        }
        assert!(npm_problem(&"a".repeat(215)).is_some());
        for ok in ["errors", "acme_errors", "a1"] {
            assert_eq!(pub_problem(ok), None, "{ok}");
        }
        for bad in ["Errors", "1a", "_a", "a-b", "class", ""] {
            assert!(pub_problem(bad).is_some(), "{bad}");
        }
        for ok in ["Errors", "AcmeErrors", "_x", "a1"] {
            assert_eq!(swift_problem(ok), None, "{ok}");
        }
        for bad in ["1A", "Acme-Errors", "class", "", "Ä"] {
            assert!(swift_problem(bad).is_some(), "{bad}");
        }
        for ok in ["0.1.0", "1.2.3-beta.1", "1.0.0+build.5", "10.20.30-rc-1+x"] {
            assert_eq!(version_problem(ok), None, "{ok}");
        }
        for bad in [
            "1.2",
            "01.2.3",
            "1.2.3-",
            "1.2.3-a..b",
            "v1.2.3",
            "1.2.3+",
            "",
        ] {
            assert!(version_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn defaults_derive_from_the_project_in_each_form() {
        let all = |project: &str| {
            [OptionKind::Npm, OptionKind::Pub, OptionKind::Swift].map(|k| k.derive(project))
        };
        assert_eq!(
            all("registry"),
            ["registry-errors", "registry_errors", "RegistryErrors"]
        );
        assert_eq!(all("errors"), ["errors", "errors", "Errors"]);
        assert_eq!(
            all("MySdk v2"),
            ["my-sdk-v2-errors", "my_sdk_v2_errors", "MySdkV2Errors"]
        );
        assert_eq!(
            all("2024"),
            [
                "errors-2024-errors",
                "errors_2024_errors",
                "Errors2024Errors"
            ]
        );
        assert_eq!(all("ü"), ["errors", "errors", "Errors"]);
        for project in ["registry", "errors", "MySdk v2", "2024", "ü", "class", "fs"] {
            for (kind, value) in [OptionKind::Npm, OptionKind::Pub, OptionKind::Swift]
                .into_iter()
                .zip(all(project))
            {
                assert_eq!(kind.problem(&value), None, "{project} as {kind:?}: {value}");
            }
        }
        assert_eq!(project_name(Path::new("spec/registry")), "registry");
        assert_eq!(project_name(Path::new("errors/example.yaml")), "example");
        assert_eq!(project_name(Path::new("/")), "errors");
    }
}
