//! The builder: where the registry and the outputs are, and what a run may take over.

use std::path::{Path, PathBuf};

use errspec::Registry;
use errspec::lock::Lock;

use crate::*;

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
        let registry = registry.into();
        let settings = Settings {
            project: Some(crate::packages::project_name(&registry)),
            ..Settings::default()
        };
        Generator {
            registry,
            out: out.into(),
            templates: None,
            settings,
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
    /// dotted name, or of the option's kind (`.option("typescript", "package",
    /// "@acme/errors")`, docs/packages.md); an undeclared option or a value not
    /// of its kind is an [`Error::Usage`] when rendering.
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

    /// The command the generated files' headers and the locks name as what
    /// regenerates them (errspec.toml's `regenerate`); by default
    /// [`errspec::preamble::DEFAULT_COMMAND`], `errspec`.
    pub fn regenerate(mut self, command: impl Into<String>) -> Self {
        self.settings.regenerate = Some(command.into());
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
            Err(_) => targets::built_in_languages().unwrap_or_default(),
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
        let targets = targets::load(self.templates.as_deref())?;
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
        self.write_registry(lock, registry, None)
    }

    /// Accepts the breaking changes the locks report, recording `reason` in
    /// each changed lock, then writes as [`Generator::write`] does. The
    /// registry must be valid otherwise.
    pub fn accept_breaking(&self, reason: &str) -> Result<WriteReport, Error> {
        let lock = self.lock_out(true)?;
        let registry = self.load(false)?;
        self.write_registry(lock, registry, Some(reason))
    }

    /// Refuses an out directory errspec must not own, then locks it for the
    /// whole run and finishes or undoes what an interrupted run left there:
    /// before the registry is read, as that run may have been writing its locks.
    fn lock_out(&self, create: bool) -> Result<journal::OutLock, Error> {
        if let Some(refused) = ownership::refuse_out(&self.out) {
            return Err(Error::OutRefused(refused));
        }
        // Locks sit beside the catalogs: in a directory registry, or beside its one file.
        let locks = if self.registry.is_dir() {
            Some(self.registry.as_path())
        } else {
            self.registry.parent()
        };
        Ok(journal::OutLock::acquire(&self.out, locks, create)?)
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
        mut registry: Registry,
        accepting: Option<&str>,
    ) -> Result<WriteReport, Error> {
        // The locks' next text first, and the read locks dropped: parsed, a lock is
        // five times its file, and rendering never reads it (BENCHMARKS.md at `ccbf661`, section 19).
        let command = self.settings.command();
        let mut locked = Vec::new();
        let mut lock_texts = Vec::with_capacity(registry.locks.len());
        for (file, c) in registry.locks.iter_mut().zip(&registry.catalogs) {
            let Some(old) = file.lock.take() else {
                lock_texts.push(Lock::of(c).render(command));
                continue;
            };
            let (text, news) = lock_news(c, &old, accepting, command);
            if !news.is_empty() {
                locked.push((file.path.clone(), news));
            }
            lock_texts.push(text);
        }
        let registry = &registry;
        let targets = targets::load(self.templates.as_deref())?;
        let mut plan = Plan::new(registry, &targets, &self.settings)?;
        plan.rust &= self.rust;
        // Dropped without a commit on any error: every temporary file goes, nothing is replaced.
        let staging = files::Staging::new(lock, &self.out, self.ownership(registry))?;
        let views_built = plan.run(&staging)?;
        for (lock_file, text) in registry.locks.iter().zip(&lock_texts) {
            staging.lock_file(&lock_file.full_path, &lock_file.path, text)?;
        }
        let mut report = staging.commit()?;
        report.views_built = views_built;
        report.locked = locked;
        Ok(report)
    }

    /// Compares the outputs with the out directory and the locks with what
    /// the registry adds to them, writing nothing.
    pub fn check(&self) -> Result<CheckReport, Error> {
        let lock = self.lock_out(false)?;
        let mut registry = self.load(true)?;
        // Judged before rendering, and the read locks dropped, as `write` does.
        let (mut stale_locks, mut unlocked) = (Vec::new(), Vec::new());
        for (lock_file, catalog) in registry.locks.iter_mut().zip(&registry.catalogs) {
            let old = lock_file.lock.take();
            // Byte for byte, as `write` compares: a lock with other line endings is rewritten too.
            let grown = old
                .as_ref()
                .map(|l| lock_news(catalog, l, None, self.settings.command()));
            let up_to_date = grown.as_ref().is_some_and(|(text, _)| {
                std::fs::read(&lock_file.full_path).is_ok_and(|b| b == text.as_bytes())
            });
            if !up_to_date {
                stale_locks.push(lock_file.path.clone());
                if let Some((_, news)) = grown.filter(|(_, n)| !n.is_empty()) {
                    unlocked.push((lock_file.path.clone(), news));
                }
            }
        }
        let targets = targets::load(self.templates.as_deref())?;
        let plan = Plan::new(&registry, &targets, &self.settings)?;
        let protected = self.ownership(&registry).protected;
        let checking = files::Checking::new(lock, &self.out, protected)?;
        plan.run(&checking)?;
        let mut report = checking.finish();
        report.stale_locks = stale_locks;
        report.unlocked = unlocked;
        Ok(report)
    }
}

/// A catalog's lock as a run leaves it: its next text, and what the run
/// says of it: the breaks `--accept-breaking` lets through (`accepting`, the
/// reason), then what the catalog adds, each with whose builds it breaks.
fn lock_news(
    c: &errspec::Catalog,
    old: &Lock,
    accepting: Option<&str>,
    command: &str,
) -> (String, Vec<String>) {
    let Some(reason) = accepting else {
        // A plain run's load has judged the lock already.
        return old.grow(c, command);
    };
    let breaks = errspec::lock::check(c, old);
    let accepted =
        (breaks.into_iter()).map(|d| format!("accepted: {}: {}", d.message, d.notes.join("; ")));
    let news = accepted.chain(errspec::lock::additions(c, old)).collect();
    (old.accepting(c, reason).render(command), news)
}
