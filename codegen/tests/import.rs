//! `codegen import`: the seed pages (the React and Flutter SDKs' published
//! error tables) imported, validated by the real loader, regenerated with every
//! target, and read back: each platform's generated page and `export --json`'s
//! view of it give exactly the seed rows. CSV and JSON inputs, the out file's
//! rules, and every input problem (snapshotted) with nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_errspec"))
        .args(args)
        // Paths in messages as the user typed them: relative to the workspace.
        .current_dir(root())
        .output()
        .expect("run codegen")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const REACT: &str = "tests/fixtures/import/react_error_events.md";
const FLUTTER: &str = "tests/fixtures/import/flutter_error_event.md";

/// (name, code, message as text) of a row.
type SeedRow = (String, u32, String);

/// One table: header cells and rows, each cell as a reader sees its text.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Every table of a Markdown text, its cells rendered to text (emphasis,
/// code-span marks and link syntax gone, `\|` read as `|`).
fn tables(markdown: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut table: Option<Table> = None;
    let mut row: Option<Vec<String>> = None;
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => {
                table = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Event::End(TagEnd::Table) => tables.extend(table.take()),
            Event::Start(Tag::TableHead | Tag::TableRow) => row = Some(Vec::new()),
            Event::End(TagEnd::TableHead) => {
                if let (Some(t), Some(r)) = (&mut table, row.take()) {
                    t.header = r;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(t), Some(r)) = (&mut table, row.take()) {
                    t.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(r), Some(c)) = (&mut row, cell.take()) {
                    r.push(c.trim().to_owned());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = &mut cell {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = &mut cell {
                    c.push(' ');
                }
            }
            _ => {}
        }
    }
    tables
}

/// The rows of every table whose header has a name column (`name_header`),
/// `Code` and `Message`, in page order.
fn rows(markdown: &str, name_header: &str) -> Vec<SeedRow> {
    let mut out = Vec::new();
    for t in tables(markdown) {
        let col = |h: &str| t.header.iter().position(|c| c == h);
        let (Some(n), Some(c), Some(m)) = (col(name_header), col("Code"), col("Message")) else {
            continue;
        };
        for r in &t.rows {
            let code = r[c]
                .parse()
                .unwrap_or_else(|_| panic!("a code: {:?}", r[c]));
            out.push((r[n].clone(), code, r[m].clone()));
        }
    }
    out
}

/// Markdown inline text as a reader sees it.
fn text(markdown_inline: &str) -> String {
    let mut s = String::new();
    for event in Parser::new(markdown_inline) {
        match event {
            Event::Text(t) | Event::Code(t) => s.push_str(&t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The registry as the loader reads it with every built-in target's rules.
fn load(registry: &Path) -> errspec::Registry {
    let options = errspec::LoadOptions {
        languages: codegen::targets::built_in_languages().expect("built-in rows"),
        ..errspec::LoadOptions::default()
    };
    errspec::load_with(Path::new(""), registry, options).unwrap_or_else(|d| panic!("{d}"))
}

/// `export --json`'s per-platform view: (name, code, message as text) of
/// every entry available on `platform`, in registry order.
fn exported(registry: &Path, platform: &str) -> Vec<SeedRow> {
    let out = codegen(&["export", "--json", "--registry", arg(registry)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let entries = doc["catalogs"][0]["entries"].as_array().expect("entries");
    entries
        .iter()
        .filter(|e| e["platforms"][platform]["available"] == true)
        .map(|e| {
            let on = &e["platforms"][platform];
            (
                on["name"].as_str().expect("a name").to_owned(),
                u32::try_from(e["code"].as_u64().expect("a code")).expect("u32"),
                text(on["message"].as_str().expect("a message")),
            )
        })
        .collect()
}

/// The test: the seed pages in, every target out, the seed rows back.
#[test]
fn the_seed_pages_come_back_from_every_platform_s_page_and_export() {
    let dir = temp_dir("seeds");
    let registry = dir.join("errors/sdk.yaml");
    let out = codegen(&[
        "import",
        "--platform",
        &format!("web={REACT}"),
        "--platform",
        &format!("flutter={FLUTTER}"),
        "--out",
        arg(&registry),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    for derived in [
        "derived: catalog name: `sdk` (from --out's file name",
        "derived: title: `Error Events - React` (from the first heading of",
        "derived: platform `web`: title `Web`",
        "derived: categories: none",
    ] {
        assert!(said.contains(derived), "{derived:?} not in:\n{said}");
    }
    let yaml = read(&registry);
    assert!(
        !yaml.contains("trigger:") && !yaml.contains("retry:"),
        "{yaml}"
    );

    let loaded = load(&registry);
    let catalog = &loaded.catalogs[0];
    assert!(catalog.entries.iter().all(|e| e.trigger.is_none()));
    assert!(
        catalog
            .entries
            .iter()
            .all(|e| e.retry.value == errspec::RetryHint::Unspecified)
    );

    let generated = dir.join("generated");
    let out = Command::new(env!("CARGO_BIN_EXE_errspec"))
        .args([
            "--registry",
            arg(&dir.join("errors")),
            "--out",
            arg(&generated),
        ])
        .current_dir(&dir)
        .output()
        .expect("run codegen");
    assert!(out.status.success(), "{}", stderr(&out));

    for (platform, seed, header) in [
        ("web", REACT, "Constant"),
        ("flutter", FLUTTER, "Error Name"),
    ] {
        let want: Vec<SeedRow> = rows(&read(&root().join(seed)), header);
        assert!(want.len() > 20, "{seed}: the seed table is read");
        // The page shows the registry's message, the cell's Markdown as it was
        // written, as text: read as Markdown in turn, it is the seed's text.
        let page = generated.join(format!("markdown/sdk.{platform}.md"));
        let got: Vec<SeedRow> = rows(&read(&page), "Constant")
            .into_iter()
            .map(|(name, code, message)| (name, code, text(&message)))
            .collect();
        assert_eq!(got, want, "{}", page.display());
        assert_eq!(exported(&registry, platform), want, "export, {platform}");
    }
    // Every code on one platform only is available there alone.
    let only_web = catalog
        .entries
        .iter()
        .find(|e| e.name.value == "MAX_SPEAKER_REACHED");
    assert_eq!(
        only_web.and_then(|e| e.platforms.as_ref()).map(|p| p.len()),
        Some(1)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CSV (columns in another order, an extra one, quoted fields) and a JSON
/// array: names that differ on the second platform become its overrides.
#[test]
fn csv_and_a_json_array_import() {
    let dir = temp_dir("csv-json");
    let registry = dir.join("video.yaml");
    let out = codegen(&[
        "import",
        "--platform",
        "web=tests/fixtures/import/errors.csv",
        "--platform",
        "ios=tests/fixtures/import/errors_array.json",
        "--out",
        arg(&registry),
        "--title",
        "Video errors",
        "--category",
        "media=3000..3999",
        "--category",
        "requests=4000..4999",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("derived: title"), "{}", stderr(&out));
    let catalog = &load(&registry).catalogs[0];
    assert_eq!(catalog.name.value, "video");
    assert_eq!(catalog.title.value, "Video errors");
    let categories: Vec<&str> = catalog
        .categories
        .iter()
        .map(|c| c.title.value.as_str())
        .collect();
    assert_eq!(categories, ["Media", "Requests"]);
    assert_eq!(
        exported(&registry, "web"),
        [
            (
                "INVALID_TOKEN".into(),
                4002,
                "The token expired, or its signature does not verify.".into()
            ),
            (
                "INVALID_API_KEY".into(),
                4001,
                "The API key is not one of your account's.".into()
            ),
            (
                "MAX_SPEAKER_REACHED".into(),
                4010,
                "A \"quoted\" word, and code.".into()
            ),
        ]
    );
    assert_eq!(
        exported(&registry, "ios"),
        [
            (
                "TOKEN_INVALID".into(),
                4002,
                "The token is not valid \u{2014} fetch another.".into()
            ),
            (
                "INVALID_API_KEY".into(),
                4001,
                "The API key is not one of your account's.".into()
            ),
            (
                "ERROR_STARTING_VIDEO".into(),
                3011,
                "Some error occured during starting the video".into()
            ),
        ]
    );
    let token = catalog
        .entries
        .iter()
        .find(|e| e.code.as_ref().map(|c| c.value) == Some(4002));
    let token = token.expect("4002");
    assert_eq!(
        token.name.value, "INVALID_TOKEN",
        "the first platform names it"
    );
    assert_eq!(token.name_on(Some("ios")).value, "TOKEN_INVALID");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A JSON map keyed by code (Flutter's `VideoSDKErrors`), to standard output.
#[test]
fn a_json_map_keyed_by_code_imports_to_standard_output() {
    let out = codegen(&[
        "import",
        "--platform",
        "flutter=tests/fixtures/import/errors_map.json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    assert!(
        stderr(&out)
            .contains("derived: catalog name: `errors_map` (from the first input's file name"),
        "{}",
        stderr(&out)
    );
    let registry = errspec::load_str("errors_map.yaml", &yaml).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<(u32, &str)> = registry.catalogs[0]
        .entries
        .iter()
        .map(|e| {
            (
                e.code.as_ref().map_or(0, |c| c.value),
                e.name.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (4001, "INVALID_API_KEY"),
            (4002, "INVALID_TOKEN"),
            (5001, "RECORDING_FAILED")
        ]
    );
}

/// Every problem of every file in one run, at its place; exit status 1 and no file.
#[test]
fn input_problems_are_reported_at_their_places_and_nothing_is_written() {
    let dir = temp_dir("problems");
    let registry = dir.join("sdk.yaml");
    let cases: &[(&str, &[&str])] = &[
        ("markdown", &["web=tests/fixtures/import/bad/problems.md"]),
        ("no_table", &["web=tests/fixtures/import/bad/no_table.md"]),
        ("csv", &["web=tests/fixtures/import/bad/problems.csv"]),
        ("json", &["web=tests/fixtures/import/bad/problems.json"]),
        (
            "json_syntax",
            &["web=tests/fixtures/import/bad/syntax.json"],
        ),
        (
            "two_files",
            &[
                "web=tests/fixtures/import/bad/problems.md",
                "ios=tests/fixtures/import/bad/problems.csv",
            ],
        ),
        (
            "clash",
            &[
                "web=tests/fixtures/import/errors.csv",
                "ios=tests/fixtures/import/bad/clash.csv",
            ],
        ),
    ];
    for (name, platforms) in cases {
        let mut args = vec!["import"];
        for p in *platforms {
            args.extend(["--platform", p]);
        }
        args.extend(["--out", arg(&registry)]);
        let out = codegen(&args);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(!registry.exists(), "{name}: nothing written");
        insta::assert_snapshot!(format!("import_{name}"), stderr(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The out file: a new .yaml; an existing one only with --force; never an
/// input, a generated output, or another kind of file.
#[test]
fn the_out_file_is_replaced_only_when_it_may_be() {
    let dir = temp_dir("out");
    let csv = "web=tests/fixtures/import/errors.csv";
    let registry = dir.join("sdk.yaml");
    std::fs::write(&registry, "mine\n").expect("write");
    let out = codegen(&["import", "--platform", csv, "--out", arg(&registry)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("pass --force"), "{}", stderr(&out));
    assert_eq!(read(&registry), "mine\n");
    let out = codegen(&[
        "import",
        "--platform",
        csv,
        "--out",
        arg(&registry),
        "--force",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&registry).contains("name: INVALID_TOKEN"));

    let text = dir.join("sdk.txt");
    let out = codegen(&["import", "--platform", csv, "--out", arg(&text)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!text.exists());

    // A generated output (listed in its out directory's manifest), even with --force.
    let generated = dir.join("generated");
    std::fs::create_dir_all(generated.join("dir")).expect("mkdir");
    std::fs::write(generated.join("dir/x.yaml"), "generated\n").expect("write");
    let hash = codegen::ownership::hash_file(&generated.join("dir/x.yaml")).expect("hash");
    std::fs::write(
        generated.join(".errspec-manifest"),
        format!(
            "# {}: do not edit\n{}  dir/x.yaml\n",
            codegen::ownership::MARKER,
            codegen::ownership::hex(&hash)
        ),
    )
    .expect("write manifest");
    let target = generated.join("dir/x.yaml");
    let out = codegen(&[
        "import",
        "--platform",
        csv,
        "--out",
        arg(&target),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is an output errspec generated"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&target), "generated\n");

    // A link is never written through.
    #[cfg(unix)]
    {
        let link = dir.join("link.yaml");
        std::os::unix::fs::symlink(dir.join("elsewhere.yaml"), &link).expect("symlink");
        let out = codegen(&["import", "--platform", csv, "--out", arg(&link), "--force"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(!dir.join("elsewhere.yaml").exists());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Usage: a platform id that is not snake_case, one given twice, a file
/// whose format cannot be told, a catalog name that cannot be derived.
#[test]
fn usage_errors_exit_with_2() {
    for (args, says) in [
        (
            &[
                "import",
                "--platform",
                "Web=tests/fixtures/import/errors.csv",
            ][..],
            "not snake_case",
        ),
        (
            &[
                "import",
                "--platform",
                "web=tests/fixtures/import/errors.csv",
                "--platform",
                "web=tests/fixtures/import/errors_map.json",
            ][..],
            "given twice",
        ),
        (
            &["import", "--platform", "web=Cargo.toml"][..],
            "format cannot be told",
        ),
        (
            &[
                "import",
                "--platform",
                "web=tests/fixtures/import/errors.csv",
                "--name",
                "Sdk",
            ][..],
            "not snake_case",
        ),
        (
            &[
                "import",
                "--platform",
                "web=tests/fixtures/import/errors.csv",
                "--category",
                "a=9..1",
            ][..],
            "lower code first",
        ),
    ] {
        let out = codegen(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}
