#!/usr/bin/env bash
# Whole-process `codegen` in one command: its time at SMALL and LARGE entries
# (default 10000 and 100000), their ratio, and peak RSS against the registry
# file. See BENCHMARKS.md.
#
#   scripts/codegen-scaling.sh [SMALL [LARGE]]
#
# Needs GNU time at /usr/bin/time (`apt-get install time`). Builds the release
# `codegen` and `synth` binaries, writes both registries into a temporary
# folder, and runs `codegen --registry R --out O` into an empty folder (the
# full job: load, render, write) RUNS times each (default 3), reporting the
# fastest wall time and the largest peak RSS.
# Environment: CODEGEN (a codegen binary to run instead, e.g. an older build),
# RUNS, ERRSPEC_CODEGEN_THREADS (render on N threads; default one per core), WORK (use this folder, kept).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
small=${1:-10000}
large=${2:-100000}
runs=${RUNS:-3}
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
need_gnu_time
make_work_dir scaling
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p codegen -p errspec-bench --bin errspec --bin synth
target=$(cargo metadata --quiet --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
codegen=${CODEGEN:-$target/release/errspec}

# measure N: prints "wall_seconds rss_kb bytes" for the fastest of RUNS writes.
measure() {
    local n=$1 dir=$work/$1
    mkdir -p "$dir/registry"
    [[ -f $dir/registry/synthetic.yaml ]] || "$target/release/synth" registry "$n" "$dir/registry/synthetic.yaml"
    # A first write leaves the registry's lock in its steady state.
    "$codegen" --registry "$dir/registry/synthetic.yaml" --out "$dir/warm" 2> /dev/null
    local best="" rss=0
    for _ in $(seq "$runs"); do
        rm -rf "$dir/out"
        /usr/bin/time -f "%e %M" -o "$dir/time" "$codegen" --registry "$dir/registry/synthetic.yaml" --out "$dir/out" 2> /dev/null
        read -r wall kb < "$dir/time"
        if [[ -z $best ]] || python3 -c "import sys; sys.exit(not $wall < $best)"; then best=$wall; fi
        (( kb > rss )) && rss=$kb
    done
    echo "$best $rss $(wc -c < "$dir/registry/synthetic.yaml")"
}

echo "codegen: $codegen; $(nproc) cores; threads: ${ERRSPEC_CODEGEN_THREADS:-$(nproc)}; fastest of $runs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r ws rs bs <<< "$(measure "$small")"
read -r wl rl bl <<< "$(measure "$large")"
python3 - "$small" "$ws" "$rs" "$bs" "$large" "$wl" "$rl" "$bl" <<'PY'
import sys
s, ws, rs, bs, l, wl, rl, bl = sys.argv[1:]
print("| entries | YAML MB | wall s | peak RSS MiB | RSS / file |")
print("|---:|---:|---:|---:|---:|")
for n, w, r, b in [(s, ws, rs, bs), (l, wl, rl, bl)]:
    print(f"| {int(n):,} | {int(b) / 1e6:.1f} | {float(w):.2f} | {int(r) / 1024:.1f} | {int(r) * 1024 / int(b):.1f}x |")
print(f"\ntime {int(l):,} / {int(s):,}: {float(wl) / float(ws):.2f}x (budget 11x); load after: {open('/proc/loadavg').read().split()[:3]}")
PY
