//! The block helpers that give templates a view's entries one at a time.
//!
//! A view's handlebars context holds its catalog-level fields and the id of
//! its typed model (`errspec_view`); the entries stay typed ([`CatalogModel`])
//! in a [`Models`] shared by the run's render threads. `{{#each_entry}}`,
//! `{{#each_group}}` with `{{#group_entries}}`, and `{{#each_param_entry}}`
//! serialize one entry (or group) to a small JSON value, render their block
//! with it as `this`, and drop it: `@index`, `@first`, `@last`, `../` and
//! `{{else}}` (no items) work as with `each`. So no JSON copy of a whole
//! catalog is built, whatever the number of entries.

use std::collections::BTreeSet;
use std::sync::{Arc, PoisonError, RwLock};

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{
    BlockContext, Context, Handlebars, Helper, HelperDef, HelperResult, Output, Path, PathSeg,
    RenderContext, RenderErrorReason, Renderable,
};
use serde::ser::{self, Impossible, Serialize, SerializeStruct};
use serde_json::Value as Json;

use crate::view::{CatalogModel, EntryModel};

/// The context field naming a view's typed model (an index into [`Models`]).
pub const VIEW_FIELD: &str = "errspec_view";
/// The group field naming the group's index in its view.
pub const GROUP_FIELD: &str = "errspec_group";

/// The typed models of the views being rendered, by unit index. A model is in
/// while its view renders (a canonical one until the `view: registry`
/// templates have rendered, when they iterate entries).
pub struct Models<'r> {
    slots: RwLock<Vec<Option<Arc<CatalogModel<'r>>>>>,
}

impl<'r> Models<'r> {
    pub fn new(units: usize) -> Models<'r> {
        Models {
            slots: RwLock::new((0..units).map(|_| None).collect()),
        }
    }

    pub fn put(&self, id: usize, model: Arc<CatalogModel<'r>>) {
        let mut slots = self.slots.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = slots.get_mut(id) {
            *slot = Some(model);
        }
    }

    pub fn remove(&self, id: usize) {
        let mut slots = self.slots.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = slots.get_mut(id) {
            *slot = None;
        }
    }

    fn get(&self, id: usize) -> Option<Arc<CatalogModel<'r>>> {
        let slots = self.slots.read().unwrap_or_else(PoisonError::into_inner);
        slots.get(id).cloned().flatten()
    }
}

/// Registers the block helpers on `hb`, reading models from `models`.
pub fn register<'r>(hb: &mut Handlebars<'r>, models: &Arc<Models<'r>>) {
    for kind in Kind::ALL {
        hb.register_helper(
            kind.name(),
            Box::new(Each {
                kind,
                models: Arc::clone(models),
            }),
        );
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// `{{#each_entry}}`: every entry of the view.
    Entries,
    /// `{{#each_group}}`: every category with entries, then the uncategorized.
    Groups,
    /// `{{#group_entries}}`, inside `each_group`: the group's entries.
    GroupEntries,
    /// `{{#each_param_entry}}`: the entries with message parameters.
    ParamEntries,
}

impl Kind {
    pub(crate) const ALL: [Kind; 4] = [
        Kind::Entries,
        Kind::Groups,
        Kind::GroupEntries,
        Kind::ParamEntries,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Entries => "each_entry",
            Kind::Groups => "each_group",
            Kind::GroupEntries => "group_entries",
            Kind::ParamEntries => "each_param_entry",
        }
    }

    /// The block helper called `name`.
    pub(crate) fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

struct Each<'r> {
    kind: Kind,
    models: Arc<Models<'r>>,
}

impl<'r> HelperDef for Each<'r> {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let id = index_field(ctx, rc, VIEW_FIELD);
        let model = self.models.of(self.kind, id)?;
        let reads = h.template().and_then(fields_read);
        let group = || index_field(ctx, rc, GROUP_FIELD);
        let items = items(
            self.kind,
            &model,
            id.unwrap_or_default(),
            group,
            reads.as_ref(),
        )?;
        each(h, r, ctx, rc, out, items)
    }
}

