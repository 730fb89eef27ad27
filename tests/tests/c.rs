//! The generated C headers, checked by gcc and g++ and run under valgrind.
//!
//! The `c/` outputs of the shipped registry, the hostile, regression, retired and
//! parameters fixtures, and a registry written here (comment closers and openers, `??/`
//! trigraphs, a backslash at a line's end, non-ASCII text followed by hex digits, a code
//! of 2^32 - 1), each rendered with a `prefix` of its own,
//! the other valid fixtures of the format, and the `web` and `flutter` views of the parameters
//! and hostile fixtures (renamed entries), are each compiled alone as C11 and as C++17 (`-Wall -Wextra -Werror -pedantic`). A check
//! program this test writes includes them all (the expected texts are C literals escaped
//! here, `errspec_tests::c::lit`, not through the template's helper), is compiled as C11 and
//! C++17, and run, the C build under `valgrind --error-exitcode=1`: every entry's code, name,
//! message, trigger, retry hint and constants, `from_code` and `from_name` for every code and
//! accepted name, retired and unknown codes and names (NULL), and the error of a code this
//! version does not know (its code and message kept). A property test does the same for
//! batches of random valid registries (`errspec_tests::arbitrary`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use errspec::{Catalog, KeyedBy, RetryHint, View};
use errspec_tests::c::lit;

/// (prefix, registry): each renders into the directory and with the prefix of that name.
const CASES: &[(&str, &str)] = &[
    ("shipped", "spec/registry"),
    ("hostile", "tests/fixtures/hostile.yaml"),
    ("regressions", "tests/fixtures/regressions.yaml"),
    ("retired", "tests/fixtures/retired.yaml"),
    ("params", "tests/fixtures/params.yaml"),
    (
        "undocumented",
        "spec/tests/fixtures/valid/trigger_unspecified.yaml",
    ),
    ("comments", COMMENTS),
    ("everything", "spec/tests/fixtures/valid/everything.yaml"),
    ("naming", "spec/tests/fixtures/valid/platform_naming.yaml"),
    (
        "unspecified",
        "spec/tests/fixtures/valid/retry_unspecified.yaml",
    ),
    // Catalogs `a_b`, `ab` and `ab_c` in one program.
    ("distinct", "spec/tests/fixtures/valid/distinct_catalogs"),
];

/// (prefix, registry, platform): the c target set to render a platform's view (names,
/// canonical names and messages of its own).
const PLATFORM_CASES: &[(&str, &str, &str)] = &[
    ("params_web", "tests/fixtures/params.yaml", "web"),
    ("hostile_flutter", "tests/fixtures/hostile.yaml", "flutter"),
];

/// The registry written by the test (its path in `CASES`).
const COMMENTS: &str = "comments.yaml";

/// Texts that end a C comment or literal early, or change it under `-std=c11`: `*/`, `/*`,
/// `??/` (a trigraph backslash) and `\` at a line's end (which splice the next line),
/// `??=` and other trigraphs in literals, non-ASCII before hex digits (`\xe9` then `ab`),
/// and a code of 2^32 - 1 (no C enum). (The validator refuses bidirectional controls.)
const COMMENTS_YAML: &str = r#"catalog:
  name: comments
  title: "Comments */ /* ??/ end \\"
  description: "A line ending in a backslash \\\nand one in a trigraph ??/\n*/ int x; /*"
errors:
  - code: 4294967295
    name: WIDE
    message: "Caf\u00e9ab ??= ??/ ??' \\ \" */ /* \U0001F600f"
    trigger: "Ends a comment */ and\nstarts one /* and splices \\\nand ??/\n\u00e9right"
    retry: { fix: "Fix ??( this ??) \u00e9" }
    aliases: [OLD_WIDE]
    deprecated: "Deprecated */ /* ??/"
  - code: 0
    name: ZERO
    message: "Zero."
    trigger: Always.
    retry: { backoff: { initial: 1ms, max: 8760h, attempts: 4294967295 } }
  - code: 2147483648
    name: PAST_INT
    message: "Past an int."
    retry: { after: 1s }
"#;

#[test]
fn generated_c_compiles_as_c11_and_cxx17_and_runs_under_valgrind() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("c");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("create the temp dir");
    std::fs::write(tmp.join(COMMENTS), COMMENTS_YAML).expect("write the registry");
    let mut cases: Vec<(&str, PathBuf, Option<&str>)> = CASES
        .iter()
        .map(|&(case, rel)| {
            let path = match rel {
                COMMENTS => tmp.join(COMMENTS),
                rel => errspec_tests::root().join(rel),
            };
            (case, path, None)
        })
        .collect();
    cases.extend(
        (PLATFORM_CASES.iter())
            .map(|&(case, rel, platform)| (case, errspec_tests::root().join(rel), Some(platform))),
    );
    check_program(&tmp.join("program"), &cases);
}

