//! `errspec export`: a validated registry as JSON, for dashboards and
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
use errspec::{Catalog, Entry, KeyedBy, Registry, ViewEntry};
use serde::{Serialize, Serializer};

use crate::view::{EntryModel, ParamKind, RetiredModel, Retry, RetryModel};

/// The format version, the value of `errspec_export`.
pub const VERSION: u64 = 1;

/// The export document: the registry's catalogs, each entry as [`EntryRecord`].
#[derive(Serialize)]
pub struct Export<'a> {
    errspec_export: u64,
    catalogs: Vec<CatalogRecord<'a>>,
}

impl Export<'_> {
    /// The document indented by two spaces, ending in a line break.
    pub fn pretty(&self) -> String {
        // Strings, numbers and string-keyed maps only: serializing cannot fail.
        let mut text = serde_json::to_string_pretty(self).expect("an export serializes");
        text.push('\n');
        text
    }
}

/// The registry as the export document.
pub fn export(registry: &Registry) -> Export<'_> {
    Export {
        errspec_export: VERSION,
        catalogs: registry.catalogs.iter().map(CatalogRecord::new).collect(),
    }
}

/// One catalog as the registry format defines it, every optional field present.
#[derive(Serialize)]
struct CatalogRecord<'a> {
    name: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    delivery: Option<&'a str>,
    keyed_by: &'static str,
    naming: &'static str,
    platforms: Vec<PlatformRecord<'a>>,
    categories: Vec<CategoryRecord<'a>>,
    entries: Vec<EntryRecord<'a>>,
    retired: Vec<RetiredModel<'a>>,
}

#[derive(Serialize)]
struct PlatformRecord<'a> {
    id: &'a str,
    title: &'a str,
    delivery: Option<&'a str>,
    /// The style of the platform's names: its own `naming`, else the catalog's.
    naming: &'static str,
}

#[derive(Serialize)]
struct CategoryRecord<'a> {
    id: &'a str,
    title: &'a str,
    codes: Option<CodeRange>,
}

#[derive(Serialize)]
struct CodeRange {
    from: u32,
    to: u32,
}

fn opt(s: Option<&errspec::Spanned<String>>) -> Option<&str> {
    s.map(|s| s.value.as_str())
}

impl<'a> CatalogRecord<'a> {
    fn new(c: &'a Catalog) -> Self {
        CatalogRecord {
            name: &c.name.value,
            title: &c.title.value,
            description: opt(c.description.as_ref()),
            delivery: opt(c.delivery.as_ref()),
            keyed_by: match c.keyed_by {
                KeyedBy::Code => "code",
                KeyedBy::Name => "name",
            },
            naming: c.naming.as_str(),
            platforms: c
                .platforms
                .iter()
                .map(|p| PlatformRecord {
                    id: &p.id.value,
                    title: &p.title.value,
                    delivery: opt(p.delivery.as_ref()),
                    naming: c.naming_on(Some(&p.id.value)).as_str(),
                })
                .collect(),
            categories: c
                .categories
                .iter()
                .map(|cat| CategoryRecord {
                    id: &cat.id.value,
                    title: &cat.title.value,
                    codes: cat.codes.as_ref().map(|r| CodeRange {
                        from: r.from,
                        to: r.to,
                    }),
                })
                .collect(),
            entries: c
                .entries
                .iter()
                .map(|e| EntryRecord::new(c, e, None))
                .collect(),
            retired: c.retired.iter().map(RetiredModel::new).collect(),
        }
    }
}

/// One live error as errspec's JSON outputs write it (`errspec export`
/// and `errspec explain --json`): the canonical view's [`EntryModel`] without
/// what only templates need, with the entry on every platform.
#[derive(Serialize)]
pub struct EntryRecord<'a> {
    pub code: Option<u32>,
    pub name: &'a str,
    pub message: &'a str,
    pub trigger: Option<&'a str>,
    pub retry: RetryRecord<'a>,
    pub category: Option<&'a str>,
    pub docs: Option<&'a str>,
    pub aliases: Vec<&'a str>,
    pub deprecated: Option<&'a str>,
    pub accepted_names: Vec<&'a str>,
    pub platforms: OnPlatforms<'a>,
    pub params: Vec<ParamRecord<'a>>,
}

/// A retry hint: `kind`, its numbers in milliseconds, and `text`, the
/// sentence every target prints (`retry once after 2m`).
#[derive(Serialize)]
pub struct RetryRecord<'a> {
    #[serde(flatten)]
    pub hint: Retry<'a>,
    pub text: String,
}

/// One message parameter.
#[derive(Serialize)]
pub struct ParamRecord<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub ty: ParamKind,
    pub description: &'a str,
}

/// The entry on each platform, by id in declaration order.
pub struct OnPlatforms<'a>(pub Vec<(&'a str, OnPlatform<'a>)>);

impl Serialize for OnPlatforms<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(id, on)| (id, on)))
    }
}

/// The entry on one platform: `available`, and where it is, its name,
/// message and accepted names there.
#[derive(Serialize)]
pub struct OnPlatform<'a> {
    pub available: bool,
    #[serde(flatten)]
    pub here: Option<Here<'a>>,
}

#[derive(Serialize)]
pub struct Here<'a> {
    pub name: &'a str,
    pub message: &'a str,
    pub accepted_names: Vec<&'a str>,
}

