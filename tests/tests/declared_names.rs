//! Each built-in target's language row (`codegen/targets/<id>/target.toml`, Rust's in
//! `errspec-rust`) declares every name its target's output
//! declares for a catalog (`catalog`: the enum, `…Retry`, `…UnknownName`, ...): the
//! validator's rule that two catalogs never share a generated name reads those
//! rows, so a name the output gains without its row is a clash the validator
//! misses (two `catalog!` calls in one module failing with E0428). Each output is
//! read by a parser of its language: syn for Rust, tree-sitter for Dart and Swift,
//! the top-level lines of TypeScript, Kotlin and Go (what `tsc`, `kotlinc` and `go`
//! see at column 0 of a generated file).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use errspec::lang::{self, Language};
use tree_sitter::{Node, Parser};

/// Names a TypeScript file exports whatever its catalog: each file is a module of
/// its own, which `index.ts` re-exports as a namespace (`export * as sdk`), so
/// these never meet another catalog's.
const TYPESCRIPT_MODULE_NAMES: &[&str] = &["ALL", "fromCode", "fromName"];

/// The registries whose outputs are read: every feature of the format between them.
fn registries() -> Vec<PathBuf> {
    vec![
        errspec_tests::root().join("spec/registry"),
        errspec_tests::fixture("params.yaml"),
        errspec_tests::fixture("hostile.yaml"),
        errspec_tests::fixture("regressions.yaml"),
        errspec_tests::fixture("retired.yaml"),
    ]
}

/// The file of a catalog's output in a language, and what reads its top-level names.
fn output(language: &Language, catalog: &str) -> (PathBuf, fn(&str) -> BTreeSet<String>) {
    match language.id.as_str() {
        "rust" => (format!("rust/src/{catalog}.rs").into(), rust_names),
        "typescript" => (format!("typescript/{catalog}.ts").into(), typescript_names),
        "dart" => (format!("dart/lib/{catalog}.dart").into(), dart_names),
        "kotlin" => (
            format!("kotlin/errspec/generated/{catalog}.kt").into(),
            kotlin_names,
        ),
        "swift" => (format!("swift/Sources/{catalog}.swift").into(), swift_names),
        "go" => (format!("go/{catalog}_errspec.go").into(), go_names),
        "c" => (format!("c/{catalog}.h").into(), c_names),
        other => panic!("no built-in target renders `{other}`: add its output here"),
    }
}

