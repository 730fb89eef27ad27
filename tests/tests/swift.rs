//! The generated Swift, checked with the tree-sitter Swift grammar (no Swift toolchain
//! installs here).
//!
//! For the shipped registry and the hostile and regression fixtures, every
//! `swift/*.swift` output is parsed and must:
//! - have no ERROR and no MISSING node, and no raw carriage return;
//! - hold only single-line string literals that decode (Swift's escapes, done here) to a
//!   text of the view the template renders (the `ios` platform where the catalog has
//!   one, else canonical), with no interpolation `\(`; every entry's name, message and
//!   trigger among them;
//! - use no Swift keyword as a bare identifier;
//! - declare the open struct named after the catalog (`RawRepresentable`, `Hashable`,
//!   `Sendable`, `CaseIterable`, `CustomStringConvertible`; `rawValue` of `Int`, `Int64`
//!   or `String`), with one `static let` per entry of the view, in order, each of the
//!   entry's code (or name), none named like a member the struct declares, and
//!   `@available(*, deprecated, message:)` exactly on deprecated entries, with the
//!   registry's reason; a deprecated `static let` per former name, of its entry's raw
//!   value; `entry` giving, for each raw value, the entry's name, message, trigger,
//!   retry hint, docs, deprecation, canonical name, former and accepted names;
//!   `init?(name:)` mapping exactly the accepted names (the name here, the canonical
//!   name, the aliases) to their entry's raw value;
//! - declare `<Type>Error: Error, LocalizedError, CustomNSError, CustomStringConvertible`
//!   with its members, and `<Type>Retry` its `unspecified` case.
//!
//! Every expectation comes from the registry as `errspec` loads it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use errspec::{KeyedBy, RetryHint, View};
use tree_sitter::{Node, Parser, Tree};

#[test]
fn shipped_registry_swift_parses_and_matches_the_registry() {
    check(&errspec_tests::root().join("spec/registry"));
}

#[test]
fn hostile_fixture_swift_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("hostile.yaml"));
}

#[test]
fn regression_fixture_swift_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("regressions.yaml"));
}

#[test]
fn params_fixture_swift_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("params.yaml"));
}

/// `trigger` and `retry` left out: an empty trigger text, no guidance.
#[test]
fn undocumented_fixture_swift_parses_and_matches_the_registry() {
    check(&errspec_tests::root().join("spec/tests/fixtures/valid/trigger_unspecified.yaml"));
}

