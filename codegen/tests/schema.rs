//! The JSON Schemas, checked with a real validator (the `jsonschema` crate,
//! draft 2020-12): the registry format's against the shipped registry, every
//! valid and every invalid fixture, and the loader itself on the values a
//! pattern decides; the export's against the export of every valid registry.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON: {e}"))
}

fn registry_validator() -> jsonschema::Validator {
    let schema = parse_json(&errspec::schema::registry().document());
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("the schema compiles: {e}"))
}

fn export_validator() -> jsonschema::Validator {
    let schema = parse_json(&codegen::export::schema().document());
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("the schema compiles: {e}"))
}

/// The YAML as data, read as the loader reads it (YAML 1.2, strict booleans);
/// `None` where it is not one YAML document of data.
fn yaml(text: &str) -> Option<Value> {
    // The loader's rules that matter to the schema: YAML 1.2 booleans (`no` is a
    // string), one document, unknown tags refused, its nesting limit; repeated keys
    // and `.inf` pass (the loader reports them).
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.reject_unsupported_tags = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_documents = 1;
    budget.max_depth = 32;
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options::<Value>(text, options).ok()
}

/// Every problem the validator finds, one per line with where it is.
fn problems(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

/// The shipped registry and every valid fixture of the repository: each
/// file on its own, as the loader accepts it (locks aside: the evolution
/// fixtures break theirs on purpose, which no schema sees).
fn valid_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "spec/registry",
        "spec/tests/fixtures/valid",
        "spec/tests/fixtures/evolution",
        "tests/fixtures",
    ] {
        yaml_files(&root().join(dir), &mut files);
    }
    files
}

#[test]
fn the_checked_in_schemas_are_what_codegen_writes_and_valid_draft_2020_12() {
    for (path, text) in codegen::schema_files() {
        let on_disk = std::fs::read_to_string(root().join("generated").join(path))
            .unwrap_or_else(|e| panic!("generated/{path}: {e}; run `cargo run -p codegen`"));
        assert_eq!(
            on_disk, text,
            "generated/{path} is stale; run `cargo run -p codegen`"
        );
        let schema = parse_json(&text);
        if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("{path} is not a valid draft 2020-12 schema: {e}");
        }
        assert!(
            text.lines()
                .next()
                .is_some_and(|l| l.contains(codegen::files::MARKER)),
            "{path}: the generated marker must be on the first line"
        );
    }
}

#[test]
fn the_shipped_registry_and_every_valid_fixture_match_the_schema() {
    let validator = registry_validator();
    let files = valid_files();
    assert!(files.len() >= 30, "found only {files:?}");
    let mut failures = Vec::new();
    let mut checked = 0;
    let init = (
        "codegen init's errors/example.yaml".to_owned(),
        codegen::config::INIT_REGISTRY.to_owned(),
    );
    let cases = files
        .iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), text)
        })
        .chain(std::iter::once(init));
    for (name, text) in cases {
        if let Err(d) = errspec::load_str(&name, &text) {
            panic!("{name} is not a valid catalog, so it cannot test the schema:\n{d}");
        }
        let data = yaml(&text).unwrap_or_else(|| panic!("{name}: not YAML data"));
        let found = problems(&validator, &data);
        if !found.is_empty() {
            failures.push(format!("{name}:\n  {}", found.join("\n  ")));
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "the schema refuses valid catalogs:\n{}",
        failures.join("\n")
    );
    assert!(checked > 30);
}