proptest::proptest! {
    // Each case is a batch of catalogs checked by one program.
    #![proptest_config(errspec_tests::arbitrary::config(2))]

    /// Random valid registries: gcc and g++ accept every header, and the check program
    /// finds every value.
    #[test]
    fn random_registries_compile_and_read_back(catalogs in errspec_tests::arbitrary::batch(12)) {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("c-random");
        let registry = tmp.join("registry");
        let _ = std::fs::remove_dir_all(&registry);
        errspec_tests::arbitrary::write(&registry, &catalogs);
        check_program(&tmp.join("program"), &[("random", registry, None)]);
    }
}

/// Issue 23: `tests/consumers/c/main.c` (an unknown code's error kept, a `switch` with a
/// `default`), compiled as C11 and run under valgrind against a copy of the shipped registry;
/// then the test adds the code the consumer received as unknown, regenerates, and the same
/// consumer builds and now knows it.
#[test]
fn consumer_survives_an_added_code() {
    use errspec_tests::consumer;
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("c-consumer");
    let registry = tmp.join("registry");
    consumer::shipped_copy(&registry);
    let program = tmp.join("program");
    for added in [false, true] {
        if added {
            consumer::add_code(&registry);
        }
        let _ = std::fs::remove_dir_all(&program);
        std::fs::create_dir_all(&program).expect("create the program dir");
        std::fs::copy(
            errspec_tests::root().join("tests/consumers/c/main.c"),
            program.join("main.c"),
        )
        .expect("copy the consumer");
        let files = codegen::Generator::new(&registry, "unused")
            .targets(["c"])
            .render()
            .unwrap_or_else(|e| panic!("{e}"));
        for (path, text) in &files {
            let file = program.join(path.strip_prefix("c").expect("a header"));
            std::fs::write(file, text).expect("write a header");
        }
        let mut args = errspec_tests::c::C_FLAGS.to_vec();
        args.extend(["-g", "main.c", "-o", "consumer"]);
        errspec_tests::c::run_ok("gcc", &args, &program);
        let ran = errspec_tests::c::run(
            "valgrind",
            &["-q", "--error-exitcode=1", "./consumer"],
            &program,
        );
        consumer::assert_output("C", &ran, "Sdk", added);
    }
}

/// The prefix option is one C identifier that starts no reserved one: refused at the
/// setting otherwise, naming the value.
#[test]
fn a_prefix_that_is_no_c_identifier_is_refused() {
    let registry = errspec_tests::root().join("spec/registry");
    for bad in ["a.b", "1abc", "a-b", "_Abc", "__x", "x__y", "abc_"] {
        let refused = codegen::Generator::new(&registry, "unused")
            .targets(["c"])
            .option("c", "prefix", bad)
            .render()
            .map(|_| ())
            .expect_err(bad);
        assert!(refused.to_string().contains(bad), "{bad}: {refused}");
    }
    let files = codegen::Generator::new(&registry, "unused")
        .targets(["c"])
        .option("c", "prefix", "vsdk")
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let sdk = &files[Path::new("c/sdk.h")];
    assert!(sdk.contains("vsdk_sdk_from_code(int64_t code)"), "{sdk}");
    assert!(sdk.contains("#ifndef vsdk_sdk_h\n"), "{sdk}");
}