#[test]
fn every_row_declares_every_name_its_output_declares_for_a_catalog() {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    // The rows of the targets that declare names per catalog (Markdown declares none).
    let languages = errspec_tests::languages();
    let rows: Vec<std::sync::Arc<Language>> = languages
        .iter()
        .filter(|l| !l.catalog.is_empty())
        .map(|l| errspec_tests::language(&l.id))
        .collect();
    for path in registries() {
        let registry = errspec_tests::load(&path);
        let files = errspec_tests::render(&path);
        for catalog in &registry.catalogs {
            let name = &catalog.name.value;
            for language in rows.iter() {
                let declared_by_row: BTreeSet<String> =
                    lang::catalog_idents(&errspec::Languages::none().with(language.clone()))
                        .map(|rule| rule.ident(name))
                        .collect();
                let (file, read) = output(language, name);
                let Some(text) = files.get(&file) else {
                    problems.push(format!("{}: no `{}`", path.display(), file.display()));
                    continue;
                };
                let mut names = read(text);
                if language.id == "typescript" {
                    names.retain(|n| !TYPESCRIPT_MODULE_NAMES.contains(&n.as_str()));
                    // `create<Type>Error`, Twilio's idiom: a module's own name as `fromCode`.
                    let create = format!("create{}Error", errspec::ident::upper_camel(name));
                    names.remove(&create);
                    // The row's lower-case form is the namespace `index.ts` exports.
                    let index = files
                        .get(Path::new("typescript/index.ts"))
                        .map(String::as_str)
                        .unwrap_or_default();
                    let lower = errspec::ident::lower_camel(name);
                    if index.contains(&format!("export * as {lower} from \"./{name}.js\";")) {
                        names.insert(lower);
                    }
                }
                if language.id == "go" {
                    // The entries' constants and formatters, `<Type>_<NAME>...`: a type
                    // has no `_`, so no other catalog's name can be one of them.
                    let entries = format!("{}_", errspec::ident::upper_camel(name));
                    names.retain(|n| !n.starts_with(&entries));
                }
                if language.id == "c" {
                    // The same, after the default prefix, which the row leaves out.
                    let entries = format!("{}_", errspec::ident::upper_camel(name));
                    names = (names.iter())
                        .filter_map(|n| n.strip_prefix(C_PREFIX))
                        .filter(|n| !n.starts_with(&entries))
                        .map(str::to_owned)
                        .collect();
                }
                let undeclared: Vec<&String> = names.difference(&declared_by_row).collect();
                if !undeclared.is_empty() {
                    problems.push(format!(
                        "{} ({}): the {} output declares {undeclared:?}, which the `{}` row's `catalog` lacks",
                        file.display(),
                        path.display(),
                        language.name,
                        language.id
                    ));
                }
                let matched = names.intersection(&declared_by_row).map(|n| {
                    // The rule's suffix, as the row spells it: `{}Retry` (C: `{}_retry`).
                    if language.id == "c" {
                        return n.replacen(name.as_str(), "{}", 1);
                    }
                    n.replacen(&errspec::ident::upper_camel(name), "{}", 1)
                        .replacen(&errspec::ident::lower_camel(name), "{lower}", 1)
                });
                seen.entry(language.id.as_str())
                    .or_default()
                    .extend(matched);
            }
        }
    }
    // And no row declares a name no output has (a stale rule refuses good names).
    for language in &rows {
        let seen = seen.get(language.id.as_str()).cloned().unwrap_or_default();
        for rule in &language.catalog {
            let spelt = match rule.form {
                lang::CatalogForm::Lower => format!("{{lower}}{}", rule.suffix),
                _ => format!("{{}}{}", rule.suffix),
            };
            if !seen.contains(&spelt) {
                problems.push(format!(
                    "the `{}` row declares the {} `{spelt}`, which no output of the test registries declares: {seen:?}",
                    language.id, rule.what
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every item of the file, whatever its visibility: `catalog!` expands them all
/// into its caller's module.
fn rust_names(text: &str) -> BTreeSet<String> {
    let file = syn::parse_file(text).unwrap_or_else(|e| panic!("generated Rust: {e}"));
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(i) => Some(i.ident.to_string()),
            syn::Item::Struct(i) => Some(i.ident.to_string()),
            syn::Item::Union(i) => Some(i.ident.to_string()),
            syn::Item::Type(i) => Some(i.ident.to_string()),
            syn::Item::Const(i) => Some(i.ident.to_string()),
            syn::Item::Static(i) => Some(i.ident.to_string()),
            syn::Item::Fn(i) => Some(i.sig.ident.to_string()),
            syn::Item::Trait(i) => Some(i.ident.to_string()),
            syn::Item::Mod(i) => Some(i.ident.to_string()),
            syn::Item::Macro(i) => i.ident.as_ref().map(ToString::to_string),
            syn::Item::Use(_) => Some("a `use`".to_owned()),
            _ => None,
        })
        .collect()
}

/// `export const|type|interface|function|class|enum|let NAME` at the start of a line.
fn typescript_names(text: &str) -> BTreeSet<String> {
    let kinds = [
        "const ",
        "type ",
        "interface ",
        "function ",
        "class ",
        "enum ",
        "let ",
        "var ",
        "abstract class ",
        "declare ",
        "namespace ",
    ];
    text.lines()
        .filter_map(|l| l.strip_prefix("export "))
        .map(|l| match kinds.iter().find_map(|k| l.strip_prefix(k)) {
            Some(rest) => identifier(rest),
            None => format!("an export `{l}`"),
        })
        .collect()
}

/// Declarations at column 0 of a Kotlin file, but `private` ones (file-private)
/// and the `package`/`import` lines.
fn kotlin_names(text: &str) -> BTreeSet<String> {
    let modifiers = [
        "public ",
        "internal ",
        "sealed ",
        "data ",
        "enum ",
        "abstract ",
        "open ",
        "inline ",
        "value ",
        "annotation ",
        "const ",
    ];
    let kinds = [
        "class ",
        "object ",
        "interface ",
        "fun ",
        "val ",
        "var ",
        "typealias ",
    ];
    let mut names = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with(char::is_whitespace)
            || line.starts_with(['}', ')', '/', '*', '@', '"'])
            || line.starts_with("package ")
            || line.starts_with("import ")
            || line.starts_with("private ")
            || line.is_empty()
        {
            continue;
        }
        let mut rest = line;
        while let Some(r) = modifiers.iter().find_map(|m| rest.strip_prefix(m)) {
            rest = r;
        }
        match kinds.iter().find_map(|k| rest.strip_prefix(k)) {
            Some(r) => {
                names.insert(identifier(r.trim_start_matches('`')));
            }
            None => {
                names.insert(format!("a line `{line}`"));
            }
        }
    }
    names
}

/// Package-level declarations of a Go file (exported or not: the package's files
/// share one scope): `type`, `func` (not methods), `const` and `var`, alone or in a
/// `( ... )` group, each name of `var a, b = ...`; not `package` and `import`.
/// The C target's default `prefix` option, before every name of its headers.
const C_PREFIX: &str = "errspec_";

/// The names a C header declares at file scope, read from the template's layout: macros,
/// typedefs, enumerators (indented four spaces, `NAME = `), tables and functions.
fn c_names(text: &str) -> BTreeSet<String> {
    let ident_end = |s: &str| {
        s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let rest = [
            "#define ",
            "#ifndef ",
            "typedef enum ",
            "typedef struct ",
            "} ",
            "enum { ",
        ]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .or_else(|| {
            let decl = line
                .strip_prefix("static const ")
                .or(line.strip_prefix("static inline "))?;
            // The name is the identifier before the first `[` or `(`.
            let head = &decl[..decl.find(['[', '('])?];
            Some(head.rsplit([' ', '*']).next().unwrap_or(head))
        })
        .or_else(|| {
            let member = line.strip_prefix("    ")?;
            let end = ident_end(member);
            (end > 0 && member[end..].starts_with(" = ")).then_some(member)
        });
        if let Some(rest) = rest {
            let name = &rest[..ident_end(rest)];
            if !name.is_empty() {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

fn go_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    // The keyword of the group being read (`const (`), if any.
    let mut group: Option<&str> = None;
    for line in text.lines() {
        if let Some(kind) = group {
            if line == ")" {
                group = None;
            } else if kind != "import" {
                let spec = line.trim_start();
                if !spec.is_empty() && !spec.starts_with("//") {
                    names.insert(identifier(spec));
                }
            }
            continue;
        }
        if line.starts_with(char::is_whitespace)
            || line.starts_with(['}', ')', '/'])
            || line.starts_with("package ")
            || line.starts_with("import \"")
            || line.is_empty()
        {
            continue;
        }
        let Some((kind, rest)) = line.split_once(' ') else {
            names.insert(format!("a line `{line}`"));
            continue;
        };
        match kind {
            "import" | "const" | "var" | "type" if rest == "(" => group = Some(kind),
            "func" if rest.starts_with('(') => {} // a method
            "type" | "func" => {
                names.insert(identifier(rest));
            }
            "const" | "var" => {
                let declared = rest.split(['=', '(']).next().unwrap_or_default();
                let declared = declared.split(',').map(str::trim);
                names.extend(declared.map(identifier));
            }
            _ => {
                names.insert(format!("a line `{line}`"));
            }
        }
    }
    names
}

fn identifier(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
        .collect()
}

fn parse(language: tree_sitter::Language, text: &str) -> tree_sitter::Tree {
    let mut parser = Parser::new();
    parser.set_language(&language).expect("grammar");
    let tree = parser.parse(text, None).expect("a tree");
    assert!(
        !tree.root_node().has_error(),
        "the generated code does not parse"
    );
    tree
}

fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// Top-level classes, enums, mixins, extensions, typedefs, functions and
/// variables, but private ones (`_name`).
fn dart_names(text: &str) -> BTreeSet<String> {
    let tree = parse(tree_sitter_dart::LANGUAGE.into(), text);
    let mut names = BTreeSet::new();
    for node in named_children(tree.root_node()) {
        let found: Vec<String> = match node.kind() {
            "comment"
            | "documentation_comment"
            | "import_or_export"
            | "library_name"
            | "part_directive"
            | "part_of_directive"
            | "function_body" => continue,
            "top_level_variable_declaration" => {
                let mut found = Vec::new();
                walk(node, &mut |n| {
                    if matches!(
                        n.kind(),
                        "static_final_declaration" | "initialized_identifier"
                    ) && let Some(id) = named_children(n)
                        .into_iter()
                        .find(|c| c.kind() == "identifier")
                    {
                        found.push(text[id.byte_range()].to_owned());
                    }
                });
                found
            }
            _ => match node.child_by_field_name("name") {
                Some(name) => vec![text[name.byte_range()].to_owned()],
                None => vec![format!("a `{}`", node.kind())],
            },
        };
        names.extend(found.into_iter().filter(|n| !n.starts_with('_')));
    }
    names
}

/// Top-level types, functions, properties and type aliases, but `private` and
/// `fileprivate` ones; an extension declares no name.
fn swift_names(text: &str) -> BTreeSet<String> {
    let tree = parse(tree_sitter_swift::LANGUAGE.into(), text);
    let mut names = BTreeSet::new();
    for node in named_children(tree.root_node()) {
        if matches!(
            node.kind(),
            "comment" | "multiline_comment" | "import_declaration"
        ) {
            continue;
        }
        let children = named_children(node);
        let private = children.iter().any(|c| {
            c.kind() == "modifiers"
                && ["private", "fileprivate"]
                    .iter()
                    .any(|p| text[c.byte_range()].split_whitespace().any(|w| w == *p))
        });
        let extension = {
            let mut cursor = node.walk();
            node.children(&mut cursor).any(|c| c.kind() == "extension")
        };
        if private || extension {
            continue;
        }
        match node.child_by_field_name("name") {
            Some(name) => names.insert(text[name.byte_range()].to_owned()),
            None => names.insert(format!("a `{}`", node.kind())),
        };
    }
    names
}

fn walk<'t>(node: Node<'t>, visit: &mut impl FnMut(Node<'t>)) {
    visit(node);
    for child in named_children(node) {
        walk(child, visit);
    }
}

/// Issue 23: the error types are names a catalog declares, so a catalog named after one is
/// refused where the type itself is declared (Go's `TError`, Kotlin's `TException`), and not
/// in TypeScript, whose catalogs are modules of their own.
#[test]
fn an_error_type_clashes_with_the_catalog_of_its_name() {
    let yaml = |name: &str| {
        format!(
            "catalog:\n  name: {name}\n  title: T\nerrors:\n  - code: 1\n    name: FAILED\n    message: Failed.\n    trigger: Always.\n    retry: never\n"
        )
    };
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("error-type-clash");
    for (language, other, clash) in [
        ("go", "t_error", "TError"),
        ("kotlin", "t_exception", "TException"),
        ("typescript", "t_error", ""),
    ] {
        let dir = tmp.join(language);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the registry dir");
        for name in ["t", other] {
            std::fs::write(dir.join(format!("{name}.yaml")), yaml(name)).expect("write");
        }
        let options = errspec::LoadOptions {
            languages: errspec::Languages::none().with(errspec_tests::language(language)),
            ..errspec::LoadOptions::default()
        };
        let loaded = errspec::load_with(Path::new(""), &dir, options);
        if clash.is_empty() {
            assert!(loaded.is_ok(), "{language}: {other} refused");
            continue;
        }
        let d = loaded
            .expect_err("two catalogs declaring one name")
            .render(false);
        assert!(
            d.contains(&format!("of catalog `{other}` are both `{clash}`")),
            "{language}: {d}"
        );
    }
}
