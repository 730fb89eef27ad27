//! Packaged outputs through the binary (docs/packages.md): the package names
//! and versions errspec.toml sets, each refused at its line when npm, pub or
//! SwiftPM would refuse it; `manifest = false`; and the directories a run
//! empties (a narrowed `targets`, a moved Kotlin package) removed, never one
//! holding a file of the user's. The packages themselves are checked by their
//! tools in tests/tests/packages.rs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const HTTP: &str = "catalog:\n  name: http_status\n  title: HTTP status codes\nerrors:\n  - code: 404\n    name: NOT_FOUND\n    message: The server cannot find the requested resource.\n    trigger: A request names a path that the server does not serve.\n    retry: never\n";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-pkg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A project in `dir`: `errors/http_status.yaml` and `errspec.toml`.
fn project(name: &str, config: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::create_dir_all(dir.join("errors")).expect("mkdir");
    std::fs::write(dir.join("errors/http_status.yaml"), HTTP).expect("registry");
    std::fs::write(dir.join("errspec.toml"), config).expect("config");
    dir
}

fn codegen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_errspec"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run codegen")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every directory under `dir` (itself aside) that holds nothing.
fn empty_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut empty = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries: Vec<_> = std::fs::read_dir(&d).expect("read dir").flatten().collect();
        if entries.is_empty() && d != dir {
            empty.push(d.clone());
        }
        for e in entries {
            if e.file_type().expect("file type").is_dir() {
                stack.push(e.path());
            }
        }
    }
    empty
}

