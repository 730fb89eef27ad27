//! errspec's generator: a validated registry in, files out.
//!
//! ```no_run
//! // In a build script or a tool: render the shipped outputs, or check them.
//! let generator = codegen::Generator::new("spec/registry", "generated");
//! let report = generator.write().expect("valid registry and writable out dir");
//! println!("{} written, {} unchanged", report.written.len(), report.unchanged);
//! ```
//!
//! Every target but Rust is a handlebars template rendered from one view
//! model ([`view`]); Rust is the `catalog!` macro's own expansion
//! ([`errspec_rust::emit`], which writes it formatted as rustfmt would), as a crate.

pub mod files;
pub mod helpers;
mod rust;
pub mod targets;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use errspec::Registry;
use errspec::lock::Lock;
use handlebars::Handlebars;

pub use files::{CheckReport, WriteReport};
use targets::{Target, ViewSpec};
use view::{CatalogModel, RegistryModel};

/// Why nothing was generated.
#[derive(Debug)]
pub enum Error {
    /// The registry is invalid: every diagnostic.
    Registry(errspec::Diagnostics),
    /// A template is malformed or failed to render.
    Template(String),
    /// Reading or writing files failed.
    Io(String),
    /// The generator was misused, e.g. a [`Generator::platform`] naming a
    /// target or a platform that does not exist (exit status 2).
    Usage(String),
}

