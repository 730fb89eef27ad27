//! The generated TypeScript, checked by the real tools.
//!
//! For the shipped registry and the hostile-text fixture, the `typescript/` outputs are
//! written to a fresh directory, type-checked and compiled by the pinned `tsc`
//! (`tests/typescript/package-lock.json`, installed with `npm ci` on first use) with the
//! strict flags the issue names, and the emitted modules are loaded by Node
//! (`tests/typescript/check.mjs`). What they answer (`ALL`, `fromCode`, `fromName`, the
//! constant objects, `index.js`'s re-exports) is compared with the registry as `errspec`
//! loads it, in the view the template renders: the catalog's `web` platform where it has
//! one, else the canonical view.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use errspec::{Catalog, KeyedBy, RetryHint, ident};
use serde_json::{Value, json};

/// The flags the issue requires the generated files to pass.
const STRICT_FLAGS: &[&str] = &[
    "--strict",
    "--erasableSyntaxOnly",
    "--isolatedModules",
    "--noUncheckedIndexedAccess",
    "--exactOptionalPropertyTypes",
];

/// What it takes to emit ES modules that Node runs (with `{"type":"module"}` beside them).
const EMIT_FLAGS: &[&str] = &[
    "--module", "nodenext", "--target", "es2022", "--pretty", "false",
];

const HOW_TO_GET_NODE: &str = "the TypeScript check runs the pinned `tsc` and the emitted modules with Node.js \
     (18 or later) and npm, which must be on PATH: install them (e.g. `apt-get install nodejs npm`, \
     or a Node.js release, which bundles npm), then run `cargo test --workspace` again; the test \
     installs `tsc` itself with `npm ci` in tests/typescript";

/// The pinned tsc (run by Node in `dir`) with the strict and emit flags and `extra`, on
/// `files`, from `src` into `out`.
fn run_tsc(
    tsc: &Path,
    dir: &Path,
    (src, out): (&Path, &Path),
    extra: &[&str],
    files: impl IntoIterator<Item = PathBuf>,
) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec![tsc.into()];
    args.extend(
        STRICT_FLAGS
            .iter()
            .chain(EMIT_FLAGS)
            .chain(extra)
            .map(Into::into),
    );
    args.extend([
        "--rootDir".into(),
        src.into(),
        "--outDir".into(),
        out.into(),
    ]);
    args.extend(files.into_iter().map(Into::into));
    Command::new("node")
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}\n{HOW_TO_GET_NODE}"))
}

#[test]
fn shipped_registry_compiles_and_runs() {
    check(&errspec_tests::root().join("spec/registry"), "shipped");
}

/// Retired codes and names are no live errors: fromCode/fromName do not know them.
#[test]
fn retired_fixture_compiles_and_runs() {
    check(&errspec_tests::fixture("retired.yaml"), "retired");
}

#[test]
fn hostile_fixture_compiles_and_runs() {
    check(&errspec_tests::fixture("hostile.yaml"), "hostile");
}

#[test]
fn regression_fixture_compiles_and_runs() {
    check(&errspec_tests::fixture("regressions.yaml"), "regressions");
}

#[test]
fn params_fixture_compiles_and_runs() {
    check(&errspec_tests::fixture("params.yaml"), "params");
}

/// `trigger` and `retry` left out: an empty trigger text, no guidance.
#[test]
fn undocumented_fixture_compiles_and_runs() {
    let path = errspec_tests::root().join("spec/tests/fixtures/valid/trigger_unspecified.yaml");
    check(&path, "undocumented");
}

