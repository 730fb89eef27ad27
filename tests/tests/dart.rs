//! The generated Dart, checked with the tree-sitter Dart grammar (no Dart SDK is
//! available here).
//!
//! For the shipped registry and the hostile-text fixture, every `dart/*.dart` output is
//! parsed and must:
//! - have no ERROR and no MISSING node anywhere in the tree;
//! - hold only string literals that decode (with Dart's escapes, done here) to exactly a
//!   text of the registry in the view the template renders (the catalog's `flutter`
//!   platform where it has one, else the canonical view), with no interpolation; and hold
//!   every entry's name, message and trigger;
//! - declare the `final class` named after the catalog with one `static const` value per
//!   entry (`T._(..)`), in registry order, named by the `dart` row's `ident`, and
//!   `values` listing them in that order; the value's arguments carry the entry's code,
//!   texts and retry hint; no value name is a Dart keyword or a member of the class;
//!   static `fromName` (and `fromCode` in code-keyed catalogs);
//!   `final class <Type>Exception implements Exception` with the code (or name)
//!   received, `entry`, `message`, `isKnown` and `toString`; and, for
//!   code-keyed catalogs, the `const Map<int, Map<String, String>> <catalog>Errors` of
//!   code to `name`/`message`, in registry order.
//!
//! Every expectation comes from the registry as `errspec` loads it; no text is copied here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use errspec::{KeyedBy, RetryHint, View, ViewEntry, ident};
use tree_sitter::{Node, Parser, Tree};

#[test]
fn shipped_registry_dart_parses_and_matches_the_registry() {
    check(&errspec_tests::root().join("spec/registry"));
}

/// Retired codes are no enum values: only the live entries are, as the registry's view says.
#[test]
fn retired_fixture_dart_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("retired.yaml"));
}

#[test]
fn hostile_fixture_dart_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("hostile.yaml"));
}

#[test]
fn regression_fixture_dart_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("regressions.yaml"));
}

#[test]
fn params_fixture_dart_parses_and_matches_the_registry() {
    check(&errspec_tests::fixture("params.yaml"));
}

/// `trigger` and `retry` left out: an empty trigger text, no guidance.
#[test]
fn undocumented_fixture_dart_parses_and_matches_the_registry() {
    check(&errspec_tests::root().join("spec/tests/fixtures/valid/trigger_unspecified.yaml"));
}

/// The duration helper of the params fixture's Dart, interpreted from tree-sitter's tree
/// (no Dart runtime here), writes every duration as `errspec::format_duration_ms` does:
/// zero, sub-second, each unit, a year, and negative ones (Dart's `Duration` has them).
#[test]
fn params_duration_helper_evaluates_to_the_format() {
    let files = errspec_tests::render(&errspec_tests::fixture("params.yaml"));
    let source = &files[&PathBuf::from("dart/lib/params.dart")];
    let file = DartFile::parse("params.dart", source);
    let mut cases: Vec<i128> = errspec_tests::params::DURATIONS_MS
        .iter()
        .map(|&ms| i128::from(ms))
        .collect();
    cases.extend([-1, -1500, -7_200_000, 59_999, 3_599_999, 86_400_000]);
    for ms in cases {
        assert_eq!(
            helper::duration(&file, ms).unwrap_or_else(|e| panic!("{ms} ms: {e}")),
            errspec::format_duration_ms(ms),
            "{ms} ms"
        );
    }
}

/// A tiny interpreter for the subset of Dart the duration helper is written in:
/// integer literals and arithmetic (`%`, `~/`, `*`, unary `-`), comparisons, `&&`,
/// string `+`, `.toString()` of an int, `.inMilliseconds` of a Duration, calls of
/// the class's static methods, `if (..) return ..;` and `return ..;`. Anything else
/// is an error, so the helper cannot drift into code this test does not read.
mod helper {
    use super::{DartFile, children, decode_string_literal, walk};
    use std::collections::HashMap;
    use tree_sitter::Node;

    #[derive(Clone, Debug, PartialEq)]
    enum V {
        I(i128),
        S(String),
        B(bool),
        /// A `Duration` of whole milliseconds.
        D(i128),
    }

    pub fn duration(file: &DartFile<'_>, ms: i128) -> Result<String, String> {
        match call(file, "_errspecDuration", vec![V::D(ms)], 0)? {
            V::S(s) => Ok(s),
            other => Err(format!("_errspecDuration returned {other:?}")),
        }
    }

    /// The static method `name` of `ParamsFormat`, run on `args`.
    fn call(file: &DartFile<'_>, name: &str, args: Vec<V>, depth: usize) -> Result<V, String> {
        if depth > 8 {
            return Err("recursion too deep".into());
        }
        let mut method = None;
        walk(file.tree.root_node(), &mut |n| {
            if n.kind() == "method_declaration" {
                let mut sig = None;
                walk(n, &mut |m| {
                    if m.kind() == "function_signature" {
                        sig = Some(m);
                        return false;
                    }
                    true
                });
                if sig
                    .and_then(|s| s.child_by_field_name("name"))
                    .map(|x| file.text(x))
                    == Some(name)
                {
                    method = Some((n, sig));
                }
                return false;
            }
            method.is_none()
        });
        let (method, sig) = method.ok_or_else(|| format!("no method {name}"))?;
        let sig = sig.ok_or("no signature")?;
        let params = sig
            .child_by_field_name("parameters")
            .ok_or("no parameters")?;
        let mut names = Vec::new();
        walk(params, &mut |n| {
            if n.kind() == "formal_parameter" {
                if let Some(x) = n.child_by_field_name("name") {
                    names.push(file.text(x));
                }
                return false;
            }
            true
        });
        if names.len() != args.len() {
            return Err(format!("{name} takes {} arguments", names.len()));
        }
        let env: HashMap<&str, V> = names.into_iter().zip(args).collect();
        let body = method.child_by_field_name("body").ok_or("no body")?;
        let inner = body.named_child(0).ok_or("empty body")?;
        if inner.kind() == "block" {
            for stmt in children(inner).filter(|c| c.is_named()) {
                if let Some(v) = statement(file, stmt, &env, depth)? {
                    return Ok(v);
                }
            }
            Err(format!("{name} returned nothing"))
        } else {
            expr(file, inner, &env, depth)
        }
    }

    fn statement(
        file: &DartFile<'_>,
        n: Node<'_>,
        env: &HashMap<&str, V>,
        depth: usize,
    ) -> Result<Option<V>, String> {
        match n.kind() {
            "return_statement" => {
                let e = n.named_child(0).ok_or("return without a value")?;
                expr(file, e, env, depth).map(Some)
            }
            "if_statement" => {
                let cond = n.child_by_field_name("condition").ok_or("no condition")?;
                let then = n
                    .child_by_field_name("consequence")
                    .ok_or("no consequence")?;
                if n.child_by_field_name("alternative").is_some() {
                    return Err("an else branch".into());
                }
                match expr(file, cond, env, depth)? {
                    V::B(true) => statement(file, then, env, depth),
                    V::B(false) => Ok(None),
                    other => Err(format!("an if on {other:?}")),
                }
            }
            other => Err(format!("unexpected statement {other}: {}", file.text(n))),
        }
    }

