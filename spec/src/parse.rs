//! From the YAML tree to the model: the shape of a catalog file.
//!
//! Every problem is pushed to `diags` and parsing goes on, so one run reports
//! all unknown fields, wrong types and missing fields of a file. Semantic rules
//! (duplicates, ranges, naming) live in [`crate::check`].

use std::time::Duration;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{
    Catalog, Category, CodeRange, Entry, KeyedBy, MAX_DURATION, NamingStyle, Override, Param,
    ParamType, Part, Platform, Retired, RetryHint, Spanned, format_duration,
};
use crate::source::{FileId, Span};
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value};

pub(crate) const CATALOG_FIELDS: &[&str] = &["catalog", "errors", "retired"];
pub(crate) const RETIRED_FIELDS: &[&str] = &["code", "names", "why", "when"];
pub(crate) const HEADER_FIELDS: &[&str] = &[
    "name",
    "title",
    "description",
    "delivery",
    "keyed_by",
    "naming",
    "platforms",
    "categories",
];
pub(crate) const PLATFORM_FIELDS: &[&str] = &["title", "delivery", "naming"];
pub(crate) const CATEGORY_FIELDS: &[&str] = &["title", "codes"];
pub(crate) const RANGE_FIELDS: &[&str] = &["from", "to"];
pub(crate) const ENTRY_FIELDS: &[&str] = &[
    "code",
    "name",
    "message",
    "trigger",
    "retry",
    "category",
    "docs",
    "aliases",
    "deprecated",
    "platforms",
    "overrides",
    "params",
];
pub(crate) const PARAM_FIELDS: &[&str] = &["type", "description"];
pub(crate) const OVERRIDE_FIELDS: &[&str] = &["name", "message"];
pub(crate) const RETRY_FORMS: &[&str] = &["after", "backoff", "fix"];
pub(crate) const BACKOFF_FIELDS: &[&str] = &["initial", "max", "attempts"];

/// Whether each header part the semantic rules depend on parsed cleanly.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Health {
    pub keyed_by: bool,
    pub naming: bool,
    pub platforms: bool,
    pub categories: bool,
}

/// A parsed catalog and the health of its header.
pub(crate) struct Parsed {
    pub catalog: Catalog,
    /// Which header parts parsed: rules that depend on a broken part are skipped,
    /// since they would report problems that are not there.
    pub health: Health,
}

/// Whether the diagnostics pushed since `before` leave a value fully parsed
/// (an unknown field is reported but loses nothing).
fn intact(diags: &[Diagnostic], before: usize) -> bool {
    diags[before..].iter().all(|d| d.rule == Rule::UnknownField)
}

/// The entries of a catalog parsed one at a time as the YAML reader reads
/// them ([`crate::yaml::parse_streaming`]), and what parsing them reported:
/// [`catalog`] takes them in place of the `errors` list, whose items the tree
/// then holds only as placeholders.
#[derive(Default)]
pub(crate) struct Streamed {
    entries: Vec<Entry>,
    diags: Vec<Diagnostic>,
}

impl Streamed {
    /// Parses one item of `errors`, as [`catalog`] would have.
    pub(crate) fn push(&mut self, node: &Node, source: &str) {
        let before = self.diags.len();
        if let Some(mut e) = entry(node, source, &mut self.diags) {
            e.partial = !intact(&self.diags, before);
            self.entries.push(e);
        }
    }
}

