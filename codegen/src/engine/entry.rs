//! An entry of a block helper read typed: `{{name}}`, `{{retry.kind}}` and
//! the like are looked up in the [`EntryModel`] by field name, as handlebars
//! reads them from the entry's JSON object, without building that object.
//! Lists (`params`, `message_parts`, ...) and an entry read whole (`this`)
//! are serialized where they are read.

use handlebars::RenderError;
use handlebars::RenderErrorReason;
use serde_json::Value as Json;

use super::eval::{V, walk};
use crate::view::{EntryModel, Retry, RetryModel};

static TRUE: Json = Json::Bool(true);
static FALSE: Json = Json::Bool(false);
static NULL: Json = Json::Null;

/// The value at `names` in entry `e` (`[]` is the entry whole).
pub(super) fn lookup<'a>(e: &'a EntryModel<'_>, names: &[String]) -> Result<V<'a>, RenderError> {
    let Some((first, rest)) = names.split_first() else {
        return json(e);
    };
    let v = match first.as_str() {
        "code" => V::Own(e.code.map_or(Json::Null, Json::from)),
        "name" => V::str(e.name),
        "canonical_name" => opt_str(e.canonical_name),
        "message" => V::str(e.message),
        "trigger" => opt_str(e.trigger),
        "retry" if !rest.is_empty() => return Ok(retry(&e.retry, rest)),
        "retry" => json(&e.retry)?,
        "category" => opt_str(e.category),
        "docs" => opt_str(e.docs),
        "aliases" => json(&e.aliases)?,
        "deprecated" => opt_str(e.deprecated),
        "accepted_names" => json(&e.accepted_names)?,
        "anchor" => V::str(&e.anchor),
        "params" => json(&e.params)?,
        "has_params" => bool(e.has_params),
        "has_duration_params" => bool(e.has_duration_params),
        "message_parts" => json(&e.message_parts)?,
        "doc_parts" => json(&e.doc_parts)?,
        _ => V::Missing,
    };
    Ok(match v {
        _ if rest.is_empty() => v,
        V::Ref(j) => walk(Some(j), rest)?.map_or(V::Missing, V::Ref),
        V::Own(j) => walk(Some(&j), rest)?.map_or(V::Missing, |j| V::Own(j.clone())),
        // A field of a string, a number or a missing value: handlebars reads none.
        _ => V::Missing,
    })
}

/// A field of the retry hint: `kind`, the fields of its kind, `text`, `lead`.
fn retry<'a>(r: &'a RetryModel<'_>, names: &[String]) -> V<'a> {
    let [name] = names else {
        // A field of a string or a number.
        return V::Missing;
    };
    match (name.as_str(), &r.hint) {
        ("kind", hint) => V::str(match hint {
            Retry::Never => "never",
            Retry::After { .. } => "after",
            Retry::Backoff { .. } => "backoff",
            Retry::Fix { .. } => "fix",
            Retry::Unspecified => "unspecified",
        }),
        ("text", _) => V::str(&r.text),
        ("lead", _) => V::str(&r.lead),
        ("after_ms", Retry::After { after_ms }) => V::Own(Json::from(*after_ms)),
        ("initial_ms", Retry::Backoff { initial_ms, .. }) => V::Own(Json::from(*initial_ms)),
        ("max_ms", Retry::Backoff { max_ms, .. }) => V::Own(Json::from(*max_ms)),
        ("attempts", Retry::Backoff { attempts, .. }) => V::Own(Json::from(*attempts)),
        ("fix", Retry::Fix { fix }) => V::str(fix),
        _ => V::Missing,
    }
}

fn json<'a, T: serde::Serialize + ?Sized>(value: &T) -> Result<V<'a>, RenderError> {
    serde_json::to_value(value)
        .map(V::Own)
        .map_err(|e| RenderErrorReason::SerdeError(e).into())
}

fn opt_str(s: Option<&str>) -> V<'_> {
    s.map_or(V::Ref(&NULL), V::str)
}

fn bool<'a>(b: bool) -> V<'a> {
    V::Ref(if b { &TRUE } else { &FALSE })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::CatalogModel;

    /// Every field of every entry of the shipped registry's views, and every
    /// field of its retry hint, reads as in the entry's JSON object.
    #[test]
    fn every_field_reads_as_its_json() {
        let registry = crate::shipped_registry();
        let mut fields = 0;
        for c in &registry.catalogs {
            for view in std::iter::once(c.canonical_view()).chain(c.views()) {
                let model = CatalogModel::new(view);
                for e in &model.entries {
                    let whole = serde_json::to_value(e).unwrap_or_else(|e| panic!("{e}"));
                    let read = |names: &[&str]| {
                        let names: Vec<String> = names.iter().map(|&n| n.to_owned()).collect();
                        match lookup(e, &names).unwrap_or_else(|e| panic!("{e}")) {
                            V::Missing => None,
                            v => Some(v.json().clone()),
                        }
                    };
                    assert_eq!(read(&[]).as_ref(), Some(&whole));
                    let Json::Object(object) = &whole else {
                        panic!("an entry is an object")
                    };
                    for (key, value) in object {
                        assert_eq!(read(&[key]).as_ref(), Some(value), "{key}");
                        fields += 1;
                        if let Json::Object(inner) = value {
                            for (k, v) in inner {
                                assert_eq!(read(&[key, k]).as_ref(), Some(v), "{key}.{k}");
                            }
                        }
                        if !value.is_array() {
                            let missing = read(&[key, "nothing"]);
                            assert!(missing.is_none(), "{key}.nothing: {missing:?}");
                        }
                    }
                    assert_eq!(read(&["nothing"]), None);
                    let other_kinds = ["after_ms", "initial_ms", "max_ms", "attempts", "fix"];
                    for k in other_kinds {
                        assert_eq!(read(&["retry", k]).as_ref(), object["retry"].get(k), "{k}");
                    }
                }
            }
        }
        assert!(fields > 100, "{fields}");
    }
}
