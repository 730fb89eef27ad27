//! The evolution lock: every code and name a catalog ever published.
//!
//! Apps in the field match on codes and names long after a release, so a
//! published code may never disappear silently, be reused, or lose a name.
//! `<catalog>.lock` sits beside the registry file; each line is one fact:
//!
//! ```text
//! lock 1 catalog sdk keyed-by code
//! name 4009 MAX_PARTICIPANT_REACHED
//! name 4009 MAX_PARTCIPANT_REACHED web
//! retired 4021
//! accepted "reason": removed name 4021 OLD web
//! ```
//!
//! `name KEY NAME` says that NAME resolved to KEY in the canonical view;
//! `name KEY NAME PLATFORM` says so on that platform; `param KEY INDEX NAME TYPE`
//! that the entry's formatter takes NAME of TYPE as its argument INDEX (from 0). Lines are sorted, so
//! the lock diffs well; it only grows, except through an explicit,
//! recorded `accepted` change.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Rule};
use crate::impact::Change;
use crate::model::{Catalog, Entry, KeyedBy};
use crate::source::{FileId, SourceFile, Span};

/// What identifies an entry: its code, or its name in name-keyed catalogs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Code(u32),
    Name(String),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Code(c) => write!(f, "{c}"),
            Key::Name(n) => f.write_str(n),
        }
    }
}

/// One locked fact.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// `name` resolved to `key`, in the canonical view or on `platform`.
    Name {
        key: Key,
        name: String,
        platform: Option<String>,
    },
    /// `key` was retired.
    Retired { key: Key },
    /// The entry `key` formats its message with the parameter `name` of type `ty`
    /// (a registry type id), as its argument number `index` (from 0).
    Param {
        key: Key,
        index: u32,
        name: String,
        ty: String,
    },
}

impl Fact {
    fn line(&self) -> String {
        match self {
            Fact::Name {
                key,
                name,
                platform: None,
            } => format!("name {key} {name}"),
            Fact::Name {
                key,
                name,
                platform: Some(p),
            } => format!("name {key} {name} {p}"),
            Fact::Retired { key } => format!("retired {key}"),
            Fact::Param {
                key,
                index,
                name,
                ty,
            } => format!("param {key} {index} {name} {ty}"),
        }
    }

    /// How an `accepted` line names the fact: its own lock line.
    fn describe(&self) -> String {
        self.line()
    }
}

/// A catalog's lock, as read from its file or made from a catalog.
#[derive(Clone, Debug)]
pub struct Lock {
    pub catalog: String,
    pub keyed_by: KeyedBy,
    /// Every fact, and the line it was read from (for diagnostics; `None`
    /// for a fact the catalog added): one map, so a fact is stored once.
    pub facts: BTreeMap<Fact, Option<Span>>,
    /// `accepted` lines, verbatim, in the order they were recorded.
    pub accepted: Vec<String>,
}

/// Two locks are equal when their files would be: where facts were read does not count.
impl PartialEq for Lock {
    fn eq(&self, other: &Self) -> bool {
        self.catalog == other.catalog
            && self.keyed_by == other.keyed_by
            && self.facts.keys().eq(other.facts.keys())
            && self.accepted == other.accepted
    }
}

impl Eq for Lock {}

impl Lock {
    /// The lock a catalog needs now: every current fact (for a new lock).
    pub fn of(catalog: &Catalog) -> Self {
        Lock {
            catalog: catalog.name.value.clone(),
            keyed_by: catalog.keyed_by,
            facts: current_facts(catalog)
                .into_iter()
                .map(|f| (f, None))
                .collect(),
            accepted: Vec::new(),
        }
    }

    /// This lock plus every fact the catalog adds; nothing is removed or changed.
    pub fn grown(&self, catalog: &Catalog) -> Self {
        let mut next = self.clone();
        for fact in current_facts(catalog) {
            next.facts.entry(fact).or_insert(None);
        }
        next
    }

    /// The file text of [`Lock::grown`], without a copy of this lock: the
    /// catalog's facts merged into the lock's as both are written; its header
    /// names `command`, as [`Lock::render`]'s does.
    pub fn render_grown(&self, catalog: &Catalog, command: &str) -> String {
        self.text_grown(&current_facts(catalog), command)
    }

