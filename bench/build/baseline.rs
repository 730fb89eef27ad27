//! The hand-written baseline for `benches/generated.rs`, written out as plain code.
//!
//! `Baseline` is what a person would write by hand for the same catalog: a
//! fieldless enum with the codes as discriminants, and one `match` per
//! accessor, with no attributes and no generated helpers. The benches put
//! each generated accessor beside the same accessor of `Baseline`.
//!
//! Two other ways to look a name up are written too, labelled as
//! alternatives (not baselines), to show what a different `from_name` shape
//! would cost: a `match` on the length first, and a binary search over a
//! sorted table.

use std::fmt::Write as _;

use errspec::Catalog;

/// Rust source of `enum Baseline` and its impls for the canonical view of `catalog`,
/// then the alternatives.
pub fn code(catalog: &Catalog) -> String {
    let mut out = hand_written(catalog);
    alternatives(&mut out, &entries(catalog));
    out
}

/// The hand-written `Baseline` alone: the peer of `scripts/rust-compile-scaling.sh`.
pub fn hand_written(catalog: &Catalog) -> String {
    let entries = entries(catalog);
    hand_written_of(&entries)
}

/// Variant, code, message and accepted names of every entry.
fn entries(catalog: &Catalog) -> Vec<(String, u32, &str, Vec<&str>)> {
    catalog
        .entries
        .iter()
        .map(|e| {
            let mut names = vec![e.name.value.as_str()];
            names.extend(e.aliases.iter().map(|a| a.value.as_str()));
            (
                errspec_rust::variant(&e.name.value),
                e.code.as_ref().map_or(0, |c| c.value),
                e.message.value.as_str(),
                names,
            )
        })
        .collect()
}

fn hand_written_of(entries: &[(String, u32, &str, Vec<&str>)]) -> String {
    let max = entries.iter().map(|e| e.1).max().unwrap_or(0);
    let repr = if max <= u32::from(u8::MAX) {
        "u8"
    } else if max <= u32::from(u16::MAX) {
        "u16"
    } else {
        "u32"
    };

    let mut out = String::new();
    out.push_str(
        "// Written by bench/build.rs (build/baseline.rs): the hand-written baseline.\n\n\
         /// The same catalog as `Synthetic`, written the way a person would by hand.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq)]\n",
    );
    let _ = writeln!(out, "#[repr({repr})]\npub enum Baseline {{");
    for (variant, code, _, _) in entries {
        let _ = writeln!(out, "    {variant} = {code},");
    }
    out.push_str("}\n\nimpl Baseline {\n    pub const ALL: &'static [Baseline] = &[\n");
    for (variant, ..) in entries {
        let _ = writeln!(out, "        Baseline::{variant},");
    }
    out.push_str("    ];\n\n");

    out.push_str("    pub fn code(self) -> u32 {\n        self as u32\n    }\n\n");

    out.push_str("    pub fn from_code(code: u32) -> Option<Baseline> {\n        match code {\n");
    for (variant, code, _, _) in entries {
        let _ = writeln!(out, "            {code} => Some(Baseline::{variant}),");
    }
    out.push_str("            _ => None,\n        }\n    }\n\n");

    out.push_str("    pub fn name(self) -> &'static str {\n        match self {\n");
    for (variant, _, _, names) in entries {
        let _ = writeln!(out, "            Baseline::{variant} => {:?},", names[0]);
    }
    out.push_str("        }\n    }\n\n");

    out.push_str("    pub fn message(self) -> &'static str {\n        match self {\n");
    for (variant, _, message, _) in entries {
        let _ = writeln!(out, "            Baseline::{variant} => {message:?},");
    }
    out.push_str("        }\n    }\n\n");

    out.push_str("    pub fn from_name(name: &str) -> Option<Baseline> {\n        match name {\n");
    for (variant, _, _, names) in entries {
        let patterns: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        let _ = writeln!(
            out,
            "            {} => Some(Baseline::{variant}),",
            patterns.join(" | ")
        );
    }
    out.push_str("            _ => None,\n        }\n    }\n");
    out.push_str("}\n\n");

    out.push_str(
        "impl std::fmt::Display for Baseline {\n    \
         fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n        \
         f.write_str(self.message())\n    }\n}\n\n",
    );
    out
}

/// `from_name` shaped differently: by length first, and by binary search.
fn alternatives(out: &mut String, entries: &[(String, u32, &str, Vec<&str>)]) {
    let mut by_len: std::collections::BTreeMap<usize, Vec<(&str, &str)>> = Default::default();
    let mut sorted: Vec<(&str, &str)> = Vec::new();
    for (variant, _, _, names) in entries {
        for name in names {
            by_len
                .entry(name.len())
                .or_default()
                .push((name, variant.as_str()));
            sorted.push((name, variant.as_str()));
        }
    }
    sorted.sort();

    out.push_str(
        "/// Alternative (not a baseline): `match` on the length, then on the name.\n\
         pub fn from_name_by_len(name: &str) -> Option<Baseline> {\n    match name.len() {\n",
    );
    for (len, names) in &by_len {
        let _ = writeln!(out, "        {len} => match name {{");
        for (name, variant) in names {
            let _ = writeln!(out, "            {name:?} => Some(Baseline::{variant}),");
        }
        out.push_str("            _ => None,\n        },\n");
    }
    out.push_str("        _ => None,\n    }\n}\n\n");

    out.push_str(
        "/// Alternative (not a baseline): binary search over the names, sorted.\n\
         pub fn from_name_sorted(name: &str) -> Option<Baseline> {\n    \
         static NAMES: &[(&str, Baseline)] = &[\n",
    );
    for (name, variant) in &sorted {
        let _ = writeln!(out, "        ({name:?}, Baseline::{variant}),");
    }
    out.push_str(
        "    ];\n    NAMES\n        .binary_search_by(|(n, _)| (*n).cmp(name))\n        \
         .ok()\n        .map(|i| NAMES[i].1)\n}\n",
    );
}
