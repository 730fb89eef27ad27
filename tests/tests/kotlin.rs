//! The generated Kotlin, compiled by the real Kotlin compiler and run on the JVM.
//!
//! The `kotlin/` outputs of the shipped registry and the hostile, regression and retired
//! fixtures (each in a package of its own, set with the `package` option; the hostile one's
//! has a keyword part, `in`) are compiled in one `kotlinc` run
//! (pinned by `tests/kotlin/package-lock.json`, installed with `npm ci` on first use) with a
//! `main` this test writes: it checks every entry's code, name, message, trigger, retry hint
//! and accepted names against the registry, in the view the template renders (`android`
//! where the catalog has it, else canonical), and that retired codes and names are unknown.
//! The expected texts are Kotlin literals escaped here, every non-ASCII or special
//! character as `\uXXXX`, not through the template's helper.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use errspec::{Catalog, KeyedBy, RetryHint, ident};
use serde_json::Value;

const HOW_TO_GET_KOTLIN: &str = "the Kotlin check runs the pinned `kotlinc` (npm package \
     `kotlin-compiler`, installed by the test with `npm ci` in tests/kotlin, so Node.js and npm \
     must be on PATH) and a JDK 17 or later (`java` on PATH, e.g. \
     `apt-get install openjdk-17-jdk-headless`); install them, then run `cargo test --workspace` again";

const CASES: &[(&str, &str)] = &[
    ("shipped", "spec/registry"),
    ("hostile", "tests/fixtures/hostile.yaml"),
    ("regressions", "tests/fixtures/regressions.yaml"),
    ("retired", "tests/fixtures/retired.yaml"),
    ("params", "tests/fixtures/params.yaml"),
    // `trigger` and `retry` left out: an empty trigger text, no guidance.
    (
        "undocumented",
        "spec/tests/fixtures/valid/trigger_unspecified.yaml",
    ),
];

#[test]
fn generated_kotlin_compiles_and_runs() {
    let kotlinc = install_kotlinc().unwrap_or_else(|e| panic!("{e}"));
    let java = run("java", &["-version"], Path::new("."))
        .unwrap_or_else(|e| panic!("cannot run `java -version`: {e}\n{HOW_TO_GET_KOTLIN}"));
    assert!(
        java.status.success(),
        "`java -version` failed\n{}\n{HOW_TO_GET_KOTLIN}",
        errspec_tests::output_text(&java)
    );

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kotlin");
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("create the temp dir");

    let mut sources = Vec::new();
    let mut main = String::from(MAIN_HEAD);
    let mut calls = String::new();
    for (case, rel) in CASES {
        let path = errspec_tests::root().join(rel);
        let package = match *case {
            "hostile" => format!("errspec.generated.in.{case}"),
            _ => format!("errspec.generated.{case}"),
        };
        let files = codegen::Generator::new(&path, "unused")
            .option("kotlin", "package", &package)
            .render()
            .unwrap_or_else(|e| panic!("{e}"));
        // Each file is in its package's directory (docs/packages.md).
        let package_dir = Path::new("kotlin").join(package.replace('.', "/"));
        // As Kotlin source spells it: the keyword part in backticks.
        let package = package.replace(".in.", ".`in`.");
        let mut rendered = 0;
        for (out, text) in files {
            if !out.starts_with("kotlin") {
                continue;
            }
            assert_eq!(
                out.parent(),
                Some(package_dir.as_path()),
                "{}",
                out.display()
            );
            assert!(
                text.contains(&format!("\npackage {package}\n")),
                "{}: no `package {package}` line",
                out.display()
            );
            let file = out.file_name().expect("a file name").to_string_lossy();
            let target = src.join(format!("{case}_{file}"));
            std::fs::write(&target, text).expect("write a Kotlin file");
            sources.push(target);
            rendered += 1;
        }
        let registry = errspec_tests::load(&path);
        assert_eq!(
            rendered,
            registry.catalogs.len(),
            "{case}: one .kt per catalog"
        );
        for catalog in &registry.catalogs {
            let fun = format!("check_{case}_{}", catalog.name.value);
            writeln!(calls, "    {fun}()").ok();
            check_catalog(&mut main, &fun, &package, catalog);
            if catalog.entries.iter().any(|e| !e.params.is_empty()) {
                let fun = format!("format_{case}_{}", catalog.name.value);
                writeln!(calls, "    {fun}()").ok();
                check_formatters(&mut main, &fun, &package, catalog);
            }
        }
    }
    main.push_str("fun main() {\n");
    main.push_str(&calls);
    main.push_str(MAIN_TAIL);
    let main_path = src.join("Main.kt");
    std::fs::write(&main_path, main).expect("write Main.kt");
    sources.push(main_path);

    let jar = dir.join("check.jar");
    let mut args: Vec<&std::ffi::OsStr> =
        vec!["-include-runtime".as_ref(), "-d".as_ref(), jar.as_os_str()];
    args.extend(sources.iter().map(|p| p.as_os_str()));
    let compiled = Command::new(&kotlinc)
        .args(&args)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}\n{HOW_TO_GET_KOTLIN}", kotlinc.display()));
    assert!(
        compiled.status.success(),
        "kotlinc rejected the generated Kotlin (sources in {})\n{}",
        src.display(),
        errspec_tests::output_text(&compiled)
    );
    let ran = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run java: {e}\n{HOW_TO_GET_KOTLIN}"));
    assert!(
        ran.status.success(),
        "the generated Kotlin disagrees with the registry (sources in {})\n{}",
        src.display(),
        errspec_tests::output_text(&ran)
    );
    assert!(
        String::from_utf8_lossy(&ran.stdout).contains("ok: "),
        "the check program printed no summary\n{}",
        errspec_tests::output_text(&ran)
    );
}

