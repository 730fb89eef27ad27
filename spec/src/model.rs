//! The registry model: what a validated registry means.
//!
//! Values that a diagnostic may need to point at keep their [`Span`].

use std::time::Duration;

use crate::source::{FileId, SourceMap, Span};

/// A value and the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Every catalog of a registry, in file-name order, with the sources they came from.
#[derive(Debug)]
pub struct Registry {
    pub sources: SourceMap,
    pub catalogs: Vec<Catalog>,
    /// The evolution lock of each catalog, in catalog order (see [`crate::lock`]).
    pub locks: Vec<LockFile>,
}

/// Where a catalog's lock lives, and what it holds now.
#[derive(Debug)]
pub struct LockFile {
    pub catalog: String,
    /// The path to show and write, as the registry path spells it.
    pub path: std::path::PathBuf,
    /// The path to read (the base joined), for tools that track the file.
    pub full_path: std::path::PathBuf,
    /// `None` when the file does not exist yet.
    pub lock: Option<crate::lock::Lock>,
}

impl Registry {
    pub fn catalog(&self, name: &str) -> Option<&Catalog> {
        self.catalogs.iter().find(|c| c.name.value == name)
    }
}

/// How entries are identified: by numeric code, or by name only (DOMException names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyedBy {
    Code,
    Name,
}

/// The spelling every name of a catalog must follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamingStyle {
    /// `INVALID_API_KEY`: the default.
    ScreamingSnakeCase,
    /// `SecurityError`: DOMException names.
    UpperCamelCase,
}

impl NamingStyle {
    pub const ALL: [NamingStyle; 2] =
        [NamingStyle::ScreamingSnakeCase, NamingStyle::UpperCamelCase];

    /// The style `naming: TEXT` names.
    pub fn from_id(text: &str) -> Option<NamingStyle> {
        NamingStyle::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NamingStyle::ScreamingSnakeCase => "SCREAMING_SNAKE_CASE",
            NamingStyle::UpperCamelCase => "UpperCamelCase",
        }
    }

    /// Whether `name` is spelled in this style.
    ///
    /// Repeated or trailing underscores are allowed here on purpose: they are
    /// legal constants, and the identifier-collision check reports the names
    /// they would collide with.
    pub fn accepts(self, name: &str) -> bool {
        let mut chars = name.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        match self {
            NamingStyle::ScreamingSnakeCase => {
                first.is_ascii_uppercase()
                    && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            }
            NamingStyle::UpperCamelCase => {
                first.is_ascii_uppercase() && chars.all(|c| c.is_ascii_alphanumeric())
            }
        }
    }
}

/// One registry file: a named set of errors delivered through one event or callback.
#[derive(Debug)]
pub struct Catalog {
    pub file: FileId,
    /// snake_case; names generated files and types.
    pub name: Spanned<String>,
    pub title: Spanned<String>,
    /// Markdown.
    pub description: Option<Spanned<String>>,
    /// How apps receive these errors (the event or callback), Markdown.
    pub delivery: Option<Spanned<String>>,
    pub keyed_by: KeyedBy,
    pub naming: NamingStyle,
    /// Platforms in declaration order; empty when the catalog has one view only.
    pub platforms: Vec<Platform>,
    /// Categories in declaration order.
    pub categories: Vec<Category>,
    /// Entries in registry order.
    pub entries: Vec<Entry>,
    /// Codes (or names) no longer raised; never reused.
    pub retired: Vec<Retired>,
}

/// An error that is no longer raised. Its code and names stay reserved forever.
#[derive(Debug)]
pub struct Retired {
    /// The whole item (its first key).
    pub span: Span,
    /// `None` in name-keyed catalogs.
    pub code: Option<Spanned<u32>>,
    /// The names it had (canonical, platform names, aliases); at least one.
    pub names: Vec<Spanned<String>>,
    /// Why it was retired.
    pub why: Spanned<String>,
    /// When: a version or a date, as the team tracks releases.
    pub when: Spanned<String>,
}

impl Retired {
    /// `code 4021` or `OLD_NAME`, for messages.
    pub fn describe(&self) -> String {
        match (&self.code, self.names.first()) {
            (Some(code), Some(name)) => format!("{} (code {})", name.value, code.value),
            (Some(code), None) => format!("code {}", code.value),
            (None, Some(name)) => name.value.clone(),
            (None, None) => "a retired entry".to_owned(),
        }
    }
}