/// The invalid fixtures the schema cannot refuse, and why: it sees one
/// file's data, and a rule between two values (or files, or a lock) is
/// beyond it. The test fails if one of these is refused after all (then it
/// leaves this list) and if any other fixture is accepted.
const BEYOND_THE_SCHEMA: &[(&str, &str)] = &[
    (
        "naming_style_platform.yaml",
        "a platform name's style is its platform's `naming`, declared elsewhere in the file; the schema accepts either style there once a platform has its own",
    ),
    (
        "too_many_params.yaml",
        "the JVM's parameter slots, summed over the parameters' types, and only where Kotlin renders",
    ),
    (
        "param_empty_placeholder.yaml",
        "`{}` in a message with parameters: the template syntax, read by parse.rs, and only where the entry has `params`",
    ),
    (
        "param_override_params_differ.yaml",
        "a platform's message against the entry's parameters: values compared",
    ),
    (
        "param_unbalanced_brace.yaml",
        "a brace without its pair in a message with parameters: the template syntax, only where the entry has `params`",
    ),
    (
        "param_unknown_placeholder.yaml",
        "a placeholder against the entry's declared parameters: values compared",
    ),
    (
        "param_unused.yaml",
        "a declared parameter against the messages: values compared",
    ),
    (
        "alias_of_itself.yaml",
        "an alias equal to its entry's name: two values compared",
    ),
    (
        "backoff_initial_above_max.yaml",
        "`initial` above `max`: two values compared",
    ),
    (
        "catalog_identifier_collision/http2.yaml",
        "two files whose catalog names make one identifier",
    ),
    (
        "catalog_identifier_collision/http_2.yaml",
        "two files whose catalog names make one identifier",
    ),
    (
        "catalog_type_collision/media.yaml",
        "two files: one catalog's type is named like the other's retry type",
    ),
    (
        "catalog_type_collision/media_retry.yaml",
        "two files: one catalog's type is named like the other's retry type",
    ),
    (
        "catalog_name_is_a_keyword.yaml",
        "a reserved word of a target language (the tables of errspec::ident)",
    ),
    (
        "catalog_name_shadows_core_type.yaml",
        "the catalog name's type name (its UpperCamelCase form) is a core type",
    ),
    (
        "code_in_no_category.yaml",
        "a code outside every category's range: a value against other values",
    ),
    (
        "code_outside_explicit_category.yaml",
        "a code outside its category's range: a value against another",
    ),
    (
        "duplicate_canonical_name_disjoint_platforms.yaml",
        "a name used twice: values compared across entries",
    ),
    (
        "duplicate_catalog/client.yaml",
        "a catalog name used by two files",
    ),
    (
        "duplicate_catalog/server.yaml",
        "a catalog name used by two files",
    ),
    (
        "duplicate_code.yaml",
        "duplicate codes: values compared across entries",
    ),
    (
        "duplicate_key.yaml",
        "a key written twice in one mapping: YAML data keeps one of them",
    ),
    (
        "duplicate_name.yaml",
        "a name used twice: values compared across entries",
    ),
    (
        "duplicate_name_via_alias.yaml",
        "a name used twice: values compared across entries",
    ),
    (
        "duplicate_name_via_override.yaml",
        "a name used twice on a platform: values compared across entries",
    ),
    (
        "duplicate_name_with_platforms.yaml",
        "a name used twice on a platform: values compared across entries",
    ),
    (
        "identifier_collision.yaml",
        "two names that become one identifier in a target language",
    ),
    (
        "invalid_lock/http_status.yaml",
        "the lock beside the file, not the file, is wrong",
    ),
    (
        "inverted_category_range.yaml",
        "`from` above `to`: two values compared",
    ),
    (
        "overlapping_categories.yaml",
        "ranges compared with each other",
    ),
    (
        "override_unavailable_platform.yaml",
        "an override for a platform the entry's own `platforms` leaves out: two values compared",
    ),
    (
        "platform_without_entries.yaml",
        "a platform no entry exists on: every entry compared with the header",
    ),
    (
        "retired_code_reused.yaml",
        "a live code equal to a retired one: values compared",
    ),
    (
        "unknown_category_typo.yaml",
        "a category id that the header does not declare: a value against the header's keys",
    ),
    (
        "unknown_platform.yaml",
        "a platform id that the header does not declare: a value against the header's keys",
    ),
];

/// The invalid fixtures that are not one YAML document of data, so there
/// is nothing to validate: the schema never sees them.
const NOT_DATA: &[&str] = &[
    "alias_bomb.yaml",
    "combo_directory/broken_syntax.yaml",
    "custom_tag.yaml",
    "deep_nesting_block_mappings.yaml",
    "deep_nesting_flow_lists.yaml",
    "not_utf8.yaml",
    "tab_indentation.yaml",
    "two_yaml_documents.yaml",
    "yaml_unclosed_flow_bracket.yaml",
];