/// The items of a block helper, each serialized on its own as it is reached.
pub(crate) type Items<'m> = Box<dyn ExactSizeIterator<Item = Result<Json, serde_json::Error>> + 'm>;

impl<'r> Models<'r> {
    /// The model of the view `id` (the `errspec_view` field of `this`) that block helper `kind` iterates.
    pub(crate) fn of(
        &self,
        kind: Kind,
        id: Option<usize>,
    ) -> Result<Arc<CatalogModel<'r>>, RenderErrorReason> {
        let name = kind.name();
        let id = id.ok_or_else(|| {
            RenderErrorReason::Other(format!(
                "helper `{name}` iterates a catalog's entries: use it where a catalog is `this` (at the top of a catalog template; in a `view: registry` template, inside `{{{{#each catalogs}}}}`){}",
                if matches!(kind, Kind::GroupEntries) {
                    "; `group_entries` goes inside `{{#each_group}}`"
                } else {
                    ""
                }
            ))
        })?;
        self.get(id).ok_or_else(|| {
            RenderErrorReason::Other(format!(
                "helper `{name}`: the view model {id} is not being rendered"
            ))
        })
    }
}

/// The entries block helper `kind` iterates in `m`, or `None` for
/// `each_group` (groups); `group` reads the group's index from `this`, for
/// `group_entries`.
pub(crate) fn entries<'m, 'r>(
    kind: Kind,
    m: &'m CatalogModel<'r>,
    group: impl FnOnce() -> Option<usize>,
) -> Result<Option<Entries<'m, 'r>>, RenderErrorReason> {
    Ok(Some(match kind {
        Kind::Entries => Box::new(m.entries.iter()),
        Kind::ParamEntries => Box::new(m.param_entries.iter().map(|&i| &m.entries[i])),
        Kind::GroupEntries => {
            let group = group().and_then(|g| m.groups.get(g)).ok_or_else(|| {
                RenderErrorReason::Other(
                    "helper `group_entries` goes inside `{{#each_group}}`".to_owned(),
                )
            })?;
            Box::new(group.entries.iter().map(|&i| &m.entries[i]))
        }
        Kind::Groups => return Ok(None),
    }))
}

/// A block helper's entries, typed.
pub(crate) type Entries<'m, 'r> = Box<dyn ExactSizeIterator<Item = &'m EntryModel<'r>> + 'm>;

/// What block helper `kind` iterates in `m` (the model of view `id`); `group`
/// reads the group's index from `this`, for `group_entries`. With `reads`, an
/// entry is serialized with only those fields.
pub(crate) fn items<'m>(
    kind: Kind,
    m: &'m CatalogModel<'_>,
    id: usize,
    group: impl FnOnce() -> Option<usize>,
    reads: Option<&'m BTreeSet<&'m str>>,
) -> Result<Items<'m>, RenderErrorReason> {
    let entry = move |e: &'m EntryModel<'_>| match reads {
        Some(fields) => e.serialize(Only { fields }),
        None => serde_json::to_value(e),
    };
    if let Some(entries) = entries(kind, m, group)? {
        return Ok(Box::new(entries.map(entry)));
    }
    // The groups (`each_group`).
    Ok(Box::new(m.groups.iter().enumerate().map(
        move |(g, group)| {
            let mut value = serde_json::to_value(group)?;
            if let Json::Object(fields) = &mut value {
                fields.insert(VIEW_FIELD.to_owned(), Json::from(id));
                fields.insert(GROUP_FIELD.to_owned(), Json::from(g));
            }
            Ok(value)
        },
    )))
}

/// A non-negative integer field of `this` (the view id, a group's index).
fn index_field<'rc>(ctx: &'rc Context, rc: &RenderContext<'_, 'rc>, field: &str) -> Option<usize> {
    let value = rc.evaluate(ctx, field).ok()?;
    value
        .as_json()
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
}

