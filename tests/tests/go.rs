//! The generated Go, checked by the Go toolchain and run.
//!
//! The `go/` outputs of the shipped registry, the hostile, regression, retired and
//! parameters fixtures, and a registry written here whose parameters are named as Go's
//! predeclared identifiers and packages (`string`, `len`, `nil`, `time`, ...) and whose
//! texts hold byte order marks, backquotes and `Deprecated:` lines, are each rendered into a
//! package of their own (set with the `package` option; the hostile one is a keyword, `type`)
//! of one module, which `go vet` and `go build` check; so are the parameters fixture's `web`
//! view and the hostile one's `flutter` view (renamed entries: canonical names accepted). A
//! `main` this test writes, run with `go run`, checks every entry's code, name, message,
//! trigger, retry hint and accepted names against the registry, in the view rendered, each former name's constant, that
//! retired codes and names are unknown, and every formatter's text for the hostile arguments
//! of `errspec_tests::params`. The expected texts are Go literals escaped here, every
//! character but printable ASCII as `\uXXXX` or `\UXXXXXXXX`, not through the template's
//! helper. The code (the lines that are no comment) is laid out as `gofmt` lays it out.
//!
//! A property test does the same for batches of random valid registries
//! (`errspec_tests::arbitrary`).
//!
//! Go runs offline: no module has a dependency, `GOTOOLCHAIN=local`, `GOPROXY=off`, and its
//! caches are under the target directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use errspec::{Catalog, KeyedBy, RetryHint, View};

/// (package, registry): each renders into the package of that name.
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
    ("shadows", SHADOWS),
];

/// (package, registry, platform): the go target set to render a platform's view
/// (names, canonical names and messages of its own).
const PLATFORM_CASES: &[(&str, &str, &str)] = &[
    ("params_web", "tests/fixtures/params.yaml", "web"),
    ("hostile_flutter", "tests/fixtures/hostile.yaml", "flutter"),
];

/// The registry written by the test (its path in `CASES`).
const SHADOWS: &str = "shadows.yaml";

/// Parameters named as what Go declares outside a function (predeclared identifiers,
/// the packages the output imports, a helper's name without its `_`), texts with a byte
/// order mark (which Go refuses in a source file), backquotes (which end a raw string),
/// `Deprecated:` and `//go:` at a line's start, and a code above 2^31 - 1 (an `int64` type).
const SHADOWS_YAML: &str = r#"catalog:
  name: shadows
  title: "\ufeffShadows `raw` \"title\""
  description: "Deprecated: not really.\n//go:build ignore\n*/ /* `x`"