#[test]
fn the_invalid_fixtures_are_refused_where_one_file_shows_the_fault() {
    let validator = registry_validator();
    let dir = root().join("spec/tests/fixtures/invalid");
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    assert!(files.len() >= 80, "found only {} fixtures", files.len());
    let mut wrong = Vec::new();
    let mut refused = 0;
    for path in &files {
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let data = std::str::from_utf8(&bytes).ok().and_then(yaml);
        let beyond = BEYOND_THE_SCHEMA.iter().find(|(f, _)| *f == name);
        match (data, beyond) {
            (None, _) if NOT_DATA.contains(&name.as_str()) => {}
            (None, _) => wrong.push(format!("{name}: not YAML data, but not listed in NOT_DATA")),
            (Some(_), _) if NOT_DATA.contains(&name.as_str()) => wrong.push(format!(
                "{name}: listed in NOT_DATA, but it is YAML data: validate it"
            )),
            (Some(v), Some((_, why))) => {
                if !validator.is_valid(&v) {
                    wrong.push(format!(
                        "{name}: listed as beyond the schema ({why}), but the schema refuses it: remove it from BEYOND_THE_SCHEMA"
                    ));
                }
            }
            (Some(v), None) => {
                if validator.is_valid(&v) {
                    wrong.push(format!(
                        "{name}: the loader refuses it, the schema accepts it: make the schema refuse it, or list it in BEYOND_THE_SCHEMA with the reason"
                    ));
                } else {
                    refused += 1;
                }
            }
        }
    }
    for (f, _) in BEYOND_THE_SCHEMA {
        assert!(files.iter().any(|p| p.ends_with(f)), "{f} is no fixture");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Most faults are of one value: the schema refuses those fixtures.
    assert!(refused >= 45, "the schema refuses only {refused} fixtures");
}

/// A minimal catalog with one value replaced: the loader's verdict on it
/// and the schema's must agree.
struct Probe {
    validator: jsonschema::Validator,
    disagree: Vec<String>,
    accepted: usize,
    refused: usize,
}

impl Probe {
    fn new() -> Probe {
        Probe {
            validator: registry_validator(),
            disagree: Vec::new(),
            accepted: 0,
            refused: 0,
        }
    }

    /// `template` has `{}` where the value goes, written as YAML text.
    fn check(&mut self, template: &str, value: &str) {
        let text = template.replace("{}", value);
        let loader = errspec::load_str("probe.yaml", &text).is_ok();
        let schema = yaml(&text).is_some_and(|v| self.validator.is_valid(&v));
        if loader != schema {
            self.disagree.push(format!(
                "{value:?}: the loader {}, the schema {}",
                if loader { "accepts" } else { "refuses" },
                if schema { "accepts" } else { "refuses" }
            ));
        } else if loader {
            self.accepted += 1;
        } else {
            self.refused += 1;
        }
    }

    /// As [`Probe::check`], with `value` as a YAML double-quoted string.
    fn check_str(&mut self, template: &str, value: &str) {
        let quoted = serde_json::to_string(value).unwrap_or_default();
        self.check(template, &quoted);
    }

    fn done(self, what: &str) {
        assert!(
            self.disagree.is_empty(),
            "{what}: the schema and the loader disagree:\n{}",
            self.disagree.join("\n")
        );
        assert!(
            self.accepted > 0 && self.refused > 0,
            "{what}: {} accepted, {} refused: the probe tests nothing",
            self.accepted,
            self.refused
        );
    }
}

/// Every string of up to `len` characters of `alphabet`.
fn strings(alphabet: &[char], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|s| {
                alphabet.iter().map(move |c| {
                    let mut t = s.clone();
                    t.push(*c);
                    t
                })
            })
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

const ENTRY: &str = "catalog:\n  name: probe\n  title: Probe\n  naming: NAMING\nerrors:\n  - code: 1\n    name: NAME\n    message: MESSAGE\n    trigger: TRIGGER\n    retry: RETRY\n";

fn entry(naming: &str, name: &str, message: &str, trigger: &str, retry: &str) -> String {
    ENTRY
        .replace("NAMING", naming)
        .replace("NAME", name)
        .replace("MESSAGE", message)
        .replace("TRIGGER", trigger)
        .replace("RETRY", retry)
}

#[test]
fn names_are_in_the_catalogs_style_for_the_schema_as_for_the_loader() {
    // Letters of both cases, a digit, `_`, a non-ASCII letter, spaces and controls.
    let alphabet = ['A', 'b', '7', '_', 'É', ' ', '\t', '\u{202E}'];
    let names = strings(&alphabet, 3);
    for naming in ["SCREAMING_SNAKE_CASE", "UpperCamelCase"] {
        let mut probe = Probe::new();
        for name in &names {
            probe.check_str(&entry(naming, "{}", "m", "t", "never"), name);
            // The same rule for aliases and platform names.
            let alias = entry(naming, "Z", "m", "t", "never") + "    aliases: [{}]\n";
            probe.check_str(&alias, name);
        }
        probe.done(naming);
    }
}

#[test]
fn catalog_names_are_snake_case_for_the_schema_as_for_the_loader() {
    let mut probe = Probe::new();
    // `z` first: a few short words (`as`, `do`, `fn`...) are reserved, which is beyond the schema.
    for tail in strings(&['a', '7', '_', 'B', '-'], 4) {
        let name = format!("z{tail}");
        probe.check_str(
            &entry("SCREAMING_SNAKE_CASE", "A", "m", "t", "never")
                .replace("name: probe", "name: {}"),
            &name,
        );
    }
    for name in ["", "_a", "7a", "a", "é"] {
        probe.check_str(
            &entry("SCREAMING_SNAKE_CASE", "A", "m", "t", "never")
                .replace("name: probe", "name: {}"),
            name,
        );
    }
    probe.done("catalog names");
}

#[test]
fn texts_are_one_line_or_markdown_for_the_schema_as_for_the_loader() {
    // Blank, every kind of break and control the rules name, and ordinary text.
    let alphabet = [
        'x', ' ', '\t', '\n', '\r', '\u{7}', '\u{85}', '\u{a0}', '\u{2028}', '\u{202e}',
        '\u{2066}', '\u{200f}', '\u{3000}',
    ];
    let texts = strings(&alphabet, 2);
    let mut line = Probe::new();
    let mut markdown = Probe::new();
    let mut fix = Probe::new();
    for text in &texts {
        line.check_str(
            &entry("SCREAMING_SNAKE_CASE", "A", "{}", "t", "never"),
            text,
        );
        markdown.check_str(
            &entry("SCREAMING_SNAKE_CASE", "A", "m", "{}", "never"),
            text,
        );
        fix.check_str(
            &entry("SCREAMING_SNAKE_CASE", "A", "m", "t", "{ fix: {} }"),
            text,
        );
    }
    line.done("message");
    markdown.done("trigger");
    fix.done("fix");
}

#[test]
fn delays_are_bounded_for_the_schema_as_for_the_loader() {
    let mut probe = Probe::new();
    let template = entry("SCREAMING_SNAKE_CASE", "A", "m", "t", "{ after: {} }");
    let max_ms = errspec::MAX_DURATION.as_millis();
    let mut values: Vec<String> = Vec::new();
    for (unit, per) in [("ms", 1u128), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)] {
        let top = max_ms / per;
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            top - 1,
            top,
            top + 1,
            top * 10,
            top + 1000,
        ] {
            values.push(format!("{n}{unit}"));
            values.push(format!("000{n}{unit}"));
        }
        // Every number with the top's count of digits near it, a digit at a time.
        let digits = top.to_string();
        for i in 0..digits.len() {
            for d in 0..10u8 {
                let mut s = digits.clone().into_bytes();
                s[i] = b'0' + d;
                values.push(format!("{}{unit}", String::from_utf8_lossy(&s)));
            }
        }
    }
    values.extend(
        [
            "",
            "5",
            "s",
            "ms",
            "5 s",
            "5S",
            "1.5s",
            "-1s",
            "+1s",
            "1d",
            "1m1s",
            "5sec",
            "１s",
            "99999999999999999999999ms",
        ]
        .map(str::to_owned),
    );
    for v in &values {
        probe.check_str(&template, v);
    }
    // Unquoted numbers: no unit.
    probe.check(&template, "5");
    probe.done("after");
}

