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

pub mod config;
pub mod explain;
pub mod export;
pub mod files;
pub mod helpers;
pub mod journal;
pub mod ownership;
mod rust;
pub mod targets;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use errspec::lock::Lock;
use errspec::{Registry, View};
use handlebars::{Context, Handlebars, RenderErrorReason};
use serde_json::Value as Json;

pub use files::{CheckReport, WriteReport};
use targets::{Target, ViewSpec};
use view::CatalogModel;

/// Why nothing was generated.
#[derive(Debug)]
pub enum Error {
    /// The registry is invalid: every diagnostic.
    Registry(errspec::Diagnostics),
    /// A template is malformed or failed to render.
    Template(String),
    /// Reading or writing files failed.
    Io(String),
    /// Outputs are in the way of files errspec does not own (or that were
    /// edited since it wrote them): nothing was written.
    Conflicts(ownership::Conflicts),
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
            Error::Conflicts(c) => format!("{c}\n"),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Error {}

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
    fn describe(&self) -> String {
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
}

/// Renders a registry's outputs; a small builder in the manner of prost-build.
#[derive(Clone, Debug)]
pub struct Generator {
    registry: PathBuf,
    out: PathBuf,
    templates: Option<PathBuf>,
    settings: Settings,
    rust: bool,
    ownership: files::Ownership,
}

impl Generator {
    pub fn new(registry: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Generator {
            registry: registry.into(),
            out: out.into(),
            templates: None,
            settings: Settings::default(),
            rust: true,
            ownership: files::Ownership::default(),
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
        self.settings.values.push(Setting {
            target: target.into(),
            key: PLATFORM.to_owned(),
            value: platform.into(),
            origin: None,
        });
        self
    }

    /// Sets an option a target's templates declare, as `--option TARGET.NAME=VALUE`
    /// does: `.option("kotlin", "package", "com.example.errors")`. The value is a
    /// dotted name; an undeclared option is an [`Error::Usage`] when rendering.
    pub fn option(
        mut self,
        target: impl Into<String>,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.settings.values.push(Setting {
            target: target.into(),
            key: name.into(),
            value: value.into(),
            origin: None,
        });
        self
    }

    /// Adds a setting that says where it was written (a project file's line).
    pub fn setting(mut self, setting: Setting) -> Self {
        self.settings.values.push(setting);
        self
    }

    /// Renders only these targets (ids as [`Generator::platform`] takes them,
    /// [`RUST_TARGET`] among them); by default every target renders. The out
    /// directory then holds only their files: [`Generator::write`] removes the
    /// generated files of the others.
    pub fn targets<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.only = Some(ids.into_iter().map(|id| (id.into(), None)).collect());
        self
    }

    /// As [`Generator::targets`], each id with where it was written.
    pub fn targets_from(mut self, ids: Vec<(String, Option<String>)>) -> Self {
        self.settings.only = Some(ids);
        self
    }

    /// Templates that override built-in targets (same file name) or add targets.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    /// Lets [`Generator::write`] replace the output at `path` (relative to
    /// the out directory) even when errspec did not write the file there or
    /// it was edited since, as `--take-over PATH` does. Without it such a
    /// file is an [`Error::Conflicts`] and nothing is written.
    pub fn take_over(mut self, path: impl Into<PathBuf>) -> Self {
        self.ownership.take_over.insert(path.into());
        self
    }

    /// A file or directory no output may land on or inside of, named `what`
    /// in messages (the CLI protects its `errspec.toml`); the registry, its
    /// locks and the templates directory are protected without it.
    pub fn protect(mut self, path: impl AsRef<Path>, what: impl Into<String>) -> Self {
        self.ownership.protected.add(path.as_ref(), what);
        self
    }

    /// Leaves the Rust target out: the template targets alone, to measure
    /// them apart from it (`synth write-templates`, BENCHMARKS.md).
    #[doc(hidden)]
    pub fn without_rust_target(mut self) -> Self {
        self.rust = false;
        self
    }

    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// Loads the registry, judged by the languages of the targets it renders
    /// ([`targets::languages`]). Templates that fail to load leave the built-in
    /// targets' languages to judge it; rendering reports their error next.
    fn load(&self, check_locks: bool) -> Result<Registry, Error> {
        let languages = match targets::load(self.templates.as_deref()) {
            Ok(targets) => targets::languages(&targets, &self.settings, self.rust),
            Err(_) => errspec::Languages::default(),
        };
        let options = errspec::LoadOptions {
            check_locks,
            languages,
        };
        errspec::load_with(Path::new(""), &self.registry, options).map_err(Error::Registry)
    }

