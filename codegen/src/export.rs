//! `codegen export --json`: a validated registry as JSON, for dashboards and
//! other generators, and the JSON Schema of that document.
//!
//! The document is versioned by its top-level `errspec_export` ([`VERSION`]):
//! a field is only ever added within a version; renaming, removing or
//! retyping one is a new version. Every key is always present (`null` or
//! `[]` when the registry leaves it out) and keys come in a fixed order, so
//! the same registry always exports the same bytes. Every number is an
//! unsigned integer far below 2^53 (codes are 32-bit, delays at most a year
//! in milliseconds), exact in JavaScript.
//!
//! [`schema`] describes every key; a test validates the export of the shipped
//! registry and the fixtures against it, and its objects are closed
//! (`additionalProperties: false`), so a key added here without its schema
//! fails that test.

use errspec::json::Json;
use errspec::{Catalog, Entry, KeyedBy, Registry, RetryHint, ViewEntry};

/// The format version, the value of `errspec_export`.
pub const VERSION: u64 = 1;

/// The registry as the export document.
pub fn export(registry: &Registry) -> Json {
    Json::obj([
        ("errspec_export", Json::Num(VERSION)),
        (
            "catalogs",
            Json::Arr(registry.catalogs.iter().map(catalog).collect()),
        ),
    ])
}

fn opt(s: Option<&errspec::Spanned<String>>) -> Json {
    Json::opt_str(s.map(|s| s.value.as_str()))
}

