//! What the user chose beyond the templates' headers: targets, platforms, options.

/// The key of a [`Setting`] that sets a target's platform.
pub const PLATFORM: &str = "platform";

/// One setting of a target: its platform, or an option its templates declare
/// (`option package: errspec.generated` in a header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    /// A target id: [`RUST_TARGET`], or a template's (`kotlin`).
    pub target: String,
    /// [`PLATFORM`], or an option's name.
    pub key: String,
    pub value: String,
    /// Where it was written, for messages (`errspec.toml:7:11`); `None` for a
    /// flag or the builder, which messages name as `--platform`/`--option`.
    pub origin: Option<String>,
}

impl Setting {
    /// How messages name the setting: where it was written, or its flag.
    pub(crate) fn describe(&self) -> String {
        let (target, key, value) = (&self.target, &self.key, &self.value);
        match &self.origin {
            Some(origin) => format!("{origin}: `{key} = \"{value}\"` of [target.{target}]"),
            None if key == PLATFORM => format!("`--platform {target}={value}`"),
            None => format!("`--option {target}.{key}={value}`"),
        }
    }
}

/// What the user chose beyond the templates' headers: which targets render,
/// and the settings of each.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// In the order given; a later one for the same target and key is an error.
    pub values: Vec<Setting>,
    /// The targets to render, each with where it was named; `None`: every target.
    pub only: Option<Vec<(String, Option<String>)>>,
    /// The command the generated files and locks say regenerates them
    /// (errspec.toml's `regenerate`); `None`: [`errspec::preamble::DEFAULT_COMMAND`].
    pub regenerate: Option<String>,
    /// The project's name, from which packages' default names derive
    /// (docs/packages.md); `None`: `errors`.
    pub project: Option<String>,
}

impl Settings {
    /// The command the generated files and locks name.
    pub fn command(&self) -> &str {
        self.regenerate
            .as_deref()
            .unwrap_or(errspec::preamble::DEFAULT_COMMAND)
    }
}
