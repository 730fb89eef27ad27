//! The fields each scope of the view model has, and a check, before anything
//! renders, that every path a template names is one of them.
//!
//! Strict mode fails a render on a missing field in an expression, but not in
//! an `{{#if}}` or `{{#unless}}` condition, where a missing field is false: a
//! template written against an older model (`{{#if retry.is_never}}`) would
//! render silently wrong. So every template's syntax tree is walked here: each
//! path resolves against the scope it is read in (the catalog, an entry inside
//! `{{#each_entry}}`, a parameter inside `{{#each params}}`, ...), and a field
//! the scope does not have is an error at the template's `path:line:column`.
//!
//! Not checked (nothing inside them is guessed at): the blocks of a block
//! helper that is not `if`, `unless`, `each`, `with` or errspec's entry ones; a
//! partial that is not a `{{#*inline}}` of the same template (a partial with
//! hash arguments, a partial block, a dynamic partial name); `@root` inside a
//! partial; `each` with block parameters (`as |x|`); `each` over an object;
//! what `lookup` returns (its first argument is checked); `../` above the
//! template's root.

use std::collections::BTreeMap;

use handlebars::template::{
    DecoratorTemplate, HelperTemplate, Parameter, Template, TemplateElement,
};
use handlebars::{Handlebars, Path};

use crate::TemplateError;
use crate::targets::{Target, ViewSpec};

/// What a path reads.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// Text, a number, a boolean or null: it has no fields.
    Value,
    /// An object with the fields of a scope.
    Object(&'static Scope),
    /// An array of values of one shape.
    List(&'static Shape),
    /// Not known: nothing read from it is checked.
    Unknown,
}

/// The fields of one object of the view model, as its serialization has them
/// (the tests compare the two).
#[derive(Debug)]
pub struct Scope {
    /// What it is, for messages: "an entry".
    pub what: &'static str,
    pub fields: &'static [(&'static str, Shape)],
    /// Fields the block helpers read (`errspec_view`): accepted, never suggested.
    pub internal: &'static [&'static str],
    /// Fields of an earlier model, each with what replaces it.
    pub moved: &'static [(&'static str, &'static str)],
}

impl Scope {
    fn field(&self, name: &str) -> Option<Shape> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, s)| s)
            .or_else(|| self.internal.contains(&name).then_some(Shape::Unknown))
    }

    fn names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|&(n, _)| n).collect()
    }
}

const STRINGS: Shape = Shape::List(&Shape::Value);

pub const PLATFORM: Scope = Scope {
    what: "a platform",
    fields: &[("id", Shape::Value), ("title", Shape::Value)],
    internal: &[],
    moved: &[],
};

pub const RETIRED: Scope = Scope {
    what: "a retired entry",
    fields: &[
        ("code", Shape::Value),
        ("names", STRINGS),
        ("why", Shape::Value),
        ("when", Shape::Value),
    ],
    internal: &[],
    moved: &[],
};

/// An element of `sorted_codes` or `sorted_names`.
pub const KEY_ROW: Scope = Scope {
    what: "a sorted key",
    fields: &[
        ("code", Shape::Value),
        ("name", Shape::Value),
        ("row", Shape::Value),
    ],
    internal: &[],
    moved: &[],
};

pub const DOC_PART: Scope = Scope {
    what: "a doc part",
    fields: &[("text", Shape::Value), ("code", Shape::Value)],
    internal: &[],
    moved: &[],
};

pub const PART: Scope = Scope {
    what: "a message part",
    fields: &[
        ("text", Shape::Value),
        ("param", Shape::Value),
        ("type", Shape::Value),
    ],
    internal: &[],
    moved: &[],
};

pub const PARAM: Scope = Scope {
    what: "a parameter",
    fields: &[
        ("name", Shape::Value),
        ("type", Shape::Value),
        ("description", Shape::Value),
        ("last", Shape::Value),
    ],
    internal: &[],
    moved: &[],
};

/// Every kind's fields: a hint has those of its `kind` (the others are missing).
pub const RETRY: Scope = Scope {
    what: "a retry hint",
    fields: &[
        ("kind", Shape::Value),
        ("after_ms", Shape::Value),
        ("initial_ms", Shape::Value),
        ("max_ms", Shape::Value),
        ("attempts", Shape::Value),
        ("fix", Shape::Value),
        ("text", Shape::Value),
        ("lead", Shape::Value),
    ],
    internal: &[],
    moved: &[
        ("is_never", "(eq retry.kind \"never\")"),
        ("is_after", "(eq retry.kind \"after\")"),
        ("is_backoff", "(eq retry.kind \"backoff\")"),
        ("is_fix", "(eq retry.kind \"fix\")"),
    ],
};