/// Parses one catalog file; `None` when its header is too broken to go on.
/// `streamed`: its entries, if they were parsed as the YAML was read.
///
/// Entries with a problem are reported and left out, so that the semantic
/// rules can still run over the rest of the file in the same run.
pub(crate) fn catalog(
    root: &Node,
    file: FileId,
    source: &str,
    streamed: Option<Streamed>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Parsed> {
    let top = Fields::of(root, "a catalog file", CATALOG_FIELDS, diags)?;
    let header_node = top.required(
        "catalog",
        "the catalog's `name` and `title` under it",
        diags,
    );
    let errors_node = top.required("errors", "the list of error entries under it", diags);

    let header =
        header_node.and_then(|n| Fields::of(n, "the catalog header", HEADER_FIELDS, diags));
    let entries_list = errors_node.and_then(|n| match &n.value {
        Value::Null => {
            diags.push(empty(n.span, "errors"));
            None
        }
        Value::Seq(items) if items.is_empty() => {
            diags.push(
                Diagnostic::new(Rule::EmptyField, "`errors` lists no error")
                    .primary(n.span, "empty list")
                    .help(
                        "add at least one entry; a catalog without errors generates nothing useful",
                    ),
            );
            None
        }
        _ => list(n, "errors", diags),
    });

    let header = header?;
    let name = header.string("name", diags);
    let title = header.string("title", diags);
    let description = header.optional_string("description", diags);
    let delivery = header.optional_string("delivery", diags);
    // What the semantic rules look things up in: each part's health decides which rules run.
    let keyed_by_start = diags.len();
    let keyed_by = match header.optional_string("keyed_by", diags) {
        None => KeyedBy::Code,
        Some(s) => match s.value.as_str() {
            "code" => KeyedBy::Code,
            "name" => KeyedBy::Name,
            other => {
                diags.push(one_of(&s, "keyed_by", other, &["code", "name"]));
                KeyedBy::Code
            }
        },
    };
    let keyed_by_ok = intact(diags, keyed_by_start);
    let naming_start = diags.len();
    let naming = header
        .optional_string("naming", diags)
        .and_then(|s| naming(&s, diags))
        .map_or(NamingStyle::ScreamingSnakeCase, |n| n.value);
    let naming_ok = intact(diags, naming_start);
    let platforms_start = diags.len();
    let platforms = header
        .get("platforms")
        .map(|n| keyed_map(n, "platforms", diags, platform))
        .unwrap_or_default();
    let platforms_ok = intact(diags, platforms_start);
    let categories_start = diags.len();
    let categories = header
        .get("categories")
        .map(|n| keyed_map(n, "categories", diags, category))
        .unwrap_or_default();
    let health = Health {
        keyed_by: keyed_by_ok,
        naming: naming_ok,
        platforms: platforms_ok,
        categories: intact(diags, categories_start),
    };
    // Reported where the entries are parsed from the tree, so in the same order.
    let entries = match streamed {
        Some(s) => {
            diags.extend(s.diags);
            let mut entries = s.entries;
            // Grown by doubling as they were read: up to half of it unused, for good.
            entries.shrink_to_fit();
            entries
        }
        None => entries_list
            .unwrap_or_default()
            .iter()
            .filter_map(|n| {
                let before = diags.len();
                let mut e = entry(n, source, diags)?;
                e.partial = !intact(diags, before);
                Some(e)
            })
            .collect(),
    };

    let retired = top
        .get("retired")
        .and_then(|n| list(n, "retired", diags))
        .unwrap_or_default()
        .iter()
        .filter_map(|n| retired(n, diags))
        .collect();
    let catalog = Catalog {
        file,
        name: name?,
        title: title?,
        description,
        delivery,
        keyed_by,
        naming,
        platforms,
        categories,
        entries,
        retired,
    };
    Some(Parsed { catalog, health })
}

fn platform(id: Spanned<String>, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Platform> {
    let f = Fields::of(node, "a platform", PLATFORM_FIELDS, diags)?;
    let title = f.string("title", diags);
    let delivery = f.optional_string("delivery", diags);
    let naming = f
        .optional_string("naming", diags)
        .and_then(|s| naming(&s, diags));
    Some(Platform {
        id,
        title: title?,
        delivery,
        naming,
    })
}

/// `naming: SCREAMING_SNAKE_CASE` or `naming: UpperCamelCase` (a catalog's or a platform's).
fn naming(s: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<Spanned<NamingStyle>> {
    match NamingStyle::from_id(&s.value) {
        Some(value) => Some(Spanned {
            value,
            span: s.span,
        }),
        None => {
            let allowed = NamingStyle::ALL.map(NamingStyle::as_str);
            diags.push(one_of(s, "naming", &s.value, &allowed));
            None
        }
    }
}

fn category(id: Spanned<String>, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Category> {
    let f = Fields::of(node, "a category", CATEGORY_FIELDS, diags)?;
    let title = f.string("title", diags);
    let codes = f.get("codes").and_then(|n| {
        let r = Fields::of(n, "a code range", RANGE_FIELDS, diags)?;
        let from = r
            .required("from", "the first code of the range", diags)
            .and_then(|n| code(n, "from", diags));
        let to = r
            .required("to", "the last code of the range", diags)
            .and_then(|n| code(n, "to", diags));
        let (from, to) = (from?, to?);
        // A mapping node's span is a point; `from` is the place a reader looks at.
        Some(Spanned {
            value: CodeRange {
                from: from.value,
                to: to.value,
            },
            span: from.span,
        })
    });
    Some(Category {
        id,
        title: title?,
        codes,
    })
}

fn entry(node: &Node, source: &str, diags: &mut Vec<Diagnostic>) -> Option<Entry> {
    let mut f = Fields::of(node, "an error entry", ENTRY_FIELDS, diags)?;
    f.subject = match (
        f.get("name").map(|n| &n.value),
        f.get("code").map(|n| &n.value),
    ) {
        (Some(Value::Str(name)), _) => Some(format!("the entry `{name}`")),
        (_, Some(Value::Int(code))) => Some(format!("the entry with code {code}")),
        _ => None,
    };
    let code = f.get("code").and_then(|n| code(n, "code", diags));
    let name = f.string("name", diags);
    // Where a field is broken, a placeholder keeps the entry in the key and name rules.
    let placeholder = || Spanned {
        value: String::new(),
        span: node.span,
    };
    let message = f.string("message", diags);
    // Left out, the registry does not say when the error fires (an imported catalog).
    let trigger = f.optional_string("trigger", diags);
    // Left out, the registry gives no guidance; a broken hint is reported and
    // stands in as `never` below, never as "no guidance".
    let retry = match f.get("retry") {
        None => Ok(Spanned {
            value: RetryHint::Unspecified,
            span: node.span,
        }),
        Some(n) => retry(n, diags).ok_or(()),
    };
    let category = f.optional_string("category", diags);
    let docs = f.optional_string("docs", diags);
    let aliases = f
        .get("aliases")
        .and_then(|n| string_list(n, "aliases", diags))
        .unwrap_or_default();
    let deprecated = f.optional_string("deprecated", diags);
    let platforms = f
        .get("platforms")
        .and_then(|n| string_list(n, "platforms", diags));
    if let (Some(list), Some(n)) = (&platforms, f.get("platforms"))
        && list.is_empty()
    {
        diags.push(
                Diagnostic::new(Rule::EmptyField, "`platforms` lists no platform")
                    .primary(n.span, "an entry must exist on at least one platform")
                    .help("list the platforms the error exists on, or remove `platforms` to mean all of them"),
            );
    }
    let mut overrides = f
        .get("overrides")
        .map(|n| keyed_map(n, "overrides", diags, override_))
        .unwrap_or_default();
    // With `params` the messages are templates; without, literal text as they always were.
    let params = f.get("params").map(|n| params(n, diags));
    let message_parts = match (&message, params.is_some()) {
        (Some(m), true) => template(m, source, diags),
        (Some(m), false) => vec![Part::Text(m.value.clone())],
        (None, _) => Vec::new(),
    };
    for o in &mut overrides {
        o.message_parts = o.message.as_ref().map(|m| match params {
            Some(_) => template(m, source, diags),
            None => vec![Part::Text(m.value.clone())],
        });
    }
    Some(Entry {
        span: node.span,
        code,
        name: name?,
        message: message.unwrap_or_else(placeholder),
        trigger,
        retry: retry.unwrap_or(Spanned {
            value: RetryHint::Never,
            span: node.span,
        }),
        category,
        docs,
        aliases,
        deprecated,
        platforms,
        overrides,
        params: params.unwrap_or_default(),
        message_parts,
        partial: false,
    })
}

/// `params: { device: { type: string, description: ... } }`, in file order.
fn params(node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<Param> {
    if let Value::Map(pairs) = &node.value
        && pairs.is_empty()
    {
        diags.push(
            Diagnostic::new(Rule::EmptyField, "`params` declares no parameter")
                .primary(node.span, "empty mapping")
                .help("declare each parameter as `name: { type: string, description: \"...\" }`, or remove `params`"),
        );
        return Vec::new();
    }
    keyed_map(node, "params", diags, param)
}

fn param(name: Spanned<String>, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Param> {
    let mut f = Fields::of(node, "a parameter", PARAM_FIELDS, diags)?;
    f.subject = Some(format!("the parameter `{}`", name.value));
    let ty = f
        .required(
            "type",
            "one of `string`, `int`, `bool` or `duration`",
            diags,
        )
        .and_then(|n| param_type(n, diags));
    let description = f.string("description", diags);
    // A broken type or description is reported; the parameter stays declared, so
    // that the message's references to it are not reported as unknown too.
    let placeholder = || Spanned {
        value: String::new(),
        span: name.span,
    };
    Some(Param {
        ty: ty.unwrap_or(Spanned {
            value: ParamType::String,
            span: name.span,
        }),
        description: description.unwrap_or_else(placeholder),
        name,
    })
}

fn param_type(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Spanned<ParamType>> {
    let ids: Vec<&str> = ParamType::ALL.iter().map(|t| t.id()).collect();
    let Value::Str(s) = &node.value else {
        diags.push(wrong_type(
            node,
            "type",
            "one of `string`, `int`, `bool` or `duration`",
            &node.value,
        ));
        return None;
    };
    if let Some(t) = ParamType::from_id(s) {
        return Some(Spanned {
            value: t,
            span: node.span,
        });
    }
    // What other languages call these types.
    let alias = match s.to_ascii_lowercase().as_str() {
        "str" | "text" | "char" => Some("string"),
        "integer" | "i32" | "i64" | "u32" | "u64" | "long" | "number" | "uint" => Some("int"),
        "boolean" => Some("bool"),
        "time" | "timespan" | "interval" | "delay" => Some("duration"),
        _ => None,
    };
    let help = match (alias.or_else(|| did_you_mean(s, &ids)), s.as_str()) {
        (Some(t), _) => format!("did you mean `{t}`?"),
        (None, "float" | "double" | "f64" | "f32" | "decimal") => "a fractional number prints differently in every language (`1.0` in Dart, `1` in JavaScript); pass it as a `string` formatted by the caller, or as an `int` in a smaller unit".to_owned(),
        (None, _) => format!("use one of {}", ids.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")),
    };
    diags.push(
        Diagnostic::new(
            Rule::InvalidParamType,
            format!("`{s}` is not a parameter type"),
        )
        .primary(node.span, "unknown type")
        .help(help),
    );
    None
}

/// Splits a message with parameters into text and `{name}` references; `{{` and
/// `}}` are literal braces. Unbalanced and empty braces are reported here, names
/// in `check.rs` (they need the declared parameters).
fn template(m: &Spanned<String>, source: &str, diags: &mut Vec<Diagnostic>) -> Vec<Part> {
    let text = m.value.as_str();
    // Where the value's bytes sit in the file: exactly for a plain or quoted
    // scalar without escapes; otherwise a diagnostic points at the whole message.
    let raw = source.get(m.span.start..m.span.end).unwrap_or_default();
    let base = if raw == text {
        Some(m.span.start)
    } else if raw.len() == text.len() + 2
        && (raw.starts_with('"') || raw.starts_with('\''))
        && raw.get(1..raw.len() - 1) == Some(text)
    {
        Some(m.span.start + 1)
    } else {
        None
    };
    let at = |from: usize, to: usize| match base {
        Some(b) => Span {
            file: m.span.file,
            start: b + from,
            end: b + to,
        },
        None => m.span,
    };
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < text.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                lit.push('{');
                i += 2;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                lit.push('}');
                i += 2;
            }
            b'{' => {
                match text[i + 1..].find(['{', '}']).map(|k| i + 1 + k) {
                    Some(j) if bytes[j] == b'}' => {
                        let inner = &text[i + 1..j];
                        if inner.trim().is_empty() {
                            diags.push(
                            Diagnostic::new(Rule::EmptyPlaceholder, "a placeholder names no parameter")
                                .primary(at(i, j + 1), "empty braces")
                                .help("write a parameter's name inside the braces (`{device}`), or `{{}}` for literal braces"),
                        );
                        } else {
                            if !lit.is_empty() {
                                parts.push(Part::Text(std::mem::take(&mut lit)));
                            }
                            parts.push(Part::Param {
                                name: inner.to_owned(),
                                span: at(i, j + 1),
                            });
                        }
                        i = j + 1;
                    }
                    _ => {
                        diags.push(
                        Diagnostic::new(Rule::UnbalancedBrace, "a `{` in the message is never closed")
                            .primary(at(i, i + 1), "opens a placeholder that has no `}`")
                            .help("close the placeholder (`{device}`), or write `{{` for a literal `{`"),
                    );
                        i += 1;
                    }
                }
            }
            b'}' => {
                diags.push(
                    Diagnostic::new(Rule::UnbalancedBrace, "a `}` in the message closes nothing")
                        .primary(at(i, i + 1), "no `{` before it")
                        .help("write `}}` for a literal `}`, or open the placeholder with `{`"),
                );
                i += 1;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or_default();
                lit.push(ch);
                i += ch.len_utf8().max(1);
            }
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Text(lit));
    }
    parts
}

fn retired(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Retired> {
    let f = Fields::of(node, "a retired entry", RETIRED_FIELDS, diags)?;
    let code = f.get("code").and_then(|n| code(n, "code", diags));
    let names = f
        .required("names", "the names it had, e.g. `[OLD_NAME]`", diags)
        .and_then(|n| string_list(n, "names", diags));
    let why = f.string("why", diags);
    let when = f.string("when", diags);
    let names = names?;
    if names.is_empty() {
        diags.push(
            Diagnostic::new(Rule::EmptyField, "a retired entry lists no name")
                .primary(node.span, "`names` is empty")
                .help("list the names it had, so they stay reserved"),
        );
        return None;
    }
    Some(Retired {
        span: node.span,
        code,
        names,
        why: why?,
        when: when?,
    })
}

fn override_(
    platform: Spanned<String>,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Override> {
    let f = Fields::of(node, "a platform override", OVERRIDE_FIELDS, diags)?;
    let name = f.optional_string("name", diags);
    let message = f.optional_string("message", diags);
    if name.is_none() && message.is_none() && f.pairs.is_empty() {
        diags.push(
            Diagnostic::new(
                Rule::EmptyField,
                format!("the override for `{}` changes nothing", platform.value),
            )
            .primary(node.span, "no `name` or `message` here")
            .help("give the platform's `name` and/or `message`, or remove the override"),
        );
    }
    Some(Override {
        platform,
        name,
        message,
        message_parts: None,
    })
}

fn retry(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Spanned<RetryHint>> {
    let hint = match &node.value {
        Value::Str(s) if s == "never" => RetryHint::Never,
        Value::Str(s) => {
            let suggestion = did_you_mean(s, &["never"])
                .map(|_| " (did you mean `never`?)")
                .unwrap_or("");
            diags.push(
                Diagnostic::new(Rule::InvalidRetry, format!("`{s}` is not a retry hint{suggestion}"))
                    .primary(node.span, "unknown retry hint")
                    .help("write `never`, `{ after: 5s }`, `{ backoff: { initial: 1s, max: 30s, attempts: 5 } }` or `{ fix: \"what to fix\" }`; leave `retry` out when there is no guidance"),
            );
            return None;
        }
        Value::Map(pairs) => {
            let f = Fields::of(node, "a retry hint", RETRY_FORMS, diags)?;
            if pairs.len() != 1 {
                diags.push(
                    Diagnostic::new(Rule::InvalidRetry, "a retry hint has exactly one form")
                        .primary(node.span, format!("{} forms given here", pairs.len()))
                        .help("keep one of `after`, `backoff` or `fix`"),
                );
                return None;
            }
            if let Some(n) = f.get("after") {
                let d = duration(n, "after", diags)?;
                RetryHint::After(d.value)
            } else if let Some(n) = f.get("backoff") {
                backoff(n, diags)?
            } else if f.get("fix").is_some() {
                RetryHint::AfterFix(f.string("fix", diags)?.value)
            } else {
                return None;
            }
        }
        other => {
            diags.push(wrong_type(
                node,
                "retry",
                "`never` or a mapping such as `{ after: 5s }`",
                other,
            ));
            return None;
        }
    };
    Some(Spanned {
        value: hint,
        span: node.span,
    })
}

fn backoff(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<RetryHint> {
    let f = Fields::of(node, "an exponential backoff", BACKOFF_FIELDS, diags)?;
    let initial = f
        .required("initial", "the first delay, e.g. `initial: 1s`", diags)
        .and_then(|n| duration(n, "initial", diags));
    let max = f
        .required("max", "the longest delay, e.g. `max: 30s`", diags)
        .and_then(|n| duration(n, "max", diags));
    let attempts = f
        .required(
            "attempts",
            "the number of attempts, e.g. `attempts: 5`",
            diags,
        )
        .and_then(|n| integer(n, "attempts", diags).map(|v| (v, n.span)));
    let (initial, max, (attempts, attempts_span)) = (initial?, max?, attempts?);
    let mut ok = true;
    if initial.value > max.value {
        ok = false;
        diags.push(
            Diagnostic::new(
                Rule::InvalidRetry,
                "the backoff starts above its maximum delay",
            )
            .primary(initial.span, "initial delay")
            .secondary(max.span, "is longer than this maximum")
            .help("make `initial` at most `max`"),
        );
    }
    let max_attempts = match u32::try_from(attempts) {
        Ok(0) | Err(_) => {
            ok = false;
            diags.push(
                Diagnostic::new(
                    Rule::InvalidRetry,
                    format!("`attempts: {attempts}` is not a number of retries"),
                )
                .primary(attempts_span, "must be between 1 and 4294967295")
                .help("give at least one attempt; to forbid retrying write `retry: never`"),
            );
            0
        }
        Ok(n) => n,
    };
    ok.then_some(RetryHint::Backoff {
        initial: initial.value,
        max: max.value,
        max_attempts,
    })
}

/// `500ms`, `5s`, `2m`, `1h`: a positive whole number and a unit.
fn duration(node: &Node, field: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<Duration>> {
    let text = match &node.value {
        Value::Str(s) => s.as_str(),
        Value::Int(i) => {
            diags.push(
                Diagnostic::new(Rule::InvalidDuration, format!("`{field}: {i}` has no unit"))
                    .primary(node.span, "a duration needs a unit")
                    .help(format!(
                        "write `{i}s` for seconds or `{i}ms` for milliseconds"
                    )),
            );
            return None;
        }
        other => {
            diags.push(wrong_type(node, field, "a duration such as `5s`", other));
            return None;
        }
    };
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let millis_per_unit: Option<u64> = match unit {
        "ms" => Some(1),
        "s" => Some(1_000),
        "m" => Some(60_000),
        "h" => Some(3_600_000),
        _ => None,
    };
    let Some(per) = millis_per_unit.filter(|_| !digits.is_empty()) else {
        diags.push(
            Diagnostic::new(Rule::InvalidDuration, format!("`{text}` is not a duration"))
                .primary(
                    node.span,
                    "expected a whole number followed by `ms`, `s`, `m` or `h`",
                )
                .help("write a duration such as `500ms`, `5s`, `2m` or `1h`"),
        );
        return None;
    };
    // `digits` is a non-empty run of ASCII digits, so parsing fails only on
    // overflow: a well-formed duration beyond u64 milliseconds is too long
    // like any other above the maximum, not malformed.
    let millis = digits.parse::<u64>().ok().and_then(|n| n.checked_mul(per));
    match millis.map(Duration::from_millis) {
        Some(Duration::ZERO) => {
            diags.push(
                Diagnostic::new(Rule::InvalidDuration, format!("`{field}` is zero"))
                    .primary(node.span, "a delay must be longer than zero")
                    .help("give a positive delay such as `1s`"),
            );
            None
        }
        Some(value) if value <= MAX_DURATION => Some(Spanned {
            value,
            span: node.span,
        }),
        _ => {
            let limit = format_duration(MAX_DURATION);
            let max_ms = MAX_DURATION.as_millis();
            let label = match millis {
                Some(ms) if unit != "ms" => format!("{ms}ms, above {max_ms}ms (one year)"),
                Some(_) => format!("above {max_ms}ms (one year)"),
                None => format!("over 2^64 ms, far above {max_ms}ms (one year)"),
            };
            diags.push(
                Diagnostic::new(
                    Rule::DurationTooLong,
                    format!("`{field}: {text}` is longer than the maximum delay of {limit}"),
                )
                .primary(node.span, label)
                .note("every target must hold the delay exactly: TypeScript numbers lose milliseconds above 2^53 ms, and Dart's `Duration(milliseconds: ..)` does not compile above 2^63 ms")
                .help(format!(
                    "give a delay of at most {limit}; if the error needs more than a year, say what must change with a fix hint instead: `retry: {{ fix: \"...\" }}`"
                )),
            );
            None
        }
    }
}

fn code(node: &Node, field: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<u32>> {
    let value = integer(node, field, diags)?;
    match u32::try_from(value) {
        Ok(v) => Some(Spanned {
            value: v,
            span: node.span,
        }),
        Err(_) => {
            diags.push(
                Diagnostic::new(
                    Rule::WrongType,
                    format!("`{field}: {value}` is not an unsigned 32-bit integer"),
                )
                .primary(node.span, "out of range")
                .help("codes are whole numbers from 0 to 4294967295"),
            );
            None
        }
    }
}

fn integer(node: &Node, field: &str, diags: &mut Vec<Diagnostic>) -> Option<i128> {
    match &node.value {
        Value::Int(i) => Some(*i),
        Value::Str(s) if s.trim().parse::<i128>().is_ok() => {
            diags.push(
                Diagnostic::new(
                    Rule::WrongType,
                    format!("`{field}` is a string, not a number"),
                )
                .primary(node.span, "quoted here")
                .help(format!("remove the quotes: `{field}: {}`", s.trim())),
            );
            None
        }
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 => {
            // YAML reads integers beyond 64 bits (and `1e3`) as floats.
            diags.push(
                Diagnostic::new(
                    Rule::WrongType,
                    format!("`{field}` is not an unsigned 32-bit integer"),
                )
                .primary(
                    node.span,
                    "out of range, or written as a floating-point number",
                )
                .help("write a whole number from 0 to 4294967295, in plain digits"),
            );
            None
        }
        other => {
            diags.push(wrong_type(node, field, "a whole number", other));
            None
        }
    }
}

fn list<'n>(node: &'n Node, field: &str, diags: &mut Vec<Diagnostic>) -> Option<&'n [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        other => {
            diags.push(wrong_type(node, field, "a list", other));
            None
        }
    }
}

fn string_list(
    node: &Node,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Spanned<String>>> {
    let items = list(node, field, diags)?;
    Some(
        items
            .iter()
            .filter_map(|n| string_value(n, field, diags))
            .collect(),
    )
}

/// A mapping from snake_case ids to definitions, kept in file order.
fn keyed_map<T>(
    node: &Node,
    field: &str,
    diags: &mut Vec<Diagnostic>,
    parse: impl Fn(Spanned<String>, &Node, &mut Vec<Diagnostic>) -> Option<T>,
) -> Vec<T> {
    let Value::Map(pairs) = &node.value else {
        diags.push(wrong_type(
            node,
            field,
            "a mapping of ids to definitions",
            &node.value,
        ));
        return Vec::new();
    };
    let mut seen = SeenKeys::default();
    pairs
        .iter()
        .filter_map(|(k, v)| {
            if let Some(first) = seen.earlier(k) {
                diags.push(duplicate_key(first, k));
                return None;
            }
            let id = string_value(k, field, diags)?;
            parse(id, v, diags)
        })
        .collect()
}

/// The keys of one mapping seen so far, by value: a string, integer or
/// boolean key equal to an earlier one is a duplicate (other kinds never are).
/// Hashed, so that a mapping of many keys is checked in linear time.
#[derive(Default)]
struct SeenKeys<'n> {
    first: std::collections::HashMap<KeyValue<'n>, &'n Node>,
}

#[derive(PartialEq, Eq, Hash)]
enum KeyValue<'n> {
    Str(&'n str),
    Int(i128),
    Bool(bool),
}

impl<'n> SeenKeys<'n> {
    /// The earlier key equal to `key`, or `None` after recording it.
    fn earlier(&mut self, key: &'n Node) -> Option<&'n Node> {
        let value = match &key.value {
            Value::Str(s) => KeyValue::Str(s),
            Value::Int(i) => KeyValue::Int(*i),
            Value::Bool(b) => KeyValue::Bool(*b),
            _ => return None,
        };
        match self.first.entry(value) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(key);
                None
            }
        }
    }
}

fn duplicate_key(first: &Node, again: &Node) -> Diagnostic {
    let key = match &again.value {
        Value::Str(s) => s.clone(),
        other => other.kind(),
    };
    Diagnostic::new(
        Rule::DuplicateKey,
        format!("the key `{key}` appears twice in one mapping"),
    )
    .primary(again.span, "second occurrence")
    .secondary(first.span, "first occurrence")
    .help("remove one of the two; YAML would otherwise keep only one of them silently")
}

/// A non-empty string (whitespace only counts as empty).
fn string_value(node: &Node, field: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
    match &node.value {
        Value::Str(s) if s.trim().is_empty() => {
            diags.push(empty(node.span, field));
            None
        }
        Value::Str(s) => Some(Spanned {
            value: s.clone(),
            span: node.span,
        }),
        // `name: NULL` reads as YAML's null, not as the constant: say so.
        Value::Null if node.span.end > node.span.start => {
            diags.push(
                Diagnostic::new(
                    Rule::EmptyField,
                    format!("`{field}` is empty: YAML reads this value as null"),
                )
                .primary(node.span, "YAML's null (`null`, `Null`, `NULL` or `~`), not text")
                .help(format!(
                    "put the value of `{field}` in double quotes to make it a string, e.g. `{field}: \"NULL\"`"
                )),
            );
            None
        }
        Value::Null => {
            diags.push(empty(node.span, field));
            None
        }
        other => {
            let mut d = wrong_type(node, field, "a string", other);
            if matches!(other, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
                d = d.help(format!(
                    "put the value of `{field}` in double quotes to make it a string"
                ));
            }
            diags.push(d);
            None
        }
    }
}

fn empty(span: Span, field: &str) -> Diagnostic {
    Diagnostic::new(Rule::EmptyField, format!("`{field}` is empty"))
        .primary(span, "no text here")
        .help(format!(
            "write a value for `{field}`, or remove the field if it is optional"
        ))
}

fn wrong_type(node: &Node, field: &str, expected: &str, found: &Value) -> Diagnostic {
    Diagnostic::new(
        Rule::WrongType,
        format!("`{field}` must be {expected}, not {}", found.kind()),
    )
    .primary(node.span, format!("this is {}", found.kind()))
    .help(format!("write `{field}` as {expected}"))
}

fn one_of(value: &Spanned<String>, field: &str, found: &str, allowed: &[&str]) -> Diagnostic {
    let listed = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let mut d = Diagnostic::new(
        Rule::WrongType,
        format!("`{field}: {found}` is not {listed}"),
    )
    .primary(value.span, "unknown value");
    d = match did_you_mean(found, allowed) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(format!("write {listed}")),
    };
    d
}

/// The keys of one YAML mapping, checked against the fields it may have.
struct Fields<'n> {
    span: Span,
    what: &'static str,
    pairs: Vec<(&'n str, &'n Node)>,
    /// Known fields that an unknown key was reported as a likely misspelling of;
    /// their absence is not reported again as a missing field.
    suggested: Vec<&'static str>,
    /// How messages name this mapping when more is known than `what` ("the entry `NOT_FOUND`").
    subject: Option<String>,
}

impl<'n> Fields<'n> {
    /// Reports a non-mapping and every unknown or non-string key.
    fn of(
        node: &'n Node,
        what: &'static str,
        allowed: &[&'static str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let Value::Map(pairs) = &node.value else {
            let rule = if what == "a catalog file" {
                Rule::NotAMapping
            } else {
                Rule::WrongType
            };
            diags.push(
                Diagnostic::new(
                    rule,
                    format!("{what} must be a mapping, not {}", node.value.kind()),
                )
                .primary(node.span, format!("this is {}", node.value.kind()))
                .help(format!(
                    "write {what} as `key: value` lines; it may have {}",
                    list_fields(allowed)
                )),
            );
            return None;
        };
        let mut known = Vec::with_capacity(pairs.len());
        let mut suggested = Vec::new();
        let mut seen = SeenKeys::default();
        // Unknown fields past the first few are reported as one diagnostic:
        // a file of thousands would otherwise print megabytes.
        let mut unknown: Vec<&Node> = Vec::new();
        for (key, value) in pairs {
            if let Some(first) = seen.earlier(key) {
                diags.push(duplicate_key(first, key));
                continue;
            }
            let Value::Str(k) = &key.value else {
                diags.push(
                    Diagnostic::new(
                        Rule::WrongType,
                        format!("a key of {what} must be a string, not {}", key.value.kind()),
                    )
                    .primary(key.span, "this key")
                    .help(format!("{what} may have {}", list_fields(allowed))),
                );
                continue;
            };
            if allowed.contains(&k.as_str()) {
                known.push((k.as_str(), value));
            } else if unknown.len() >= MAX_UNKNOWN_FIELDS {
                unknown.push(key);
                // Still a likely typo of a field: its absence is not reported.
                if let Some(s) = did_you_mean(k, allowed)
                    && !suggested.contains(&s)
                {
                    suggested.push(s);
                }
            } else {
                unknown.push(key);
                let mut d = Diagnostic::new(
                    Rule::UnknownField,
                    format!("unknown field `{}` in {what}", excerpt_name(k)),
                )
                .primary(key.span, "not a field of this mapping");
                d = match did_you_mean(k, allowed) {
                    Some(s) => {
                        suggested.push(s);
                        d.help(format!("did you mean `{s}`?"))
                    }
                    None => d.help(format!(
                        "remove it; {what} may have {}",
                        list_fields(allowed)
                    )),
                };
                diags.push(d);
            }
        }
        if let Some((first, rest)) = unknown
            .get(MAX_UNKNOWN_FIELDS..)
            .and_then(<[&Node]>::split_first)
        {
            let names = |key: &Node| match &key.value {
                Value::Str(k) => format!("`{}`", excerpt_name(k)),
                other => other.kind(),
            };
            let mut d = Diagnostic::new(
                Rule::UnknownField,
                format!(
                    "{} more unknown fields in {what}, from {} on",
                    rest.len() + 1,
                    names(first)
                ),
            )
            .primary(first.span, "the first of them");
            if let Some(last) = rest.last() {
                d = d.secondary(last.span, format!("the last, {}", names(last)));
            }
            diags.push(d.help(format!(
                "remove them; {what} may have {}",
                list_fields(allowed)
            )));
        }
        Some(Fields {
            span: node.span,
            what,
            pairs: known,
            suggested,
            subject: None,
        })
    }

    fn get(&self, key: &str) -> Option<&'n Node> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn required(
        &self,
        key: &str,
        what_it_is: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&'n Node> {
        let found = self.get(key);
        if found.is_none() && !self.suggested.contains(&key) {
            let subject = self.subject.clone().unwrap_or_else(|| self.what.to_owned());
            diags.push(
                Diagnostic::new(Rule::MissingField, format!("{subject} has no `{key}`"))
                    .primary(self.span, format!("`{key}` missing here"))
                    .help(format!("add `{key}:` with {what_it_is}")),
            );
        }
        found
    }

    fn string(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        self.required(key, "a text", diags)
            .and_then(|n| string_value(n, key, diags))
    }

    fn optional_string(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        self.get(key).and_then(|n| string_value(n, key, diags))
    }
}

/// Unknown fields of one mapping reported one by one; the rest as one diagnostic.
const MAX_UNKNOWN_FIELDS: usize = 20;

/// A key as a message names it: at most 60 characters.
fn excerpt_name(k: &str) -> String {
    match k.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &k[..cut]),
        None => k.to_owned(),
    }
}

fn list_fields(allowed: &[&str]) -> String {
    allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
