//! Names that become files, modules and types, judged by the languages that will render them.

use std::path::{Path, PathBuf};

use errspec::LoadOptions;
use errspec::lang::Languages;

fn catalog(name: &str, param: Option<&str>) -> String {
    let params = param.map_or(String::new(), |p| {
        format!("    params:\n      {p}: {{ type: string, description: A value. }}\n")
    });
    let message = param.map_or("Failed.".to_owned(), |p| format!("Failed: {{{p}}}."));
    format!(
        "catalog:\n  name: {name}\n  title: T\nerrors:\n  - code: 1\n    name: FAILED\n    message: \"{message}\"\n    trigger: Always.\n    retry: never\n{params}"
    )
}

fn with(languages: Languages) -> LoadOptions {
    LoadOptions {
        languages,
        ..LoadOptions::default()
    }
}

/// The built-in targets' rows (Rust's, and codegen's `targets/*/target.toml`).
fn built_in() -> Languages {
    codegen::targets::built_in_languages().unwrap_or_else(|e| panic!("{e}"))
}

fn only(ids: &[&str]) -> Languages {
    ids.iter().fold(Languages::none(), |l, id| {
        l.with(codegen::targets::built_in_language(id).unwrap_or_else(|| panic!("{id}")))
    })
}

/// The rendered diagnostics, or `None` when the text loads.
fn problems(text: &str, languages: Languages) -> Option<String> {
    errspec::load_str_with("c.yaml", text, with(languages))
        .err()
        .map(|d| d.render(false))
}

/// A fresh directory under the test target's temporary directory.
fn dir(case: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("names-{case}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove the old directory");
    }
    std::fs::create_dir_all(&dir).expect("create the directory");
    dir
}

#[test]
fn a_catalog_may_not_take_a_file_its_targets_write_for_themselves() {
    for (name, language, file) in [
        ("lib", "rust", "lib.rs"),
        ("main", "rust", "main.rs"),
        ("index", "typescript", "index.ts"),
    ] {
        let text = catalog(name, None);
        let d = problems(&text, built_in()).unwrap_or_else(|| panic!("`{name}` was accepted"));
        assert!(
            d.contains(&format!(
                "the catalog name `{name}` names a file the generated code needs for itself"
            )) && d.contains("--> c.yaml:2:9")
                && d.contains(&format!("`{file}`")),
            "{d}"
        );
        // Only where that target renders.
        let others = built_in()
            .iter()
            .filter(|l| l.id != language)
            .map(|l| l.id.clone())
            .collect::<Vec<_>>();
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        assert_eq!(problems(&text, only(&others)), None, "{name}");
        assert!(problems(&text, only(&[language])).is_some(), "{name}");
    }
}

#[test]
fn a_catalog_name_too_long_for_a_file_is_refused_at_its_name() {
    // Kotlin's longest: `<Type>Retry$Unspecified.class`; TypeScript's `<name>.d.ts.map`.
    let limit_kotlin = 255 - "Retry$Unspecified.class".len();
    let ok = format!("a{}", "b".repeat(limit_kotlin - 1));
    assert_eq!(problems(&catalog(&ok, None), built_in()), None);
    let words = |n: usize| {
        let mut s = "a".repeat(n);
        s.replace_range(1..2, "_");
        s
    };
    // `a_aaa...`: one underscore, so the Kotlin type is one byte shorter than the name.
    let kotlin = words(limit_kotlin + 2);
    let d = problems(&catalog(&kotlin, None), built_in()).expect("too long");
    assert!(
        d.contains("the catalog name is too long for a file name: 234 bytes")
            && d.contains(
                "the Kotlin class file of the retry type's `Unspecified` would be named with 256 bytes"
            )
            && d.contains("shorten the catalog name to at most 232 bytes")
            && d.contains("--> c.yaml:2:9"),
        "{d}"
    );
    assert_eq!(
        problems(&catalog(&kotlin, None), only(&["rust", "typescript"])),
        None
    );

    // 300 bytes, from a directory with a lock beside it: one diagnostic at the
    // name, no I/O error from looking for `<name>.lock`.
    let name = format!("a{}", "b".repeat(299));
    let dir = dir("long");
    std::fs::write(dir.join("long.yaml"), catalog(&name, None)).expect("write");
    let d = errspec::load_with(Path::new(""), &dir, with(built_in()))
        .expect_err("300 bytes")
        .render(false);
    assert!(
        d.contains("the catalog name is too long for a file name: 300 bytes")
            && d.contains(
                "the Kotlin class file of the retry type's `Unspecified` would be named with 323 bytes"
            )
            && d.contains("long.yaml:2:9")
            && !d.contains("error[io]")
            && d.ends_with("error: the registry has 1 problem\n"),
        "{d}"
    );
    // With no language, the lock is the longest file: `<name>.lock`.
    let d = errspec::load_with(Path::new(""), &dir, with(Languages::none()))
        .expect_err("the lock")
        .render(false);
    assert!(d.contains("the lock would be named with 305 bytes"), "{d}");
}