pub const ENTRY: Scope = Scope {
    what: "an entry",
    fields: &[
        ("code", Shape::Value),
        ("name", Shape::Value),
        ("canonical_name", Shape::Value),
        ("message", Shape::Value),
        ("trigger", Shape::Value),
        ("retry", Shape::Object(&RETRY)),
        ("category", Shape::Value),
        ("docs", Shape::Value),
        ("aliases", STRINGS),
        ("deprecated", Shape::Value),
        ("accepted_names", STRINGS),
        ("anchor", Shape::Value),
        ("params", Shape::List(&Shape::Object(&PARAM))),
        ("has_params", Shape::Value),
        ("has_duration_params", Shape::Value),
        ("message_parts", Shape::List(&Shape::Object(&PART))),
        ("doc_parts", Shape::List(&Shape::Object(&DOC_PART))),
    ],
    internal: &[],
    moved: &[],
};

const GROUP_FIELDS: [(&str, Shape); 4] = [
    ("id", Shape::Value),
    ("title", Shape::Value),
    ("from", Shape::Value),
    ("to", Shape::Value),
];

/// A group inside `{{#each_group}}`.
pub const GROUP: Scope = Scope {
    what: "a group",
    fields: &GROUP_FIELDS,
    internal: &[crate::blocks::VIEW_FIELD, crate::blocks::GROUP_FIELD],
    moved: &[],
};

/// A group of the catalog's `groups`, for templates written before the block helpers.
pub const LISTED_GROUP: Scope = Scope {
    what: "a group of `groups`",
    fields: &[
        GROUP_FIELDS[0],
        GROUP_FIELDS[1],
        GROUP_FIELDS[2],
        GROUP_FIELDS[3],
        ("entries", Shape::List(&Shape::Object(&ENTRY))),
    ],
    internal: &[],
    moved: &[],
};

/// A catalog: the context of a per-catalog template, an element of `catalogs`.
pub const CATALOG: Scope = Scope {
    what: "a catalog",
    fields: &[
        ("name", Shape::Value),
        ("type_name", Shape::Value),
        ("lower_name", Shape::Value),
        ("title", Shape::Value),
        ("description", Shape::Value),
        ("delivery", Shape::Value),
        ("keyed_by_code", Shape::Value),
        ("wide_codes", Shape::Value),
        ("platform", Shape::Object(&PLATFORM)),
        ("platforms", Shape::List(&Shape::Object(&PLATFORM))),
        ("has_platform_differences", Shape::Value),
        ("entry_count", Shape::Value),
        ("has_aliases", Shape::Value),
        ("has_params", Shape::Value),
        ("has_duration_params", Shape::Value),
        ("retired", Shape::List(&Shape::Object(&RETIRED))),
        ("sorted_codes", Shape::List(&Shape::Object(&KEY_ROW))),
        ("sorted_names", Shape::List(&Shape::Object(&KEY_ROW))),
        ("generator", Shape::Value),
        ("regenerate", Shape::Value),
        // Still given to templates written before the block helpers (blocks::context).
        ("entries", Shape::List(&Shape::Object(&ENTRY))),
        ("groups", Shape::List(&Shape::Object(&LISTED_GROUP))),
        ("param_entries", Shape::List(&Shape::Object(&ENTRY))),
    ],
    internal: &[crate::blocks::VIEW_FIELD],
    moved: &[],
};

/// The context of a `view: registry` template.
pub const REGISTRY: Scope = Scope {
    what: "the registry",
    fields: &[
        ("catalogs", Shape::List(&Shape::Object(&CATALOG))),
        ("generator", Shape::Value),
        ("regenerate", Shape::Value),
    ],
    internal: &[],
    moved: &[],
};

/// The block helpers whose body reads one entry (or group) as `this`.
const ENTRY_BLOCKS: [(&str, &Scope); 4] = [
    ("each_entry", &ENTRY),
    ("each_param_entry", &ENTRY),
    ("group_entries", &ENTRY),
    ("each_group", &GROUP),
];