/// Swift has no runtime here, so tree-sitter's tree of each formatter of the params
/// fixture's `ios` view is evaluated: its parameters are `label: Type` (called by
/// label) of the `swift` row's types in declaration order, `@available` where a
/// `Duration` needs it; its body is `var out_ = ""`, one `out_ += part` per message
/// part (a literal, a `String` parameter, `String(x)` of an `Int`/`Bool`,
/// `errspecDuration_(x)` of a `Duration`) and `return out_`; evaluated with the
/// hostile arguments (Swift's `String(Int)` is decimal, `String(Bool)` `true`/`false`)
/// it gives the format's text.
#[test]
fn params_formatters_take_labelled_typed_arguments_and_evaluate_to_the_message() {
    use errspec::ParamType;
    use errspec_tests::params::{Arg, calls};
    let path = errspec_tests::fixture("params.yaml");
    let registry = errspec_tests::load(&path);
    let view = registry.catalogs[0].view("ios").expect("ios view");
    let files = errspec_tests::render(&path);
    let source = &files[&PathBuf::from("swift/Sources/params.swift")];
    let file = SwiftFile::parse("params.swift", source);
    assert_eq!(file.first_bad_node(), None);
    let mut class = None;
    walk(file.tree.root_node(), &mut |n| {
        if n.kind() == "class_declaration"
            && n.child_by_field_name("name").map(|x| file.text(x)) == Some("ParamsFormat")
        {
            class = Some(n);
        }
        class.is_none()
    });
    let class = class.expect("enum ParamsFormat");
    assert!(file.text(class).starts_with("public enum ParamsFormat {"));
    let body = class.child_by_field_name("body").expect("body");
    let mut funcs: BTreeMap<String, Node<'_>> = BTreeMap::new();
    for f in children(body).filter(|n| n.kind() == "function_declaration") {
        let name = f
            .child_by_field_name("name")
            .map(|x| file.text(x).to_owned())
            .unwrap_or_default();
        funcs.insert(name, f);
    }
    let with_params: Vec<errspec::ViewEntry<'_>> = view
        .entries()
        .filter(|e| !e.entry.params.is_empty())
        .collect();
    let mut want_names: BTreeSet<String> = with_params
        .iter()
        .map(|e| errspec_tests::language("swift").ident(&e.name.value))
        .collect();
    want_names.extend(["errspecDuration_".to_owned(), "errspecMillis_".to_owned()]);
    assert_eq!(funcs.keys().cloned().collect::<BTreeSet<_>>(), want_names);
    let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for e in &with_params {
        let f = funcs[&errspec_tests::language("swift").ident(&e.name.value)];
        let params: Vec<String> = children(f)
            .filter(|n| n.kind() == "parameter")
            .map(|n| squash(file.text(n)))
            .collect();
        let want: Vec<String> = e
            .entry
            .params
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    errspec_tests::language("swift")
                        .param_ident(&p.name.value)
                        .unwrap_or_default(),
                    errspec_tests::language("swift")
                        .param_type(p.ty.value)
                        .map_or("", |t| t.ty.as_str())
                )
            })
            .collect();
        assert_eq!(params, want, "{}", e.name.value);
        let modifiers = children(f)
            .find(|n| n.kind() == "modifiers")
            .map(|m| file.text(m))
            .unwrap_or_default();
        let needs_available = e
            .entry
            .params
            .iter()
            .any(|p| p.ty.value == ParamType::Duration);
        assert_eq!(
            modifiers.contains("@available(macOS 13.0, iOS 16.0"),
            needs_available,
            "{}: {modifiers}",
            e.name.value
        );
        assert!(
            modifiers.ends_with("public static"),
            "{}: {modifiers}",
            e.name.value
        );
        let statements = f
            .child_by_field_name("body")
            .and_then(|b| children(b).find(|n| n.kind() == "statements"))
            .expect("statements");
        let stmts: Vec<Node<'_>> = children(statements).filter(|n| n.is_named()).collect();
        let (first, rest) = stmts.split_first().expect("statements");
        let (last, appends) = rest.split_last().expect("a return");
        assert_eq!(squash(file.text(*first)), "var out_ = \"\"");
        assert_eq!(squash(file.text(*last)), "return out_");
        assert_eq!(
            appends.len(),
            e.message_parts.len(),
            "{}: one append a part",
            e.name.value
        );
        for call in calls(view)
            .iter()
            .filter(|c| c.entry.name.value == e.name.value)
        {
            let mut got = String::new();
            for a in appends {
                assert_eq!(a.kind(), "assignment", "{}", file.text(*a));
                let target = a.child_by_field_name("target").map(|t| file.text(t));
                let result = a.child_by_field_name("result").expect("a value");
                assert_eq!(target, Some("out_"));
                let op = &file.source[a.start_byte() + 4..result.start_byte()];
                assert_eq!(op.trim(), "+=", "{}", file.text(*a));
                got.push_str(
                    &eval(&file, result, &call.args)
                        .unwrap_or_else(|why| panic!("{}: {why}", e.name.value)),
                );
            }
            assert_eq!(got, call.expected, "{} with {:?}", e.name.value, call.args);
        }
    }

    fn eval(
        file: &SwiftFile<'_>,
        n: Node<'_>,
        args: &[(&str, ParamType, Arg)],
    ) -> Result<String, String> {
        let arg = |ident: &str| {
            args.iter()
                .find(|(name, ..)| {
                    errspec_tests::language("swift")
                        .param_ident(name)
                        .unwrap_or_default()
                        == ident
                })
                .map(|(_, ty, a)| (*ty, a.clone()))
                .ok_or_else(|| format!("`{ident}` is no parameter"))
        };
        match n.kind() {
            "line_string_literal" => decode_literal(n, file.source),
            "simple_identifier" => match arg(file.text(n))? {
                (ParamType::String, Arg::Str(s)) => Ok(s.to_owned()),
                (ty, _) => Err(format!("a {ty:?} appended as a String")),
            },
            "call_expression" => {
                let callee = n.named_child(0).map(|c| file.text(c)).unwrap_or_default();
                let mut values = Vec::new();
                walk(n, &mut |c| {
                    if c.kind() == "value_argument" {
                        values.push(c);
                        return false;
                    }
                    true
                });
                let [value] = values.as_slice() else {
                    return Err(format!("not one argument: {}", file.text(n)));
                };
                let value = value
                    .child_by_field_name("value")
                    .filter(|v| v.kind() == "simple_identifier")
                    .ok_or("not a parameter")?;
                match (callee, arg(file.text(value))?) {
                    ("String", (ParamType::Int, Arg::Int(i))) => Ok(i.to_string()),
                    ("String", (ParamType::Bool, Arg::Bool(b))) => Ok(b.to_string()),
                    ("errspecDuration_", (ParamType::Duration, Arg::DurationMs(ms))) => {
                        Ok(errspec::format_duration_ms(i128::from(ms)))
                    }
                    (c, (ty, _)) => Err(format!("{c}() of a {ty:?}")),
                }
            }
            other => Err(format!("unexpected {other}: {}", file.text(n))),
        }
    }
}

#[test]
fn retired_fixture_swift_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("retired.yaml"));
}

/// Names that become Swift keywords or members of the generated enum, on an `ios`
/// platform with an override and a name-keyed catalog beside it.
#[test]
fn names_that_are_swift_keywords_or_members_become_legal_identifiers() {
    let names = [
        "DEFAULT",
        "CASE",
        "SELF",
        "INIT",
        "IN",
        "IS",
        "AS",
        "NIL",
        "TRUE",
        "SWITCH",
        "STRUCT",
        "ENUM",
        "PROTOCOL",
        "RETURN",
        "ANY",
        "SOME",
        "AWAIT",
        "BORROWING",
        "CONSUMING",
        "NONISOLATED",
        "RAW_VALUE",
        "DESCRIPTION",
        "HASH_VALUE",
        "ALL_CASES",
        "NAME",
        "CODE",
        "MESSAGE",
        "TRIGGER",
        "RETRY",
        "DOCS",
        "DEPRECATED",
        "ALIASES",
        "CANONICAL_NAME",
        "ACCEPTED_NAMES",
        "ENTRY",
        "IS_KNOWN",
    ];
    let mut yaml = String::from(
        "catalog:\n  name: keywords\n  title: Keywords\n  platforms:\n    ios: { title: iOS }\n    web: { title: Web }\n  categories:\n    all: { title: All, codes: { from: 0, to: 9999 } }\nerrors:\n",
    );
    for (i, name) in names.iter().enumerate() {
        yaml.push_str(&format!(
            "  - code: {i}\n    name: \"{name}\"\n    message: 'Ends in a backslash \\'\n    trigger: \"`{name}` with \\\\(x) and \\\\u{{41}}\"\n    retry: never\n"
        ));
    }
    yaml.push_str(
        "  - code: 9999\n    name: RENAMED\n    message: Renamed on iOS.\n    trigger: Always.\n    retry: never\n    aliases: [OLD_NAME]\n    deprecated: \"Use \\\"x\\\" \\\\(y)\"\n    overrides:\n      ios: { name: SWITCH_IOS, message: \"iOS's own: \\\\(q) \\\"dq\\\"\" }\n",
    );
    let names_yaml = "catalog:\n  name: dom_exception\n  title: DOMException names\n  keyed_by: name\n  naming: UpperCamelCase\nerrors:\n  - name: Default\n    message: The Default exception.\n    trigger: \"It fires.\\nOn two lines.\"\n    retry: { after: 5s }\n  - name: RawValue\n    message: m\n    trigger: t\n    retry: { fix: \"Do \\\\(this).\" }\n";
    check(&temp_registry(
        "keywords",
        &[("keywords.yaml", &yaml), ("dom_exception.yaml", names_yaml)],
    ));
}

