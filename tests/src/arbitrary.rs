//! Random valid registries, for the property tests of every target.
//!
//! [`registry`] generates catalogs that the validator must accept: random codes
//! and categories, names in either naming style (keywords and generated member
//! names among them), platforms with overrides, aliases, retired entries, every
//! retry kind, and text drawn from every character class the validator allows
//! in each field (quotes, backslashes, `$`, `${`, `*/`, `|`, `<`, braces,
//! Markdown and HTML syntax, combining marks, emoji, right-to-left letters).
//! A catalog is generated as a model and written as YAML by [`Catalog::yaml`],
//! so a failing case shrinks to a smaller model, and the YAML it wrote is kept.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proptest::prelude::*;

/// Pieces of one-line text: every class of character a one-line field allows.
const LINE_PIECES: &[&str] = &[
    "a",
    "Z",
    "error",
    " ",
    "  ",
    "\"",
    "'",
    "`",
    "``",
    "```",
    "\\",
    "\\n",
    "$",
    "$x",
    "${x}",
    "#{x}",
    "%s",
    "{}",
    "{0}",
    "{{x}}",
    "}}",
    "*/",
    "/*",
    "//",
    "|",
    "||",
    "<",
    ">",
    "<b>",
    "</b>",
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "<a id=\"err-1\"></a>",
    "&",
    "&amp;",
    "&lt;",
    "&#60;",
    "*",
    "**",
    "_",
    "__",
    "~",
    "~~",
    "[",
    "]",
    "[x](y)",
    "![i](y)",
    "<http://a.example>",
    "#",
    "- ",
    "1. ",
    "> ",
    "=",
    "---",
    "é",
    "e\u{301}",
    "中文",
    "🎉",
    "👩\u{200d}💻",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
    "\u{627}\u{644}\u{639}\u{631}\u{628}\u{64a}\u{629}",
    "\u{200f}",
    "\u{200b}",
    "\u{a0}",
    "r#\"",
    "\"#",
    "'''",
    "\"\"\"",
    "@param",
    "\\u{41}",
];

/// What multi-line Markdown fields add: line breaks of every kind, fences, indentation.
const BLOCK_PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\n    ",
    "\n```\n",
    "\n````\n",
    "\n~~~\n",
    "\n- ",
    "\n> ",
    "\n1. ",
    "\n<div>\n",
    "\n</div>\n",
    "\n| a | b |\n| --- | --- |\n",
    "\n# ",
    "\n---\n",
    "\n[x]: http://a.example\n",
    "\t",
    "\n\t",
];

/// Canonical-name stems: keywords of the target languages and the generated
/// members' own names among them (the generators escape them, never refuse them).
const STEMS: &[&str] = &[
    "SELF",
    "TYPE",
    "FN",
    "MATCH",
    "ALL",
    "NAME",
    "INDEX",
    "VALUES",
    "CODE",
    "MESSAGE",
    "TRIGGER",
    "RETRY",
    "DOCS",
    "ALIASES",
    "FROM_CODE",
    "FROM_NAME",
    "CLASS",
    "ENUM",
    "NULL",
    "TRUE",
    "DEFAULT",
    "CONSTRUCTOR",
    "PROTOTYPE",
    "TO_STRING",
    "HASH_CODE",
    "ERROR",
    "TIMEOUT",
    "BUSY",
];

/// `A`, `B`, ... `Z`, `BA`, ...: unique, letters only (digits could merge words).
pub fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `FOO_BAR` → `FooBar`.
fn camel(screaming: &str) -> String {
    screaming
        .split('_')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(c) => c.to_string() + &cs.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect()
}

fn line_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(LINE_PIECES), 1..10)
        .prop_map(|p| p.concat())
        .prop_map(non_blank)
}

fn block_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(LINE_PIECES),
            1 => prop::sample::select(BLOCK_PIECES),
        ],
        1..16,
    )
    .prop_map(|p| non_blank(p.concat()))
}

/// The validator refuses empty and blank texts; a word keeps every case valid.
fn non_blank(s: String) -> String {
    if s.trim().is_empty() {
        format!("w{s}")
    } else {
        s
    }
}

#[derive(Clone, Debug)]
pub enum Retry {
    Never,
    /// No `retry` key: the registry gives no guidance.
    Unspecified,
    After(String),
    Backoff(String, String, u32),
    Fix(String),
}