/// Checks every template of `targets` (registered in `hb` by its name):
/// every unknown field, each on its own line at its `path:line:column`.
pub fn check(hb: &Handlebars<'_>, targets: &[Target]) -> Result<(), TemplateError> {
    let mut problems = Vec::new();
    for t in targets {
        let Some(template) = hb.get_template(&t.name) else {
            continue;
        };
        let root = match t.view {
            ViewSpec::Registry => &REGISTRY,
            _ => &CATALOG,
        };
        problems.extend(check_template(&t.at, &t.source, template, root));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(TemplateError::UnknownFields { problems })
    }
}

/// The problems of one template whose context is `root`, in source order.
pub fn check_template(at: &str, source: &str, t: &Template, root: &'static Scope) -> Vec<String> {
    let mut walk = Walk {
        at,
        source,
        inline: BTreeMap::new(),
        active: Vec::new(),
        problems: BTreeMap::new(),
    };
    walk.collect_inline(t);
    let root = Shape::Object(root);
    walk.template(t, &[root], root, (1, 1));
    walk.problems.into_values().collect()
}

/// One template's walk: the scopes are a stack, the innermost last (`../` is one up).
struct Walk<'t> {
    at: &'t str,
    source: &'t str,
    /// The `{{#*inline "name"}}` partials, checked where they are called.
    inline: BTreeMap<&'t str, &'t Template>,
    /// The inline partials being checked (a partial calling itself is checked once).
    active: Vec<&'t str>,
    /// By position, so that a partial called twice reports once.
    problems: BTreeMap<(usize, usize, String), String>,
}

impl<'t> Walk<'t> {
    fn collect_inline(&mut self, t: &'t Template) {
        for e in &t.elements {
            match e {
                TemplateElement::DecoratorBlock(d) => {
                    if let (Some(name), Some(body)) = (inline_name(d), &d.template) {
                        self.inline.insert(name, body);
                    }
                }
                TemplateElement::HelperBlock(h) => {
                    for inner in h.template.iter().chain(&h.inverse) {
                        self.collect_inline(inner);
                    }
                }
                _ => {}
            }
        }
    }