/// Issue 23: `tests/consumers/kotlin/Consumer.kt` (decoding a known and an unknown code,
/// throwing and catching `SdkException`, a `when` with an `else`), compiled by kotlinc against
/// a copy of the shipped registry and run on the JVM; then the test adds the code the consumer
/// received as unknown, regenerates, and the same consumer compiles and now knows it.
#[test]
fn consumer_survives_an_added_code() {
    use errspec_tests::consumer;
    let kotlinc = install_kotlinc().unwrap_or_else(|e| panic!("{e}"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kotlin-consumer");
    let registry = dir.join("registry");
    consumer::shipped_copy(&registry);
    let source = errspec_tests::root().join("tests/consumers/kotlin/Consumer.kt");
    for added in [false, true] {
        if added {
            consumer::add_code(&registry);
        }
        let src = dir.join("src");
        let _ = std::fs::remove_dir_all(&src);
        std::fs::create_dir_all(&src).expect("create the temp dir");
        let files = codegen::Generator::new(&registry, "unused")
            .targets(["kotlin"])
            .render()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut sources = vec![src.join("Consumer.kt")];
        std::fs::copy(&source, &sources[0]).expect("copy the consumer");
        for (path, text) in &files {
            let file = src.join(path.file_name().expect("a Kotlin file"));
            std::fs::write(&file, text).expect("write a Kotlin file");
            sources.push(file);
        }
        let jar = dir.join("consumer.jar");
        let mut args: Vec<&std::ffi::OsStr> =
            vec!["-include-runtime".as_ref(), "-d".as_ref(), jar.as_os_str()];
        args.extend(sources.iter().map(|p| p.as_os_str()));
        let compiled = Command::new(&kotlinc)
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run {}: {e}\n{HOW_TO_GET_KOTLIN}", kotlinc.display())
            });
        assert!(
            compiled.status.success(),
            "kotlinc rejected the consumer (added: {added}; sources in {})\n{}",
            src.display(),
            errspec_tests::output_text(&compiled)
        );
        let ran = Command::new("java")
            .args([
                "-cp".as_ref(),
                jar.as_os_str(),
                "consumer.ConsumerKt".as_ref(),
            ])
            .output()
            .unwrap_or_else(|e| panic!("cannot run java: {e}\n{HOW_TO_GET_KOTLIN}"));
        consumer::assert_output("Kotlin", &ran, "SdkException", added);
    }
}

