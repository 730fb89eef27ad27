//! The generator's pipeline on synthetic registries of 100 to 100,000 entries.
//!
//! ```sh
//! cargo bench -p errspec-bench --bench pipeline
//! ERRSPEC_BENCH_SIZES=100,1000 cargo bench -p errspec-bench --bench pipeline   # fewer sizes
//! ```
//!
//! Groups (one benchmark per size in each; throughput is bytes of YAML):
//! - `parse_ignored`: granit-parser reads the YAML, events discarded (the parser alone);
//! - `parse_tree`: errspec's reader into a spanned tree of owned values, errspec's
//!   first step rebuilt from outside (the floor of the render budget);
//! - `load`: `errspec::load_str`, parse + model + every validation rule;
//! - `render`: `codegen::render` of every built-in target (Rust, TypeScript,
//!   Dart, Markdown) in memory, from a loaded registry;
//! - `render_templates`: the same without the Rust target (`codegen::render_templates`):
//!   the text targets alone, apart from the Rust target's cost;
//! - `load_render`: both, text in, every output in memory out (the whole job
//!   but the disk);
//! - `codegen_write`: `codegen::Generator::write` from the registry file into
//!   an empty temporary folder (reads, loads, renders, writes every file).
//!
//! codegen renders on one thread per core; `ERRSPEC_CODEGEN_THREADS=1` measures it on one.
//!
//! One render of 100,000 entries takes about half a minute, and criterion
//! takes at least 10 samples, so `render`, `load_render` and `codegen_write`
//! skip 100,000 entries unless `ERRSPEC_BENCH_HEAVY=1` (some 15 more
//! minutes); the default run takes about 4 minutes. `benches/breakdown.rs`
//! shows where render time and memory go.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{
    BatchSize, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main, measurement::WallTime,
};

/// A synthetic registry, as text and as a file (for the generator).
struct Input {
    entries: usize,
    text: String,
    path: PathBuf,
}

fn sizes() -> Vec<usize> {
    match std::env::var("ERRSPEC_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .replace('_', "")
                    .parse()
                    .expect("ERRSPEC_BENCH_SIZES: a comma-separated list of entry counts")
            })
            .collect(),
        Err(_) => errspec_bench::SIZES.to_vec(),
    }
}

fn inputs(dir: &Path) -> Vec<Input> {
    sizes()
        .into_iter()
        .map(|entries| {
            let text = errspec_bench::registry(entries);
            let folder = dir.join(entries.to_string());
            std::fs::create_dir_all(&folder).expect("temporary folder");
            let path = folder.join("synthetic.yaml");
            std::fs::write(&path, &text).expect("registry file");
            Input {
                entries,
                text,
                path,
            }
        })
        .collect()
}

/// Fewer, flat samples for the big registries, so that a full run takes minutes.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, entries: usize) {
    if entries >= 100_000 {
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(5));
    } else if entries >= 10_000 {
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));
    } else {
        group.sampling_mode(SamplingMode::Auto);
        group.sample_size(30);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(3));
    }
}

fn load(text: &str) -> errspec::Registry {
    errspec::load_str("synthetic.yaml", text)
        .unwrap_or_else(|d| panic!("invalid synthetic registry:\n{}", d.render(false)))
}

/// Whether the render-family benches run at this size (see the module docs).
fn renders_at(entries: usize) -> bool {
    entries < 100_000 || std::env::var_os("ERRSPEC_BENCH_HEAVY").is_some_and(|v| v == "1")
}

fn each_size(
    c: &mut Criterion,
    inputs: &[Input],
    name: &str,
    mut bench: impl FnMut(&mut BenchmarkGroup<'_, WallTime>, &Input),
) {
    let renders = ["render", "render_templates", "load_render", "codegen_write"].contains(&name);
    let mut group = c.benchmark_group(name);
    for input in inputs.iter().filter(|i| !renders || renders_at(i.entries)) {
        configure(&mut group, input.entries);
        group.throughput(Throughput::Bytes(input.text.len() as u64));
        bench(&mut group, input);
    }
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let inputs = inputs(dir.path());
    let targets = codegen::targets::load(None).expect("built-in templates");

    each_size(c, &inputs, "parse_ignored", |g, input| {
        g.bench_with_input(
            BenchmarkId::from_parameter(input.entries),
            &input.text,
            |b, text| {
                b.iter(|| errspec_bench::floor::ignored(black_box(text)).expect("valid YAML"));
            },
        );
    });
    each_size(c, &inputs, "parse_tree", |g, input| {
        g.bench_with_input(
            BenchmarkId::from_parameter(input.entries),
            &input.text,
            |b, text| {
                b.iter(|| errspec_bench::floor::tree(black_box(text)).expect("valid YAML"));
            },
        );
    });
    each_size(c, &inputs, "load", |g, input| {
        g.bench_with_input(
            BenchmarkId::from_parameter(input.entries),
            &input.text,
            |b, text| {
                b.iter(|| load(black_box(text)));
            },
        );
    });
    each_size(c, &inputs, "render", |g, input| {
        let registry = load(&input.text);
        g.bench_with_input(
            BenchmarkId::from_parameter(input.entries),
            &registry,
            |b, registry| {
                b.iter(|| codegen::render(black_box(registry), &targets).expect("renders"));
            },
        );
    });
    each_size(c, &inputs, "render_templates", |g, input| {
        let registry = load(&input.text);
        g.bench_with_input(
            BenchmarkId::from_parameter(input.entries),
            &registry,
            |b, registry| {
                b.iter(|| {
                    codegen::render_templates(black_box(registry), &targets, &Default::default())
                        .expect("renders")
                });
            },
        );
    });
    each_size(c, &inputs, "load_render", |g, input| {
        g.bench_with_input(
            BenchmarkId::from_parameter(input.entries),
            &input.text,
            |b, text| {
                b.iter(|| codegen::render(&load(black_box(text)), &targets).expect("renders"));
            },
        );
    });
    each_size(c, &inputs, "codegen_write", |g, input| {
        let base = input.path.parent().expect("registry folder");
        // One write first, so that files next to the registry (such as a lock
        // file) are in their steady state; every measured write starts from an
        // empty out folder.
        let warm = tempfile::tempdir_in(base).expect("temporary folder");
        codegen::Generator::new(&input.path, warm.path())
            .write()
            .expect("writes");
        g.bench_with_input(
            BenchmarkId::from_parameter(input.entries),
            &input.path,
            |b, path| {
                b.iter_batched(
                    || tempfile::tempdir_in(base).expect("temporary folder"),
                    |out| {
                        codegen::Generator::new(path, out.path())
                            .write()
                            .expect("writes");
                        out
                    },
                    BatchSize::PerIteration,
                );
            },
        );
    });
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