    /// [`Lock::render_grown`]'s text and [`additions`]' sentences, the
    /// catalog's facts gathered once for both.
    pub fn grow(&self, catalog: &Catalog, command: &str) -> (String, Vec<String>) {
        let now = current_facts(catalog);
        (
            self.text_grown(&now, command),
            additions_of(catalog, self, &now),
        )
    }

    /// The file text of this lock with the facts `now` (sorted) merged in.
    fn text_grown(&self, now: &[Fact], command: &str) -> String {
        let mut old = self.facts.keys().peekable();
        let mut new = now.iter().peekable();
        let merged = std::iter::from_fn(|| match (old.peek(), new.peek()) {
            (Some(a), Some(b)) if a == b => {
                new.next();
                old.next()
            }
            (Some(a), Some(b)) if a > b => new.next(),
            (Some(_), _) => old.next(),
            (None, _) => new.next(),
        });
        self.text(merged, command)
    }

    /// Accepts the breaking changes `check` reports: drops the broken facts,
    /// records each with `reason`, and adds the catalog's new facts.
    pub fn accepting(&self, catalog: &Catalog, reason: &str) -> Self {
        let mut next = self.clone();
        let now = current_facts(catalog);
        let lives_on = |fact: &Fact| {
            match fact {
            Fact::Name { name, platform, .. } => now.iter().any(|f| {
                matches!(f, Fact::Name { name: n, platform: p, .. } if n == name && p == platform)
            }),
            Fact::Retired { .. } | Fact::Param { .. } => false,
        }
        };
        for b in breaks(catalog, self) {
            // A removed or renumbered key stays reserved, and so do its names
            // unless they moved with it: neither can come back as another error.
            let dropped: Vec<Fact> = match &b.tombstone {
                Some(key) => {
                    next.accepted
                        .push(format!("accepted {reason:?}: retired {key}"));
                    next.facts
                        .entry(Fact::Retired { key: key.clone() })
                        .or_insert(None);
                    b.facts.into_iter().filter(|f| lives_on(f)).collect()
                }
                None => b.facts,
            };
            for fact in dropped {
                next.accepted
                    .push(format!("accepted {reason:?}: removed {}", fact.describe()));
                next.facts.remove(&fact);
            }
        }
        next.grown(catalog)
    }

    /// The file text: deterministic, sorted, one fact a line; its header
    /// names `command` as what writes it ([`crate::preamble::DEFAULT_COMMAND`],
    /// or the project's).
    pub fn render(&self, command: &str) -> String {
        self.text(self.facts.keys(), command)
    }

