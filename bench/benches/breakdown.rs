//! Where the time of a full render goes, step by step (not criterion: a table).
//!
//! ```sh
//! cargo bench -p errspec-bench --bench breakdown                     # 10,000 entries
//! ERRSPEC_BENCH_SIZES=100000 cargo bench -p errspec-bench --bench breakdown
//! ```
//!
//! Each step is run `ERRSPEC_BENCH_RUNS` times (default 5) and its fastest
//! run printed, with the time dropping its result took (apart: codegen pays
//! it too), with the most heap it had allocated at once beyond what was
//! live before it (peak) and what it still holds when it returns (kept), as
//! counted by a global allocator (a relaxed atomic add per allocation, a
//! small tax on the timings; the criterion benches have no such allocator).
//! The steps: the Rust target (`errspec_rust::emit`, which writes the
//! formatted text); for each template target, its view models
//! (`CatalogModel::new`), their contexts (`codegen::blocks::context`: the
//! catalog-level fields; the entries reach templates one at a time through
//! the block helpers) and codegen rendering that target alone on one thread;
//! then codegen itself, every template target (`templates:`) and every target
//! (`all:`), on every core (its default) and on one thread, in memory.

// A global allocator that counts bytes is unsafe by definition.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use codegen::targets::{Target, ViewSpec};
use codegen::view::CatalogModel;
use errspec::{Catalog, View};

/// Counts live heap bytes and their high-water mark, then lets `System` allocate.
struct Tracking;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters are atomics.
unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above; `ptr` came from this allocator, which is `System`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

/// One step's cost: fastest time, peak extra heap, heap its result keeps.
#[derive(Default)]
struct Cost {
    time: Duration,
    /// Dropping the step's result (codegen pays it; the step's time excludes it).
    drop: Duration,
    peak: usize,
    kept: usize,
}

impl std::ops::AddAssign for Cost {
    fn add_assign(&mut self, other: Cost) {
        self.time += other.time;
        self.drop += other.drop;
        self.peak = self.peak.max(other.peak);
        self.kept += other.kept;
    }
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Cost, T) {
    best_with(runs, || (), |()| f())
}

/// Like [`best`], with an input made by `setup` before each run (neither timed nor counted).
fn best_with<I, T>(
    runs: usize,
    mut setup: impl FnMut() -> I,
    mut f: impl FnMut(I) -> T,
) -> (Cost, T) {
    let mut fastest = Duration::MAX;
    let mut fastest_drop = Duration::MAX;
    let mut peak = 0;
    let mut kept = 0;
    let mut last = None;
    for _ in 0..runs.max(2) {
        if let Some(out) = last.take() {
            let start = Instant::now();
            drop(black_box(out));
            fastest_drop = fastest_drop.min(start.elapsed());
        }
        let input = setup();
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        let start = Instant::now();
        let out = black_box(f(input));
        fastest = fastest.min(start.elapsed());
        peak = peak.max(PEAK.load(Relaxed).saturating_sub(before));
        kept = LIVE.load(Relaxed).saturating_sub(before);
        last = Some(out);
    }
    let cost = Cost {
        time: fastest,
        drop: fastest_drop,
        peak,
        kept,
    };
    (cost, last.expect("at least one run"))
}

fn mb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

/// The views a target renders for one catalog (as `codegen::render` picks them).
fn views<'a>(target: &Target, c: &'a Catalog) -> Vec<View<'a>> {
    match &target.view {
        ViewSpec::Canonical => vec![c.canonical_view()],
        ViewSpec::Platform(id) => vec![c.view(id).unwrap_or_else(|| c.canonical_view())],
        ViewSpec::Platforms => {
            let mut v = vec![c.canonical_view()];
            if c.has_platform_differences() {
                v.extend(c.views());
            }
            v
        }
        ViewSpec::Registry => Vec::new(),
    }
}

