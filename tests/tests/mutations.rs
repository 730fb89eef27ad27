//! The loader never panics, hangs or points outside the file, whatever the bytes.
//!
//! A stable-Rust mutation loop: every registry the repository holds (the shipped
//! catalogs, the valid and invalid corpus, the hostile fixtures) is mutated
//! (byte flips, truncation, duplicated, deleted and swapped lines, deep nesting,
//! huge scalars, invalid UTF-8, anchors and aliases) and loaded. For each input:
//! no panic, a bounded time (a hang detector, far above any real load), and every
//! label of every diagnostic inside the file it names, on a char boundary; and,
//! for a sample of the refused inputs, `codegen` writes nothing.
//!
//! `cargo test` runs a small fixed budget; `ERRSPEC_MUTATIONS=1000000` runs a
//! campaign (see FUZZING.md). `ERRSPEC_MUTATION_SEED` picks another sequence.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A hang, not a slow machine: a seed file loads in milliseconds.
const HANG: Duration = Duration::from_secs(20);

/// A small deterministic generator (xorshift64*), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let root = errspec_tests::root();
    let mut files = Vec::new();
    for dir in [
        root.join("spec/registry"),
        root.join("spec/tests/fixtures"),
        root.join("tests/fixtures"),
    ] {
        collect(&dir, &mut files);
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// Bytes that steer a YAML reader into its corners.
const INTERESTING: &[&[u8]] = &[
    b":",
    b"-",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"&a ",
    b"*a",
    b"!",
    b"!!str ",
    b"!x ",
    b"\"",
    b"'",
    b"\\",
    b"\n",
    b"\r",
    b"\r\n",
    b"\t",
    b"#",
    b"|",
    b">",
    b"?",
    b"%YAML 1.2\n",
    b"---\n",
    b"...\n",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\xC3",
    b"\xE2\x80\xAE",
    b"\0",
    b"~",
    b"null",
    b"true",
    b"0x",
    b"1e999",
    b"-1",
    b"4294967296",
    b".inf",
    b"<<: *a\n",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let at = rng.below(out.len() + 1);
        match rng.below(12) {
            0 => {
                if !out.is_empty() {
                    let i = rng.below(out.len());
                    out[i] = rng.next() as u8;
                }
            }
            1 => out.truncate(at),
            2 | 3 => {
                let piece = rng.pick(INTERESTING);
                out.splice(at..at, piece.iter().copied());
            }
            4 => {
                let lines = line_ranges(&out);
                if !lines.is_empty() {
                    let (s, e) = *rng.pick(&lines);
                    let line = out[s..e].to_vec();
                    out.splice(s..s, line);
                }
            }
            5 => {
                let lines = line_ranges(&out);
                if !lines.is_empty() {
                    let (s, e) = *rng.pick(&lines);
                    out.drain(s..e);
                }
            }
            6 => {
                let lines = line_ranges(&out);
                if lines.len() > 1 {
                    let (a, b) = (*rng.pick(&lines), *rng.pick(&lines));
                    let (first, second) = if a.0 <= b.0 { (a, b) } else { (b, a) };
                    if first.1 <= second.0 {
                        let x = out[first.0..first.1].to_vec();
                        let y = out[second.0..second.1].to_vec();
                        out.splice(second.0..second.1, x);
                        out.splice(first.0..first.1, y);
                    }
                }
            }
            7 => {
                // Deep nesting, flow or block.
                let depth = 1 + rng.below(200);
                let nest: Vec<u8> = if rng.below(2) == 0 {
                    [b"[".repeat(depth), b"]".repeat(depth)].concat()
                } else {
                    (0..depth)
                        .flat_map(|d| [b" ".repeat(d), b"k:\n".to_vec()].concat())
                        .collect()
                };
                out.splice(at..at, nest);
            }
            8 => {
                // A huge scalar.
                let n = 1 + rng.below(200_000);
                out.splice(at..at, std::iter::repeat_n(b'x', n));
            }
            9 => {
                // An anchor on a value and aliases of it elsewhere: bombs and cycles.
                let name = format!("a{}", rng.below(4));
                out.splice(at..at, format!("&{name} ").into_bytes());
                let uses = 1 + rng.below(20);
                for _ in 0..uses {
                    let at = rng.below(out.len() + 1);
                    out.splice(at..at, format!("*{name} ").into_bytes());
                }
            }
            10 => {
                // Indentation shifted on one line.
                let lines = line_ranges(&out);
                if !lines.is_empty() {
                    let (s, _) = *rng.pick(&lines);
                    let pad = if rng.below(2) == 0 { &b" "[..] } else { b"\t" };
                    out.splice(s..s, pad.iter().copied());
                }
            }
            _ => {
                // A copy of another part of the file: keys and values out of place.
                if !out.is_empty() {
                    let s = rng.below(out.len());
                    let e = (s + rng.below(200)).min(out.len());
                    let piece = out[s..e].to_vec();
                    let at = rng.below(out.len() + 1);
                    out.splice(at..at, piece);
                }
            }
        }
    }
    out
}