    /// The file text with `facts` (sorted) as its facts.
    fn text<'a>(&self, facts: impl Iterator<Item = &'a Fact>, command: &str) -> String {
        let mut out = String::new();
        let accept = crate::preamble::command_with(command, "--accept-breaking \"<reason>\"");
        let _ = writeln!(
            out,
            "# errspec lock of the `{}` catalog: every code and name it ever published.\n\
             # `{command}` adds to it and never removes; a breaking change needs\n\
             # `{accept}`. Commit it with the registry.",
            self.catalog
        );
        let keyed = match self.keyed_by {
            KeyedBy::Code => "code",
            KeyedBy::Name => "name",
        };
        let _ = writeln!(out, "lock 1 catalog {} keyed-by {keyed}", self.catalog);
        for fact in facts {
            let _ = writeln!(out, "{}", fact.line());
        }
        for a in &self.accepted {
            let _ = writeln!(out, "{a}");
        }
        out
    }

    /// Reads a lock file; every malformed line is reported.
    pub fn parse(file: &SourceFile, id: FileId) -> Result<Lock, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut header: Option<(String, KeyedBy)> = None;
        // Collected, then built in one go: a map built from sorted facts has full
        // nodes, one filled by inserting them in order only half-full ones.
        let mut facts = Vec::new();
        let mut accepted = Vec::new();
        let mut offset = 0;
        for raw in file.text().split_inclusive('\n') {
            let start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let span = Span {
                file: id,
                start,
                end: start + line.len(),
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let bad = |what: &str| {
                Diagnostic::new(
                    Rule::InvalidLock,
                    format!("the lock file has a malformed line: {what}"),
                )
                .primary(span, "cannot read this line")
                .help("lock files are written by errspec; restore this line from version control")
            };
            // The writer ends every line with a newline: a last line without
            // one was cut short (`name 3029 ER`), and read as a fact it would
            // blame the registry for a name it never had.
            if !raw.ends_with('\n') {
                diags.push(
                    Diagnostic::new(
                        Rule::InvalidLock,
                        "the lock file ends in the middle of a line: it was cut short",
                    )
                    .primary(span, "this line has no end")
                    .help("an interrupted write or a bad merge truncated the lock; restore it from version control (lock files are written by errspec and end with a newline)"),
                );
                continue;
            }
            match (header.as_ref(), words.as_slice()) {
                (None, ["lock", "1", "catalog", name, "keyed-by", keyed]) => {
                    let keyed = match *keyed {
                        "code" => KeyedBy::Code,
                        "name" => KeyedBy::Name,
                        _ => {
                            diags.push(bad("`keyed-by` must be `code` or `name`"));
                            KeyedBy::Code
                        }
                    };
                    header = Some(((*name).to_owned(), keyed));
                }
                (None, _) => diags.push(bad(
                    "the first line must be `lock 1 catalog <name> keyed-by <code|name>`",
                )),
                (Some(_), ["lock", ..]) => diags.push(bad("a second `lock` header")),
                (Some(_), ["accepted", ..]) => accepted.push(line.to_owned()),
                (Some((_, keyed)), words) => match fact_of(*keyed, words) {
                    Ok(fact) => facts.push((fact, Some(span))),
                    Err(why) => diags.push(bad(why)),
                },
            }
        }
        match header {
            Some((catalog, keyed_by)) if diags.is_empty() => Ok(Lock {
                catalog,
                keyed_by,
                // A fact written twice keeps its last line, as inserting each would.
                facts: BTreeMap::from_iter(facts),
                accepted,
            }),
            None if diags.is_empty() => Err(vec![
                Diagnostic::new(Rule::InvalidLock, "the lock file has no `lock` header")
                    .primary(
                        Span {
                            file: id,
                            start: 0,
                            end: 0,
                        },
                        "empty lock",
                    )
                    .help("delete the file and run errspec (or `cargo run -p codegen`) to write it anew"),
            ]),
            _ => Err(diags),
        }
    }

    fn span_of(&self, fact: &Fact) -> Option<Span> {
        self.facts.get(fact).copied().flatten()
    }
}

fn parse_key(keyed: KeyedBy, word: &str) -> Option<Key> {
    match keyed {
        KeyedBy::Code => word.parse().ok().map(Key::Code),
        KeyedBy::Name => Some(Key::Name(word.to_owned())),
    }
}

/// The fact a lock line after the header states, or what is wrong with it.
fn fact_of(keyed: KeyedBy, words: &[&str]) -> Result<Fact, &'static str> {
    let key = |word: &str| parse_key(keyed, word).ok_or("the key is not a code");
    match words {
        ["name", k, name, rest @ ..] if rest.len() <= 1 => Ok(Fact::Name {
            key: key(k)?,
            name: (*name).to_owned(),
            platform: rest.first().map(|p| (*p).to_owned()),
        }),
        ["retired", k] => Ok(Fact::Retired { key: key(k)? }),
        ["param", k, index, name, ty] => {
            let key = key(k)?;
            let index = index
                .parse::<u32>()
                .map_err(|_| "the parameter's position is not a number")?;
            crate::model::ParamType::from_id(ty)
                .ok_or("the parameter's type is not `string`, `int`, `bool` or `duration`")?;
            Ok(Fact::Param {
                key,
                index,
                name: (*name).to_owned(),
                ty: (*ty).to_owned(),
            })
        }
        ["param", ..] => Err("a `param` line is `param <key> <index> <name> <type>`"),
        _ => Err("expected `name`, `param`, `retired` or `accepted`"),
    }
}

fn key_of(keyed: KeyedBy, e: &Entry) -> Option<Key> {
    match keyed {
        KeyedBy::Code => e.code.as_ref().map(|c| Key::Code(c.value)),
        KeyedBy::Name => Some(Key::Name(e.name.value.clone())),
    }
}

