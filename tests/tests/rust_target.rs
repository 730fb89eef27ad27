//! The `generated/rust` crate is the macro's expansion: same items, same values.
//!
//! It compiles as a workspace member on every `cargo test`; here its enums are
//! compared with fresh `catalog!` expansions of the same files.

#![allow(deprecated)] // alias consts are compared on purpose

mod expanded {
    errspec_macros::catalog!("../spec/registry/sdk.yaml");
    errspec_macros::catalog!("../spec/registry/ice.yaml");
    errspec_macros::catalog!("../spec/registry/recorder.yaml");
}

use errspec_generated::{ice, recorder, sdk};

macro_rules! same {
    ($generated:ty, $expanded:ty) => {{
        let g = <$generated>::all();
        let e = <$expanded>::all();
        assert_eq!(g.len(), e.len());
        for (g, e) in g.iter().zip(e) {
            assert_eq!(g.name(), e.name());
            assert_eq!(g.message(), e.message());
            assert_eq!(g.trigger(), e.trigger());
            assert_eq!(g.docs(), e.docs());
            assert_eq!(g.deprecation(), e.deprecation());
            assert_eq!(format!("{:?}", g), format!("{:?}", e), "variant names");
            assert_eq!(format!("{:?}", g.retry()), format!("{:?}", e.retry()));
            assert_eq!(<$generated>::from_name(e.name()), Some(*g));
        }
        assert_eq!(
            std::mem::size_of::<$generated>(),
            std::mem::size_of::<$expanded>(),
            "repr"
        );
    }};
}

#[test]
fn generated_crate_equals_the_macro_expansion() {
    same!(sdk::Sdk, expanded::Sdk);
    same!(ice::Ice, expanded::Ice);
    same!(recorder::Recorder, expanded::Recorder);
    for (g, e) in sdk::Sdk::all().iter().zip(expanded::Sdk::all()) {
        assert_eq!(g.code(), e.code());
        assert_eq!(sdk::Sdk::from_code(e.code()), Some(*g));
    }
    assert_eq!(ice::Ice::UNAUTHORIZED, ice::Ice::Unauthenticated);
}

#[path = "common/tokens.rs"]
mod tokens;

#[allow(dead_code)]
#[path = "../../bench/src/synth.rs"]
mod synth;

#[test]
fn generated_sources_are_the_emitter_output() {
    let registry = errspec_tests::shipped_registry();
    for catalog in &registry.catalogs {
        let text = errspec_rust::emit(catalog, &errspec_rust::Options::default()).expect("emit");
        let path =
            errspec_tests::root().join(format!("generated/rust/src/{}.rs", catalog.name.value));
        let on_disk = std::fs::read_to_string(&path).expect("read generated source");
        assert!(
            on_disk.ends_with(&text),
            "{} is not the emitter's output; run `cargo run -p codegen`",
            path.display()
        );
        // What the macro expands (the same text, parsed) is what codegen's file parses to.
        assert_eq!(
            tokens::normalised_source(&on_disk).expect("the generated file parses"),
            tokens::normalised_source(&text).expect("the emitter's output parses"),
        );
    }
}

/// Names long enough for rustfmt's rarer layouts: a backoff or a call that does
/// not start on the arm's line, a `from_str` signature broken inside `Result<..>`.
const LONG_NAMES: &str = r#"catalog:
  name: a_very_long_catalog_name_for_the_media_server_errors_of_all_kinds
  title: Long names
  categories:
    all: { title: All, codes: { from: 1, to: 100000 } }