fn line_ranges(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// Loads `bytes` as a one-file registry and checks what the loader promises.
fn check(file: &Path, bytes: &[u8], origin: &str, write_sample: bool) -> bool {
    std::fs::write(file, bytes).expect("write the mutated input");
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| errspec::load(file)));
    let took = started.elapsed();
    let replay = || {
        let keep = file.with_extension("failing.yaml");
        let _ = std::fs::write(&keep, bytes);
        format!("{origin}; input kept at {}", keep.display())
    };
    let loaded = match result {
        Ok(r) => r,
        Err(_) => panic!("the loader panicked on {}", replay()),
    };
    assert!(took < HANG, "the loader took {took:?} on {}", replay());
    let Err(diagnostics) = loaded else {
        return true;
    };
    assert!(
        !diagnostics.list.is_empty(),
        "an error without diagnostics: {}",
        replay()
    );
    for d in &diagnostics.list {
        for label in &d.labels {
            let source = diagnostics.sources.file(label.span.file);
            let text = source.text();
            assert!(
                label.span.start <= label.span.end
                    && label.span.end <= text.len()
                    && text.is_char_boundary(label.span.start)
                    && text.is_char_boundary(label.span.end),
                "[{}] label {:?} outside its file of {} bytes: {}",
                d.rule.id(),
                label.span,
                text.len(),
                replay()
            );
        }
    }
    if write_sample {
        // An invalid registry writes nothing: not a file, not a directory.
        let out = file.with_extension("out");
        let _ = std::fs::remove_dir_all(&out);
        let written = codegen::Generator::new(file, &out).write();
        assert!(
            written.is_err(),
            "codegen wrote an invalid registry: {}",
            replay()
        );
        assert!(
            !out.exists(),
            "codegen left {} behind: {}",
            out.display(),
            replay()
        );
    }
    // Rendering reads the lines the labels point at: it must not panic either.
    let rendered = catch_unwind(AssertUnwindSafe(|| diagnostics.render(false)));
    assert!(
        rendered.is_ok_and(|r| r.contains("error[")),
        "rendering the diagnostics failed on {}",
        replay()
    );
    false
}

#[test]
fn mutated_registries_never_panic_hang_or_point_outside_the_file() {
    let iterations: usize = std::env::var("ERRSPEC_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(800);
    let seed: u64 = std::env::var("ERRSPEC_MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00E2_2523_C0DE);
    let seeds = seeds();
    assert!(
        seeds.len() > 50,
        "found only {} seed registries",
        seeds.len()
    );
    let dir = std::env::temp_dir().join(format!("errspec-mutations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("input.yaml");
    let mut rng = Rng(seed | 1);
    let (mut valid, mut invalid) = (0usize, 0usize);
    let started = Instant::now();
    for i in 0..iterations {
        let (path, bytes) = &seeds[i % seeds.len()];
        let mutated = mutate(&mut rng, bytes);
        let origin = format!(
            "mutation {i} of {} (ERRSPEC_MUTATION_SEED={seed})",
            path.display()
        );
        if check(&file, &mutated, &origin, i % 25 == 0) {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "{iterations} mutated inputs from {} seeds in {:.1?}: {valid} loaded, {invalid} refused with diagnostics",
        seeds.len(),
        started.elapsed()
    );
    assert!(
        invalid > iterations / 4,
        "the mutations rarely break anything: {invalid} of {iterations}"
    );
}