/// The `name` facts a catalog states now, borrowed: (platform, name, key).
fn current_names(c: &Catalog) -> impl Iterator<Item = (Option<&str>, &str, Key)> {
    let mut views = vec![c.canonical_view()];
    views.extend(c.views().into_iter().filter(|v| v.platform.is_some()));
    // One view's names at a time (a view's entries borrow the view).
    views.into_iter().flat_map(move |view| {
        let platform = view.platform_id();
        let mut names = Vec::new();
        for ve in view.entries() {
            let Some(key) = key_of(c.keyed_by, ve.entry) else {
                continue;
            };
            for name in std::iter::once(ve.name).chain(&ve.entry.aliases) {
                names.push((platform, name.value.as_str(), key.clone()));
            }
        }
        names
    })
}

/// The keys a catalog retires now (its `retired` facts).
fn current_retired(c: &Catalog) -> impl Iterator<Item = Key> {
    c.retired.iter().flat_map(move |r| {
        let keys: Vec<Key> = match (&r.code, c.keyed_by) {
            (Some(code), KeyedBy::Code) => vec![Key::Code(code.value)],
            (_, KeyedBy::Name) => r.names.iter().map(|n| Key::Name(n.value.clone())).collect(),
            _ => Vec::new(),
        };
        keys
    })
}

/// Every fact a catalog states now, sorted, each once: a list, not a set, as
/// merging it into a lock's text only walks it (a set is twice its size).
fn current_facts(c: &Catalog) -> Vec<Fact> {
    let mut facts: Vec<Fact> = current_names(c)
        .map(|(platform, name, key)| Fact::Name {
            key,
            name: name.to_owned(),
            platform: platform.map(str::to_owned),
        })
        .collect();
    for e in &c.entries {
        let Some(key) = key_of(c.keyed_by, e) else {
            continue;
        };
        for (index, p) in (0u32..).zip(&e.params) {
            facts.push(Fact::Param {
                key: key.clone(),
                index,
                name: p.name.value.clone(),
                ty: p.ty.value.id().to_owned(),
            });
        }
    }
    facts.extend(current_retired(c).map(|key| Fact::Retired { key }));
    facts.sort_unstable();
    facts.dedup();
    facts
}

/// Broken facts and the one diagnostic that reports them.
struct Break {
    facts: Vec<Fact>,
    /// A key that, once the break is accepted, stays reserved as retired.
    tombstone: Option<Key>,
    diagnostic: Diagnostic,
}

/// Every locked fact the catalog breaks, one diagnostic per key, name or platform.
fn breaks(c: &Catalog, lock: &Lock) -> Vec<Break> {
    let mut judge = Judge::new(c, lock);
    for fact in lock.facts.keys() {
        match fact {
            Fact::Retired { key } => judge.retired_revived(fact, key),
            Fact::Name {
                key,
                name,
                platform,
            } => judge.name(fact, key, name, platform.as_deref()),
            // Compared per entry below, as one signature.
            Fact::Param { .. } => {}
        }
    }
    param_breaks(lock, &judge.live, &mut judge.out);
    judge.out
}

/// The catalog now against its lock, one method per rule, and the breaks found.
struct Judge<'a> {
    c: &'a Catalog,
    lock: &'a Lock,
    live: BTreeMap<Key, &'a Entry>,
    retired: BTreeSet<Key>,
    /// Which key each name resolves to now, per view (None = canonical), sorted
    /// by view and name: borrowed from the catalog, not copied into facts.
    resolves: Vec<((Option<&'a str>, &'a str), Key)>,
    /// How the catalog's keys are named: "code" or "entry".
    what: &'static str,
    /// Groups already reported (several facts, one message), by their index in `out`.
    merged: HashMap<String, usize>,
    out: Vec<Break>,
}

impl<'a> Judge<'a> {
    fn new(c: &'a Catalog, lock: &'a Lock) -> Self {
        let live = c
            .entries
            .iter()
            .filter_map(|e| key_of(c.keyed_by, e).map(|k| (k, e)))
            .collect();
        let mut retired: BTreeSet<Key> = current_retired(c).collect();
        for f in lock.facts.keys() {
            if let Fact::Retired { key } = f {
                retired.insert(key.clone());
            }
        }
        // A sorted list, not a hash map of copied facts: that doubled as it grew,
        // and was the largest thing alive in a load (BENCHMARKS.md at `ccbf661`, section 19).
        let mut resolves: Vec<_> = current_names(c).map(|(p, n, k)| ((p, n), k)).collect();
        resolves.sort();
        // A name two keys claim resolves to the larger, as the last of the
        // sorted facts did when they were inserted into a map one by one.
        resolves.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        let what = match c.keyed_by {
            KeyedBy::Code => "code",
            KeyedBy::Name => "entry",
        };
        Judge {
            c,
            lock,
            live,
            retired,
            resolves,
            what,
            merged: HashMap::new(),
            out: Vec::new(),
        }
    }

