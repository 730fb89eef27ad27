//! Large registries, valid by construction, for the compile-at-scale tests of every target
//! (`tests/tests/large.rs`) and `scripts/large-compile.sh` (through `examples/large.rs`).
//!
//! Three shapes, each one catalog file:
//! - [`entries`]: `n` entries shaped like real ones (every retry kind, docs, deprecations, an
//!   alias on every 7th, a canonical-name override on the platforms, two typed parameters on
//!   every 10th);
//! - [`aliases`]: one entry with `n` former names;
//! - [`params`]: one message with `n` string parameters, text between each.

use std::fmt::Write as _;

use crate::arbitrary::letters;

const PLATFORMS: &str = "  platforms:\n    web: { title: Web }\n    flutter: { title: Flutter }\n    android: { title: Android }\n    ios: { title: iOS }\n";

/// A catalog of `n` entries named `E_<letters>`, codes 1..=n.
pub fn entries(n: usize) -> String {
    let mut out = format!("catalog:\n  name: large\n  title: Large catalog\n{PLATFORMS}errors:\n");
    for i in 0..n {
        let name = format!("E_{}", letters(i));
        let code = i + 1;
        let _ = writeln!(out, "  - code: {code}\n    name: {name}");
        if i % 10 == 3 {
            let _ = writeln!(
                out,
                "    message: \"Device {{device}} failed after {{count}} tries (entry {i}).\"\n    params:\n      device: {{ type: string, description: The device. }}\n      count: {{ type: int, description: How many tries. }}"
            );
        } else {
            let _ = writeln!(
                out,
                "    message: \"Entry {i} failed: \\\"quoted\\\" text and $dollar.\""
            );
        }
        let _ = writeln!(out, "    trigger: The operation number {i} failed.");
        let retry = match i % 4 {
            0 => "never".to_owned(),
            1 => format!("{{ after: {}s }}", i % 50 + 1),
            2 => "{ backoff: { initial: 500ms, max: 8s, attempts: 4 } }".to_owned(),
            _ => format!("{{ fix: Fix the input of operation {i}. }}"),
        };
        let _ = writeln!(out, "    retry: {retry}");
        if i % 5 == 0 {
            let _ = writeln!(out, "    docs: https://example.com/errors/{code}");
        }
        if i % 11 == 0 {
            let _ = writeln!(out, "    deprecated: Use another error than {i}.");
        }
        if i % 7 == 0 {
            let _ = writeln!(out, "    aliases: [OLD_{}]", letters(i));
        }
    }
    out
}

/// One entry with `n` former names `OLD_<letters>`.
pub fn aliases(n: usize) -> String {
    let names: Vec<String> = (0..n).map(|i| format!("OLD_{}", letters(i))).collect();
    format!(
        "catalog:\n  name: aliased\n  title: Many aliases\n{PLATFORMS}errors:\n  - code: 1\n    name: MANY\n    message: One entry, many former names.\n    trigger: t\n    retry: never\n    aliases: [{}]\n",
        names.join(", ")
    )
}

/// One entry whose message has `n` string parameters `p_<letters>` (lower case).
pub fn params(n: usize) -> String {
    let mut message = String::new();
    let mut params = String::new();
    for i in 0..n {
        let p = format!("p_{}", letters(i).to_lowercase());
        let _ = write!(message, "{{{p}}} and ");
        let _ = writeln!(
            params,
            "      {p}: {{ type: string, description: Part {i}. }}"
        );
    }
    message.push_str("the end.");
    format!(
        "catalog:\n  name: wide\n  title: Many parameters\n{PLATFORMS}errors:\n  - code: 1\n    name: WIDE\n    message: \"{message}\"\n    trigger: t\n    retry: never\n    params:\n{params}"
    )
}
