//! Logical events from the parser: anchors recorded, aliases replayed
//! (under the budgets), tags checked where they stand.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::rc::Rc;

use errspec_yaml_parser::{Event, Options, Parser, ScalarStyle, Tag};

use super::budget::{Breach, Budget, Seen, limit, tag_len};
use super::error::{Fail, Loc, recursive, unknown_anchor, wrap_alias};
use super::tags::{CORE, Shape, Slot, TagFrame, TagKind, is_merge_tag};

fn parser_options() -> Options {
    let mut options = Options::default();
    options.emit_comments = false;
    options.simple_key_max_lookahead = 1024;
    options.flow_nesting_limit = 255;
    // One level past our own depth limit, so that ours speaks first.
    options.block_nesting_limit = options.block_nesting_limit.max(limit::DEPTH + 1);
    options
}

/// One logical event: parser events without stream and document markers,
/// aliases already replaced by the events of their anchor.
#[derive(Clone, Debug)]
pub(super) enum Ev<'a> {
    Scalar {
        value: Cow<'a, str>,
        style: ScalarStyle,
        tag: TagKind,
        /// The tag as written (`Tag`'s display), for messages and budgets.
        raw_tag: Option<String>,
        loc: Loc,
    },
    SeqStart {
        tag: TagKind,
        raw_tag: Option<String>,
        loc: Loc,
    },
    SeqEnd {
        loc: Loc,
    },
    MapStart {
        tag: TagKind,
        raw_tag: Option<String>,
        loc: Loc,
    },
    MapEnd {
        loc: Loc,
    },
    /// An alias of an anchor still being defined (`&a [*a]`).
    Recursive {
        loc: Loc,
    },
}

impl Ev<'_> {
    pub(super) fn loc(&self) -> Loc {
        match self {
            Ev::Scalar { loc, .. }
            | Ev::SeqStart { loc, .. }
            | Ev::SeqEnd { loc }
            | Ev::MapStart { loc, .. }
            | Ev::MapEnd { loc }
            | Ev::Recursive { loc } => *loc,
        }
    }

    /// Bytes a kept copy of this event owns (text the parser did not borrow).
    fn owned_bytes(&self) -> usize {
        match self {
            Ev::Scalar { value, raw_tag, .. } => {
                let value = match value {
                    Cow::Borrowed(_) => 0,
                    Cow::Owned(s) => s.len(),
                };
                value + raw_tag.as_ref().map_or(0, String::len)
            }
            Ev::SeqStart { raw_tag, .. } | Ev::MapStart { raw_tag, .. } => {
                raw_tag.as_ref().map_or(0, String::len)
            }
            _ => 0,
        }
    }
}

/// An alias being replayed.
pub(super) struct Replay {
    anchor: usize,
    next: usize,
    /// The alias token: where every replayed node is said to be.
    at: Loc,
}

/// An anchored collection whose events are being kept.
pub(super) struct Recording<'a> {
    anchor: usize,
    depth: usize,
    events: Vec<Ev<'a>>,
}

