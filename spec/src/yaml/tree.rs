//! The tree built from the events: nodes, mappings with their merge keys
//! (`<<`) merged, depth counted.

use std::collections::HashSet;

use errspec_yaml_parser::ScalarStyle;

use crate::source::{FileId, SourceFile};

use super::budget::{Breach, limit};
use super::error::{Fail, Loc, Stop, eof, not_mergeable, recursive, wrap_alias};
use super::events::{Ev, Events};
use super::scalar::{is_null, scalar};
use super::tags::TagKind;
use super::{Node, Value};

/// A node before its spans become byte ranges of the file.
pub(super) struct Raw {
    value: RawValue,
    loc: Loc,
}

pub(super) enum RawValue {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Raw>),
    Map(Vec<(Raw, Raw)>),
    /// A scalar of a merged mapping that could not be read: reported only if
    /// its entry is merged (serde-saphyr read merged entries lazily).
    Deferred(Box<Fail>),
}

impl Raw {
    pub(super) fn into_node(self, file: &SourceFile, id: FileId) -> Node {
        let value = match self.value {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(b),
            RawValue::Int(i) => Value::Int(i),
            RawValue::Float(f) => Value::Float(f),
            RawValue::Str(s) => Value::Str(s),
            // Never reached: a merged entry's error stops the reader.
            RawValue::Deferred(_) => Value::Null,
            RawValue::Seq(items) => {
                Value::Seq(items.into_iter().map(|n| n.into_node(file, id)).collect())
            }
            RawValue::Map(pairs) => Value::Map(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.into_node(file, id), v.into_node(file, id)))
                    .collect(),
            ),
        };
        Node {
            value,
            span: self.loc.span(file, id),
        }
    }

    fn relocate(&mut self, at: Loc) {
        self.loc = at;
        match &mut self.value {
            RawValue::Seq(items) => items.iter_mut().for_each(|n| n.relocate(at)),
            RawValue::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
                k.relocate(at);
                v.relocate(at);
            }),
            _ => {}
        }
    }

    /// The first unreadable scalar in this node, in document order.
    fn deferred(&mut self) -> Option<Fail> {
        match &mut self.value {
            RawValue::Deferred(fail) => {
                let placeholder = Fail::syntax(String::new(), Loc::UNKNOWN);
                Some(std::mem::replace(fail.as_mut(), placeholder))
            }
            RawValue::Seq(items) => items.iter_mut().find_map(Raw::deferred),
            RawValue::Map(pairs) => pairs
                .iter_mut()
                .find_map(|(k, v)| k.deferred().or_else(|| v.deferred())),
            _ => None,
        }
    }

    /// A scalar key as a value that hashes, for merges; `None` for collections
    /// (and unreadable scalars, equal to nothing).
    fn scalar_key(&self) -> Option<ScalarKey> {
        Some(match &self.value {
            RawValue::Null => ScalarKey::Null,
            RawValue::Bool(b) => ScalarKey::Bool(*b),
            RawValue::Int(i) => ScalarKey::Int(*i),
            RawValue::Float(f) => ScalarKey::Float(f.to_bits()),
            RawValue::Str(s) => ScalarKey::Str(s.clone()),
            RawValue::Seq(_) | RawValue::Map(_) | RawValue::Deferred(_) => return None,
        })
    }

    /// Equality of keys, for merges: scalars by value, collections by content.
    fn same(&self, other: &Raw) -> bool {
        match (&self.value, &other.value) {
            (RawValue::Null, RawValue::Null) => true,
            (RawValue::Bool(a), RawValue::Bool(b)) => a == b,
            (RawValue::Int(a), RawValue::Int(b)) => a == b,
            (RawValue::Float(a), RawValue::Float(b)) => a.to_bits() == b.to_bits(),
            (RawValue::Str(a), RawValue::Str(b)) => a == b,
            (RawValue::Seq(a), RawValue::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (RawValue::Map(a), RawValue::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((k1, v1), (k2, v2))| k1.same(k2) && v1.same(v2))
            }
            _ => false,
        }
    }
}

/// A scalar key, as [`Raw::same`] compares it.
#[derive(PartialEq, Eq, Hash)]
pub(super) enum ScalarKey {
    Null,
    Bool(bool),
    Int(i128),
    Float(u64),
    Str(String),
}

/// Builds the tree from the events.
pub(super) struct Reader<'a> {
    events: Events<'a>,
    depth: usize,
    /// Inside a merge key's value: scalar errors wait for the merge.
    merging: usize,
    /// Where the items of one list of the root mapping go as they are read.
    stream: Option<Stream<'a>>,
}