    fn expr(
        file: &DartFile<'_>,
        n: Node<'_>,
        env: &HashMap<&str, V>,
        depth: usize,
    ) -> Result<V, String> {
        fn operands<'t>(
            file: &DartFile<'_>,
            n: Node<'t>,
        ) -> Result<(Node<'t>, String, Node<'t>), String> {
            let named: Vec<Node<'t>> = children(n)
                .filter(|c| c.is_named() && !c.kind().ends_with("_operator"))
                .collect();
            let op = children(n)
                .find(|c| c.kind().ends_with("_operator") || !c.is_named())
                .map(|c| file.text(c).to_owned())
                .ok_or("no operator")?;
            match named.as_slice() {
                [l, r] => Ok((*l, op, *r)),
                _ => Err(format!("not binary: {}", file.text(n))),
            }
        }
        let int = |v: V| match v {
            V::I(i) => Ok(i),
            other => Err(format!("not an int: {other:?}")),
        };
        match n.kind() {
            "decimal_integer_literal" => file
                .text(n)
                .replace('_', "")
                .parse()
                .map(V::I)
                .map_err(|e| e.to_string()),
            "string_literal" => decode_string_literal(n, file.source).map(V::S),
            "identifier" => env
                .get(file.text(n))
                .cloned()
                .ok_or_else(|| format!("unknown {}", file.text(n))),
            "parenthesized_expression" => {
                expr(file, n.named_child(0).ok_or("empty ()")?, env, depth)
            }
            "unary_expression" => {
                let op = n.child_by_field_name("operator").map(|o| file.text(o));
                let x = children(n)
                    .filter(|c| c.is_named())
                    .last()
                    .ok_or("no operand")?;
                match op {
                    Some("-") => Ok(V::I(-int(expr(file, x, env, depth)?)?)),
                    other => Err(format!("unary {other:?}")),
                }
            }
            "relational_expression"
            | "equality_expression"
            | "multiplicative_expression"
            | "additive_expression"
            | "logical_and_expression" => {
                let (l, op, r) = operands(file, n)?;
                let (l, r) = (expr(file, l, env, depth)?, expr(file, r, env, depth)?);
                Ok(match (op.as_str(), l, r) {
                    ("<", V::I(a), V::I(b)) => V::B(a < b),
                    (">", V::I(a), V::I(b)) => V::B(a > b),
                    ("==", a, b) => V::B(a == b),
                    ("!=", a, b) => V::B(a != b),
                    ("&&", V::B(a), V::B(b)) => V::B(a && b),
                    // Dart's `%` is Euclidean, `~/` truncates.
                    ("%", V::I(a), V::I(b)) if b != 0 => V::I(a.rem_euclid(b)),
                    ("~/", V::I(a), V::I(b)) if b != 0 => V::I(a / b),
                    ("*", V::I(a), V::I(b)) => V::I(a * b),
                    ("+", V::S(a), V::S(b)) => V::S(a + &b),
                    ("+", V::I(a), V::I(b)) => V::I(a + b),
                    (op, a, b) => return Err(format!("{a:?} {op} {b:?}")),
                })
            }
            "member_expression" => {
                let object = expr(
                    file,
                    n.child_by_field_name("object").ok_or("no object")?,
                    env,
                    depth,
                )?;
                match (
                    n.child_by_field_name("property").map(|p| file.text(p)),
                    object,
                ) {
                    (Some("inMilliseconds"), V::D(ms)) => Ok(V::I(ms)),
                    (p, o) => Err(format!("{o:?}.{p:?}")),
                }
            }
            "call_expression" => {
                let f = n.child_by_field_name("function").ok_or("no callee")?;
                let call_args = n.child_by_field_name("arguments").ok_or("no arguments")?;
                let args: Vec<Node<'_>> = children(call_args).filter(|c| c.is_named()).collect();
                match f.kind() {
                    "identifier" => {
                        let values = args
                            .iter()
                            .map(|a| expr(file, *a, env, depth))
                            .collect::<Result<Vec<_>, _>>()?;
                        call(file, file.text(f), values, depth + 1)
                    }
                    "member_expression"
                        if args.is_empty()
                            && f.child_by_field_name("property").map(|p| file.text(p))
                                == Some("toString") =>
                    {
                        let object = f.child_by_field_name("object").ok_or("no object")?;
                        Ok(V::S(int(expr(file, object, env, depth)?)?.to_string()))
                    }
                    _ => Err(format!("unexpected call {}", file.text(n))),
                }
            }
            other => Err(format!("unexpected {other}: {}", file.text(n))),
        }
    }
}

