//! Consumers of the Swift and Dart outputs, written as docs/targets/swift.md and
//! docs/targets/dart.md recommend (`tests/consumers/swift/main.swift`,
//! `tests/consumers/dart/main.dart`): they decode a known and an unknown code, throw
//! and catch the generated error, and `switch` over the catalog with a default.
//!
//! No Swift toolchain or Dart SDK installs here, so each consumer is read with the
//! tree-sitter grammar of its language beside the generated file of a registry, then
//! beside the file regenerated after the test adds a code to that registry (the
//! consumer unchanged). Each time: both parse with no ERROR or MISSING node; every
//! identifier the consumer uses is declared by the generated file (a type, a member,
//! a static, a parameter label), by the consumer itself, or is one of the few
//! standard names listed here; each `Type.member` naming a type of the output names
//! one of its statics, enum cases, nested types or named constructors; every `switch`
//! of the consumer has a default. Nothing here type-checks or runs the program: a
//! member used on a value (`error.code`) is only known to be declared by some type of
//! the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tree_sitter::{Language, Node, Parser, Tree};

const REGISTRY: &str = "catalog:
  name: video
  title: Video errors
  categories:
    all: { title: All, codes: { from: 50000, to: 59999 } }
errors:
  - code: 53106
    name: ROOM_NOT_FOUND
    message: Room not found.
    trigger: The room named when joining does not exist.
    retry: never
  - code: 53205
    name: PARTICIPANT_DISCONNECTED
    message: Participant disconnected.
    trigger: The signaling connection dropped.
    retry: { backoff: { initial: 1s, max: 30s, attempts: 5 } }
";

/// The code a newer registry adds.
const ADDED: &str = "  - code: 53407
    name: MEDIA_DTLS_TRANSPORT_FAILED
    message: Media connection failed.
    trigger: The DTLS handshake of the media transport failed.
";

struct Target {
    id: &'static str,
    consumer: &'static str,
    output: &'static str,
    language: fn() -> Language,
    /// Identifier kinds of the grammar.
    idents: &'static [&'static str],
    /// Fields under which an identifier is declared, not used.
    declaring: &'static [&'static str],
    /// Names of the language's library the consumer uses.
    library: &'static [&'static str],
    /// A name declared for the added code.
    added: &'static str,
}

const SWIFT: Target = Target {
    id: "swift",
    consumer: "tests/consumers/swift/main.swift",
    output: "swift/Sources/video.swift",
    language: || tree_sitter_swift::LANGUAGE.into(),
    idents: &["simple_identifier", "type_identifier"],
    declaring: &["name", "bound_identifier", "external_name"],
    // `error`: the binding a bare `catch` makes; `localizedDescription`: `Error`'s,
    // served by `LocalizedError`'s `errorDescription`.
    library: &[
        "Foundation",
        "print",
        "precondition",
        "String",
        "Int",
        "Bool",
        "error",
        "localizedDescription",
    ],
    added: "mediaDtlsTransportFailed",
};

const DART: Target = Target {
    id: "dart",
    consumer: "tests/consumers/dart/main.dart",
    output: "dart/lib/video.dart",
    language: || tree_sitter_dart::LANGUAGE.into(),
    idents: &["identifier", "type_identifier"],
    declaring: &["name", "exception"],
    library: &["print", "String", "bool", "int", "Never"],
    added: "mediaDtlsTransportFailed",
};

#[test]
fn swift_consumer_names_only_declared_names_before_and_after_a_code_is_added() {
    check(&SWIFT);
}

#[test]
fn dart_consumer_names_only_declared_names_before_and_after_a_code_is_added() {
    check(&DART);
}

fn check(target: &Target) {
    let consumer = std::fs::read_to_string(errspec_tests::root().join(target.consumer))
        .unwrap_or_else(|e| panic!("read {}: {e}", target.consumer));
    for (case, yaml) in [
        ("before", REGISTRY.to_owned()),
        ("after", format!("{REGISTRY}{ADDED}")),
    ] {
        let generated = generated(target, case, &yaml);
        let problems = problems(target, &consumer, &generated);
        assert!(
            problems.is_empty(),
            "{} ({case} the code is added):\n{}",
            target.consumer,
            problems.join("\n")
        );
        let declared = declared(target, &parse(target, &generated), &generated);
        assert_eq!(
            declared.contains(target.added),
            case == "after",
            "{}: `{}` {case} the code is added",
            target.output,
            target.added
        );
    }
}

