//! What a run renders, resolved before anything renders, and the rendering of it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use errspec::{Registry, View};
use handlebars::{Context, Handlebars, RenderErrorReason};
use serde_json::Value as Json;

use crate::pool::{run_all, threads};
use crate::resolve::{Resolved, resolve};
use crate::targets::{Target, ViewSpec};
use crate::view::CatalogModel;
use crate::*;

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
pub(crate) struct Plan<'r> {
    registry: &'r Registry,
    targets: &'r [Target],
    hb: Handlebars<'r>,
    /// Whether the Rust target renders (always, but in [`render_templates`]).
    pub(crate) rust: bool,
    /// Whether the JSON Schemas are written (always, but in [`render_templates`]).
    pub(crate) schemas: bool,
    rust_platform: Option<String>,
    units: Vec<Unit<'r>>,
    /// The outputs of `view: registry` templates, rendered from every
    /// catalog's canonical context once those are built.
    registry_jobs: Vec<Job>,
    /// Every template output, with the template writing it.
    pub(crate) paths: BTreeMap<PathBuf, usize>,
}

/// The outputs that need no view context.
enum Side {
    Rust,
    Schemas,
}

impl<'r> Plan<'r> {
    pub(crate) fn new(
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
        helpers::register(&mut hb, targets);
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
    pub(crate) fn run<S: files::Sink>(&self, sink: &S) -> Result<usize, Error> {
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
        let files = rust::files(self.registry, self.rust_platform.as_deref())?;
        for path in files.keys() {
            if let Some(&t) = self.paths.get(path) {
                return Err(collision(&self.targets[t], path));
            }
        }
        for (path, text) in files {
            sink.text(&path, &text)?;
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
            sink.text(Path::new(path), &text)?;
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
        let mut out = sink.open(&job.path)?;
        self.hb
            .render_with_context_to_write(&t.name, ctx, &mut out)
            .map_err(|e| match e.reason() {
                RenderErrorReason::IOError(io) => crate::IoError::os(
                    "write",
                    &job.path,
                    std::io::Error::new(io.kind(), io.to_string()),
                )
                .into(),
                _ => Error::Template(format!("template `{}`: {e}", t.name)),
            })?;
        sink.close(&job.path, out)
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

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
            folder: None,
            language: None,
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