impl<'a> EntryRecord<'a> {
    /// The entry of catalog `c`; with `only`, its `platforms` hold that platform alone.
    pub fn new(c: &'a Catalog, e: &'a Entry, only: Option<&str>) -> Self {
        let canonical = ViewEntry {
            entry: e,
            name: &e.name,
            message: &e.message,
            message_parts: &e.message_parts,
        };
        let EntryModel {
            code,
            name,
            message,
            trigger,
            retry: RetryModel { hint, text, .. },
            category,
            docs,
            aliases,
            deprecated,
            accepted_names,
            params,
            ..
        } = EntryModel::new(c, canonical);
        let platforms = c
            .platforms
            .iter()
            .map(|p| p.id.value.as_str())
            .filter(|id| only.is_none_or(|o| o == *id))
            .map(|id| {
                let here = e.is_available_on(Some(id)).then(|| {
                    let here = ViewEntry {
                        entry: e,
                        name: e.name_on(Some(id)),
                        message: e.message_on(Some(id)),
                        message_parts: e.message_parts_on(Some(id)),
                    };
                    Here {
                        name: &here.name.value,
                        message: &here.message.value,
                        accepted_names: here.accepted_names(),
                    }
                });
                let available = here.is_some();
                (id, OnPlatform { available, here })
            })
            .collect();
        EntryRecord {
            code,
            name,
            message,
            trigger,
            retry: RetryRecord { hint, text },
            category,
            docs,
            aliases,
            deprecated,
            accepted_names,
            platforms: OnPlatforms(platforms),
            params: params
                .into_iter()
                .map(|p| ParamRecord {
                    name: p.name,
                    ty: p.ty,
                    description: p.description,
                })
                .collect(),
        }
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

/// The largest code (unsigned 32-bit).
const CODE_MAX: u64 = u32::MAX as u64;

/// A text property.
fn text(description: &str) -> Json {
    typed("string", false, description)
}

/// A delay in milliseconds, at most [`errspec::MAX_DURATION`].
fn ms(what: &str) -> Json {
    let max = u64::try_from(errspec::MAX_DURATION.as_millis()).unwrap_or(u64::MAX);
    uint(max, &format!("{what}, in milliseconds (at most one year)."))
}

/// One branch of `$defs/retry`: `kind` the constant `kind`, then `extra`, then `text`.
fn retry_kind(kind: &str, description: &str, extra: Vec<(&str, Json)>) -> Json {
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
}

/// The JSON Schema (draft 2020-12) of [`export`]'s document.
pub fn schema() -> Json {
    let defs = Json::obj([
        ("catalog", catalog_def()),
        ("platform", platform_def()),
        ("category", category_def()),
        ("entry", entry_def()),
        ("param", param_def()),
        ("on_platform", on_platform_def()),
        ("retry", retry_def()),
        ("retired", retired_def()),
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
                "The output of `errspec export`: a validated errspec registry. Within a version keys are only ever added; every key is always present (null or [] when the registry leaves it out), in a fixed order.",
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

/// `$defs/catalog`: one catalog of the document.
fn catalog_def() -> Json {
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
                        s("`code`: every entry has a code; `name`: none has (DOMException names)."),
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
    )
}

/// `$defs/platform`: a platform of a catalog.
fn platform_def() -> Json {
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
            (
                "naming",
                Json::obj([
                    (
                        "enum",
                        Json::strs(["SCREAMING_SNAKE_CASE", "UpperCamelCase"]),
                    ),
                    (
                        "description",
                        s(
                            "The spelling of the platform's names: its own `naming`, else the catalog's.",
                        ),
                    ),
                ]),
            ),
        ],
    )
}

/// `$defs/category`: a category of a catalog.
fn category_def() -> Json {
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
                                    ("from", uint(CODE_MAX, "The first code.")),
                                    ("to", uint(CODE_MAX, "The last code (inclusive).")),
                                ],
                            ),
                            Json::obj([("type", s("null"))]),
                        ]),
                    ),
                    (
                        "description",
                        s("The inclusive range of codes it owns; null in name-keyed catalogs."),
                    ),
                ]),
            ),
        ],
    )
}

/// `$defs/entry`: one live error ([`EntryRecord`]).
fn entry_def() -> Json {
    closed(
        "One live error.",
        [
            (
                "code",
                Json::obj([
                    ("type", Json::strs(["integer", "null"])),
                    ("minimum", Json::Num(0)),
                    ("maximum", Json::Num(CODE_MAX)),
                    (
                        "description",
                        s("The code apps receive (unsigned 32-bit); null in name-keyed catalogs."),
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
                typed(
                    "string",
                    true,
                    "When the error fires; Markdown, may span lines; null when the registry does not say.",
                ),
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
    )
}

/// `$defs/param`: one message parameter ([`ParamRecord`]).
fn param_def() -> Json {
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
    )
}

/// `$defs/on_platform`: an entry on one platform ([`OnPlatform`]).
fn on_platform_def() -> Json {
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
                                s("Not raised here; no generated code of the platform has it."),
                            ),
                        ]),
                    )],
                ),
            ]),
        ),
    ])
}

/// `$defs/retry`: a retry hint ([`RetryRecord`]), one branch per kind.
fn retry_def() -> Json {
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
                            uint(CODE_MAX, "How many tries at most (at least 1)."),
                        ),
                    ],
                ),
                retry_kind(
                    "fix",
                    "Retry after changing what `fix` says.",
                    vec![("fix", text("What to change first; one line."))],
                ),
                retry_kind(
                    "unspecified",
                    "The registry gives no guidance (`retry` left out): never a reason to retry.",
                    vec![],
                ),
            ]),
        ),
    ])
}

/// `$defs/retired`: a retired error.
fn retired_def() -> Json {
    closed(
        "An error no longer raised.",
        [
            (
                "code",
                Json::obj([
                    ("type", Json::strs(["integer", "null"])),
                    ("minimum", Json::Num(0)),
                    ("maximum", Json::Num(CODE_MAX)),
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
    )
}