/// The generated file of the registry `yaml`, written under `case`.
fn generated(target: &Target, case: &str, yaml: &str) -> String {
    let dir: PathBuf =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("consumer-{}-{case}", target.id));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove the previous registry");
    }
    std::fs::create_dir_all(&dir).expect("create the registry directory");
    std::fs::write(dir.join("video.yaml"), yaml).expect("write the registry");
    let mut files = errspec_tests::render(&dir);
    files
        .remove(Path::new(target.output))
        .unwrap_or_else(|| panic!("no {}", target.output))
}

/// What is wrong with `consumer` read beside `generated`.
fn problems(target: &Target, consumer: &str, generated: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let (consumer_tree, generated_tree) = (parse(target, consumer), parse(target, generated));
    for (what, tree) in [("consumer", &consumer_tree), ("output", &generated_tree)] {
        if tree.root_node().has_error() {
            problems.push(format!("the {what} does not parse: {}", first_bad(tree)));
        }
    }
    let mut known = declared(target, &generated_tree, generated);
    known.extend(declared(target, &consumer_tree, consumer));
    known.extend(target.library.iter().map(|n| (*n).to_owned()));
    let mut missing = BTreeSet::new();
    walk(consumer_tree.root_node(), &mut |n, _| {
        if target.idents.contains(&n.kind()) && !known.contains(&consumer[n.byte_range()]) {
            missing.insert(consumer[n.byte_range()].to_owned());
        }
    });
    if !missing.is_empty() {
        problems.push(format!("names declared nowhere: {missing:?}"));
    }
    // `Type.member`: a static (or named constructor) of that type of the output.
    let statics = statics(target, &generated_tree, generated);
    walk(consumer_tree.root_node(), &mut |n, _| {
        if let Some((ty, member)) = qualified(target, n, consumer)
            && let Some(members) = statics.get(ty)
            && !members.contains(member)
        {
            problems.push(format!("`{ty}.{member}`: `{ty}` has no static `{member}`"));
        }
    });
    walk(consumer_tree.root_node(), &mut |n, _| {
        if n.kind() == "switch_statement" && !has_default(n) {
            let at = n.start_position();
            problems.push(format!("the switch at line {} has no default", at.row + 1));
        }
    });
    problems
}

/// `Type.member` in the consumer: Swift's navigation from an identifier, Dart's member
/// access or constant pattern.
fn qualified<'s>(target: &Target, n: Node<'_>, text: &'s str) -> Option<(&'s str, &'s str)> {
    let (ty, member) = match (target.id, n.kind()) {
        ("swift", "navigation_expression") => (
            n.child_by_field_name("target")?,
            n.child_by_field_name("suffix")?
                .child_by_field_name("suffix")?,
        ),
        ("dart", "member_expression") => (
            n.child_by_field_name("object")?,
            n.child_by_field_name("property")?,
        ),
        ("dart", "constant_pattern") => (n.named_child(0)?, n.named_child(1)?),
        _ => return None,
    };
    (target.idents.contains(&ty.kind()) && target.idents.contains(&member.kind()))
        .then(|| (&text[ty.byte_range()], &text[member.byte_range()]))
}

/// Per top-level type of the output, what `Type.member` may name: its static
/// properties and functions, enum cases and nested types (Swift); its static members
/// and named constructors (Dart).
fn statics(target: &Target, tree: &Tree, text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let mut cursor = tree.root_node().walk();
    for decl in tree.root_node().named_children(&mut cursor) {
        let (Some(name), Some(body)) = (
            decl.child_by_field_name("name"),
            decl.child_by_field_name("body"),
        ) else {
            continue;
        };
        let mut members = BTreeSet::new();
        let mut body_cursor = body.walk();
        for member in body.named_children(&mut body_cursor) {
            let member_text = &text[member.byte_range()];
            let names: Vec<Node<'_>> = match (target.id, member.kind()) {
                ("swift", "enum_entry" | "class_declaration") => {
                    member.child_by_field_name("name").into_iter().collect()
                }
                ("swift", "property_declaration" | "function_declaration")
                    if member.named_children(&mut member.walk()).any(|c| {
                        c.kind() == "modifiers" && text[c.byte_range()].contains("static")
                    }) =>
                {
                    member.child_by_field_name("name").into_iter().collect()
                }
                ("dart", "member_declaration") => {
                    let mut found = Vec::new();
                    let is_static = member_text
                        .lines()
                        .map(str::trim)
                        .find(|l| !l.starts_with('@') && !l.starts_with("///"))
                        .is_some_and(|l| l.starts_with("static "));
                    walk(member, &mut |n, field| {
                        let constructor = n
                            .parent()
                            .is_some_and(|p| p.kind().ends_with("constructor_signature"));
                        if field == Some("name")
                            && n.kind() == "identifier"
                            && (is_static || constructor)
                            && text[n.byte_range()] != text[name.byte_range()]
                        {
                            found.push(n);
                        }
                    });
                    found
                }
                _ => Vec::new(),
            };
            for n in names {
                members.insert(text[n.byte_range()].trim_matches('`').to_owned());
            }
        }
        out.insert(text[name.byte_range()].to_owned(), members);
    }
    out
}

