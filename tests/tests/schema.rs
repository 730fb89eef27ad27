//! Random valid registries (`errspec_tests::arbitrary`: every field, every
//! text class the validator allows, both naming styles, name-keyed catalogs,
//! platforms, overrides, retired entries) match the registry format's JSON
//! Schema, as the `jsonschema` crate reads it; and their export matches the
//! export's schema. `codegen/tests/schema.rs` has the fixed cases.

use std::sync::OnceLock;

use serde_json::Value;

fn validator(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

fn registry_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| validator(&errspec::schema::registry().document()))
}

fn export_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| validator(&codegen::export::schema().document()))
}

fn problems(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

proptest::proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(64))]

    #[test]
    fn random_valid_catalogs_match_the_schema_and_so_does_their_export(
        catalogs in errspec_tests::arbitrary::registry()
    ) {
        for c in &catalogs {
            let text = c.yaml();
            let registry = errspec::load_str(format!("{}.yaml", c.name), &text)
                .unwrap_or_else(|d| panic!("the generator wrote an invalid catalog:\n{d}\n{text}"));
            let data: Value = serde_saphyr::from_str_with_options(&text, errspec::reader_options())
                .unwrap_or_else(|e| panic!("not YAML data: {e}\n{text}"));
            let found = problems(registry_schema(), &data);
            proptest::prop_assert!(found.is_empty(), "the schema refuses a valid catalog:\n{}\n{text}", found.join("\n"));
            let export: Value = serde_json::from_str(&codegen::export::export(&registry).pretty())
                .expect("the export is JSON");
            let found = problems(export_schema(), &export);
            proptest::prop_assert!(found.is_empty(), "the export does not match its schema:\n{}\n{text}", found.join("\n"));
        }
    }
}

/// Every `pattern` of the registry schema, with where it is.
fn patterns(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                match (k.as_str(), child) {
                    ("pattern", Value::String(p)) => out.push((at.to_owned(), p.clone())),
                    _ => patterns(child, &format!("{at}/{k}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                patterns(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Editors read the patterns as JavaScript regular expressions (ECMA-262,
/// with and without the `u` flag), this crate's validator as Rust's: each
/// pattern must say the same of every string in both. Node.js runs the
/// JavaScript side (the TypeScript checks need it too).
#[test]
fn every_pattern_means_the_same_in_javascript_as_in_rust() {
    let schema: Value =
        serde_json::from_str(&errspec::schema::registry().document()).expect("JSON");
    let mut found = Vec::new();
    patterns(&schema, "", &mut found);
    assert!(found.len() >= 8, "{found:?}");
    // Every character class the patterns name, and their neighbours.
    let alphabet = [
        'A', 'Z', 'b', 'z', '0', '1', '8', '9', '_', '-', '/', ':', 'h', 'm', 's', 'p', 't', ' ',
        '\t', '\n', '\r', '\u{0}', '\u{7}', '\u{1f}', '\u{7f}', '\u{85}', '\u{a0}', '\u{1680}',
        '\u{200b}', '\u{200f}', '\u{2028}', '\u{202e}', '\u{202f}', '\u{2066}', '\u{3000}',
        '\u{feff}', 'é', '😀',
    ];
    let mut strings: Vec<String> = vec![String::new()];
    for a in alphabet {
        strings.push(a.to_string());
        for b in alphabet {
            strings.push(format!("{a}{b}"));
            strings.push(format!("A{a}{b}"));
            strings.push(format!("x{a}x{b}"));
        }
    }
    for unit in ["ms", "s", "m", "h"] {
        for n in [
            "0",
            "1",
            "007",
            "8760",
            "8761",
            "525600",
            "525601",
            "31536000",
            "31536001",
            "31536000000",
            "31536000001",
            "99999999999",
        ] {
            strings.push(format!("{n}{unit}"));
        }
    }
    for url in [
        "https://a",
        "http://a/b",
        "https://",
        "https:///a",
        "https://a b",
        "https://a\u{3000}",
        "ftp://a",
    ] {
        strings.push(url.to_owned());
    }
    // Rust: the crate's validator on `{"type": "string", "pattern": P}`.
    let rust: Vec<Vec<bool>> = found
        .iter()
        .map(|(_, p)| {
            let v = jsonschema::draft202012::new(
                &serde_json::json!({ "type": "string", "pattern": p }),
            )
            .expect("the pattern compiles");
            strings
                .iter()
                .map(|s| v.is_valid(&Value::String(s.clone())))
                .collect()
        })
        .collect();
    let script = r#"
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const { patterns, strings } = JSON.parse(input);
  const out = {};
  for (const flags of ["u", ""]) {
    out[flags] = patterns.map((p) => { const r = new RegExp(p, flags); return strings.map((s) => r.test(s)); });
  }
  process.stdout.write(JSON.stringify(out));
});
"#;
    let patterns_only: Vec<&String> = found.iter().map(|(_, p)| p).collect();
    let input = serde_json::json!({ "patterns": patterns_only, "strings": strings }).to_string();
    let mut child = std::process::Command::new("node")
        .args(["-e", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node`: {e}; install Node.js (https://nodejs.org, or `apt-get install nodejs`): the JavaScript side of the schema's patterns is checked with it"));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write to node");
    }
    let out = child.wait_with_output().expect("node ran");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Value = serde_json::from_slice(&out.stdout).expect("node printed JSON");
    let mut differ = Vec::new();
    for flags in ["u", ""] {
        for (i, (at, p)) in found.iter().enumerate() {
            for (j, s) in strings.iter().enumerate() {
                let j_verdict = js[flags][i][j].as_bool();
                if j_verdict != Some(rust[i][j]) {
                    differ.push(format!(
                        "{at} /{p}/{flags} on {s:?}: Rust {}, JavaScript {j_verdict:?}",
                        rust[i][j]
                    ));
                }
            }
        }
    }
    assert!(
        differ.is_empty(),
        "{} differences, e.g.:\n{}",
        differ.len(),
        differ
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Both match and refuse: the corpus tests something for every pattern.
    for (i, (at, _)) in found.iter().enumerate() {
        assert!(
            rust[i].contains(&true) && rust[i].contains(&false),
            "{at}: the corpus does not separate"
        );
    }
}