/// Logical events from the parser: anchors kept, aliases replayed, budgets
/// and tags checked. Each event comes with the alias it was replayed by.
pub(super) struct Events<'a> {
    parser: Parser<'a>,
    failed: bool,
    budget: Budget,
    look: Option<(Ev<'a>, Option<Loc>)>,
    /// Events read ahead by [`Events::capture`], served after `look`.
    ahead: VecDeque<(Ev<'a>, Option<Loc>)>,
    replays: Vec<Replay>,
    anchors: Vec<Option<Rc<[Ev<'a>]>>>,
    recordings: Vec<Recording<'a>>,
    replayed: usize,
    /// Events read from the text (not replayed), for [`limit::ALIAS_RATIO`].
    parsed: usize,
    /// Each alias token of the text, with the events replayed before it.
    alias_marks: Vec<(usize, Loc)>,
    pub(super) last: Loc,
    produced: bool,
    tags: Vec<TagFrame>,
}

impl<'a> Events<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Events {
            parser: Parser::new(text, parser_options()),
            failed: false,
            budget: Budget::default(),
            look: None,
            ahead: VecDeque::new(),
            replays: Vec::new(),
            anchors: Vec::new(),
            recordings: Vec::new(),
            replayed: 0,
            parsed: 0,
            alias_marks: Vec::new(),
            last: Loc::UNKNOWN,
            produced: false,
            tags: Vec::new(),
        }
    }

    /// Reads the next node's events through its end before any is
    /// interpreted, as serde-saphyr captured keys and merged mappings: a
    /// syntax error inside them is reported before what they mean.
    pub(super) fn capture(&mut self) -> Result<(), Fail> {
        let mut depth = 0usize;
        let mut seen = 0usize;
        loop {
            let ev = if seen == 0 && self.look.is_some() {
                self.look.as_ref().map(|(ev, _)| ev)
            } else {
                let i = seen - usize::from(self.look.is_some());
                if i >= self.ahead.len() {
                    match self.pull()? {
                        Some(item) => self.ahead.push_back(item),
                        None => return Ok(()),
                    }
                }
                self.ahead.get(i).map(|(ev, _)| ev)
            };
            seen += 1;
            match ev {
                Some(Ev::SeqStart { .. } | Ev::MapStart { .. }) => depth += 1,
                Some(Ev::SeqEnd { .. } | Ev::MapEnd { .. }) => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }

    fn read(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        match self.ahead.pop_front() {
            Some(item) => Ok(Some(item)),
            None => self.pull(),
        }
    }

    pub(super) fn peek(&mut self) -> Result<Option<&(Ev<'a>, Option<Loc>)>, Fail> {
        if self.look.is_none() {
            self.look = self.read()?;
        }
        if let Some((ev, _)) = &self.look {
            self.last = ev.loc();
            if let Ev::Recursive { loc } = ev {
                return Err(recursive(*loc));
            }
        }
        Ok(self.look.as_ref())
    }

    pub(super) fn next(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        let item = match self.look.take() {
            Some(item) => Some(item),
            None => self.read()?,
        };
        if let Some((ev, _)) = &item {
            self.last = ev.loc();
            if let Ev::Recursive { loc } = ev {
                return Err(recursive(*loc));
            }
        }
        Ok(item)
    }

    fn slot(&self) -> Slot {
        match self.tags.last() {
            Some(TagFrame::Map {
                expecting_key: true,
                ..
            }) => Slot::Key,
            Some(TagFrame::Map { .. }) => Slot::Value,
            _ => Slot::Other,
        }
    }

    fn complete(&mut self, slot: Slot) {
        if let Some(TagFrame::Map { expecting_key, .. }) = self.tags.last_mut() {
            match slot {
                Slot::Key => *expecting_key = false,
                Slot::Value => *expecting_key = true,
                Slot::Other => {}
            }
        }
    }

    /// Refuses tags we cannot honour where they stand.
    fn check_tag(
        &self,
        kind: TagKind,
        spelled: &dyn Fn() -> String,
        shape: Shape,
        scalar: Option<&str>,
        slot: Slot,
        loc: Loc,
    ) -> Result<(), Fail> {
        if kind == TagKind::Include {
            return Err(Fail::unsupported(
                "`!include` is not supported: a catalog is one file",
                "write the values here; to split a registry, make each part a catalog file of its own in the registry's directory",
                loc,
            ));
        }
        if let Some(needs) = kind.requires().filter(|&s| s != shape) {
            return Err(Fail::unsupported(
                format!(
                    "the tag `{}` needs {}, and tags {} here",
                    spelled(),
                    needs.describe(),
                    shape.describe()
                ),
                "remove the tag, or write the kind of value it names",
                loc,
            ));
        }
        let supported = match kind {
            TagKind::Other | TagKind::Include => false,
            TagKind::Merge => slot == Slot::Key && scalar == Some("<<"),
            TagKind::Value => slot == Slot::Key && scalar == Some("="),
            k if k.is_angle_or_time() => false,
            _ => true,
        };
        if supported {
            Ok(())
        } else if matches!(kind, TagKind::Merge | TagKind::Value) {
            let key = if kind == TagKind::Merge {
                "a merge key (`<<`)"
            } else {
                "a value key (`=`)"
            };
            Err(Fail::unsupported(
                format!(
                    "the tag `{}` only marks {key}",
                    if kind == TagKind::Merge {
                        "!!merge"
                    } else {
                        "!!value"
                    }
                ),
                "remove the tag",
                loc,
            ))
        } else {
            Err(Fail::unsupported(
                format!("the tag `{}` is not supported", spelled()),
                "remove the tag: errspec reads plain YAML values and the core tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq` and `!!map`",
                loc,
            ))
        }
    }

    fn check_scalar(
        &mut self,
        kind: TagKind,
        spelled: &dyn Fn() -> String,
        value: &str,
        loc: Loc,
    ) -> Result<(), Fail> {
        let slot = self.slot();
        self.check_tag(kind, spelled, Shape::Scalar, Some(value), slot, loc)?;
        self.complete(slot);
        Ok(())
    }

    fn check_open(
        &mut self,
        kind: TagKind,
        spelled: &dyn Fn() -> String,
        map: bool,
        loc: Loc,
    ) -> Result<(), Fail> {
        let slot = self.slot();
        let shape = if map { Shape::Map } else { Shape::Seq };
        self.check_tag(kind, spelled, shape, None, slot, loc)?;
        self.tags.push(if map {
            TagFrame::Map {
                expecting_key: true,
                slot,
            }
        } else {
            TagFrame::Seq { slot }
        });
        Ok(())
    }

    fn check_close(&mut self) {
        if let Some(TagFrame::Seq { slot } | TagFrame::Map { slot, .. }) = self.tags.pop() {
            self.complete(slot);
        }
    }

    /// Checks a replayed event as if it stood where the alias is.
    fn check_replayed(&mut self, ev: &Ev<'_>) -> Result<(), Fail> {
        let spelled = |kind: TagKind, raw: &Option<String>| {
            raw.clone().unwrap_or_else(|| match kind {
                TagKind::Merge => "!!merge".to_owned(),
                TagKind::Value => "!!value".to_owned(),
                _ => String::new(),
            })
        };
        match ev {
            Ev::Recursive { loc } => self.check_scalar(TagKind::Null, &String::new, "", *loc),
            Ev::Scalar {
                value,
                tag,
                raw_tag,
                loc,
                ..
            } => self.check_scalar(*tag, &|| spelled(*tag, raw_tag), value, *loc),
            Ev::SeqStart {
                tag, raw_tag, loc, ..
            } => self.check_open(*tag, &|| spelled(*tag, raw_tag), false, *loc),
            Ev::MapStart {
                tag, raw_tag, loc, ..
            } => self.check_open(*tag, &|| spelled(*tag, raw_tag), true, *loc),
            Ev::SeqEnd { .. } | Ev::MapEnd { .. } => {
                self.check_close();
                Ok(())
            }
        }
    }

    /// Keeps `ev` in every anchor being recorded.
    fn record(&mut self, ev: &Ev<'a>, skip_last: bool) -> Result<(), Fail> {
        let n = self.recordings.len();
        for i in 0..n {
            if skip_last && i + 1 == n {
                continue;
            }
            self.budget
                .recorded(ev.owned_bytes())
                .map_err(|b| Fail::limit(b, ev.loc()))?;
            self.recordings[i].events.push(ev.clone());
        }
        Ok(())
    }

    fn start_recording(&mut self, anchor: usize, ev: &Ev<'a>) -> Result<(), Fail> {
        for r in &mut self.recordings {
            r.depth += 1;
        }
        if anchor != 0 {
            self.budget
                .recorded(ev.owned_bytes())
                .map_err(|b| Fail::limit(b, ev.loc()))?;
            self.recordings.push(Recording {
                anchor,
                depth: 1,
                events: vec![ev.clone()],
            });
        }
        self.record(ev, anchor != 0)
    }

    fn end_recording(&mut self) -> Result<(), Fail> {
        for r in &mut self.recordings {
            r.depth = r
                .depth
                .checked_sub(1)
                .ok_or_else(|| Fail::syntax("internal depth underflow", Loc::UNKNOWN))?;
        }
        while self.recordings.last().is_some_and(|r| r.depth == 0) {
            if let Some(done) = self.recordings.pop() {
                self.store(done.anchor, done.events.into());
            }
        }
        Ok(())
    }

    fn store(&mut self, anchor: usize, events: Rc<[Ev<'a>]>) {
        if anchor >= self.anchors.len() {
            self.anchors.resize_with(anchor + 8, || None);
        }
        self.anchors[anchor] = Some(events);
    }

    /// The check that needs the whole document: far more events replayed
    /// than the text holds. Known only at the end (the text keeps adding
    /// events), it points at the alias whose replay crossed the limit.
    fn replay_ratio(&self) -> Result<(), Fail> {
        let limit = limit::ALIAS_RATIO
            .saturating_mul(self.parsed)
            .max(limit::RATIO_MIN_REPLAYED);
        if self.replayed <= limit {
            return Ok(());
        }
        let crossing = self
            .alias_marks
            .partition_point(|&(before, _)| before < limit);
        let at = crossing
            .checked_sub(1)
            .and_then(|i| self.alias_marks.get(i))
            .map_or(self.last, |&(_, loc)| loc);
        Err(Fail::limit(
            Breach::AliasReplayRatio(self.replayed, self.parsed),
            at,
        ))
    }

    /// The next event: replayed by an alias, else read from the text.
    fn pull(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        if let Some(item) = self.replay()? {
            return Ok(Some(item));
        }
        self.parse()
    }

    /// The next event an alias replays, if one is being replayed.
    fn replay(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        // An exhausted replay is dropped only now, so that the last node it
        // gave still counts as the alias's.
        while let Some(r) = self.replays.last() {
            let (anchor, next, at) = (r.anchor, r.next, r.at);
            let events = self
                .anchors
                .get(anchor)
                .and_then(Option::as_ref)
                .ok_or_else(|| unknown_anchor(self.last))?
                .clone();
            let Some(ev) = events.get(next).cloned() else {
                self.replays.pop();
                continue;
            };
            if let Some(r) = self.replays.last_mut() {
                r.next += 1;
            }
            let loc = ev.loc();
            self.replayed += 1;
            if self.replayed > limit::REPLAYED {
                return Err(Fail::limit(Breach::Replayed(self.replayed), loc));
            }
            let seen = match &ev {
                Ev::Scalar {
                    value, style, tag, ..
                } => {
                    let merge = *tag == TagKind::Merge;
                    Seen::Scalar {
                        value,
                        plain: *style == ScalarStyle::Plain,
                        tag: merge.then_some(true),
                        tag_len: if merge { CORE.len() + "merge".len() } else { 0 },
                        anchor: 0,
                    }
                }
                Ev::SeqStart { .. } => Seen::SeqStart {
                    anchor: 0,
                    tag_len: 0,
                },
                Ev::MapStart { .. } => Seen::MapStart {
                    anchor: 0,
                    tag_len: 0,
                },
                Ev::SeqEnd { .. } => Seen::SeqEnd,
                Ev::MapEnd { .. } => Seen::MapEnd,
                Ev::Recursive { .. } => Seen::Scalar {
                    value: "",
                    plain: true,
                    tag: None,
                    tag_len: 0,
                    anchor: 0,
                },
            };
            if let Err(b) = self.budget.see(&seen) {
                return Err(wrap_alias(Fail::limit(b, loc), Some(at), loc));
            }
            if let Err(f) = self.check_replayed(&ev) {
                return Err(wrap_alias(f, Some(at), loc));
            }
            self.record(&ev, false)?;
            self.last = loc;
            self.produced = true;
            return Ok(Some((ev, Some(at))));
        }
        Ok(None)
    }

    /// The next event read from the text (an alias starts its replay).
    fn parse(&mut self) -> Result<Option<(Ev<'a>, Option<Loc>)>, Fail> {
        if self.failed {
            return Ok(None);
        }
        while let Some(item) = self.parser.next_event() {
            let (event, span) = match item {
                Ok(pair) => pair,
                Err(e) => {
                    self.failed = true;
                    return Err(Fail::scan(&e));
                }
            };
            let loc = Loc::of(&span);
            self.parsed += 1;
            self.count(&event, loc)?;
            let ev = match event {
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag, loc)?
                }
                Event::SequenceStart(_, anchor, tag) => self.open(anchor, tag, false, loc)?,
                Event::MappingStart(_, anchor, tag) => self.open(anchor, tag, true, loc)?,
                Event::SequenceEnd => self.close(false, loc)?,
                Event::MappingEnd => self.close(true, loc)?,
                Event::Alias(anchor) => match self.alias(anchor, loc)? {
                    Some(ev) => ev,
                    None => return self.pull(),
                },
                Event::DocumentStart(..) => {
                    self.next_document(loc);
                    continue;
                }
                Event::DocumentEnd => {
                    // Before the counts of this document are reset.
                    self.replay_ratio()?;
                    self.next_document(loc);
                    continue;
                }
                Event::StreamStart | Event::StreamEnd => {
                    self.last = loc;
                    continue;
                }
                _ => {
                    return Err(Fail::syntax("unsupported event from granit-parser", loc));
                }
            };
            self.last = loc;
            self.produced = true;
            return Ok(Some((ev, None)));
        }
        // A stream without a document reads as null.
        if !self.produced {
            let ev = Ev::Scalar {
                value: Cow::Borrowed(""),
                style: ScalarStyle::Plain,
                tag: TagKind::Null,
                raw_tag: None,
                loc: self.last,
            };
            self.check_replayed(&ev)?;
            self.produced = true;
            return Ok(Some((ev, None)));
        }
        Ok(None)
    }

    /// Counts a parser event against the budgets (an alias counts as its replay).
    fn count(&mut self, event: &Event<'_>, loc: Loc) -> Result<(), Fail> {
        let seen = match event {
            Event::Scalar(value, style, anchor, tag) => Seen::Scalar {
                value,
                plain: *style == ScalarStyle::Plain,
                tag: tag.as_deref().map(is_merge_tag),
                tag_len: tag_len(tag.as_deref()),
                anchor: *anchor,
            },
            Event::SequenceStart(_, anchor, tag) => Seen::SeqStart {
                anchor: *anchor,
                tag_len: tag_len(tag.as_deref()),
            },
            Event::MappingStart(_, anchor, tag) => Seen::MapStart {
                anchor: *anchor,
                tag_len: tag_len(tag.as_deref()),
            },
            Event::SequenceEnd => Seen::SeqEnd,
            Event::MappingEnd => Seen::MapEnd,
            Event::Alias(_) => return Ok(()),
            Event::DocumentStart(..) => Seen::DocumentStart,
            _ => Seen::Other,
        };
        self.budget.see(&seen).map_err(|b| Fail::limit(b, loc))
    }

    /// A scalar of the text: its tag checked, kept for the anchors recording
    /// and under its own anchor.
    fn scalar(
        &mut self,
        value: Cow<'a, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'a, Tag>>,
        loc: Loc,
    ) -> Result<Ev<'a>, Fail> {
        let kind = TagKind::of(tag.as_deref());
        let spelled = || tag.as_deref().map_or_else(String::new, Tag::original);
        self.check_scalar(kind, &spelled, &value, loc)?;
        let ev = Ev::Scalar {
            value,
            style,
            tag: kind,
            raw_tag: tag.as_deref().map(Tag::to_string),
            loc,
        };
        self.record(&ev, false)?;
        if anchor != 0 {
            self.budget
                .recorded(ev.owned_bytes())
                .map_err(|b| Fail::limit(b, loc))?;
            self.store(anchor, Rc::from(vec![ev.clone()]));
        }
        Ok(ev)
    }

    /// A list or mapping of the text opens: its tag checked, its anchor's recording started.
    fn open(
        &mut self,
        anchor: usize,
        tag: Option<Cow<'a, Tag>>,
        map: bool,
        loc: Loc,
    ) -> Result<Ev<'a>, Fail> {
        let kind = TagKind::of(tag.as_deref());
        let spelled = || tag.as_deref().map_or_else(String::new, Tag::original);
        self.check_open(kind, &spelled, map, loc)?;
        let raw_tag = tag.as_deref().map(Tag::to_string);
        let ev = if map {
            Ev::MapStart {
                tag: kind,
                raw_tag,
                loc,
            }
        } else {
            Ev::SeqStart {
                tag: kind,
                raw_tag,
                loc,
            }
        };
        self.start_recording(anchor, &ev)?;
        Ok(ev)
    }

    /// A list or mapping of the text closes: recordings it ends are stored.
    fn close(&mut self, map: bool, loc: Loc) -> Result<Ev<'a>, Fail> {
        self.check_close();
        let ev = if map {
            Ev::MapEnd { loc }
        } else {
            Ev::SeqEnd { loc }
        };
        self.record(&ev, false)?;
        self.end_recording().map_err(|mut f| {
            f.loc = loc;
            f
        })?;
        Ok(ev)
    }

    /// An alias of the text: an event when it is recursive, else its replay
    /// starts (`None`: the caller pulls the replayed events).
    fn alias(&mut self, anchor: usize, loc: Loc) -> Result<Option<Ev<'a>>, Fail> {
        self.budget.see_alias().map_err(|b| Fail::limit(b, loc))?;
        self.alias_marks.push((self.replayed, loc));
        let depth = self.replays.len() + 1;
        if depth > limit::REPLAY_STACK {
            return Err(Fail::limit(Breach::ReplayStack(depth), loc));
        }
        if self.recordings.iter().any(|r| r.anchor == anchor) {
            let ev = Ev::Recursive { loc };
            self.check_replayed(&ev)?;
            self.record(&ev, false)?;
            return Ok(Some(ev));
        }
        if self.anchors.get(anchor).and_then(Option::as_ref).is_none() {
            return Err(unknown_anchor(loc));
        }
        self.replays.push(Replay {
            anchor,
            next: 0,
            at: loc,
        });
        Ok(None)
    }

    /// A document starts or ends: anchors, replays and counts start afresh.
    fn next_document(&mut self, loc: Loc) {
        self.replays.clear();
        self.recordings.clear();
        self.tags.clear();
        for a in &mut self.anchors {
            *a = None;
        }
        self.replayed = 0;
        self.parsed = 0;
        self.alias_marks.clear();
        self.last = loc;
    }
}