/// Swift's `default:` entry, Dart's `default:` case.
fn has_default(switch: Node<'_>) -> bool {
    let mut found = false;
    walk(switch, &mut |n, _| {
        found |= matches!(n.kind(), "default_keyword" | "switch_statement_default");
    });
    found
}

fn parse(target: &Target, text: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&(target.language)())
        .expect("the grammar loads");
    parser.parse(text, None).expect("a tree")
}

/// The identifiers a tree declares: those under a declaring field.
fn declared(target: &Target, tree: &Tree, text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    walk(tree.root_node(), &mut |n, field| {
        if target.idents.contains(&n.kind()) && field.is_some_and(|f| target.declaring.contains(&f))
        {
            names.insert(text[n.byte_range()].trim_matches('`').to_owned());
        }
    });
    names
}

fn first_bad(tree: &Tree) -> String {
    let mut bad = None;
    walk(tree.root_node(), &mut |n, _| {
        if bad.is_none() && (n.is_error() || n.is_missing()) {
            let at = n.start_position();
            bad = Some(format!("line {}, column {}", at.row + 1, at.column + 1));
        }
    });
    bad.unwrap_or_default()
}

/// Pre-order walk, with the field each node is under.
fn walk<'t>(node: Node<'t>, visit: &mut impl FnMut(Node<'t>, Option<&'static str>)) {
    let mut cursor = node.walk();
    visit(node, None);
    if cursor.goto_first_child() {
        loop {
            walk_at(&mut cursor, visit);
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
}

fn walk_at<'t>(
    cursor: &mut tree_sitter::TreeCursor<'t>,
    visit: &mut impl FnMut(Node<'t>, Option<&'static str>),
) {
    visit(cursor.node(), cursor.field_name());
    if cursor.goto_first_child() {
        loop {
            walk_at(cursor, visit);
            if !cursor.goto_next_sibling() {
                break;
            }
        }
        cursor.goto_parent();
    }
}

/// The checker itself: it finds an undeclared name and a switch without default.
mod checker {
    use super::*;

    /// `case` names the registry's directory: tests run in parallel.
    fn consumer_problems(
        target: &Target,
        case: &str,
        edit: impl Fn(&str) -> String,
    ) -> Vec<String> {
        let consumer = std::fs::read_to_string(errspec_tests::root().join(target.consumer))
            .expect("read the consumer");
        let generated = generated(target, case, REGISTRY);
        problems(target, &edit(&consumer), &generated)
    }

    #[test]
    fn an_undeclared_member_is_found() {
        for target in [&SWIFT, &DART] {
            let problems = consumer_problems(target, "undeclared", |c| {
                c.replace("roomNotFound", "roomGone")
            });
            assert!(
                problems.iter().any(|p| p.contains("roomGone")),
                "{}: {problems:?}",
                target.id
            );
        }
    }

    /// A static of the output's other type is no static of this one.
    #[test]
    fn a_member_of_another_type_is_found() {
        let swift = consumer_problems(&SWIFT, "other-type", |c| {
            c.replace("Video.allCases", "VideoError.allCases")
        });
        assert!(
            swift.iter().any(|p| p.contains("`VideoError.allCases`")),
            "{swift:?}"
        );
        let dart = consumer_problems(&DART, "other-type", |c| {
            c.replace("Video.fromName", "VideoException.fromName")
        });
        assert!(
            dart.iter().any(|p| p.contains("`VideoException.fromName`")),
            "{dart:?}"
        );
    }

    #[test]
    fn a_switch_without_default_is_found() {
        let swift = consumer_problems(&SWIFT, "no-default", |c| {
            c.replacen("    default:\n        return error.description\n", "", 1)
        });
        assert!(swift.iter().any(|p| p.contains("no default")), "{swift:?}");
        let dart = consumer_problems(&DART, "no-default", |c| {
            c.replacen("    default:\n      return error.toString();\n", "", 1)
        });
        assert!(dart.iter().any(|p| p.contains("no default")), "{dart:?}");
    }
}