/// The longest catalog name the validator accepts for Kotlin gives class files of
/// exactly 255 bytes (`<Type>Retry$Unspecified.class`), which kotlinc writes to a class
/// directory as Gradle has it do; one byte more is refused before rendering.
#[test]
fn the_longest_catalog_name_accepted_compiles_to_class_files() {
    let kotlinc = install_kotlinc().unwrap_or_else(|e| panic!("{e}"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kotlin-longest");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the temp dir");
    let yaml = |name: &str| {
        format!(
            "catalog:\n  name: {name}\n  title: T\nerrors:\n  - code: 1\n    name: FAILED\n    message: Failed.\n    trigger: Always.\n    retry: {{ fix: Retry. }}\n"
        )
    };
    let longest = format!("a{}", "b".repeat(231));
    let registry = dir.join("longest.yaml");
    std::fs::write(&registry, yaml(&longest)).expect("write the registry");
    let files = codegen::Generator::new(&registry, "unused")
        .targets(["kotlin"])
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let source = dir.join("longest.kt");
    std::fs::write(
        &source,
        &files[Path::new(&format!("kotlin/errspec/generated/{longest}.kt"))],
    )
    .expect("write the Kotlin file");
    let classes = dir.join("classes");
    let compiled = run(
        kotlinc.to_str().expect("a UTF-8 path"),
        &["-d", classes.to_str().expect("a UTF-8 path"), "longest.kt"],
        &dir,
    )
    .unwrap_or_else(|e| panic!("{e}\n{HOW_TO_GET_KOTLIN}"));
    assert!(
        compiled.status.success(),
        "{}",
        errspec_tests::output_text(&compiled)
    );
    let mut longest_class = 0;
    let mut stack = vec![classes];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read the class directory") {
            let entry = entry.expect("an entry");
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                longest_class = longest_class.max(entry.file_name().len());
            }
        }
    }
    assert_eq!(longest_class, 255, "the limit is exactly the JVM's file");

    std::fs::write(&registry, yaml(&format!("{longest}b"))).expect("write the registry");
    let refused = codegen::Generator::new(&registry, "unused")
        .targets(["kotlin"])
        .render()
        .expect_err("one byte too long")
        .to_string();
    assert!(
        refused.contains(
            "the Kotlin class file of the retry type's `Unspecified` would be named with 256 bytes"
        ),
        "{refused}"
    );
}

const MAIN_HEAD: &str = "package errspec.check

import kotlin.time.Duration.Companion.milliseconds

val failures = mutableListOf<String>()
var checks = 0

fun check(what: String, got: Any?, want: Any?) {
    checks++
    if (got != want) failures.add(\"$what: got <$got>, want <$want>\")
}

";

const MAIN_TAIL: &str = "    if (failures.isNotEmpty()) {
        failures.forEach { System.err.println(it) }
        kotlin.system.exitProcess(1)
    }
    println(\"ok: $checks checks\")
}
";