/// Dart has no runtime here, so tree-sitter's tree of each formatter of the params
/// fixture's `flutter` view is evaluated: every parameter is `required`, named, of the
/// `dart` row's type and in declaration order; the body is a `+` chain of string
/// literals, `String` parameters, `.toString()` of `int`/`bool` parameters and
/// `_errspecDuration` of `Duration` ones, nothing else; and evaluated with the hostile
/// arguments (Dart's `int.toString()` is decimal, `bool`'s `true`/`false`) it gives
/// the format's text. The duration helper's own text is the Kotlin and TypeScript
/// one, run on their runtimes (tests/tests/kotlin.rs, typescript.rs).
#[test]
fn params_formatters_take_named_typed_arguments_and_evaluate_to_the_message() {
    use errspec::ParamType;
    use errspec_tests::params::{Arg, calls};
    let path = errspec_tests::fixture("params.yaml");
    let registry = errspec_tests::load(&path);
    let view = registry.catalogs[0].view("flutter").expect("flutter view");
    let files = errspec_tests::render(&path);
    let source = &files[&PathBuf::from("dart/lib/params.dart")];
    let file = DartFile::parse("params.dart", source);
    assert_eq!(file.first_bad_node(), None);
    let root = file.tree.root_node();
    let mut class = None;
    walk(root, &mut |n| {
        if n.kind() == "class_declaration"
            && n.child_by_field_name("name").map(|x| file.text(x)) == Some("ParamsFormat")
        {
            class = Some(n);
        }
        class.is_none()
    });
    let class = class.expect("abstract final class ParamsFormat");
    assert!(
        file.text(class).starts_with("abstract final class"),
        "{}",
        file.text(class)
    );
    let body = class.child_by_field_name("body").expect("class body");
    let mut methods: BTreeMap<String, Node<'_>> = BTreeMap::new();
    for member in children(body).filter(|n| n.kind() == "member_declaration") {
        let mut name = None;
        walk(member, &mut |n| {
            if n.kind() == "function_signature" {
                name = n
                    .child_by_field_name("name")
                    .map(|x| file.text(x).to_owned());
                return false;
            }
            true
        });
        if let Some(name) = name {
            assert!(
                file.text(member).starts_with("static ")
                    || file.text(member).starts_with("@Deprecated"),
                "{}",
                file.text(member)
            );
            methods.insert(name, member);
        }
    }
    let with_params: Vec<ViewEntry<'_>> = view
        .entries()
        .filter(|e| !e.entry.params.is_empty())
        .collect();
    let mut expected_names: BTreeSet<String> = with_params
        .iter()
        .map(|e| errspec_tests::language("dart").ident(&e.name.value))
        .collect();
    expected_names.insert("_errspecDuration".to_owned());
    expected_names.insert("_errspecMillis".to_owned());
    assert_eq!(
        methods.keys().cloned().collect::<BTreeSet<_>>(),
        expected_names,
        "the class's methods"
    );
    for e in &with_params {
        let method = methods[&errspec_tests::language("dart").ident(&e.name.value)];
        // Parameters: `{ required Type name, .. }` in declaration order.
        let mut optional = None;
        walk(method, &mut |n| {
            if n.kind() == "optional_formal_parameters" {
                optional = Some(n);
                return false;
            }
            true
        });
        let optional = optional.unwrap_or_else(|| panic!("{}: no named parameters", e.name.value));
        assert!(
            file.text(optional).starts_with('{'),
            "named, not positional: {}",
            file.text(optional)
        );
        // `required` is a token beside each `formal_parameter` node: compare the whole list.
        let declared = file
            .text(optional)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let want: Vec<String> = e
            .entry
            .params
            .iter()
            .map(|p| {
                format!(
                    "required {} {}",
                    errspec_tests::language("dart")
                        .param_type(p.ty.value)
                        .map_or("", |t| t.ty.as_str()),
                    errspec_tests::language("dart")
                        .param_ident(&p.name.value)
                        .unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            declared,
            format!("{{ {} }}", want.join(", ")),
            "{}",
            e.name.value
        );
        assert_eq!(
            children(optional)
                .filter(|n| n.kind() == "formal_parameter")
                .count(),
            want.len(),
            "{}: one formal parameter each",
            e.name.value
        );
        let mut fbody = None;
        walk(method, &mut |n| {
            if n.kind() == "function_body" {
                fbody = Some(n);
                return false;
            }
            true
        });
        let expr = fbody
            .and_then(|b| b.named_child(0))
            .expect("an expression body");
        for call in calls(view)
            .iter()
            .filter(|c| c.entry.name.value == e.name.value)
        {
            let got = eval(&file, expr, &call.args)
                .unwrap_or_else(|why| panic!("{}: {why}", e.name.value));
            assert_eq!(got, call.expected, "{} with {:?}", e.name.value, call.args);
        }
    }

    /// The value of a formatter's body for these arguments.
    fn eval(
        file: &DartFile<'_>,
        n: Node<'_>,
        args: &[(&str, ParamType, Arg)],
    ) -> Result<String, String> {
        let arg = |ident: &str| {
            args.iter()
                .find(|(name, ..)| {
                    errspec_tests::language("dart")
                        .param_ident(name)
                        .unwrap_or_default()
                        == ident
                })
                .map(|(_, ty, a)| (*ty, a.clone()))
                .ok_or_else(|| format!("`{ident}` is no parameter"))
        };
        match n.kind() {
            "additive_expression" => {
                let op = n.child_by_field_name("operator").map(|o| file.text(o));
                if op != Some("+") {
                    return Err(format!("not a `+`: {}", file.text(n)));
                }
                let parts: Vec<Node<'_>> = children(n)
                    .filter(|c| c.kind() != "additive_operator")
                    .collect();
                let [l, r] = parts.as_slice() else {
                    return Err(format!("not binary: {}", file.text(n)));
                };
                Ok(eval(file, *l, args)? + &eval(file, *r, args)?)
            }
            "string_literal" => decode_string_literal(n, file.source),
            "identifier" => match arg(file.text(n))? {
                (ParamType::String, Arg::Str(s)) => Ok(s.to_owned()),
                (ty, _) => Err(format!(
                    "a {ty:?} parameter used as a String: {}",
                    file.text(n)
                )),
            },
            "call_expression" => {
                let f = n.child_by_field_name("function").ok_or("no callee")?;
                let call_args = n.child_by_field_name("arguments").ok_or("no arguments")?;
                let inner: Vec<Node<'_>> = children(call_args).filter(|c| c.is_named()).collect();
                match (f.kind(), inner.as_slice()) {
                    ("member_expression", []) => {
                        let object = f.child_by_field_name("object").ok_or("no object")?;
                        let property = f.child_by_field_name("property").map(|p| file.text(p));
                        if property != Some("toString") || object.kind() != "identifier" {
                            return Err(format!("unexpected call {}", file.text(n)));
                        }
                        match arg(file.text(object))? {
                            (ParamType::Int, Arg::Int(i)) => Ok(i.to_string()),
                            (ParamType::Bool, Arg::Bool(b)) => Ok(b.to_string()),
                            (ty, _) => Err(format!("toString() of a {ty:?}: {}", file.text(n))),
                        }
                    }
                    ("identifier", [x])
                        if file.text(f) == "_errspecDuration" && x.kind() == "identifier" =>
                    {
                        match arg(file.text(*x))? {
                            // The helper's own code, interpreted.
                            (ParamType::Duration, Arg::DurationMs(ms)) => {
                                helper::duration(file, i128::from(ms))
                            }
                            (ty, _) => Err(format!("_errspecDuration of a {ty:?}")),
                        }
                    }
                    _ => Err(format!("unexpected call {}", file.text(n))),
                }
            }
            other => Err(format!("unexpected {other}: {}", file.text(n))),
        }
    }
}

/// Names that become Dart keywords, members every enum has, or members of the generated
/// enum once converted; a message that ends in a backslash; a code-keyed catalog on its
/// `flutter` platform with an override. Every identifier must still be legal and distinct.
#[test]
fn names_that_are_dart_keywords_or_enum_members_become_legal_identifiers() {
    let names = [
        // Members of every enum, and of the generated one.
        "NAME",
        "INDEX",
        "VALUES",
        "HASH_CODE",
        "RUNTIME_TYPE",
        "TO_STRING",
        "NO_SUCH_METHOD",
        "CODE",
        "MESSAGE",
        "TRIGGER",
        "RETRY",
        "DOCS",
        "DEPRECATED",
        "ALIASES",
        "CATEGORY",
        "FROM_CODE",
        "FROM_NAME",
        // Reserved words, built-in identifiers and contextual keywords.
        "DEFAULT",
        "NEW",
        "NULL",
        "CONST",
        "CLASS",
        "ENUM",
        "IS",
        "IN",
        "VAR",
        "VOID",
        "THIS",
        "SUPER",
        "GET",
        "SET",
        "STATIC",
        "REQUIRED",
        "LATE",
        "FUNCTION",
        "DYNAMIC",
        "AWAIT",
        "YIELD",
        "EXTENSION",
        "TYPE",
        "SEALED",
        "BASE",
        "WHEN",
        // Names the template uses for locals and parameters.
        "VALUE",
        "E",
    ];
    let mut yaml = String::from(
        "catalog:\n  name: keywords\n  title: Keywords\n  platforms:\n    flutter: { title: Flutter }\n    web: { title: Web }\n  categories:\n    all: { title: All, codes: { from: 0, to: 9999 } }\nerrors:\n",
    );
    for (i, name) in names.iter().enumerate() {
        yaml.push_str(&format!(
            "  - code: {i}\n    name: \"{name}\"\n    message: 'Ends in a backslash \\'\n    trigger: \"`{name}` with $dollar and ${{brace}}\"\n    retry: never\n"
        ));
    }
    yaml.push_str(
        "  - code: 9999\n    name: RENAMED\n    message: Renamed on Flutter.\n    trigger: Always.\n    retry: never\n    aliases: [OLD_NAME]\n    overrides:\n      flutter: { name: SWITCH, message: \"Flutter's own: 'q' \\\"dq\\\" $x\" }\n",
    );
    check(&temp_registry("keywords", &[("keywords.yaml", &yaml)]));
}

/// A name-keyed catalog in UpperCamelCase: no `code`, no `fromCode`, no map; its names
/// may also be enum members once converted.
#[test]
fn name_keyed_catalogs_have_no_code() {
    let mut yaml = String::from(
        "catalog:\n  name: dom_exception\n  title: DOMException names\n  keyed_by: name\n  naming: UpperCamelCase\nerrors:\n",
    );
    for name in [
        "Name",
        "Index",
        "Values",
        "Code",
        "FromCode",
        "FromName",
        "SecurityError",
    ] {
        yaml.push_str(&format!(
            "  - name: {name}\n    message: The {name} exception.\n    trigger: \"It fires.\\nOn two lines.\"\n    retry: {{ after: 5s }}\n"
        ));
    }
    check(&temp_registry(
        "name-keyed",
        &[("dom_exception.yaml", &yaml)],
    ));
}

/// A trigger with a lone carriage return: Dart ends a `///` line there, so a doc comment
/// that keeps it lets the rest of the text become code.
#[test]
fn a_carriage_return_in_a_trigger_cannot_end_a_doc_comment() {
    let yaml = "catalog:\n  name: carriage\n  title: Carriage return\n  categories:\n    all: { title: All, codes: { from: 1, to: 9 } }\nerrors:\n  - code: 1\n    name: CR\n    message: A lone carriage return.\n    trigger: \"first\\rvoid main() {}\"\n    retry: never\n";
    check(&temp_registry("carriage", &[("carriage.yaml", yaml)]));
}

// A catalog named after a core type (`duration`) and a platform with no entries are
// rejected by the validator (spec fixtures `catalog_name_shadows_core_type` and
// `platform_without_entries`), so no Dart output can meet them.

/// Writes a registry directory under cargo's per-test temporary directory.
fn temp_registry(case: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("dart-{case}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove the previous registry");
    }
    std::fs::create_dir_all(&dir).expect("create the registry directory");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write the registry file");
    }
    dir
}