    fn template(&mut self, t: &'t Template, scopes: &[Shape], root: Shape, at: (usize, usize)) {
        for (i, e) in t.elements.iter().enumerate() {
            let at = t.mapping.get(i).map_or(at, |m| (m.0, m.1));
            match e {
                TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                    self.expression(h, scopes, root, at);
                }
                TemplateElement::HelperBlock(h) => self.block(h, scopes, root, at),
                TemplateElement::PartialExpression(d) => self.partial(d, scopes, root, at),
                TemplateElement::PartialBlock(d) => {
                    self.arguments(&d.params, &d.hash, scopes, root, at)
                }
                // `{{#*inline}}` bodies are checked where they are called; other decorators are not known.
                _ => {}
            }
        }
    }

    /// `{{name}}`, `{{retry.kind}}`, `{{helper arg ...}}`.
    fn expression(
        &mut self,
        h: &'t HelperTemplate,
        scopes: &[Shape],
        root: Shape,
        at: (usize, usize),
    ) {
        let name = match &h.name {
            Parameter::Name(n) => n,
            Parameter::Path(Path::Relative((_, raw))) => raw,
            _ => "",
        };
        // A name alone is a helper's when one has it, else a field; a name
        // with arguments is a helper's (an unknown one fails the render).
        if !name.is_empty() && h.params.is_empty() && h.hash.is_empty() && !HELPERS.contains(&name)
        {
            self.path(name, scopes, root, at);
        }
        self.arguments(&h.params, &h.hash, scopes, root, at);
    }

    fn arguments(
        &mut self,
        params: &'t [Parameter],
        hash: &'t std::collections::HashMap<String, Parameter>,
        scopes: &[Shape],
        root: Shape,
        at: (usize, usize),
    ) {
        for p in params.iter().chain(hash.values()) {
            self.parameter(p, scopes, root, at);
        }
    }

    /// Checks an argument; returns what it reads.
    fn parameter(
        &mut self,
        p: &'t Parameter,
        scopes: &[Shape],
        root: Shape,
        at: (usize, usize),
    ) -> Shape {
        match p {
            Parameter::Name(n) => self.path(n, scopes, root, at),
            Parameter::Path(Path::Relative((_, raw))) => self.path(raw, scopes, root, at),
            Parameter::Subexpression(s) => {
                if let TemplateElement::Expression(h) = s.as_element() {
                    self.arguments(&h.params, &h.hash, scopes, root, at);
                }
                Shape::Unknown
            }
            // `@index`, `@../first`, literals.
            _ => Shape::Value,
        }
    }

    fn block(&mut self, h: &'t HelperTemplate, scopes: &[Shape], root: Shape, at: (usize, usize)) {
        let name = match &h.name {
            Parameter::Name(n) => n.as_str(),
            _ => "",
        };
        let first = h
            .params
            .first()
            .map(|p| self.parameter(p, scopes, root, at));
        for p in h.params.iter().skip(1).chain(h.hash.values()) {
            self.parameter(p, scopes, root, at);
        }
        let inner = match (name, first) {
            ("if" | "unless", _) => None,
            ("each", Some(Shape::List(element))) if h.block_param.is_none() => Some(*element),
            ("each", _) => Some(Shape::Unknown),
            ("with", Some(shape)) if h.block_param.is_none() => Some(shape),
            _ => match ENTRY_BLOCKS.iter().find(|(n, _)| *n == name) {
                Some((_, scope)) => Some(Shape::Object(scope)),
                // A block helper not known here: what it renders its blocks with is not known.
                None => return,
            },
        };
        if let Some(body) = &h.template {
            match inner {
                Some(shape) => {
                    let mut inner_scopes = scopes.to_vec();
                    inner_scopes.push(shape);
                    self.template(body, &inner_scopes, root, at);
                }
                None => self.template(body, scopes, root, at),
            }
        }
        if let Some(inverse) = &h.inverse {
            self.template(inverse, scopes, root, at);
        }
    }

    /// `{{> name}}` or `{{> name value}}` of an inline partial: its body in that context.
    fn partial(
        &mut self,
        d: &'t DecoratorTemplate,
        scopes: &[Shape],
        root: Shape,
        at: (usize, usize),
    ) {
        let context = match d.params.as_slice() {
            [] => scopes.last().copied().unwrap_or(Shape::Unknown),
            [p] => self.parameter(p, scopes, root, at),
            more => {
                for p in more {
                    self.parameter(p, scopes, root, at);
                }
                Shape::Unknown
            }
        };
        for p in d.hash.values() {
            self.parameter(p, scopes, root, at);
        }
        let Parameter::Name(name) = &d.name else {
            return;
        };
        let Some(body) = self.inline.get(name.as_str()).copied() else {
            return;
        };
        if !d.hash.is_empty() || self.active.contains(&name.as_str()) {
            return;
        }
        self.active.push(name);
        self.template(body, &[context], Shape::Unknown, at);
        self.active.pop();
    }

    /// Resolves `raw` (`name`, `retry.kind`, `../name`, `@root.type_name`,
    /// `this`) against the scopes; a field a scope does not have is a problem.
    fn path(&mut self, raw: &str, scopes: &[Shape], root: Shape, at: (usize, usize)) -> Shape {
        let mut rest = raw;
        // What has been read so far, for messages: `@root`, `../`, `retry`.
        let mut read = String::new();
        let mut shape = if let Some(after) = rest.strip_prefix("@root") {
            rest = after;
            read.push_str("@root");
            root
        } else {
            let mut up = 0;
            while let Some(after) = rest.strip_prefix("../") {
                rest = after;
                read.push_str("../");
                up += 1;
            }
            scopes
                .len()
                .checked_sub(1 + up)
                .map_or(Shape::Unknown, |i| scopes[i])
        };
        let segments = rest
            .split(['.', '/'])
            .map(|s| s.trim_start_matches('[').trim_end_matches(']'))
            .filter(|s| !s.is_empty() && *s != "this");
        for segment in segments {
            let field = match shape {
                Shape::Unknown => return Shape::Unknown,
                Shape::List(element) => segment.parse::<usize>().is_ok().then_some(*element),
                Shape::Object(scope) => scope.field(segment),
                Shape::Value => None,
            };
            let Some(field) = field else {
                self.unknown(raw, &read, segment, shape, at);
                return Shape::Unknown;
            };
            shape = field;
            if !(read.is_empty() || read.ends_with('/')) {
                read.push('.');
            }
            read.push_str(segment);
        }
        shape
    }

    /// Records that `raw` names `segment`, which `read` (empty: `this`) does
    /// not have: `parent` is what `read` is.
    fn unknown(&mut self, raw: &str, read: &str, segment: &str, parent: Shape, at: (usize, usize)) {
        let (line, column) = locate(self.source, at, raw);
        let read = match read.trim_end_matches('/') {
            "" => "this",
            read => read,
        };
        let what = match parent {
            Shape::Object(scope) => {
                let names = scope.names();
                let hint = match scope.moved.iter().find(|(old, _)| *old == segment) {
                    Some((_, new)) => {
                        format!("; `{segment}` is a field of an older view model: write `{new}`")
                    }
                    None => errspec::suggest::did_you_mean(segment, &names)
                        .map(|near| format!("; did you mean `{near}`?"))
                        .unwrap_or_default(),
                };
                format!(
                    "`{read}` ({}) has no field `{segment}`: it has `{}`{hint}",
                    scope.what,
                    names.join("`, `")
                )
            }
            Shape::List(_) => format!(
                "`{read}` is a list: it has no field `{segment}`, only its items (`{{{{#each {read}}}}}`)"
            ),
            Shape::Value | Shape::Unknown => format!(
                "`{read}` is a value (text, a number, a boolean or null): it has no field `{segment}`"
            ),
        };
        self.problems.insert(
            (line, column, raw.to_owned()),
            format!("{}:{line}:{column}: `{raw}`: {what}", self.at),
        );
    }
}

