//! The shipped registry loads cleanly and matches the published SDK tables.

use std::collections::BTreeSet;
use std::path::Path;

use errspec::{KeyedBy, Registry, RetryHint};

/// Loads with the built-in targets' language rows (codegen's), as `codegen` does
/// when it renders every target: this crate ships none.
fn load(path: impl AsRef<std::path::Path>) -> Result<errspec::Registry, errspec::Diagnostics> {
    let options = errspec::LoadOptions {
        languages: codegen::targets::built_in_languages().unwrap_or_else(|e| panic!("{e}")),
        ..errspec::LoadOptions::default()
    };
    errspec::load_with(std::path::Path::new(""), path, options)
}

fn shipped() -> Registry {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("registry");
    match load(&dir) {
        Ok(r) => r,
        Err(d) => panic!("the shipped registry is invalid:\n{d}"),
    }
}

/// `(platform, name, code)` rows of the React and Flutter tables, in table order.
fn seed_rows() -> Vec<(String, String, u32)> {
    let text = include_str!("fixtures/seed_tables.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "bad fixture line {l:?}");
            let code = parts[2]
                .parse()
                .unwrap_or_else(|_| panic!("bad code in {l:?}"));
            (parts[0].to_owned(), parts[1].to_owned(), code)
        })
        .collect()
}

#[test]
fn shipped_registry_has_the_three_catalogs() {
    let reg = shipped();
    let names: Vec<&str> = reg.catalogs.iter().map(|c| c.name.value.as_str()).collect();
    assert_eq!(names, ["ice", "recorder", "sdk"]);
}

#[test]
fn each_sdk_platform_view_lists_exactly_its_seed_table_in_order() {
    let reg = shipped();
    let sdk = reg.catalog("sdk").expect("sdk catalog");
    let rows = seed_rows();
    for platform in ["web", "flutter"] {
        let expected: Vec<(String, u32)> = rows
            .iter()
            .filter(|(p, _, _)| p == platform)
            .map(|(_, n, c)| (n.clone(), *c))
            .collect();
        let view = sdk.view(platform).expect("platform view");
        let actual: Vec<(String, u32)> = view
            .entries()
            .map(|e| {
                (
                    e.name.value.clone(),
                    e.entry.code.as_ref().map_or(0, |c| c.value),
                )
            })
            .collect();
        assert_eq!(
            actual, expected,
            "the {platform} view differs from its seed table"
        );
    }
    // The tables' sizes, as published: a guard against a truncated fixture.
    assert_eq!(rows.iter().filter(|r| r.0 == "web").count(), 51);
    assert_eq!(rows.iter().filter(|r| r.0 == "flutter").count(), 25);
}

#[test]
fn sdk_platform_differences_are_overrides_of_one_entry_per_code() {
    let reg = shipped();
    let sdk = reg.catalog("sdk").expect("sdk catalog");
    let codes: Vec<u32> = sdk
        .entries
        .iter()
        .filter_map(|e| e.code.as_ref().map(|c| c.value))
        .collect();
    let unique: BTreeSet<u32> = codes.iter().copied().collect();
    assert_eq!(codes.len(), unique.len(), "one canonical entry per code");
    let e4009 = sdk
        .entries
        .iter()
        .find(|e| e.code.as_ref().is_some_and(|c| c.value == 4009))
        .expect("4009");
    assert_eq!(e4009.name_on(Some("web")).value, "MAX_PARTCIPANT_REACHED");
    assert_eq!(
        e4009.name_on(Some("flutter")).value,
        "MAX_PARTICIPANT_REACHED"
    );
    for (code, category) in [
        (3011, "media_devices"),
        (4001, "configuration"),
        (5001, "service_runtime"),
    ] {
        let e = sdk
            .entries
            .iter()
            .find(|e| e.code.as_ref().is_some_and(|c| c.value == code))
            .expect("entry");
        assert_eq!(
            sdk.category_of(e).map(|c| c.id.value.as_str()),
            Some(category)
        );
    }
}

#[test]
fn ice_catalog_has_the_stun_turn_codes_and_701() {
    let reg = shipped();
    let ice = reg.catalog("ice").expect("ice catalog");
    let codes: Vec<u32> = ice
        .entries
        .iter()
        .filter_map(|e| e.code.as_ref().map(|c| c.value))
        .collect();
    assert_eq!(
        codes,
        [
            300, 400, 401, 403, 420, 437, 438, 440, 441, 442, 443, 486, 487, 500, 508, 701
        ]
    );
    let retry_of = |code: u32| {
        &ice.entries
            .iter()
            .find(|e| e.code.as_ref().is_some_and(|c| c.value == code))
            .expect("code")
            .retry
            .value
    };
    assert!(
        matches!(retry_of(300), RetryHint::AfterFix(_)),
        "300: resend to the alternate server"
    );
    assert!(
        matches!(retry_of(420), RetryHint::AfterFix(_)),
        "420: resend without the unknown attributes"
    );
    assert!(
        matches!(retry_of(438), RetryHint::AfterFix(_)),
        "438: retry with the new nonce"
    );
    assert!(
        matches!(retry_of(487), RetryHint::AfterFix(_)),
        "487: repeat the check in the other role"
    );
    assert!(
        matches!(retry_of(486), RetryHint::Backoff { .. }),
        "486: back off"
    );
    assert!(
        matches!(retry_of(508), RetryHint::Backoff { .. }),
        "508: back off"
    );
    assert!(
        matches!(retry_of(701), RetryHint::AfterFix(_)),
        "701: try the next server"
    );
}

#[test]
fn recorder_catalog_is_keyed_by_dom_exception_name() {
    let reg = shipped();
    let rec = reg.catalog("recorder").expect("recorder catalog");
    assert_eq!(rec.keyed_by, KeyedBy::Name);
    let names: Vec<&str> = rec.entries.iter().map(|e| e.name.value.as_str()).collect();
    assert_eq!(
        names,
        ["SecurityError", "InvalidModificationError", "UnknownError"]
    );
    assert!(rec.entries.iter().all(|e| e.code.is_none()));
}