/// Dart's reserved words and built-in identifiers, plus `await` and `yield`: none may
/// name an enum value or a generated type.
const DART_KEYWORDS: &[&str] = &[
    // Reserved words.
    "assert",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "else",
    "enum",
    "extends",
    "false",
    "final",
    "finally",
    "for",
    "if",
    "in",
    "is",
    "new",
    "null",
    "rethrow",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "var",
    "void",
    "while",
    "with",
    // Built-in identifiers.
    "abstract",
    "as",
    "covariant",
    "deferred",
    "dynamic",
    "export",
    "extension",
    "external",
    "factory",
    "Function",
    "get",
    "implements",
    "import",
    "interface",
    "late",
    "library",
    "mixin",
    "operator",
    "part",
    "required",
    "set",
    "static",
    "typedef",
    // Not usable as identifiers inside async functions and generators.
    "await",
    "yield",
];

/// Members every Dart enum has (from `Enum` and `Object`, and the static `values`).
const ENUM_MEMBERS: &[&str] = &[
    "values",
    "index",
    "hashCode",
    "runtimeType",
    "toString",
    "noSuchMethod",
];

/// `dart:core` types a generated file may refer to: no generated declaration may shadow them.
const CORE_TYPES: &[&str] = &[
    "bool",
    "int",
    "double",
    "num",
    "String",
    "Duration",
    "List",
    "Map",
    "Set",
    "Iterable",
    "Object",
    "Enum",
    "Null",
    "Never",
    "Deprecated",
    "Function",
    "Record",
    "Type",
    "Symbol",
];

/// Renders a registry, checks every Dart output, and fails with every problem found.
fn check(registry_path: &Path) {
    let registry = errspec_tests::load(registry_path);
    let files = errspec_tests::render(registry_path);
    let dart: BTreeMap<&PathBuf, &String> = files
        .iter()
        .filter(|(path, _)| {
            path.starts_with("dart") && path.extension().is_some_and(|e| e == "dart")
        })
        .collect();
    let mut problems = Vec::new();

    let expected_files: BTreeSet<PathBuf> = registry
        .catalogs
        .iter()
        .map(|c| PathBuf::from(format!("dart/lib/{}.dart", c.name.value)))
        .collect();
    let actual_files: BTreeSet<PathBuf> = dart.keys().map(|p| (*p).clone()).collect();
    if expected_files != actual_files {
        problems.push(format!(
            "the Dart files are {actual_files:?}, expected one per catalog: {expected_files:?}"
        ));
    }

    for catalog in &registry.catalogs {
        let path = PathBuf::from(format!("dart/lib/{}.dart", catalog.name.value));
        let Some(source) = dart.get(&path) else {
            continue;
        };
        let view = catalog
            .view("flutter")
            .unwrap_or_else(|| catalog.canonical_view());
        let file = DartFile::parse(&path.display().to_string(), source);
        if let Some(bad) = file.first_bad_node().or_else(|| file.raw_carriage_return()) {
            // The tree around a syntax error is not worth checking further.
            problems.push(bad);
            continue;
        }
        file.check_literals(&view, &mut problems);
        file.check_structure(&view, &mut problems);
    }

    assert!(
        problems.is_empty(),
        "{} problem(s) in the generated Dart of {}:\n\n{}",
        problems.len(),
        registry_path.display(),
        problems.join("\n\n")
    );
}

fn dart_parser() -> Parser {
    let lang: tree_sitter::Language = tree_sitter_dart::LANGUAGE.into();
    let mut parser = Parser::new();
    parser
        .set_language(&lang)
        .expect("the tree-sitter Dart grammar loads");
    parser
}

struct DartFile<'s> {
    name: String,
    source: &'s str,
    tree: Tree,
}

impl<'s> DartFile<'s> {
    fn parse(name: &str, source: &'s str) -> Self {
        let tree = dart_parser()
            .parse(source, None)
            .expect("tree-sitter returns a tree without a timeout or cancellation");
        DartFile {
            name: name.to_owned(),
            source,
            tree,
        }
    }

    fn text(&self, node: Node<'_>) -> &'s str {
        &self.source[node.byte_range()]
    }

    /// `file:line:column: what`, then the source line and a caret under the node's start.
    fn at(&self, node: Node<'_>, what: &str) -> String {
        let pos = node.start_position();
        let raw_line = self.source.lines().nth(pos.row).unwrap_or_default();
        let column = raw_line
            .get(..pos.column)
            .map_or(pos.column, |before| before.chars().count());
        // A carriage return is shown, not acted on by the terminal.
        let line = raw_line.replace('\r', "\u{240d}");
        format!(
            "{}:{}:{}: {what}\n    | {line}\n    | {}^",
            self.name,
            pos.row + 1,
            column + 1,
            " ".repeat(column)
        )
    }

    /// The first ERROR or MISSING node of the whole tree, in source order. When error
    /// recovery wraps the whole file in an ERROR node, the first bad node inside it is
    /// the one that locates the problem.
    fn first_bad_node(&self) -> Option<String> {
        let root = self.tree.root_node();
        if !root.has_error() {
            return None;
        }
        let mut bad = Vec::new();
        walk(root, &mut |node| {
            if node.is_error() || node.is_missing() {
                bad.push(node);
            }
            node.has_error()
        });
        let first = bad
            .iter()
            .find(|n| n.id() != root.id())
            .or(bad.first())
            .copied()
            .unwrap_or(root);
        let what = if first.is_missing() {
            format!("a MISSING `{}` node", first.kind())
        } else {
            "an ERROR node".to_owned()
        };
        let more = match bad.len() {
            0 | 1 => String::new(),
            n => format!("; {} more ERROR/MISSING node(s) follow", n - 1),
        };
        Some(self.at(
            first,
            &format!("tree-sitter-dart reports a syntax error: {what}{more}"),
        ))
    }

    /// Dart ends a line at `\r` as at `\n`, but the grammar's comments run to `\n` only: a
    /// raw carriage return (in a `///` line, say) would turn the rest of the line into
    /// code for Dart while tree-sitter sees a comment. Generated lines end in `\n`, and
    /// string literals escape `\r`, so none may appear.
    fn raw_carriage_return(&self) -> Option<String> {
        let offset = self.source.find('\r')?;
        let node = self
            .tree
            .root_node()
            .descendant_for_byte_range(offset, offset)?;
        Some(self.at(
            node,
            &format!(
                "a raw carriage return at byte {offset}, inside this `{}`: Dart ends the line there",
                node.kind()
            ),
        ))
    }

    /// Every string literal (adjacent parts form one literal), in source order.
    fn string_literals(&self) -> Vec<Node<'_>> {
        let mut found = Vec::new();
        walk(self.tree.root_node(), &mut |node| {
            if node.kind() == "string_literal" {
                found.push(node);
                false
            } else {
                true
            }
        });
        found
    }

    /// Every literal decodes to a registry text of the view; every name, message and
    /// trigger of the view is some literal.
    fn check_literals(&self, view: &View<'_>, problems: &mut Vec<String>) {
        let allowed = registry_texts(view);
        let mut seen = BTreeSet::new();
        for node in self.string_literals() {
            match decode_string_literal(node, self.source) {
                Err(why) => problems.push(self.at(
                    node,
                    &format!("the string literal {} {why}", self.text(node)),
                )),
                Ok(text) => {
                    if !allowed.contains(&text) {
                        problems.push(self.at(
                            node,
                            &format!(
                                "the string literal {} decodes to {text:?}, which is no text of the registry's `{}` view",
                                self.text(node),
                                view_label(view)
                            ),
                        ));
                    }
                    seen.insert(text);
                }
            }
        }
        for ve in view.entries() {
            let required = [
                ("name", ve.name.value.as_str()),
                ("message", ve.message.value.as_str()),
                ("trigger", ve.entry.trigger_text()),
            ];
            for (what, text) in required {
                if !seen.contains(text) {
                    problems.push(format!(
                        "{}: no string literal holds the {what} of {} exactly: {text:?}",
                        self.name, ve.name.value
                    ));
                }
            }
        }
    }