/// The name of a `{{#*inline "name"}}` block.
fn inline_name(d: &DecoratorTemplate) -> Option<&str> {
    match (&d.name, d.params.as_slice()) {
        (Parameter::Name(n), [Parameter::Literal(serde_json::Value::String(name))])
            if n == "inline" =>
        {
            Some(name)
        }
        _ => None,
    }
}

/// Where `raw` is written in the tag starting at `at` (1-based line and
/// column): the first occurrence that is a whole path; else the tag itself.
fn locate(source: &str, at: (usize, usize), raw: &str) -> (usize, usize) {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(at.0.saturating_sub(1))
        .map(str::len)
        .sum();
    let start = source[line_start..]
        .char_indices()
        .nth(at.1.saturating_sub(1))
        .map_or(source.len(), |(i, _)| line_start + i);
    let tag = &source[start..];
    let tag = &tag[..tag.find("}}").map_or(tag.len(), |e| e + 2)];
    let part_of_path = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '@' | '-');
    let found = tag.match_indices(raw).find(|&(i, _)| {
        let before = tag[..i].chars().next_back();
        let after = tag[i + raw.len()..].chars().next();
        !before.is_some_and(part_of_path) && !after.is_some_and(part_of_path)
    });
    let Some((i, _)) = found else {
        return at;
    };
    let offset = start + i;
    let line = source[..offset].matches('\n').count() + 1;
    let line_begins = source[..offset].rfind('\n').map_or(0, |n| n + 1);
    (line, source[line_begins..offset].chars().count() + 1)
}