/// A platform a catalog serves (`web`, `flutter`), with its own names where they differ.
#[derive(Debug)]
pub struct Platform {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    /// How apps on this platform receive the errors, when it differs from the catalog's.
    pub delivery: Option<Spanned<String>>,
    /// The style of this platform's names, when it differs from the catalog's `naming`.
    pub naming: Option<Spanned<NamingStyle>>,
}

/// A group of entries; in code-keyed catalogs it owns an inclusive range of codes.
#[derive(Debug)]
pub struct Category {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub codes: Option<Spanned<CodeRange>>,
}

/// An inclusive range of codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeRange {
    pub from: u32,
    pub to: u32,
}

impl CodeRange {
    pub fn contains(self, code: u32) -> bool {
        (self.from..=self.to).contains(&code)
    }
}

/// One error.
#[derive(Debug)]
pub struct Entry {
    /// The whole entry (its first key).
    pub span: Span,
    /// `None` only in name-keyed catalogs.
    pub code: Option<Spanned<u32>>,
    /// The canonical constant name.
    pub name: Spanned<String>,
    /// One line, shown to developers.
    pub message: Spanned<String>,
    /// When the error fires; Markdown, may span lines. `None` when the registry
    /// does not say (an imported catalog): never invented, rendered as nothing
    /// or as [`Entry::TRIGGER_UNDOCUMENTED`] where a target must print something.
    pub trigger: Option<Spanned<String>>,
    pub retry: Spanned<RetryHint>,
    /// The category as written; when absent it is the one whose range holds the code.
    pub category: Option<Spanned<String>>,
    pub docs: Option<Spanned<String>>,
    /// Older names still accepted, deprecated.
    pub aliases: Vec<Spanned<String>>,
    /// Why the entry is deprecated.
    pub deprecated: Option<Spanned<String>>,
    /// Platforms the entry exists on; `None` means every platform of the catalog.
    pub platforms: Option<Vec<Spanned<String>>>,
    /// Per-platform name and message, where a platform differs from the canonical entry.
    pub overrides: Vec<Override>,
    /// The typed values the message refers to as `{name}`, in declaration order;
    /// empty for an entry without `params`, whose messages are literal text.
    pub params: Vec<Param>,
    /// `message` split into text and parameter references (one text part for an
    /// entry without `params`).
    pub message_parts: Vec<Part>,
    /// Had shape problems while loading (placeholders inside); never true in a loaded registry.
    pub(crate) partial: bool,
}

impl Entry {
    /// What a target prints for a trigger the registry leaves out, where it
    /// must print something (a field, a doc line).
    pub const TRIGGER_UNDOCUMENTED: &'static str = "not documented";

    /// The trigger as the targets' data holds it: empty when the registry does not say.
    pub fn trigger_text(&self) -> &str {
        self.trigger.as_ref().map_or("", |t| t.value.as_str())
    }

    /// Whether the entry exists on `platform` (always true for the canonical view).
    pub fn is_available_on(&self, platform: Option<&str>) -> bool {
        match (platform, &self.platforms) {
            (None, _) | (_, None) => true,
            (Some(p), Some(list)) => list.iter().any(|x| x.value == p),
        }
    }

    pub fn override_for(&self, platform: &str) -> Option<&Override> {
        self.overrides.iter().find(|o| o.platform.value == platform)
    }

    /// The name the entry has on `platform` (canonical when `None` or not overridden).
    pub fn name_on(&self, platform: Option<&str>) -> &Spanned<String> {
        platform
            .and_then(|p| self.override_for(p))
            .and_then(|o| o.name.as_ref())
            .unwrap_or(&self.name)
    }

    pub fn message_on(&self, platform: Option<&str>) -> &Spanned<String> {
        platform
            .and_then(|p| self.override_for(p))
            .and_then(|o| o.message.as_ref())
            .unwrap_or(&self.message)
    }

    /// The parts of the message the entry has on `platform` (see [`Entry::message_on`]).
    pub fn message_parts_on(&self, platform: Option<&str>) -> &[Part] {
        platform
            .and_then(|p| self.override_for(p))
            .and_then(|o| o.message_parts.as_deref())
            .unwrap_or(&self.message_parts)
    }

    /// The declared parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name.value == name)
    }

    /// `NAME (code 123)` or `NAME`, for messages.
    pub fn describe(&self) -> String {
        match &self.code {
            Some(code) => format!("{} (code {})", self.name.value, code.value),
            None => self.name.value.clone(),
        }
    }
}