errors:
  - code: 2147483648
    name: PREDECLARED
    message: "\ufeff{string} {len} {nil} {error} {time} {strconv} {iota} {true} {errspec_int} `b` \\ \"q\""
    trigger: "Deprecated: a trigger line, no deprecation.\n\ufeff\n//go:generate echo\n+build linux\n  go:build ignore\n`raw` \"q\" \\"
    retry: { after: 8760h }
    params:
      string: { type: string, description: "Deprecated: no." }
      len: { type: int, description: "\ufeffA length." }
      nil: { type: bool, description: Nil. }
      error: { type: duration, description: An error. }
      time: { type: duration, description: A time. }
      strconv: { type: int, description: A package's name. }
      iota: { type: string, description: A constant's name. }
      "true": { type: bool, description: A constant's name. }
      errspec_int: { type: int, description: A helper's name without its underscore. }
  - code: 0
    name: ZERO
    message: "Zero `\ufeff`."
    trigger: Always.
    retry: { fix: "Fix `this` \ufeff." }
    aliases: [NIL, STRING]
    deprecated: "Deprecated: twice; \ufeff."
"#;

/// The hostile fixture's package: a Go keyword, which the template writes `type_`.
const HOSTILE_PACKAGE: &str = "type";

#[test]
fn generated_go_vets_builds_and_runs() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go");
    std::fs::create_dir_all(&tmp).expect("create the temp dir");
    std::fs::write(tmp.join(SHADOWS), SHADOWS_YAML).expect("write the registry");
    let mut cases: Vec<Case<'_>> = CASES
        .iter()
        .map(|&(case, rel)| {
            let registry = match rel {
                SHADOWS => tmp.join(SHADOWS),
                rel => errspec_tests::root().join(rel),
            };
            let package = if case == "hostile" {
                HOSTILE_PACKAGE
            } else {
                case
            };
            Case {
                dir: case,
                registry,
                package,
                platform: None,
            }
        })
        .collect();
    cases.extend(PLATFORM_CASES.iter().map(|&(case, rel, platform)| Case {
        dir: case,
        registry: errspec_tests::root().join(rel),
        package: case,
        platform: Some(platform),
    }));
    check_module(&tmp, &cases);
}

/// Issue 23: `tests/consumers/go/main.go` (decoding a known and an unknown code, returning
/// a wrapped `*SdkError` and finding it with `errors.As`, a `switch` with a `default`), vetted
/// and run against a copy of the shipped registry; then the test adds the code the consumer
/// received as unknown, regenerates, and the same consumer builds and now knows it.
#[test]
fn consumer_survives_an_added_code() {
    use errspec_tests::consumer;
    let go = errspec_tests::go::find().unwrap_or_else(|e| panic!("{e}"));
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-consumer");
    let registry = tmp.join("registry");
    consumer::shipped_copy(&registry);
    let module = tmp.join("module");
    for added in [false, true] {
        if added {
            consumer::add_code(&registry);
        }
        let _ = std::fs::remove_dir_all(&module);
        let package = module.join("errspec");
        std::fs::create_dir_all(&package).expect("create the module");
        std::fs::write(module.join("go.mod"), "module errspecconsumer\n\ngo 1.18\n")
            .expect("go.mod");
        std::fs::copy(
            errspec_tests::root().join("tests/consumers/go/main.go"),
            module.join("main.go"),
        )
        .expect("copy the consumer");
        let files = codegen::Generator::new(&registry, "unused")
            .targets(["go"])
            .render()
            .unwrap_or_else(|e| panic!("{e}"));
        for (path, text) in &files {
            let file = package.join(path.strip_prefix("go").expect("a Go file"));
            std::fs::write(file, text).expect("write a Go file");
        }
        let vet = errspec_tests::go::run(&go, &tmp, &module, &["vet", "./..."]);
        assert!(
            vet.status.success(),
            "`go vet` failed on the consumer (added: {added}; module in {})\n{}",
            module.display(),
            errspec_tests::output_text(&vet)
        );
        let ran = errspec_tests::go::run(&go, &tmp, &module, &["run", "."]);
        consumer::assert_output("Go", &ran, "Sdk", added);
    }
}

proptest::proptest! {
    // Each case is a batch of catalogs checked by one `go vet`, `go build` and `go run`.
    #![proptest_config(errspec_tests::arbitrary::config(2))]

    /// Random valid registries: Go accepts the code and the check program reads back every value.
    #[test]
    fn random_registries_vet_build_and_read_back(catalogs in errspec_tests::arbitrary::batch(12)) {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-random");
        let registry = tmp.join("registry");
        errspec_tests::arbitrary::write(&registry, &catalogs);
        let case = Case { dir: "random", registry, package: "random", platform: None };
        check_module(&tmp, &[case]);
    }
}

/// One registry rendered into one package of the module.
struct Case<'a> {
    /// The package's directory, and its import's alias after `c_`.
    dir: &'a str,
    registry: PathBuf,
    /// The `package` option.
    package: &'a str,
    /// `--platform go=ID`; `None`: the template's canonical view.
    platform: Option<&'a str>,
}

/// Renders each case's registry into a package of one module under `tmp`, writes the
/// check program, then runs `go vet`, `go build` and `go run` on it and compares each
/// file's code with gofmt's layout.
fn check_module(tmp: &Path, cases: &[Case<'_>]) {
    let go = errspec_tests::go::find().unwrap_or_else(|e| panic!("{e}"));
    let module = tmp.join("module");
    let _ = std::fs::remove_dir_all(&module);
    std::fs::create_dir_all(&module).expect("create the temp dir");
    std::fs::write(module.join("go.mod"), "module errspeccheck\n\ngo 1.18\n").expect("go.mod");

    let mut imports = String::new();
    let mut main = String::new();
    let mut calls = String::new();
    let mut sources = Vec::new();
    for Case {
        dir: case,
        registry: path,
        package,
        platform,
    } in cases
    {
        let mut generator = codegen::Generator::new(path, "unused")
            .targets(["go"])
            .option("go", "package", *package);
        if let Some(platform) = platform {
            generator = generator.platform("go", *platform);
        }
        let files = generator.render().unwrap_or_else(|e| panic!("{e}"));
        let dir = module.join(case);
        std::fs::create_dir_all(&dir).expect("create a package dir");
        let clause = errspec_tests::language("go").path(package);
        let mut rendered = 0;
        for (out, text) in files {
            let Ok(file) = out.strip_prefix("go") else {
                panic!("{case}: the go target wrote {}", out.display());
            };
            assert!(
                text.contains(&format!("\npackage {clause}\n")),
                "{}: no `package {clause}` line",
                out.display()
            );
            let target = dir.join(file);
            std::fs::write(&target, text).expect("write a Go file");
            sources.push(target);
            rendered += 1;
        }
        // Judged by Go's rules alone, as the run above (`string` is no keyword in Go).
        let options = errspec::LoadOptions {
            languages: errspec::Languages::none().with(errspec_tests::language("go")),
            ..errspec::LoadOptions::default()
        };
        let registry =
            errspec::load_with(Path::new("."), path, options).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(
            rendered,
            registry.catalogs.len() + 1,
            "{case}: one file per catalog and errspec.go"
        );
        let alias = format!("c_{case}");
        writeln!(imports, "\t{alias} \"errspeccheck/{case}\"").ok();
        for catalog in &registry.catalogs {
            let fun = format!("check_{case}_{}", catalog.name.value);
            writeln!(calls, "\t{fun}()").ok();
            let view = platform
                .and_then(|p| catalog.view(p))
                .unwrap_or_else(|| catalog.canonical_view());
            check_catalog(&mut main, &fun, &alias, catalog, view);
            if catalog.entries.iter().any(|e| !e.params.is_empty()) {
                let fun = format!("format_{case}_{}", catalog.name.value);
                writeln!(calls, "\t{fun}()").ok();
                check_formatters(&mut main, &fun, &alias, catalog, view);
            }
        }
    }
    let program =
        format!("{MAIN_HEAD}{imports}){MAIN_CHECKS}{main}func main() {{\n{calls}{MAIN_TAIL}");
    std::fs::write(module.join("main.go"), program).expect("write main.go");

    for args in [&["vet", "./..."][..], &["build", "./..."], &["run", "."]] {
        let out = errspec_tests::go::run(&go, tmp, &module, args);
        assert!(
            out.status.success(),
            "`go {}` failed on the generated Go (module in {})\n{}",
            args.join(" "),
            module.display(),
            errspec_tests::output_text(&out)
        );
        if args[0] == "run" {
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("ok: "),
                "the check program printed no summary\n{}",
                errspec_tests::output_text(&out)
            );
        }
    }
    for source in &sources {
        assert_gofmt_layout(&go, source);
    }
}

/// The file's code is as `gofmt` lays it out. Comment lines are left out of the
/// comparison: gofmt rewrites doc comments (Markdown lists and fences in registry
/// texts become Go doc lists and code blocks), which the registry's text decides.
fn assert_gofmt_layout(go: &Path, file: &Path) {
    let gofmt = errspec_tests::go::gofmt(go);
    let out = Command::new(&gofmt).arg(file).output().unwrap_or_else(|e| {
        let how = errspec_tests::go::HOW_TO_GET_GO;
        panic!("cannot run {}: {e}\n{how}", gofmt.display())
    });
    assert!(
        out.status.success(),
        "gofmt: {}",
        errspec_tests::output_text(&out)
    );
    let code = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(str::to_owned)
            .collect()
    };
    let text = std::fs::read_to_string(file).expect("read a Go file");
    let formatted = String::from_utf8_lossy(&out.stdout);
    let (ours, theirs) = (code(&text), code(&formatted));
    if let Some((i, (a, b))) = ours
        .iter()
        .zip(&theirs)
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "{}: code line {} is not gofmt's:\n  ours:   {a}\n  gofmt's: {b}",
            file.display(),
            i + 1
        );
    }
    assert_eq!(ours.len(), theirs.len(), "{}: gofmt", file.display());
}