/// `ParamsFormat` of the params fixture's web view: a driver calls every formatter
/// with hostile arguments and writes the results, NUL-terminated; tsc compiles it
/// with the strict flags, where every `@ts-expect-error` line (a wrong type, a
/// missing or an unknown argument) must be an error; Node runs it. A probe without
/// the directives must fail to compile, at each of its lines.
#[test]
fn params_formatters_are_typed_and_format_hostile_arguments() {
    use errspec_tests::params::{Arg, calls, check_output};
    let tsc = tsc();
    let path = errspec_tests::fixture("params.yaml");
    let registry = errspec_tests::load(&path);
    let view = registry.catalogs[0].view("web").expect("the web view");
    let calls = calls(view);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-params-format");
    let _ = std::fs::remove_dir_all(&dir);
    let (src, out) = (dir.join("src"), dir.join("out"));
    for d in [&src, &out] {
        std::fs::create_dir_all(d).expect("create the temp dirs");
        std::fs::write(d.join("package.json"), "{\"type\":\"module\"}\n").expect("package.json");
    }
    let files = errspec_tests::render(&path);
    let module = &files[&PathBuf::from("typescript/params.ts")];
    std::fs::write(src.join("params.ts"), module).expect("write params.ts");
    let lit = |s: &str| {
        errspec_tests::language("typescript")
            .string(s)
            .unwrap_or_default()
    };
    let mut driver =
        String::from("import { ParamsFormat } from \"./params.js\";\nconst out: string[] = [];\n");
    for call in &calls {
        let fields: Vec<String> = call
            .args
            .iter()
            .map(|(name, _, arg)| {
                let value = match arg {
                    Arg::Str(s) => lit(s),
                    Arg::Int(i) => i.to_string(),
                    Arg::Bool(b) => b.to_string(),
                    Arg::DurationMs(ms) => ms.to_string(),
                };
                format!(
                    "{}: {value}",
                    errspec_tests::language("typescript")
                        .param_ident(name)
                        .unwrap_or_default()
                )
            })
            .collect();
        driver.push_str(&format!(
            "out.push(ParamsFormat.{}({{ {} }}));\n",
            call.entry.name.value,
            fields.join(", ")
        ));
    }
    // Every misuse the types must refuse.
    let misuses = [
        "ParamsFormat.CAMERA_BUSY({ device: 1, appName: \"a\" });",
        "ParamsFormat.CAMERA_BUSY({ device: \"d\" });",
        "ParamsFormat.CAMERA_BUSY({ device: \"d\", appName: \"a\", extra: 1 });",
        "ParamsFormat.STREAM_STALLED({ wait: \"2s\", frames: 1, live: true });",
        "ParamsFormat.STREAM_STALLED({ wait: 1, frames: 1, live: \"yes\" });",
        "ParamsFormat.COUNTED({ count: 1n, total: 2, isDefault: false });",
        "ParamsFormat.CAMERA_BUSY();",
        "ParamsFormat.PLAIN_MESSAGE;",
    ];
    // Type-checked, never run.
    driver.push_str("export function misuses(): void {\n");
    for m in misuses {
        driver.push_str("  // @ts-expect-error\n  ");
        driver.push_str(m);
        driver.push('\n');
    }
    driver.push_str("}\n");
    driver.push_str("process.stdout.write(out.map((s) => s + \"\\0\").join(\"\"));\n");
    driver.push_str("declare const process: { stdout: { write(s: string): void } };\n");
    std::fs::write(src.join("driver.ts"), &driver).expect("write driver.ts");
    let compile = |files: &[&str]| {
        let files = files.iter().map(|f| src.join(f));
        run_tsc(tsc, &dir, (&src, &out), &[], files)
    };
    let compiled = compile(&["params.ts", "driver.ts"]);
    assert!(
        compiled.status.success(),
        "tsc rejected the formatters or accepted a misuse (sources in {}):\n{}",
        src.display(),
        errspec_tests::output_text(&compiled)
    );
    let ran = Command::new("node")
        .arg(out.join("driver.js"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}\n{HOW_TO_GET_NODE}"));
    assert!(ran.status.success(), "{}", errspec_tests::output_text(&ran));
    check_output("TypeScript", &calls, &ran.stdout);
    // The control: without the directives, every misuse is a compile error at its line.
    let mut probe = String::from("import { ParamsFormat } from \"./params.js\";\n");
    for m in misuses {
        probe.push_str(m);
        probe.push('\n');
    }
    std::fs::write(src.join("probe.ts"), &probe).expect("write probe.ts");
    let rejected = compile(&["params.ts", "probe.ts"]);
    assert!(
        !rejected.status.success(),
        "tsc accepted the misuses:\n{probe}"
    );
    let text = errspec_tests::output_text(&rejected);
    for line in 2..2 + misuses.len() {
        assert!(
            text.contains(&format!("probe.ts({line},")),
            "no error on line {line} of the probe:\n{text}"
        );
    }
}

/// Issue 23: `tests/consumers/typescript/consumer.ts` (decoding a known and an unknown code,
/// throwing and catching `SdkError`, a `switch` with a `default`), compiled by tsc with the
/// strict flags against a copy of the shipped registry and run by Node; then the test adds
/// the code the consumer received as unknown, regenerates, and the same consumer compiles
/// and now knows it.
#[test]
fn consumer_survives_an_added_code() {
    use errspec_tests::consumer;
    let tsc = tsc();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-consumer");
    let registry = dir.join("registry");
    consumer::shipped_copy(&registry);
    let source = errspec_tests::root().join("tests/consumers/typescript/consumer.ts");
    for added in [false, true] {
        if added {
            consumer::add_code(&registry);
        }
        let (src, out) = (dir.join("src"), dir.join("out"));
        for d in [&src, &out] {
            let _ = std::fs::remove_dir_all(d);
            std::fs::create_dir_all(d).expect("create the temp dirs");
            std::fs::write(d.join("package.json"), "{\"type\":\"module\"}\n")
                .expect("package.json");
        }
        let files = codegen::Generator::new(&registry, "unused")
            .targets(["typescript"])
            .render()
            .unwrap_or_else(|e| panic!("{e}"));
        for (path, text) in &files {
            let file = src.join(path.strip_prefix("typescript").expect("a TypeScript file"));
            std::fs::write(file, text).expect("write a TypeScript file");
        }
        std::fs::copy(&source, src.join("consumer.ts")).expect("copy the consumer");
        let compiled = run_tsc(tsc, &dir, (&src, &out), &[], [src.join("consumer.ts")]);
        assert!(
            compiled.status.success(),
            "tsc rejected the consumer (added: {added}; sources in {})\n{}",
            src.display(),
            errspec_tests::output_text(&compiled)
        );
        let ran = Command::new("node")
            .arg(out.join("consumer.js"))
            .output()
            .unwrap_or_else(|e| panic!("cannot run node: {e}\n{HOW_TO_GET_NODE}"));
        consumer::assert_output("TypeScript", &ran, "SdkError", added);
    }
}

/// The longest catalog name the TypeScript row accepts gives tsc's longest output,
/// `<catalog>.d.ts.map` (`--declaration --declarationMap`), exactly 255 bytes; one
/// byte more is refused before rendering.
#[test]
fn the_longest_catalog_name_accepted_compiles_with_declaration_maps() {
    let tsc = tsc();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ts-longest");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the temp dir");
    let yaml = |name: &str| {
        format!(
            "catalog:\n  name: {name}\n  title: T\nerrors:\n  - code: 1\n    name: FAILED\n    message: Failed.\n    trigger: Always.\n    retry: never\n"
        )
    };
    let longest = format!("a{}", "b".repeat(245));
    let registry = dir.join("longest.yaml");
    std::fs::write(&registry, yaml(&longest)).expect("write the registry");
    let files = codegen::Generator::new(&registry, "unused")
        .targets(["typescript"])
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let src = dir.join("src");
    let out = dir.join("out");
    for (path, text) in &files {
        let file = src.join(path.strip_prefix("typescript").expect("a TypeScript file"));
        std::fs::create_dir_all(src.as_path()).expect("create src");
        std::fs::write(file, text).expect("write a TypeScript file");
    }
    let maps = ["--declaration", "--declarationMap", "--sourceMap"];
    let compiled = run_tsc(tsc, &dir, (&src, &out), &maps, [src.join("index.ts")]);
    assert!(
        compiled.status.success(),
        "{}",
        errspec_tests::output_text(&compiled)
    );
    let longest_file = std::fs::read_dir(&out)
        .expect("tsc's output")
        .map(|e| e.expect("an entry").file_name().len())
        .max();
    assert_eq!(longest_file, Some(255), "`{longest}.d.ts.map`");

    std::fs::write(&registry, yaml(&format!("{longest}b"))).expect("write the registry");
    let refused = codegen::Generator::new(&registry, "unused")
        .targets(["typescript"])
        .render()
        .expect_err("one byte too long")
        .to_string();
    assert!(
        refused.contains(
            "the TypeScript source map of tsc's declaration file would be named with 256 bytes"
        ),
        "{refused}"
    );
}

