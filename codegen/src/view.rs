//! The one view model every template renders: a catalog as one platform sees it.
//!
//! Texts stay raw here; templates escape them per language with the helpers
//! of [`crate::helpers`]. Per-language identifiers are not here: templates derive
//! them with the `ident` helper from the rows of `errspec::lang`, the rules the
//! validator checked for collisions; `type_name` and `lower_name` are the catalog's.

use errspec::{Catalog, KeyedBy, ParamType, Part, Retired, RetryHint, View, ViewEntry, ident};
use serde::Serialize;

/// One catalog in one view.
///
/// What it serializes is the catalog-level fields, the handlebars context of
/// the view. The entries are not in it: the block helpers of [`crate::blocks`]
/// serialize them one at a time as a template iterates them, so that no JSON
/// copy of the whole registry is ever built.
#[derive(Serialize)]
pub struct CatalogModel<'a> {
    /// snake_case catalog name (`sdk`).
    pub name: &'a str,
    /// UpperCamelCase type name (`Sdk`).
    pub type_name: String,
    /// lowerCamelCase (`sdk`, `httpStatus`).
    pub lower_name: String,
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// How apps receive the errors: the platform's text when it has one.
    pub delivery: Option<&'a str>,
    pub keyed_by_code: bool,
    /// Whether a code of the catalog (live or retired, in any view) is above
    /// 2^31 - 1, so a signed 32-bit integer cannot hold it: Kotlin's `Int`, or
    /// Swift's `Int` on 32-bit watchOS. The same in every view of a catalog, so a
    /// platform's types do not change with the entries it drops.
    pub wide_codes: bool,
    /// The platform of this view; absent for the canonical view.
    pub platform: Option<PlatformModel<'a>>,
    /// Every platform of the catalog.
    pub platforms: Vec<PlatformModel<'a>>,
    /// Whether a platform renames, rewords or drops entries.
    pub has_platform_differences: bool,
    /// How many entries the view has (`{{#each_entry}}` iterates them).
    pub entry_count: usize,
    #[serde(skip)]
    pub entries: Vec<EntryModel<'a>>,
    /// Entries grouped by category, in category order; entries without a category last.
    #[serde(skip)]
    pub groups: Vec<GroupModel<'a>>,
    pub has_aliases: bool,
    /// Whether some entry has message parameters (a target then emits its formatters).
    pub has_params: bool,
    /// The entries with message parameters, in order (each target's formatters), by index.
    #[serde(skip)]
    pub param_entries: Vec<usize>,
    /// Whether some parameter is a duration (a target then emits its duration helper).
    pub has_duration_params: bool,
    /// Codes (or names) no longer raised, in registry order.
    pub retired: Vec<RetiredModel<'a>>,
    /// Every entry's code with its position in the entries, by code (empty when the
    /// catalog is keyed by name): for a target's binary search over a static table.
    pub sorted_codes: Vec<KeyRow<'a>>,
    /// Every accepted name with its entry's position, by name as UTF-8 bytes (C's
    /// `strcmp` order): for a target's binary search over a static table.
    pub sorted_names: Vec<KeyRow<'a>>,
    pub generator: &'static str,
    /// The command that regenerates the outputs (the project's, else `errspec`),
    /// which the preamble and the Go templates' first lines name.
    pub regenerate: String,
}

/// A code or a name and the position of its entry in the view's entries.
#[derive(Serialize)]
pub struct KeyRow<'a> {
    pub code: Option<u32>,
    pub name: Option<&'a str>,
    pub row: usize,
}

/// The codes and the accepted names of `entries`, each with its entry's position, sorted.
fn sorted_keys<'a>(entries: &[EntryModel<'a>]) -> (Vec<KeyRow<'a>>, Vec<KeyRow<'a>>) {
    let mut codes: Vec<KeyRow<'a>> = (entries.iter().enumerate())
        .filter_map(|(row, e)| {
            let code = Some(e.code?);
            Some(KeyRow {
                code,
                name: None,
                row,
            })
        })
        .collect();
    codes.sort_by_key(|k| k.code);
    let mut names: Vec<KeyRow<'a>> = (entries.iter().enumerate())
        .flat_map(|(row, e)| {
            e.accepted_names.iter().map(move |n| KeyRow {
                code: None,
                name: Some(*n),
                row,
            })
        })
        .collect();
    names.sort_by_key(|k| k.name.map(str::as_bytes));
    (codes, names)
}