fn breakdown(entries: usize, runs: usize) {
    let text = errspec_bench::registry(entries);
    println!(
        "\n## {entries} entries ({} MB of YAML), fastest of {runs} runs\n",
        mb(text.len())
    );
    println!("| step | ms | drop ms | peak heap MB | kept MB | output MB |");
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |step: &str, c: &Cost, output: Option<usize>| {
        println!(
            "| {step} | {:.1} | {:.1} | {} | {} | {} |",
            c.time.as_secs_f64() * 1000.0,
            c.drop.as_secs_f64() * 1000.0,
            mb(c.peak),
            mb(c.kept),
            output.map(mb).unwrap_or_default()
        );
    };

    let (c, ()) = best(runs, || {
        errspec_bench::floor::ignored(&text).expect("valid")
    });
    row("parse_ignored: granit-parser, events discarded", &c, None);
    let (c, _) = best(runs, || errspec_bench::floor::tree(&text).expect("valid"));
    row("parse_tree: errspec's reader into a spanned tree", &c, None);
    let (c, registry) = best(runs, || {
        errspec::load_str("synthetic.yaml", &text).expect("valid registry")
    });
    row("load: errspec::load_str (parse, model, rules)", &c, None);
    let catalog = &registry.catalogs[0];

    // The Rust target, as codegen's rust.rs does it: formatted text, written directly.
    let options = errspec_rust::Options::default();
    let (c, code) = best(runs, || {
        errspec_rust::emit(catalog, &options).expect("emits")
    });
    row(
        "rust: errspec_rust::emit (formatted text)",
        &c,
        Some(code.len()),
    );
    drop(code);

    // Template targets, one by one: the view model and its context per view
    // (as `codegen::render` builds them), then the target rendered alone by
    // codegen on one thread (its models, contexts and templates).
    let targets = codegen::targets::load(None).expect("built-in templates");
    // SAFETY: no other thread is running; codegen reads the variable when it renders.
    unsafe { std::env::set_var("ERRSPEC_CODEGEN_THREADS", "1") };
    let mut ids: Vec<&str> = targets.iter().map(|t| t.id()).collect();
    ids.dedup();
    for id in ids {
        let (mut model_c, mut json_c) = (Cost::default(), Cost::default());
        let mut n = 0;
        for t in targets.iter().filter(|t| t.id() == id) {
            let views = match t.view {
                ViewSpec::Registry => registry
                    .catalogs
                    .iter()
                    .map(|c| c.canonical_view())
                    .collect(),
                _ => views(t, catalog),
            };
            for view in views {
                let (c, model) = best(runs, || CatalogModel::new(view));
                model_c += c;
                let (c, _) = best(runs, || {
                    codegen::blocks::context(&model, 0, false).expect("serializes")
                });
                json_c += c;
                n += 1;
            }
        }
        let settings = codegen::Settings {
            only: Some(vec![(id.to_owned(), None)]),
            ..Default::default()
        };
        let (c, files) = best(runs, || {
            codegen::render_templates(&registry, &targets, &settings).expect("renders")
        });
        let bytes: usize = files.values().map(String::len).sum();
        drop(files);
        row(
            &format!("{id}: view model ×{n} (CatalogModel::new)"),
            &model_c,
            None,
        );
        row(
            &format!("{id}: its context ×{n} (blocks::context, no entries)"),
            &json_c,
            None,
        );
        row(
            &format!("{id}: codegen::render_templates of it alone (1 thread)"),
            &c,
            Some(bytes),
        );
    }
    // codegen itself: one model and context per distinct view (3 here), every
    // template of a view rendered from it; on every core, then on one (its default).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // SAFETY: no other thread is running; codegen reads the variable when it renders.
    unsafe { std::env::set_var("ERRSPEC_CODEGEN_THREADS", threads.to_string()) };
    let (c, files) = best(runs, || {
        codegen::render_templates(&registry, &targets, &Default::default()).expect("renders")
    });
    let templates: usize = files.values().map(String::len).sum();
    row(
        &format!("templates: codegen::render_templates, no Rust target ({threads} threads)"),
        &c,
        Some(templates),
    );
    drop(files);
    let (c, files) = best(runs, || {
        codegen::render(&registry, &targets).expect("renders")
    });
    let total: usize = files.values().map(String::len).sum();
    row(
        &format!("all: codegen::render, every target ({threads} threads)"),
        &c,
        Some(total),
    );
    drop(files);
    // SAFETY: as above.
    unsafe { std::env::set_var("ERRSPEC_CODEGEN_THREADS", "1") };
    let (c, files) = best(runs, || {
        codegen::render_templates(&registry, &targets, &Default::default()).expect("renders")
    });
    row(
        "templates: codegen::render_templates, no Rust target (1 thread)",
        &c,
        Some(templates),
    );
    drop(files);
    let (c, files) = best(runs, || {
        codegen::render(&registry, &targets).expect("renders")
    });
    row(
        "all: codegen::render, every target (1 thread)",
        &c,
        Some(total),
    );
    drop(files);
    // SAFETY: as above.
    unsafe { std::env::remove_var("ERRSPEC_CODEGEN_THREADS") };
    drop(registry);
    let (c, files) = best(runs, || {
        let registry = errspec::load_str("synthetic.yaml", &text).expect("valid registry");
        codegen::render(&registry, &targets).expect("renders")
    });
    row(
        "all: load_str + codegen::render (its default: every core)",
        &c,
        Some(total),
    );
    drop(files);
}

fn main() {
    let sizes: Vec<usize> = std::env::var("ERRSPEC_BENCH_SIZES")
        .map(|list| {
            list.split(',')
                .map(|s| s.trim().replace('_', "").parse().expect("entry counts"))
                .collect()
        })
        .unwrap_or_else(|_| vec![10_000]);
    let runs = std::env::var("ERRSPEC_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    for entries in sizes {
        breakdown(entries, runs);
    }
}