errors:
  - code: 1
    name: A_VERY_LONG_ERROR_NAME_THAT_GOES_ON_AND_ON_FOR_A_WHILE_LONGER_STILL
    message: A message.
    trigger: A trigger.
    retry: { backoff: { initial: 1s, max: 30s, attempts: 5 } }
    aliases: [OLD_A_VERY_LONG_ERROR_NAME_THAT_GOES_ON_AND_ON_FOR_A_WHILE_LONGER_STILL]
    docs: https://example.com/a/very/long/path/to/the/documentation/of/this/error/and/more
  - code: 2
    name: B
    message: A message.
    trigger: A trigger.
    retry: { after: 5s }
  - code: 70000
    name: C_VERY_LONG_ERROR_NAME_THAT_GOES_ON_AND_ON_FOR_A_WHILE_LONGER_STILL
    message: A message that is long enough to need a line of its own in the match arm, and then some.
    trigger: A trigger.
    retry: { fix: "Do the thing the text says, which is long enough to break the call." }
    deprecated: Use `B`; this note is long enough to break the deprecated attribute over lines.
  - code: 3
    name: D_VERY_LONG_ERROR_NAME_WITH_PARAMETERS_THAT_GOES_ON_AND_ON_FOR_A_WHILE
    message: "{a_parameter_name_long_enough_to_break_the_pattern}"
    trigger: One long parameter alone, on a long variant.
    retry: never
    params:
      a_parameter_name_long_enough_to_break_the_pattern: { type: string, description: Long. }
  - code: 4
    name: E_PARAMS
    message: "A literal long enough to need its own line in the call, as rustfmt breaks it: {wait} then {n} and {flag}, then a literal that is longer than one hundred columns on its own line for sure."
    trigger: Long literals between parameters, a pattern over 18 columns.
    retry: never
    params:
      wait: { type: duration, description: A wait. }
      n: { type: int, description: A number. }
      flag: { type: bool, description: A flag. }
  - code: 5
    name: F
    message: "{x}"
    trigger: A short one alone.
    retry: never
    params:
      x: { type: int, description: A number. }
"#;

/// Every registry and option set the emitter's layout and tokens are checked on:
/// the shipped registry, the hostile, regression and retired fixtures and a
/// 2,000-entry synthetic registry (`bench/`) and [`LONG_NAMES`], each canonical, with serde, with
/// `pub(crate)` and per platform.
fn emit_cases() -> Vec<(String, String)> {
    let mut registries = vec![("shipped".to_owned(), errspec_tests::shipped_registry())];
    for f in ["hostile", "regressions", "retired", "params"] {
        let path = errspec_tests::fixture(&format!("{f}.yaml"));
        registries.push((f.to_owned(), errspec_tests::load(&path)));
    }
    let synthetic = errspec::load_str("synthetic.yaml", &synth::registry(2_000))
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    registries.push(("synth".to_owned(), synthetic));
    let long = errspec::load_str("long_names.yaml", LONG_NAMES)
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    registries.push(("long".to_owned(), long));
    let mut cases = Vec::new();
    for (name, registry) in &registries {
        for c in &registry.catalogs {
            let mut options = vec![
                ("default".to_owned(), errspec_rust::Options::default()),
                (
                    "serde".to_owned(),
                    errspec_rust::Options {
                        serde: true,
                        ..Default::default()
                    },
                ),
                (
                    "crate".to_owned(),
                    errspec_rust::Options {
                        visibility: "pub(crate)".to_owned(),
                        ..Default::default()
                    },
                ),
            ];
            for p in &c.platforms {
                options.push((
                    format!("p-{}", p.id.value),
                    errspec_rust::Options {
                        platform: Some(p.id.value.clone()),
                        serde: true,
                        ..Default::default()
                    },
                ));
            }
            for (o, options) in options {
                let text = errspec_rust::emit(c, &options).expect("emit");
                cases.push((format!("{name}-{}-{o}", c.name.value), text));
            }
        }
    }
    cases
}