#[test]
fn codes_attempts_and_links_for_the_schema_as_for_the_loader() {
    let mut codes = Probe::new();
    let code = entry("SCREAMING_SNAKE_CASE", "A", "m", "t", "never").replace("code: 1", "code: {}");
    for c in [
        "0",
        "1",
        "4294967295",
        "4294967296",
        "-1",
        "\"7\"",
        "null",
        "true",
        "[1]",
        "1.5",
    ] {
        codes.check(&code, c);
    }
    codes.done("code");
    // The one known gap: YAML reads `1e3` as a float, which the loader
    // refuses, and JSON Schema's `integer` is any number without a fraction.
    let float = code.replace("{}", "1e3");
    assert!(errspec::load_str("probe.yaml", &float).is_err());
    assert!(yaml(&float).is_some_and(|v| registry_validator().is_valid(&v)));
    let mut attempts = Probe::new();
    let backoff = entry(
        "SCREAMING_SNAKE_CASE",
        "A",
        "m",
        "t",
        "{ backoff: { initial: 1s, max: 2s, attempts: {} } }",
    );
    for a in ["0", "1", "4294967295", "4294967296", "-1", "\"3\""] {
        attempts.check(&backoff, a);
    }
    attempts.done("attempts");
    let mut docs = Probe::new();
    let link = entry("SCREAMING_SNAKE_CASE", "A", "m", "t", "never") + "    docs: {}\n";
    for d in [
        "https://a",
        "http://a.b/c?d#e",
        "https://",
        "http://",
        "https:///a",
        "ftp://a",
        "HTTPS://a",
        "https://a b",
        "https://a\u{a0}b",
        "https://a\u{7}",
        "https://é",
        "https://a/\u{3000}",
        "https://a/\u{feff}",
        "https:// a",
        "//a",
        "a",
    ] {
        docs.check_str(&link, d);
    }
    docs.done("docs");
}