fn duration(max_ms: u64) -> impl Strategy<Value = (u64, String)> {
    prop_oneof![
        (1..=max_ms.min(10_000)).prop_map(|n| (n, format!("{n}ms"))),
        (1..=(max_ms / 1000).clamp(1, 600)).prop_map(|n| (n * 1000, format!("{n}s"))),
        (1..=(max_ms / 60_000).clamp(1, 600)).prop_map(|n| (n * 60_000, format!("{n}m"))),
        (1..=(max_ms / 3_600_000).clamp(1, 8760)).prop_map(|n| (n * 3_600_000, format!("{n}h"))),
    ]
}

fn retry() -> impl Strategy<Value = Retry> {
    const YEAR: u64 = 8760 * 3_600_000;
    prop_oneof![
        Just(Retry::Never),
        Just(Retry::Unspecified),
        duration(YEAR).prop_map(|(_, d)| Retry::After(d)),
        (duration(YEAR), duration(YEAR), 1..=u32::MAX).prop_map(|(a, b, n)| {
            let (lo, hi) = if a.0 <= b.0 { (a, b) } else { (b, a) };
            Retry::Backoff(lo.1, hi.1, n)
        }),
        line_text().prop_map(Retry::Fix),
    ]
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub code: Option<u32>,
    pub name: String,
    pub message: String,
    /// `None`: no `trigger` key, the registry does not say (an imported catalog).
    pub trigger: Option<String>,
    pub retry: Retry,
    pub docs: Option<String>,
    pub aliases: Vec<String>,
    pub deprecated: Option<String>,
    /// `None`: every platform of the catalog.
    pub platforms: Option<Vec<usize>>,
    /// (platform index, name, message)
    pub overrides: Vec<(usize, Option<String>, Option<String>)>,
    /// (name, type, description); when present, `message` and override messages are templates.
    pub params: Vec<(String, &'static str, String)>,
}

#[derive(Clone, Debug)]
pub struct Retired {
    pub code: Option<u32>,
    pub names: Vec<String>,
    pub why: String,
}

#[derive(Clone, Debug)]
pub struct Catalog {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub delivery: Option<String>,
    pub keyed_by_code: bool,
    pub camel: bool,
    pub platforms: Vec<(String, String, Option<String>)>,
    /// Inclusive code ranges, in order, covering every code.
    pub categories: Vec<(String, String, u32, u32)>,
    pub entries: Vec<Entry>,
    pub retired: Vec<Retired>,
}

/// Raw parts of an entry before names and codes are made unique.
type RawEntry = (
    (usize, String, Option<String>, Retry),
    (Option<String>, Option<String>, usize, Option<u8>),
    (u8, bool, Option<String>),
    Vec<(usize, usize, usize)>,
);

/// Parameter names: ordinary ones and the generated code's own local names
/// (`f`, `out`, `args`, `text`, `ms`, `d`), member-like ones (`message`, `name`,
/// `error`) and a digit after an underscore.
const PARAM_NAMES: &[&str] = &[
    "device",
    "app_name",
    "f",
    "out",
    "args",
    "text",
    "value",
    "error",
    "message",
    "name",
    "string",
    "count_2",
    "ms",
    "d",
    "to_string",
    "length",
    "it",
];
const PARAM_TYPES: &[&str] = &["string", "int", "bool", "duration"];

/// Parameters: (name index, type index, where the placeholder goes); names made
/// unique by `build`.
fn raw_params() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop_oneof![
        2 => Just(Vec::new()),
        1 => prop::collection::vec((0..PARAM_NAMES.len(), 0..PARAM_TYPES.len(), any::<usize>()), 1..4),
    ]
}

/// A trigger, or none (left out, as `errspec import` writes entries).
fn trigger() -> impl Strategy<Value = Option<String>> {
    prop_oneof![4 => block_text().prop_map(Some), 1 => Just(None)]
}

fn raw_entry() -> impl Strategy<Value = RawEntry> {
    (
        (0..STEMS.len(), line_text(), trigger(), retry()),
        (
            proptest::option::of(docs()),
            proptest::option::of(block_text()),
            0..3usize,
            proptest::option::of(any::<u8>()),
        ),
        (
            any::<u8>(),
            any::<bool>(),
            proptest::option::of(line_text()),
        ),
        raw_params(),
    )
}

