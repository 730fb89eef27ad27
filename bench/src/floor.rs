//! The parse-only floor: serde-saphyr alone, without errspec's model or rules.
//!
//! errspec has no public parse-only API (its `yaml` module is private), so
//! these functions rebuild its first step from the outside with the same
//! serde-saphyr options (budgets, strict booleans, duplicate keys passed
//! through):
//!
//! - [`ignored`]: the YAML is parsed and every value thrown away
//!   (`serde::de::IgnoredAny`): the parser alone;
//! - [`tree`]: the YAML becomes a tree of owned values with the position of
//!   every node (`Spanned<Value>`), which is what errspec's `yaml.rs` builds
//!   before turning positions into byte spans and the tree into the model.
//!   This is the floor the render budget is measured against.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

/// A YAML value as errspec's reader holds it, every node with its position.
#[derive(Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Value>>),
    Map(Vec<(Spanned<Value>, Spanned<Value>)>),
}

/// The options errspec's reader uses (copied from `spec/src/yaml.rs`).
pub fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 32;
    budget.max_nodes = 20_000_000;
    budget.max_events = 40_000_000;
    budget.max_aliases = 100_000;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    options.strict_booleans = true;
    options.with_snippet = false;
    options.reject_unsupported_tags = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    options
}

/// Parses the YAML and discards every value: the parser alone.
pub fn ignored(text: &str) -> Result<(), serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<IgnoredAny>(text, options()).map(|_| ())
}

/// Parses the YAML into a spanned tree of owned values, as errspec's first step does.
pub fn tree(text: &str) -> Result<Spanned<Value>, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<Spanned<Value>>(text, options())
}

impl Value {
    /// How many nodes the tree under this value holds (itself included).
    pub fn nodes(&self) -> usize {
        1 + match self {
            Value::Seq(items) => items.iter().map(|n| n.value.nodes()).sum(),
            Value::Map(pairs) => pairs
                .iter()
                .map(|(k, v)| k.value.nodes() + v.value.nodes())
                .sum(),
            _ => 0,
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        i128::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom("integer does not fit in 128 bits"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            pairs.push((key, value));
        }
        Ok(Value::Map(pairs))
    }
}