    /// Records `fact` as broken: in the break of its `group` if one is
    /// reported already (then `diagnostic` is dropped), else as a new one.
    fn push(&mut self, group: String, fact: &Fact, tombstone: Option<Key>, diagnostic: Diagnostic) {
        match self.merged.get(&group) {
            Some(&i) => self.out[i].facts.push(fact.clone()),
            None => {
                self.merged.insert(group, self.out.len());
                self.out.push(Break {
                    facts: vec![fact.clone()],
                    tombstone,
                    diagnostic,
                });
            }
        }
    }

    /// The key `name` resolves to now in the view of `platform`.
    fn resolve(&self, platform: Option<&str>, name: &str) -> Option<Key> {
        let i = (self.resolves)
            .binary_search_by(|(at, _)| at.cmp(&(platform, name)))
            .ok()?;
        Some(self.resolves[i].1.clone())
    }

    /// `d`, pointing at the lock line of `fact` too.
    fn with_lock(&self, fact: &Fact, d: Diagnostic) -> Diagnostic {
        match self.lock.span_of(fact) {
            Some(span) => d.secondary(span, "locked here"),
            None => d,
        }
    }

    fn entry_span(e: &Entry) -> Span {
        e.code.as_ref().map_or(e.name.span, |c| c.span)
    }

    /// `retired-revived`: a retired key is an entry again.
    fn retired_revived(&mut self, fact: &Fact, key: &Key) {
        let Some(e) = self.live.get(key).copied() else {
            return;
        };
        let what = self.what;
        let d = Diagnostic::new(
            Rule::RetiredRevived,
            format!("{what} {key} was retired and is live again"),
        )
        .primary(
            Self::entry_span(e),
            format!("{} brings it back", e.name.value),
        )
        .help("a retired code stays retired: give the error a new code")
        .note(Change::Revived.note());
        let diagnostic = self.with_lock(fact, d);
        self.out.push(Break {
            facts: vec![fact.clone()],
            tombstone: None,
            diagnostic,
        });
    }

    /// A locked name: its key gone (retired or not), its platform gone, or
    /// the name now elsewhere or nowhere.
    fn name(&mut self, fact: &Fact, key: &Key, name: &str, platform: Option<&str>) {
        let points_to = self.resolve(platform, name);
        let Some(entry) = self.live.get(key).copied() else {
            if self.retired.contains(key) {
                if let Some(other) = points_to {
                    self.retired_name_reused(fact, key, name, platform, &other);
                }
            } else {
                self.gone(fact, key, name);
            }
            return;
        };
        if let Some(p) = platform {
            if self.c.view(p).is_none() {
                return self.platform_removed(fact, p);
            }
            if !entry.is_available_on(Some(p)) {
                return self.unavailable(fact, key, name, p, entry);
            }
        }
        match points_to {
            Some(k) if k == *key => {}
            Some(other) => self.name_moved(fact, key, name, platform, &other),
            None => self.name_changed(fact, key, name, platform, entry),
        }
    }

    /// Where `key`'s entry is named on `platform` (the catalog's name when it has no entry).
    fn name_span(&self, key: &Key, platform: Option<&str>) -> Span {
        (self.live.get(key)).map_or(self.c.name.span, |e| e.name_on(platform).span)
    }

    /// `retired-revived`: a retired key's name (reserved) names another entry.
    fn retired_name_reused(
        &mut self,
        fact: &Fact,
        key: &Key,
        name: &str,
        platform: Option<&str>,
        other: &Key,
    ) {
        let span = self.name_span(other, platform);
        let what = self.what;
        let d = Diagnostic::new(
            Rule::RetiredRevived,
            format!("the name `{name}` of the retired {what} {key} is live again, for {other}"),
        )
        .primary(span, "reuses a retired name")
        .help("apps may still match on a retired name: choose a name never published")
        .note(Change::Revived.note());
        let d = self.with_lock(fact, d);
        self.push(format!("revived {key} {name}"), fact, None, d);
    }