/// `text` as a template: its braces doubled, and each parameter's placeholder
/// put at a character position (`at` modulo the length), in the given order.
fn template(text: &str, params: &[(String, &'static str, String)], at: &[usize]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut cuts: Vec<(usize, &str)> = params
        .iter()
        .zip(at)
        .map(|((name, ..), a)| (a % (chars.len() + 1), name.as_str()))
        .collect();
    cuts.sort_by_key(|c| c.0);
    let escape = |s: &[char]| -> String {
        s.iter()
            .map(|c| match c {
                '{' => "{{".to_owned(),
                '}' => "}}".to_owned(),
                c => c.to_string(),
            })
            .collect()
    };
    let mut out = String::new();
    let mut from = 0;
    for (cut, name) in cuts {
        out.push_str(&escape(&chars[from..cut]));
        out.push('{');
        out.push_str(name);
        out.push('}');
        from = cut;
    }
    out.push_str(&escape(&chars[from..]));
    out
}

fn docs() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(
            &[
                "a", "/", "?", "=", "&", "#", "<", ">", "\"", "'", "|", "(", ")", "`", "*", "_",
                "%3C", "é", "~", "[", "]", "\\", "!", "&amp;",
            ][..],
        ),
        0..12,
    )
    .prop_map(|p| format!("https://x.example/{}", p.concat()))
}

/// One catalog; `index` keeps catalog names (and their identifiers) apart.
pub fn catalog(index: usize) -> impl Strategy<Value = Catalog> {
    (
        (any::<bool>(), any::<bool>(), 0..3usize, 1..4usize),
        (
            line_text(),
            proptest::option::of(block_text()),
            proptest::option::of(block_text()),
        ),
        prop::collection::vec(raw_entry(), 1..8),
        prop::collection::vec(any::<u32>(), 0..16),
        (0..3usize, prop::collection::vec(line_text(), 3)),
    )
        .prop_map(
            move |(
                (keyed_by_code, camel_names, n_platforms, n_categories),
                header,
                raws,
                codes,
                retired,
            )| {
                build(
                    index,
                    keyed_by_code,
                    camel_names,
                    n_platforms,
                    n_categories,
                    header,
                    raws,
                    codes,
                    retired,
                )
            },
        )
}