/// A retired error: shown in the docs, never generated as a live value.
#[derive(Serialize)]
pub struct RetiredModel<'a> {
    pub code: Option<u32>,
    pub names: Vec<&'a str>,
    pub why: &'a str,
    pub when: &'a str,
}

impl<'a> RetiredModel<'a> {
    pub fn new(r: &'a Retired) -> Self {
        RetiredModel {
            code: r.code.as_ref().map(|x| x.value),
            names: r.names.iter().map(|n| n.value.as_str()).collect(),
            why: &r.why.value,
            when: &r.when.value,
        }
    }
}

#[derive(Serialize, Clone)]
pub struct PlatformModel<'a> {
    pub id: &'a str,
    pub title: &'a str,
}

/// A category with its entries (`{{#each_group}}`, then `{{#group_entries}}`).
#[derive(Serialize)]
pub struct GroupModel<'a> {
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub from: Option<u32>,
    pub to: Option<u32>,
    /// Indexes into the catalog's `entries`.
    #[serde(skip)]
    pub entries: Vec<usize>,
}

/// One entry as a view shows it: what `{{#each_entry}}` gives a template.
#[derive(Serialize)]
pub struct EntryModel<'a> {
    pub code: Option<u32>,
    /// The name in this view.
    pub name: &'a str,
    /// The canonical name, when it differs from `name`.
    pub canonical_name: Option<&'a str>,
    pub message: &'a str,
    /// Markdown, possibly several lines, exactly as the registry has it; null
    /// when the registry does not say (templates test it with `{{#if trigger}}`).
    pub trigger: Option<&'a str>,
    pub retry: RetryModel<'a>,
    pub category: Option<&'a str>,
    pub docs: Option<&'a str>,
    /// Former names: the entry's aliases but its name in this view.
    pub aliases: Vec<&'a str>,
    pub deprecated: Option<&'a str>,
    /// Every name `fromName` accepts for this entry: view name, canonical name, aliases.
    pub accepted_names: Vec<&'a str>,
    /// Markdown heading anchor, unique in the page (`err-4001`, `err-security-error`).
    pub anchor: String,
    /// The message's parameters in declaration order; empty without `params`.
    pub params: Vec<ParamModel<'a>>,
    pub has_params: bool,
    /// Whether a parameter is a duration (Swift marks such formatters `@available`).
    pub has_duration_params: bool,
    /// The message in this view as text and parameter references, in order; one
    /// text part for an entry without parameters. Templates write each part with
    /// `str` and `param_text`, so a message never interpolates in any language.
    pub message_parts: Vec<PartModel<'a>>,
    /// The message for docs: `text` runs, and `code`, the placeholders of adjacent
    /// parameters joined (`{a}{b}`), so that each run is one code span.
    pub doc_parts: Vec<DocPartModel<'a>>,
}

/// A run of a message for docs: `text`, or `code` (placeholders); the other is null.
#[derive(Serialize)]
pub struct DocPartModel<'a> {
    pub text: Option<&'a str>,
    pub code: Option<String>,
}

/// One message parameter.
#[derive(Serialize)]
pub struct ParamModel<'a> {
    /// snake_case as the registry writes it; `param_ident` spells it per language.
    pub name: &'a str,
    /// `param_type` gives the language's type.
    #[serde(rename = "type")]
    pub ty: ParamKind,
    pub description: &'a str,
    /// Whether it is the last parameter (for separators).
    pub last: bool,
}

/// A parameter type, written by its registry id (`duration`) wherever errspec
/// writes JSON, and read back by that id (the `param_type` helper's argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamKind(pub ParamType);

impl Serialize for ParamKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.id())
    }
}

impl<'de> serde::Deserialize<'de> for ParamKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ParamType::from_id(&id).map(ParamKind).ok_or_else(|| {
            let ids: Vec<&str> = ParamType::ALL.iter().map(|t| t.id()).collect();
            serde::de::Error::custom(format!(
                "`{id}` is not a parameter type (`{}`)",
                ids.join("`, `")
            ))
        })
    }
}

/// A piece of a message: `text`, or `param` with its `type`; the other fields are null.
#[derive(Serialize)]
pub struct PartModel<'a> {
    pub text: Option<&'a str>,
    pub param: Option<&'a str>,
    #[serde(rename = "type")]
    pub ty: Option<ParamKind>,
}