#[test]
fn emitted_text_is_what_rustfmt_writes() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rustfmt-check");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    for (name, text) in emit_cases() {
        let file = dir.join(format!("{name}.rs"));
        std::fs::write(&file, text).expect("write source");
        files.push(file);
    }
    let mut args: Vec<&std::ffi::OsStr> = vec!["--check".as_ref(), "--edition=2024".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let out = run("rustfmt", "RUSTFMT", &args);
    assert!(
        out.status.success(),
        "rustfmt would reformat the emitter's output:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The proof that the text emitter writes the code the token emitter did:
/// `ERRSPEC_OLD_TOKENS=DIR` names a directory of `<case>.txt` files, each the
/// normalised tokens (see `common/tokens.rs`) of the former emitter's output
/// for the same case, dumped before the change.
#[test]
fn emitted_tokens_equal_the_former_emitter() {
    let Some(dir) = std::env::var_os("ERRSPEC_OLD_TOKENS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let mut compared = 0;
    for (name, text) in emit_cases() {
        let Ok(old) = std::fs::read_to_string(dir.join(format!("{name}.txt"))) else {
            continue;
        };
        let new = tokens::normalised_source(&text).expect("the emitter's output parses");
        if new != old {
            let at = new
                .bytes()
                .zip(old.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(new.len().min(old.len()));
            let from = at.saturating_sub(300);
            panic!(
                "{name}: tokens differ at byte {at}:\nnew: {}\nold: {}",
                &new[from..(at + 300).min(new.len())],
                &old[from..(at + 300).min(old.len())]
            );
        }
        compared += 1;
    }
    assert!(compared > 0, "no case found in {}", dir.display());
}

/// The fixtures whose Rust output is compiled and documented as it is written to disk.
const FIXTURES: &[&str] = &["hostile", "regressions", "params"];

/// `rust/src/<name>.rs` of a fixture, written under cargo's temporary directory.
fn rust_output(name: &str) -> (std::path::PathBuf, String) {
    let files = errspec_tests::render(&errspec_tests::fixture(&format!("{name}.yaml")));
    let source = files
        .get(&std::path::PathBuf::from(format!("rust/src/{name}.rs")))
        .unwrap_or_else(|| panic!("{name}.rs rendered"))
        .clone();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-rust"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{name}.rs"));
    std::fs::write(&file, &source).expect("write source");
    (file, source)
}

fn run(tool: &str, env: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let program = std::env::var(env).unwrap_or_else(|_| tool.to_owned());
    std::process::Command::new(&program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}` (it comes with the Rust toolchain: rustup component add rust-docs): {e}"))
}

#[test]
fn fixture_rust_output_compiles_without_warnings() {
    // Compiled as written to disk, so comment and string breakers in docs are
    // caught where the macro's tokens would hide them (a bare CR, `*/`).
    for name in FIXTURES {
        let (file, _) = rust_output(name);
        let dir = file.parent().expect("temp dir").as_os_str();
        let out = run(
            "rustc",
            "RUSTC",
            &[
                "--crate-type=lib".as_ref(),
                "--edition=2024".as_ref(),
                "-D".as_ref(),
                "warnings".as_ref(),
                "--out-dir".as_ref(),
                dir,
                file.as_os_str(),
            ],
        );
        assert!(
            out.status.success(),
            "rustc rejected the {name} Rust output:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Registry Markdown in docs must not become doctests that fail the consumer's `cargo test`.
        let crate_name = format!("--crate-name={name}");
        let doc = run(
            "rustdoc",
            "RUSTDOC",
            &[
                "--test".as_ref(),
                "--edition=2024".as_ref(),
                "--crate-type=lib".as_ref(),
                crate_name.as_ref(),
                file.as_os_str(),
            ],
        );
        assert!(
            doc.status.success(),
            "rustdoc --test failed on the {name} Rust output:\n{}{}",
            String::from_utf8_lossy(&doc.stdout),
            String::from_utf8_lossy(&doc.stderr)
        );
    }
}

/// Marks a deprecation note among the texts of [`rustdoc_markdown`].
const DEPRECATED: &str = "deprecated: ";

/// Every text rustdoc renders as Markdown: doc attributes and deprecation notes.
fn rustdoc_markdown(source: &str) -> Vec<String> {
    fn attrs(attrs: &[syn::Attribute], out: &mut Vec<String>) {
        for a in attrs {
            if let syn::Meta::NameValue(nv) = &a.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
            {
                out.push(s.value());
            }
            if a.path().is_ident("deprecated") {
                a.parse_nested_meta(|m| {
                    if m.path.is_ident("note") {
                        let s: syn::LitStr = m.value()?.parse()?;
                        out.push(format!("{DEPRECATED}{}", s.value()));
                    }
                    Ok(())
                })
                .expect("a deprecated attribute with a note");
            }
        }
    }
    struct Docs(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Docs {
        fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
            attrs(std::slice::from_ref(a), &mut self.0);
        }
    }
    let file: syn::File = syn::parse_str(source).expect("the Rust output parses");
    let mut docs = Docs(Vec::new());
    syn::visit::Visit::visit_file(&mut docs, &file);
    docs.0
}

#[test]
fn rustdoc_shows_registry_html_as_text() {
    use pulldown_cmark::{Event, Options, Parser};
    // The Markdown extensions rustdoc enables.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    for name in FIXTURES {
        let (file, source) = rust_output(name);
        let docs = rustdoc_markdown(&source);
        assert!(docs.len() > 10, "{name}: the doc texts were found");
        assert!(
            docs.iter().any(|d| d.starts_with(DEPRECATED)),
            "{name}: the deprecation notes were found"
        );
        for doc in &docs {
            let html: Vec<String> = Parser::new_ext(doc, options)
                .filter_map(|e| match e {
                    Event::Html(h) | Event::InlineHtml(h) => Some(h.into_string()),
                    _ => None,
                })
                .collect();
            assert!(
                html.is_empty(),
                "{name}: rustdoc would pass raw HTML {html:?} on from\n{doc}"
            );
        }
        // And rustdoc itself: no warning (unclosed tags, broken links), and
        // none of the fixtures' payloads in the pages as markup.
        let out_dir = file.parent().expect("temp dir").join("doc");
        let crate_name = format!("--crate-name={name}");
        let doc = run(
            "rustdoc",
            "RUSTDOC",
            &[
                "-D".as_ref(),
                "warnings".as_ref(),
                "--edition=2024".as_ref(),
                "--crate-type=lib".as_ref(),
                crate_name.as_ref(),
                "-o".as_ref(),
                out_dir.as_os_str(),
                file.as_os_str(),
            ],
        );
        assert!(
            doc.status.success(),
            "rustdoc failed on the {name} Rust output:\n{}",
            String::from_utf8_lossy(&doc.stderr)
        );
        let mut pages = 0;
        for page in walk(&out_dir.join(name)) {
            let html = std::fs::read_to_string(&page).expect("read a rustdoc page");
            pages += 1;
            for payload in ["<script>alert", "<img src=x", "<div onclick", "<b>", "<i>"] {
                assert!(
                    !html.contains(payload),
                    "{name}: {} carries `{payload}` as markup",
                    page.display()
                );
            }
        }
        assert!(pages > 3, "{name}: rustdoc wrote its pages");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    out
}

/// The program that prints every entry of a batch's generated catalogs as one
/// JSON line, and what `from_name` answers for every accepted name.
fn reader_program(registry: &errspec::Registry) -> String {
    let mut main = String::from(
        "fn json(s: &str) -> String {\n\
         \x20   let mut out = String::from(\"\\\"\");\n\
         \x20   for c in s.chars() {\n\
         \x20       match c {\n\
         \x20           '\"' => out.push_str(\"\\\\\\\"\"),\n\
         \x20           '\\\\' => out.push_str(\"\\\\\\\\\"),\n\
         \x20           c if (c as u32) < 0x20 => out.push_str(&format!(\"\\\\u{:04x}\", c as u32)),\n\
         \x20           c => out.push(c),\n\
         \x20       }\n\
         \x20   }\n\
         \x20   out.push('\"');\n\
         \x20   out\n\
         }\n\
         fn opt(s: Option<&str>) -> String { s.map_or(\"null\".to_owned(), json) }\n\
         fn main() {\n",
    );
    for c in &registry.catalogs {
        let module = &c.name.value;
        let ty = format!("{module}::{}", errspec_rust::variant(module));
        let code = if c.keyed_by == errspec::KeyedBy::Code {
            "e.code().to_string()"
        } else {
            "\"null\".to_owned()"
        };
        main.push_str(&format!(
            "    for e in {ty}::all() {{ println!(\"{{{{\\\"catalog\\\":\\\"{module}\\\",\\\"code\\\":{{}},\\\"name\\\":{{}},\\\"message\\\":{{}},\\\"trigger\\\":{{}},\\\"retry\\\":{{}},\\\"docs\\\":{{}},\\\"deprecation\\\":{{}}}}}}\", {code}, json(e.name()), json(e.message()), json(e.trigger()), json(&e.retry().to_string()), opt(e.docs()), opt(e.deprecation())); }}\n"
        ));
        for e in c.canonical_view().entries() {
            for name in e.accepted_names() {
                // Registry names are ASCII letters, digits and `_`: safe in a literal.
                main.push_str(&format!(
                    "    println!(\"{{{{\\\"catalog\\\":\\\"{module}\\\",\\\"probe\\\":\\\"{name}\\\",\\\"found\\\":{{}}}}}}\", opt({ty}::from_name(\"{name}\").map(|e| e.name())));\n"
                ));
            }
        }
    }
    main.push_str("}\n");
    main
}

proptest::proptest! {
    // Each case is a batch of catalogs compiled by one rustc run.
    #![proptest_config(errspec_tests::arbitrary::config(1))]

    /// Random valid registries: the generated Rust compiles without warnings and
    /// gives back every text, code, retry sentence and name of the registry.
    #[test]
    fn random_registries_compile_and_read_back(catalogs in errspec_tests::arbitrary::batch(8)) {
        let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rust-random");
        let registry_dir = dir.join("registry");
        errspec_tests::arbitrary::write(&registry_dir, &catalogs);
        let registry = errspec_tests::load(&registry_dir);
        let files = errspec_tests::render(&registry_dir);
        let src = dir.join("src");
        let _ = std::fs::remove_dir_all(&src);
        std::fs::create_dir_all(&src).expect("src dir");
        // Deprecated entries and alias consts are used on purpose.
        let mut main = String::from("#![allow(deprecated)]\n");
        for c in &registry.catalogs {
            let name = &c.name.value;
            let text = &files[&std::path::PathBuf::from(format!("rust/src/{name}.rs"))];
            std::fs::write(src.join(format!("{name}.rs")), text).expect("write a module");
            main.push_str(&format!("mod {name};\n"));
        }
        main.push_str(&reader_program(&registry));
        let main_rs = src.join("main.rs");
        std::fs::write(&main_rs, main).expect("write main.rs");
        let exe = dir.join("reader");
        let out = run("rustc", "RUSTC", &[
            "--edition=2024".as_ref(), "-D".as_ref(), "warnings".as_ref(),
            "-A".as_ref(), "dead_code".as_ref(), "-o".as_ref(), exe.as_os_str(), main_rs.as_os_str(),
        ]);
        proptest::prop_assert!(out.status.success(), "rustc rejected the generated Rust:\n{}", String::from_utf8_lossy(&out.stderr));
        let ran = std::process::Command::new(&exe).output().expect("run the reader");
        proptest::prop_assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&ran.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        for c in &registry.catalogs {
            let module = c.name.value.as_str();
            let entries: Vec<&serde_json::Value> = lines
                .iter()
                .filter(|l| l["catalog"] == module && l.get("probe").is_none())
                .collect();
            let view: Vec<errspec::ViewEntry<'_>> = c.canonical_view().entries().collect();
            proptest::prop_assert_eq!(entries.len(), view.len(), "{}: ALL", module);
            for (got, e) in entries.iter().zip(&view) {
                let want = serde_json::json!({
                    "catalog": module,
                    "code": e.entry.code.as_ref().map(|c| c.value),
                    "name": e.name.value,
                    "message": e.message.value,
                    "trigger": e.entry.trigger_text(),
                    "retry": e.entry.retry.value.to_string(),
                    "docs": e.entry.docs.as_ref().map(|d| d.value.clone()),
                    "deprecation": e.entry.deprecated.as_ref().map(|d| d.value.clone()),
                });
                proptest::prop_assert_eq!(*got, &want);
                for name in e.accepted_names() {
                    let found = lines.iter().find(|l| l["catalog"] == module && l["probe"] == name);
                    proptest::prop_assert_eq!(
                        found.map(|l| &l["found"]),
                        Some(&serde_json::json!(e.name.value)),
                        "{}: from_name({})", module, name
                    );
                }
            }
        }
    }
}

/// The parameters fixture: each view's `MediaArgs` variants, compiled by rustc and
/// run, write every message with hostile arguments exactly as the format says;
/// `message()` stays the template.
#[test]
fn params_format_hostile_arguments_in_rust() {
    use errspec_tests::params::{Arg, calls, check_output};
    let path = errspec_tests::fixture("params.yaml");
    let registry = errspec_tests::load(&path);
    let catalog = &registry.catalogs[0];
    // The oracle itself, by hand, on one entry.
    let busy = catalog.canonical_view().entries().next().expect("an entry");
    assert_eq!(
        errspec_tests::params::expected(
            busy.message_parts,
            &[
                ("device", errspec::ParamType::String, Arg::Str("Front {x}")),
                ("app_name", errspec::ParamType::String, Arg::Str("$y")),
            ]
        ),
        "Camera Front {x} is busy in $y."
    );
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("params-rust");
    std::fs::create_dir_all(&dir).expect("temp dir");
    for platform in [None, Some("web")] {
        let view = match platform {
            None => catalog.canonical_view(),
            Some(p) => catalog.view(p).expect("platform"),
        };
        let options = errspec_rust::Options {
            platform: platform.map(str::to_owned),
            ..Default::default()
        };
        let module = errspec_rust::emit(catalog, &options).expect("emit");
        let calls = calls(view);
        assert!(calls.len() >= 20, "{} calls", calls.len());
        let mut main =
            format!("#![allow(deprecated)]\nmod params {{\n{module}\n}}\n\nfn main() {{\n");
        for call in &calls {
            let variant = errspec_rust::variant(&call.entry.name.value);
            let fields: Vec<String> = call
                .args
                .iter()
                .map(|(name, _, arg)| {
                    let value = match arg {
                        Arg::Str(s) => errspec_rust::str_lit(s),
                        Arg::Int(i) => format!("{i}"),
                        Arg::Bool(b) => b.to_string(),
                        Arg::DurationMs(ms) => format!("std::time::Duration::from_millis({ms})"),
                    };
                    format!("{name}: {value}")
                })
                .collect();
            main.push_str(&format!(
                "    let a = params::ParamsArgs::{variant} {{ {} }};\n    assert_eq!(a.error(), params::Params::{variant});\n    assert_eq!(a.error().message(), {});\n    print!(\"{{a}}\\0\");\n",
                fields.join(", "),
                errspec_rust::str_lit(&call.entry.message.value),
            ));
        }
        main.push_str("}\n");
        let main_rs = dir.join("main.rs");
        std::fs::write(&main_rs, main).expect("write main.rs");
        let exe = dir.join("params");
        let out = run(
            "rustc",
            "RUSTC",
            &[
                "--edition=2024".as_ref(),
                "-D".as_ref(),
                "warnings".as_ref(),
                "-A".as_ref(),
                "dead_code".as_ref(),
                "-o".as_ref(),
                exe.as_os_str(),
                main_rs.as_os_str(),
            ],
        );
        assert!(
            out.status.success(),
            "rustc rejected the parameters program:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let ran = std::process::Command::new(&exe)
            .output()
            .expect("run the program");
        assert!(
            ran.status.success(),
            "{}",
            String::from_utf8_lossy(&ran.stderr)
        );
        check_output(&format!("Rust {platform:?}"), &calls, &ran.stdout);
    }
}