/// What differs on one platform.
#[derive(Debug)]
pub struct Override {
    pub platform: Spanned<String>,
    pub name: Option<Spanned<String>>,
    pub message: Option<Spanned<String>>,
    /// `message` split as the entry's is; `None` when the override keeps the message.
    pub message_parts: Option<Vec<Part>>,
}

/// One typed value a message refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// snake_case; each target spells it in its own case (`device_id`, `deviceId`).
    pub name: Spanned<String>,
    pub ty: Spanned<ParamType>,
    /// One line: what the value is, for the docs and every target's doc comments.
    pub description: Spanned<String>,
}

/// The types a parameter may have: a closed set every target represents exactly
/// and formats to the same text (durations: [`format_duration_ms`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamType {
    /// Text, inserted as it is.
    String,
    /// A signed 64-bit integer (a JavaScript `number` within ±2^53), in decimal with a
    /// leading `-` when negative, no grouping: `-1500`.
    Int,
    /// `true` or `false`.
    Bool,
    /// A length of time, as whole milliseconds (truncated toward zero) written with
    /// the largest exact unit, as the registry writes delays: `1500ms`, `30s`, `2m`,
    /// `1h`, `0s`; a negative one (where a language has them) gets a leading `-`.
    Duration,
}

impl ParamType {
    pub const ALL: [ParamType; 4] = [
        ParamType::String,
        ParamType::Int,
        ParamType::Bool,
        ParamType::Duration,
    ];

    /// The name the registry writes (`type: duration`), also the lock's.
    pub fn id(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Int => "int",
            ParamType::Bool => "bool",
            ParamType::Duration => "duration",
        }
    }

    pub fn from_id(id: &str) -> Option<ParamType> {
        ParamType::ALL.into_iter().find(|t| t.id() == id)
    }
}

/// A piece of a message: text, or a reference to a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text, `{{` and `}}` already read as `{` and `}`; never empty.
    Text(String),
    /// `{name}`; `span` covers the braces where the source spells the message as
    /// its value (a plain or quoted scalar without escapes), else the whole message.
    Param { name: String, span: Span },
}

/// The text a duration parameter becomes in every target, from whole milliseconds
/// (see [`ParamType::Duration`]).
pub fn format_duration_ms(ms: i128) -> String {
    if ms < 0 {
        return format!("-{}", format_duration_ms(-ms));
    }
    if ms != 0 && ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms != 0 && ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// Whether and how to retry after an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryHint {
    /// Retrying cannot help.
    Never,
    /// Retry once after a fixed delay.
    After(Duration),
    /// Retry with exponential backoff: the delay doubles from `initial` up to `max`.
    Backoff {
        initial: Duration,
        max: Duration,
        max_attempts: u32,
    },
    /// Retry after changing what the text says: done by the user, the app,
    /// or the client itself (resending with a value the server supplied).
    AfterFix(String),
    /// The registry gives no guidance (`retry` left out, as imported catalogs
    /// often must): never rendered as retryable, never as a guess.
    Unspecified,
}

impl RetryHint {
    /// The words of the sentence every target prints for a hint: the docs,
    /// and the generated `Display` impls, which embed these strings.
    pub const NEVER: &'static str = "do not retry";
    pub const AFTER: &'static str = "retry once after ";
    /// `BACKOFF[0]` attempts `BACKOFF[1]` initial `BACKOFF[2]` max.
    pub const BACKOFF: [&'static str; 3] = [
        "retry up to ",
        " times with exponential backoff from ",
        " to ",
    ];
    pub const FIX: &'static str = "retry after fixing the cause: ";
    pub const UNSPECIFIED: &'static str = "no retry guidance";

    /// The sentence for readers up to the fix text: all of it for the other
    /// hints. `Display` is this, then the fix.
    pub fn lead(&self) -> String {
        match self {
            RetryHint::Never => Self::NEVER.to_owned(),
            RetryHint::After(d) => format!("{}{}", Self::AFTER, format_duration(*d)),
            RetryHint::Backoff {
                initial,
                max,
                max_attempts,
            } => {
                let [a, b, c] = Self::BACKOFF;
                format!(
                    "{a}{max_attempts}{b}{}{c}{}",
                    format_duration(*initial),
                    format_duration(*max)
                )
            }
            RetryHint::AfterFix(_) => Self::FIX.to_owned(),
            RetryHint::Unspecified => Self::UNSPECIFIED.to_owned(),
        }
    }
}

