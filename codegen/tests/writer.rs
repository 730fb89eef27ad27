//! `Generator::write` and `check` as a set: streamed into temporary files,
//! renamed into place only when every output and lock has rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use codegen::Generator;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-writer-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A catalog with web and flutter views that differ (an override), so every
/// built-in target renders: canonical, web and flutter views.
fn platforms_catalog(name: &str, message: &str) -> String {
    format!(
        "catalog:\n  name: {name}\n  title: Catalog {name}\n  platforms:\n    web: {{ title: Web }}\n    flutter: {{ title: Flutter }}\n  categories:\n    general: {{ title: General, codes: {{ from: 1, to: 99 }} }}\nerrors:\n  - code: 1\n    name: FIRST\n    message: {message}\n    trigger: It fires.\n    retry: never\n    overrides:\n      web: {{ name: FIRST_WEB }}\n  - code: 2\n    name: SECOND\n    message: Second.\n    trigger: It fires too.\n    retry: {{ after: 5s }}\n"
    )
}

/// A catalog with no platforms: one view, canonical.
fn plain_catalog(name: &str, message: &str) -> String {
    format!(
        "catalog:\n  name: {name}\n  title: Catalog {name}\nerrors:\n  - code: 404\n    name: NOT_FOUND\n    message: {message}\n    trigger: A path is not served.\n    retry: never\n"
    )
}

/// Every file under `dir` (temporary files too), with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                files.insert(
                    path.strip_prefix(dir).expect("under dir").join(""),
                    Vec::new(),
                );
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                files.insert(path.strip_prefix(dir).expect("under dir").into(), bytes);
            }
        }
    }
    files
}

/// Asserts that two trees are the same, naming the paths that differ.
#[track_caller]
fn assert_same(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
    what: &str,
) {
    let differ: Vec<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(differ.is_empty(), "{what}: {differ:?} differ");
}