/// The root mapping's first value under `key`, if it is a list: each item is
/// handed to `sink` as soon as it is read and only a null node of its place
/// stays in the tree, so the items need not all be alive at once.
pub(super) struct Stream<'a> {
    pub key: &'a str,
    pub sink: &'a mut dyn FnMut(Raw),
    /// The key was met (only its first value streams: a repeated key is reported, not read).
    pub met: bool,
    /// Its value was a list, and its items went to `sink`.
    pub streamed: bool,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Reader {
            events: Events::new(text),
            depth: 0,
            merging: 0,
            stream: None,
        }
    }

    pub(super) fn streaming(text: &'a str, stream: Stream<'a>) -> Self {
        Reader {
            stream: Some(stream),
            ..Reader::new(text)
        }
    }

    /// Whether the stream was used (its key's value was a list).
    pub(super) fn streamed(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.streamed)
    }

    pub(super) fn document(&mut self) -> Result<Raw, Fail> {
        let root = self.node()?;
        // Anything after the first document but its end is a second one.
        if self.events.peek()?.is_some() {
            return Err(Fail::new(
                Stop::Document,
                "multiple YAML documents detected",
                self.events.last,
            ));
        }
        Ok(root)
    }

    /// A sequence item or a mapping value: errors inside a replayed node are
    /// reported at its alias.
    fn child(&mut self) -> Result<Raw, Fail> {
        self.child_with(Self::node)
    }

    fn child_with(&mut self, read: fn(&mut Self) -> Result<Raw, Fail>) -> Result<Raw, Fail> {
        let (defined, alias) = match self.events.peek()? {
            Some((ev, alias)) => (ev.loc(), *alias),
            None => (self.events.last, None),
        };
        read(self).map_err(|f| match alias {
            Some(at) => wrap_alias(f, Some(at), defined),
            None => wrap_alias(f, None, defined),
        })
    }

    fn node(&mut self) -> Result<Raw, Fail> {
        let (first, alias) = match self.events.peek()? {
            Some((ev, alias)) => (ev.clone(), *alias),
            None => {
                return Ok(Raw {
                    value: RawValue::Null,
                    loc: self.events.last,
                });
            }
        };
        let at = alias.unwrap_or(first.loc());
        match first {
            Ev::Scalar {
                value,
                style,
                tag,
                loc,
                ..
            } => {
                self.events.next()?;
                let value = match scalar(value, style, tag, loc) {
                    Err(fail) if self.merging > 0 => RawValue::Deferred(Box::new(fail)),
                    other => other?,
                };
                Ok(Raw { value, loc: at })
            }
            Ev::SeqStart { loc, .. } => {
                self.enter(loc)?;
                self.events.next()?;
                let items = self.seq_items(false)?;
                self.depth -= 1;
                Ok(Raw {
                    value: RawValue::Seq(items),
                    loc: at,
                })
            }
            Ev::MapStart { loc, .. } => {
                self.enter(loc)?;
                self.events.next()?;
                let pairs = self.map_entries()?;
                self.depth -= 1;
                Ok(Raw {
                    value: RawValue::Map(pairs),
                    loc: at,
                })
            }
            Ev::SeqEnd { loc } => Err(Fail::syntax("unexpected sequence end", loc)),
            Ev::MapEnd { loc } => Err(Fail::syntax("unexpected mapping end", loc)),
            Ev::Recursive { loc } => Err(recursive(loc)),
        }
    }

    /// The items of a sequence whose start was read, through its end; with
    /// `stream`, each goes to the stream's sink and a null node of its place
    /// stays.
    fn seq_items(&mut self, stream: bool) -> Result<Vec<Raw>, Fail> {
        let mut items = Vec::new();
        loop {
            match self.events.peek()? {
                Some((Ev::SeqEnd { .. }, _)) => {
                    self.events.next()?;
                    return Ok(items);
                }
                Some(_) => {
                    let item = self.child()?;
                    match self.stream.as_mut() {
                        Some(s) if stream => {
                            let loc = item.loc;
                            (s.sink)(item);
                            items.push(Raw {
                                value: RawValue::Null,
                                loc,
                            });
                        }
                        _ => items.push(item),
                    }
                }
                None => return Err(eof(self.events.last)),
            }
        }
    }

    /// The value of the streamed key: read as [`Reader::node`] reads it, but
    /// a list's items go to the stream.
    fn streamed_node(&mut self) -> Result<Raw, Fail> {
        let (first, alias) = match self.events.peek()? {
            Some((ev, alias)) => (ev.clone(), *alias),
            None => return self.node(),
        };
        let Ev::SeqStart { loc, .. } = first else {
            return self.node();
        };
        let at = alias.unwrap_or(loc);
        self.enter(loc)?;
        self.events.next()?;
        if let Some(s) = self.stream.as_mut() {
            s.streamed = true;
        }
        let items = self.seq_items(true)?;
        self.depth -= 1;
        Ok(Raw {
            value: RawValue::Seq(items),
            loc: at,
        })
    }

    /// Whether `key`, just read in a mapping, is the root mapping's first
    /// `stream.key` (outside merges, whose entries are not the mapping's own).
    fn streams(&mut self, key: &Raw) -> bool {
        let root = self.depth == 1 && self.merging == 0;
        match (self.stream.as_mut(), &key.value) {
            (Some(s), RawValue::Str(k)) if root && !s.met && k == s.key => {
                s.met = true;
                true
            }
            _ => false,
        }
    }

    fn enter(&mut self, loc: Loc) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > limit::DEPTH {
            return Err(Fail::limit(Breach::Depth(self.depth), loc));
        }
        Ok(())
    }

    /// The entries of a mapping whose start was read, through its end; merge
    /// keys (`<<`) add the entries of their mappings after the mapping's own,
    /// unless a key is already there.
    fn map_entries(&mut self) -> Result<Vec<(Raw, Raw)>, Fail> {
        let mut pairs: Vec<(Raw, Raw)> = Vec::new();
        let mut merged: Vec<Vec<(Raw, Raw)>> = Vec::new();
        loop {
            match self.events.peek()? {
                Some((Ev::MapEnd { .. }, _)) => {
                    self.events.next()?;
                    break;
                }
                Some((ev, _)) if is_merge_key(ev) => {
                    self.events.next()?;
                    self.merging += 1;
                    let batch = self.merge_value(None);
                    self.merging -= 1;
                    merged.push(batch?);
                }
                Some(_) => {
                    self.events.capture()?;
                    let key = self.node()?;
                    let value = if self.streams(&key) {
                        self.child_with(Self::streamed_node)?
                    } else {
                        self.child()?
                    };
                    pairs.push((key, value));
                }
                None => return Err(eof(self.events.last)),
            }
        }
        if merged.is_empty() {
            return Ok(pairs);
        }
        // Scalar keys by value in a set (a merge of many keys stays linear);
        // the rare collection keys compared one by one.
        let mut scalars: HashSet<ScalarKey> = HashSet::new();
        let mut collections: Vec<usize> = Vec::new();
        for (i, (k, _)) in pairs.iter().enumerate() {
            match k.scalar_key() {
                Some(key) => {
                    scalars.insert(key);
                }
                None => collections.push(i),
            }
        }
        for batch in merged {
            for (mut k, mut v) in batch {
                let seen = match k.scalar_key() {
                    Some(key) => !scalars.insert(key),
                    None => collections.iter().any(|&i| pairs[i].0.same(&k)),
                };
                if seen {
                    continue;
                }
                if self.merging == 0
                    && let Some(fail) = k.deferred().or_else(|| v.deferred())
                {
                    return Err(fail);
                }
                if k.scalar_key().is_none() {
                    collections.push(pairs.len());
                }
                pairs.push((k, v));
            }
        }
        Ok(pairs)
    }

    /// The value of a merge key: null, a mapping or a list of them (lists may
    /// nest). A merged entry, and all it holds, is said to be where its
    /// mapping is referenced: the mapping or the alias naming it, or the item
    /// of the merge key's list that holds it.
    fn merge_value(&mut self, at: Option<Loc>) -> Result<Vec<(Raw, Raw)>, Fail> {
        let Some((ev, alias)) = self.events.peek()? else {
            return Err(eof(self.events.last));
        };
        let here = at.unwrap_or(alias.unwrap_or(ev.loc()));
        match ev {
            Ev::Scalar {
                value, style, tag, ..
            } if is_null(*tag, value, *style) => {
                self.events.next()?;
                Ok(Vec::new())
            }
            Ev::MapStart { .. } => {
                self.events.capture()?;
                match self.node()? {
                    Raw {
                        value: RawValue::Map(mut pairs),
                        ..
                    } => {
                        for (k, v) in &mut pairs {
                            k.relocate(here);
                            v.relocate(here);
                        }
                        Ok(pairs)
                    }
                    other => Err(not_mergeable(other.loc)),
                }
            }
            Ev::SeqStart { .. } => {
                self.events.next()?;
                let mut all = Vec::new();
                loop {
                    let item = match self.events.peek()? {
                        Some((Ev::SeqEnd { .. }, _)) => {
                            self.events.next()?;
                            break;
                        }
                        Some((ev, alias)) => at.unwrap_or(alias.unwrap_or(ev.loc())),
                        None => return Err(eof(self.events.last)),
                    };
                    self.events.capture()?;
                    all.extend(self.merge_value(Some(item))?);
                }
                Ok(all)
            }
            other => Err(not_mergeable(other.loc())),
        }
    }
}

pub(super) fn is_merge_key(ev: &Ev<'_>) -> bool {
    matches!(ev, Ev::Scalar { value, tag, style, .. }
        if value.as_ref() == "<<"
            && (*tag == TagKind::Merge || *tag == TagKind::None && *style == ScalarStyle::Plain))
}
