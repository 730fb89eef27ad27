//! The generated Rust of a 1,000-entry catalog beside a hand-written `match`.
//!
//! ```sh
//! cargo bench -p errspec-bench --bench generated
//! ```
//!
//! `build.rs` writes both into OUT_DIR: `Synthetic` is `errspec_rust::emit`'s
//! output (what `catalog!` expands to), `Baseline` the same catalog written
//! as a person would, one plain `match` per accessor. Each group runs the
//! same inputs through both (every input once per iteration, in a shuffled
//! order; throughput is lookups):
//! - `from_code`: every code, plus 10% codes of no entry;
//! - `from_name`: every name and alias, plus 10% names of no entry; two other
//!   lookup shapes run beside them as `alt_*` (not baselines);
//! - `message`: `message()` of every entry;
//! - `display`: `write!(buf, "{e}")` into one reused `String`.
//!
//! Before measuring, the bench checks that both answer every input alike.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

#[allow(dead_code, deprecated)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/synthetic.rs"));
}

#[allow(dead_code)]
mod baseline {
    include!(concat!(env!("OUT_DIR"), "/baseline.rs"));
}

use baseline::Baseline;
use generated::Synthetic;

/// A fixed shuffle (Fisher–Yates over a small LCG), so both sides see the same order.
fn shuffle<T>(items: &mut [T]) {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn codes() -> Vec<u32> {
    let mut codes: Vec<u32> = Synthetic::all().iter().map(|e| e.code()).collect();
    let misses = codes.len() / 10;
    // Codes in the gaps between entries and beyond the last range.
    let mut miss = 1;
    while codes.len() < Synthetic::all().len() + misses {
        if Synthetic::from_code(miss).is_none() {
            codes.push(miss);
        }
        miss += 97;
    }
    shuffle(&mut codes);
    codes
}

fn names() -> Vec<String> {
    let mut names: Vec<String> = Synthetic::all()
        .iter()
        .map(|e| e.name().to_owned())
        .collect();
    for e in Synthetic::all() {
        for alias in [format!("LEGACY_{}", e.name()), format!("OLD_{}", e.name())] {
            if Synthetic::from_name(&alias).is_some() {
                names.push(alias);
            }
        }
    }
    // Misses: a real name with one letter changed, so lengths match real names.
    let misses = Synthetic::all().len() / 10;
    names.extend(Synthetic::all().iter().step_by(10).take(misses).map(|e| {
        let mut miss = e.name().to_owned();
        miss.replace_range(..1, "Q");
        miss
    }));
    shuffle(&mut names);
    names
}

fn variants() -> (Vec<Synthetic>, Vec<Baseline>) {
    let mut generated = Synthetic::all().to_vec();
    shuffle(&mut generated);
    let baseline = generated
        .iter()
        .map(|e| Baseline::from_code(e.code()).expect("same codes"))
        .collect();
    (generated, baseline)
}

/// Both sides answer every input alike, or the comparison means nothing.
fn check_agreement(codes: &[u32], names: &[String]) {
    assert_eq!(Synthetic::all().len(), Baseline::ALL.len());
    for &code in codes {
        assert_eq!(
            Synthetic::from_code(code).map(Synthetic::code),
            Baseline::from_code(code).map(Baseline::code),
            "from_code({code})"
        );
    }
    for name in names {
        let expected = Synthetic::from_name(name).map(Synthetic::code);
        assert_eq!(
            expected,
            Baseline::from_name(name).map(Baseline::code),
            "{name}"
        );
        assert_eq!(
            expected,
            baseline::from_name_by_len(name).map(Baseline::code),
            "{name}"
        );
        assert_eq!(
            expected,
            baseline::from_name_sorted(name).map(Baseline::code),
            "{name}"
        );
    }
    for (&g, &b) in Synthetic::all().iter().zip(Baseline::ALL) {
        assert_eq!(g.code(), b.code());
        assert_eq!(g.name(), b.name());
        assert_eq!(g.message(), b.message());
        assert_eq!(g.to_string(), b.to_string());
    }
}

/// Looks every name up once per iteration (a direct, monomorphised call).
fn lookup(
    group: &mut BenchmarkGroup<'_, WallTime>,
    label: &str,
    names: &[String],
    find: impl Fn(&str) -> Option<u32>,
) {
    group.bench_function(label, |b| {
        b.iter(|| {
            let mut found = 0u32;
            for name in names {
                found += u32::from(find(black_box(name)).is_some());
            }
            found
        });
    });
}

fn generated_code(c: &mut Criterion) {
    let codes = codes();
    let names = names();
    let (generated, baseline) = variants();
    check_agreement(&codes, &names);
    let longest = Synthetic::all()
        .iter()
        .map(|e| e.message().len())
        .max()
        .unwrap_or(0);

    let mut group = c.benchmark_group("from_code");
    group.throughput(Throughput::Elements(codes.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| {
            let mut found = 0u32;
            for &code in &codes {
                found += u32::from(Synthetic::from_code(black_box(code)).is_some());
            }
            found
        });
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            let mut found = 0u32;
            for &code in &codes {
                found += u32::from(Baseline::from_code(black_box(code)).is_some());
            }
            found
        });
    });
    group.finish();

    let mut group = c.benchmark_group("from_name");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.measurement_time(Duration::from_secs(5));
    lookup(&mut group, "generated", &names, |n| {
        Synthetic::from_name(n).map(Synthetic::code)
    });
    lookup(&mut group, "baseline", &names, |n| {
        Baseline::from_name(n).map(Baseline::code)
    });
    lookup(&mut group, "alt_by_len", &names, |n| {
        baseline::from_name_by_len(n).map(Baseline::code)
    });
    lookup(&mut group, "alt_sorted", &names, |n| {
        baseline::from_name_sorted(n).map(Baseline::code)
    });
    group.finish();

    let mut group = c.benchmark_group("message");
    group.throughput(Throughput::Elements(generated.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| {
            let mut total = 0usize;
            for &e in &generated {
                total += black_box(e).message().len();
            }
            total
        });
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            let mut total = 0usize;
            for &e in &baseline {
                total += black_box(e).message().len();
            }
            total
        });
    });
    group.finish();

    let mut group = c.benchmark_group("display");
    group.throughput(Throughput::Elements(generated.len() as u64));
    let mut buf = String::with_capacity(longest);
    group.bench_function("generated", |b| {
        b.iter(|| {
            let mut total = 0usize;
            for &e in &generated {
                buf.clear();
                write!(buf, "{}", black_box(e)).expect("String never fails");
                total += buf.len();
            }
            total
        });
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            let mut total = 0usize;
            for &e in &baseline {
                buf.clear();
                write!(buf, "{}", black_box(e)).expect("String never fails");
                total += buf.len();
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, generated_code);
criterion_main!(benches);