const MAIN_HEAD: &str = "package main

import (
\t\"fmt\"
\t\"os\"
\t\"time\"

";

const MAIN_CHECKS: &str = "

var failures []string
var checks int

func check(what string, got, want interface{}) {
\tchecks++
\tif got != want {
\t\tfailures = append(failures, fmt.Sprintf(\"%s: got <%#v>, want <%#v>\", what, got, want))
\t}
}

func checkStrings(what string, got, want []string) {
\tchecks++
\tsame := len(got) == len(want)
\tfor i := 0; same && i < len(got); i++ {
\t\tsame = got[i] == want[i]
\t}
\tif !same {
\t\tfailures = append(failures, fmt.Sprintf(\"%s: got <%#v>, want <%#v>\", what, got, want))
\t}
}

func names[T interface{ Name() string }](values []T) []string {
\tout := make([]string, 0, len(values))
\tfor _, v := range values {
\t\tout = append(out, v.Name())
\t}
\treturn out
}

var _ = time.Millisecond

";

const MAIN_TAIL: &str = "\tif len(failures) > 0 {
\t\tfor _, f := range failures {
\t\t\tfmt.Fprintln(os.Stderr, f)
\t\t}
\t\tos.Exit(1)
\t}
\tfmt.Printf(\"ok: %d checks\\n\", checks)
}
";

/// One function checking one catalog against the registry, in the view rendered.
fn check_catalog(out: &mut String, fun: &str, pkg: &str, catalog: &Catalog, view: View<'_>) {
    let ty = format!("{pkg}.{}", ty_name(catalog));
    let by_code = catalog.keyed_by == KeyedBy::Code;
    let wide = catalog
        .entries
        .iter()
        .filter_map(|e| e.code.as_ref())
        .chain(catalog.retired.iter().filter_map(|r| r.code.as_ref()))
        .any(|c| c.value > 2_147_483_647);
    let entries: Vec<errspec::ViewEntry<'_>> = view.entries().collect();
    writeln!(out, "func {fun}() {{").ok();
    let all: Vec<String> = entries.iter().map(|e| lit(&e.name.value)).collect();
    writeln!(
        out,
        "\tcheckStrings({}, names({ty}Values()), []string{{{}}})",
        lit(&format!("{fun}: values")),
        all.join(", ")
    )
    .ok();
    for ve in &entries {
        let name = &ve.name.value;
        let at = |what: &str| lit(&format!("{fun}: {name}: {what}"));
        writeln!(out, "\t{{").ok();
        writeln!(out, "\t\te, ok := {ty}FromName({})", lit(name)).ok();
        writeln!(out, "\t\tcheck({}, ok, true)", at("FromName ok")).ok();
        writeln!(out, "\t\tcheck({}, e, {ty}_{name})", at("FromName")).ok();
        writeln!(out, "\t\tcheck({}, e.Name(), {})", at("Name"), lit(name)).ok();
        writeln!(
            out,
            "\t\tcheck({}, e.String(), {})",
            at("String"),
            lit(name)
        )
        .ok();
        match &ve.entry.code {
            Some(code) => {
                let code = code.value;
                writeln!(out, "\t\tcheck({}, int64(e), int64({code}))", at("code")).ok();
                writeln!(out, "\t\tc, ok := {ty}FromCode({code})").ok();
                writeln!(out, "\t\tcheck({}, ok, true)", at("FromCode ok")).ok();
                writeln!(out, "\t\tcheck({}, c, e)", at("FromCode")).ok();
                if !wide {
                    // A code that an `int32` conversion would wrap onto this one.
                    writeln!(
                        out,
                        "\t\t_, ok = {ty}FromCode({})",
                        i64::from(code) + (1 << 32)
                    )
                    .ok();
                    writeln!(out, "\t\tcheck({}, ok, false)", at("FromCode + 2^32")).ok();
                }
            }
            None => {
                writeln!(out, "\t\tcheck({}, string(e), {})", at("value"), lit(name)).ok();
            }
        }
        writeln!(
            out,
            "\t\tcheck({}, e.Message(), {})",
            at("Message"),
            lit(&ve.message.value)
        )
        .ok();
        writeln!(
            out,
            "\t\tcheck({}, e.Trigger(), {})",
            at("Trigger"),
            lit(ve.entry.trigger_text())
        )
        .ok();
        let ms = |d: &std::time::Duration| format!("{} * time.Millisecond", d.as_millis());
        let retry = match &ve.entry.retry.value {
            RetryHint::Never => format!("{ty}Retry{{Kind: {ty}RetryNever}}"),
            RetryHint::After(d) => format!("{ty}Retry{{Kind: {ty}RetryAfter, Delay: {}}}", ms(d)),
            RetryHint::Backoff {
                initial,
                max,
                max_attempts,
            } => format!(
                "{ty}Retry{{Kind: {ty}RetryBackoff, Initial: {}, Max: {}, MaxAttempts: {max_attempts}}}",
                ms(initial),
                ms(max)
            ),
            RetryHint::AfterFix(fix) => {
                format!("{ty}Retry{{Kind: {ty}RetryAfterFix, Fix: {}}}", lit(fix))
            }
            RetryHint::Unspecified => format!("{ty}Retry{{Kind: {ty}RetryUnspecified}}"),
        };
        writeln!(out, "\t\tcheck({}, e.Retry(), {retry})", at("Retry")).ok();
        let kind = match &ve.entry.retry.value {
            RetryHint::Never => "never",
            RetryHint::After(_) => "after",
            RetryHint::Backoff { .. } => "backoff",
            RetryHint::AfterFix(_) => "fix",
            RetryHint::Unspecified => "unspecified",
        };
        writeln!(
            out,
            "\t\tcheck({}, e.Retry().Kind.String(), {})",
            at("Retry().Kind.String()"),
            lit(kind)
        )
        .ok();
        let accepted: Vec<String> = ve.accepted_names().iter().map(|n| lit(n)).collect();
        writeln!(
            out,
            "\t\tcheckStrings({}, e.AcceptedNames(), []string{{{}}})",
            at("AcceptedNames"),
            accepted.join(", ")
        )
        .ok();
        // Each former name is a deprecated constant equal to the entry.
        for alias in ve.entry.aliases.iter().filter(|a| a.value != *name) {
            writeln!(
                out,
                "\t\tcheck({}, {ty}_{}, e)",
                at(&format!("former name {}", alias.value)),
                alias.value
            )
            .ok();
        }
        for n in ve.accepted_names() {
            writeln!(out, "\t\tif f, _ := {ty}FromName({}); true {{", lit(n)).ok();
            writeln!(
                out,
                "\t\t\tcheck({}, f, e)\n\t\t}}",
                at(&format!("FromName {n}"))
            )
            .ok();
            // An error received under any accepted name is the entry's (name-keyed).
            if !by_code {
                writeln!(
                    out,
                    "\t\tif f, ok := (&{ty}Error{{Code: {ty}({})}}).Entry(); true {{",
                    lit(n)
                )
                .ok();
                writeln!(
                    out,
                    "\t\t\tcheck({}, f, e)\n\t\t\tcheck({}, ok, true)\n\t\t}}",
                    at(&format!("Error's Entry {n}")),
                    at(&format!("Error's Entry {n} ok"))
                )
                .ok();
            }
        }
        // The error of the entry, with a message received and without (the entry's).
        let head = match &ve.entry.code {
            Some(code) if by_code => format!("{} {} {name}", ty_name(catalog), code.value),
            _ => format!("{} {name}", ty_name(catalog)),
        };
        writeln!(
            out,
            "\t\tcheck({}, (&{ty}Error{{Code: e, Message: \"received\"}}).Error(), {})",
            at("Error"),
            lit(&format!("{head}: received"))
        )
        .ok();
        writeln!(
            out,
            "\t\tcheck({}, (&{ty}Error{{Code: e}}).Error(), {})",
            at("Error without a message"),
            lit(&format!("{head}: {}", ve.message.value))
        )
        .ok();
        writeln!(
            out,
            "\t\tcheck({}, (&{ty}Error{{Code: e}}).Known(), true)",
            at("Error's Known")
        )
        .ok();
        writeln!(out, "\t}}").ok();
    }
    // A value that is no entry: the first code no entry has, or a name no entry can have.
    let (unknown, shown) = if by_code {
        let taken: std::collections::BTreeSet<u32> = catalog
            .entries
            .iter()
            .filter_map(|e| e.code.as_ref().map(|c| c.value))
            .collect();
        let free = (0..).find(|c| !taken.contains(c)).unwrap_or_default();
        (free.to_string(), format!("{}({free})", ty_name(catalog)))
    } else {
        (
            lit("NO SUCH NAME"),
            format!("{}(\"NO SUCH NAME\")", ty_name(catalog)),
        )
    };
    let what = |w: &str| lit(&format!("{fun}: unknown value's {w}"));
    writeln!(
        out,
        "\tcheck({}, {ty}({unknown}).Name(), \"\")",
        what("Name")
    )
    .ok();
    writeln!(
        out,
        "\tcheck({}, {ty}({unknown}).String(), {})",
        what("String"),
        lit(&shown)
    )
    .ok();
    writeln!(
        out,
        "\tcheck({}, {ty}({unknown}).Retry(), {ty}Retry{{Kind: {ty}RetryUnspecified}})",
        what("Retry")
    )
    .ok();
    // A kind no hint has prints as stringer would print it.
    writeln!(
        out,
        "\tcheck({}, {ty}RetryKind(9).String(), \"{}RetryKind(9)\")",
        what("RetryKind(9).String()"),
        ty_name(catalog)
    )
    .ok();
    // Its error keeps the value and the message received.
    let head = shown
        .strip_suffix(')')
        .and_then(|s| s.split_once('('))
        .map(|(t, v)| format!("{t} {}", v.trim_matches('"')))
        .unwrap_or_default();
    writeln!(
        out,
        "\tcheck({}, (&{ty}Error{{Code: {ty}({unknown}), Message: \"received\"}}).Error(), {})",
        what("Error"),
        lit(&format!("{head}: received"))
    )
    .ok();
    writeln!(
        out,
        "\tcheck({}, (&{ty}Error{{Code: {ty}({unknown})}}).Known(), false)",
        what("Error's Known")
    )
    .ok();
    for retired in &catalog.retired {
        if let (true, Some(code)) = (by_code, &retired.code) {
            let what = lit(&format!("{fun}: retired code {}", code.value));
            writeln!(out, "\tif _, ok := {ty}FromCode({}); ok {{", code.value).ok();
            writeln!(out, "\t\tcheck({what}, ok, false)\n\t}}").ok();
        }
        for n in &retired.names {
            let what = lit(&format!("{fun}: retired name {}", n.value));
            writeln!(out, "\tif _, ok := {ty}FromName({}); ok {{", lit(&n.value)).ok();
            writeln!(out, "\t\tcheck({what}, ok, false)\n\t}}").ok();
        }
    }
    writeln!(out, "}}\n").ok();
}

/// One function calling every formatter of the view rendered with the
/// hostile arguments of `errspec_tests::params`, and comparing each result with the
/// text the format gives.
fn check_formatters(out: &mut String, fun: &str, pkg: &str, catalog: &Catalog, view: View<'_>) {
    use errspec_tests::params::{Arg, calls};
    let ty = ty_name(catalog);
    writeln!(out, "func {fun}() {{").ok();
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
            .map(|(_, _, arg)| match arg {
                Arg::Str(s) => lit(s),
                Arg::Int(i) => i.to_string(),
                Arg::Bool(b) => b.to_string(),
                Arg::DurationMs(ms) => format!("{ms} * time.Millisecond"),
            })
            .collect();
        writeln!(
            out,
            "\tcheck({}, {pkg}.{ty}_{}_Format({}), {})",
            lit(&format!("{ty}_{}_Format", call.entry.name.value)),
            call.entry.name.value,
            args.join(", "),
            lit(&call.expected)
        )
        .ok();
    }
    writeln!(out, "}}\n").ok();
}

/// The catalog's type, as the template names it (`type_name`).
fn ty_name(catalog: &Catalog) -> String {
    errspec::ident::upper_camel(&catalog.name.value)
}

/// A Go string literal: printable ASCII but `\` and `"` as itself, every other
/// character as `\uXXXX` or, beyond the BMP, `\UXXXXXXXX`.
fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            ' '..='~' if !matches!(c, '\\' | '"') => out.push(c),
            c if (c as u32) <= 0xffff => {
                write!(out, "\\u{:04x}", c as u32).ok();
            }
            c => {
                write!(out, "\\U{:08x}", c as u32).ok();
            }
        }
    }
    out.push('"');
    out
}