fn catalog(c: &Catalog) -> Json {
    let keyed_by = match c.keyed_by {
        KeyedBy::Code => "code",
        KeyedBy::Name => "name",
    };
    Json::obj([
        ("name", Json::str(&c.name.value)),
        ("title", Json::str(&c.title.value)),
        ("description", opt(c.description.as_ref())),
        ("delivery", opt(c.delivery.as_ref())),
        ("keyed_by", Json::str(keyed_by)),
        ("naming", Json::str(c.naming.as_str())),
        (
            "platforms",
            Json::Arr(
                c.platforms
                    .iter()
                    .map(|p| {
                        Json::obj([
                            ("id", Json::str(&p.id.value)),
                            ("title", Json::str(&p.title.value)),
                            ("delivery", opt(p.delivery.as_ref())),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "categories",
            Json::Arr(
                c.categories
                    .iter()
                    .map(|cat| {
                        let codes = cat.codes.as_ref().map_or(Json::Null, |r| {
                            Json::obj([
                                ("from", Json::Num(u64::from(r.from))),
                                ("to", Json::Num(u64::from(r.to))),
                            ])
                        });
                        Json::obj([
                            ("id", Json::str(&cat.id.value)),
                            ("title", Json::str(&cat.title.value)),
                            ("codes", codes),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "entries",
            Json::Arr(c.entries.iter().map(|e| entry(c, e)).collect()),
        ),
        (
            "retired",
            Json::Arr(
                c.retired
                    .iter()
                    .map(|r| {
                        Json::obj([
                            ("code", code(r.code.as_ref())),
                            ("names", Json::strs(r.names.iter().map(|n| &n.value))),
                            ("why", Json::str(&r.why.value)),
                            ("when", Json::str(&r.when.value)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

fn code(c: Option<&errspec::Spanned<u32>>) -> Json {
    c.map_or(Json::Null, |c| Json::Num(u64::from(c.value)))
}

fn entry(c: &Catalog, e: &Entry) -> Json {
    let canonical = ViewEntry {
        entry: e,
        name: &e.name,
        message: &e.message,
        message_parts: &e.message_parts,
    };
    let platforms = c
        .platforms
        .iter()
        .map(|p| {
            let id = p.id.value.as_str();
            let value = if e.is_available_on(Some(id)) {
                let here = ViewEntry {
                    entry: e,
                    name: e.name_on(Some(id)),
                    message: e.message_on(Some(id)),
                    message_parts: e.message_parts_on(Some(id)),
                };
                Json::obj([
                    ("available", Json::Bool(true)),
                    ("name", Json::str(&here.name.value)),
                    ("message", Json::str(&here.message.value)),
                    ("accepted_names", Json::strs(here.accepted_names())),
                ])
            } else {
                Json::obj([("available", Json::Bool(false))])
            };
            (id.to_owned(), value)
        })
        .collect::<Vec<_>>();
    Json::obj([
        ("code", code(e.code.as_ref())),
        ("name", Json::str(&e.name.value)),
        ("message", Json::str(&e.message.value)),
        ("trigger", Json::str(&e.trigger.value)),
        ("retry", retry(&e.retry.value)),
        (
            "category",
            Json::opt_str(c.category_of(e).map(|cat| cat.id.value.as_str())),
        ),
        ("docs", opt(e.docs.as_ref())),
        ("aliases", Json::strs(e.aliases.iter().map(|a| &a.value))),
        ("deprecated", opt(e.deprecated.as_ref())),
        ("accepted_names", Json::strs(canonical.accepted_names())),
        ("platforms", Json::Obj(platforms)),
        (
            "params",
            Json::Arr(
                e.params
                    .iter()
                    .map(|p| {
                        Json::obj([
                            ("name", Json::str(&p.name.value)),
                            ("type", Json::str(p.ty.value.id())),
                            ("description", Json::str(&p.description.value)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

/// A retry hint: `kind`, its numbers in milliseconds, and `text`, the
/// sentence every target prints (`retry once after 2m`). `codegen explain
/// --json` prints the same object.
pub fn retry(hint: &RetryHint) -> Json {
    let ms = |d: &std::time::Duration| Json::Num(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let mut members = match hint {
        RetryHint::Never => vec![("kind", Json::str("never"))],
        RetryHint::After(d) => vec![("kind", Json::str("after")), ("after_ms", ms(d))],
        RetryHint::Backoff {
            initial,
            max,
            max_attempts,
        } => vec![
            ("kind", Json::str("backoff")),
            ("initial_ms", ms(initial)),
            ("max_ms", ms(max)),
            ("attempts", Json::Num(u64::from(*max_attempts))),
        ],
        RetryHint::AfterFix(fix) => vec![("kind", Json::str("fix")), ("fix", Json::str(fix))],
    };
    members.push(("text", Json::str(hint.to_string())));
    Json::obj(members)
}

/// The same value for serde_json (what `explain` builds its output with).
pub fn to_serde(v: &Json) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Num(n) => Value::from(*n),
        Json::Str(s) => Value::String(s.clone()),
        Json::Arr(items) => Value::Array(items.iter().map(to_serde).collect()),
        Json::Obj(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
    }
}

fn s(text: &str) -> Json {
    Json::str(text)
}

fn reference(def: &str) -> Json {
    s(&format!("#/$defs/{def}"))
}

/// `{ "type": .., "description": .. }`, or a nullable one.
fn typed(ty: &str, nullable: bool, description: &str) -> Json {
    let ty = if nullable {
        Json::strs([ty, "null"])
    } else {
        s(ty)
    };
    Json::obj([("type", ty), ("description", s(description))])
}

fn with_ref(def: &str, description: &str) -> Json {
    Json::obj([("$ref", reference(def)), ("description", s(description))])
}

fn strings(description: &str) -> Json {
    Json::obj([
        ("type", s("array")),
        ("items", Json::obj([("type", s("string"))])),
        ("description", s(description)),
    ])
}

/// A closed object whose every property is required.
fn closed<const N: usize>(description: &str, properties: [(&str, Json); N]) -> Json {
    let names: Vec<&str> = properties.iter().map(|(k, _)| *k).collect();
    Json::obj([
        ("type", s("object")),
        ("description", s(description)),
        ("required", Json::strs(names)),
        ("properties", Json::obj(properties)),
        ("additionalProperties", Json::Bool(false)),
    ])
}

fn uint(max: u64, description: &str) -> Json {
    Json::obj([
        ("type", s("integer")),
        ("minimum", Json::Num(0)),
        ("maximum", Json::Num(max)),
        ("description", s(description)),
    ])
}

/// The JSON Schema (draft 2020-12) of [`export`]'s document.
pub fn schema() -> Json {
    let code_max = u64::from(u32::MAX);
    let ms_max = u64::try_from(errspec::MAX_DURATION.as_millis()).unwrap_or(u64::MAX);
    let ms = |what: &str| {
        uint(
            ms_max,
            &format!("{what}, in milliseconds (at most one year)."),
        )
    };
    let text = |what: &str| typed("string", false, what);
    let retry_kind = |kind: &str, description: &str, extra: Vec<(&str, Json)>| {
        let mut props = vec![(
            "kind",
            Json::obj([("const", s(kind)), ("description", s(description))]),
        )];
        props.extend(extra);
        props.push((
            "text",
            text("The sentence every target prints for the hint (`retry once after 2m`)."),
        ));
        let names: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
        Json::obj([
            ("type", s("object")),
            ("required", Json::strs(names)),
            ("properties", Json::obj(props)),
            ("additionalProperties", Json::Bool(false)),
        ])
    };
    let defs = Json::obj([
        (
            "catalog",
            closed(
                "One catalog (one registry file), as the registry format defines it, with every optional field present.",
                [
                    (
                        "name",
                        text("The catalog's snake_case name; names the generated files and types."),
                    ),
                    ("title", text("One line.")),
                    (
                        "description",
                        typed(
                            "string",
                            true,
                            "Markdown: what the catalog is; null when not given.",
                        ),
                    ),
                    (
                        "delivery",
                        typed(
                            "string",
                            true,
                            "Markdown: how apps receive these errors; null when not given.",
                        ),
                    ),
                    (
                        "keyed_by",
                        Json::obj([
                            ("enum", Json::strs(["code", "name"])),
                            (
                                "description",
                                s(
                                    "`code`: every entry has a code; `name`: none has (DOMException names).",
                                ),
                            ),
                        ]),
                    ),
                    (
                        "naming",
                        Json::obj([
                            (
                                "enum",
                                Json::strs(["SCREAMING_SNAKE_CASE", "UpperCamelCase"]),
                            ),
                            (
                                "description",
                                s("The spelling of every name of the catalog."),
                            ),
                        ]),
                    ),
                    (
                        "platforms",
                        Json::obj([
                            ("type", s("array")),
                            ("items", Json::obj([("$ref", reference("platform"))])),
                            (
                                "description",
                                s(
                                    "The platforms the catalog declares, in declaration order; empty when it has one view only.",
                                ),
                            ),
                        ]),
                    ),
                    (
                        "categories",
                        Json::obj([
                            ("type", s("array")),
                            ("items", Json::obj([("$ref", reference("category"))])),
                            ("description", s("The categories, in declaration order.")),
                        ]),
                    ),
                    (
                        "entries",
                        Json::obj([
                            ("type", s("array")),
                            ("items", Json::obj([("$ref", reference("entry"))])),
                            (
                                "description",
                                s("The live errors, in registry order (the docs' order)."),
                            ),
                        ]),
                    ),
                    (
                        "retired",
                        Json::obj([
                            ("type", s("array")),
                            ("items", Json::obj([("$ref", reference("retired"))])),
                            (
                                "description",
                                s("Errors no longer raised, whose codes and names stay reserved."),
                            ),
                        ]),
                    ),
                ],
            ),
        ),
        (
            "platform",
            closed(
                "A platform the catalog serves.",
                [
                    (
                        "id",
                        text("The platform id (`web`), the key of `entries[].platforms`."),
                    ),
                    ("title", text("One line.")),
                    (
                        "delivery",
                        typed(
                            "string",
                            true,
                            "Markdown: how apps on this platform receive the errors; null when the catalog's applies.",
                        ),
                    ),
                ],
            ),
        ),
        (
            "category",
            closed(
                "A category.",
                [
                    (
                        "id",
                        text("The category id, the value of `entries[].category`."),
                    ),
                    ("title", text("One line.")),
                    (
                        "codes",
                        Json::obj([
                            (
                                "oneOf",
                                Json::Arr(vec![
                                    closed(
                                        "The inclusive range of codes the category owns.",
                                        [
                                            ("from", uint(code_max, "The first code.")),
                                            ("to", uint(code_max, "The last code (inclusive).")),
                                        ],
                                    ),
                                    Json::obj([("type", s("null"))]),
                                ]),
                            ),
                            (
                                "description",
                                s(
                                    "The inclusive range of codes it owns; null in name-keyed catalogs.",
                                ),
                            ),
                        ]),
                    ),
                ],
            ),
        ),
        (
            "entry",
            closed(
                "One live error.",
                [
                    (
                        "code",
                        Json::obj([
                            ("type", Json::strs(["integer", "null"])),
                            ("minimum", Json::Num(0)),
                            ("maximum", Json::Num(code_max)),
                            (
                                "description",
                                s(
                                    "The code apps receive (unsigned 32-bit); null in name-keyed catalogs.",
                                ),
                            ),
                        ]),
                    ),
                    ("name", text("The canonical constant name.")),
                    (
                        "message",
                        text("The canonical message: one line, for developers."),
                    ),
                    (
                        "trigger",
                        text("When the error fires; Markdown, may span lines."),
                    ),
                    ("retry", with_ref("retry", "Whether and how to retry.")),
                    (
                        "category",
                        typed(
                            "string",
                            true,
                            "The category id: the one the entry names, else the one whose range holds its code; null when the catalog has no categories.",
                        ),
                    ),
                    (
                        "docs",
                        typed(
                            "string",
                            true,
                            "An http(s) link to the error's documentation; null when not given.",
                        ),
                    ),
                    (
                        "aliases",
                        strings("Older names still accepted, deprecated."),
                    ),
                    (
                        "deprecated",
                        typed(
                            "string",
                            true,
                            "Why the entry is deprecated; null when it is not.",
                        ),
                    ),
                    (
                        "accepted_names",
                        strings(
                            "What every target's `fromName` accepts in the canonical view: the name, then the aliases.",
                        ),
                    ),
                    (
                        "platforms",
                        Json::obj([
                            ("type", s("object")),
                            (
                                "additionalProperties",
                                Json::obj([("$ref", reference("on_platform"))]),
                            ),
                            (
                                "description",
                                s(
                                    "Every platform the catalog declares, by id in declaration order: whether the entry exists there and, where it does, its name and message there. Empty when the catalog declares no platforms.",
                                ),
                            ),
                        ]),
                    ),
                    (
                        "params",
                        Json::obj([
                            ("type", s("array")),
                            ("items", Json::obj([("$ref", reference("param"))])),
                            (
                                "description",
                                s(
                                    "The message's parameters in order (its messages write each as `{name}`); empty for an entry without parameters, whose messages are literal text.",
                                ),
                            ),
                        ]),
                    ),
                ],
            ),
        ),
        (
            "param",
            closed(
                "One message parameter.",
                [
                    (
                        "name",
                        text("Its snake_case name, as `{name}` in the messages."),
                    ),
                    (
                        "type",
                        Json::obj([
                            (
                                "enum",
                                Json::strs(errspec::ParamType::ALL.iter().map(|t| t.id())),
                            ),
                            ("description", s("`string`, `int`, `bool` or `duration`.")),
                        ]),
                    ),
                    ("description", text("What the value is; one line.")),
                ],
            ),
        ),
        (
            "on_platform",
            Json::obj([
                ("description", s("An entry on one platform.")),
                (
                    "oneOf",
                    Json::Arr(vec![
                        closed(
                            "The entry exists on the platform.",
                            [
                                (
                                    "available",
                                    Json::obj([
                                        ("const", Json::Bool(true)),
                                        ("description", s("It exists here.")),
                                    ]),
                                ),
                                (
                                    "name",
                                    text(
                                        "Its name on this platform (the override's, else the canonical name).",
                                    ),
                                ),
                                ("message", text("Its message on this platform.")),
                                (
                                    "accepted_names",
                                    strings(
                                        "What `fromName` accepts on this platform: the name here, the canonical name, the aliases (each once).",
                                    ),
                                ),
                            ],
                        ),
                        closed(
                            "The entry does not exist on the platform.",
                            [(
                                "available",
                                Json::obj([
                                    ("const", Json::Bool(false)),
                                    (
                                        "description",
                                        s(
                                            "Not raised here; no generated code of the platform has it.",
                                        ),
                                    ),
                                ]),
                            )],
                        ),
                    ]),
                ),
            ]),
        ),
        (
            "retry",
            Json::obj([
                ("description", s("A retry hint, by `kind`.")),
                (
                    "oneOf",
                    Json::Arr(vec![
                        retry_kind("never", "Retrying cannot help.", vec![]),
                        retry_kind(
                            "after",
                            "Retry once after a fixed delay.",
                            vec![("after_ms", ms("The delay"))],
                        ),
                        retry_kind(
                            "backoff",
                            "Retry with exponential backoff: the delay doubles from `initial_ms` up to `max_ms`, at most `attempts` tries.",
                            vec![
                                ("initial_ms", ms("The first delay")),
                                ("max_ms", ms("The longest delay")),
                                (
                                    "attempts",
                                    uint(code_max, "How many tries at most (at least 1)."),
                                ),
                            ],
                        ),
                        retry_kind(
                            "fix",
                            "Retry after changing what `fix` says.",
                            vec![("fix", text("What to change first; one line."))],
                        ),
                    ]),
                ),
            ]),
        ),
        (
            "retired",
            closed(
                "An error no longer raised.",
                [
                    (
                        "code",
                        Json::obj([
                            ("type", Json::strs(["integer", "null"])),
                            ("minimum", Json::Num(0)),
                            ("maximum", Json::Num(code_max)),
                            (
                                "description",
                                s("The code it had; null in name-keyed catalogs."),
                            ),
                        ]),
                    ),
                    (
                        "names",
                        strings("The names it had (canonical, platform names, aliases)."),
                    ),
                    ("why", text("Why it was retired; Markdown.")),
                    ("when", text("When: a version or a date.")),
                ],
            ),
        ),
    ]);
    Json::obj([
        (
            "$comment",
            s("generated by errspec codegen (codegen/src/export.rs); do not edit"),
        ),
        ("$schema", s(errspec::schema::DIALECT)),
        ("title", s("errspec export")),
        (
            "description",
            s(
                "The output of `codegen export --json`: a validated errspec registry. Within a version keys are only ever added; every key is always present (null or [] when the registry leaves it out), in a fixed order.",
            ),
        ),
        ("type", s("object")),
        ("required", Json::strs(["errspec_export", "catalogs"])),
        (
            "properties",
            Json::obj([
                (
                    "errspec_export",
                    Json::obj([
                        ("const", Json::Num(VERSION)),
                        (
                            "description",
                            s(
                                "The format version: 1. A consumer should refuse a version it does not know.",
                            ),
                        ),
                    ]),
                ),
                (
                    "catalogs",
                    Json::obj([
                        ("type", s("array")),
                        ("items", Json::obj([("$ref", reference("catalog"))])),
                        (
                            "description",
                            s("Every catalog of the registry, in file-name order."),
                        ),
                    ]),
                ),
            ]),
        ),
        ("additionalProperties", Json::Bool(false)),
        ("$defs", defs),
    ])
}