fn temp_registry(case: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("swift-{case}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove the previous registry");
    }
    std::fs::create_dir_all(&dir).expect("create the registry directory");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write the registry file");
    }
    dir
}

/// Swift's keywords used in declarations, statements and expressions, and `Any`, `Self`,
/// `Type`, `Protocol`: none may be a bare identifier (The Swift Programming Language,
/// Lexical Structure, Swift 6: `await`, `borrowing`, `consuming`, `nonisolated` among them).
#[rustfmt::skip]
const SWIFT_KEYWORDS: &[&str] = &[
    "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension",
    "fileprivate", "func", "import", "init", "inout", "internal", "let", "nonisolated", "open",
    "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "await",
    "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough",
    "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any",
    "as", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try",
];

/// The literals the template writes itself, in the descriptions and `TError`'s message
/// (and `TErrorDomain`, the error domain, added per catalog).
const TEMPLATE_TEXTS: &[&str] = &[": ", " ", ""];

/// Renders a registry, checks every Swift output, and fails with every problem found.
fn check(registry_path: &Path) {
    let registry = errspec_tests::load(registry_path);
    let files = errspec_tests::render(registry_path);
    let swift: BTreeMap<&PathBuf, &String> = files
        .iter()
        .filter(|(path, _)| path.starts_with("swift/Sources"))
        .collect();
    let mut problems = Vec::new();
    let expected: BTreeSet<PathBuf> = registry
        .catalogs
        .iter()
        .map(|c| PathBuf::from(format!("swift/Sources/{}.swift", c.name.value)))
        .collect();
    let actual: BTreeSet<PathBuf> = swift.keys().map(|p| (*p).clone()).collect();
    if expected != actual {
        problems.push(format!(
            "the Swift files are {actual:?}, expected one per catalog: {expected:?}"
        ));
    }
    for catalog in &registry.catalogs {
        let path = PathBuf::from(format!("swift/Sources/{}.swift", catalog.name.value));
        let Some(source) = swift.get(&path) else {
            continue;
        };
        let view = catalog
            .view("ios")
            .unwrap_or_else(|| catalog.canonical_view());
        let file = SwiftFile::parse(&path.display().to_string(), source);
        if let Some(bad) = file.first_bad_node() {
            problems.push(bad);
            continue;
        }
        file.check_literals(&view, &mut problems);
        file.check_identifiers(&mut problems);
        file.check_struct(&view, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) in the generated Swift of {}:\n\n{}",
        problems.len(),
        registry_path.display(),
        problems.join("\n\n")
    );
}

struct SwiftFile<'s> {
    name: String,
    source: &'s str,
    tree: Tree,
}

impl<'s> SwiftFile<'s> {
    fn parse(name: &str, source: &'s str) -> Self {
        let lang: tree_sitter::Language = tree_sitter_swift::LANGUAGE.into();
        let mut parser = Parser::new();
        parser
            .set_language(&lang)
            .expect("the tree-sitter Swift grammar loads");
        let tree = parser
            .parse(source, None)
            .expect("tree-sitter returns a tree without a timeout or cancellation");
        SwiftFile {
            name: name.to_owned(),
            source,
            tree,
        }
    }