/// A retry hint as data: `kind` (`never`, `after`, `backoff`, `fix`, `unspecified`) and the
/// fields of that kind, delays in milliseconds. The one encoding of a hint:
/// templates, `errspec export` and `errspec explain --json` write it.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Retry<'a> {
    Never,
    After {
        after_ms: u64,
    },
    Backoff {
        initial_ms: u64,
        max_ms: u64,
        attempts: u32,
    },
    Fix {
        fix: &'a str,
    },
    /// The registry gives no guidance (`retry` left out).
    Unspecified,
}

/// A retry hint for templates: the hint, and its sentences for readers.
#[derive(Serialize)]
pub struct RetryModel<'a> {
    #[serde(flatten)]
    pub hint: Retry<'a>,
    /// A sentence for readers ("retry once after 30s"), the same in every target.
    pub text: String,
    /// The sentence up to the fix text (`text` without `fix`; all of it for other hints).
    pub lead: String,
}

pub const GENERATOR: &str = errspec::preamble::GENERATOR;

impl<'a> CatalogModel<'a> {
    pub fn new(view: View<'a>) -> Self {
        let c: &'a Catalog = view.catalog;
        let platform = view.platform.map(|p| PlatformModel {
            id: &p.id.value,
            title: &p.title.value,
        });
        // Sized first: collected from a filter, the list would grow by doubling and keep
        // up to half of it unused while the view renders.
        let mut entries = Vec::with_capacity(view.entries().count());
        entries.extend(view.entries().map(|ve| EntryModel::new(c, ve)));
        let delivery = view
            .platform
            .and_then(|p| p.delivery.as_ref())
            .or(c.delivery.as_ref())
            .map(|d| trim_line_ends(&d.value));
        let (sorted_codes, sorted_names) = sorted_keys(&entries);
        CatalogModel {
            name: &c.name.value,
            type_name: ident::upper_camel(&c.name.value),
            lower_name: ident::lower_camel(&c.name.value),
            title: &c.title.value,
            description: c.description.as_ref().map(|d| trim_line_ends(&d.value)),
            delivery,
            keyed_by_code: c.keyed_by == KeyedBy::Code,
            wide_codes: c
                .entries
                .iter()
                .filter_map(|e| e.code.as_ref())
                .chain(c.retired.iter().filter_map(|r| r.code.as_ref()))
                .any(|code| i32::try_from(code.value).is_err()),
            platform,
            platforms: c
                .platforms
                .iter()
                .map(|p| PlatformModel {
                    id: &p.id.value,
                    title: &p.title.value,
                })
                .collect(),
            has_platform_differences: c.has_platform_differences(),
            entry_count: entries.len(),
            groups: groups(c, &entries),
            has_aliases: entries.iter().any(|e| !e.aliases.is_empty()),
            has_params: entries.iter().any(|e| e.has_params),
            param_entries: (0..entries.len())
                .filter(|&i| entries[i].has_params)
                .collect(),
            has_duration_params: entries.iter().any(|e| e.has_duration_params),
            retired: c.retired.iter().map(RetiredModel::new).collect(),
            sorted_codes,
            sorted_names,
            entries,
            generator: GENERATOR,
            regenerate: errspec::preamble::DEFAULT_COMMAND.to_owned(),
        }
    }
}