    fn check_structure(&self, view: &View<'_>, problems: &mut Vec<String>) {
        let catalog = view.catalog;
        let root = self.tree.root_node();
        let keyed_by_code = catalog.keyed_by == KeyedBy::Code;
        let type_name = ident::upper_camel(&catalog.name.value);
        let mut problem = |p: String| problems.push(format!("{}: {p}", self.name));

        // Top-level declarations: no keyword, no shadowed dart:core type.
        for node in children(root) {
            let name = match node.kind() {
                "class_declaration"
                | "enum_declaration"
                | "mixin_declaration"
                | "extension_declaration"
                | "type_alias" => node.child_by_field_name("name"),
                _ => None,
            };
            if let Some(name) = name.map(|n| self.text(n))
                && (DART_KEYWORDS.contains(&name) || CORE_TYPES.contains(&name))
            {
                problem(format!(
                    "the top-level type `{name}` is a Dart keyword or shadows a dart:core type"
                ));
            }
        }

        // The catalog's class.
        let classes: Vec<Node<'_>> = children(root)
            .filter(|n| n.kind() == "class_declaration")
            .filter(|n| {
                n.child_by_field_name("name")
                    .is_some_and(|name| self.text(name) == type_name)
            })
            .collect();
        let [decl] = classes.as_slice() else {
            problem(format!(
                "expected one top-level `final class {type_name}` (the catalog `{}` in UpperCamelCase), found {}",
                catalog.name.value,
                classes.len()
            ));
            return;
        };
        // `final`, not `sealed` and no enum: a switch over it needs a default.
        if !self
            .text(*decl)
            .starts_with(&format!("final class {type_name} {{"))
        {
            problem(format!("`{type_name}` is not a `final class` of its own"));
        }
        let Some(body) = decl.child_by_field_name("body") else {
            problem("the class has no body".to_owned());
            return;
        };

        // Its values: `static const T ident = T._(..)`, one per entry, in order.
        let constructor = format!("{type_name}._");
        let mut values: Vec<(&str, Node<'_>, Node<'_>)> = Vec::new();
        // Its other members: name -> whether static.
        let mut members: BTreeMap<&str, bool> = BTreeMap::new();
        for member in children(body).filter(|n| n.kind() == "member_declaration") {
            let mut value = None;
            walk(member, &mut |n| {
                if n.kind() == "static_final_declaration"
                    && let (Some(name), Some(call)) = (
                        n.child_by_field_name("name"),
                        n.child_by_field_name("value"),
                    )
                    && call.kind() == "call_expression"
                    && call
                        .child_by_field_name("function")
                        .is_some_and(|f| self.text(f) == constructor)
                {
                    value = Some((self.text(name), call));
                }
                value.is_none()
            });
            match value {
                Some((name, call)) => values.push((name, call, member)),
                None => members.extend(self.member_names(member)),
            }
        }
        let mut fields = vec!["name", "message", "trigger", "retry"];
        if keyed_by_code {
            fields.push("code");
        }
        for field in fields {
            if members.get(field) != Some(&false) {
                problem(format!("the class has no instance member `{field}`"));
            }
        }
        for name in ["fromName", "values"] {
            if members.get(name) != Some(&true) {
                problem(format!("the class has no static `{name}`"));
            }
        }
        match (keyed_by_code, members.get("fromCode")) {
            (true, Some(true)) | (false, None) => {}
            (true, _) => problem("the class has no static `fromCode`".to_owned()),
            (false, Some(_)) => problem(
                "the catalog is keyed by name, but the class declares `fromCode`".to_owned(),
            ),
        }

        let actual: Vec<&str> = values.iter().map(|(name, ..)| *name).collect();
        let entries: Vec<ViewEntry<'_>> = view.entries().collect();
        let expected: Vec<String> = entries
            .iter()
            .map(|ve| errspec_tests::language("dart").ident(&ve.name.value))
            .collect();
        if actual != expected {
            problem(format!(
                "the static values are {actual:?}, expected {expected:?}"
            ));
        }
        // `values` lists them all, in order.
        let listed = self.values_list(body);
        if listed.as_ref() != Some(&expected) {
            problem(format!("`values` lists {listed:?}, expected {expected:?}"));
        }
        for value in &actual {
            if DART_KEYWORDS.contains(value) || ENUM_MEMBERS.contains(value) {
                problem(format!(
                    "the value `{value}` is a Dart keyword or a member every object or enum has"
                ));
            }
            if members.contains_key(value) {
                problem(format!(
                    "the value `{value}` clashes with the class's own member `{value}`"
                ));
            }
        }
        for ((_, call, member), ve) in values.iter().zip(&entries) {
            self.check_value(*call, *member, ve, &type_name, keyed_by_code, problems);
        }
        self.check_exception(view, problems);

        // The lookup map of code-keyed catalogs.
        self.check_errors_map(view, problems);
    }

    /// The identifiers of `static const List<T> values = [..]`, if declared.
    fn values_list(&self, body: Node<'_>) -> Option<Vec<String>> {
        let mut found = None;
        walk(body, &mut |n| {
            if n.kind() == "static_final_declaration"
                && n.child_by_field_name("name").map(|x| self.text(x)) == Some("values")
                && let Some(list) = n.child_by_field_name("value")
            {
                found = Some(
                    children(list)
                        .filter(|c| c.is_named())
                        .map(|c| self.text(c).to_owned())
                        .collect(),
                );
            }
            found.is_none()
        });
        found
    }

    /// `final class TException implements Exception` with its members: the code or
    /// name received, `entry`, `message`, `isKnown`, `toString`.
    fn check_exception(&self, view: &View<'_>, problems: &mut Vec<String>) {
        let type_name = ident::upper_camel(&view.catalog.name.value);
        let want = format!("final class {type_name}Exception implements Exception {{");
        let Some(class) = children(self.tree.root_node())
            .filter(|n| n.kind() == "class_declaration")
            .find(|n| self.text(*n).starts_with(&want))
        else {
            problems.push(format!("{}: no `{want}`", self.name));
            return;
        };
        let mut members = BTreeSet::new();
        if let Some(body) = class.child_by_field_name("body") {
            for member in children(body).filter(|n| n.kind() == "member_declaration") {
                members.extend(self.member_names(member).into_iter().map(|(n, _)| n));
            }
        }
        let key = if view.catalog.keyed_by == KeyedBy::Code {
            "code"
        } else {
            "name"
        };
        for member in [key, "name", "entry", "message", "isKnown", "toString"] {
            if !members.contains(member) {
                problems.push(format!(
                    "{}: `{type_name}Exception` declares no `{member}` (it has {members:?})",
                    self.name
                ));
            }
        }
    }