    /// A key gone without being retired: `locked-name-moved` when its names
    /// live on at another key (renumbered), `locked-entry-removed` otherwise.
    fn gone(&mut self, fact: &Fact, key: &Key, name: &str) {
        let moved_to = self.lock.facts.keys().find_map(|f| match f {
            Fact::Name {
                key: k,
                name: n,
                platform: p,
            } if k == key => self.resolve(p.as_deref(), n),
            _ => None,
        });
        let what = self.what;
        let d = match moved_to {
            Some(other) => {
                let span = self
                    .live
                    .get(&other)
                    .map_or(self.c.name.span, |e| Self::entry_span(e));
                self.with_lock(
                    fact,
                    Diagnostic::new(Rule::LockedNameMoved, format!("{what} {key} was renumbered to {other}"))
                        .primary(span, format!("its names now mean {other}"))
                        .help(format!("apps match {key}: keep the entry at {key}, or accept the renumbering with --accept-breaking (then {key} stays reserved)"))
                        .note(Change::Moved.note()),
                )
            }
            None => Diagnostic::new(
                Rule::LockedEntryRemoved,
                match self.c.keyed_by {
                    KeyedBy::Code => format!("the published code {key} ({name}) is gone without being retired"),
                    KeyedBy::Name => format!("the published entry `{key}` is gone: renamed or removed without being retired"),
                },
            )
            .primary(self.lock.span_of(fact).unwrap_or(self.c.name.span), "published here")
            .help(match self.c.keyed_by {
                KeyedBy::Code => "restore the entry, or move it to `retired:` with its names, why and when",
                KeyedBy::Name => "restore the name (a new name can be an alias of it), or retire it in `retired:`",
            })
            .note(Change::Removed { platform: None }.note()),
        };
        self.push(format!("gone {key}"), fact, Some(key.clone()), d);
    }

    /// `locked-name-changed`: a platform with published names was removed.
    fn platform_removed(&mut self, fact: &Fact, p: &str) {
        let d = self.with_lock(
            fact,
            Diagnostic::new(
                Rule::LockedNameChanged,
                format!(
                    "the platform `{p}` was removed from the catalog; its published names are gone"
                ),
            )
            .primary(
                self.c.name.span,
                format!("this catalog has no `{p}` any more"),
            )
            .help(format!(
                "keep `{p}` under `catalog.platforms`, or accept dropping it with --accept-breaking"
            ))
            .note(Change::PlatformRemoved(p).note()),
        );
        self.push(format!("platform {p}"), fact, None, d);
    }

    /// `locked-name-changed`: an entry published on a platform is no longer on it.
    fn unavailable(&mut self, fact: &Fact, key: &Key, name: &str, p: &str, entry: &Entry) {
        let d = self.with_lock(
            fact,
            Diagnostic::new(
                Rule::LockedNameChanged,
                format!(
                    "{} no longer exists on `{p}`, where it was published as `{name}`",
                    entry.describe()
                ),
            )
            .primary(
                Self::entry_span(entry),
                format!("not available on `{p}` any more"),
            )
            .help(format!(
                "keep `{p}` in the entry's `platforms`, or accept the change with --accept-breaking"
            ))
            .note(Change::Removed { platform: Some(p) }.note()),
        );
        self.push(format!("unavailable {key} {p}"), fact, None, d);
    }

    /// `locked-name-moved`: a published name now means another key.
    fn name_moved(
        &mut self,
        fact: &Fact,
        key: &Key,
        name: &str,
        platform: Option<&str>,
        other: &Key,
    ) {
        let span = self.name_span(other, platform);
        let what = self.what;
        let d = self.with_lock(
            fact,
            Diagnostic::new(
                Rule::LockedNameMoved,
                format!("the name `{name}` moved from {what} {key} to {what} {other}"),
            )
            .primary(span, format!("`{name}` now means {other}"))
            .help(format!(
                "apps match `{name}` to {key}: give {other} a new name, and keep `{name}` on {key}"
            ))
            .note(Change::Moved.note()),
        );
        self.push(format!("moved {key} {name}"), fact, None, d);
    }