#[test]
fn keys_are_codes_or_names_for_the_schema_as_for_the_loader() {
    let mut probe = Probe::new();
    let by_name = "catalog:\n  name: probe\n  title: Probe\n  keyed_by: name\n  naming: UpperCamelCase\nHEADER\nerrors:\n  - name: NotFound\n    message: m\n    trigger: t\n    retry: never\nENTRY\nretired:\n  - names: [Gone]\n    why: w\n    when: \"1\"\nRETIRED\n";
    let by_code = "catalog:\n  name: probe\n  title: Probe\nHEADER\nerrors:\n  - name: NOT_FOUND\n    message: m\n    trigger: t\n    retry: never\nENTRY\nretired:\n  - names: [GONE]\n    why: w\n    when: \"1\"\nRETIRED\n";
    let header = "  categories:\n    c: { title: C, CODES }";
    for base in [by_name, by_code] {
        for header in [
            "",
            &header.replace("CODES", ""),
            &header.replace("CODES", "codes: { from: 1, to: 9 }"),
        ] {
            for entry in [
                "",
                "    code: 5",
                "    category: c",
                "    code: 5\n    category: c",
            ] {
                // A category named where none is declared is beyond the schema.
                if entry.contains("category") && header.is_empty() {
                    continue;
                }
                for retired in ["", "    code: 7"] {
                    let text = base
                        .replace("HEADER", header)
                        .replace("ENTRY", entry)
                        .replace("RETIRED", retired)
                        .replace("\n\n", "\n");
                    probe.check("{}", &text);
                }
            }
        }
    }
    probe.done("keyed_by");
}