    /// Every output file, relative to the out directory, rendered in memory.
    pub fn render(&self) -> Result<BTreeMap<PathBuf, String>, Error> {
        let registry = self.load(true)?;
        let targets = targets::load(self.templates.as_deref()).map_err(Error::Template)?;
        render_with(&registry, &targets, &self.settings)
    }

    /// Writes the outputs and adds new codes and names to each catalog's lock,
    /// atomically as a set: each output is rendered straight into a temporary
    /// file beside its destination, and nothing is renamed into place until
    /// every output and lock has rendered. On any error the temporary files
    /// (and directories the run created) are removed and the old files and
    /// locks are left as they were. Files whose bytes did not change are not
    /// touched.
    pub fn write(&self) -> Result<WriteReport, Error> {
        let lock = self.lock_out(true)?;
        let registry = self.load(true)?;
        self.write_registry(lock, &registry, |lock, c| match lock {
            Some(l) => l.grown(c),
            None => Lock::of(c),
        })
    }

    /// Accepts the breaking changes the locks report, recording `reason` in
    /// each changed lock, then writes as [`Generator::write`] does. The
    /// registry must be valid otherwise.
    pub fn accept_breaking(&self, reason: &str) -> Result<WriteReport, Error> {
        let lock = self.lock_out(true)?;
        let registry = self.load(false)?;
        self.write_registry(lock, &registry, |lock, c| match lock {
            Some(l) => l.accepting(c, reason),
            None => Lock::of(c),
        })
    }

    /// Refuses an out directory errspec must not own, then locks it for the
    /// whole run and finishes or undoes what an interrupted run left there:
    /// before the registry is read, as that run may have been writing its locks.
    fn lock_out(&self, create: bool) -> Result<journal::OutLock, Error> {
        if let Some(why) = ownership::refuse_out(&self.out) {
            return Err(Error::Usage(format!(
                "{why}; errspec replaces and removes files in its out directory, so it refuses this one\n  = help: set `out` in errspec.toml (or pass --out) to a directory of its own, such as `generated`"
            )));
        }
        // Locks sit beside the catalogs: in a directory registry, or beside its one file.
        let locks = if self.registry.is_dir() {
            Some(self.registry.as_path())
        } else {
            self.registry.parent()
        };
        journal::OutLock::acquire(&self.out, locks, create).map_err(|e| match e {
            journal::TxnError::NotADirectory(_) => Error::Usage(e.to_string()),
            _ => Error::Io(e.to_string()),
        })
    }

    /// The settings' take-overs, and what no output may land on: the
    /// registry, its locks, the templates, and what [`Generator::protect`] adds.
    fn ownership(&self, registry: &Registry) -> files::Ownership {
        let mut ownership = self.ownership.clone();
        ownership.protected.add(&self.registry, "the registry");
        for lock in &registry.locks {
            ownership.protected.add(&lock.full_path, "the lock");
        }
        if let Some(dir) = &self.templates {
            ownership.protected.add(dir, "the templates directory");
        }
        ownership
    }

    fn write_registry(
        &self,
        lock: journal::OutLock,
        registry: &Registry,
        next_lock: impl Fn(Option<&Lock>, &errspec::Catalog) -> Lock,
    ) -> Result<WriteReport, Error> {
        let targets = targets::load(self.templates.as_deref()).map_err(Error::Template)?;
        let mut plan = Plan::new(registry, &targets, &self.settings)?;
        plan.rust &= self.rust;
        // Dropped without a commit on any error: every temporary file goes, nothing is replaced.
        let staging = files::Staging::new(lock, &self.out, self.ownership(registry))?;
        let views_built = plan.run(&staging)?;
        for (lock_file, catalog) in registry.locks.iter().zip(&registry.catalogs) {
            let text = next_lock(lock_file.lock.as_ref(), catalog).render();
            staging
                .lock_file(&lock_file.full_path, &lock_file.path, &text)
                .map_err(Error::Io)?;
        }
        let mut report = staging.commit()?;
        report.views_built = views_built;
        Ok(report)
    }