    /// `locked-name-changed`: a published name means nothing now (renamed without an alias).
    fn name_changed(
        &mut self,
        fact: &Fact,
        key: &Key,
        name: &str,
        platform: Option<&str>,
        entry: &Entry,
    ) {
        let current = entry.name_on(platform);
        let on = platform.map(|p| format!(" on `{p}`")).unwrap_or_default();
        let what = self.what;
        let d = self.with_lock(
            fact,
            Diagnostic::new(
                Rule::LockedNameChanged,
                format!(
                    "{what} {key} was published as `{name}`{on} and is now `{}` without an alias",
                    current.value
                ),
            )
            .primary(current.span, format!("renamed from `{name}`"))
            .help(if self.c.naming.accepts(name) {
                format!("add `{name}` to the entry's `aliases` so that apps using it keep working")
            } else {
                // Aliases are names of every view, in the catalog's style: a platform's own
                // style cannot be kept as one (no per-platform aliases yet).
                format!(
                    "keep `{name}` as the entry's name{on}, or accept the rename with --accept-breaking \"<why>\": an alias is in the catalog's {} style, so it cannot keep `{name}`",
                    self.c.naming.as_str()
                )
            })
            .note(Change::Removed { platform }.note()),
        );
        self.push(format!("changed {key} {name}"), fact, None, d);
    }
}

/// An entry whose formatter was published (the lock has its parameters) must keep
/// them exactly: callers name each argument, and Swift and Go pass them in order.
/// An entry with no locked parameter may gain some: its formatter is new.
fn param_breaks(lock: &Lock, live: &BTreeMap<Key, &Entry>, out: &mut Vec<Break>) {
    let mut locked: BTreeMap<&Key, Vec<&Fact>> = BTreeMap::new();
    for f in lock.facts.keys() {
        if let Fact::Param { key, .. } = f {
            locked.entry(key).or_default().push(f);
        }
    }
    for (key, mut facts) in locked {
        let Some(entry) = live.get(key) else {
            // A removed entry is reported by its names; a retired one keeps its facts.
            continue;
        };
        facts.sort_by_key(|f| match f {
            Fact::Param { index, .. } => *index,
            _ => 0,
        });
        let was: Vec<String> = facts
            .iter()
            .filter_map(|f| match f {
                Fact::Param { name, ty, .. } => Some(format!("{name}: {ty}")),
                _ => None,
            })
            .collect();
        let now: Vec<String> = entry
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name.value, p.ty.value.id()))
            .collect();
        if was == now {
            continue;
        }
        let span = entry
            .params
            .iter()
            .zip(&was)
            .find(|(p, w)| format!("{}: {}", p.name.value, p.ty.value.id()) != **w)
            .map(|(p, _)| p.name.span)
            .or_else(|| entry.params.get(was.len()).map(|p| p.name.span))
            .unwrap_or(entry.message.span);
        let mut d = Diagnostic::new(
            Rule::LockedParamChanged,
            format!(
                "the message parameters of {} were published as ({}) and are now ({})",
                entry.describe(),
                was.join(", "),
                now.join(", ")
            ),
        )
        .primary(span, "the formatter's signature changes here")
        .help("every caller of the formatter passes these arguments by name (and in order, in Swift and Go): keep them, give the new text a new entry, or accept the change with --accept-breaking")
        .note(Change::ParamsChanged.note());
        if let Some(at) = facts.first().and_then(|f| lock.span_of(f)) {
            d = d.secondary(at, "locked here");
        }
        out.push(Break {
            facts: facts.into_iter().cloned().collect(),
            tombstone: None,
            diagnostic: d,
        });
    }
}

/// What the catalog adds to its lock, one sentence each with what it does to
/// consumers' builds (see [`crate::impact`]): new codes (or entries), new names
/// of published ones, first formatters, and retirements (a constant gone,
/// which the lock allows: the code stays reserved).
pub fn additions(c: &Catalog, lock: &Lock) -> Vec<String> {
    additions_of(c, lock, &current_facts(c))
}