/// `tests/typescript`: the npm project that pins `tsc`, and the Node script.
fn npm_dir() -> PathBuf {
    errspec_tests::root().join("tests/typescript")
}

/// The pinned `tsc` script, installed once per test process.
fn tsc() -> &'static Path {
    static TSC: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match TSC.get_or_init(install_tsc) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

/// Runs `npm ci` when `tsc` is missing or is not the version the lock file pins.
fn install_tsc() -> Result<PathBuf, String> {
    let dir = npm_dir();
    let tsc = dir.join("node_modules/typescript/bin/tsc");
    let node = run_tool("node", &["--version"], &dir)
        .map_err(|e| format!("cannot run `node --version`: {e}\n{HOW_TO_GET_NODE}"))?;
    if !node.status.success() {
        return Err(format!(
            "`node --version` failed ({})\n{}\n{HOW_TO_GET_NODE}",
            node.status,
            errspec_tests::output_text(&node)
        ));
    }
    let pinned = json_file(&dir.join("package-lock.json"))?
        .pointer("/packages/node_modules~1typescript/version")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or("tests/typescript/package-lock.json pins no `typescript` version")?;
    let installed = json_file(&dir.join("node_modules/typescript/package.json"))
        .ok()
        .and_then(|p| p.get("version").and_then(Value::as_str).map(str::to_owned));
    if tsc.is_file() && installed.as_deref() == Some(pinned.as_str()) {
        return Ok(tsc);
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let out = run_tool(npm, &["ci", "--no-audit", "--no-fund"], &dir).map_err(|e| {
        format!(
            "cannot run `npm ci` in {}: {e}\n{HOW_TO_GET_NODE}",
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
    if !tsc.is_file() {
        return Err(format!(
            "`npm ci` in {} succeeded but {} is missing",
            dir.display(),
            tsc.display()
        ));
    }
    Ok(tsc)
}

fn run_tool(program: &str, args: &[&str], dir: &Path) -> Result<Output, String> {
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

/// Renders, compiles, runs and compares one registry.
fn check(registry_path: &Path, case: &str) {
    let tsc = tsc();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("typescript-{case}"));
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("src");
    let out = dir.join("out");
    let module_package = "{\"type\":\"module\"}\n";
    for d in [&src, &out] {
        std::fs::create_dir_all(d).expect("create the temp dirs");
        std::fs::write(d.join("package.json"), module_package).expect("write package.json");
    }

    let mut sources = Vec::new();
    for (path, text) in errspec_tests::render(registry_path) {
        if let Ok(rel) = path.strip_prefix("typescript") {
            let target = src.join(rel);
            std::fs::write(&target, text).expect("write a TypeScript file");
            sources.push(target);
        }
    }
    sources.sort();
    assert!(
        sources.iter().any(|p| p.ends_with("index.ts")),
        "no typescript/index.ts rendered: {sources:?}"
    );

    let compiled = run_tsc(tsc, &dir, (&src, &out), &[], sources.iter().cloned());
    assert!(
        compiled.status.success(),
        "tsc rejected the TypeScript generated from {} ({}; sources in {})\n{}",
        registry_path.display(),
        compiled.status,
        src.display(),
        errspec_tests::output_text(&compiled)
    );

    // Retired codes and names must be unknown to fromCode/fromName: probe them too.
    let probes: serde_json::Map<String, Value> = errspec_tests::load(registry_path)
        .catalogs
        .iter()
        .map(|c| {
            let codes: Vec<u32> = c
                .retired
                .iter()
                .filter_map(|r| r.code.as_ref().map(|x| x.value))
                .collect();
            let names: Vec<&str> = c
                .retired
                .iter()
                .flat_map(|r| r.names.iter().map(|n| n.value.as_str()))
                .collect();
            (
                c.name.value.clone(),
                serde_json::json!({ "codes": codes, "names": names }),
            )
        })
        .collect();
    let ran = Command::new("node")
        .arg(npm_dir().join("check.mjs"))
        .arg(&out)
        .env("ERRSPEC_PROBES", Value::Object(probes).to_string())
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}\n{HOW_TO_GET_NODE}"));
    assert!(
        ran.status.success(),
        "Node could not load the modules emitted in {} ({})\n{}",
        out.display(),
        ran.status,
        errspec_tests::output_text(&ran)
    );
    let report: Value = serde_json::from_slice(&ran.stdout).unwrap_or_else(|e| {
        panic!(
            "check.mjs printed no JSON: {e}\n{}",
            String::from_utf8_lossy(&ran.stdout)
        )
    });

    let registry = errspec_tests::load(registry_path);
    let mut problems = Vec::new();
    compare_index(&registry, &report["index"], &mut problems);
    let catalogs = report["catalogs"].as_object().cloned().unwrap_or_default();
    let expected_files: BTreeSet<&str> = registry
        .catalogs
        .iter()
        .map(|c| c.name.value.as_str())
        .collect();
    let actual_files: BTreeSet<&str> = catalogs.keys().map(String::as_str).collect();
    if expected_files != actual_files {
        problems.push(format!(
            "catalog modules: expected {expected_files:?}, got {actual_files:?}"
        ));
    }
    for catalog in &registry.catalogs {
        if let Some(actual) = catalogs.get(&catalog.name.value) {
            compare_catalog(catalog, actual, &mut problems);
        }
    }
    assert!(
        problems.is_empty(),
        "the TypeScript generated from {} (sources in {}) disagrees with the registry:\n- {}",
        registry_path.display(),
        src.display(),
        problems.join("\n- ")
    );
}

/// `index.js` re-exports each catalog module under its lowerCamelCase name, and nothing else.
fn compare_index(registry: &errspec::Registry, index: &Value, problems: &mut Vec<String>) {
    let expected: BTreeMap<String, Value> = registry
        .catalogs
        .iter()
        .map(|c| (ident::lower_camel(&c.name.value), json!(c.name.value)))
        .collect();
    let actual: BTreeMap<String, Value> = index
        .as_object()
        .map(|o| o.clone().into_iter().collect())
        .unwrap_or_default();
    if expected != actual {
        problems.push(format!(
            "index.js re-exports: expected {}, got {}",
            json!(expected),
            json!(actual)
        ));
    }
}

/// What one catalog module should hold, derived from the registry.
fn compare_catalog(catalog: &Catalog, actual: &Value, problems: &mut Vec<String>) {
    let file = format!("{}.js", catalog.name.value);
    let view = catalog
        .view("web")
        .unwrap_or_else(|| catalog.canonical_view());
    let by_code = catalog.keyed_by == KeyedBy::Code;
    let type_name = ident::upper_camel(&catalog.name.value);
    let constant = format!("{type_name}{}", if by_code { "Code" } else { "Name" });

    // Exports: the values only (types are erased); the error class and its factory.
    let error = format!("{type_name}Error");
    let create = format!("create{type_name}Error");
    let mut exports = vec!["ALL", "fromName", constant.as_str(), &error, &create];
    if by_code {
        exports.push("fromCode");
    }
    // The formatters, only where some entry has parameters.
    let format = format!("{type_name}Format");
    if view.entries().any(|e| !e.entry.params.is_empty()) {
        exports.push(&format);
    }
    exports.sort_unstable();
    let expected_exports = json!(exports);
    if actual["exports"] != expected_exports {
        problems.push(format!(
            "{file}: exports: expected {expected_exports}, got {}",
            actual["exports"]
        ));
    }

    let entries: Vec<errspec::ViewEntry<'_>> = view.entries().collect();
    let empty = Vec::new();
    let all = actual["all"].as_array().unwrap_or(&empty);
    let names = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|e| e["name"].as_str().unwrap_or("?").to_owned())
            .collect()
    };
    let expected_order: Vec<String> = entries.iter().map(|ve| ve.name.value.clone()).collect();
    if names(all) != expected_order {
        problems.push(format!(
            "{file}: ALL in this order: expected {expected_order:?}, got {:?}",
            names(all)
        ));
    }

    // The constant object: each name (then its former names) to its code, or to its name.
    let mut pairs = Vec::new();
    for ve in &entries {
        let value = match &ve.entry.code {
            Some(code) if by_code => json!(code.value),
            _ => json!(ve.name.value),
        };
        pairs.push(json!([ve.name.value, value]));
        for alias in &ve.entry.aliases {
            if alias.value != ve.name.value {
                pairs.push(json!([alias.value, value]));
            }
        }
    }
    let expected_constant = Value::Array(pairs);
    let actual_constant = &actual["constants"][&constant];
    if *actual_constant != expected_constant {
        problems.push(format!(
            "{file}: {constant}: expected {expected_constant}, got {actual_constant}"
        ));
    }

    let mut from_name = BTreeMap::new();
    for pair in actual["fromName"].as_array().unwrap_or(&empty) {
        from_name.insert(pair[0].as_str().unwrap_or("?").to_owned(), pair[1].clone());
    }
    let mut from_code = BTreeMap::new();
    for pair in actual["fromCode"].as_array().unwrap_or(&empty) {
        from_code.insert(pair[0].to_string(), pair[1].clone());
    }

    for (i, ve) in entries.iter().enumerate() {
        let e = ve.entry;
        let label = format!("{file}: ALL[{i}] ({})", ve.name.value);
        let expected = expected_entry(ve, by_code);
        let Some(got) = all.get(i) else {
            problems.push(format!("{label}: missing"));
            continue;
        };
        let keys: BTreeSet<&String> = expected
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .chain(got.as_object().into_iter().flatten().map(|(k, _)| k))
            .collect();
        for key in keys {
            if expected[key] != got[key] {
                problems.push(format!(
                    "{label}: `{key}`: expected {}, got {}",
                    expected[key], got[key]
                ));
            }
        }
        // Own keys as Node sees them: an optional field is absent, never `undefined`.
        let mut own: Vec<&str> = actual["allKeys"][i]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .filter_map(Value::as_str)
            .collect();
        own.sort_unstable();
        let mut expected_keys: Vec<&str> = expected
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        expected_keys.sort_unstable();
        if own != expected_keys {
            problems.push(format!(
                "{label}: own properties: expected {expected_keys:?}, got {own:?}"
            ));
        }

        let found = json!({ "index": i });
        if by_code && let Some(code) = &e.code {
            match from_code.get(&code.value.to_string()) {
                Some(got) if *got == found => {}
                got => problems.push(format!(
                    "{file}: fromCode({}): expected ALL[{i}], got {}",
                    code.value,
                    got.map_or("no answer".to_owned(), Value::to_string)
                )),
            }
        }
        let mut accepted = vec![ve.name.value.as_str(), e.name.value.as_str()];
        accepted.extend(e.aliases.iter().map(|a| a.value.as_str()));
        for name in accepted {
            match from_name.get(name) {
                Some(got) if *got == found => {}
                got => problems.push(format!(
                    "{file}: fromName({name:?}): expected ALL[{i}], got {}",
                    got.map_or("no answer".to_owned(), Value::to_string)
                )),
            }
        }
    }
    if all.len() > entries.len() {
        problems.push(format!(
            "{file}: ALL has {} entries, the view {}",
            all.len(),
            entries.len()
        ));
    }

    compare_errors(&file, &type_name, &entries, by_code, actual, problems);

    // Names and codes of no entry give `undefined`.
    let mut probes = vec![("fromName", &actual["unknownNames"])];
    if by_code {
        probes.push(("fromCode", &actual["unknownCodes"]));
    }
    for (function, list) in probes {
        let list = list.as_array().unwrap_or(&empty);
        if list.is_empty() {
            problems.push(format!(
                "{file}: no unknown values were tried on {function}"
            ));
        }
        for pair in list {
            if !pair[1].is_null() {
                problems.push(format!(
                    "{file}: {function}({}) of no entry: expected undefined, got {}",
                    pair[0], pair[1]
                ));
            }
        }
    }
}

/// `<Type>Error` (issue 23), thrown and caught: for each entry, with a message received and
/// without (the entry's then), and for codes or names of no entry, which it keeps.
fn compare_errors(
    file: &str,
    type_name: &str,
    entries: &[errspec::ViewEntry<'_>],
    by_code: bool,
    actual: &Value,
    problems: &mut Vec<String>,
) {
    let class = format!("{type_name}Error");
    if actual["hasErrorClass"] != json!(true) {
        problems.push(format!(
            "{file}: no {class} class and create{class} function"
        ));
        return;
    }
    let key = |ve: &errspec::ViewEntry<'_>| match &ve.entry.code {
        Some(code) if by_code => json!(code.value),
        _ => json!(ve.name.value),
    };
    let expect = |key: &Value, name: Option<&str>, message: &str, entry: Option<usize>| {
        let head = match (by_code, name) {
            (true, Some(name)) => format!("{class} {key} {name}"),
            (true, None) => format!("{class} {key}"),
            (false, name) => format!("{class} {}", name.or(key.as_str()).unwrap_or("?")),
        };
        let text = if message.is_empty() {
            head
        } else {
            format!("{head}: {message}")
        };
        json!({ "text": text, "instance": true, "name": class, "message": message, "key": key, "entry": entry })
    };
    let empty = Vec::new();
    let errors = actual["errors"].as_array().unwrap_or(&empty);
    for (i, ve) in entries.iter().enumerate() {
        let name = Some(ve.name.value.as_str());
        let k = key(ve);
        let with = expect(&k, name, "received", Some(i));
        let without = expect(&k, name, &ve.message.value, Some(i));
        for (j, want) in [with, without].iter().enumerate() {
            let got = &errors.get(i).map_or(Value::Null, |pair| pair[j].clone());
            if got != want {
                problems.push(format!(
                    "{file}: create{class}({k}{}): expected {want}, got {got}",
                    if j == 0 { ", \"received\"" } else { "" }
                ));
            }
        }
    }
    let unknown = actual["unknownErrors"].as_array().unwrap_or(&empty);
    if unknown.is_empty() {
        problems.push(format!(
            "{file}: no unknown code or name was given to create{class}"
        ));
    }
    for pair in unknown {
        let want = expect(&pair[0], None, "received", None);
        if pair[1] != want {
            problems.push(format!(
                "{file}: create{class}({}, \"received\") of no entry: expected {want}, got {}",
                pair[0], pair[1]
            ));
        }
    }
}

/// An entry as `ALL` should hold it (JSON of the JavaScript object).
fn expected_entry(ve: &errspec::ViewEntry<'_>, by_code: bool) -> Value {
    let e = ve.entry;
    let mut entry = serde_json::Map::new();
    if by_code && let Some(code) = &e.code {
        entry.insert("code".into(), json!(code.value));
    }
    entry.insert("name".into(), json!(ve.name.value));
    if e.name.value != ve.name.value {
        entry.insert("canonicalName".into(), json!(e.name.value));
    }
    entry.insert("message".into(), json!(ve.message.value));
    entry.insert("trigger".into(), json!(e.trigger_text()));
    entry.insert("retry".into(), retry(&e.retry.value));
    if let Some(docs) = &e.docs {
        entry.insert("docs".into(), json!(docs.value));
    }
    if let Some(deprecated) = &e.deprecated {
        entry.insert("deprecated".into(), json!(deprecated.value));
    }
    let aliases: Vec<&str> = e.aliases.iter().map(|a| a.value.as_str()).collect();
    entry.insert("aliases".into(), json!(aliases));
    // What fromName accepts, as errspec defines it for every target.
    entry.insert("acceptedNames".into(), json!(ve.accepted_names()));
    Value::Object(entry)
}

fn retry(hint: &RetryHint) -> Value {
    let ms = |d: &std::time::Duration| -> u64 {
        u64::try_from(d.as_millis()).expect("a duration in milliseconds fits u64")
    };
    match hint {
        RetryHint::Never => json!({ "kind": "never" }),
        RetryHint::After(d) => json!({ "kind": "after", "afterMs": ms(d) }),
        RetryHint::Backoff {
            initial,
            max,
            max_attempts,
        } => json!({
            "kind": "backoff",
            "initialMs": ms(initial),
            "maxMs": ms(max),
            "maxAttempts": max_attempts,
        }),
        RetryHint::AfterFix(fix) => json!({ "kind": "fix", "fix": fix }),
        RetryHint::Unspecified => json!({ "kind": "unspecified" }),
    }
}

proptest::proptest! {
    // Each case is a batch of catalogs checked by one tsc and one Node run.
    #![proptest_config(errspec_tests::arbitrary::config(2))]

    /// Random valid registries: tsc accepts the code and Node reads back every value.
    #[test]
    fn random_registries_compile_and_read_back(catalogs in errspec_tests::arbitrary::batch(12)) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-random-registry");
        errspec_tests::arbitrary::write(&dir, &catalogs);
        check(&dir, "random");
    }
}

