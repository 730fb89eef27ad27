//! What a run renders, resolved before anything renders, and the rendering of it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use errspec::{Registry, View};
use handlebars::{Context, Handlebars, RenderErrorReason};
use serde_json::Value as Json;

use crate::blocks::Models;
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
    /// Whether a template of the view reads `entries`, `groups` or
    /// `param_entries` from the context (user templates written before the
    /// block helpers): then its context holds them, a JSON copy of the view.
    lists: bool,
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
    /// The Rust target's crate name (`[target.rust] crate`).
    rust_crate: String,
    /// The command the outputs say regenerates them.
    regenerate: String,
    units: Vec<Unit<'r>>,
    /// The outputs of `view: registry` templates, rendered from every
    /// catalog's canonical context once those are built.
    registry_jobs: Vec<Job>,
    /// Every template output, with the template writing it.
    pub(crate) paths: BTreeMap<PathBuf, usize>,
    /// The typed model of each view being rendered, by unit, for [`crate::blocks`].
    models: Arc<Models<'r>>,
    /// Whether a `view: registry` template iterates entries (then the
    /// canonical models are kept until it renders).
    registry_entries: bool,
    /// Each template's compiled program, or `None` for one that renders
    /// through handlebars ([`crate::engine`]).
    programs: Vec<Option<engine::Program>>,
    /// Markdown conversions shared by a catalog's views, by catalog.
    memos: engine::Memos,
    rows: helpers::Rows,
    options: BTreeMap<String, BTreeMap<String, String>>,
    /// Whether compiled templates render through the engine (tests compare both ways).
    pub(crate) compiled: bool,
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
            rust_crate,
            views,
            selected,
            options,
        } = resolve(registry, targets, settings)?;
        let mut hb = Handlebars::new();
        hb.register_escape_fn(handlebars::no_escape);
        hb.set_strict_mode(true);
        let rows = helpers::Rows::new(targets);
        helpers::register(&mut hb, &rows);
        hb.register_helper("option", Box::new(helpers::Options(options.clone())));
        // A built-in template is proven by the test suite: only the selected
        // ones are parsed (handlebars' parse is most of a one-target run's
        // templates). A `--templates` one is checked whether selected or not.
        for (t, _) in targets
            .iter()
            .zip(&selected)
            .filter(|(t, selected)| **selected || !t.built_in)
        {
            hb.register_template_string(&t.name, &t.source)
                .map_err(|e| TemplateError::Syntax {
                    template: t.name.clone(),
                    error: Box::new(e),
                })?;
        }
        // `{{#if}}` reads a missing field as false, even in strict mode: every
        // field a template names must be the model's, before anything renders.
        fields::check(&hb, targets)?;
        let programs = targets
            .iter()
            .map(|t| {
                hb.get_template(&t.name)
                    .and_then(|template| engine::compile(&t.name, &t.source, template))
            })
            .collect();
        let lists: Vec<bool> = targets
            .iter()
            .map(|t| blocks::reads_entry_lists(&t.source))
            .collect();
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
                        lists: false,
                    });
                    units.len() - 1
                })
        };
        let mut paths = BTreeMap::new();
        let mut registry_jobs = Vec::new();
        let mut jobs: Vec<(usize, Job)> = Vec::new();
        for (ti, (t, view)) in targets.iter().zip(&views).enumerate() {
            let options = options.get(&t.name);
            let switched_off = t
                .when
                .as_ref()
                .is_some_and(|w| options.and_then(|o| o.get(w)).is_some_and(|v| v == "false"));
            if !selected[ti] || switched_off {
                continue;
            }
            let file = crate::packages::file_with_options(&t.file, options);
            if *view == ViewSpec::Registry {
                let path = claim(&mut paths, PathBuf::from(&file), ti, targets)?;
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
                    let path = file
                        .replace("{catalog}", &c.name.value)
                        .replace("{.platform}", &suffix);
                    let path = claim(&mut paths, PathBuf::from(path), ti, targets)?;
                    jobs.push((unit(ci, v), Job { path, template: ti }));
                }
            }
        }
        let mut canonical = Vec::new();
        if !registry_jobs.is_empty() {
            // The registry view is every catalog's canonical view.
            for (ci, c) in registry.catalogs.iter().enumerate() {
                canonical.push(unit(ci, c.canonical_view()));
            }
        }
        let registry_lists = registry_jobs.iter().any(|j| lists[j.template]);
        for u in canonical {
            units[u].lists |= registry_lists;
        }
        for (u, job) in jobs {
            units[u].lists |= lists[job.template];
            units[u].jobs.push(job);
        }
        let models = Arc::new(Models::new(units.len()));
        blocks::register(&mut hb, &models);
        let registry_entries = registry_jobs
            .iter()
            .any(|j| blocks::iterates_entries(&targets[j.template].source));
        Ok(Plan {
            registry,
            targets,
            hb,
            rust,
            schemas,
            rust_platform,
            rust_crate,
            regenerate: settings.command().to_owned(),
            units,
            registry_jobs,
            paths,
            models,
            registry_entries,
            programs,
            memos: engine::Memos::new(registry.catalogs.len()),
            rows,
            options,
            // `ERRSPEC_TEMPLATE_ENGINE=handlebars` renders every template through
            // handlebars, to compare the two (BENCHMARKS.md at `ccbf661`, section 18).
            compiled: std::env::var_os("ERRSPEC_TEMPLATE_ENGINE").is_none_or(|v| v != "handlebars"),
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

    pub(crate) fn run_on<S: files::Sink>(&self, sink: &S, threads: usize) -> Result<usize, Error> {
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
        let order: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].view.platform.is_some())
            .chain((0..self.units.len()).filter(|&u| self.units[u].view.platform.is_none()))
            .collect();
        // Each catalog's last view, after which its Markdown memo is freed.
        let mut last = vec![None; self.registry.catalogs.len()];
        for &u in &order {
            last[self.units[u].catalog] = Some(u);
        }
        for u in order {
            let unit = &self.units[u];
            let mut ctx = self.context(u)?;
            built += 1;
            let is_last = last[unit.catalog] == Some(u);
            let memo = self.memos.of(unit.catalog, is_last);
            let rendered = run_all(threads, &unit.jobs, |job| {
                self.render_job(job, &ctx, memo, sink)
            });
            if is_last {
                self.memos.done(unit.catalog);
            }
            let canonical_kept = keep && unit.view.platform.is_none();
            if !(canonical_kept && self.registry_entries) || rendered.is_err() {
                self.models.remove(u);
            }
            rendered?;
            if canonical_kept {
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
            model.insert(
                "regenerate".to_owned(),
                Json::from(self.regenerate.as_str()),
            );
            let ctx = Context::from(Json::Object(model));
            let rendered = self
                .registry_jobs
                .iter()
                .try_for_each(|job| self.render_job(job, &ctx, None, sink));
            for u in 0..self.units.len() {
                self.models.remove(u);
            }
            rendered?;
        }
        Ok(built)
    }

    /// The templates the engine renders (the others render through handlebars).
    #[cfg(test)]
    pub(crate) fn compiled_templates(&self) -> impl Iterator<Item = &str> {
        self.targets
            .iter()
            .zip(&self.programs)
            .filter(|(_, p)| p.is_some())
            .map(|(t, _)| t.name.as_str())
    }

    /// The Rust target's files, after checking that no template writes one of them.
    fn rust<S: files::Sink>(&self, sink: &S) -> Result<(), Error> {
        let files = rust::files(
            self.registry,
            self.rust_platform.as_deref(),
            &self.rust_crate,
            &self.regenerate,
        )?;
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

    /// One view's model, kept typed for the block helpers, and the context
    /// every template of the view renders from: its catalog-level fields and
    /// its id (and its entry lists, for a template that reads them).
    fn context(&self, u: usize) -> Result<Context, Error> {
        let unit = &self.units[u];
        let mut model = CatalogModel::new(unit.view);
        model.regenerate.clone_from(&self.regenerate);
        let json =
            blocks::context(&model, u, unit.lists).map_err(|error| TemplateError::ViewModel {
                catalog: model.name.to_string(),
                error,
            })?;
        self.models.put(u, Arc::new(model));
        Ok(Context::from(json))
    }

    fn render_job<S: files::Sink>(
        &self,
        job: &Job,
        ctx: &Context,
        memo: Option<engine::MemoUse<'_>>,
        sink: &S,
    ) -> Result<(), Error> {
        let t = &self.targets[job.template];
        let mut out = sink.open(&job.path)?;
        let program = self.programs[job.template]
            .as_ref()
            .filter(|_| self.compiled);
        let rendered = match program {
            Some(program) => {
                let env = engine::Env {
                    rows: &self.rows,
                    options: self.options.get(&t.name),
                    models: &self.models,
                    memo,
                };
                engine::render(program, &env, ctx.data(), &mut out)
            }
            None => self.hb.render_with_context_to_write(&t.name, ctx, &mut out),
        };
        rendered.map_err(|e| -> Error {
            if let RenderErrorReason::IOError(io) = e.reason() {
                let io = std::io::Error::new(io.kind(), io.to_string());
                return crate::IoError::os("write", &job.path, io).into();
            }
            TemplateError::Render {
                template: t.name.clone(),
                path: job.path.clone(),
                error: Box::new(e),
            }
            .into()
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
        return Err(TemplateError::FileAndDirectory {
            template: targets[t].name.clone(),
            path: path.clone(),
            other: targets[u].name.clone(),
            other_path: other.to_path_buf(),
        }
        .into());
    }
    paths.insert(path.clone(), t);
    Ok(path)
}

fn collision(t: &Target, path: &Path) -> Error {
    TemplateError::Collision {
        template: t.name.clone(),
        path: path.to_path_buf(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_thread_count_renders_the_same_files_from_one_model_per_view() {
        let registry = crate::shipped_registry();
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

    #[test]
    fn no_built_in_template_reads_the_entry_lists_from_its_context() {
        // They iterate with the block helpers: no view's context copies its entries.
        for t in targets::load(None).unwrap_or_else(|e| panic!("{e}")) {
            assert!(!blocks::reads_entry_lists(&t.source), "{}", t.name);
        }
    }

    #[test]
    fn a_template_reading_the_lists_renders_as_one_using_the_block_helpers() {
        let registry = crate::shipped_registry();
        let mut targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        let lists = "{{#each groups}}{{title}}:{{#each entries}}{{@index}}{{name}} {{retry.kind}},{{/each}}{{/each}}|{{#each param_entries}}{{name}}{{#if @last}}.{{/if}}{{/each}}|{{len entries}}";
        let blocks = "{{#each_group}}{{title}}:{{#group_entries}}{{@index}}{{name}} {{retry.kind}},{{/group_entries}}{{/each_group}}|{{#each_param_entry}}{{name}}{{#if @last}}.{{/if}}{{/each_param_entry}}|{{entry_count}}";
        for (name, source) in [("lists.hbs", lists), ("blocks.hbs", blocks)] {
            targets.push(canonical_template(
                name,
                &format!("{{catalog}}.{name}.txt"),
                source.to_owned(),
            ));
        }
        let plan =
            Plan::new(&registry, &targets, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
        for threads in [1, 3] {
            let memory = files::Memory::default();
            plan.run_on(&memory, threads)
                .unwrap_or_else(|e| panic!("{e}"));
            let files = memory.files.into_inner().unwrap_or_else(|e| e.into_inner());
            for c in &registry.catalogs {
                let read = |n: &str| {
                    files
                        .get(Path::new(&format!("{}.{n}.txt", c.name.value)))
                        .cloned()
                };
                let text = read("lists.hbs").unwrap_or_default();
                assert!(text.contains(&format!("|{}", c.entries.len())), "{text}");
                assert_eq!(read("blocks.hbs"), Some(text));
            }
        }
    }

    #[test]
    fn the_block_helpers_iterate_each_catalog_of_a_registry_template() {
        let registry = crate::shipped_registry();
        let mut targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        let mut t = canonical_template(
            "all.hbs",
            "all.txt",
            "{{#each catalogs}}{{name}}={{#each_entry}}{{#if @first}}{{name}}{{/if}}{{#if @last}}/{{@index}}{{/if}}{{else}}none{{/each_entry}};{{/each}}".to_owned(),
        );
        t.view = ViewSpec::Registry;
        targets.push(t);
        let plan =
            Plan::new(&registry, &targets, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
        let memory = files::Memory::default();
        plan.run_on(&memory, 2).unwrap_or_else(|e| panic!("{e}"));
        let files = memory.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let expected: String = registry
            .catalogs
            .iter()
            .map(|c| match (c.entries.first(), c.entries.len()) {
                (Some(first), n) => format!("{}={}/{};", c.name.value, first.name.value, n - 1),
                (None, _) => format!("{}=none;", c.name.value),
            })
            .collect();
        assert_eq!(files.get(Path::new("all.txt")), Some(&expected));
    }

    #[test]
    fn a_block_helper_outside_a_catalog_says_where_it_goes() {
        let registry = crate::shipped_registry();
        let mut targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        let mut t = canonical_template(
            "top.hbs",
            "top.txt",
            "{{#each_entry}}{{name}}{{/each_entry}}".to_owned(),
        );
        t.view = ViewSpec::Registry;
        targets.push(t);
        let plan =
            Plan::new(&registry, &targets, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
        let Err(e) = plan.run_on(&files::Memory::default(), 1) else {
            panic!("each_entry rendered outside a catalog");
        };
        let e = e.to_string();
        assert!(
            e.contains("each_entry") && e.contains("each catalogs"),
            "{e}"
        );
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
            at: name.to_owned(),
            built_in: false,
            target: None,
            options: Vec::new(),
            when: None,
        }
    }

    #[test]
    fn only_the_selected_targets_built_in_templates_are_parsed() {
        let registry = crate::shipped_registry();
        let mut targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        let unclosed = "{{#if has_aliases}}";
        for t in targets.iter_mut().filter(|t| t.name == "dart.hbs") {
            t.source.push_str(unclosed);
        }
        let kotlin = Settings {
            only: Some(vec![("kotlin".to_owned(), None)]),
            ..Settings::default()
        };
        if let Err(e) = Plan::new(&registry, &targets, &kotlin) {
            panic!("an unselected built-in template was parsed: {e}");
        }
        let Err(e) = Plan::new(&registry, &targets, &Settings::default()) else {
            panic!("the broken dart.hbs was accepted when selected");
        };
        assert!(e.to_string().contains("dart.hbs"), "{e}");
        // A `--templates` template is checked whether its target is selected or not.
        targets.push(canonical_template(
            "mine.hbs",
            "mine.txt",
            unclosed.to_owned(),
        ));
        let Err(e) = Plan::new(&registry, &targets, &kotlin) else {
            panic!("the broken mine.hbs was accepted");
        };
        assert!(e.to_string().contains("mine.hbs"), "{e}");
    }

    #[test]
    fn an_output_where_another_needs_a_directory_is_refused_before_rendering() {
        let registry = crate::shipped_registry();
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
        let registry = crate::shipped_registry();
        let mut targets = targets::load(None).unwrap_or_else(|e| panic!("{e}"));
        // Two failing outputs of the canonical view, after the built-in ones:
        // the first fails late (after a slow pass over the entries), the second
        // at once, so on several threads the second fails first in time. (An
        // option the header does not declare fails the render; a missing
        // field would fail the plan, before any render.)
        let slow = "{{#each entries}}{{#each ../entries}}{{name}}{{/each}}{{/each}}";
        for (name, source) in [
            (
                "first.hbs",
                format!("{slow}{{{{option \"no_such_field\"}}}}"),
            ),
            ("second.hbs", "{{option \"nor_this_one\"}}".to_owned()),
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