/// Go's row judges a registry where Go renders, and only there: a parameter named as a
/// Go keyword (`range`, which a Go signature cannot hold), and a catalog whose type is
/// another catalog's generated name (`sdk_retry_kind`: `SdkRetryKind`, `sdk`'s retry kind).
#[test]
fn go_keywords_and_go_names_are_refused_where_go_renders() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-refusals");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the temp dir");
    let catalog = |name: &str, param: &str| {
        format!(
            "catalog:\n  name: {name}\n  title: T\nerrors:\n  - code: 1\n    name: FAILED\n    message: \"Failed in {{{param}}}.\"\n    trigger: Always.\n    retry: never\n    params:\n      {param}: {{ type: string, description: D. }}\n"
        )
    };
    let render = |registry: &Path, target: &str| {
        codegen::Generator::new(registry, "unused")
            .targets([target])
            .render()
            .map(|_| ())
            .map_err(|e| e.to_string())
    };

    let keyword = dir.join("keyword.yaml");
    std::fs::write(&keyword, catalog("sdk", "range")).expect("write the registry");
    let refused = render(&keyword, "go").expect_err("`range` is a Go keyword");
    assert!(
        refused.contains("the parameter name `range` is a keyword in Go"),
        "{refused}"
    );
    assert_eq!(render(&keyword, "kotlin"), Ok(()), "no keyword in Kotlin");

    let both = dir.join("both");
    std::fs::create_dir_all(&both).expect("create the registry dir");
    std::fs::write(both.join("sdk.yaml"), catalog("sdk", "place")).expect("write a catalog");
    std::fs::write(
        both.join("sdk_retry_kind.yaml"),
        catalog("sdk_retry_kind", "place"),
    )
    .expect("write a catalog");
    let refused = render(&both, "go").expect_err("`SdkRetryKind` twice in one package");
    assert!(
        refused.contains("SdkRetryKind") && refused.contains("Go"),
        "{refused}"
    );
    assert_eq!(
        render(&both, "kotlin"),
        Ok(()),
        "Kotlin declares no `SdkRetryKind`"
    );
}