/// Every helper a template can call: handlebars' own and errspec's
/// ([`crate::helpers`], [`crate::blocks`], `option`). A name alone that is
/// none of these is a field.
pub const HELPERS: &[&str] = &[
    // handlebars
    "if",
    "unless",
    "each",
    "with",
    "lookup",
    "raw",
    "log",
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "and",
    "or",
    "not",
    "len",
    // errspec
    "ident",
    "str",
    "doc",
    "param_ident",
    "param_type",
    "param_text",
    "preamble",
    "md_inline",
    "md_text",
    "md_span",
    "md_link",
    "chunk",
    "chunk_starts",
    "option",
    "each_entry",
    "each_group",
    "group_entries",
    "each_param_entry",
];

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path as FsPath;

    use serde_json::Value as Json;

    use super::*;
    use crate::view::{CatalogModel, RetryModel};

    fn problems(body: &str, root: &'static Scope) -> Vec<String> {
        let source = format!("{{{{!-- errspec\nfile: x\nview: canonical\n--}}}}\n{body}");
        let t = Template::compile(&source).unwrap_or_else(|e| panic!("{e}"));
        check_template("t.hbs", &source, &t, root)
    }

    #[test]
    fn every_built_in_template_names_only_fields_of_the_model() {
        let targets = crate::targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        let mut hb = Handlebars::new();
        for t in &targets {
            hb.register_template_string(&t.name, &t.source)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(targets.len() >= 8, "{}", targets.len());
        if let Err(e) = check(&hb, &targets) {
            panic!("{e}");
        }
    }

    #[test]
    fn a_field_the_scope_lacks_is_reported_at_its_line_and_column() {
        // (body, root, line:column in the body (the header is 4 lines), the message's start)
        let cases: &[(&str, &Scope, &str, &str)] = &[
            (
                "{{typo}}",
                &CATALOG,
                "1:3",
                "`typo`: `this` (a catalog) has no field `typo`",
            ),
            (
                "\n  {{#if typo}}{{/if}}",
                &CATALOG,
                "2:9",
                "`typo`: `this` (a catalog)",
            ),
            (
                "{{#each_entry}}\n{{#if retry.is_never}}x{{/if}}{{/each_entry}}",
                &CATALOG,
                "2:7",
                "`retry.is_never`: `retry` (a retry hint) has no field `is_never`: it has `kind`, ",
            ),
            (
                "{{#each_entry}}{{#if entry.nmae}}{{/if}}{{/each_entry}}",
                &CATALOG,
                "1:22",
                "`entry.nmae`: `this` (an entry) has no field `entry`",
            ),
            (
                "{{#each_param_entry}}{{nmae}}{{/each_param_entry}}",
                &CATALOG,
                "1:24",
                "`nmae`: `this` (an entry) has no field `nmae`: it has `code`, `name`, ",
            ),
            (
                "{{#each_group}}{{#group_entries}}{{#unless typo}}{{/unless}}{{/group_entries}}{{/each_group}}",
                &CATALOG,
                "1:44",
                "`typo`: `this` (an entry)",
            ),
            (
                "{{#each_group}}{{titl}}{{/each_group}}",
                &CATALOG,
                "1:18",
                "`titl`: `this` (a group) has no field `titl`: it has `id`, `title`, `from`, `to`; did you mean `title`?",
            ),
            (
                "{{#each_entry}}{{#each params}}{{typo}}{{/each}}{{/each_entry}}",
                &CATALOG,
                "1:34",
                "`typo`: `this` (a parameter)",
            ),
            (
                "{{#each_entry}}{{#each message_parts}}{{parm}}{{/each}}{{/each_entry}}",
                &CATALOG,
                "1:41",
                "`parm`: `this` (a message part) has no field `parm`: it has `text`, `param`, `type`; did you mean `param`?",
            ),
            (
                "{{#each_entry}}{{#each doc_parts}}{{typo}}{{/each}}{{/each_entry}}",
                &CATALOG,
                "1:37",
                "`typo`: `this` (a doc part)",
            ),
            (
                "{{#each platforms}}{{typo}}{{/each}}",
                &CATALOG,
                "1:22",
                "`typo`: `this` (a platform)",
            ),
            (
                "{{#each retired}}{{typo}}{{/each}}",
                &CATALOG,
                "1:20",
                "`typo`: `this` (a retired entry)",
            ),
            (
                "{{#each_entry}}{{#each aliases}}{{this.typo}}{{/each}}{{/each_entry}}",
                &CATALOG,
                "1:35",
                "`this.typo`: `this` is a value",
            ),
            (
                "{{#each_entry}}{{#each accepted_names}}{{typo}}{{/each}}{{/each_entry}}",
                &CATALOG,
                "1:42",
                "`typo`: `this` is a value",
            ),
            (
                "{{#each_entry}}{{#with retry}}{{knd}}{{/with}}{{/each_entry}}",
                &CATALOG,
                "1:33",
                "`knd`: `this` (a retry hint) has no field `knd`: it has `kind`, `after_ms`, `initial_ms`, `max_ms`, `attempts`, `fix`, `text`, `lead`; did you mean `kind`?",
            ),
            (
                "{{#each_entry}}{{#each params}}{{../nmae}}{{/each}}{{/each_entry}}",
                &CATALOG,
                "1:34",
                "`../nmae`: `..` (an entry) has no field `nmae`",
            ),
            (
                "{{#each_entry}}{{ident @root.typ_name}}{{/each_entry}}",
                &CATALOG,
                "1:24",
                "`@root.typ_name`: `@root` (a catalog) has no field `typ_name`",
            ),
            (
                "{{#each entries}}{{#if retry.is_fix}}{{/if}}{{/each}}",
                &CATALOG,
                "1:24",
                "`retry.is_fix`: `retry` (a retry hint) has no field `is_fix`: it has `kind`, `after_ms`, `initial_ms`, `max_ms`, `attempts`, `fix`, `text`, `lead`; `is_fix` is a field of an older view model: write `(eq retry.kind \"fix\")`",
            ),
            (
                "{{#each groups}}{{#each entries}}{{nme}}{{/each}}{{/each}}",
                &CATALOG,
                "1:36",
                "`nme`: `this` (an entry)",
            ),
            (
                "{{#each catalogs}}{{#each_entry}}{{name.first}}{{/each_entry}}{{/each}}",
                &REGISTRY,
                "1:36",
                "`name.first`: `name` is a value",
            ),
            (
                "{{#each catalogs}}{{platforms.id}}{{/each}}",
                &REGISTRY,
                "1:21",
                "`platforms.id`: `platforms` is a list: it has no field `id`",
            ),
            (
                "{{name}}",
                &REGISTRY,
                "1:3",
                "`name`: `this` (the registry) has no field `name`: it has `catalogs`, `generator`, `regenerate`",
            ),
            (
                "{{#*inline \"m\"}}{{#each this}}{{txt}}{{/each}}{{/inline}}{{#each_entry}}{{> m doc_parts}}{{/each_entry}}",
                &CATALOG,
                "1:33",
                "`txt`: `this` (a doc part) has no field `txt`: it has `text`, `code`; did you mean `text`?",
            ),
            (
                "{{#if has_params}}{{else}}{{#each_entry}}{{typo}}{{/each_entry}}{{/if}}",
                &CATALOG,
                "1:44",
                "`typo`: `this` (an entry)",
            ),
        ];
        for &(body, root, at, message) in cases {
            let found = problems(body, root);
            let (line, column) = at.split_once(':').unwrap_or_default();
            let line: usize = line.parse().unwrap_or_default();
            let expected = format!("t.hbs:{}:{column}: {message}", line + 4);
            assert!(
                found.len() == 1 && found[0].starts_with(&expected),
                "{body}\nexpected {expected}\nfound {found:#?}"
            );
        }
    }

    #[test]
    fn what_the_model_has_passes() {
        for (body, root) in [
            (
                "{{#each_entry}}{{#if (eq retry.kind \"after\")}}{{retry.after_ms}}{{/if}}{{retry.initial_ms}}{{/each_entry}}",
                &CATALOG,
            ),
            (
                "{{#each_entry}}{{#each aliases}}{{#if (ne this ../name)}}{{this}}{{@index}}{{/if}}{{/each}}{{/each_entry}}",
                &CATALOG,
            ),
            (
                "{{preamble}}{{option \"package\"}}{{#if platform}}{{platform.id}}{{/if}}{{lookup entries 0}}{{entries.0.name}}",
                &CATALOG,
            ),
            (
                "{{#each_group}}{{title}}{{#group_entries}}{{name}}{{@../index}}{{/group_entries}}{{else}}{{entry_count}}{{/each_group}}",
                &CATALOG,
            ),
            (
                "{{#each catalogs}}{{type_name}}{{#each_entry}}{{../type_name}}{{@root.generator}}{{/each_entry}}{{/each}}",
                &REGISTRY,
            ),
            // Not known, so not checked: an unknown block's body, block parameters, another template's partial.
            (
                "{{#custom has_params}}{{anything}}{{/custom}}{{#each entries as |e|}}{{e.nmae}}{{/each}}{{> other}}",
                &CATALOG,
            ),
        ] {
            assert_eq!(problems(body, root), Vec::<String>::new(), "{body}");
        }
        // The arguments of an unknown block are still read in its scope.
        assert_eq!(problems("{{#custom typo}}{{/custom}}", &CATALOG).len(), 1);
    }

    /// The union of each scope's keys over `json`, checked against the scope's
    /// fields on the way: a key the scope does not list is a problem.
    fn conforms(
        json: &Json,
        shape: Shape,
        at: &str,
        seen: &mut BTreeMap<&'static str, BTreeSet<String>>,
        wrong: &mut Vec<String>,
    ) {
        match (shape, json) {
            (_, Json::Null) | (Shape::Unknown, _) => {}
            (Shape::Value, Json::Bool(_) | Json::Number(_) | Json::String(_)) => {}
            (Shape::List(element), Json::Array(items)) => {
                for item in items {
                    conforms(item, *element, &format!("{at}[]"), seen, wrong);
                }
            }
            (Shape::Object(scope), Json::Object(fields)) => {
                for (key, value) in fields {
                    match scope.field(key) {
                        Some(field) => {
                            if !scope.internal.contains(&key.as_str()) {
                                seen.entry(scope.what).or_default().insert(key.clone());
                            }
                            conforms(value, field, &format!("{at}.{key}"), seen, wrong);
                        }
                        None => wrong.push(format!("{at}.{key}: not in {}'s fields", scope.what)),
                    }
                }
            }
            _ => wrong.push(format!("{at}: {json} is not {shape:?}")),
        }
    }

    #[test]
    fn the_scopes_list_the_fields_the_model_serializes() {
        let root = FsPath::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(FsPath::to_path_buf)
            .unwrap_or_default();
        let mut seen = BTreeMap::new();
        let mut wrong = Vec::new();
        for path in [
            "spec/registry",
            "tests/fixtures/regressions.yaml",
            "tests/fixtures/retired.yaml",
        ] {
            let registry = errspec::load(root.join(path)).unwrap_or_else(|d| panic!("{d}"));
            for c in &registry.catalogs {
                for view in std::iter::once(c.canonical_view()).chain(c.views()) {
                    let model = CatalogModel::new(view);
                    // The context with the lists of old templates: every catalog-level field.
                    let context = crate::blocks::context(&model, 0, true).unwrap_or_default();
                    conforms(
                        &context,
                        Shape::Object(&CATALOG),
                        "catalog",
                        &mut seen,
                        &mut wrong,
                    );
                    // What `{{#each_group}}` gives its block.
                    for group in &model.groups {
                        let json = serde_json::to_value(group).unwrap_or_default();
                        conforms(&json, Shape::Object(&GROUP), "group", &mut seen, &mut wrong);
                    }
                }
            }
        }
        // Every kind of retry hint, whether a registry has it or not.
        for hint in [
            errspec::RetryHint::Never,
            errspec::RetryHint::After(std::time::Duration::from_secs(1)),
            errspec::RetryHint::Backoff {
                initial: std::time::Duration::from_secs(1),
                max: std::time::Duration::from_secs(2),
                max_attempts: 3,
            },
            errspec::RetryHint::AfterFix("x".to_owned()),
        ] {
            let json = serde_json::to_value(RetryModel::new(&hint)).unwrap_or_default();
            conforms(&json, Shape::Object(&RETRY), "retry", &mut seen, &mut wrong);
        }
        assert_eq!(wrong, Vec::<String>::new());
        // And every field a scope lists is in some serialized value.
        for scope in [
            &CATALOG,
            &ENTRY,
            &RETRY,
            &PARAM,
            &PART,
            &DOC_PART,
            &GROUP,
            &LISTED_GROUP,
            &PLATFORM,
            &RETIRED,
            &KEY_ROW,
        ] {
            let listed: BTreeSet<String> = scope.names().into_iter().map(str::to_owned).collect();
            assert_eq!(seen.get(scope.what), Some(&listed), "{}", scope.what);
        }
    }

    #[test]
    fn a_registry_template_reads_the_registry_fields() {
        let registry =
            errspec::load(FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../spec/registry"))
                .unwrap_or_else(|d| panic!("{d}"));
        let source = "{{!-- errspec\nfile: all.txt\nview: registry\n--}}\n{{generator}}{{#each catalogs}}{{name}}{{/each}}";
        let target = crate::targets::Target {
            name: "all.hbs".to_owned(),
            folder: None,
            language: None,
            file: "all.txt".to_owned(),
            view: ViewSpec::Registry,
            source: source.to_owned(),
            at: "all.hbs".to_owned(),
            built_in: false,
            target: None,
            options: Vec::new(),
            when: None,
        };
        let settings = crate::Settings::default();
        let files = crate::render_templates(&registry, std::slice::from_ref(&target), &settings)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(REGISTRY.names(), ["catalogs", "generator", "regenerate"]);
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn every_helper_registered_is_known_as_one() {
        let sources = [include_str!("helpers.rs"), include_str!("plan.rs")];
        let mut registered: Vec<&str> = sources
            .iter()
            .flat_map(|s| s.split("register_helper(\"").skip(1))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        registered.extend(ENTRY_BLOCKS.iter().map(|(n, _)| *n));
        registered.extend(crate::helpers::ROW_HELPERS.iter().map(|(n, _)| *n));
        registered.extend(crate::helpers::TEXT_HELPERS.iter().map(|(n, ..)| *n));
        assert!(registered.len() > 10, "{registered:?}");
        for name in registered {
            assert!(HELPERS.contains(&name), "{name}");
        }
    }
}