/// [`additions`] with the catalog's facts (`now`, sorted) gathered already.
fn additions_of(c: &Catalog, lock: &Lock, now: &[Fact]) -> Vec<String> {
    // Every sentence is of a fact the lock lacks: most runs add none.
    if now.iter().all(|f| lock.facts.contains_key(f)) {
        return Vec::new();
    }
    let what = |key: &Key| match key {
        Key::Code(code) => format!("code {code}"),
        Key::Name(name) => format!("entry `{name}`"),
    };
    let mut published: BTreeSet<&Key> = BTreeSet::new();
    let mut formatted: BTreeSet<&Key> = BTreeSet::new();
    let mut platforms: BTreeSet<&str> = BTreeSet::new();
    let mut new_platforms: BTreeSet<&String> = BTreeSet::new();
    for f in lock.facts.keys() {
        match f {
            Fact::Name { key, platform, .. } => {
                published.insert(key);
                platforms.extend(platform.as_deref());
            }
            Fact::Param { key, .. } => {
                formatted.insert(key);
            }
            Fact::Retired { .. } => {}
        }
    }
    let mut out = Vec::new();
    let mut added_keys: BTreeSet<&Key> = BTreeSet::new();
    let mut new_formatters: BTreeSet<&Key> = BTreeSet::new();
    // An added code is said with its entry's name (a name key is the name already).
    let code_names: BTreeMap<Key, &str> = c
        .entries
        .iter()
        .filter_map(|e| match key_of(c.keyed_by, e)? {
            key @ Key::Code(_) => Some((key, e.name.value.as_str())),
            Key::Name(_) => None,
        })
        .collect();
    for fact in now.iter().filter(|f| !lock.facts.contains_key(f)) {
        match fact {
            Fact::Name { key, .. } if !published.contains(key) => {
                if added_keys.insert(key) {
                    let name = code_names
                        .get(key)
                        .map(|n| format!(" {n}"))
                        .unwrap_or_default();
                    out.push(format!(
                        "added {}{name}: {}",
                        what(key),
                        Change::Added.note()
                    ));
                }
            }
            Fact::Name {
                platform: Some(p), ..
            } if !platforms.contains(p.as_str()) => {
                if new_platforms.insert(p) {
                    out.push(format!(
                        "added the platform `{p}`: {}",
                        Change::NameAdded.note()
                    ));
                }
            }
            Fact::Name {
                key,
                name,
                platform,
            } => {
                // An alias is a name in every view: said once, for the canonical one.
                let everywhere = Fact::Name {
                    key: key.clone(),
                    name: name.clone(),
                    platform: None,
                };
                if platform.is_some()
                    && now.binary_search(&everywhere).is_ok()
                    && !lock.facts.contains_key(&everywhere)
                {
                    continue;
                }
                let on = platform
                    .as_deref()
                    .map(|p| format!(" on `{p}`"))
                    .unwrap_or_default();
                out.push(format!(
                    "added the name `{name}`{on} for {}: {}",
                    what(key),
                    Change::NameAdded.note()
                ));
            }
            Fact::Param { key, .. } => {
                if published.contains(key) && !formatted.contains(key) && new_formatters.insert(key)
                {
                    out.push(format!(
                        "added a formatter for {}: {}",
                        what(key),
                        Change::ParamsAdded.note()
                    ));
                }
            }
            Fact::Retired { key } => {
                if published.contains(key) {
                    out.push(format!(
                        "retired {}: {}",
                        what(key),
                        Change::Removed { platform: None }.note()
                    ));
                }
            }
        }
    }
    out.extend(widened(c, lock).map(|code| {
        format!(
            "code {code} is the first above 2^31 - 1: {}",
            Change::Widened.note()
        )
    }));
    out
}

/// The catalog's first code above `i32::MAX`, when the lock had none: the targets whose
/// code type is 32 bits until then (Kotlin, Swift, Go) widen it.
fn widened(c: &Catalog, lock: &Lock) -> Option<u32> {
    let wide = |code: u32| i32::try_from(code).is_err();
    let was_wide = lock.facts.keys().any(|f| match f {
        Fact::Name { key, .. } | Fact::Param { key, .. } | Fact::Retired { key } => {
            matches!(key, Key::Code(code) if wide(*code))
        }
    });
    let codes = c.entries.iter().filter_map(|e| e.code.as_ref());
    let retired = c.retired.iter().filter_map(|r| r.code.as_ref());
    (!was_wide)
        .then(|| {
            codes
                .chain(retired)
                .map(|code| code.value)
                .filter(|&code| wide(code))
                .min()
        })
        .flatten()
}

/// The breaking changes between a lock and its catalog.
pub fn check(c: &Catalog, lock: &Lock) -> Vec<Diagnostic> {
    breaks(c, lock).into_iter().map(|b| b.diagnostic).collect()
}
