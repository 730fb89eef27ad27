#!/usr/bin/env bash
# How the compile time of the Rust target grows with the catalog (issue 21). See
# BENCHMARKS.md, section 9.
#
#   scripts/rust-compile-scaling.sh [SIZES...]      # default 1000 5000 10000
#
# For each size N it writes the N-entry synthetic registry (`synth registry`) and
# three library crates, each with its own CARGO_TARGET_DIR, incremental compilation
# off, the dev profile (what `cargo build` does):
#
#   generated/  src/lib.rs is the emitted code (`synth expand`: what codegen writes to
#               generated/rust and what `catalog!` expands to); no dependency;
#   macro/      src/lib.rs is `errspec_macros::catalog!("errors.yaml");` (this clone's
#               errspec-macros by path, or MACROS);
#   hand/       the peer: the same catalog written by hand, one `match` per accessor
#               and a `const ALL` (`synth baseline`, bench/build/baseline.rs);
#
# then times `touch src/lib.rs && cargo build` and `... cargo check` of each crate alone
# (dependencies built first), RUNS times (default 3), and prints the fastest wall time
# and the smallest CPU time (user + system, from GNU time: steadier than wall time on a
# shared machine), and the growth from one size to the next (linear is the ratio of the
# sizes).
#
# Environment: EXPAND (a `synth` binary whose `expand` writes generated/, e.g. an older
# build's, to measure the emitter before a change), MACROS (the errspec-macros folder of
# another checkout, likewise), RUNS, WORK (use this folder, kept), SKIP (space-separated
# crates to leave out: generated, macro, hand).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 5000 10000)
runs=${RUNS:-3}
macros=${MACROS:-$root/macros}
skip=" ${SKIP:-} "
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
need_gnu_time
make_work_dir rust-scaling
export CARGO_INCREMENTAL=0

cargo build --quiet --manifest-path "$root/Cargo.toml" -p errspec-bench --bin synth
target=$(cargo metadata --quiet --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
synth=$target/debug/synth
expand=${EXPAND:-$synth}

# crate KIND N DEPENDENCIES-TOML: an empty library crate at $work/KIND-N.
crate() {
    local dir=$work/$1-$2
    mkdir -p "$dir/src"
    printf '[package]\nname = "consumer-%s-%s"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n[dependencies]\n%s\n\n[workspace]\n' \
        "$1" "$2" "$3" > "$dir/Cargo.toml"
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
}

# measure DIR KIND CMD: "wall cpu" of the fastest of RUNS `touch src/lib.rs && cargo CMD`.
measure() {
    local dir=$1 kind=$2 cmd=$3 best_wall="" best_cpu=""
    local env=(CARGO_TARGET_DIR="$work/target-$kind")
    (cd "$dir" && env "${env[@]}" cargo "$cmd" --quiet)    # dependencies, once
    for _ in $(seq "$runs"); do
        touch "$dir/src/lib.rs"
        (cd "$dir" && env "${env[@]}" /usr/bin/time -f "%e %U %S" -o "$work/time" cargo "$cmd" --quiet)
        read -r wall user sys < "$work/time"
        cpu=$(python3 -c "print(f'{$user + $sys:.2f}')")
        if [[ -z $best_wall ]] || python3 -c "import sys; sys.exit(not $wall < $best_wall)"; then best_wall=$wall; fi
        if [[ -z $best_cpu ]] || python3 -c "import sys; sys.exit(not $cpu < $best_cpu)"; then best_cpu=$cpu; fi
    done
    echo "$best_wall $best_cpu"
}

echo "expand: $expand; macros: $macros; $(nproc) cores; $(rustc --version); fastest of $runs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
results=$work/results.txt
: > "$results"
for n in "${sizes[@]}"; do
    mkdir -p "$work/in"
    [[ -f $work/in/$n.yaml ]] || "$synth" registry "$n" "$work/in/$n.yaml"
    for kind in generated macro hand; do
        [[ $skip == *" $kind "* ]] && continue
        dir=$work/$kind-$n
        case $kind in
            generated)
                crate generated "$n" ""
                "$expand" expand "$work/in/$n.yaml" "$dir/src/lib.rs"
                ;;
            macro)
                crate macro "$n" "errspec-macros = { path = \"$macros\" }"
                cp "$work/in/$n.yaml" "$dir/errors.yaml"
                echo 'errspec_macros::catalog!("errors.yaml");' > "$dir/src/lib.rs"
                ;;
            hand)
                crate hand "$n" ""
                "$synth" baseline "$work/in/$n.yaml" "$dir/src/lib.rs"
                ;;
        esac
        for cmd in build check; do
            read -r wall cpu <<< "$(measure "$dir" "$kind" "$cmd")"
            echo "$n $kind $cmd $wall $cpu" | tee -a "$results"
        done
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
data = {(int(n), k, c): (float(w), float(u)) for n, k, c, w, u in rows}
sizes = sorted({k[0] for k in data})
print()
print("| crate | command | " + " | ".join(f"{n:,} entries: wall / CPU s" for n in sizes) + " | " +
      " | ".join(f"CPU {b:,} / {a:,}" for a, b in zip(sizes, sizes[1:])) + " |")
print("|---|---|" + "---:|" * (2 * len(sizes) - 1))
for kind in ["generated", "macro", "hand"]:
    for cmd in ["build", "check"]:
        if not all((n, kind, cmd) in data for n in sizes):
            continue
        cells = [f"{data[n, kind, cmd][0]:.2f} / {data[n, kind, cmd][1]:.2f}" for n in sizes]
        ratios = [f"{data[b, kind, cmd][1] / max(data[a, kind, cmd][1], 1e-9):.2f}x" for a, b in zip(sizes, sizes[1:])]
        print(f"| {kind} | {cmd} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
for cmd in ["build", "check"]:
    pairs = [(n, data[n, "generated", cmd][1] / max(data[n, "hand", cmd][1], 1e-9))
             for n in sizes if (n, "generated", cmd) in data and (n, "hand", cmd) in data]
    if pairs:
        print(f"\ngenerated / hand-written, {cmd} CPU: " + ", ".join(f"{n:,}: {r:.2f}x" for n, r in pairs))
PY