#[test]
fn the_export_of_every_valid_registry_matches_its_schema_and_the_model() {
    let validator = export_validator();
    let mut registries = vec![root().join("spec/registry")];
    registries.extend(
        valid_files()
            .into_iter()
            .filter(|p| !p.starts_with(root().join("spec/registry"))),
    );
    for path in registries {
        // The evolution fixtures break their locks on purpose: read each file alone.
        let registry = if path.is_dir() {
            errspec::load(&path)
        } else {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            errspec::load_str(&path, &text)
        }
        .unwrap_or_else(|d| panic!("{}: {d}", path.display()));
        let export = codegen::export::export(&registry);
        let text = export.pretty();
        assert_eq!(
            text,
            codegen::export::export(&registry).pretty(),
            "deterministic"
        );
        let doc = parse_json(&text);
        let found = problems(&validator, &doc);
        assert!(
            found.is_empty(),
            "{}: the export does not match its schema:\n{}",
            path.display(),
            found.join("\n")
        );
        // What it says is the registry's, read through the model's own accessors.
        assert_eq!(doc["errspec_export"], 1);
        let catalogs = doc["catalogs"].as_array().expect("catalogs");
        assert_eq!(catalogs.len(), registry.catalogs.len());
        for (c, jc) in registry.catalogs.iter().zip(catalogs) {
            assert_eq!(jc["name"], c.name.value.as_str());
            let entries = jc["entries"].as_array().expect("entries");
            assert_eq!(entries.len(), c.entries.len());
            for (e, je) in c.entries.iter().zip(entries) {
                assert_eq!(
                    je["code"].as_u64(),
                    e.code.as_ref().map(|x| u64::from(x.value))
                );
                assert_eq!(je["name"], e.name.value.as_str());
                assert_eq!(je["message"], e.message.value.as_str());
                assert_eq!(
                    je["trigger"].as_str(),
                    e.trigger.as_ref().map(|t| t.value.as_str())
                );
                assert_eq!(je["retry"]["text"], e.retry.value.to_string().as_str());
                assert_eq!(
                    je["category"].as_str(),
                    c.category_of(e).map(|x| x.id.value.as_str())
                );
                for p in &c.platforms {
                    let jp = &je["platforms"][p.id.value.as_str()];
                    let available = e.is_available_on(Some(&p.id.value));
                    assert_eq!(jp["available"], available);
                    if available {
                        assert_eq!(jp["name"], e.name_on(Some(&p.id.value)).value.as_str());
                        assert_eq!(
                            jp["message"],
                            e.message_on(Some(&p.id.value)).value.as_str()
                        );
                    }
                }
            }
            assert_eq!(
                jc["retired"].as_array().map(Vec::len),
                Some(c.retired.len())
            );
        }
    }
}

/// The `# yaml-language-server: $schema=PATH` line of a catalog, resolved
/// against the file's directory as editors resolve it.
fn modeline(file: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(file).ok()?;
    let first = text.lines().next()?;
    let path = first.strip_prefix("# yaml-language-server: $schema=")?;
    Some(file.parent()?.join(path.trim()))
}

#[test]
fn every_shipped_catalog_names_the_schema_codegen_writes() {
    let mut files = Vec::new();
    yaml_files(&root().join("spec/registry"), &mut files);
    assert!(!files.is_empty());
    let schema = errspec::schema::registry().document();
    for file in files {
        let target = modeline(&file)
            .unwrap_or_else(|| panic!("{} lacks the yaml-language-server line", file.display()));
        let text = std::fs::read_to_string(&target).unwrap_or_else(|e| {
            panic!(
                "{}: {} does not resolve: {e}",
                file.display(),
                target.display()
            )
        });
        assert_eq!(text, schema, "{}", target.display());
    }
}

