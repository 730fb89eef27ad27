//! The evolution lock: one before/after pair per breaking rule, and the changes that stay allowed.
//!
//! Each case under `fixtures/evolution/{breaking,allowed}/<case>/` has the
//! registry as published (`before.yaml`) and as edited (`after.yaml`, whose
//! first line says which rules must fire). The lock is made from `before`
//! exactly as `cargo run -p codegen` would make it, then `after` is loaded
//! beside it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use errspec::lock::Lock;

const CASES: &str = "tests/fixtures/evolution";

fn cases(kind: &str) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(Path::new(CASES).join(kind))
        .expect("case directory")
        .map(|e| e.expect("case").path())
        .collect();
    all.sort();
    all
}

fn expected(after: &str) -> BTreeSet<String> {
    let first = after.lines().next().unwrap_or_default();
    let list = first
        .strip_prefix("# expect:")
        .expect("after.yaml starts with `# expect:`");
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with("nothing"))
        .map(str::to_owned)
        .collect()
}

/// Writes `after.yaml` beside the lock of `before.yaml` in a fresh directory
/// named after the case; returns (temp root, directory name, the lock).
fn stage(case: &Path) -> (PathBuf, String, Lock) {
    let before = std::fs::read_to_string(case.join("before.yaml")).expect("before.yaml");
    let published =
        errspec::load_str(case.join("before.yaml"), &before).unwrap_or_else(|d| panic!("{d}"));
    let lock = Lock::of(&published.catalogs[0]);
    let kind = case
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let name = format!(
        "{kind}_{}",
        case.file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
    );
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("evolution");
    let dir = root.join(&name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(case.join("after.yaml"), dir.join("after.yaml")).expect("copy after.yaml");
    std::fs::write(
        dir.join(format!("{}.lock", lock.catalog)),
        lock.render(errspec::preamble::DEFAULT_COMMAND),
    )
    .expect("write lock");
    (root, name, lock)
}

#[test]
fn every_breaking_change_is_rejected_with_its_rule() {
    let mut covered = BTreeSet::new();
    for case in cases("breaking") {
        let after = std::fs::read_to_string(case.join("after.yaml")).expect("after.yaml");
        let want = expected(&after);
        assert!(
            !want.is_empty(),
            "{}: a breaking case names its rule",
            case.display()
        );
        // `after` on its own is a valid registry: only the lock makes it breaking.
        errspec::load_str("after.yaml", &after)
            .unwrap_or_else(|d| panic!("{}: after.yaml alone is invalid:\n{d}", case.display()));
        let (root, name, _) = stage(&case);
        let diags = match errspec::load_relative(&root, &name) {
            Ok(_) => panic!("{}: the breaking change was accepted", case.display()),
            Err(d) => d,
        };
        let fired: BTreeSet<String> = diags.list.iter().map(|d| d.rule.id().to_owned()).collect();
        assert_eq!(
            fired,
            want,
            "{}: rules fired vs. declared\n{diags}",
            case.display()
        );
        covered.extend(fired);
        insta::assert_snapshot!(name.clone(), diags.render(false));
    }
    for rule in [
        "locked-entry-removed",
        "locked-name-changed",
        "locked-name-moved",
        "retired-revived",
        "locked-catalog-removed",
    ] {
        assert!(covered.contains(rule), "no breaking case for {rule}");
    }
}

#[test]
fn allowed_changes_pass_and_only_grow_the_lock() {
    for case in cases("allowed") {
        let after = std::fs::read_to_string(case.join("after.yaml")).expect("after.yaml");
        assert!(
            expected(&after).is_empty(),
            "{}: allowed cases expect nothing",
            case.display()
        );
        let (root, name, old) = stage(&case);
        let registry = errspec::load_relative(&root, &name)
            .unwrap_or_else(|d| panic!("{}: rejected:\n{d}", case.display()));
        let lock = registry.locks[0].lock.as_ref().expect("the lock was read");
        assert_eq!(*lock, old);
        let grown = lock.grown(&registry.catalogs[0]);
        assert!(
            old.facts.keys().all(|f| grown.facts.contains_key(f)),
            "{}: the lock lost facts",
            case.display()
        );
        assert!(grown.accepted.is_empty());
        // What codegen writes, merged without a copy of the lock, is the grown lock's text.
        assert_eq!(
            lock.render_grown(&registry.catalogs[0], errspec::preamble::DEFAULT_COMMAND),
            grown.render(errspec::preamble::DEFAULT_COMMAND),
            "{}",
            case.display()
        );
        additions_say_what_they_do_to_builds(&case, &registry.catalogs[0], lock);
    }
}

/// What `codegen` reports it locked: each addition with what it does to consumers'
/// builds. Additions break none; a retirement removes a constant everywhere; a
/// retry hint (given, changed or left out) is no fact of the lock at all.
fn additions_say_what_they_do_to_builds(case: &Path, catalog: &errspec::Catalog, lock: &Lock) {
    let case = case
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let want: &[&str] = match case {
        "new_code" => &["added code 429 TOO_MANY: source-compatible"],
        // A name key is the name already: said once.
        "new_name_entry" => &["added entry `NotAllowedError`: source-compatible"],
        "new_alias" => &["added the name `MISSING` for code 404: source-compatible"],
        "wide_code" => &[
            "added code 3000000000 HUGE: source-compatible",
            "code 3000000000 is the first above 2^31 - 1: source-breaking in Kotlin, Swift and Go",
        ],
        "params_added" => &["added a formatter for code "],
        "retire_code" => &[
            "retired code 404: source-breaking in every code target (Rust, TypeScript, Dart, Kotlin, Swift and Go)",
        ],
        "retry_dropped" | "retry_given" | "message_edit" | "trigger_edit" => &[],
        _ => return,
    };
    let added = errspec::lock::additions(catalog, lock);
    assert_eq!(added.len(), want.len(), "{case}: {added:#?}");
    for (line, start) in added.iter().zip(want) {
        assert!(line.starts_with(start), "{case}: {line}");
        let compatible = !case.starts_with("retire") && !line.contains("first above");
        assert_eq!(
            line.contains("source-compatible"),
            compatible,
            "{case}: {line}"
        );
    }
}

#[test]
fn retiring_a_code_is_recorded_in_the_lock() {
    let (root, name, _) = stage(Path::new(CASES).join("allowed/retire_code").as_path());
    let registry = errspec::load_relative(&root, &name).unwrap_or_else(|d| panic!("{d}"));
    let grown = registry.locks[0]
        .lock
        .as_ref()
        .expect("lock")
        .grown(&registry.catalogs[0]);
    assert!(
        grown
            .render(errspec::preamble::DEFAULT_COMMAND)
            .lines()
            .any(|l| l == "retired 404"),
        "{}",
        grown.render(errspec::preamble::DEFAULT_COMMAND)
    );
}

#[test]
fn accepting_a_breaking_change_records_the_reason_and_then_passes() {
    for case in cases("breaking") {
        if case.ends_with("catalog_removed") {
            continue; // accepted by deleting the lock, on purpose and in review
        }
        let (root, name, _) = stage(&case);
        let options = errspec::LoadOptions {
            check_locks: false,
            ..errspec::LoadOptions::default()
        };
        let registry = errspec::load_with(&root, &name, options).unwrap_or_else(|d| panic!("{d}"));
        let lock_file = &registry.locks[0];
        let accepted = lock_file
            .lock
            .as_ref()
            .expect("lock")
            .accepting(&registry.catalogs[0], "Renamed in 3.0, see CHANGELOG");
        let text = accepted.render(errspec::preamble::DEFAULT_COMMAND);
        assert!(
            text.lines()
                .any(|l| l.starts_with("accepted \"Renamed in 3.0, see CHANGELOG\": ")),
            "{}: the acceptance is not recorded:\n{text}",
            case.display()
        );
        std::fs::write(&lock_file.full_path, &text).expect("write lock");
        errspec::load_relative(&root, &name).unwrap_or_else(|d| {
            panic!("{}: still rejected after acceptance:\n{d}", case.display())
        });
    }
}

#[test]
fn a_lock_round_trips_through_its_text() {
    let registry = errspec::load(Path::new("registry")).unwrap_or_else(|d| panic!("{d}"));
    for (file, catalog) in registry.locks.iter().zip(&registry.catalogs) {
        let lock = file
            .lock
            .as_ref()
            .expect("the shipped registry has its locks committed");
        assert_eq!(
            lock.grown(catalog),
            *lock,
            "{} lacks new codes or names: run `cargo run -p codegen`",
            file.path.display()
        );
        let text = std::fs::read_to_string(&file.full_path).expect("read lock");
        // This workspace's errspec.toml names `cargo run -p codegen` as its command.
        assert_eq!(
            lock.render("cargo run -p codegen"),
            text,
            "{} is not in canonical form",
            file.path.display()
        );
    }
}

#[test]
fn an_accepted_removal_keeps_the_code_and_its_names_reserved() {
    let case = Path::new(CASES).join("breaking/code_removed");
    let (root, name, _) = stage(&case);
    let options = errspec::LoadOptions {
        check_locks: false,
        ..errspec::LoadOptions::default()
    };
    let registry = errspec::load_with(&root, &name, options).unwrap_or_else(|d| panic!("{d}"));
    let lock_file = &registry.locks[0];
    let accepted = lock_file
        .lock
        .as_ref()
        .expect("lock")
        .accepting(&registry.catalogs[0], "404 is gone");
    assert!(
        accepted
            .render(errspec::preamble::DEFAULT_COMMAND)
            .lines()
            .any(|l| l == "retired 404"),
        "{}",
        accepted.render(errspec::preamble::DEFAULT_COMMAND)
    );
    std::fs::write(
        &lock_file.full_path,
        accepted.render(errspec::preamble::DEFAULT_COMMAND),
    )
    .expect("write lock");
    // Reusing the code, or its name for another code, is rejected.
    let after = std::fs::read_to_string(case.join("after.yaml")).expect("after.yaml");
    let entry = "  - code: 404\n    name: SOMETHING_ELSE\n    message: m.\n    trigger: t.\n    retry: never\n";
    let reuse_code = after.replacen("errors:\n", &format!("errors:\n{entry}"), 1);
    let reuse_name = after.replacen(
        "errors:\n",
        &format!(
            "errors:\n{}",
            entry
                .replace("404", "418")
                .replace("SOMETHING_ELSE", "NOT_FOUND")
        ),
        1,
    );
    for (what, text) in [("the code", reuse_code), ("the name", reuse_name)] {
        std::fs::write(root.join(&name).join("after.yaml"), text).expect("write after.yaml");
        let err = errspec::load_relative(&root, &name).expect_err(what);
        assert!(
            err.list
                .iter()
                .any(|d| d.rule == errspec::Rule::RetiredRevived),
            "{what}: {err}"
        );
    }
}

/// Issue 21: a lock cut short in the middle of a line (`name 3029 ER`) was
/// read as a fact, and the error blamed the registry for a name it never had.
/// The lock's own line is the problem, reported there.
#[test]
fn a_lock_cut_short_mid_line_is_reported_in_the_lock() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("truncated-lock");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy("registry/sdk.yaml", dir.join("sdk.yaml")).expect("copy the catalog");
    let lock = std::fs::read_to_string("registry/sdk.lock").expect("read the lock");
    // Halfway through the last `name` line, the name cut short.
    let line_start = lock.rfind("\nname ").expect("a name fact") + 1;
    let line_end = line_start + lock[line_start..].find('\n').expect("a whole line");
    let cut = line_end - 3;
    std::fs::write(dir.join("sdk.lock"), &lock[..cut]).expect("write the cut lock");
    let line = lock[..line_start].lines().count() + 1;

    let Err(refused) = errspec::load(&dir) else {
        panic!("a lock cut short mid-line was read as a whole one");
    };
    let report = refused.render(false);
    assert!(
        refused
            .list
            .iter()
            .all(|d| d.rule == errspec::Rule::InvalidLock),
        "{report}"
    );
    assert!(report.contains("cut short"), "{report}");
    assert!(report.contains(&format!("sdk.lock:{line}:1")), "{report}");
    assert!(
        !report.contains("sdk.yaml"),
        "the registry is not to blame:\n{report}"
    );
}