/// The npm package (docs/packages.md): `npm pack` (whose `prepack` builds dist/
/// with the pinned tsc, from the generated tsconfig.json) accepts it; the tarball
/// installs offline into a fresh project, which imports it by name, the root and a
/// catalog's subpath, compiles under the strict flags with `nodenext` and with
/// `bundler` resolution, and runs under Node.
#[test]
fn the_package_packs_installs_offline_and_imports_by_name() {
    let tsc = tsc();
    let path = errspec_tests::root().join("spec/registry");
    let files = codegen::Generator::new(&path, "unused")
        .targets(["typescript"])
        .option("typescript", "package", "@acme/errors")
        .option("typescript", "version", "1.2.3")
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-package");
    let _ = std::fs::remove_dir_all(&dir);
    let (package, consumer) = (dir.join("package"), dir.join("consumer"));
    for (file, text) in &files {
        let to = package.join(file.strip_prefix("typescript").expect("typescript/"));
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(&to, text).expect("write");
    }
    // `prepack` runs `tsc`: the pinned one, first on PATH.
    let bin = npm_dir().join("node_modules/.bin");
    let path_var = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let pack = Command::new(npm)
        .args(["pack", "--offline", "--json"])
        .env("PATH", &path_var)
        .current_dir(&package)
        .output()
        .unwrap_or_else(|e| panic!("cannot run npm: {e}\n{HOW_TO_GET_NODE}"));
    assert!(
        pack.status.success(),
        "npm pack: {}",
        errspec_tests::output_text(&pack)
    );
    let report: Value = serde_json::from_slice(&pack.stdout).expect("npm pack --json");
    let packed: BTreeSet<&str> = report[0]["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    for needed in [
        "package.json",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/sdk.js",
        "dist/sdk.d.ts",
        "sdk.ts",
    ] {
        assert!(
            packed.contains(needed),
            "{needed} is not in the tarball: {packed:?}"
        );
    }
    assert!(!packed.contains("tsconfig.json"), "{packed:?}");
    let tarball = package.join(report[0]["filename"].as_str().expect("filename"));

    std::fs::create_dir_all(&consumer).expect("mkdir consumer");
    std::fs::write(
        consumer.join("package.json"),
        "{\"name\": \"consumer\", \"private\": true, \"type\": \"module\"}\n",
    )
    .expect("consumer package.json");
    let install = Command::new(npm)
        .args(["install", "--offline", "--no-audit", "--no-fund"])
        .arg(&tarball)
        .current_dir(&consumer)
        .output()
        .expect("npm install");
    assert!(
        install.status.success(),
        "npm install: {}",
        errspec_tests::output_text(&install)
    );

    let registry = errspec_tests::load(&path);
    let sdk = registry
        .catalogs
        .iter()
        .find(|c| c.name.value == "sdk")
        .expect("sdk");
    let view = sdk.view("web").expect("the web view");
    let entry = view
        .entries()
        .find(|e| e.entry.code.is_some())
        .expect("a coded entry");
    let code = entry.entry.code.as_ref().map(|c| c.value).expect("code");
    std::fs::write(
        consumer.join("main.ts"),
        format!(
            "import {{ sdk }} from \"@acme/errors\";\n\
             import {{ fromCode, type SdkEntry }} from \"@acme/errors/sdk\";\n\
             const viaRoot: SdkEntry | undefined = sdk.fromCode({code});\n\
             if (viaRoot === undefined || viaRoot !== fromCode({code})) {{\n\
             \x20 throw new Error(\"the root and the subpath disagree\");\n\
             }}\n\
             console.log(viaRoot.name);\n"
        ),
    )
    .expect("main.ts");
    let out = consumer.join("out");
    let compiled = run_tsc(
        tsc,
        &consumer,
        (&consumer, &out),
        &[],
        [consumer.join("main.ts")],
    );
    assert!(
        compiled.status.success(),
        "tsc (nodenext): {}",
        errspec_tests::output_text(&compiled)
    );
    let bundler = Command::new("node")
        .arg(tsc)
        .args(STRICT_FLAGS)
        .args([
            "--module",
            "esnext",
            "--moduleResolution",
            "bundler",
            "--noEmit",
            "main.ts",
        ])
        .current_dir(&consumer)
        .output()
        .expect("tsc");
    assert!(
        bundler.status.success(),
        "tsc (bundler): {}",
        errspec_tests::output_text(&bundler)
    );
    let ran = Command::new("node")
        .arg(out.join("main.js"))
        .current_dir(&consumer)
        .output()
        .expect("node");
    assert!(
        ran.status.success(),
        "node: {}",
        errspec_tests::output_text(&ran)
    );
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout).trim(),
        entry.name.value
    );
}