#[test]
fn names_and_versions_come_from_errspec_toml_with_defaults_from_the_registry() {
    let dir = project("names", "");
    let o = codegen(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The registry is `errors`: every default is its name in the form each registry wants.
    let package = read(&dir.join("generated/typescript/package.json"));
    assert!(package.contains("\"name\": \"errors\""), "{package}");
    assert!(package.contains("\"version\": \"0.1.0\""), "{package}");
    let pubspec = read(&dir.join("generated/dart/pubspec.yaml"));
    assert!(pubspec.contains("\nname: errors\n"), "{pubspec}");
    let swift = read(&dir.join("generated/swift/Package.swift"));
    assert!(swift.contains("name: \"Errors\""), "{swift}");

    std::fs::write(
        dir.join("errspec.toml"),
        "[target.typescript]\npackage = \"@acme/http-errors\"\nversion = \"2.1.0-beta.1\"\n\
         [target.dart]\npackage = \"acme_http_errors\"\nversion = \"2.1.0\"\n\
         [target.swift]\npackage = \"AcmeHttpErrors\"\n\
         [target.kotlin]\npackage = \"com.acme.http\"\n",
    )
    .expect("config");
    let o = codegen(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let package = read(&dir.join("generated/typescript/package.json"));
    assert!(
        package.contains("\"name\": \"@acme/http-errors\"")
            && package.contains("\"version\": \"2.1.0-beta.1\""),
        "{package}"
    );
    let pubspec = read(&dir.join("generated/dart/pubspec.yaml"));
    assert!(
        pubspec.contains("\nname: acme_http_errors\n") && pubspec.contains("\nversion: 2.1.0\n"),
        "{pubspec}"
    );
    assert!(read(&dir.join("generated/swift/Package.swift")).contains("name: \"AcmeHttpErrors\""));
    let kotlin = dir.join("generated/kotlin/com/acme/http/http_status.kt");
    assert!(read(&kotlin).contains("\npackage com.acme.http\n"));
    // The old package's file went, and with it the directories it alone was in.
    assert!(!dir.join("generated/kotlin/errspec").exists());
    assert_eq!(empty_dirs(&dir.join("generated")), Vec::<PathBuf>::new());
    assert!(codegen(&dir, &["--check"]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_name_npm_pub_or_swiftpm_refuses_is_an_error_at_its_line() {
    let config = "[target.typescript]\npackage = \"@Acme/Errors\"\nversion = \"1.0\"\n\
                  [target.dart]\npackage = \"acme-errors\"\n\
                  [target.swift]\npackage = \"Acme.Errors\"\n\
                  [target.kotlin]\npackage = \"com.1x\"\nmanifest = false\n\
                  [target.go]\nmanifest = \"yes\"\n";
    let dir = project("bad-names", config);
    let o = codegen(&dir, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let at =
        |line: usize, col: usize| format!("{}:{line}:{col}", dir.join("errspec.toml").display());
    for (place, needle) in [
        (at(2, 11), "contains `A`, which npm refuses"),
        (at(3, 11), "does not start with `MAJOR.MINOR.PATCH`"),
        (at(5, 11), "contains `-`; pub allows"),
        (at(7, 11), "contains `.`; a Swift module name"),
        (at(9, 11), "starts with a digit"),
        (at(10, 12), "`kotlin` has no option `manifest`"),
        (at(12, 12), "`go` has no option `manifest`"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&place) && l.contains(needle)),
            "{place}: {needle}:\n{err}"
        );
    }
    assert!(!dir.join("generated").exists(), "nothing written");

    // A switch takes a boolean or its text, nothing else.
    std::fs::write(
        dir.join("errspec.toml"),
        "[target.typescript]\nmanifest = \"no\"\n",
    )
    .expect("config");
    let err = stderr(&codegen(&dir, &[]));
    assert!(
        err.contains(&at(2, 12)) && err.contains("is not `true` or `false`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn manifest_false_leaves_the_files_without_their_package() {
    let dir = project("no-manifest", "");
    assert!(codegen(&dir, &[]).status.success());
    let outdir = dir.join("generated");
    let manifests = [
        "typescript/package.json",
        "typescript/tsconfig.json",
        "dart/pubspec.yaml",
        "swift/Package.swift",
    ];
    for m in manifests {
        assert!(outdir.join(m).is_file(), "{m}");
    }
    std::fs::write(
        dir.join("errspec.toml"),
        "[target.typescript]\nmanifest = false\n[target.dart]\nmanifest = false\n[target.swift]\nmanifest = \"false\"\n",
    )
    .expect("config");
    let o = codegen(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for m in manifests {
        assert!(!outdir.join(m).exists(), "{m} is removed");
        assert!(
            stderr(&o).contains(&format!("removed: {}", outdir.join(m).display())),
            "{}",
            stderr(&o)
        );
    }
    for source in [
        "typescript/http_status.ts",
        "dart/lib/http_status.dart",
        "swift/Sources/http_status.swift",
    ] {
        assert!(outdir.join(source).is_file(), "{source}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// After `targets` is narrowed, or Kotlin's package moves, no directory the
/// run emptied is left; one holding a file of the user's stays, with the file,
/// and so does an empty directory the user made. With `out = "."` the
/// project's own directories (the registry's) are never touched.
#[test]
fn a_run_leaves_no_directory_it_emptied_and_keeps_the_users() {
    for out in ["generated", "."] {
        let dir = project(
            &format!("empty-dirs-{}", out.len()),
            &format!("out = \"{out}\"\n"),
        );
        let outdir = dir.join(out);
        let o = codegen(&dir, &[]);
        assert!(o.status.success(), "{out}: {}", stderr(&o));
        // A file of the user's in a directory of outputs, and a directory of their own.
        let mine = outdir.join("swift/Sources/Extensions.swift");
        std::fs::write(&mine, "// mine\n").expect("user file");
        let kept = outdir.join("dart/lib/src");
        std::fs::create_dir_all(&kept).expect("user dir");

        std::fs::write(
            dir.join("errspec.toml"),
            format!("out = \"{out}\"\ntargets = [\"typescript\", \"kotlin\"]\n[target.kotlin]\npackage = \"com.acme.http\"\n"),
        )
        .expect("config");
        let o = codegen(&dir, &[]);
        assert!(o.status.success(), "{out}: {}", stderr(&o));
        for gone in [
            "rust",
            "go",
            "markdown",
            "schema",
            "kotlin/errspec",
            "swift/Package.swift",
        ] {
            assert!(!outdir.join(gone).exists(), "{out}: {gone} stays");
        }
        assert_eq!(read(&mine), "// mine\n", "{out}");
        assert!(kept.is_dir(), "{out}: the user's directory is kept");
        assert!(outdir.join("kotlin/com/acme/http/http_status.kt").is_file());
        assert_eq!(empty_dirs(&outdir), vec![kept], "{out}");
        assert!(dir.join("errors/http_status.yaml").is_file());
        assert!(dir.join("errspec.toml").is_file());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// docs/packages.md's `errspec.toml` example is a valid file that sets what it says.
#[test]
fn the_documented_settings_work() {
    let doc = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/packages.md"));
    let example = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a toml block in docs/packages.md");
    let dir = project("documented", example);
    let o = codegen(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("generated");
    assert!(read(&out.join("typescript/package.json")).contains("\"name\": \"@acme/errors\""));
    assert!(read(&out.join("dart/pubspec.yaml")).contains("\nname: acme_errors\n"));
    assert!(read(&out.join("swift/Package.swift")).contains("name: \"AcmeErrors\""));
    assert!(out.join("kotlin/com/acme/errors/http_status.kt").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The header features the packages are made of work in a template of the
/// user's (`--templates`), and each misuse is a header error naming the fix.
#[test]
fn a_custom_template_declares_kinds_switches_and_option_paths() {
    let dir = project("custom", "templates = \"templates\"\ntargets = [\"pkg\"]\n");
    let write = |name: &str, text: &str| {
        std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
        std::fs::write(dir.join("templates").join(name), text).expect("template");
    };
    write(
        "pkg.hbs",
        "{{!-- errspec\nfile: pkg/{option.space}/meta.txt\nview: registry\n\
         option space: org.acme\noption name npm: {project}\noption ship switch: true\nwhen: ship\n--}}\n\
         {{option \"name\"}}\n",
    );
    let o = codegen(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        read(&dir.join("generated/pkg/org/acme/meta.txt")),
        "errors\n"
    );
    let o = codegen(&dir, &["--option", "pkg.ship=false"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !dir.join("generated/pkg").exists(),
        "switched off, and its directories gone"
    );

    for (header, needle) in [
        ("option name cargo: x\n", "`cargo` is no kind of value"),
        (
            "option name npm: Bad\n",
            "the default `Bad` of `option name` contains `B`",
        ),
        (
            "when: ship\n",
            "`when: ship` names no option the header declares as a switch",
        ),
        ("option ship: yes\nwhen: ship\n", "as a switch"),
    ] {
        write(
            "pkg.hbs",
            &format!("{{{{!-- errspec\nfile: pkg/meta.txt\nview: registry\n{header}--}}}}\nx\n"),
        );
        let err = stderr(&codegen(&dir, &[]));
        assert!(err.contains(needle), "{header}: {needle}:\n{err}");
    }
    // Two templates of one target declare an option alike, kind included.
    std::fs::remove_file(dir.join("templates/pkg.hbs")).expect("rm");
    std::fs::create_dir_all(dir.join("templates/pkg")).expect("mkdir");
    for (file, kind) in [("a.hbs", " npm"), ("b.hbs", "")] {
        write(
            &format!("pkg/{file}"),
            &format!(
                "{{{{!-- errspec\nfile: pkg/{file}.txt\nview: registry\noption name{kind}: x\n--}}}}\nx\n"
            ),
        );
    }
    let err = stderr(&codegen(&dir, &[]));
    assert!(err.contains("two defaults, `npm: x` and `x`"), "{err}");
    std::fs::remove_dir_all(dir.join("templates/pkg")).expect("rm");
    write(
        "pkg.hbs",
        "{{!-- errspec\nfile: pkg/{option.name}/meta.txt\nview: registry\noption name npm: x\n--}}\nx\n",
    );
    let err = stderr(&codegen(&dir, &[]));
    assert!(
        err.contains(
            "names `{option.name}`, but the header declares no option `name` of dotted names"
        ),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