/// One function checking one catalog against the registry.
fn check_catalog(out: &mut String, fun: &str, package: &str, catalog: &Catalog) {
    let view = catalog
        .view("android")
        .unwrap_or_else(|| catalog.canonical_view());
    let ty = format!("{package}.{}", ident::upper_camel(&catalog.name.value));
    let by_code = catalog.keyed_by == KeyedBy::Code;
    // A code above Int's range makes every code of the catalog a Long; `check`
    // compares boxed values, so the expected ones must be Longs too.
    let wide = catalog
        .entries
        .iter()
        .filter_map(|e| e.code.as_ref())
        .chain(catalog.retired.iter().filter_map(|r| r.code.as_ref()))
        .any(|c| c.value > 2_147_483_647);
    let long = if wide { "L" } else { "" };
    let entries: Vec<errspec::ViewEntry<'_>> = view.entries().collect();
    let exception = format!("{}Exception", ident::upper_camel(&catalog.name.value));
    writeln!(out, "fun {fun}() {{").ok();
    let names: Vec<String> = entries
        .iter()
        .map(|e| lit(&kotlin_name(&e.name.value)))
        .collect();
    writeln!(
        out,
        "    check({}, {ty}.entries.map {{ it.name }}, listOf<String>({}))",
        lit(&format!("{fun}: entries")),
        names.join(", ")
    )
    .ok();
    for ve in &entries {
        let name = &ve.name.value;
        let at = |what: &str| lit(&format!("{fun}: {name}: {what}"));
        writeln!(out, "    run {{").ok();
        writeln!(
            out,
            "        val e = {ty}.fromName({}) ?: error({})",
            lit(name),
            at("fromName gave null")
        )
        .ok();
        writeln!(
            out,
            "        check({}, e.name, {})",
            at("name"),
            lit(&kotlin_name(name))
        )
        .ok();
        if let Some(code) = &ve.entry.code {
            writeln!(
                out,
                "        check({}, e.code, {}{long})",
                at("code"),
                code.value
            )
            .ok();
            writeln!(
                out,
                "        check({}, {ty}.fromCode({}), e)",
                at("fromCode"),
                code.value
            )
            .ok();
        }
        writeln!(
            out,
            "        check({}, e.message, {})",
            at("message"),
            lit(&ve.message.value)
        )
        .ok();
        writeln!(
            out,
            "        check({}, e.trigger, {})",
            at("trigger"),
            lit(ve.entry.trigger_text())
        )
        .ok();
        let retry = match &ve.entry.retry.value {
            RetryHint::Never => format!("{ty}Retry.Never"),
            RetryHint::After(d) => format!("{ty}Retry.After({}L)", d.as_millis()),
            RetryHint::Backoff {
                initial,
                max,
                max_attempts,
            } => format!(
                "{ty}Retry.Backoff({}L, {}L, {max_attempts}L)",
                initial.as_millis(),
                max.as_millis()
            ),
            RetryHint::AfterFix(fix) => format!("{ty}Retry.AfterFix({})", lit(fix)),
            RetryHint::Unspecified => format!("{ty}Retry.Unspecified"),
        };
        writeln!(out, "        check({}, e.retry, {retry})", at("retry")).ok();
        let accepted: Vec<String> = ve.accepted_names().iter().map(|n| lit(n)).collect();
        writeln!(
            out,
            "        check({}, e.acceptedNames, listOf<String>({}))",
            at("acceptedNames"),
            accepted.join(", ")
        )
        .ok();
        // Each former name is a deprecated companion value equal to the entry.
        for alias in ve.entry.aliases.iter().filter(|a| a.value != *name) {
            writeln!(
                out,
                "        @Suppress(\"DEPRECATION\") check({}, {ty}.{}, e)",
                at(&format!("former name {}", alias.value)),
                errspec_tests::language("kotlin").ident(&alias.value)
            )
            .ok();
        }
        for n in ve.accepted_names() {
            writeln!(
                out,
                "        check({}, {ty}.fromName({}), e)",
                at(&format!("fromName {n}")),
                lit(n)
            )
            .ok();
        }
        // The exception of the entry, with a message received and without (the entry's).
        let (key, head) = match &ve.entry.code {
            Some(code) if by_code => (
                code.value.to_string(),
                format!("{exception} {} {}", code.value, kotlin_name(name)),
            ),
            _ => (lit(name), format!("{exception} {}", kotlin_name(name))),
        };
        writeln!(
            out,
            "        check({}, {ty}.exception({key}, \"received\").toString(), {})",
            at("exception"),
            lit(&format!("{head}: received"))
        )
        .ok();
        writeln!(
            out,
            "        check({}, {ty}.exception({key}).entry, e)",
            at("exception's entry")
        )
        .ok();
        writeln!(
            out,
            "        check({}, {ty}.exception({key}).message, e.message)",
            at("exception's message")
        )
        .ok();
        writeln!(out, "    }}").ok();
    }
    for retired in &catalog.retired {
        if let (true, Some(code)) = (by_code, &retired.code) {
            let what = lit(&format!("{fun}: retired code {}", code.value));
            writeln!(
                out,
                "    check({what}, {ty}.fromCode({}), null)",
                code.value
            )
            .ok();
            // An unknown code's exception keeps it and the message received.
            writeln!(
                out,
                "    {ty}.exception({}, \"received\").let {{ check({what}, it.entry, null); check({what}, it.toString(), {}) }}",
                code.value,
                lit(&format!("{exception} {}: received", code.value))
            )
            .ok();
        }
        for n in &retired.names {
            let what = lit(&format!("{fun}: retired name {}", n.value));
            writeln!(
                out,
                "    check({what}, {ty}.fromName({}), null)",
                lit(&n.value)
            )
            .ok();
            if !by_code {
                writeln!(
                    out,
                    "    {ty}.exception({}, \"received\").let {{ check({what}, it.entry, null); check({what}, it.toString(), {}) }}",
                    lit(&n.value),
                    lit(&format!("{exception} {}: received", n.value))
                )
                .ok();
            }
        }
    }
    writeln!(out, "}}\n").ok();
}

