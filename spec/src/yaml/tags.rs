//! The tags errspec tells apart, and where each may stand.

use errspec_yaml_parser::Tag;

/// The tags we tell apart. Anything else is refused where it appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TagKind {
    None,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    Timestamp,
    Time,
    Binary,
    Str,
    Merge,
    Value,
    /// `!`: keeps the text a string.
    NonSpecific,
    Include,
    Degrees,
    Radians,
    Other,
}

pub(super) const CORE: &str = "tag:yaml.org,2002:";

impl TagKind {
    pub(super) fn of(tag: Option<&Tag>) -> TagKind {
        let Some(tag) = tag else {
            return TagKind::None;
        };
        let include = [
            "!include",
            "tag:yaml.org,2002:include",
            "tag:yaml.org,2002:!include",
        ]
        .iter()
        .any(|prefix| {
            tag.suffix_in_namespace(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
        });
        if include {
            return TagKind::Include;
        }
        if let Some(kind) = tag.core_suffix().and_then(TagKind::core) {
            return kind;
        }
        if let Some(suffix) = tag.suffix_in_namespace(CORE) {
            match suffix.as_ref() {
                "merge" => return TagKind::Merge,
                "value" => return TagKind::Value,
                _ => {}
            }
            return TagKind::named(suffix.strip_prefix('!').unwrap_or(&suffix));
        }
        let Some(local) = tag.suffix_in_namespace("!") else {
            return TagKind::Other;
        };
        match local.as_ref() {
            "" | "!" => TagKind::NonSpecific,
            "!timestamp" => TagKind::Timestamp,
            "!binary" => TagKind::Binary,
            name => match name.strip_prefix('!') {
                Some(core) => TagKind::core(core).unwrap_or(TagKind::Other),
                None => TagKind::named(name),
            },
        }
    }

    fn core(suffix: &str) -> Option<TagKind> {
        Some(match suffix {
            "null" => TagKind::Null,
            "bool" => TagKind::Bool,
            "int" => TagKind::Int,
            "float" => TagKind::Float,
            "map" => TagKind::Map,
            "seq" => TagKind::Seq,
            "str" => TagKind::Str,
            _ => return None,
        })
    }

    fn named(name: &str) -> TagKind {
        match name {
            "timestamp" => TagKind::Timestamp,
            "time" => TagKind::Time,
            "binary" => TagKind::Binary,
            "include" => TagKind::Include,
            "degrees" => TagKind::Degrees,
            "radians" => TagKind::Radians,
            other => TagKind::core(other).unwrap_or(TagKind::Other),
        }
    }

    /// The kind of node the tag can stand on, if it is particular.
    pub(super) fn requires(self) -> Option<Shape> {
        match self {
            TagKind::Seq => Some(Shape::Seq),
            TagKind::Map => Some(Shape::Map),
            TagKind::None | TagKind::NonSpecific | TagKind::Other => None,
            _ => Some(Shape::Scalar),
        }
    }

    pub(super) fn keeps_string(self) -> bool {
        matches!(self, TagKind::Str | TagKind::NonSpecific)
    }

    pub(super) fn can_be_string(self) -> bool {
        matches!(
            self,
            TagKind::None
                | TagKind::Str
                | TagKind::Merge
                | TagKind::Value
                | TagKind::Other
                | TagKind::Include
                | TagKind::NonSpecific
        )
    }

    pub(super) fn is_core(self) -> bool {
        matches!(
            self,
            TagKind::Int
                | TagKind::Float
                | TagKind::Bool
                | TagKind::Null
                | TagKind::Seq
                | TagKind::Map
                | TagKind::Str
        )
    }

    pub(super) fn is_angle_or_time(self) -> bool {
        matches!(self, TagKind::Time | TagKind::Degrees | TagKind::Radians)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Scalar,
    Seq,
    Map,
}

impl Shape {
    /// "a scalar", "a list", "a mapping".
    pub(super) fn describe(self) -> &'static str {
        match self {
            Shape::Scalar => "a scalar",
            Shape::Seq => "a list",
            Shape::Map => "a mapping",
        }
    }
}

/// Where a node sits in its parent, for the tags only a key may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    Key,
    Value,
    Other,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum TagFrame {
    Seq { slot: Slot },
    Map { expecting_key: bool, slot: Slot },
}

pub(super) fn is_merge_tag(tag: &Tag) -> bool {
    tag.suffix_in_namespace(CORE).is_some_and(|s| s == "merge")
}