impl Error {
    /// The message to print; diagnostics in colour when `color`.
    pub fn render(&self, color: bool) -> String {
        match self {
            Error::Registry(d) => d.render(color),
            Error::Template(m) | Error::Io(m) | Error::Usage(m) => format!("error: {m}\n"),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Error {}

/// Renders a registry's outputs; a small builder in the manner of prost-build.
#[derive(Clone, Debug)]
pub struct Generator {
    registry: PathBuf,
    out: PathBuf,
    templates: Option<PathBuf>,
    platforms: Vec<(String, String)>,
}

impl Generator {
    pub fn new(registry: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Generator {
            registry: registry.into(),
            out: out.into(),
            templates: None,
            platforms: Vec::new(),
        }
    }

    /// Sets the view a target renders, as `--platform TARGET=ID` does.
    ///
    /// `target` is [`RUST_TARGET`] or a template's name without `.hbs`
    /// (`typescript`, `dart`, or one of [`Generator::templates`]) whose view
    /// is `canonical` or `platform <id>`; `platform` is a platform id some
    /// catalog declares, or [`CANONICAL`] for the canonical view. Each catalog
    /// renders its view of the platform, or its canonical view where it has
    /// no such platform. The defaults: `rust` canonical, `typescript` `web`,
    /// `dart` `flutter`; `markdown` renders every platform and cannot be set.
    /// Checked when rendering: an unknown target or platform, or a target set
    /// twice, is an [`Error::Usage`].
    pub fn platform(mut self, target: impl Into<String>, platform: impl Into<String>) -> Self {
        self.platforms.push((target.into(), platform.into()));
        self
    }

    /// Templates that override built-in targets (same file name) or add targets.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// Every output file, relative to the out directory, rendered in memory.
    pub fn render(&self) -> Result<BTreeMap<PathBuf, String>, Error> {
        let registry = errspec::load(&self.registry).map_err(Error::Registry)?;
        let targets = targets::load(self.templates.as_deref()).map_err(Error::Template)?;
        render_with(&registry, &targets, &self.platforms)
    }

    /// Writes the outputs atomically, and adds new codes and names to each
    /// catalog's lock; files whose bytes did not change are not touched.
    pub fn write(&self) -> Result<WriteReport, Error> {
        let registry = errspec::load(&self.registry).map_err(Error::Registry)?;
        self.write_registry(&registry, |lock, c| match lock {
            Some(l) => l.grown(c),
            None => Lock::of(c),
        })
    }

    /// Accepts the breaking changes the locks report, recording `reason` in
    /// each changed lock, then writes as [`Generator::write`] does. The
    /// registry must be valid otherwise.
    pub fn accept_breaking(&self, reason: &str) -> Result<WriteReport, Error> {
        let options = errspec::LoadOptions { check_locks: false };
        let registry =
            errspec::load_with(Path::new(""), &self.registry, options).map_err(Error::Registry)?;
        self.write_registry(&registry, |lock, c| match lock {
            Some(l) => l.accepting(c, reason),
            None => Lock::of(c),
        })
    }

    fn write_registry(
        &self,
        registry: &Registry,
        next_lock: impl Fn(Option<&Lock>, &errspec::Catalog) -> Lock,
    ) -> Result<WriteReport, Error> {
        let targets = targets::load(self.templates.as_deref()).map_err(Error::Template)?;
        let files = render_with(registry, &targets, &self.platforms)?;
        let mut report = files::write(&self.out, &files).map_err(Error::Io)?;
        for (lock_file, catalog) in registry.locks.iter().zip(&registry.catalogs) {
            let text = next_lock(lock_file.lock.as_ref(), catalog).render();
            if files::write_file(&lock_file.full_path, &text).map_err(Error::Io)? {
                report.written.push(lock_file.path.clone());
            } else {
                report.unchanged += 1;
            }
        }
        Ok(report)
    }

    /// Compares the outputs with the out directory and the locks with what
    /// the registry adds to them, writing nothing.
    pub fn check(&self) -> Result<CheckReport, Error> {
        let registry = errspec::load(&self.registry).map_err(Error::Registry)?;
        let targets = targets::load(self.templates.as_deref()).map_err(Error::Template)?;
        let files = render_with(&registry, &targets, &self.platforms)?;
        let mut report = files::check(&self.out, &files).map_err(Error::Io)?;
        for (lock_file, catalog) in registry.locks.iter().zip(&registry.catalogs) {
            // Byte for byte, as `write` compares: a lock with other line endings is rewritten too.
            let up_to_date = lock_file.lock.as_ref().is_some_and(|l| {
                std::fs::read(&lock_file.full_path)
                    .is_ok_and(|b| b == l.grown(catalog).render().as_bytes())
            });
            if !up_to_date {
                report.stale_locks.push(lock_file.path.clone());
            }
        }
        Ok(report)
    }
}

/// The name of the built-in Rust target, for [`Generator::platform`].
pub const RUST_TARGET: &str = "rust";

/// The platform value of [`Generator::platform`] that selects the canonical view.
pub const CANONICAL: &str = "canonical";

/// Renders every target for every catalog of a valid registry, each target
/// in the view its template header names (the Rust target: canonical).
pub fn render(registry: &Registry, targets: &[Target]) -> Result<BTreeMap<PathBuf, String>, Error> {
    render_with(registry, targets, &[])
}

/// Renders as [`render`] does, with the views that `platforms` sets:
/// `(target, platform)` pairs, as [`Generator::platform`] takes them.
pub fn render_with(
    registry: &Registry,
    targets: &[Target],
    platforms: &[(String, String)],
) -> Result<BTreeMap<PathBuf, String>, Error> {
    let (rust_platform, views) = resolve_views(registry, targets, platforms)?;
    let mut hb = Handlebars::new();
    hb.register_escape_fn(handlebars::no_escape);
    hb.set_strict_mode(true);
    helpers::register(&mut hb);
    for t in targets {
        hb.register_template_string(&t.name, &t.source)
            .map_err(|e| Error::Template(format!("template `{}`: {e}", t.name)))?;
    }
    let mut files = rust::files(registry, rust_platform.as_deref()).map_err(Error::Template)?;
    for (t, view) in targets.iter().zip(&views) {
        let render = |data: &dyn erased::Model| -> Result<String, Error> {
            data.render(&hb, &t.name)
                .map_err(|e| Error::Template(format!("template `{}`: {e}", t.name)))
        };
        if *view == ViewSpec::Registry {
            let model = RegistryModel {
                catalogs: registry
                    .catalogs
                    .iter()
                    .map(|c| CatalogModel::new(c.canonical_view()))
                    .collect(),
                generator: view::GENERATOR,
            };
            insert_once(&mut files, PathBuf::from(&t.file), render(&model)?, &t.name)?;
            continue;
        }
        for c in &registry.catalogs {
            let mut views = Vec::new();
            match view {
                ViewSpec::Canonical => views.push((c.canonical_view(), String::new())),
                // `resolve_views` made sure that some catalog declares `id`, or that none declares any.
                ViewSpec::Platform(id) => views.push((
                    c.view(id).unwrap_or_else(|| c.canonical_view()),
                    String::new(),
                )),
                ViewSpec::Platforms => {
                    views.push((c.canonical_view(), String::new()));
                    if c.has_platform_differences() {
                        for v in c.views() {
                            let suffix = format!(".{}", v.platform_id().unwrap_or_default());
                            views.push((v, suffix));
                        }
                    }
                }
                ViewSpec::Registry => {}
            }
            for (v, suffix) in views {
                let path = t
                    .file
                    .replace("{catalog}", &c.name.value)
                    .replace("{.platform}", &suffix);
                insert_once(
                    &mut files,
                    PathBuf::from(path),
                    render(&CatalogModel::new(v))?,
                    &t.name,
                )?;
            }
        }
    }
    Ok(files)
}

/// The platform of the Rust target and the view of each target: the
/// templates' headers, with `platforms` applied. A platform that no catalog
/// declares is an error, unless the registry declares none at all (then
/// there is nothing to misspell against, and every view is canonical).
fn resolve_views(
    registry: &Registry,
    targets: &[Target],
    platforms: &[(String, String)],
) -> Result<(Option<String>, Vec<ViewSpec>), Error> {
    let known: BTreeSet<&str> = registry
        .catalogs
        .iter()
        .flat_map(|c| c.platforms.iter().map(|p| p.id.value.as_str()))
        .collect();
    let known_list = known
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rust_platform = None;
    let mut views: Vec<ViewSpec> = targets.iter().map(|t| t.view.clone()).collect();
    let mut set: BTreeMap<&str, &str> = BTreeMap::new();
    let mut usage = Vec::new();
    for (target, platform) in platforms {
        let flag = format!("`--platform {target}={platform}`");
        if let Some(first) = set.insert(target, platform) {
            usage.push(format!(
                "{flag}: the platform of `{target}` is set twice (`{first}`, then `{platform}`); set it once"
            ));
            continue;
        }
        let slot = if target == RUST_TARGET {
            None
        } else {
            match targets.iter().position(|t| t.id() == target) {
                Some(i) => match &targets[i].view {
                    ViewSpec::Canonical | ViewSpec::Platform(_) => Some(i),
                    ViewSpec::Platforms => {
                        usage.push(format!(
                            "{flag}: the target `{target}` renders every platform (view `platforms`): the canonical page and one per platform that differs, so it has no one platform to set; remove this `--platform`"
                        ));
                        continue;
                    }
                    ViewSpec::Registry => {
                        usage.push(format!(
                            "{flag}: the target `{target}` renders once for the whole registry (view `registry`), not one platform's view of each catalog; remove this `--platform`"
                        ));
                        continue;
                    }
                },
                None => {
                    let settable = std::iter::once(RUST_TARGET)
                        .chain(
                            targets
                                .iter()
                                .filter(|t| {
                                    matches!(t.view, ViewSpec::Canonical | ViewSpec::Platform(_))
                                })
                                .map(Target::id),
                        )
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let hbs = if target.ends_with(".hbs") {
                        "; name the target without `.hbs`"
                    } else {
                        ""
                    };
                    usage.push(format!(
                        "{flag}: there is no target `{target}`{hbs}; the targets whose platform can be set are {settable} (a template goes by its file name without `.hbs`)"
                    ));
                    continue;
                }
            }
        };
        let view = if platform == CANONICAL {
            if known.contains(CANONICAL) {
                usage.push(format!(
                    "{flag}: `{CANONICAL}` means the canonical view, but a catalog also declares a platform named `{CANONICAL}`, so the flag is ambiguous; rename that platform in the registry to choose between them"
                ));
                continue;
            }
            None
        } else if known.contains(platform.as_str()) {
            Some(platform.clone())
        } else {
            usage.push(if known.is_empty() {
                format!(
                    "{flag}: no catalog declares the platform `{platform}`; the registry declares no platforms, so every view is canonical: use `{target}={CANONICAL}`, or leave the flag out"
                )
            } else {
                format!(
                    "{flag}: no catalog declares the platform `{platform}`; known platforms: {known_list}; use one of them, or `{CANONICAL}` for the canonical view"
                )
            });
            continue;
        };
        match slot {
            None => rust_platform = view,
            Some(i) => views[i] = view.map_or(ViewSpec::Canonical, ViewSpec::Platform),
        }
    }
    if !usage.is_empty() {
        return Err(Error::Usage(usage.join("\nerror: ")));
    }
    // The platforms the templates' headers name; those set above are known.
    let mut unknown = Vec::new();
    for (t, view) in targets.iter().zip(&views) {
        let ViewSpec::Platform(id) = view else {
            continue;
        };
        // A built-in target's platform is a documented default, not a choice
        // the user made: where no catalog declares it, the view is canonical
        // (a web-only registry still renders Dart with no flags).
        if known.is_empty() || known.contains(id.as_str()) || t.built_in {
            continue;
        }
        let id_flag = format!("`--platform {}=ID`", t.id());
        unknown.push(format!(
            "template `{}` renders the platform `{id}`, which no catalog declares; known platforms: {known_list}; fix its `view: platform {id}` header, or choose its view with {id_flag} (one of them, or `{CANONICAL}`)",
            t.name
        ));
    }
    if !unknown.is_empty() {
        return Err(Error::Template(unknown.join("\nerror: ")));
    }
    Ok((rust_platform, views))
}

/// Adds an output; two targets writing one path is an error, not a silent overwrite.
fn insert_once(
    files: &mut BTreeMap<PathBuf, String>,
    path: PathBuf,
    text: String,
    target: &str,
) -> Result<(), Error> {
    if files.contains_key(&path) {
        return Err(Error::Template(format!(
            "template `{target}` writes `{}`, which another target (or catalog) already writes; give it its own `file:` path",
            path.display()
        )));
    }
    files.insert(path, text);
    Ok(())
}

/// Renders either model type through one closure.
mod erased {
    use handlebars::{Handlebars, RenderError};
    use serde::Serialize;

    pub trait Model {
        fn render(&self, hb: &Handlebars<'_>, name: &str) -> Result<String, RenderError>;
    }

    impl<T: Serialize> Model for T {
        fn render(&self, hb: &Handlebars<'_>, name: &str) -> Result<String, RenderError> {
            hb.render(name, self)
        }
    }
}