    /// Names a member declaration declares, each with whether it is static.
    fn member_names(&self, member: Node<'_>) -> Vec<(&'s str, bool)> {
        let mut names = Vec::new();
        for node in children(member) {
            match node.kind() {
                // Fields: `final String name;`, `static const x = 1;`.
                "declaration" => {
                    let is_static = children(node).any(|c| c.kind() == "static");
                    walk(node, &mut |n| {
                        if matches!(
                            n.kind(),
                            "initialized_identifier" | "static_final_declaration"
                        ) {
                            if let Some(name) = n.child_by_field_name("name") {
                                names.push((self.text(name), is_static));
                            }
                            return false;
                        }
                        true
                    });
                }
                // Methods, getters, setters.
                "method_declaration" => {
                    if let Some(sig) = node.child_by_field_name("signature") {
                        let is_static = children(sig).any(|c| c.kind() == "static");
                        for part in children(sig) {
                            if let Some(name) = part.child_by_field_name("name") {
                                names.push((self.text(name), is_static));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        names
    }

    /// One value's annotation (on its `member`) and arguments (of the constructor's
    /// call, `value`) against its entry.
    fn check_value(
        &self,
        value: Node<'_>,
        member: Node<'_>,
        ve: &ViewEntry<'_>,
        type_name: &str,
        keyed_by_code: bool,
        problems: &mut Vec<String>,
    ) {
        let e = ve.entry;
        let mut problem = |p: String| {
            problems.push(self.at(value, &format!("the value for {} {p}", ve.name.value)))
        };

        // `@Deprecated('why')` exactly on deprecated entries.
        let deprecations: Vec<Node<'_>> = children(member)
            .filter(|n| n.kind() == "annotation")
            .filter(|n| {
                n.child_by_field_name("name")
                    .is_some_and(|name| self.text(name) == "Deprecated")
            })
            .collect();
        let expected = e.deprecated.as_ref().map(|d| d.value.clone());
        let actual = deprecations.first().map(|a| self.single_string(*a));
        match (&expected, &actual) {
            (None, None) => {}
            (Some(want), Some(Some(got))) if want == got && deprecations.len() == 1 => {}
            _ => problem(format!(
                "has the deprecation annotation {actual:?}, expected {expected:?}"
            )),
        }

        // Named arguments.
        let mut args: BTreeMap<&str, Node<'_>> = BTreeMap::new();
        if let Some(arguments) = children(value).find(|n| n.kind() == "arguments") {
            for arg in children(arguments).filter(|n| n.kind() == "named_argument") {
                let label = children(arg)
                    .find(|n| n.kind() == "label")
                    .and_then(|l| children(l).find(|n| n.kind() == "identifier"));
                let argument = children(arg).filter(|n| n.kind() != "label").last();
                if let (Some(label), Some(argument)) = (label, argument) {
                    args.insert(self.text(label), argument);
                }
            }
        }

        let code = args.get("code").map(|n| self.text(*n));
        let want_code = e
            .code
            .as_ref()
            .filter(|_| keyed_by_code)
            .map(|c| c.value.to_string());
        if code.map(str::to_owned) != want_code {
            problem(format!("has `code: {code:?}`, expected {want_code:?}"));
        }

        let texts = [
            ("name", Some(ve.name.value.clone())),
            ("message", Some(ve.message.value.clone())),
            ("trigger", Some(e.trigger_text().to_owned())),
            ("docs", e.docs.as_ref().map(|d| d.value.clone())),
            ("deprecated", e.deprecated.as_ref().map(|d| d.value.clone())),
        ];
        for (label, want) in texts {
            let got = args.get(label).map(|n| self.string(*n));
            match (&want, &got) {
                (None, None) => {}
                (Some(want), Some(Some(got))) if want == got => {}
                _ => problem(format!("has `{label}:` {got:?}, expected {want:?}")),
            }
        }

        // The names: the canonical one where it differs, the former ones, and
        // every name fromName accepts, as errspec defines it for every target.
        let list = |label: &str| -> Option<Vec<Option<String>>> {
            args.get(label).map(|list| {
                children(*list)
                    .filter(|n| n.kind() == "string_literal")
                    .map(|n| decode_string_literal(n, self.source).ok())
                    .collect()
            })
        };
        let canonical = args.get("canonicalName").map(|n| self.string(*n));
        let want_canonical = (e.name.value != ve.name.value).then(|| Some(e.name.value.clone()));
        if canonical != want_canonical {
            problem(format!(
                "has `canonicalName:` {canonical:?}, expected {want_canonical:?}"
            ));
        }
        // Former names: an alias the view took back as its name is none.
        let aliases: Vec<Option<String>> = e
            .aliases
            .iter()
            .filter(|a| a.value != ve.name.value)
            .map(|a| Some(a.value.clone()))
            .collect();
        let want = (!aliases.is_empty()).then_some(aliases);
        let got = list("aliases");
        if got != want {
            problem(format!("has `aliases:` {got:?}, expected {want:?}"));
        }
        let want: Vec<Option<String>> = ve
            .accepted_names()
            .into_iter()
            .map(|n| Some(n.to_owned()))
            .collect();
        let got = list("acceptedNames");
        if got.as_ref() != Some(&want) {
            problem(format!("has `acceptedNames:` {got:?}, expected {want:?}"));
        }

        match args.get("retry") {
            None => problem("has no `retry:`".to_owned()),
            Some(retry) => {
                if let Err(why) = self.check_retry(*retry, &e.retry.value, type_name) {
                    problem(format!("has `retry: {}`: {why}", self.text(*retry)));
                }
            }
        }
    }

    /// `XRetryNever()`, `XRetryAfter(Duration(milliseconds: ms))`,
    /// `XRetryBackoff(Duration(..initial), Duration(..max), attempts)`, `XRetryAfterFix('fix')`.
    fn check_retry(&self, node: Node<'_>, hint: &RetryHint, type_name: &str) -> Result<(), String> {
        let (class, numbers, fix): (&str, Vec<u128>, Option<&str>) = match hint {
            RetryHint::Never => ("Never", vec![], None),
            RetryHint::After(d) => ("After", vec![d.as_millis()], None),
            RetryHint::Backoff {
                initial,
                max,
                max_attempts,
            } => (
                "Backoff",
                vec![
                    initial.as_millis(),
                    max.as_millis(),
                    u128::from(*max_attempts),
                ],
                None,
            ),
            RetryHint::AfterFix(what) => ("AfterFix", vec![], Some(what.as_str())),
            RetryHint::Unspecified => ("Unspecified", vec![], None),
        };
        let want_class = format!("{type_name}Retry{class}");
        let called = (node.kind() == "call_expression")
            .then(|| node.child_by_field_name("function"))
            .flatten()
            .map(|f| self.text(f));
        if called != Some(want_class.as_str()) {
            return Err(format!("expected a call of `{want_class}`"));
        }
        let mut got_numbers = Vec::new();
        let mut durations = 0;
        walk(node, &mut |n| {
            match n.kind() {
                "decimal_integer_literal" => {
                    got_numbers.push(self.text(n).parse::<u128>().unwrap_or(u128::MAX));
                }
                "call_expression"
                    if n.child_by_field_name("function")
                        .is_some_and(|f| self.text(f) == "Duration") =>
                {
                    durations += 1;
                }
                _ => {}
            }
            true
        });
        if got_numbers != numbers {
            return Err(format!(
                "its numbers are {got_numbers:?}, expected {numbers:?}"
            ));
        }
        let want_durations = match hint {
            RetryHint::After(_) => 1,
            RetryHint::Backoff { .. } => 2,
            _ => 0,
        };
        if durations != want_durations {
            return Err(format!(
                "it builds {durations} Duration(s), expected {want_durations}"
            ));
        }
        let strings: Vec<Option<String>> = self
            .descendant_strings(node)
            .into_iter()
            .map(|n| decode_string_literal(n, self.source).ok())
            .collect();
        let want_strings: Vec<Option<String>> =
            fix.map(|f| Some(f.to_owned())).into_iter().collect();
        if strings != want_strings {
            return Err(format!(
                "its texts are {strings:?}, expected {want_strings:?}"
            ));
        }
        Ok(())
    }

    /// The `const Map<int, Map<String, String>> <catalog>Errors` of code-keyed catalogs.
    fn check_errors_map(&self, view: &View<'_>, problems: &mut Vec<String>) {
        let catalog = view.catalog;
        let map_name = format!("{}Errors", ident::lower_camel(&catalog.name.value));
        let mut problem = |p: String| problems.push(format!("{}: {p}", self.name));
        let decls: Vec<(Node<'_>, Node<'_>)> = children(self.tree.root_node())
            .filter(|n| n.kind() == "top_level_variable_declaration")
            .flat_map(|d| {
                let mut found = Vec::new();
                walk(d, &mut |n| {
                    if n.kind() == "static_final_declaration"
                        || n.kind() == "initialized_identifier"
                    {
                        if n.child_by_field_name("name")
                            .is_some_and(|name| self.text(name) == map_name)
                        {
                            found.push((d, n));
                        }
                        return false;
                    }
                    true
                });
                found
            })
            .collect();
        if catalog.keyed_by != KeyedBy::Code {
            if !decls.is_empty() {
                problem(format!(
                    "the catalog is keyed by name, but declares `{map_name}`"
                ));
            }
            return;
        }
        let [(decl, var)] = decls.as_slice() else {
            problem(format!(
                "expected one top-level `{map_name}`, found {}",
                decls.len()
            ));
            return;
        };
        if !children(*decl).any(|n| n.kind() == "const") {
            problem(format!("`{map_name}` is not `const`"));
        }
        let ty: String = decl
            .child_by_field_name("type")
            .map(|t| self.text(t))
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if ty != "Map<int,Map<String,String>>" {
            problem(format!(
                "`{map_name}` has the type `{ty}`, expected `Map<int, Map<String, String>>`"
            ));
        }
        let Some(literal) = var
            .child_by_field_name("value")
            .filter(|v| v.kind() == "set_or_map_literal")
        else {
            problem(format!("`{map_name}` is not a map literal"));
            return;
        };
        let elements: Vec<Node<'_>> = children(literal)
            .filter(|n| n.kind() == "map_element")
            .collect();
        let codes: Vec<&str> = elements
            .iter()
            .map(|el| {
                el.child_by_field_name("key")
                    .map(|k| self.text(k))
                    .unwrap_or_default()
            })
            .collect();
        let entries: Vec<ViewEntry<'_>> = view.entries().collect();
        let want_codes: Vec<String> = entries
            .iter()
            .map(|ve| {
                ve.entry
                    .code
                    .as_ref()
                    .map(|c| c.value.to_string())
                    .unwrap_or_default()
            })
            .collect();
        if codes != want_codes {
            problem(format!(
                "`{map_name}` has the keys {codes:?}, expected the codes {want_codes:?}"
            ));
            return;
        }
        for ((element, ve), code) in elements.iter().zip(&entries).zip(&codes) {
            let inner: Vec<(Option<String>, Option<String>)> = element
                .child_by_field_name("value")
                .into_iter()
                .flat_map(children)
                .filter(|n| n.kind() == "map_element")
                .map(|pair| {
                    let decode = |field: &str| {
                        pair.child_by_field_name(field)
                            .and_then(|n| decode_string_literal(n, self.source).ok())
                    };
                    (decode("key"), decode("value"))
                })
                .collect();
            let want = vec![
                (Some("name".to_owned()), Some(ve.name.value.clone())),
                (Some("message".to_owned()), Some(ve.message.value.clone())),
            ];
            if inner != want {
                problem(format!(
                    "`{map_name}[{code}]` is {inner:?}, expected {want:?}"
                ));
            }
        }
    }

    /// The one string literal under `node`, decoded.
    fn single_string(&self, node: Node<'_>) -> Option<String> {
        match self.descendant_strings(node).as_slice() {
            [one] => decode_string_literal(*one, self.source).ok(),
            _ => None,
        }
    }

    /// `node` decoded when it is a string literal.
    fn string(&self, node: Node<'_>) -> Option<String> {
        (node.kind() == "string_literal")
            .then(|| decode_string_literal(node, self.source).ok())
            .flatten()
    }

    fn descendant_strings<'t>(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut found = Vec::new();
        walk(node, &mut |n| {
            if n.kind() == "string_literal" {
                found.push(n);
                false
            } else {
                true
            }
        });
        found
    }
}

/// The registry texts a literal may hold in this view.
fn registry_texts(view: &View<'_>) -> BTreeSet<String> {
    // `TException`'s texts: the empty message, `toString`'s separators and type name.
    let exception = format!("{}Exception ", ident::upper_camel(&view.catalog.name.value));
    let mut texts: BTreeSet<String> = [exception.as_str(), "", " ", ": "]
        .map(str::to_owned)
        .into();
    for ve in view.entries() {
        let e = ve.entry;
        texts.insert(ve.name.value.clone());
        texts.insert(e.name.value.clone());
        texts.extend(e.aliases.iter().map(|a| a.value.clone()));
        texts.insert(ve.message.value.clone());
        texts.insert(e.trigger_text().to_owned());
        if let RetryHint::AfterFix(fix) = &e.retry.value {
            texts.insert(fix.clone());
        }
        texts.extend(e.docs.iter().map(|d| d.value.clone()));
        texts.extend(e.deprecated.iter().map(|d| d.value.clone()));
        // A formatter writes its message's text parts between the arguments.
        if !e.params.is_empty() {
            texts.extend(ve.message_parts.iter().filter_map(|p| match p {
                errspec::Part::Text(t) => Some(t.clone()),
                errspec::Part::Param { .. } => None,
            }));
        }
    }
    // The units of the duration helper, the template's only text of its own.
    if view
        .entries()
        .flat_map(|e| &e.entry.params)
        .any(|p| p.ty.value == errspec::ParamType::Duration)
    {
        texts.extend(["-", "h", "m", "s", "ms"].map(str::to_owned));
    }
    if view.catalog.keyed_by == KeyedBy::Code {
        // The keys of the `<catalog>Errors` map.
        texts.insert("name".to_owned());
        texts.insert("message".to_owned());
    }
    texts
}

fn view_label(view: &View<'_>) -> String {
    match view.platform_id() {
        Some(p) => format!("{}/{p}", view.catalog.name.value),
        None => format!("{} (canonical)", view.catalog.name.value),
    }
}

/// The direct children of a node.
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

/// Decodes a `string_literal` node (adjacent parts concatenate) to the string Dart
/// builds, or says why it is not a plain literal: an interpolation, an unescaped `$`,
/// or a kind of literal the generator never writes.
fn decode_string_literal(node: Node<'_>, source: &str) -> Result<String, String> {
    if node.kind() != "string_literal" {
        return Err(format!("is a `{}`, not a string literal", node.kind()));
    }
    let mut out = String::new();
    for part in children(node) {
        match part.kind() {
            "string_literal_single_quotes" | "string_literal_double_quotes" => {
                decode_part(part, source, &mut out)?;
            }
            // No escapes and no interpolation in a raw string: its text between the quotes.
            "raw_string_literal_single_quotes" | "raw_string_literal_double_quotes" => {
                let text = &source[part.byte_range()];
                out.push_str(&text[2..text.len() - 1]);
            }
            "comment" | "documentation_comment" => {}
            other => {
                return Err(format!(
                    "has a part of kind `{other}`, which this check does not decode"
                ));
            }
        }
    }
    Ok(out)
}

/// One quoted part: its opening and closing quote, and between them only literal
/// characters and escapes, with no gap (a gap is a token the grammar hides, such as a
/// `$` before a space).
fn decode_part(part: Node<'_>, source: &str, out: &mut String) -> Result<(), String> {
    let kids: Vec<Node<'_>> = children(part).collect();
    let (Some(open), Some(close)) = (kids.first(), kids.last()) else {
        return Err("is empty".to_owned());
    };
    let quote = if part.kind().contains("single") {
        "'"
    } else {
        "\""
    };
    if kids.len() < 2 || open.kind() != quote || close.kind() != quote {
        return Err("is not delimited by matching quotes".to_owned());
    }
    let mut pos = open.end_byte();
    for kid in &kids[1..kids.len() - 1] {
        if kid.start_byte() != pos {
            return Err(format!(
                "has `{}` that is neither text nor an escape (an unescaped `$`?)",
                &source[pos..kid.start_byte()]
            ));
        }
        let text = &source[kid.byte_range()];
        match kid.kind() {
            "template_substitution" => {
                return Err(format!(
                    "interpolates `{text}`: `$` must be escaped as `\\$`"
                ));
            }
            "template_chars_single_single" | "template_chars_double_single" => {
                if text.contains(['$', '\\']) {
                    return Err(format!("has an unescaped `$` or `\\` in {text:?}"));
                }
                out.push_str(text);
            }
            "'" | "\"" if text == kid.kind() => out.push_str(text),
            "escape_sequence" => out.push(decode_escape(text)?),
            other => return Err(format!("has a `{other}` node ({text:?})")),
        }
        pos = kid.end_byte();
    }
    if pos != close.start_byte() {
        return Err(format!(
            "has `{}` that is neither text nor an escape (an unescaped `$`?)",
            &source[pos..close.start_byte()]
        ));
    }
    Ok(())
}

/// One Dart escape sequence: `\n \r \t \b \f \v`, `\xHH`, `\uHHHH`, `\u{H...}`, and `\c`
/// for any other character `c` (`\\`, `\'`, `\$`).
fn decode_escape(escape: &str) -> Result<char, String> {
    let bad = || format!("has the malformed escape `{escape}`");
    let rest = escape.strip_prefix('\\').ok_or_else(bad)?;
    let mut chars = rest.chars();
    let first = chars.next().ok_or_else(bad)?;
    let hex = |digits: &str| {
        u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(bad)
    };
    match first {
        'n' if rest.len() == 1 => Ok('\n'),
        'r' if rest.len() == 1 => Ok('\r'),
        't' if rest.len() == 1 => Ok('\t'),
        'b' if rest.len() == 1 => Ok('\u{8}'),
        'f' if rest.len() == 1 => Ok('\u{c}'),
        'v' if rest.len() == 1 => Ok('\u{b}'),
        'x' if rest.len() == 3 => hex(&rest[1..]),
        'u' => match rest[1..]
            .strip_prefix('{')
            .and_then(|r| r.strip_suffix('}'))
        {
            Some(digits) if (1..=6).contains(&digits.len()) => hex(digits),
            Some(_) => Err(bad()),
            None if rest.len() == 5 => hex(&rest[1..]),
            None => Err(bad()),
        },
        c if chars.as_str().is_empty() && c != '\n' && c != '\r' => Ok(c),
        _ => Err(bad()),
    }
}

/// The checker itself: what it accepts and what it rejects.
mod checker {
    use super::*;

    fn literal(source: &str) -> Result<String, String> {
        let file = DartFile::parse("test.dart", source);
        if let Some(bad) = file.first_bad_node() {
            return Err(bad);
        }
        let literals = file.string_literals();
        let [one] = literals.as_slice() else {
            panic!("expected one literal in {source}");
        };
        decode_string_literal(*one, source)
    }

    #[test]
    fn escapes_decode_to_their_characters() {
        assert_eq!(
            literal(r#"var a = 'q \' d \" b \\ $ \$x \${y} n \n r \r t \t';"#).ok(),
            None,
            "a bare `$ ` is rejected"
        );
        assert_eq!(
            literal(r#"var a = 'q \' d \" b \\ \$x \${y} \n \r \t \u{1F389} \u00e9 \x41 \z';"#),
            Ok("q ' d \" b \\ $x ${y} \n \r \t 🎉 é A z".to_owned())
        );
        assert_eq!(
            literal(r#"var a = "it's" 'a' r'\$raw';"#),
            Ok("it'sa\\$raw".to_owned())
        );
    }

    #[test]
    fn interpolation_is_rejected() {
        for source in [
            "var a = '$x';",
            "var a = '${x}';",
            "var a = 'a $x b';",
            "var a = \"${x.y}\";",
            "var a = 'a $ b';",
            "var a = 'a $1';",
        ] {
            let result = literal(source);
            assert!(result.is_err(), "{source} was accepted: {result:?}");
        }
    }

    #[test]
    fn syntax_errors_are_located() {
        let file = DartFile::parse("x.dart", "enum E {\n  a(,\n}\n");
        let bad = file.first_bad_node().expect("a syntax error");
        assert!(bad.starts_with("x.dart:2:"), "{bad}");
        let file = DartFile::parse("y.dart", "const a = 'unterminated;\n");
        assert!(file.first_bad_node().is_some());
        let file = DartFile::parse(
            "z.dart",
            "/// doc\nenum E {\n  a(code: 1);\n\n  const E({required this.code});\n  final int code;\n}\n",
        );
        assert_eq!(file.first_bad_node(), None);
    }
}

proptest::proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(24))]

    /// Random valid registries: every Dart file parses, and every literal is the registry's text.
    #[test]
    fn random_registries_give_dart_that_parses_and_matches(catalogs in errspec_tests::arbitrary::registry()) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dart-random");
        errspec_tests::arbitrary::write(&dir, &catalogs);
        check(&dir);
    }
}

/// `RoomException` is the exception class of `room` and would be the class of
/// `room_exception`: the validator refuses the pair, from the `dart` row.
#[test]
fn catalogs_whose_exception_class_clashes_are_refused() {
    let catalog = |name: &str| {
        format!(
            "catalog:\n  name: {name}\n  title: T\nerrors:\n  - code: 1\n    name: A\n    message: m\n    trigger: t\n    retry: never\n"
        )
    };
    let (room, room_exception) = (catalog("room"), catalog("room_exception"));
    let dir = temp_registry(
        "exception-clash",
        &[
            ("room.yaml", &room),
            ("room_exception.yaml", &room_exception),
        ],
    );
    let options = errspec::LoadOptions {
        languages: errspec::Languages::none().with(errspec_tests::language("dart")),
        ..errspec::LoadOptions::default()
    };
    let diagnostics = errspec::load_with(Path::new(""), &dir, options)
        .err()
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(
        diagnostics.contains("RoomException"),
        "expected the clash of `RoomException`, got {diagnostics:?}"
    );
}

/// `dart/pubspec.yaml` (docs/packages.md; no Dart toolchain here, so a YAML parser
/// reads it): a mapping with what pub requires of a package, its `name` a valid
/// package name, `version` the option's, `environment: sdk` a constraint; the
/// libraries under `lib/`, one per catalog, as `package:NAME/CATALOG.dart` imports them.
#[test]
fn the_pubspec_has_what_pub_requires_and_the_libraries_are_under_lib() {
    let path = errspec_tests::root().join("spec/registry");
    let files = codegen::Generator::new(&path, "unused")
        .targets(["dart"])
        .option("dart", "package", "acme_errors")
        .option("dart", "version", "1.2.3-beta.1")
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = &files[&PathBuf::from("dart/pubspec.yaml")];
    let pubspec: serde_json::Value =
        serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let map = pubspec
        .as_object()
        .unwrap_or_else(|| panic!("not a mapping: {text}"));
    let keys: BTreeSet<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["name", "description", "version", "environment"]),
        "{text}"
    );
    assert_eq!(map["name"], "acme_errors");
    // A string, not a number: YAML would read `1.2` as a float.
    assert_eq!(map["version"], "1.2.3-beta.1");
    let description = map["description"].as_str().expect("a string description");
    // pub's validator asks for 60 to 180 characters.
    assert!((60..=180).contains(&description.len()), "{description}");
    let sdk = map["environment"]["sdk"]
        .as_str()
        .expect("environment: sdk");
    assert!(sdk.starts_with('^') || sdk.starts_with(">="), "{sdk}");
    let registry = errspec_tests::load(&path);
    let libraries: BTreeSet<PathBuf> = files
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "dart"))
        .cloned()
        .collect();
    let expected: BTreeSet<PathBuf> = registry
        .catalogs
        .iter()
        .map(|c| PathBuf::from(format!("dart/lib/{}.dart", c.name.value)))
        .collect();
    assert_eq!(libraries, expected);
}