/// The categories that have entries, in category order, then the entries
/// without a category.
fn groups<'a>(c: &'a Catalog, entries: &[EntryModel<'a>]) -> Vec<GroupModel<'a>> {
    let of = |category: Option<&str>| -> Vec<usize> {
        (0..entries.len())
            .filter(|&i| entries[i].category == category)
            .collect()
    };
    let mut groups: Vec<GroupModel<'a>> = c
        .categories
        .iter()
        .map(|cat| GroupModel {
            id: Some(&cat.id.value),
            title: &cat.title.value,
            from: cat.codes.as_ref().map(|r| r.from),
            to: cat.codes.as_ref().map(|r| r.to),
            entries: of(Some(&cat.id.value)),
        })
        .filter(|g| !g.entries.is_empty())
        .collect();
    let uncategorized = of(None);
    if !uncategorized.is_empty() {
        groups.push(GroupModel {
            id: None,
            title: if c.categories.is_empty() {
                "Errors"
            } else {
                "Other errors"
            },
            from: None,
            to: None,
            entries: uncategorized,
        });
    }
    groups
}

impl<'a> EntryModel<'a> {
    pub fn new(c: &'a Catalog, ve: ViewEntry<'a>) -> Self {
        let e = ve.entry;
        let name = ve.name.value.as_str();
        let anchor = match &e.code {
            Some(code) => format!("err-{}", code.value),
            None => format!("err-{}", kebab(&e.name.value)),
        };
        EntryModel {
            doc_parts: doc_parts(ve.message_parts),
            code: e.code.as_ref().map(|c| c.value),
            name,
            canonical_name: (e.name.value != name).then_some(e.name.value.as_str()),
            message: &ve.message.value,
            trigger: e.trigger.as_ref().map(|t| t.value.as_str()),
            retry: RetryModel::new(&e.retry.value),
            category: c.category_of(e).map(|cat| cat.id.value.as_str()),
            docs: e.docs.as_ref().map(|d| d.value.as_str()),
            // A platform may take an alias back as its name: there it is no former name.
            aliases: e
                .aliases
                .iter()
                .map(|a| a.value.as_str())
                .filter(|&a| a != name)
                .collect(),
            deprecated: e.deprecated.as_ref().map(|d| d.value.as_str()),
            accepted_names: ve.accepted_names(),
            anchor,
            params: e
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| ParamModel {
                    name: &p.name.value,
                    ty: ParamKind(p.ty.value),
                    description: &p.description.value,
                    last: i + 1 == e.params.len(),
                })
                .collect(),
            has_params: !e.params.is_empty(),
            has_duration_params: e.params.iter().any(|p| p.ty.value == ParamType::Duration),
            message_parts: ve
                .message_parts
                .iter()
                .map(|part| match part {
                    Part::Text(t) => PartModel {
                        text: Some(t),
                        param: None,
                        ty: None,
                    },
                    Part::Param { name, .. } => PartModel {
                        text: None,
                        param: Some(name),
                        ty: e.param(name).map(|p| ParamKind(p.ty.value)),
                    },
                })
                .collect(),
        }
    }
}

/// A message's parts for docs: adjacent parameters joined into one code run.
fn doc_parts(parts: &[Part]) -> Vec<DocPartModel<'_>> {
    let mut doc_parts: Vec<DocPartModel<'_>> = Vec::new();
    for part in parts {
        match (part, doc_parts.last_mut()) {
            (Part::Text(t), _) => doc_parts.push(DocPartModel {
                text: Some(t),
                code: None,
            }),
            (Part::Param { name, .. }, Some(DocPartModel { code: Some(c), .. })) => {
                c.push_str(&format!("{{{name}}}"));
            }
            (Part::Param { name, .. }, _) => doc_parts.push(DocPartModel {
                text: None,
                code: Some(format!("{{{name}}}")),
            }),
        }
    }
    doc_parts
}

impl<'a> Retry<'a> {
    pub fn new(hint: &'a RetryHint) -> Self {
        let ms = |d: &std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        match hint {
            RetryHint::Never => Retry::Never,
            RetryHint::After(d) => Retry::After { after_ms: ms(d) },
            RetryHint::Backoff {
                initial,
                max,
                max_attempts,
            } => Retry::Backoff {
                initial_ms: ms(initial),
                max_ms: ms(max),
                attempts: *max_attempts,
            },
            RetryHint::AfterFix(what) => Retry::Fix { fix: what },
            RetryHint::Unspecified => Retry::Unspecified,
        }
    }
}

impl<'a> RetryModel<'a> {
    pub fn new(hint: &'a RetryHint) -> Self {
        RetryModel {
            hint: Retry::new(hint),
            text: hint.to_string(),
            lead: hint.lead(),
        }
    }
}

/// `SecurityError` → `security-error`, `INVALID_API_KEY` → `invalid-api-key`.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch == '_' {
            out.push('-');
        } else if ch.is_ascii_uppercase() && i > 0 && name.chars().any(|c| c.is_ascii_lowercase()) {
            out.push('-');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch.to_ascii_lowercase());
        }
    }
    out
}

/// Trailing spaces, tabs and line breaks (a YAML block scalar's last newline)
/// go; other Unicode spaces are text to Markdown (`=` then U+00A0 is no
/// heading underline), so they stay.
fn trim_line_ends(s: &str) -> &str {
    s.trim_end_matches([' ', '\t', '\n', '\r'])
}
