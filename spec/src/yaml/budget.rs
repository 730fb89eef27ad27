//! The budgets a document must keep to (depth, nodes, aliases, anchors,
//! bytes): counted event by event, refused at the event that breaks one.

use std::collections::HashSet;

use errspec_yaml_parser::Tag;

/// The limits: far above any hand-written registry (100,000 entries fit),
/// far below what would exhaust memory.
pub(super) mod limit {
    /// Nested collections, counted as the parser opens them (aliases included).
    pub const DEPTH: usize = 32;
    /// Scalars and collections, replayed aliases included.
    pub const NODES: usize = 20_000_000;
    /// Parser events (aliases included).
    pub const EVENTS: usize = 40_000_000;
    /// Alias tokens.
    pub const ALIASES: usize = 100_000;
    /// Events replayed by aliases, in total.
    pub const REPLAYED: usize = 100_000;
    /// Aliases replayed inside one another.
    pub const REPLAY_STACK: usize = 64;
    /// Distinct anchors.
    pub const ANCHORS: usize = 50_000;
    /// Event copies kept for anchors, and the text they own.
    pub const RECORDED_EVENTS: usize = 1_000_000;
    pub const RECORDED_BYTES: usize = 64 * 1024 * 1024;
    /// Scalar text, tags included.
    pub const SCALAR_BYTES: usize = 64 * 1024 * 1024;
    pub const MERGE_KEYS: usize = 10_000;
    /// Past `RATIO_MIN_REPLAYED` replayed events, more than `ALIAS_RATIO`
    /// replayed events per event of the text itself is refused, at the alias
    /// that crosses it: an expansion out of proportion with the file (a
    /// small billion-laughs under `REPLAYED`), where one anchor reused
    /// thousands of times for small values stays in proportion. (serde-saphyr
    /// refused more than 10 aliases an anchor after the document, pointing at
    /// its end: a legitimate file using one anchor 4,000 times.)
    pub const RATIO_MIN_REPLAYED: usize = 10_000;
    pub const ALIAS_RATIO: usize = 10;
}

/// A budget that ran out, as the note names it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Breach {
    Events(usize),
    Aliases(usize),
    Anchors(usize),
    Depth(usize),
    Documents(usize),
    Nodes(usize),
    ScalarBytes(usize),
    MergeKeys(usize),
    AliasReplayRatio(usize, usize),
    RecordedEvents(usize),
    RecordedBytes(usize),
    /// Events replayed by aliases, in total.
    Replayed(usize),
    /// Aliases replayed inside one another.
    ReplayStack(usize),
    Unbalanced,
}

impl Breach {
    /// What ran out, against its limit.
    pub(super) fn describe(self) -> String {
        match self {
            Breach::Events(n) => format!("{n} YAML events; the limit is {}", limit::EVENTS),
            Breach::Aliases(n) => format!("{n} aliases; the limit is {}", limit::ALIASES),
            Breach::Anchors(n) => format!("{n} anchors; the limit is {}", limit::ANCHORS),
            Breach::Depth(n) => format!("{n} levels of nesting; the limit is {}", limit::DEPTH),
            Breach::Documents(n) => format!("{n} documents; the limit is 1"),
            Breach::Nodes(n) => format!(
                "{n} nodes with the aliases expanded; the limit is {}",
                limit::NODES
            ),
            Breach::ScalarBytes(n) => format!(
                "{n} bytes of scalars and tags; the limit is {}",
                limit::SCALAR_BYTES
            ),
            Breach::MergeKeys(n) => {
                format!("{n} merge keys (`<<`); the limit is {}", limit::MERGE_KEYS)
            }
            Breach::AliasReplayRatio(a, n) => format!(
                "aliases repeating {a} events for the {n} the text holds; the limit is {} times as many",
                limit::ALIAS_RATIO
            ),
            Breach::RecordedEvents(n) => format!(
                "{n} events kept for anchors; the limit is {}",
                limit::RECORDED_EVENTS
            ),
            Breach::RecordedBytes(n) => format!(
                "{n} bytes kept for anchors; the limit is {}",
                limit::RECORDED_BYTES
            ),
            Breach::Replayed(n) => {
                format!(
                    "aliases repeating {n} events; the limit is {}",
                    limit::REPLAYED
                )
            }
            Breach::ReplayStack(n) => format!(
                "aliases nested {n} deep; the limit is {}",
                limit::REPLAY_STACK
            ),
            Breach::Unbalanced => "a list or mapping that ends without having started".to_owned(),
        }
    }
}

/// What the budget sees of an event.
pub(super) enum Seen<'s> {
    Scalar {
        value: &'s str,
        plain: bool,
        /// `Some(is the merge tag)` when tagged.
        tag: Option<bool>,
        tag_len: usize,
        anchor: usize,
    },
    SeqStart {
        anchor: usize,
        tag_len: usize,
    },
    MapStart {
        anchor: usize,
        tag_len: usize,
    },
    SeqEnd,
    MapEnd,
    DocumentStart,
    Other,
}

#[derive(Clone, Copy)]
pub(super) enum Open {
    Seq { in_value: bool },
    Map { expecting_key: bool, in_value: bool },
}