#[test]
fn a_template_only_language_judges_only_the_projects_that_render_it() {
    // `from` is a keyword of Python alone.
    let text = catalog("files", Some("from"));
    assert_eq!(problems(&text, built_in()), None);
    assert_eq!(
        errspec::load_str("c.yaml", &text)
            .err()
            .map(|d| d.render(false)),
        None
    );
    let python = codegen::row::parse(
        "python",
        Path::new("python/target.toml"),
        "name = \"Python\"\ncomment = { line = \"#\" }\n[params]\ncase = \"verbatim\"\nkeywords = [\"from\"]\nstring = { type = \"str\", text = \"{}\" }\nint = { type = \"int\", text = \"str({})\" }\nbool = { type = \"bool\", text = \"str({})\" }\nduration = { type = \"float\", text = \"str({})\" }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let d = problems(&text, built_in().with(python)).expect("Python");
    assert!(
        d.contains("the parameter name `from` is a keyword in Python"),
        "{d}"
    );
    // `is`: Dart, Kotlin and Swift; `catalog!` renders Rust alone.
    let text = catalog("files", Some("is"));
    assert!(problems(&text, built_in()).is_some());
    assert_eq!(problems(&text, only(&["rust"])), None);
}

#[test]
fn catalogs_whose_rust_types_meet_clash_in_one_module() {
    let dir = dir("rust-types");
    std::fs::write(dir.join("foo.yaml"), catalog("foo", None)).expect("write");
    std::fs::write(
        dir.join("foo_unknown_name.yaml"),
        catalog("foo_unknown_name", None),
    )
    .expect("write");
    let d = errspec::load_with(Path::new(""), &dir, with(only(&["rust"])))
        .expect_err("two `FooUnknownName`")
        .render(false);
    assert!(
        d.contains("the Rust unknown-name error of catalog `foo` and the Rust enum of catalog `foo_unknown_name` are both `FooUnknownName`"),
        "{d}"
    );
    // TypeScript files are modules of their own: no clash there.
    assert!(errspec::load_with(Path::new(""), &dir, with(only(&["typescript"]))).is_ok());
}

#[test]
fn the_default_languages_are_none_and_the_built_in_rows_are_codegens() {
    assert!(LoadOptions::default().languages.is_empty());
    let ids: Vec<String> = built_in().iter().map(|l| l.id.clone()).collect();
    assert_eq!(
        ids,
        [
            "rust",
            "typescript",
            "dart",
            "kotlin",
            "swift",
            "go",
            "c",
            "markdown"
        ]
    );
}

#[test]
fn windows_device_names_and_platform_pages_too_long_are_refused() {
    for name in ["aux", "con", "nul", "com1", "lpt9"] {
        let d = problems(&catalog(name, None), Languages::none()).expect(name);
        assert!(
            d.contains(&format!(
                "the catalog name `{name}` is a device name on Windows"
            )) && d.contains("--> c.yaml:2:9"),
            "{d}"
        );
    }
    assert_eq!(problems(&catalog("auxiliary", None), built_in()), None);
    // `<catalog>.<platform>.md`: `c.` + 250 + `.md` is 255 bytes; one more is too long.
    let with_platform = |id: &str| {
        catalog("c", None)
            .replace(
                "  title: T\n",
                &format!("  title: T\n  platforms:\n    {id}: {{ title: P }}\n"),
            )
            .replace(
                "    retry: never\n",
                &format!("    retry: never\n    platforms: [{id}]\n"),
            )
    };
    let fits = format!("p{}", "x".repeat(249));
    assert_eq!(problems(&with_platform(&fits), Languages::none()), None);
    let long = format!("p{}", "x".repeat(250));
    let d = problems(&with_platform(&long), Languages::none()).expect("too long");
    assert!(
        d.contains("the platform id is too long for a file name: 251 bytes")
            && d.contains("would be named with 256 bytes")
            && d.contains("at most 250 bytes")
            && d.contains("--> c.yaml:5:5"),
        "{d}"
    );
}

/// kotlinc: "illegal annotation class 'JvmStatic'" once the package declares `enum class
/// JvmStatic`; "argument type mismatch: actual type is 'kotlin.Long', but
/// 'errspec.generated.Long' was expected" at a formatter's call site for a catalog `long`.
#[test]
fn a_catalog_may_not_shadow_a_type_its_kotlin_names() {
    for name in ["jvm_static", "jvm_field", "long"] {
        let text = catalog(name, None);
        let d = problems(&text, only(&["kotlin"])).unwrap_or_else(|| panic!("{name}"));
        assert!(
            d.contains(&format!(
                "the catalog name `{name}` would name a type `{}`",
                errspec::ident::upper_camel(name)
            )) && d.contains("--> c.yaml:2:9"),
            "{d}"
        );
        assert_eq!(
            problems(&text, only(&["rust", "typescript", "dart", "swift"])),
            None
        );
    }
}

#[test]
fn a_catalog_may_not_shadow_swifts_int64() {
    let text = catalog("int64", None);
    let d = problems(&text, only(&["swift"])).expect("Int64");
    assert!(d.contains("would name a type `Int64`"), "{d}");
    assert_eq!(
        problems(&text, only(&["rust", "typescript", "dart", "kotlin"])),
        None
    );
}

/// One message with `ints` int parameters and `strings` string ones.
fn many_params(ints: usize, strings: usize) -> String {
    let names: Vec<(String, &str)> = (0..ints)
        .map(|i| (format!("n{i}"), "int"))
        .chain((0..strings).map(|i| (format!("s{i}"), "string")))
        .collect();
    let message: String = names.iter().map(|(n, _)| format!("{{{n}}} ")).collect();
    let params: String = names
        .iter()
        .map(|(n, t)| format!("      {n}: {{ type: {t}, description: A value. }}\n"))
        .collect();
    format!(
        "catalog:\n  name: c\n  title: T\nerrors:\n  - code: 1\n    name: FAILED\n    message: \"{}\"\n    trigger: Always.\n    retry: never\n    params:\n{params}",
        message.trim_end()
    )
}

#[test]
fn a_formatter_past_the_jvms_parameter_slots_is_refused_where_kotlin_renders() {
    // 127 ints and one string: 255 slots, the most a JVM method takes.
    assert_eq!(problems(&many_params(127, 1), built_in()), None);
    // One more slot: refused at the parameter that crosses the limit, only for Kotlin.
    let text = many_params(127, 2);
    let err = problems(&text, built_in()).expect("refused");
    assert!(err.contains("error[too-many-params]"), "{err}");
    let line = text.lines().position(|l| l.contains("s1:")).expect("s1") + 1;
    assert!(err.contains(&format!("c.yaml:{line}:7")), "{err}");
    assert_eq!(
        problems(&text, only(&["rust", "typescript", "swift", "dart"])),
        None
    );
    assert_eq!(
        problems(&many_params(0, 500), only(&["rust", "typescript"])),
        None
    );
}
