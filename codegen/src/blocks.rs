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

use std::sync::{Arc, PoisonError, RwLock};

use handlebars::{
    BlockContext, Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext,
    RenderErrorReason, Renderable,
};
use serde::Serialize;
use serde_json::Value as Json;

use crate::view::CatalogModel;

/// The context field naming a view's typed model (an index into [`Models`]).
pub const VIEW_FIELD: &str = "errspec_view";
/// The group field naming the group's index in its view.
const GROUP_FIELD: &str = "errspec_group";

/// The typed models of the views being rendered, by unit index. A model is in
/// while its view renders (a canonical one until the `view: registry`
/// templates have rendered, when they iterate entries).
#[derive(Default)]
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
    for kind in [
        Kind::Entries,
        Kind::Groups,
        Kind::GroupEntries,
        Kind::ParamEntries,
    ] {
        hb.register_helper(
            kind.name(),
            Box::new(Each {
                kind,
                models: Arc::clone(models),
            }),
        );
    }
}

#[derive(Clone, Copy)]
enum Kind {
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
    fn name(self) -> &'static str {
        match self {
            Kind::Entries => "each_entry",
            Kind::Groups => "each_group",
            Kind::GroupEntries => "group_entries",
            Kind::ParamEntries => "each_param_entry",
        }
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
        let name = self.kind.name();
        let id = index_field(ctx, rc, VIEW_FIELD).ok_or_else(|| {
            RenderErrorReason::Other(format!(
                "helper `{name}` iterates a catalog's entries: use it where a catalog is `this` (at the top of a catalog template; in a `view: registry` template, inside `{{{{#each catalogs}}}}`){}",
                if matches!(self.kind, Kind::GroupEntries) {
                    "; `group_entries` goes inside `{{#each_group}}`"
                } else {
                    ""
                }
            ))
        })?;
        let model = self.models.get(id).ok_or_else(|| {
            RenderErrorReason::Other(format!(
                "helper `{name}`: the view model {id} is not being rendered"
            ))
        })?;
        let m = &*model;
        match self.kind {
            Kind::Entries => each(h, r, ctx, rc, out, m.entries.iter().map(Ok)),
            Kind::ParamEntries => each(
                h,
                r,
                ctx,
                rc,
                out,
                m.param_entries.iter().map(|&i| Ok(&m.entries[i])),
            ),
            Kind::GroupEntries => {
                let group = index_field(ctx, rc, GROUP_FIELD)
                    .and_then(|g| m.groups.get(g))
                    .ok_or_else(|| {
                        RenderErrorReason::Other(
                            "helper `group_entries` goes inside `{{#each_group}}`".to_owned(),
                        )
                    })?;
                each(
                    h,
                    r,
                    ctx,
                    rc,
                    out,
                    group.entries.iter().map(|&i| Ok(&m.entries[i])),
                )
            }
            Kind::Groups => {
                let groups = m.groups.iter().enumerate().map(|(g, group)| {
                    let mut value = serde_json::to_value(group)?;
                    if let Json::Object(fields) = &mut value {
                        fields.insert(VIEW_FIELD.to_owned(), Json::from(id));
                        fields.insert(GROUP_FIELD.to_owned(), Json::from(g));
                    }
                    Ok(value)
                });
                each(h, r, ctx, rc, out, groups)
            }
        }
    }
}

/// A non-negative integer field of `this` (the view id, a group's index).
fn index_field<'rc>(ctx: &'rc Context, rc: &RenderContext<'_, 'rc>, field: &str) -> Option<usize> {
    let value = rc.evaluate(ctx, field).ok()?;
    value
        .as_json()
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
}

/// Renders the block once per item, each serialized on its own, as `each` renders an array.
fn each<'reg: 'rc, 'rc, T: Serialize, I>(
    h: &Helper<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
    items: I,
) -> HelperResult
where
    I: ExactSizeIterator<Item = Result<T, serde_json::Error>>,
{
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
            let value = item
                .and_then(|item| serde_json::to_value(item))
                .map_err(RenderErrorReason::SerdeError)?;
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