impl std::fmt::Display for RetryHint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.lead())?;
        match self {
            RetryHint::AfterFix(what) => f.write_str(what),
            _ => Ok(()),
        }
    }
}

/// The longest delay a retry hint may give: 8760h, one year (31,536,000,000 ms).
///
/// Every target must represent every accepted delay exactly: TypeScript's
/// numbers lose whole milliseconds above 2^53 ms, and Dart's
/// `Duration(milliseconds: N)` does not compile above 2^63 ms. A year is far
/// below both and far above any useful delay; waiting longer is a fix, not a retry.
pub const MAX_DURATION: Duration = Duration::from_secs(8760 * 3600);

/// Formats a duration in the registry's own syntax, with the largest exact unit (`1500ms`, `30s`, `2m`).
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms != 0 && ms.is_multiple_of(3_600_000) {
        format!("{}h", ms / 3_600_000)
    } else if ms != 0 && ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// One platform's view of a catalog: the entries available there, with that platform's names.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    pub catalog: &'a Catalog,
    /// `None` is the canonical view: every entry with its canonical name.
    pub platform: Option<&'a Platform>,
}

/// An entry as one view shows it.
#[derive(Clone, Copy, Debug)]
pub struct ViewEntry<'a> {
    pub entry: &'a Entry,
    pub name: &'a Spanned<String>,
    pub message: &'a Spanned<String>,
    /// `message` in parts (one text part for an entry without parameters).
    pub message_parts: &'a [Part],
}

impl<'a> ViewEntry<'a> {
    /// Every name that resolves to this entry in its view: its name here, its
    /// canonical name, and its aliases (each once). `from_name` accepts these.
    pub fn accepted_names(&self) -> Vec<&'a str> {
        let mut names = vec![self.name.value.as_str()];
        // A set, so thousands of aliases cost no more than their number.
        let mut seen: std::collections::HashSet<&str> = names.iter().copied().collect();
        for n in std::iter::once(&self.entry.name).chain(&self.entry.aliases) {
            if seen.insert(&n.value) {
                names.push(&n.value);
            }
        }
        names
    }
}

impl<'a> View<'a> {
    pub fn platform_id(&self) -> Option<&'a str> {
        self.platform.map(|p| p.id.value.as_str())
    }

    pub fn entries(&self) -> impl Iterator<Item = ViewEntry<'a>> + 'a {
        let platform = self.platform_id();
        self.catalog
            .entries
            .iter()
            .filter(move |e| e.is_available_on(platform))
            .map(move |entry| ViewEntry {
                entry,
                name: entry.name_on(platform),
                message: entry.message_on(platform),
                message_parts: entry.message_parts_on(platform),
            })
    }
}

impl Catalog {
    /// The style of the names `platform` publishes (`None`: the canonical view's).
    pub fn naming_on(&self, platform: Option<&str>) -> NamingStyle {
        platform
            .and_then(|p| self.platforms.iter().find(|x| x.id.value == p))
            .and_then(|p| p.naming.as_ref())
            .map_or(self.naming, |n| n.value)
    }

    /// Every entry with its canonical name and message.
    pub fn canonical_view(&self) -> View<'_> {
        View {
            catalog: self,
            platform: None,
        }
    }

    /// The view of one platform, if the catalog serves it.
    pub fn view(&self, platform: &str) -> Option<View<'_>> {
        self.platforms
            .iter()
            .find(|p| p.id.value == platform)
            .map(|p| View {
                catalog: self,
                platform: Some(p),
            })
    }

    /// One view per platform, or the canonical view when the catalog declares none.
    pub fn views(&self) -> Vec<View<'_>> {
        if self.platforms.is_empty() {
            vec![self.canonical_view()]
        } else {
            self.platforms
                .iter()
                .map(|p| View {
                    catalog: self,
                    platform: Some(p),
                })
                .collect()
        }
    }

    /// The category an entry belongs to: the one it names, else the one whose range holds its code.
    pub fn category_of(&self, entry: &Entry) -> Option<&Category> {
        match (&entry.category, &entry.code) {
            (Some(id), _) => self.categories.iter().find(|c| c.id.value == id.value),
            (None, Some(code)) => self
                .categories
                .iter()
                .find(|c| c.codes.as_ref().is_some_and(|r| r.contains(code.value))),
            (None, None) => None,
        }
    }

    /// Whether any platform renames, rewords or drops an entry (then each platform gets its own page).
    pub fn has_platform_differences(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.platforms.is_some() || !e.overrides.is_empty())
    }
}