/// Renders each case into `dir/<case>/`, checks each header alone, then writes, compiles
/// and runs the check program.
fn check_program(dir: &Path, cases: &[(&str, PathBuf, Option<&str>)]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create the program dir");
    let mut includes = String::new();
    let mut functions = String::new();
    let mut calls = String::new();
    for (case, path, platform) in cases {
        let mut generator = codegen::Generator::new(path, "unused")
            .targets(["c"])
            .option("c", "prefix", *case);
        if let Some(platform) = platform {
            generator = generator.platform("c", *platform);
        }
        let files = generator.render().unwrap_or_else(|e| panic!("{e}"));
        for (out, text) in files {
            let file = out.strip_prefix("c").expect("only c/ files");
            let target = dir.join(case).join(file);
            std::fs::create_dir_all(dir.join(case)).expect("create a case dir");
            std::fs::write(&target, text).expect("write a header");
            errspec_tests::c::check_header(&target, dir);
            writeln!(includes, "#include \"{case}/{}\"", file.display()).ok();
        }
        let registry = errspec_tests::load(path);
        for catalog in &registry.catalogs {
            let fun = format!("check_{case}_{}", catalog.name.value);
            writeln!(calls, "    {fun}();").ok();
            let view = catalog
                .view(platform.unwrap_or("native"))
                .unwrap_or_else(|| catalog.canonical_view());
            check_catalog(&mut functions, &fun, case, catalog, view);
        }
    }
    let program = format!("{HEAD}{includes}{CHECKS}{functions}int main(void) {{\n{calls}{TAIL}");
    std::fs::write(dir.join("check.c"), program).expect("write check.c");
    let c = errspec_tests::c::C_FLAGS;
    let cxx = errspec_tests::c::CXX_FLAGS;
    let build = |compiler: &str, flags: &[&str], lang: &str, exe: &str| {
        let mut args = flags.to_vec();
        // The headers pass the flags alone (`check_header`); the program's own expected
        // texts may be longer than ISO C's 4,095 characters.
        args.extend([
            "-Wno-overlength-strings",
            "-g",
            "-x",
            lang,
            "check.c",
            "-o",
            exe,
        ]);
        errspec_tests::c::run_ok(compiler, &args, dir);
    };
    build("gcc", c, "c", "check-c");
    build("g++", cxx, "c++", "check-cxx");
    for run in [
        &[
            "valgrind",
            "-q",
            "--error-exitcode=1",
            "--leak-check=full",
            "./check-c",
        ][..],
        &["./check-cxx"],
    ] {
        let out = errspec_tests::c::run_ok(run[0], &run[1..], dir);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("ok: "),
            "the check program printed no summary\n{}",
            errspec_tests::output_text(&out)
        );
    }
}

const HEAD: &str = "#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n\n";

const CHECKS: &str = "
static int failures;
static int checks;