    /// Compares the outputs with the out directory and the locks with what
    /// the registry adds to them, writing nothing.
    pub fn check(&self) -> Result<CheckReport, Error> {
        let lock = self.lock_out(false)?;
        let registry = self.load(true)?;
        let targets = targets::load(self.templates.as_deref()).map_err(Error::Template)?;
        let plan = Plan::new(&registry, &targets, &self.settings)?;
        let protected = self.ownership(&registry).protected;
        let checking = files::Checking::new(lock, &self.out, protected).map_err(Error::Io)?;
        plan.run(&checking)?;
        let mut report = checking.finish().map_err(Error::Io)?;
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

/// The name of the built-in target that writes the JSON Schemas
/// (`schema/registry.schema.json`, `schema/export.schema.json`), for
/// [`Generator::targets`]; it has no platform and no options.
pub const SCHEMA_TARGET: &str = "schema";

/// The platform value of [`Generator::platform`] that selects the canonical view.
pub const CANONICAL: &str = "canonical";

/// Where every run writes the registry format's JSON Schema (for editors:
/// `# yaml-language-server: $schema=<this file>`), relative to the out directory.
pub const REGISTRY_SCHEMA: &str = "schema/registry.schema.json";

/// Where every run writes the JSON Schema of `codegen export --json`.
pub const EXPORT_SCHEMA: &str = "schema/export.schema.json";

/// The two JSON Schemas, as every run writes them: (path in the out directory, text).
/// They describe the format, not one registry, so they are the same for all.
pub fn schema_files() -> [(&'static str, String); 2] {
    [
        (REGISTRY_SCHEMA, errspec::schema::registry().document()),
        (EXPORT_SCHEMA, export::schema().document()),
    ]
}

/// Renders every target for every catalog of a valid registry, each target
/// in the view its template header names (the Rust target: canonical).
pub fn render(registry: &Registry, targets: &[Target]) -> Result<BTreeMap<PathBuf, String>, Error> {
    render_with(registry, targets, &Settings::default())
}

/// Renders as [`render`] does, with `settings` applied: the targets chosen,
/// their platforms and options, as [`Generator`] takes them.
pub fn render_with(
    registry: &Registry,
    targets: &[Target],
    settings: &Settings,
) -> Result<BTreeMap<PathBuf, String>, Error> {
    let plan = Plan::new(registry, targets, settings)?;
    let memory = files::Memory::default();
    plan.run(&memory)?;
    Ok(memory.files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Renders every template target as [`render_with`] does, without the Rust
/// target: what the text targets cost apart from the Rust one (benchmarks).
#[doc(hidden)]
pub fn render_templates(
    registry: &Registry,
    targets: &[Target],
    settings: &Settings,
) -> Result<BTreeMap<PathBuf, String>, Error> {
    let mut plan = Plan::new(registry, targets, settings)?;
    plan.rust = false;
    plan.schemas = false;
    let memory = files::Memory::default();
    plan.run(&memory)?;
    Ok(memory.files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// One output of a template: its path and the template (an index into the targets).
struct Job {
    path: PathBuf,
    template: usize,
}

/// A distinct view of one catalog. Its model and handlebars context are
/// built once, and every template that renders this view renders from them.
struct Unit<'r> {
    catalog: usize,
    view: View<'r>,
    jobs: Vec<Job>,
}

/// What a run renders, resolved before anything renders: every output path
/// (two targets writing one path is an error here), grouped by view.
struct Plan<'r> {
    registry: &'r Registry,
    targets: &'r [Target],
    hb: Handlebars<'r>,
    /// Whether the Rust target renders (always, but in [`render_templates`]).
    rust: bool,
    /// Whether the JSON Schemas are written (always, but in [`render_templates`]).
    schemas: bool,
    rust_platform: Option<String>,
    units: Vec<Unit<'r>>,
    /// The outputs of `view: registry` templates, rendered from every
    /// catalog's canonical context once those are built.
    registry_jobs: Vec<Job>,
    /// Every template output, with the template writing it.
    paths: BTreeMap<PathBuf, usize>,
}

/// The number of threads rendering: `ERRSPEC_CODEGEN_THREADS` when set to a
/// positive number, else one per core.
///
/// The templates of a view render at once from its one context, so more
/// threads cost no second context, only each one's output buffer
/// (BENCHMARKS.md, section 12). The output, and the error reported when
/// several outputs fail, are the same on any number.
fn threads() -> usize {
    std::env::var("ERRSPEC_CODEGEN_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// The outputs that need no view context.
enum Side {
    Rust,
    Schemas,
}

/// Runs `work` on `threads` threads, each taking the next item in order.
/// After a failure, later items are skipped and earlier ones still run, so the
/// error returned is that of the first failing item in order, whichever
/// thread met it.
fn run_all<W: Sync>(
    threads: usize,
    work: &[W],
    run: impl Fn(&W) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    let results: Vec<Mutex<Option<Error>>> = work.iter().map(|_| Mutex::default()).collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(usize::MAX);
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = work.get(i) else { break };
            if i > failed.load(Ordering::Relaxed) {
                break;
            }
            if let Err(e) = run(item) {
                failed.fetch_min(i, Ordering::Relaxed);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
            }
        }
    };
    let threads = threads.min(work.len());
    if threads <= 1 {
        worker();
    } else {
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(worker);
            }
            worker();
        });
    }
    match results
        .into_iter()
        .find_map(|r| r.into_inner().unwrap_or_else(|e| e.into_inner()))
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl<'r> Plan<'r> {
    fn new(
        registry: &'r Registry,
        targets: &'r [Target],
        settings: &Settings,
    ) -> Result<Plan<'r>, Error> {
        let Resolved {
            rust,
            schemas,
            rust_platform,
            views,
            selected,
            options,
        } = resolve(registry, targets, settings)?;
        let mut hb = Handlebars::new();
        hb.register_escape_fn(handlebars::no_escape);
        hb.set_strict_mode(true);
        helpers::register(&mut hb);
        hb.register_helper("option", Box::new(helpers::Options(options)));
        for t in targets {
            hb.register_template_string(&t.name, &t.source)
                .map_err(|e| Error::Template(format!("template `{}`: {e}", t.name)))?;
        }
        let mut units: Vec<Unit<'r>> = Vec::new();
        let mut index: BTreeMap<(usize, Option<&'r str>), usize> = BTreeMap::new();
        let mut unit = |catalog: usize, view: View<'r>| -> usize {
            *index
                .entry((catalog, view.platform_id()))
                .or_insert_with(|| {
                    units.push(Unit {
                        catalog,
                        view,
                        jobs: Vec::new(),
                    });
                    units.len() - 1
                })
        };
        let mut paths = BTreeMap::new();
        let mut registry_jobs = Vec::new();
        let mut jobs: Vec<(usize, Job)> = Vec::new();
        for (ti, (t, view)) in targets.iter().zip(&views).enumerate() {
            if !selected[ti] {
                continue;
            }
            if *view == ViewSpec::Registry {
                let path = claim(&mut paths, PathBuf::from(&t.file), ti, targets)?;
                registry_jobs.push(Job { path, template: ti });
                continue;
            }
            for (ci, c) in registry.catalogs.iter().enumerate() {
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
                    let path = claim(&mut paths, PathBuf::from(path), ti, targets)?;
                    jobs.push((unit(ci, v), Job { path, template: ti }));
                }
            }
        }
        if !registry_jobs.is_empty() {
            // The registry view is every catalog's canonical view.
            for (ci, c) in registry.catalogs.iter().enumerate() {
                unit(ci, c.canonical_view());
            }
        }
        for (u, job) in jobs {
            units[u].jobs.push(job);
        }
        Ok(Plan {
            registry,
            targets,
            hb,
            rust,
            schemas,
            rust_platform,
            units,
            registry_jobs,
            paths,
        })
    }

    /// Renders every output into `sink`; returns how many view models it built.
    ///
    /// Renders on [`threads`] threads (one per core by default): the Rust
    /// target and the schemas, then each view's templates at once from its
    /// context; which thread renders what does not change any output.
    fn run<S: files::Sink>(&self, sink: &S) -> Result<usize, Error> {
        self.run_on(sink, threads())
    }

    fn run_on<S: files::Sink>(&self, sink: &S, threads: usize) -> Result<usize, Error> {
        let mut built = 0;
        let keep = !self.registry_jobs.is_empty();
        let mut canonical: Vec<Option<Json>> = vec![None; self.registry.catalogs.len()];
        // The Rust target and the schemas need no context. They render first,
        // on their own: beside a view's context they would add their memory to it.
        let side: Vec<Side> = self
            .rust
            .then_some(Side::Rust)
            .into_iter()
            .chain(self.schemas.then_some(Side::Schemas))
            .collect();
        run_all(threads, &side, |side| match side {
            Side::Rust => self.rust(sink),
            Side::Schemas => self.schemas(sink),
        })?;
        // Then one view at a time, its outputs on every thread from its one
        // context, so that one context is alive at a time. Canonical views
        // last: a `registry` template keeps their contexts until the end.
        let order = (0..self.units.len())
            .filter(|&u| self.units[u].view.platform.is_some())
            .chain((0..self.units.len()).filter(|&u| self.units[u].view.platform.is_none()));
        for u in order {
            let unit = &self.units[u];
            let mut ctx = self.context(unit)?;
            built += 1;
            run_all(threads, &unit.jobs, |job| self.render_job(job, &ctx, sink))?;
            if keep && unit.view.platform.is_none() {
                canonical[unit.catalog] = Some(std::mem::take(ctx.data_mut()));
            }
        }
        if keep {
            let catalogs = canonical
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect();
            let mut model = serde_json::Map::new();
            model.insert("catalogs".to_owned(), Json::Array(catalogs));
            model.insert("generator".to_owned(), Json::from(view::GENERATOR));
            let ctx = Context::from(Json::Object(model));
            for job in &self.registry_jobs {
                self.render_job(job, &ctx, sink)?;
            }
        }
        Ok(built)
    }

    /// The Rust target's files, after checking that no template writes one of them.
    fn rust<S: files::Sink>(&self, sink: &S) -> Result<(), Error> {
        let files =
            rust::files(self.registry, self.rust_platform.as_deref()).map_err(Error::Template)?;
        for path in files.keys() {
            if let Some(&t) = self.paths.get(path) {
                return Err(collision(&self.targets[t], path));
            }
        }
        for (path, text) in files {
            sink.text(&path, &text).map_err(Error::Io)?;
        }
        Ok(())
    }

    /// The JSON Schemas, after checking that no template writes one of them.
    fn schemas<S: files::Sink>(&self, sink: &S) -> Result<(), Error> {
        let files = schema_files();
        for (path, _) in &files {
            if let Some(&t) = self.paths.get(Path::new(path)) {
                return Err(collision(&self.targets[t], Path::new(path)));
            }
        }
        for (path, text) in files {
            sink.text(Path::new(path), &text).map_err(Error::Io)?;
        }
        Ok(())
    }

    /// One view's model, turned into the context every template of the view renders from.
    fn context(&self, unit: &Unit<'r>) -> Result<Context, Error> {
        let model = CatalogModel::new(unit.view);
        Context::wraps(&model).map_err(|e| {
            Error::Template(format!(
                "the view model of catalog `{}` cannot be given to the templates: {e}",
                model.name
            ))
        })
    }

    fn render_job<S: files::Sink>(&self, job: &Job, ctx: &Context, sink: &S) -> Result<(), Error> {
        let t = &self.targets[job.template];
        let mut out = sink.open(&job.path).map_err(Error::Io)?;
        self.hb
            .render_with_context_to_write(&t.name, ctx, &mut out)
            .map_err(|e| match e.reason() {
                RenderErrorReason::IOError(io) => {
                    Error::Io(format!("cannot write `{}`: {io}", job.path.display()))
                }
                _ => Error::Template(format!("template `{}`: {e}", t.name)),
            })?;
        sink.close(&job.path, out).map_err(Error::Io)
    }
}

/// Records that template `t` writes `path`: two targets writing one path is
/// an error, not a silent overwrite.
fn claim(
    paths: &mut BTreeMap<PathBuf, usize>,
    path: PathBuf,
    t: usize,
    targets: &[Target],
) -> Result<PathBuf, Error> {
    if paths.contains_key(&path) {
        return Err(collision(&targets[t], &path));
    }
    // A file where another output needs a directory: which of the two renders
    // first would decide the error, so it is refused before either does.
    let file_above = path
        .ancestors()
        .skip(1)
        .find_map(|a| paths.get(a).map(|&u| (a, u)));
    let file_below = paths
        .range(path.clone()..)
        .next()
        .filter(|(p, _)| p.starts_with(&path));
    if let Some((other, u)) = file_above.or(file_below.map(|(p, &u)| (p.as_path(), u))) {
        return Err(Error::Template(format!(
            "template `{}` writes `{}` and template `{}` writes `{}`: one is a file where the other needs a directory; give one of them another `file:` path",
            targets[t].name,
            path.display(),
            targets[u].name,
            other.display()
        )));
    }
    paths.insert(path.clone(), t);
    Ok(path)
}

fn collision(t: &Target, path: &Path) -> Error {
    Error::Template(format!(
        "template `{}` writes `{}`, which another target (or catalog) already writes; give it its own `file:` path",
        t.name,
        path.display()
    ))
}

/// What the settings resolve to, before anything renders.
struct Resolved {
    /// Whether the Rust target is selected.
    rust: bool,
    /// Whether the schema target is selected.
    schemas: bool,
    rust_platform: Option<String>,
    /// Each template's view, the settings applied.
    views: Vec<ViewSpec>,
    /// Whether each template's target is selected.
    selected: Vec<bool>,
    /// Each template's options (by template name): the defaults, with the settings over them.
    options: BTreeMap<String, BTreeMap<String, String>>,
}

/// The targets selected, the platform of the Rust target and the view and
/// options of each template: the templates' headers, with `settings`
/// applied. A platform that no catalog declares is an error, unless the
/// registry declares none at all (then there is nothing to misspell
/// against, and every view is canonical). Every problem is reported at once.
fn resolve(
    registry: &Registry,
    targets: &[Target],
    settings: &Settings,
) -> Result<Resolved, Error> {
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
    let ids: BTreeSet<&str> = [RUST_TARGET, SCHEMA_TARGET]
        .into_iter()
        .chain(targets.iter().map(Target::id))
        .collect();
    let id_list = ids
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut usage = Vec::new();

    // The selection: every target, or those named.
    let mut selected_ids: Option<BTreeSet<&str>> = None;
    if let Some(only) = &settings.only {
        let mut chosen = BTreeSet::new();
        for (id, origin) in only {
            let at = origin.as_ref().map_or(String::new(), |o| format!("{o}: "));
            if !ids.contains(id.as_str()) {
                let hbs = if id.ends_with(".hbs") {
                    "; name the target without `.hbs`"
                } else {
                    ""
                };
                usage.push(format!(
                    "{at}the target `{id}` to render does not exist{hbs}; the targets are {id_list}"
                ));
            } else if !chosen.insert(id.as_str()) {
                usage.push(format!(
                    "{at}the target `{id}` is named twice; name it once"
                ));
            }
        }
        selected_ids = Some(chosen);
    }
    let is_selected = |id: &str| selected_ids.as_ref().is_none_or(|s| s.contains(id));

    let mut rust_platform = None;
    let mut views: Vec<ViewSpec> = targets.iter().map(|t| t.view.clone()).collect();
    let mut options: BTreeMap<String, BTreeMap<String, String>> = targets
        .iter()
        .map(|t| {
            let defaults = targets::options_of(targets, t.id())
                .into_iter()
                .map(|o| (o.name.clone(), o.default.clone()))
                .collect();
            (t.name.clone(), defaults)
        })
        .collect();
    let mut set: BTreeMap<(&str, &str), &Setting> = BTreeMap::new();
    for setting in &settings.values {
        let what = setting.describe();
        let (target, key, value) = (&setting.target, &setting.key, &setting.value);
        if let Some(first) = set.insert((target, key), setting) {
            usage.push(format!(
                "{what}: `{key}` of `{target}` is set twice (`{}`, then `{value}`); set it once",
                first.value
            ));
            continue;
        }
        if !ids.contains(target.as_str()) {
            let hbs = if target.ends_with(".hbs") {
                "; name the target without `.hbs`"
            } else {
                ""
            };
            let list = if key == PLATFORM {
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
                format!("the targets whose platform can be set are {settable}")
            } else {
                format!("the targets are {id_list}")
            };
            usage.push(format!(
                "{what}: there is no target `{target}`{hbs}; {list} (a template goes by its header's `target:`, else its file name without `.hbs`)"
            ));
            continue;
        }
        if !is_selected(target) {
            usage.push(format!(
                "{what}: the target `{target}` is not among the targets rendered; add it to them, or remove this setting"
            ));
            continue;
        }
        if key != PLATFORM {
            let declared = targets::options_of(targets, target);
            if !declared.iter().any(|o| o.name == *key) {
                let list = if declared.is_empty() {
                    format!("`{target}` has no options")
                } else {
                    let names: Vec<String> = declared
                        .iter()
                        .map(|o| format!("`{}` (default `{}`)", o.name, o.default))
                        .collect();
                    format!("the options of `{target}` are {}", names.join(", "))
                };
                usage.push(format!(
                    "{what}: `{target}` has no option `{key}`; {list}, and every target but a `registry` one has `platform`"
                ));
                continue;
            }
            if let Some(problem) = targets::option_value_problem(value) {
                usage.push(format!(
                    "{what}: the value `{}` {problem}; an option's value is a dotted name such as `com.example.errors` (ASCII letters, digits and `_`, parts joined by `.`)",
                    value.escape_debug()
                ));
                continue;
            }
            if let Some(problem) = targets::reserved_package_problem(targets, target, value) {
                usage.push(format!(
                    "{what}: the value `{value}` {problem}; use a package of your own, such as `com.example.errors`"
                ));
                continue;
            }
            for t in targets.iter().filter(|t| t.id() == target) {
                if let Some(options) = options.get_mut(&t.name) {
                    options.insert(key.clone(), value.clone());
                }
            }
            continue;
        }
        // The platform: the Rust target's, or that of the target's per-catalog templates.
        let slots: Vec<usize> = (0..targets.len())
            .filter(|&i| {
                targets[i].id() == target
                    && matches!(targets[i].view, ViewSpec::Canonical | ViewSpec::Platform(_))
            })
            .collect();
        if target == SCHEMA_TARGET {
            usage.push(format!(
                "{what}: the target `{SCHEMA_TARGET}` writes the JSON Schemas of the registry format, the same for every registry, so it has no platform; remove this setting"
            ));
            continue;
        }
        if target != RUST_TARGET && slots.is_empty() {
            let every_platform = targets
                .iter()
                .any(|t| t.id() == target && t.view == ViewSpec::Platforms);
            usage.push(if every_platform {
                format!(
                    "{what}: the target `{target}` renders every platform (view `platforms`): the canonical page and one per platform that differs, so it has no one platform to set; remove this setting"
                )
            } else {
                format!(
                    "{what}: the target `{target}` renders once for the whole registry (view `registry`), not one platform's view of each catalog; remove this setting"
                )
            });
            continue;
        }
        let view = if value == CANONICAL {
            if known.contains(CANONICAL) {
                usage.push(format!(
                    "{what}: `{CANONICAL}` means the canonical view, but a catalog also declares a platform named `{CANONICAL}`, so the setting is ambiguous; rename that platform in the registry to choose between them"
                ));
                continue;
            }
            None
        } else if known.contains(value.as_str()) {
            Some(value.clone())
        } else {
            usage.push(if known.is_empty() {
                format!(
                    "{what}: no catalog declares the platform `{value}`; the registry declares no platforms, so every view is canonical: use {}, or leave the setting out",
                    match setting.origin {
                        None => format!("`{target}={CANONICAL}`"),
                        Some(_) => format!("`platform = \"{CANONICAL}\"`"),
                    }
                )
            } else {
                format!(
                    "{what}: no catalog declares the platform `{value}`; known platforms: {known_list}; use one of them, or `{CANONICAL}` for the canonical view"
                )
            });
            continue;
        };
        if target == RUST_TARGET {
            rust_platform = view;
        } else {
            for i in slots {
                views[i] = view.clone().map_or(ViewSpec::Canonical, ViewSpec::Platform);
            }
        }
    }
    if !usage.is_empty() {
        return Err(Error::Usage(usage.join("\nerror: ")));
    }
    let selected: Vec<bool> = targets.iter().map(|t| is_selected(t.id())).collect();
    // The platforms the templates' headers name; those set above are known.
    let mut unknown = Vec::new();
    for ((t, view), &on) in targets.iter().zip(&views).zip(&selected) {
        let ViewSpec::Platform(id) = view else {
            continue;
        };
        // A built-in target's platform is a documented default, not a choice
        // the user made: where no catalog declares it, the view is canonical
        // (a web-only registry still renders Dart with no flags).
        if !on || known.is_empty() || known.contains(id.as_str()) || t.built_in {
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
    Ok(Resolved {
        rust: is_selected(RUST_TARGET),
        schemas: is_selected(SCHEMA_TARGET),
        rust_platform,
        views,
        selected,
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Registry {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        errspec::load(root.join("spec/registry")).unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn every_thread_count_renders_the_same_files_from_one_model_per_view() {
        let registry = shipped();
        let targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        let plan =
            Plan::new(&registry, &targets, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
        // Every catalog's distinct views: canonical, plus each platform a target renders.
        let distinct: usize = registry
            .catalogs
            .iter()
            .map(|c| {
                let mut views = BTreeSet::from([None]);
                for id in ["web", "flutter"] {
                    if c.view(id).is_some() {
                        views.insert(Some(id));
                    }
                }
                views.len()
            })
            .sum();
        let mut renders = Vec::new();
        for threads in [1, 2, 5] {
            let memory = files::Memory::default();
            let built = plan
                .run_on(&memory, threads)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(built, distinct, "{threads} threads");
            renders.push(memory.files.into_inner().unwrap_or_else(|e| e.into_inner()));
        }
        assert!(renders.windows(2).all(|w| w[0] == w[1]));
    }

    /// A `--templates` template of the canonical view, with no header options.
    fn canonical_template(name: &str, file: &str, source: String) -> targets::Target {
        targets::Target {
            name: name.to_owned(),
            file: file.to_owned(),
            view: ViewSpec::Canonical,
            source,
            built_in: false,
            target: None,
            options: Vec::new(),
        }
    }

    #[test]
    fn an_output_where_another_needs_a_directory_is_refused_before_rendering() {
        let registry = shipped();
        for (a, b) in [
            ("x/{catalog}", "x/{catalog}/a.md"),
            ("x/{catalog}/a.md", "x/{catalog}"),
        ] {
            let mut targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
            for (name, file) in [("one.hbs", a), ("two.hbs", b)] {
                targets.push(canonical_template(name, file, String::new()));
            }
            let Err(e) = Plan::new(&registry, &targets, &Settings::default()) else {
                panic!("`{a}` and `{b}` were both accepted");
            };
            let e = e.to_string();
            assert!(
                e.contains("one.hbs") && e.contains("two.hbs") && e.contains("needs a directory"),
                "{e}"
            );
        }
    }

    #[test]
    fn the_error_reported_is_the_first_in_plan_order_on_any_number_of_threads() {
        let registry = shipped();
        let mut targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        // Two failing outputs of the canonical view, after the built-in ones:
        // the first fails late (after a slow pass over the entries), the second
        // at once, so on several threads the second fails first in time.
        let slow = "{{#each entries}}{{#each ../entries}}{{name}}{{/each}}{{/each}}";
        for (name, source) in [
            ("first.hbs", format!("{slow}{{{{no_such_field}}}}")),
            ("second.hbs", "{{nor_this_one}}".to_owned()),
        ] {
            targets.push(canonical_template(
                name,
                &format!("{{catalog}}.{name}.txt"),
                source,
            ));
        }
        let plan =
            Plan::new(&registry, &targets, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
        for threads in [1, 2, 5] {
            let memory = files::Memory::default();
            let Err(e) = plan.run_on(&memory, threads) else {
                panic!("{threads} threads: a template with a missing field rendered");
            };
            let e = e.to_string();
            assert!(
                e.contains("first.hbs") && e.contains("no_such_field"),
                "{threads} threads: {e}"
            );
        }
    }
}