fn temporaries(tree: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<&PathBuf> {
    tree.keys()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect()
}

/// Two catalogs written once; returns (registry dir, out dir).
fn written_registry(name: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(name);
    let registry = dir.join("registry");
    std::fs::create_dir_all(&registry).expect("registry dir");
    std::fs::write(
        registry.join("alpha.yaml"),
        platforms_catalog("alpha", "First."),
    )
    .expect("alpha");
    std::fs::write(
        registry.join("zulu.yaml"),
        plain_catalog("zulu", "Not found."),
    )
    .expect("zulu");
    let out = dir.join("out");
    Generator::new(&registry, &out)
        .write()
        .unwrap_or_else(|e| panic!("{e}"));
    (registry, out)
}

/// Edits both catalogs so that every per-catalog output and both locks change.
fn edit_registry(registry: &Path) {
    std::fs::write(
        registry.join("alpha.yaml"),
        platforms_catalog("alpha", "First, reworded.")
            + "  - code: 3\n    name: THIRD\n    message: Third.\n    trigger: New.\n    retry: never\n",
    )
    .expect("alpha");
    std::fs::write(
        registry.join("zulu.yaml"),
        plain_catalog("zulu", "Nothing is there.")
            + "  - code: 410\n    name: GONE\n    message: Gone.\n    trigger: Deleted.\n    retry: never\n",
    )
    .expect("zulu");
}

#[test]
fn a_template_failing_on_the_last_catalog_leaves_every_old_file_and_lock_unchanged() {
    let (registry, out) = written_registry("late-failure");
    let root = registry.parent().expect("test dir").to_path_buf();
    edit_registry(&registry);
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).expect("templates dir");
    // Renders for `alpha`, then fails (strict mode) on `zulu`, the last catalog.
    std::fs::write(
        templates.join("late.hbs"),
        "{{!-- errspec\nfile: late/{catalog}.txt\nview: canonical\n--}}\n{{name}}\n{{#if (eq name \"zulu\")}}{{no_such_field}}{{/if}}\n",
    )
    .expect("template");
    let before_out = tree(&out);
    let before_registry = tree(&registry);
    let err = Generator::new(&registry, &out)
        .templates(&templates)
        .write()
        .expect_err("the template fails on zulu");
    let message = err.to_string();
    assert!(
        message.contains("late.hbs") && message.contains("no_such_field"),
        "{message}"
    );
    let after_out = tree(&out);
    assert!(temporaries(&after_out).is_empty(), "{:?}", after_out.keys());
    assert_same(&before_out, &after_out, "the out directory changed");
    assert!(!out.join("late").exists(), "a directory was left behind");
    assert_same(
        &before_registry,
        &tree(&registry),
        "a lock changed (or a temporary file was left beside it)",
    );
    // Without the failing template, the same edit writes.
    let report = Generator::new(&registry, &out)
        .write()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.written.iter().any(|p| p.ends_with("alpha.lock")),
        "{report:?}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_directory_in_the_way_of_an_output_leaves_no_half_written_tree() {
    let (registry, out) = written_registry("in-the-way");
    let root = registry.parent().expect("test dir").to_path_buf();
    edit_registry(&registry);
    // `typescript/zulu.ts` sorts after every rust/, dart/ and markdown/ output
    // (and renders last): a directory there makes its rename impossible.
    let blocked = out.join("typescript/zulu.ts");
    std::fs::remove_file(&blocked).expect("remove output");
    std::fs::create_dir_all(blocked.join("inside")).expect("directory in the way");
    let before_out = tree(&out);
    let before_registry = tree(&registry);
    let err = Generator::new(&registry, &out)
        .write()
        .expect_err("a directory is in the way");
    assert_same(&before_out, &tree(&out), "the out directory changed");
    assert_same(&before_registry, &tree(&registry), "a lock changed");
    let message = err.to_string();
    assert!(
        message.contains("zulu.ts") && message.contains("is a directory"),
        "{message}"
    );

    // A file where a directory of outputs goes, in a fresh out directory:
    // the directories created for the other outputs are removed again.
    let fresh = root.join("fresh");
    std::fs::create_dir_all(&fresh).expect("fresh out");
    std::fs::write(fresh.join("typescript"), "not a directory\n").expect("file in the way");
    let err = Generator::new(&registry, &fresh)
        .write()
        .expect_err("a file is in the way");
    assert!(
        err.to_string().contains("typescript") && err.to_string().contains("needs a directory"),
        "{err}"
    );
    let left: Vec<_> = tree(&fresh).into_keys().collect();
    assert_eq!(left, [PathBuf::from("typescript")], "half-written tree");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn unchanged_files_keep_their_mtime() {
    let (registry, out) = written_registry("mtime");
    let root = registry.parent().expect("test dir").to_path_buf();
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let files: Vec<PathBuf> = tree(&out)
        .into_keys()
        .filter(|p| out.join(p).is_file())
        .collect();
    for rel in &files {
        let f = std::fs::File::options()
            .write(true)
            .open(out.join(rel))
            .expect("open");
        f.set_modified(old).expect("set mtime");
    }
    // Only zulu changes.
    std::fs::write(
        registry.join("zulu.yaml"),
        plain_catalog("zulu", "Nothing is there."),
    )
    .expect("zulu");
    let report = Generator::new(&registry, &out)
        .write()
        .unwrap_or_else(|e| panic!("{e}"));
    for rel in &files {
        let mtime = std::fs::metadata(out.join(rel))
            .and_then(|m| m.modified())
            .expect("mtime");
        let rewritten = report.written.contains(rel);
        // zulu's outputs, and the manifest that records their new hashes.
        assert_eq!(
            rewritten,
            rel.to_string_lossy().contains("zulu") || rel.ends_with(".errspec-manifest"),
            "{rel:?}: {report:?}"
        );
        assert_eq!(mtime == old, !rewritten, "{rel:?}");
    }
    assert_eq!(report.unchanged + report.written.len(), files.len() + 2);
    assert!(temporaries(&tree(&out)).is_empty());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn check_lists_stale_missing_and_extra_files_and_writes_nothing() {
    let (registry, out) = written_registry("check");
    let root = registry.parent().expect("test dir").to_path_buf();
    let clean = Generator::new(&registry, &out)
        .check()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(clean.is_clean(), "{clean:?}");

    std::fs::remove_file(out.join("dart/lib/alpha.dart")).expect("remove");
    let md = out.join("markdown/alpha.web.md");
    let text = std::fs::read_to_string(&md).expect("read");
    // Longer, shorter and same-length edits are all stale.
    std::fs::write(&md, format!("{text}x")).expect("longer");
    let ts = out.join("typescript/alpha.ts");
    let text = std::fs::read_to_string(&ts).expect("read");
    std::fs::write(&ts, &text[..text.len() - 1]).expect("shorter");
    let dart = out.join("dart/lib/zulu.dart");
    let text = std::fs::read_to_string(&dart).expect("read");
    std::fs::write(&dart, text.replacen("Not found.", "Not f0und.", 1)).expect("same length");
    std::fs::remove_file(out.join("markdown/zulu.md")).expect("remove");
    std::fs::create_dir_all(out.join("markdown/zulu.md")).expect("a directory instead");
    // A file an earlier run wrote (the manifest lists it) that no output is now.
    let gone = "// Generated by errspec codegen from the registry; do not edit.\n";
    std::fs::write(out.join("typescript/gone.ts"), gone).expect("extra");
    let manifest = out.join(".errspec-manifest");
    let mut listed = std::fs::read_to_string(&manifest).expect("manifest");
    let sha = codegen::ownership::hex(
        &codegen::ownership::hash_file(&out.join("typescript/gone.ts")).expect("hash"),
    );
    listed.push_str(&format!("{sha}  typescript/gone.ts\n"));
    std::fs::write(&manifest, listed).expect("manifest");
    // A file that says it is generated, but that no run wrote, is not extra.
    std::fs::write(out.join("typescript/mine.ts"), gone).expect("user file");
    let before = tree(&out);
    let report = Generator::new(&registry, &out)
        .check()
        .unwrap_or_else(|e| panic!("{e}"));
    let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
    assert_eq!(report.stale, paths(&[".errspec-manifest"]));
    // Edited by hand, or a directory: a run would refuse them, and --check says so.
    use codegen::ownership::ConflictKind::{EditedSince, NotRegular};
    let in_the_way: Vec<_> = report
        .in_the_way
        .iter()
        .map(|c| {
            (
                c.path.strip_prefix(&out).expect("in out").to_path_buf(),
                c.kind.clone(),
            )
        })
        .collect();
    assert_eq!(
        in_the_way,
        [
            (PathBuf::from("dart/lib/zulu.dart"), EditedSince),
            (PathBuf::from("markdown/alpha.web.md"), EditedSince),
            (
                PathBuf::from("markdown/zulu.md"),
                NotRegular(errspec::input::FileKind::Directory)
            ),
            (PathBuf::from("typescript/alpha.ts"), EditedSince),
        ]
    );
    assert_eq!(report.missing, paths(&["dart/lib/alpha.dart"]));
    assert_eq!(report.extra, paths(&["typescript/gone.ts"]));
    assert!(report.stale_locks.is_empty(), "{report:?}");
    assert_same(&before, &tree(&out), "--check wrote something");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn each_distinct_view_is_built_once_per_run() {
    let (registry, out) = written_registry("views");
    let root = registry.parent().expect("test dir").to_path_buf();
    // alpha: canonical (markdown, typescript-index), web (typescript, markdown),
    // flutter (dart, markdown); zulu: canonical only (every target). One
    // model per template and view would be 6 for alpha and 4 for zulu.
    let report = Generator::new(&registry, &out)
        .write()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.views_built, 4, "{report:?}");
    // A template of its own on the web view adds an output, not a model.
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).expect("templates dir");
    std::fs::write(
        templates.join("csv.hbs"),
        "{{!-- errspec\nfile: csv/{catalog}.csv\nview: platform web\n--}}\n{{#each entries}}{{code}},{{name}}\n{{/each}}",
    )
    .expect("template");
    let report = Generator::new(&registry, &out)
        .templates(&templates)
        .write()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.views_built, 4, "{report:?}");
    assert_eq!(
        std::fs::read_to_string(out.join("csv/alpha.csv")).expect("csv"),
        "1,FIRST_WEB\n2,SECOND\n"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn render_in_memory_equals_what_write_writes() {
    let (registry, out) = written_registry("memory");
    let root = registry.parent().expect("test dir").to_path_buf();
    let files = Generator::new(&registry, &out)
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let written: BTreeMap<PathBuf, Vec<u8>> = tree(&out)
        .into_iter()
        .filter(|(p, _)| out.join(p).is_file() && !p.ends_with(".errspec-manifest"))
        .collect();
    let rendered: BTreeMap<PathBuf, Vec<u8>> = files
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    assert_eq!(written, rendered);
    let _ = std::fs::remove_dir_all(&root);
}
