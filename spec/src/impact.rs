//! What a change to a published catalog does to its consumers' builds, per target.
//!
//! The lock judges what apps in the field see (a code's names, a formatter's
//! arguments); this says, for each change it reports or records, whose *build*
//! breaks. The generated code of every target is open since issue 23 (Rust enums
//! `#[non_exhaustive]`, Kotlin, Swift and Dart catalogs as classes or structs
//! that a `when`/`switch` matches with a default branch, TypeScript and Go open
//! by nature), so an addition breaks no build; a name or a formatter that goes
//! away breaks every consumer that names it. One sentence per kind of change,
//! shared by the lock's diagnostics and `codegen`'s report of what it locked.

/// The code targets that declare a constant per name and a formatter per entry
/// with parameters; the Markdown docs declare nothing a build depends on.
pub const CODE_TARGETS: &str = "Rust, TypeScript, Dart, Kotlin, Swift and Go";

/// A kind of change to a published catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change<'a> {
    /// A new code (or entry, in a name-keyed catalog).
    Added,
    /// A new name for a published entry: an alias, or a platform's new name.
    NameAdded,
    /// A formatter for an entry that had none.
    ParamsAdded,
    /// An entry gone, or one of its names (on `platform`, or everywhere).
    Removed { platform: Option<&'a str> },
    /// An entry renumbered, or a name now meaning another entry.
    Moved,
    /// A retired code or name live again.
    Revived,
    /// A formatter's arguments changed.
    ParamsChanged,
    /// A platform and every name it published dropped.
    PlatformRemoved(&'a str),
    /// The first code above 2^31 - 1: the targets with a 32-bit code type widen it.
    Widened,
}

impl Change<'_> {
    /// Which targets' consumers stop compiling, and why, as a diagnostic note.
    pub fn note(self) -> String {
        let none = |why: &str| {
            format!("source-compatible: no consumer's build breaks in any target ({why})")
        };
        match self {
            Change::Added => none(
                "Rust's enums are `#[non_exhaustive]`, the other targets' catalogs are open: a `match`, `when` or `switch` written with a default branch still compiles; the `catalog!` macro expands in your own crate, where `#[non_exhaustive]` does not apply",
            ),
            Change::NameAdded => none("a new constant beside the old ones"),
            Change::ParamsAdded => none("a new formatter; the entry's constant is unchanged"),
            Change::Removed { platform: None } => format!(
                "source-breaking in every code target ({CODE_TARGETS}): consumers that name the constant stop compiling; the Markdown docs only change"
            ),
            Change::Removed { platform: Some(p) } => format!(
                "source-breaking in every code target rendering the `{p}` view ({CODE_TARGETS}): consumers that name the constant there stop compiling"
            ),
            Change::Moved => format!(
                "no build breaks in any target, but code that matches the name or code now handles another error: the silent kind ({CODE_TARGETS} alike)"
            ),
            Change::Revived => {
                "no build breaks in any target; apps that kept handling the retired code or name see it again".to_owned()
            }
            Change::ParamsChanged => format!(
                "source-breaking in every code target ({CODE_TARGETS}): every call of the entry's formatter must change; the Markdown docs only change"
            ),
            Change::Widened => {
                "source-breaking in Kotlin, Swift and Go: their code type widens (`Int` to `Long`, `Int` to `Int64`, `int32` to `int64`), so code that passes or stores a 32-bit code stops compiling; Rust, TypeScript and Dart are unchanged".to_owned()
            }
            Change::PlatformRemoved(p) => format!(
                "source-breaking for every target rendering the `{p}` view: its types and constants are gone (`--platform` then names no view)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additions_break_nothing_and_removals_every_code_target() {
        assert!(Change::Added.note().starts_with("source-compatible"));
        assert!(Change::NameAdded.note().starts_with("source-compatible"));
        assert!(Change::ParamsAdded.note().starts_with("source-compatible"));
        let removed = Change::Removed { platform: None }.note();
        assert!(
            removed.starts_with("source-breaking in every code target")
                && removed.contains(CODE_TARGETS)
        );
        assert!(
            Change::Removed {
                platform: Some("web")
            }
            .note()
            .contains("`web` view")
        );
        assert!(Change::ParamsChanged.note().starts_with("source-breaking"));
        assert!(Change::Moved.note().starts_with("no build breaks"));
        assert!(
            Change::Widened
                .note()
                .starts_with("source-breaking in Kotlin, Swift and Go")
        );
    }
}