#[allow(clippy::too_many_arguments)]
fn build(
    index: usize,
    keyed_by_code: bool,
    camel_names: bool,
    n_platforms: usize,
    n_categories: usize,
    (title, description, delivery): (String, Option<String>, Option<String>),
    raws: Vec<RawEntry>,
    codes: Vec<u32>,
    (n_retired, retired_texts): (usize, Vec<String>),
) -> Catalog {
    // Codes: unique, from the random pool, then counting up from it.
    let mut used: BTreeSet<u32> = BTreeSet::new();
    let mut pool = codes.into_iter();
    let mut next_code = |used: &mut BTreeSet<u32>| -> u32 {
        let mut c = pool.next().unwrap_or(7);
        while used.contains(&c) {
            c = c.wrapping_add(1);
        }
        used.insert(c);
        c
    };
    let style = |s: String| if camel_names { camel(&s) } else { s };
    let mut serial = 0usize;
    let mut fresh = |stem: &str| {
        serial += 1;
        style(format!("{stem}_{}", letters(serial)))
    };
    let platforms: Vec<(String, String, Option<String>)> = ["web", "flutter", "ios"]
        .iter()
        .take(n_platforms)
        .enumerate()
        .map(|(i, id)| {
            let delivery = (i == 1).then(|| "Delivered on this platform: `<x>` | <b>".to_owned());
            (
                (*id).to_owned(),
                format!("{id} <i>{id}</i> | `{id}`"),
                delivery,
            )
        })
        .collect();
    let mut entries = Vec::new();
    for (
        i,
        (
            (stem, message, trigger, retry),
            (docs, deprecated, n_aliases, on),
            (ov, ov_name, ov_msg),
            raw_params,
        ),
    ) in raws.into_iter().enumerate()
    {
        let mut params: Vec<(String, &'static str, String)> = Vec::new();
        let mut at = Vec::new();
        for (n, t, a) in raw_params {
            let name = PARAM_NAMES[n];
            if params.iter().any(|(p, ..)| p == name) {
                continue;
            }
            params.push((
                name.to_owned(),
                PARAM_TYPES[t],
                format!("The `{name}` <b>|</b> \"q\" ${{x}}."),
            ));
            at.push(a);
        }
        let message = if params.is_empty() {
            message
        } else {
            template(&message, &params, &at)
        };
        // An override's message uses every parameter too, elsewhere.
        let shifted: Vec<usize> = at
            .iter()
            .map(|a| a.wrapping_mul(7).wrapping_add(3))
            .collect();
        // The first stems keep their bare spelling once: keywords as they are.
        let name = if i == 0 {
            style(STEMS[stem].to_owned())
        } else {
            fresh(STEMS[stem])
        };
        let aliases = (0..n_aliases).map(|_| fresh("FORMER")).collect();
        // Entry 0 is on every platform, so no platform is left without entries.
        let entry_platforms = match on {
            Some(mask) if i > 0 && !platforms.is_empty() => {
                let chosen: Vec<usize> = (0..platforms.len())
                    .filter(|p| mask & (1 << p) != 0)
                    .collect();
                (!chosen.is_empty()).then_some(chosen)
            }
            _ => None,
        };
        let on_platforms: Vec<usize> = entry_platforms
            .clone()
            .unwrap_or_else(|| (0..platforms.len()).collect());
        let mut overrides = Vec::new();
        if let Some(&p) = on_platforms.get(ov as usize % on_platforms.len().max(1))
            && (ov_name || ov_msg.is_some())
        {
            let name = ov_name.then(|| fresh(&format!("{}_ON", STEMS[stem])));
            let msg = ov_msg.map(|m| {
                let m = format!("{m} (platform)");
                if params.is_empty() {
                    m
                } else {
                    template(&m, &params, &shifted)
                }
            });
            overrides.push((p, name, msg));
        }
        entries.push(Entry {
            code: keyed_by_code.then(|| next_code(&mut used)),
            name,
            message,
            trigger,
            retry,
            docs,
            aliases,
            deprecated,
            platforms: entry_platforms,
            overrides,
            params,
        });
    }
    let retired = (0..n_retired)
        .map(|r| Retired {
            code: keyed_by_code.then(|| next_code(&mut used)),
            names: vec![fresh("RETIRED")],
            why: retired_texts[r].clone(),
        })
        .collect();
    // Categories: inclusive ranges that split the u32 space at random codes.
    let categories = if keyed_by_code {
        let mut cuts: Vec<u32> = used
            .iter()
            .copied()
            .skip(1)
            .step_by(3)
            .take(n_categories - 1)
            .collect();
        cuts.dedup();
        let mut ranges = Vec::new();
        let mut from = 0u32;
        for (k, cut) in cuts.iter().enumerate() {
            if *cut > from {
                ranges.push((
                    format!("part_{}", letters(k).to_ascii_lowercase()),
                    format!("Part {k} <b>|</b>"),
                    from,
                    cut - 1,
                ));
                from = *cut;
            }
        }
        ranges.push(("rest".to_owned(), "The rest `*`".to_owned(), from, u32::MAX));
        ranges
    } else {
        Vec::new()
    };
    Catalog {
        name: format!("c{}", letters(index).to_ascii_lowercase()),
        title,
        description,
        delivery,
        keyed_by_code,
        camel: camel_names,
        platforms,
        categories,
        entries,
        retired,
    }
}

/// A YAML double-quoted scalar holding exactly `s`.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Names in quotes: `NULL`, `TRUE` and `~` would read as YAML values.
fn quoted(names: &[String]) -> String {
    names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ")
}

impl Catalog {
    /// The catalog as a registry file.
    pub fn yaml(&self) -> String {
        let mut y = String::new();
        let _ = writeln!(
            y,
            "catalog:\n  name: {}\n  title: {}",
            self.name,
            q(&self.title)
        );
        if let Some(d) = &self.description {
            let _ = writeln!(y, "  description: {}", q(d));
        }
        if let Some(d) = &self.delivery {
            let _ = writeln!(y, "  delivery: {}", q(d));
        }
        if !self.keyed_by_code {
            y.push_str("  keyed_by: name\n");
        }
        if self.camel {
            y.push_str("  naming: UpperCamelCase\n");
        }
        if !self.platforms.is_empty() {
            y.push_str("  platforms:\n");
            for (id, title, delivery) in &self.platforms {
                let _ = write!(y, "    {id}: {{ title: {}", q(title));
                if let Some(d) = delivery {
                    let _ = write!(y, ", delivery: {}", q(d));
                }
                y.push_str(" }\n");
            }
        }
        if !self.categories.is_empty() {
            y.push_str("  categories:\n");
            for (id, title, from, to) in &self.categories {
                let _ = writeln!(
                    y,
                    "    {id}: {{ title: {}, codes: {{ from: {from}, to: {to} }} }}",
                    q(title)
                );
            }
        }
        y.push_str("errors:\n");
        for e in &self.entries {
            match e.code {
                Some(c) => {
                    let _ = writeln!(y, "  - code: {c}\n    name: {}", q(&e.name));
                }
                None => {
                    let _ = writeln!(y, "  - name: {}", q(&e.name));
                }
            }
            let _ = writeln!(y, "    message: {}", q(&e.message));
            if let Some(trigger) = &e.trigger {
                let _ = writeln!(y, "    trigger: {}", q(trigger));
            }
            let retry = match &e.retry {
                // Left out: the registry gives no guidance.
                Retry::Unspecified => String::new(),
                Retry::Never => "never".to_owned(),
                Retry::After(d) => format!("{{ after: {d} }}"),
                Retry::Backoff(a, b, n) => {
                    format!("{{ backoff: {{ initial: {a}, max: {b}, attempts: {n} }} }}")
                }
                Retry::Fix(t) => format!("{{ fix: {} }}", q(t)),
            };
            if !retry.is_empty() {
                let _ = writeln!(y, "    retry: {retry}");
            }
            if let Some(d) = &e.docs {
                let _ = writeln!(y, "    docs: {}", q(d));
            }
            if !e.aliases.is_empty() {
                let _ = writeln!(y, "    aliases: [{}]", quoted(&e.aliases));
            }
            if let Some(d) = &e.deprecated {
                let _ = writeln!(y, "    deprecated: {}", q(d));
            }
            if let Some(ps) = &e.platforms {
                let ids: Vec<&str> = ps.iter().map(|p| self.platforms[*p].0.as_str()).collect();
                let _ = writeln!(y, "    platforms: [{}]", ids.join(", "));
            }
            if !e.params.is_empty() {
                y.push_str("    params:\n");
                for (name, ty, description) in &e.params {
                    let _ = writeln!(
                        y,
                        "      {name}: {{ type: {ty}, description: {} }}",
                        q(description)
                    );
                }
            }
            if !e.overrides.is_empty() {
                y.push_str("    overrides:\n");
                for (p, name, message) in &e.overrides {
                    let mut parts = Vec::new();
                    if let Some(n) = name {
                        parts.push(format!("name: {}", q(n)));
                    }
                    if let Some(m) = message {
                        parts.push(format!("message: {}", q(m)));
                    }
                    let _ = writeln!(
                        y,
                        "      {}: {{ {} }}",
                        self.platforms[*p].0,
                        parts.join(", ")
                    );
                }
            }
        }
        if !self.retired.is_empty() {
            y.push_str("retired:\n");
            for r in &self.retired {
                match r.code {
                    Some(c) => {
                        let _ = writeln!(y, "  - code: {c}");
                        let _ = writeln!(y, "    names: [{}]", quoted(&r.names));
                    }
                    None => {
                        let _ = writeln!(y, "  - names: [{}]", quoted(&r.names));
                    }
                }
                let _ = writeln!(y, "    why: {}\n    when: \"1.0.0\"", q(&r.why));
            }
        }
        y
    }
}

/// A registry of one to three catalogs.
pub fn registry() -> impl Strategy<Value = Vec<Catalog>> {
    (1..4usize).prop_flat_map(|n| (0..n).map(catalog).collect::<Vec<_>>())
}

/// Writes the catalogs into `dir` (emptied first), one file each.
pub fn write(dir: &std::path::Path, catalogs: &[Catalog]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create the registry directory");
    for c in catalogs {
        std::fs::write(dir.join(format!("{}.yaml", c.name)), c.yaml()).expect("write a catalog");
    }
}

/// The property tests' configuration: `cases` by default (`PROPTEST_CASES`
/// overrides it), failures kept beside the test's source as
/// `<test>.proptest-regressions` and replayed first on every run.
pub fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

/// One registry of `count` catalogs: a batch, for the checks that run a
/// compiler (one run for many random catalogs, not one per case).
pub fn batch(count: usize) -> impl Strategy<Value = Vec<Catalog>> {
    (0..count).map(catalog).collect::<Vec<_>>()
}
