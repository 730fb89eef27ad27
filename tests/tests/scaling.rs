//! Valid but pathological registries render through every target in time
//! linear in their size: doubling the input at most about doubles the work.
//!
//! Each shape is rendered at N and 2N in one run, best of three each; the
//! ratio must stay under 3 (linear is 2, quadratic 4). No absolute time is
//! asserted: the machines are shared and noisy.

use std::path::Path;
use std::time::{Duration, Instant};

/// A one-entry registry whose trigger (or aliases) is `n` repetitions of a shape.
fn registry(shape: &str, n: usize) -> String {
    let head = "catalog:\n  name: shapes\n  title: Shapes\nerrors:\n  - code: 1\n    name: MANY\n    message: m\n";
    match shape {
        "aliases" => {
            let aliases: Vec<String> = (0..n)
                .map(|i| format!("OLD_{}", errspec_tests::arbitrary::letters(i)))
                .collect();
            format!(
                "{head}    trigger: t\n    retry: never\n    aliases: [{}]\n",
                aliases.join(", ")
            )
        }
        _ => {
            let unit = match shape {
                "tags" => "<b>x</b> ",
                "entities" => "&amp;&lt;&#60;&copy; ",
                "backticks" => "`` ` ``` ",
                "fences" => "\\n```\\nx\\n",
                "brackets" => "[x] [y](z) ![i](j) [[ ]] ",
                "html blocks" => "\\n<div>\\n",
                "long line" => "word and more words ",
                other => panic!("no shape {other}"),
            };
            format!(
                "{head}    trigger: \"{}\"\n    retry: never\n",
                unit.repeat(n)
            )
        }
    }
}

fn best_render(dir: &Path, text: &str) -> Duration {
    std::fs::create_dir_all(dir).expect("temp dir");
    let file = dir.join("shapes.yaml");
    std::fs::write(&file, text).expect("write registry");
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let files = codegen::Generator::new(&file, "unused")
                .render()
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(files.len() > 5);
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn doubling_a_pathological_input_at_most_about_doubles_the_render() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scaling");
    for (shape, n) in [
        ("tags", 4000),
        ("entities", 2000),
        ("backticks", 3000),
        ("fences", 1500),
        ("brackets", 2000),
        ("html blocks", 1500),
        ("long line", 5000),
        ("aliases", 1500),
    ] {
        let dir = root.join(shape.replace(' ', "-"));
        let one = best_render(&dir.join("n"), &registry(shape, n));
        let two = best_render(&dir.join("2n"), &registry(shape, 2 * n));
        let ratio = two.as_secs_f64() / one.as_secs_f64().max(1e-9);
        eprintln!("{shape}: {n} → {one:?}, {} → {two:?}: {ratio:.2}x", 2 * n);
        assert!(
            ratio < 3.0,
            "{shape}: doubling the input multiplied the render time by {ratio:.2} ({one:?} → {two:?}); linear is 2"
        );
    }
}

/// Loading (and refusing) an invalid registry is linear too: found by the
/// mutation campaign, a 254 KB name with a bad character at its end took 26 s
/// to refuse (the naming rule re-checked every prefix of the name).
#[test]
fn doubling_an_invalid_input_at_most_about_doubles_the_load() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scaling-invalid");
    std::fs::create_dir_all(&root).expect("temp dir");
    let load = |n: usize| {
        let text = format!(
            "catalog:\n  name: shapes\n  title: Shapes\n  keyed_by: name\n  naming: UpperCamelCase\nerrors:\n  - name: Disk{}-\n    message: m\n    trigger: t\n    retry: never\n",
            "x".repeat(n)
        );
        let file = root.join(format!("shapes-{n}.yaml"));
        std::fs::write(&file, text).expect("write registry");
        (0..3)
            .map(|_| {
                let start = Instant::now();
                let refused = errspec::load(&file).expect_err("a name outside the naming style");
                assert!(refused.render(false).contains("naming-style"));
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let (one, two) = (load(40_000), load(80_000));
    let ratio = two.as_secs_f64() / one.as_secs_f64().max(1e-9);
    assert!(
        ratio < 3.0,
        "doubling a long invalid name multiplied the load time by {ratio:.2} ({one:?} → {two:?}); linear is 2"
    );
}