/// Soundness beyond the fixtures: every valid catalog of the repository (but
/// the evolution pairs) with one line deleted. Whatever the loader still accepts,
/// the schema must accept too; of what the loader refuses, the schema
/// refuses a good share (the rest breaks a rule between values).
#[test]
fn what_the_loader_accepts_after_deleting_a_line_the_schema_accepts() {
    let validator = registry_validator();
    let (mut both_accept, mut both_refuse, mut only_loader_refuses) = (0usize, 0usize, 0usize);
    let mut unsound = Vec::new();
    // The evolution fixtures are near copies of one catalog: left out, they would double the time.
    let evolution = root().join("spec/tests/fixtures/evolution");
    for file in valid_files()
        .into_iter()
        .filter(|f| !f.starts_with(&evolution))
    {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        // A long catalog repeats the same shapes of line: every fourth one of
        // it is enough, and each load of it costs ten of a short one.
        let step = if lines.len() > 150 { 4 } else { 1 };
        for i in (0..lines.len()).step_by(step) {
            let mut mutated: Vec<&str> = lines.clone();
            mutated.remove(i);
            let mutated = mutated.join("\n") + "\n";
            let loader = errspec::load_str("mutated.yaml", &mutated).is_ok();
            let schema = yaml(&mutated).is_some_and(|v| validator.is_valid(&v));
            match (loader, schema) {
                (true, true) => both_accept += 1,
                (true, false) => unsound.push(format!(
                    "{} line {} deleted: {}",
                    file.display(),
                    i + 1,
                    yaml(&mutated)
                        .map(|v| problems(&validator, &v).join("; "))
                        .unwrap_or_default()
                )),
                (false, false) => both_refuse += 1,
                (false, true) => only_loader_refuses += 1,
            }
        }
    }
    assert!(
        unsound.is_empty(),
        "the schema refuses catalogs the loader accepts:\n{}",
        unsound.join("\n")
    );
    eprintln!(
        "{both_accept} accepted by both, {both_refuse} refused by both, {only_loader_refuses} refused by the loader alone"
    );
    assert!(both_accept > 100 && both_refuse > 100);
}

/// A field of the format and the export keys that carry it.
type Place = (&'static str, &'static [&'static str]);

/// Where each field of the registry format lands in the export: a field
/// added to the format (and so to its schema) fails here until it is given
/// its export key(s), and every key named must be in the export's schema.
#[test]
fn every_field_of_the_format_has_its_place_in_the_export() {
    // (registry schema mapping, export schema definition, field -> export keys)
    let places: &[(&str, &str, &[Place])] = &[
        (
            "catalog_header",
            "catalog",
            &[
                ("name", &["name"]),
                ("title", &["title"]),
                ("description", &["description"]),
                ("delivery", &["delivery"]),
                ("keyed_by", &["keyed_by"]),
                ("naming", &["naming"]),
                ("platforms", &["platforms"]),
                ("categories", &["categories"]),
            ],
        ),
        (
            "platform",
            "platform",
            &[
                ("title", &["title"]),
                ("delivery", &["delivery"]),
                ("naming", &["naming"]),
            ],
        ),
        (
            "category",
            "category",
            &[("title", &["title"]), ("codes", &["codes"])],
        ),
        (
            "entry",
            "entry",
            &[
                ("code", &["code"]),
                ("name", &["name", "accepted_names"]),
                ("message", &["message"]),
                ("trigger", &["trigger"]),
                ("retry", &["retry"]),
                ("category", &["category"]),
                ("docs", &["docs"]),
                ("aliases", &["aliases", "accepted_names"]),
                ("deprecated", &["deprecated"]),
                // Availability and the names and messages of each platform.
                ("platforms", &["platforms"]),
                ("overrides", &["platforms"]),
                ("params", &["params"]),
            ],
        ),
        (
            "param",
            "param",
            &[("type", &["type"]), ("description", &["description"])],
        ),
        (
            "retired",
            "retired",
            &[
                ("code", &["code"]),
                ("names", &["names"]),
                ("why", &["why"]),
                ("when", &["when"]),
            ],
        ),
    ];
    let registry = parse_json(&errspec::schema::registry().document());
    let export = parse_json(&codegen::export::schema().document());
    for (from, to, fields) in places {
        let props = registry["$defs"][from]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("registry $defs/{from}"));
        let exported = export["$defs"][to]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("export $defs/{to}"));
        for field in props.keys() {
            let keys = fields
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, k)| *k)
                .unwrap_or_else(|| {
                    panic!("`{from}.{field}` of the format has no place in the export: add it to codegen/src/export.rs (document and schema), then here")
                });
            for key in keys {
                assert!(
                    exported.contains_key(*key),
                    "export $defs/{to} lacks `{key}` (for `{from}.{field}`)"
                );
            }
        }
        for (field, _) in fields.iter() {
            assert!(
                props.contains_key(*field),
                "`{from}.{field}` is no field of the format"
            );
        }
    }
}