/// Renders the block once per item, as `each` renders an array.
fn each<'reg: 'rc, 'rc>(
    h: &Helper<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
    items: Items<'_>,
) -> HelperResult {
    let len = items.len();
    if len == 0 {
        return match h.inverse() {
            Some(t) => t.render(r, ctx, rc, out),
            None => Ok(()),
        };
    }
    let Some(template) = h.template() else {
        return Ok(());
    };
    rc.push_block(BlockContext::new());
    let result = (|| {
        for (i, item) in items.enumerate() {
            let value = item.map_err(RenderErrorReason::SerdeError)?;
            if let Some(block) = rc.block_mut() {
                block.set_local_var("first", Json::from(i == 0));
                block.set_local_var("last", Json::from(i + 1 == len));
                block.set_local_var("index", Json::from(i));
                block.set_base_value(value);
            }
            template.render(r, ctx, rc, out)?;
        }
        Ok(())
    })();
    rc.pop_block();
    result
}

/// The names a block's expressions read (a superset of the item's fields it
/// reads: helper names and inner scopes' fields too), or `None` when it may
/// read the item whole: `this` in the item's own scope, a partial given no
/// argument (it gets the whole context).
pub(crate) fn fields_read(t: &Template) -> Option<BTreeSet<&str>> {
    let mut names = BTreeSet::new();
    template_reads(t, false, &mut names).then_some(names)
}

/// Adds what `t` reads to `names`; false when it may read the item whole.
/// `inner`: in a scope inside the item's (`each`, `with`), where `this` is another value.
fn template_reads<'t>(t: &'t Template, inner: bool, names: &mut BTreeSet<&'t str>) -> bool {
    t.elements.iter().all(|e| match e {
        TemplateElement::RawString(_) | TemplateElement::Comment(_) => true,
        TemplateElement::Expression(h)
        | TemplateElement::HtmlExpression(h)
        | TemplateElement::HelperBlock(h) => helper_reads(h, inner, names),
        TemplateElement::DecoratorExpression(d)
        | TemplateElement::DecoratorBlock(d)
        | TemplateElement::PartialExpression(d)
        | TemplateElement::PartialBlock(d) => {
            let partial = matches!(
                e,
                TemplateElement::PartialExpression(_) | TemplateElement::PartialBlock(_)
            );
            // `{{> name}}` (and `{{> name k=v}}`) renders with the whole context; `{{> name value}}` with `value`.
            !(partial && d.params.is_empty())
                && d.params.iter().all(|p| parameter_reads(p, inner, names))
                && d.hash.values().all(|p| parameter_reads(p, inner, names))
                && d.template
                    .as_ref()
                    .is_none_or(|t| template_reads(t, inner, names))
        }
        // An element of a later handlebars: it may read anything.
        _ => false,
    })
}

fn helper_reads<'t>(h: &'t HelperTemplate, inner: bool, names: &mut BTreeSet<&'t str>) -> bool {
    let scoped = matches!(&h.name, Parameter::Name(n) if matches!(
        n.as_str(),
        "each" | "with" | "each_entry" | "each_group" | "group_entries" | "each_param_entry"
    ));
    parameter_reads(&h.name, inner, names)
        && h.params.iter().all(|p| parameter_reads(p, inner, names))
        && h.hash.values().all(|p| parameter_reads(p, inner, names))
        && h.template
            .as_ref()
            .is_none_or(|t| template_reads(t, inner || scoped, names))
        && h.inverse
            .as_ref()
            .is_none_or(|t| template_reads(t, inner, names))
}

fn parameter_reads<'t>(p: &'t Parameter, inner: bool, names: &mut BTreeSet<&'t str>) -> bool {
    match p {
        Parameter::Name(n) if n == "this" || n == "." => inner,
        Parameter::Name(n) => {
            names.insert(n);
            true
        }
        Parameter::Path(Path::Local(_)) | Parameter::Literal(_) => true,
        Parameter::Path(Path::Relative((segs, raw))) => {
            if raw.starts_with("@root") {
                return true;
            }
            let first = segs.iter().find_map(|s| match s {
                PathSeg::Named(n) => Some(n),
                _ => None,
            });
            match first {
                Some(n) => {
                    names.insert(n);
                    true
                }
                None => inner,
            }
        }
        Parameter::Subexpression(s) => match s.as_element() {
            TemplateElement::Expression(h) | TemplateElement::HelperBlock(h) => {
                helper_reads(h, inner, names)
            }
            _ => false,
        },
        _ => false,
    }
}