/// Counts what the document costs and refuses it past the limits.
#[derive(Default)]
pub(super) struct Budget {
    events: usize,
    nodes: usize,
    scalar_bytes: usize,
    depth: usize,
    max_depth: usize,
    anchors: HashSet<usize>,
    aliases: usize,
    documents: usize,
    merge_keys: usize,
    recorded_events: usize,
    recorded_bytes: usize,
    open: Vec<Open>,
}

impl Budget {
    pub(super) fn see(&mut self, ev: &Seen<'_>) -> Result<(), Breach> {
        self.events += 1;
        if self.events > limit::EVENTS {
            return Err(Breach::Events(self.events));
        }
        match *ev {
            Seen::Scalar {
                value,
                plain,
                tag,
                tag_len,
                anchor,
            } => {
                self.node()?;
                self.scalar_bytes(value.len() + tag_len)?;
                self.anchor(anchor)?;
                if let Some(Open::Map { expecting_key, .. }) = self.open.last_mut() {
                    if *expecting_key {
                        let merge = value == "<<"
                            && match tag {
                                Some(merge_tag) => merge_tag,
                                None => plain,
                            };
                        if merge {
                            self.merge_keys += 1;
                            if self.merge_keys > limit::MERGE_KEYS {
                                return Err(Breach::MergeKeys(self.merge_keys));
                            }
                        }
                        *expecting_key = false;
                    } else {
                        *expecting_key = true;
                    }
                }
            }
            Seen::SeqStart { anchor, tag_len } => {
                self.enter(anchor, tag_len, |in_value| Open::Seq { in_value })?;
            }
            Seen::MapStart { anchor, tag_len } => {
                self.enter(anchor, tag_len, |in_value| Open::Map {
                    expecting_key: true,
                    in_value,
                })?;
            }
            Seen::SeqEnd => self.leave(false)?,
            Seen::MapEnd => self.leave(true)?,
            Seen::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Breach::Documents(self.documents));
                }
            }
            Seen::Other => {}
        }
        Ok(())
    }

    /// An alias token, whose replayed events advance the mapping themselves.
    pub(super) fn see_alias(&mut self) -> Result<(), Breach> {
        self.events += 1;
        if self.events > limit::EVENTS {
            return Err(Breach::Events(self.events));
        }
        self.alias()
    }

    fn alias(&mut self) -> Result<(), Breach> {
        self.aliases += 1;
        if self.aliases > limit::ALIASES {
            return Err(Breach::Aliases(self.aliases));
        }
        Ok(())
    }

    pub(super) fn recorded(&mut self, bytes: usize) -> Result<(), Breach> {
        self.recorded_events += 1;
        if self.recorded_events > limit::RECORDED_EVENTS {
            return Err(Breach::RecordedEvents(self.recorded_events));
        }
        self.recorded_bytes = self.recorded_bytes.saturating_add(bytes);
        if self.recorded_bytes > limit::RECORDED_BYTES {
            return Err(Breach::RecordedBytes(self.recorded_bytes));
        }
        Ok(())
    }

    fn node(&mut self) -> Result<(), Breach> {
        self.nodes += 1;
        if self.nodes > limit::NODES {
            return Err(Breach::Nodes(self.nodes));
        }
        Ok(())
    }

    fn scalar_bytes(&mut self, bytes: usize) -> Result<(), Breach> {
        self.scalar_bytes = self.scalar_bytes.saturating_add(bytes);
        if self.scalar_bytes > limit::SCALAR_BYTES {
            return Err(Breach::ScalarBytes(self.scalar_bytes));
        }
        Ok(())
    }

    fn anchor(&mut self, anchor: usize) -> Result<(), Breach> {
        if anchor != 0 && self.anchors.insert(anchor) && self.anchors.len() > limit::ANCHORS {
            return Err(Breach::Anchors(self.anchors.len()));
        }
        Ok(())
    }

    fn enter(
        &mut self,
        anchor: usize,
        tag_len: usize,
        open: impl FnOnce(bool) -> Open,
    ) -> Result<(), Breach> {
        self.node()?;
        self.depth += 1;
        self.max_depth = self.max_depth.max(self.depth);
        if self.max_depth > limit::DEPTH {
            return Err(Breach::Depth(self.max_depth));
        }
        self.scalar_bytes(tag_len)?;
        let in_value = match self.open.last_mut() {
            Some(Open::Map { expecting_key, .. }) if *expecting_key => {
                *expecting_key = false;
                false
            }
            Some(Open::Map { .. }) => true,
            _ => false,
        };
        self.open.push(open(in_value));
        self.anchor(anchor)
    }

    fn leave(&mut self, map: bool) -> Result<(), Breach> {
        self.depth = self.depth.checked_sub(1).ok_or(Breach::Unbalanced)?;
        let in_value = match (map, self.open.pop()) {
            (false, Some(Open::Seq { in_value })) | (true, Some(Open::Map { in_value, .. })) => {
                in_value
            }
            _ => return Err(Breach::Unbalanced),
        };
        if in_value && let Some(Open::Map { expecting_key, .. }) = self.open.last_mut() {
            *expecting_key = true;
        }
        Ok(())
    }
}

pub(super) fn tag_len(tag: Option<&Tag>) -> usize {
    tag.map_or(0, |t| {
        let (handle, suffix) = t.parts();
        handle.len() + suffix.len()
    })
}