static void check(const char *what, int ok) {
    checks++;
    if (!ok) {
        failures++;
        fprintf(stderr, \"failed: %s\\n\", what);
    }
}

static int same(const char *got, const char *want) {
    if (got == NULL || want == NULL) {
        return got == want;
    }
    return strcmp(got, want) == 0;
}

";

const TAIL: &str = "    if (failures > 0) {
        fprintf(stderr, \"%d of %d checks failed\\n\", failures, checks);
        return 1;
    }
    printf(\"ok: %d checks\\n\", checks);
    return 0;
}
";

/// One function checking one catalog against the registry, in the view rendered.
fn check_catalog(out: &mut String, fun: &str, prefix: &str, catalog: &Catalog, view: View<'_>) {
    let base = format!("{prefix}_{}", catalog.name.value);
    let constant = format!(
        "{prefix}_{}_",
        errspec::ident::upper_camel(&catalog.name.value)
    );
    let by_code = catalog.keyed_by == KeyedBy::Code;
    let entries: Vec<errspec::ViewEntry<'_>> = view.entries().collect();
    writeln!(out, "static void {fun}(void) {{").ok();
    let at = |what: &str| lit(&format!("{fun}: {what}"));
    writeln!(
        out,
        "    check({}, {base}_count == {});",
        at("count"),
        entries.len()
    )
    .ok();
    for (i, ve) in entries.iter().enumerate() {
        let name = &ve.name.value;
        let at = |what: &str| lit(&format!("{fun}: {name}: {what}"));
        writeln!(
            out,
            "    {{\n        const {base}_entry *e = &{base}_entries[{i}];"
        )
        .ok();
        let key = match &ve.entry.code {
            Some(code) if by_code => {
                let code = code.value;
                writeln!(out, "        check({}, e->code == {code});", at("code")).ok();
                writeln!(
                    out,
                    "        check({}, {base}_from_code({code}) == e);",
                    at("from_code")
                )
                .ok();
                // A code that a 32-bit conversion would wrap onto this one.
                writeln!(
                    out,
                    "        check({}, {base}_from_code({}) == NULL);",
                    at("from_code + 2^32"),
                    i64::from(code) + (1 << 32)
                )
                .ok();
                let make = format!("{base}_error_make({code}, \"received\")");
                writeln!(out, "        {{\n            {base}_error error = {make};").ok();
                writeln!(
                    out,
                    "            check({}, error.known == e && error.code == {code} && same({base}_error_message(&error), \"received\"));",
                    at("error_make")
                )
                .ok();
                writeln!(
                    out,
                    "            error = {base}_error_make({code}, NULL);\n            check({}, same({base}_error_message(&error), {}));\n        }}",
                    at("error_message"),
                    lit(&ve.message.value)
                )
                .ok();
                code.to_string()
            }
            _ => {
                writeln!(out, "        check({}, e->index == {i});", at("index")).ok();
                let make = format!("{base}_error_make({}, \"received\")", lit(name));
                writeln!(out, "        {{\n            {base}_error error = {make};").ok();
                writeln!(
                    out,
                    "            check({}, error.known == e && same({base}_error_message(&error), \"received\"));\n        }}",
                    at("error_make")
                )
                .ok();
                i.to_string()
            }
        };
        writeln!(
            out,
            "        check({}, {constant}{name} == {key});",
            at("constant")
        )
        .ok();
        for alias in ve.entry.aliases.iter().filter(|a| a.value != *name) {
            writeln!(
                out,
                "        check({}, {constant}{} == {key});",
                at(&format!("former name {}", alias.value)),
                alias.value
            )
            .ok();
        }
        writeln!(
            out,
            "        check({}, same(e->name, {}));",
            at("name"),
            lit(name)
        )
        .ok();
        writeln!(
            out,
            "        check({}, same(e->message, {}));",
            at("message"),
            lit(&ve.message.value)
        )
        .ok();
        let trigger = match &ve.entry.trigger {
            Some(t) => lit(&t.value),
            None => "NULL".to_owned(),
        };
        writeln!(
            out,
            "        check({}, same(e->trigger, {trigger}));",
            at("trigger")
        )
        .ok();
        let kind = |k: &str| format!("{base}_retry_{k}");
        let (k, after, initial, max, attempts, fix) = match &ve.entry.retry.value {
            RetryHint::Never => (kind("never"), 0, 0, 0, 0, "NULL".to_owned()),
            RetryHint::After(d) => (kind("after"), d.as_millis(), 0, 0, 0, "NULL".to_owned()),
            RetryHint::Backoff {
                initial,
                max,
                max_attempts,
            } => (
                kind("backoff"),
                0,
                initial.as_millis(),
                max.as_millis(),
                u128::from(*max_attempts),
                "NULL".to_owned(),
            ),
            RetryHint::AfterFix(f) => (kind("fix"), 0, 0, 0, 0, lit(f)),
            RetryHint::Unspecified => (kind("unspecified"), 0, 0, 0, 0, "NULL".to_owned()),
        };
        writeln!(
            out,
            "        check({}, e->retry.kind == {k} && e->retry.after_ms == {after} && e->retry.initial_ms == {initial} && e->retry.max_ms == {max} && e->retry.max_attempts == {attempts} && same(e->retry.fix, {fix}));",
            at("retry")
        )
        .ok();
        for n in ve.accepted_names() {
            writeln!(
                out,
                "        check({}, {base}_from_name({}) == e);",
                at(&format!("from_name {n}")),
                lit(n)
            )
            .ok();
        }
        writeln!(out, "    }}").ok();
    }
    // What this version does not know: NULL, and an error that keeps what it received.
    writeln!(
        out,
        "    check({}, {base}_from_name(\"NO SUCH NAME\") == NULL && {base}_from_name(NULL) == NULL);",
        at("unknown name")
    )
    .ok();
    if by_code {
        let taken: std::collections::BTreeSet<u32> = catalog
            .entries
            .iter()
            .filter_map(|e| e.code.as_ref().map(|c| c.value))
            .collect();
        let free = (0..).find(|c| !taken.contains(c)).unwrap_or_default();
        writeln!(
            out,
            "    {{\n        {base}_error error = {base}_error_make({free}, \"from the future\");\n        check({}, {base}_from_code({free}) == NULL && error.known == NULL && error.code == {free} && same({base}_error_message(&error), \"from the future\"));\n        error = {base}_error_make(-1, NULL);\n        check({}, error.known == NULL && same({base}_error_message(&error), \"\"));\n    }}",
            at("unknown code"),
            at("unknown code without a message")
        )
        .ok();
    } else {
        writeln!(
            out,
            "    {{\n        {base}_error error = {base}_error_make(\"NO SUCH NAME\", \"from the future\");\n        check({}, error.known == NULL && same(error.name, \"NO SUCH NAME\") && same({base}_error_message(&error), \"from the future\"));\n    }}",
            at("unknown name's error")
        )
        .ok();
    }
    for retired in &catalog.retired {
        if let (true, Some(code)) = (by_code, &retired.code) {
            writeln!(
                out,
                "    check({}, {base}_from_code({}) == NULL);",
                at(&format!("retired code {}", code.value)),
                code.value
            )
            .ok();
        }
        for n in &retired.names {
            writeln!(
                out,
                "    check({}, {base}_from_name({}) == NULL);",
                at(&format!("retired name {}", n.value)),
                lit(&n.value)
            )
            .ok();
        }
    }
    writeln!(out, "}}\n").ok();
}