/// A serializer of one struct to a JSON object of the named fields alone.
struct Only<'f, 'n> {
    fields: &'f BTreeSet<&'n str>,
}

struct OnlyFields<'f, 'n> {
    fields: &'f BTreeSet<&'n str>,
    object: serde_json::Map<String, Json>,
}

impl SerializeStruct for OnlyFields<'_, '_> {
    type Ok = Json;
    type Error = serde_json::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        if self.fields.contains(key) {
            self.object
                .insert(key.to_owned(), serde_json::to_value(value)?);
        }
        Ok(())
    }

    fn end(self) -> Result<Json, Self::Error> {
        Ok(Json::Object(self.object))
    }
}

/// The error of every [`Only`] method but `serialize_struct`.
fn not_a_struct() -> serde_json::Error {
    ser::Error::custom("only a struct's fields can be chosen")
}

/// `Only`'s methods for values that are no struct: each an error.
macro_rules! not_a_struct {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name(self, _: $ty) -> Result<Json, serde_json::Error> {
            Err(not_a_struct())
        })*
    };
}

type No = Impossible<Json, serde_json::Error>;

impl<'f, 'n> ser::Serializer for Only<'f, 'n> {
    type Ok = Json;
    type Error = serde_json::Error;
    type SerializeSeq = No;
    type SerializeTuple = No;
    type SerializeTupleStruct = No;
    type SerializeTupleVariant = No;
    type SerializeMap = No;
    type SerializeStruct = OnlyFields<'f, 'n>;
    type SerializeStructVariant = No;