    fn text(&self, node: Node<'_>) -> &'s str {
        &self.source[node.byte_range()]
    }

    fn at(&self, node: Node<'_>, what: &str) -> String {
        let pos = node.start_position();
        let line = self.source.lines().nth(pos.row).unwrap_or_default();
        format!(
            "{}:{}:{}: {what}\n    | {}",
            self.name,
            pos.row + 1,
            pos.column + 1,
            line.replace('\r', "\u{240d}")
        )
    }

    /// The first ERROR or MISSING node, or a raw carriage return (Swift ends a `///`
    /// line there, tree-sitter may not).
    fn first_bad_node(&self) -> Option<String> {
        let root = self.tree.root_node();
        if root.has_error() {
            let mut bad = Vec::new();
            walk(root, &mut |n| {
                if n.is_error() || n.is_missing() {
                    bad.push(n);
                }
                n.has_error()
            });
            let first = bad.first().copied().unwrap_or(root);
            let what = if first.is_missing() {
                format!("a MISSING `{}` node", first.kind())
            } else {
                "an ERROR node".to_owned()
            };
            return Some(self.at(
                first,
                &format!("tree-sitter-swift reports a syntax error: {what}"),
            ));
        }
        let offset = self.source.find('\r')?;
        let node = root.descendant_for_byte_range(offset, offset)?;
        Some(self.at(node, "a raw carriage return"))
    }

    /// Every literal decodes to a text of the view; every name, message and trigger is one.
    fn check_literals(&self, view: &View<'_>, problems: &mut Vec<String>) {
        let allowed = registry_texts(view);
        let mut seen = BTreeSet::new();
        walk(self.tree.root_node(), &mut |n| match n.kind() {
            "line_string_literal" => {
                match decode_literal(n, self.source) {
                    Err(why) => problems.push(self.at(n, &format!("the string literal {why}"))),
                    Ok(text) if !allowed.contains(&text) => problems.push(self.at(
                        n,
                        &format!("the string literal decodes to {text:?}, no text of the view"),
                    )),
                    Ok(text) => {
                        seen.insert(text);
                    }
                }
                false
            }
            "multi_line_string_literal" | "raw_string_literal" | "regex_literal" => {
                problems.push(self.at(n, &format!("a `{}` is never generated", n.kind())));
                false
            }
            _ => true,
        });
        for ve in view.entries() {
            // Each former name is a deprecated static value of the enum.
            // (An alias the platform took back as its name is the case itself.)
            for alias in ve.entry.aliases.iter().filter(|a| a.value != ve.name.value) {
                let swift = errspec_tests::language("swift");
                let decl = format!(
                    "@available(*, deprecated, renamed: \"{}\")\n    public static let {}: ",
                    swift.ident(&ve.name.value).trim_matches('`'),
                    swift.ident(&alias.value)
                );
                if !self.source.contains(&decl) {
                    problems.push(format!(
                        "{}: no deprecated `static let` for the former name {} of {}",
                        self.name, alias.value, ve.name.value
                    ));
                }
            }
            for (what, text) in [
                ("name", ve.name.value.as_str()),
                ("message", ve.message.value.as_str()),
                ("trigger", ve.entry.trigger_text()),
            ] {
                if !seen.contains(text) {
                    problems.push(format!(
                        "{}: no string literal holds the {what} of {} exactly: {text:?}",
                        self.name, ve.name.value
                    ));
                }
            }
        }
    }

    /// No keyword is used as a bare identifier (backticks make one legal), but the
    /// delegating `self.init`.
    fn check_identifiers(&self, problems: &mut Vec<String>) {
        walk(self.tree.root_node(), &mut |n| {
            let text = self.text(n);
            let delegating =
                text == "init" && n.parent().is_some_and(|p| p.kind() == "navigation_suffix");
            if matches!(n.kind(), "simple_identifier" | "type_identifier")
                && SWIFT_KEYWORDS.contains(&text)
                && !delegating
            {
                problems.push(self.at(n, "a Swift keyword used as an identifier"));
            }
            true
        });
    }

    fn check_struct(&self, view: &View<'_>, problems: &mut Vec<String>) {
        let catalog = view.catalog;
        let type_name = errspec::ident::upper_camel(&catalog.name.value);
        let keyed_by_code = catalog.keyed_by == KeyedBy::Code;
        let swift = errspec_tests::language("swift");
        let mut problem = |p: String| problems.push(format!("{}: {p}", self.name));
        let Some(decl) = self.top_level(&type_name) else {
            problem(format!("expected one top-level `struct {type_name}`"));
            return;
        };
        // An open struct, as Foundation's `URLError.Code`: no enum, whose switch is exhaustive.
        if !children(decl).any(|n| n.kind() == "struct") {
            problem(format!("`{type_name}` is not a struct"));
        }
        let inherits: Vec<String> = children(decl)
            .filter(|n| n.kind() == "inheritance_specifier")
            .map(|n| self.text(n).to_owned())
            .collect();
        for want in [
            "RawRepresentable",
            "Hashable",
            "Sendable",
            "CaseIterable",
            "CustomStringConvertible",
        ] {
            if !inherits.iter().any(|i| i == want) {
                problem(format!(
                    "`{type_name}` conforms to {inherits:?}, which lacks `{want}`"
                ));
            }
        }
        // Int64 where a code is beyond a 32-bit Int (watchOS's arm64_32).
        let wide = catalog
            .entries
            .iter()
            .filter_map(|e| e.code.as_ref())
            .chain(catalog.retired.iter().filter_map(|r| r.code.as_ref()))
            .any(|c| i32::try_from(c.value).is_err());
        let raw = match (keyed_by_code, wide) {
            (true, false) => "Int",
            (true, true) => "Int64",
            (false, _) => "String",
        };
        let Some(body) = decl.child_by_field_name("body") else {
            problem("the struct has no body".to_owned());
            return;
        };
        // Its static lets of a raw value (the entries, then the former names) and its
        // other properties.
        let mut values: Vec<(&str, String, Node<'_>)> = Vec::new();
        let mut members = BTreeSet::new();
        for prop in children(body).filter(|n| n.kind() == "property_declaration") {
            let name = prop
                .child_by_field_name("name")
                .map(|n| self.text(n))
                .unwrap_or_default();
            match prop
                .child_by_field_name("value")
                .and_then(|v| self.raw_value_of(v, &type_name))
            {
                Some(raw) => values.push((name, raw, prop)),
                None => {
                    members.insert(name.trim_matches('`'));
                }
            }
        }
        let mut want_members = vec!["rawValue", "entry", "isKnown", "allCases", "description"];
        if keyed_by_code {
            want_members.push("code");
        }
        for want in want_members {
            if !members.contains(want) {
                problem(format!("the struct declares no `{want}`"));
            }
        }
        if self
            .squashed(body)
            .contains(&format!("public let rawValue: {raw} "))
        {
        } else {
            problem(format!(
                "the raw value is not a `public let rawValue: {raw}`"
            ));
        }
        let renamed = |prop: &Node<'_>| self.text(*prop).contains("renamed:");
        let entries: Vec<_> = view.entries().collect();
        let cases: Vec<&(&str, String, Node<'_>)> =
            values.iter().filter(|v| !renamed(&v.2)).collect();
        let names: Vec<&str> = cases.iter().map(|(name, ..)| *name).collect();
        let want: Vec<String> = entries
            .iter()
            .map(|ve| swift.ident(&ve.name.value))
            .collect();
        if names != want {
            problem(format!(
                "the static values are {names:?}, expected {want:?}"
            ));
            return;
        }
        for name in &names {
            if members.contains(name) {
                problem(format!("the value `{name}` shadows the struct's member"));
            }
        }
        let raw_of = |ve: &errspec::ViewEntry<'_>| {
            if keyed_by_code {
                ve.entry
                    .code
                    .as_ref()
                    .map(|c| c.value.to_string())
                    .unwrap_or_default()
            } else {
                ve.name.value.clone()
            }
        };
        // Each former name is a deprecated static of its entry's raw value.
        let mut want_aliases: Vec<(String, String)> = Vec::new();
        for ve in &entries {
            for alias in ve.entry.aliases.iter().filter(|a| a.value != ve.name.value) {
                want_aliases.push((swift.ident(&alias.value), raw_of(ve)));
            }
        }
        let aliases: Vec<(String, String)> = values
            .iter()
            .filter(|v| renamed(&v.2))
            .map(|(name, raw, _)| ((*name).to_owned(), raw.clone()))
            .collect();
        if aliases != want_aliases {
            problem(format!(
                "the former names are {aliases:?}, expected {want_aliases:?}"
            ));
        }
        // `init?(name:)`: each accepted name gives its entry's raw value, nothing else.
        let mut by_name: BTreeMap<String, String> = BTreeMap::new();
        for init in children(body).filter(|n| n.kind() == "init_declaration") {
            for (patterns, statements) in self.switch_entries(init) {
                let mut raw = None;
                walk(statements, &mut |m| {
                    if m.kind() == "value_argument" && raw.is_none() {
                        raw = m
                            .child_by_field_name("value")
                            .and_then(|v| self.raw_text(v));
                    }
                    raw.is_none()
                });
                for name in patterns {
                    if let Some(raw) = &raw {
                        by_name.insert(name, raw.clone());
                    }
                }
            }
        }
        let want_by_name: BTreeMap<String, String> = entries
            .iter()
            .flat_map(|ve| {
                ve.accepted_names()
                    .into_iter()
                    .map(move |n| (n.to_owned(), raw_of(ve)))
            })
            .collect();
        if by_name != want_by_name {
            problem(format!(
                "`init?(name:)` maps {by_name:?}, expected the accepted names {want_by_name:?}"
            ));
        }
        // `entry`: each raw value gives its entry's texts and retry hint.
        let mut by_raw: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for prop in children(body).filter(|n| {
            n.kind() == "property_declaration"
                && n.child_by_field_name("name").map(|x| self.text(x)) == Some("entry")
        }) {
            for (patterns, statements) in self.switch_entries(prop) {
                let mut args = BTreeMap::new();
                walk(statements, &mut |m| {
                    if m.kind() != "value_argument" {
                        return true;
                    }
                    if let (Some(label), Some(value)) = (
                        m.child_by_field_name("name"),
                        m.child_by_field_name("value"),
                    ) {
                        let value = match value.kind() {
                            "line_string_literal" => {
                                decode_literal(value, self.source).unwrap_or_else(|why| why)
                            }
                            _ => self.squashed(value),
                        };
                        args.insert(self.text(label).to_owned(), value);
                    }
                    false
                });
                for raw in patterns {
                    by_raw.insert(raw, args.clone());
                }
            }
        }
        let want_by_raw: BTreeMap<String, BTreeMap<String, String>> = entries
            .iter()
            .map(|ve| {
                let retry = match &ve.entry.retry.value {
                    RetryHint::Never => ".never".to_owned(),
                    RetryHint::Unspecified => ".unspecified".to_owned(),
                    RetryHint::After(d) => format!(".after(milliseconds: {})", d.as_millis()),
                    RetryHint::Backoff {
                        initial,
                        max,
                        max_attempts,
                    } => format!(
                        ".backoff(initialMs: {}, maxMs: {}, maxAttempts: {max_attempts})",
                        initial.as_millis(),
                        max.as_millis()
                    ),
                    RetryHint::AfterFix(fix) => {
                        format!(".afterFix({})", swift.string(fix).unwrap_or_default())
                    }
                };
                let optional = |v: Option<&String>| v.map_or("nil".to_owned(), Clone::clone);
                let list = |names: Vec<&str>| {
                    let quoted: Vec<String> = names
                        .iter()
                        .map(|n| swift.string(n).unwrap_or_default())
                        .collect();
                    format!("[{}]", quoted.join(", "))
                };
                let canonical =
                    (ve.entry.name.value != ve.name.value).then(|| ve.entry.name.value.clone());
                let aliases: Vec<&str> = ve
                    .entry
                    .aliases
                    .iter()
                    .filter(|a| a.value != ve.name.value)
                    .map(|a| a.value.as_str())
                    .collect();
                let retry = retry.split_whitespace().collect::<Vec<_>>().join(" ");
                let args: BTreeMap<String, String> = [
                    ("name", ve.name.value.clone()),
                    ("message", ve.message.value.clone()),
                    ("trigger", ve.entry.trigger_text().to_owned()),
                    ("retry", retry),
                    ("docs", optional(ve.entry.docs.as_ref().map(|d| &d.value))),
                    (
                        "deprecated",
                        optional(ve.entry.deprecated.as_ref().map(|d| &d.value)),
                    ),
                    ("canonicalName", optional(canonical.as_ref())),
                    ("aliases", list(aliases)),
                    ("acceptedNames", list(ve.accepted_names())),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
                (raw_of(ve), args)
            })
            .collect();
        if by_raw != want_by_raw {
            for (raw, want) in &want_by_raw {
                if by_raw.get(raw) != Some(want) {
                    problem(format!(
                        "`entry` of {raw} gives {:?}, expected {want:?}",
                        by_raw.get(raw)
                    ));
                }
            }
            if by_raw.len() != want_by_raw.len() {
                problem(format!(
                    "`entry` knows {:?}, expected {:?}",
                    by_raw.keys().collect::<Vec<_>>(),
                    want_by_raw.keys().collect::<Vec<_>>()
                ));
            }
        }
        for ((_, raw, prop), ve) in cases.iter().zip(&entries) {
            let label = &ve.name.value;
            if *raw != raw_of(ve) {
                problem(format!(
                    "the value for {label} has the raw value {raw:?}, expected {:?}",
                    raw_of(ve)
                ));
            }
            // `@available(*, deprecated, message: "why")` on the static let's modifiers.
            let mut attributes = Vec::new();
            walk(*prop, &mut |n| {
                if n.kind() == "attribute" {
                    attributes.push(n);
                    return false;
                }
                n.kind() == "property_declaration" || n.kind() == "modifiers"
            });
            let available: Vec<Option<String>> = attributes
                .iter()
                .filter(|a| self.text(**a).starts_with("@available"))
                .map(|a| self.deprecation(*a))
                .collect();
            let expected = ve.entry.deprecated.as_ref().map(|d| d.value.clone());
            match (&expected, available.as_slice()) {
                (None, []) => {}
                (Some(want), [Some(got)]) if want == got => {}
                _ => problem(format!(
                    "the value for {label} has the availability {available:?}, expected the deprecation {expected:?}"
                )),
            }
        }
        self.check_error(&type_name, &mut problem);
    }

    /// `TError: Error, LocalizedError, CustomNSError` and its members; the retry enum's
    /// `unspecified` case.
    fn check_error(&self, type_name: &str, problem: &mut impl FnMut(String)) {
        let error = format!("{type_name}Error");
        let Some(decl) = self.top_level(&error) else {
            problem(format!("expected one top-level `struct {error}`"));
            return;
        };
        let head = format!(
            "public struct {error}: Error, LocalizedError, CustomNSError, CustomStringConvertible {{"
        );
        if !self.text(decl).starts_with(&head) {
            problem(format!("`{error}` does not start `{head}`"));
        }
        let declared = self.squashed(decl);
        for want in [
            format!("public let code: {type_name}"),
            "public let message: String".to_owned(),
            format!("public var entry: {type_name}.Entry?"),
            "public static var errorDomain: String".to_owned(),
            "public var errorCode: Int".to_owned(),
            "public var errorDescription: String?".to_owned(),
            "public var description: String".to_owned(),
            format!("public init(_ code: {type_name}, message: String? = nil)"),
        ] {
            if !declared.contains(&want) {
                problem(format!("`{error}` declares no `{want}`"));
            }
        }
        let retry = self
            .top_level(&format!("{type_name}Retry"))
            .map(|r| self.squashed(r))
            .unwrap_or_default();
        if !retry.contains("case unspecified") {
            problem(format!("`{type_name}Retry` has no `case unspecified`"));
        }
    }

    /// The one top-level type declaration of this name.
    fn top_level(&self, name: &str) -> Option<Node<'_>> {
        let found: Vec<Node<'_>> = children(self.tree.root_node())
            .filter(|n| n.kind() == "class_declaration")
            .filter(|n| {
                n.child_by_field_name("name")
                    .is_some_and(|x| self.text(x) == name)
            })
            .collect();
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// A node's text with its whitespace runs made one space.
    fn squashed(&self, node: Node<'_>) -> String {
        self.text(node)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The raw value of `T(rawValue: X)`: an integer's digits, a string decoded.
    fn raw_value_of(&self, value: Node<'_>, type_name: &str) -> Option<String> {
        if value.kind() != "call_expression"
            || value.named_child(0).map(|c| self.text(c)) != Some(type_name)
        {
            return None;
        }
        let mut raw = None;
        walk(value, &mut |n| {
            if n.kind() == "value_argument"
                && n.child_by_field_name("name").map(|l| self.text(l)) == Some("rawValue")
            {
                raw = n
                    .child_by_field_name("value")
                    .and_then(|v| self.raw_text(v));
            }
            raw.is_none()
        });
        raw
    }

    /// An integer literal's digits or a string literal decoded.
    fn raw_text(&self, value: Node<'_>) -> Option<String> {
        match value.kind() {
            "integer_literal" => Some(self.text(value).to_owned()),
            "line_string_literal" => decode_literal(value, self.source).ok(),
            _ => None,
        }
    }

    /// The cases of every `switch` below `node` (its `default` left out): each
    /// case's patterns as raw texts, and its statements.
    fn switch_entries<'t>(&self, node: Node<'t>) -> Vec<(Vec<String>, Node<'t>)> {
        let mut found = Vec::new();
        walk(node, &mut |n| {
            if n.kind() != "switch_entry" {
                return true;
            }
            let patterns: Vec<String> = children(n)
                .filter(|p| p.kind() == "switch_pattern")
                .filter_map(|p| {
                    let mut raw = None;
                    walk(p, &mut |m| {
                        raw = raw.take().or_else(|| self.raw_text(m));
                        raw.is_none()
                    });
                    raw
                })
                .collect();
            if let Some(statements) = children(n).find(|c| c.kind() == "statements")
                && !patterns.is_empty()
            {
                found.push((patterns, statements));
            }
            false
        });
        found
    }

    /// The message of `@available(*, deprecated, message: "..")`, decoded.
    fn deprecation(&self, attribute: Node<'_>) -> Option<String> {
        let compact: String = self
            .text(attribute)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if !compact.starts_with("@available(*,deprecated,message:") {
            return None;
        }
        let mut literals = Vec::new();
        walk(attribute, &mut |n| {
            if n.kind() == "line_string_literal" {
                literals.push(n);
                return false;
            }
            true
        });
        match literals.as_slice() {
            [one] => decode_literal(*one, self.source).ok(),
            _ => None,
        }
    }
}

/// The texts a literal may hold in this view.
fn registry_texts(view: &View<'_>) -> BTreeSet<String> {
    let mut texts: BTreeSet<String> = TEMPLATE_TEXTS.iter().map(|t| (*t).to_owned()).collect();
    texts.insert(format!(
        "{}Error",
        errspec::ident::upper_camel(&view.catalog.name.value)
    ));
    for ve in view.entries() {
        let e = ve.entry;
        texts.insert(ve.name.value.clone());
        texts.insert(ve.message.value.clone());
        texts.extend(ve.accepted_names().into_iter().map(str::to_owned));
        texts.insert(e.trigger_text().to_owned());
        if let RetryHint::AfterFix(fix) = &e.retry.value {
            texts.insert(fix.clone());
        }
        texts.extend(e.docs.iter().map(|d| d.value.clone()));
        texts.extend(e.deprecated.iter().map(|d| d.value.clone()));
        // A formatter starts from "" and appends its message's text parts.
        if !e.params.is_empty() {
            texts.insert(String::new());
            texts.extend(ve.message_parts.iter().filter_map(|p| match p {
                errspec::Part::Text(t) => Some(t.clone()),
                errspec::Part::Param { .. } => None,
            }));
        }
        if !e.aliases.is_empty() {
            // A former name's `@available(*, deprecated, renamed: "case")` names the case.
            texts.insert(
                errspec_tests::language("swift")
                    .ident(&ve.name.value)
                    .trim_matches('`')
                    .to_owned(),
            );
        }
    }
    // The units of the duration helper, the template's only other text.
    if view
        .entries()
        .flat_map(|e| &e.entry.params)
        .any(|p| p.ty.value == errspec::ParamType::Duration)
    {
        texts.extend(["-", "h", "m", "s", "ms"].map(str::to_owned));
    }
    texts
}

fn children<'t>(node: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    (0..node.child_count()).filter_map(move |i| node.child(i))
}

/// Pre-order walk; `visit` returns whether to descend into the node.
fn walk<'t>(node: Node<'t>, visit: &mut impl FnMut(Node<'t>) -> bool) {
    if visit(node) {
        for child in children(node) {
            walk(child, visit);
        }
    }
}

/// Decodes a `line_string_literal` to the string Swift builds, or says why it is not
/// a plain literal: an interpolation, a stray `\`, or a gap the grammar hides.
fn decode_literal(node: Node<'_>, source: &str) -> Result<String, String> {
    let text = &source[node.byte_range()];
    let kids: Vec<Node<'_>> = children(node).collect();
    let (Some(open), Some(close)) = (kids.first(), kids.last()) else {
        return Err(format!("{text} is empty"));
    };
    if kids.len() < 2 || open.kind() != "\"" || close.kind() != "\"" {
        return Err(format!("{text} is not delimited by `\"`"));
    }
    let mut out = String::new();
    let mut pos = open.end_byte();
    for kid in &kids[1..kids.len() - 1] {
        let part = &source[kid.byte_range()];
        if kid.start_byte() != pos {
            return Err(format!(
                "{text} has {:?}, neither text nor an escape",
                &source[pos..kid.start_byte()]
            ));
        }
        match kid.kind() {
            "line_str_text" if !part.contains(['\\', '"', '\n', '\r']) => out.push_str(part),
            "str_escaped_char" => out.push(decode_escape(part)?),
            "interpolated_expression" | "\\(" => {
                return Err(format!("{text} interpolates"));
            }
            other => return Err(format!("{text} has a `{other}` part {part:?}")),
        }
        pos = kid.end_byte();
    }
    if pos != close.start_byte() {
        return Err(format!(
            "{text} has {:?}, neither text nor an escape",
            &source[pos..close.start_byte()]
        ));
    }
    Ok(out)
}

/// One Swift escape: `\\ \" \' \n \r \t \0`, `\u{H}` with 1 to 8 hex digits.
fn decode_escape(escape: &str) -> Result<char, String> {
    let bad = || format!("has the malformed escape `{escape}`");
    match escape {
        "\\\\" => Ok('\\'),
        "\\\"" => Ok('"'),
        "\\'" => Ok('\''),
        "\\n" => Ok('\n'),
        "\\r" => Ok('\r'),
        "\\t" => Ok('\t'),
        "\\0" => Ok('\0'),
        _ => {
            let digits = escape
                .strip_prefix("\\u{")
                .and_then(|r| r.strip_suffix('}'))
                .filter(|d| (1..=8).contains(&d.len()))
                .ok_or_else(bad)?;
            u32::from_str_radix(digits, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(bad)
        }
    }
}

/// The checker itself: what it accepts and what it rejects.
mod checker {
    use super::*;

    fn literal(source: &str) -> Result<String, String> {
        let file = SwiftFile::parse("test.swift", source);
        if let Some(bad) = file.first_bad_node() {
            return Err(bad);
        }
        let mut found = Vec::new();
        walk(file.tree.root_node(), &mut |n| {
            if n.kind() == "line_string_literal" {
                found.push(n);
                return false;
            }
            true
        });
        let [one] = found.as_slice() else {
            panic!("expected one literal in {source}");
        };
        decode_literal(*one, source)
    }

    #[test]
    fn escapes_decode_to_their_characters() {
        assert_eq!(
            literal(r#"let a = "q \" s \' b \\ n \n r \r t \t z \0 \u{1F389} \u{e9}(x)""#),
            Ok("q \" s ' b \\ n \n r \r t \t z \0 🎉 é(x)".to_owned())
        );
        assert_eq!(literal(r#"let a = "\\(x)""#), Ok("\\(x)".to_owned()));
    }

    #[test]
    fn interpolation_and_bad_escapes_are_rejected() {
        for source in [
            r#"let a = "\(x)""#,
            r#"let a = "a \(x.y) b""#,
            r#"let a = "\u{110000}""#,
        ] {
            let result = literal(source);
            assert!(result.is_err(), "{source} was accepted: {result:?}");
        }
    }

    /// Why the swift row writes `*` as `\u{2a}`: the grammar opens a comment at `/*` in
    /// a literal inside `(` or `[`, which Swift does not.
    #[test]
    fn a_star_is_escaped_for_the_grammar() {
        let raw = SwiftFile::parse("q.swift", "let a = f(\"/*x\"); let b = \"*/\"\n");
        assert!(
            raw.first_bad_node().is_some(),
            "tree-sitter-swift reads `/*` in literals right now; the `*` escape can go"
        );
        let lit = |s: &str| {
            errspec_tests::language("swift")
                .string(s)
                .unwrap_or_default()
        };
        let source = format!("let a = f({}); let b = {}\n", lit("/*x"), lit("*/"));
        assert_eq!(SwiftFile::parse("r.swift", &source).first_bad_node(), None);
    }

    #[test]
    fn syntax_errors_are_found() {
        let file = SwiftFile::parse("x.swift", "enum E: Int {\n  case a = \n}\n");
        assert!(file.first_bad_node().is_some());
        let file = SwiftFile::parse("y.swift", "let a = \"unterminated\n");
        assert!(file.first_bad_node().is_some());
    }
}

proptest::proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(24))]

    /// Random valid registries: every Swift file parses, and every literal is the registry's text.
    #[test]
    fn random_registries_give_swift_that_parses_and_matches(catalogs in errspec_tests::arbitrary::registry()) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("swift-random");
        errspec_tests::arbitrary::write(&dir, &catalogs);
        check(&dir);
    }
}

/// `RoomError` is the error struct of `room` and would be the struct of `room_error`;
/// `LocalizedError`, the error struct of `localized`, is Foundation's protocol: the
/// validator refuses both, from the `swift` row.
#[test]
fn catalogs_whose_error_struct_clashes_are_refused() {
    let catalog = |name: &str| {
        format!(
            "catalog:\n  name: {name}\n  title: T\nerrors:\n  - code: 1\n    name: A\n    message: m\n    trigger: t\n    retry: never\n"
        )
    };
    for (case, want, files) in [
        (
            "error-clash",
            "RoomError",
            vec![
                ("room.yaml", catalog("room")),
                ("room_error.yaml", catalog("room_error")),
            ],
        ),
        (
            "localized",
            "type `Localized`",
            vec![("localized.yaml", catalog("localized"))],
        ),
    ] {
        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let dir = temp_registry(case, &files);
        let options = errspec::LoadOptions {
            languages: errspec::Languages::none().with(errspec_tests::language("swift")),
            ..errspec::LoadOptions::default()
        };
        let result = errspec::load_with(Path::new(""), &dir, options);
        let diagnostics = result.err().map(|d| d.to_string()).unwrap_or_default();
        assert!(
            diagnostics.contains(want) && diagnostics.contains("Swift"),
            "{case}: expected a diagnostic naming `{want}` in Swift, got {diagnostics:?}"
        );
    }
}

/// `swift/Package.swift` (docs/packages.md; no Swift toolchain here): its first line
/// is the `swift-tools-version` SwiftPM reads; it parses; its arguments, as
/// tree-sitter reads them, declare one library product and one target of the
/// `package` option's name, whose `path` is the directory of every generated
/// Swift file.
#[test]
fn the_package_manifest_declares_the_library_and_its_target() {
    let files = codegen::Generator::new(errspec_tests::root().join("spec/registry"), "unused")
        .targets(["swift"])
        .option("swift", "package", "AcmeErrors")
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let source = &files[&PathBuf::from("swift/Package.swift")];
    assert!(
        source.starts_with("// swift-tools-version:5.9\n"),
        "{source}"
    );
    let file = SwiftFile::parse("swift/Package.swift", source);
    if let Some(bad) = file.first_bad_node() {
        panic!("{bad}");
    }
    // Every labelled argument, `label: value`, in the order written.
    let mut arguments = Vec::new();
    walk(file.tree.root_node(), &mut |n| {
        if n.kind() == "value_argument"
            && let Some(label) = n.child_by_field_name("name").or_else(|| n.child(0))
            && label.kind() == "value_argument_label"
        {
            let value = n.child(n.child_count().saturating_sub(1)).expect("a value");
            arguments.push(format!("{}: {}", file.text(label), file.text(value)));
        }
        true
    });
    let calls = |kind: &str| {
        let mut names = Vec::new();
        walk(file.tree.root_node(), &mut |n| {
            if n.kind() == "call_expression" {
                let callee = file.text(n.child(0).expect("callee"));
                if callee == kind {
                    names.push(file.text(n).to_owned());
                }
            }
            true
        });
        names
    };
    assert_eq!(calls("Package").len(), 1, "{source}");
    assert_eq!(calls(".library").len(), 1, "{source}");
    assert_eq!(calls(".target").len(), 1, "{source}");
    for expected in [
        "name: \"AcmeErrors\"",
        "targets: [\"AcmeErrors\"]",
        "path: \"Sources\"",
    ] {
        assert!(
            arguments.iter().any(|a| a == expected),
            "{expected} in {arguments:?}"
        );
    }
    assert_eq!(
        arguments
            .iter()
            .filter(|a| *a == "name: \"AcmeErrors\"")
            .count(),
        3,
        "the package, the product and the target: {arguments:?}"
    );
    let swift: Vec<&PathBuf> = files
        .keys()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "swift")
                && p.file_name().is_some_and(|n| n != "Package.swift")
        })
        .collect();
    assert!(!swift.is_empty());
    for path in swift {
        assert_eq!(
            path.parent(),
            Some(Path::new("swift/Sources")),
            "{}",
            path.display()
        );
    }
}