/// One function calling every formatter of the catalog's Android view with the
/// hostile arguments of `errspec_tests::params`, by name, and comparing each
/// result with the text the format gives.
fn check_formatters(out: &mut String, fun: &str, package: &str, catalog: &Catalog) {
    use errspec_tests::params::{Arg, calls};
    let view = catalog
        .view("android")
        .unwrap_or_else(|| catalog.canonical_view());
    let ty = errspec::ident::upper_camel(&catalog.name.value);
    writeln!(out, "@Suppress(\"DEPRECATION\")\nfun {fun}() {{").ok();
    let calls = calls(view);
    assert!(
        !calls.is_empty(),
        "{}: no formatter call",
        catalog.name.value
    );
    for call in &calls {
        let args: Vec<String> = call
            .args
            .iter()
            .map(|(name, _, arg)| {
                let value = match arg {
                    Arg::Str(s) => lit(s),
                    Arg::Int(i) => format!("{i}L"),
                    Arg::Bool(b) => b.to_string(),
                    Arg::DurationMs(ms) => format!("{ms}L.milliseconds"),
                };
                format!(
                    "{} = {value}",
                    errspec_tests::language("kotlin")
                        .param_ident(name)
                        .unwrap_or_default()
                )
            })
            .collect();
        writeln!(
            out,
            "    check({}, {package}.{ty}Format.{}({}), {})",
            lit(&format!("{}Format.{}", ty, call.entry.name.value)),
            errspec_tests::language("kotlin").ident(&call.entry.name.value),
            args.join(", "),
            lit(&call.expected)
        )
        .ok();
    }
    writeln!(out, "}}\n").ok();
}

/// Kotlin's `name` of an entry: the registry name, but where the `kotlin` row escapes it.
fn kotlin_name(name: &str) -> String {
    errspec_tests::language("kotlin")
        .ident(name)
        .trim_matches('`')
        .to_owned()
}

/// A Kotlin string literal: printable ASCII but `\`, `"` and `$` as itself, the rest as `\uXXXX`.
fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for unit in s.encode_utf16() {
        match char::from_u32(u32::from(unit)) {
            Some(c) if (' '..='~').contains(&c) && !matches!(c, '\\' | '"' | '$') => out.push(c),
            _ => {
                write!(out, "\\u{unit:04x}").ok();
            }
        }
    }
    out.push('"');
    out
}

/// `tests/kotlin`: the npm project that pins `kotlin-compiler`.
fn npm_dir() -> PathBuf {
    errspec_tests::root().join("tests/kotlin")
}

/// Runs `npm ci` when `kotlinc` is missing or is not the version the lock file pins.
fn install_kotlinc() -> Result<PathBuf, String> {
    let dir = npm_dir();
    let kotlinc = dir.join("node_modules/kotlin-compiler/bin/kotlinc");
    let pinned = json_file(&dir.join("package-lock.json"))?
        .pointer("/packages/node_modules~1kotlin-compiler/version")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or("tests/kotlin/package-lock.json pins no `kotlin-compiler` version")?;
    let installed = json_file(&dir.join("node_modules/kotlin-compiler/package.json"))
        .ok()
        .and_then(|p| p.get("version").and_then(Value::as_str).map(str::to_owned));
    if kotlinc.is_file() && installed.as_deref() == Some(pinned.as_str()) {
        return Ok(kotlinc);
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let out = run(npm, &["ci", "--no-audit", "--no-fund"], &dir).map_err(|e| {
        format!(
            "cannot run `npm ci` in {}: {e}\n{HOW_TO_GET_KOTLIN}",
            dir.display()
        )
    })?;
    if !out.status.success() {
        return Err(format!(
            "`npm ci` in {} failed ({}); it needs the npm registry to be reachable\n{}",
            dir.display(),
            out.status,
            errspec_tests::output_text(&out)
        ));
    }
    if !kotlinc.is_file() {
        return Err(format!(
            "`npm ci` in {} succeeded but {} is missing",
            dir.display(),
            kotlinc.display()
        ));
    }
    Ok(kotlinc)
}

fn run(program: &str, args: &[&str], dir: &Path) -> Result<Output, String> {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| e.to_string())
}

fn json_file(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}