    not_a_struct!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8], serialize_unit_struct: &'static str
    );

    fn serialize_none(self) -> Result<Json, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Json, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_unit(self) -> Result<Json, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Json, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Json, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Json, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<No, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple(self, _: usize) -> Result<No, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<No, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<No, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<No, serde_json::Error> {
        Err(not_a_struct())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<OnlyFields<'f, 'n>, serde_json::Error> {
        Ok(OnlyFields {
            fields: self.fields,
            object: serde_json::Map::new(),
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<No, serde_json::Error> {
        Err(not_a_struct())
    }
}

/// The handlebars context of a view: its catalog-level fields and its id. With
/// `lists`, also `entries`, `groups` (each with its `entries`) and
/// `param_entries` as arrays, for templates written before the block helpers:
/// that is a JSON copy of the whole view, paid only when a template reads them.
pub fn context(
    model: &CatalogModel<'_>,
    id: usize,
    lists: bool,
) -> Result<Json, serde_json::Error> {
    let mut json = serde_json::to_value(model)?;
    if let Json::Object(fields) = &mut json {
        fields.insert(VIEW_FIELD.to_owned(), Json::from(id));
        if lists {
            let entries = |indexes: &[usize]| -> Result<Json, serde_json::Error> {
                indexes
                    .iter()
                    .map(|&i| serde_json::to_value(&model.entries[i]))
                    .collect::<Result<Vec<Json>, _>>()
                    .map(Json::Array)
            };
            fields.insert("entries".to_owned(), serde_json::to_value(&model.entries)?);
            let mut groups = Vec::with_capacity(model.groups.len());
            for group in &model.groups {
                let mut value = serde_json::to_value(group)?;
                if let Json::Object(g) = &mut value {
                    g.insert("entries".to_owned(), entries(&group.entries)?);
                }
                groups.push(value);
            }
            fields.insert("groups".to_owned(), Json::Array(groups));
            fields.insert("param_entries".to_owned(), entries(&model.param_entries)?);
        }
    }
    Ok(json)
}

/// The names of the expressions of a template (`{{...}}`), comments left out.
fn expression_words(source: &str) -> impl Iterator<Item = &str> {
    let mut rest = source;
    std::iter::from_fn(move || {
        let start = rest.find("{{")?;
        let after = &rest[start + 2..];
        let (inner, next) = if after.starts_with("!--") {
            let end = after.find("--}}").map_or(after.len(), |e| e + 4);
            ("", &after[end..])
        } else if after.starts_with('!') {
            let end = after.find("}}").map_or(after.len(), |e| e + 2);
            ("", &after[end..])
        } else {
            let end = after.find("}}").unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        rest = next;
        Some(inner)
    })
    .flat_map(|inner| inner.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
    .filter(|w| !w.is_empty())
}

/// Whether a template reads `entries`, `groups` or `param_entries` from its context.
pub fn reads_entry_lists(source: &str) -> bool {
    expression_words(source).any(|w| matches!(w, "entries" | "groups" | "param_entries"))
}

/// Whether a template calls one of the block helpers.
pub fn iterates_entries(source: &str) -> bool {
    expression_words(source).any(|w| {
        matches!(
            w,
            "each_entry" | "each_group" | "group_entries" | "each_param_entry"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(body: &str) -> Option<Vec<String>> {
        let t = Template::compile(body).unwrap_or_else(|e| panic!("{e}"));
        fields_read(&t).map(|names| names.into_iter().map(str::to_owned).collect())
    }

    #[test]
    fn a_block_reads_the_fields_its_expressions_name() {
        let names = reads(
            "{{ident name \"kotlin\"}} {{#if (eq retry.kind \"fix\")}}{{str retry.fix}}{{/if}}{{#each aliases}}{{this}} {{../code}}{{/each}}{{> message doc_parts}}{{@root.type_name}}{{@index}}",
        )
        .unwrap_or_default();
        for field in ["name", "retry", "aliases", "code", "doc_parts"] {
            assert!(names.iter().any(|n| n == field), "{field}: {names:?}");
        }
        assert!(
            !names.iter().any(|n| n == "type_name" || n == "index"),
            "{names:?}"
        );
        // What may read the entry whole reads every field.
        for whole in [
            "{{this}}",
            "{{str this}}",
            "{{> row}}",
            "{{#if x}}{{lookup this \"name\"}}{{/if}}",
        ] {
            assert_eq!(reads(whole), None, "{whole}");
        }
    }

    #[test]
    fn an_entry_serialized_by_field_is_the_entry_serialized_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let registry = errspec::load(root.join("spec/registry")).unwrap_or_else(|d| panic!("{d}"));
        for c in &registry.catalogs {
            let model = CatalogModel::new(c.canonical_view());
            for e in &model.entries {
                let whole = serde_json::to_value(e).unwrap_or_default();
                let Json::Object(fields) = &whole else {
                    panic!("an entry is an object");
                };
                let all: BTreeSet<&str> = fields.keys().map(String::as_str).collect();
                assert_eq!(e.serialize(Only { fields: &all }).ok(), Some(whole.clone()));
                let some = BTreeSet::from(["name", "retry", "no_such_field"]);
                let part = e.serialize(Only { fields: &some }).unwrap_or_default();
                assert_eq!(part.get("name"), whole.get("name"));
                assert_eq!(part.get("retry"), whole.get("retry"));
                assert_eq!(part.as_object().map(|o| o.len()), Some(2));
            }
        }
    }

    #[test]
    fn only_expressions_count_as_reading_the_lists() {
        assert!(reads_entry_lists("{{#each entries}}{{name}}{{/each}}"));
        assert!(reads_entry_lists("{{len ../param_entries}}"));
        assert!(reads_entry_lists(
            "{{#each catalogs}}{{#each groups}}{{/each}}{{/each}}"
        ));
        assert!(!reads_entry_lists(
            "entries {{!-- {{#each entries}} --}}{{! groups }}"
        ));
        assert!(!reads_entry_lists(
            "{{#each_entry}}{{/each_entry}}{{#group_entries}}{{/group_entries}}"
        ));
        assert!(iterates_entries(
            "{{#each_param_entry}}{{/each_param_entry}}"
        ));
        assert!(!iterates_entries(
            "{{#each catalogs}}{{type_name}}{{/each}}"
        ));
    }
}
