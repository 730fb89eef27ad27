#!/usr/bin/env bash
# What errspec's `catalog!` macro costs a consumer crate. See BENCHMARKS.md.
#
#   scripts/macro-cost.sh [ENTRIES]      # default 10000
#
# Runs on a fresh clone (needs cargo and crates.io; uses hyperfine when it is
# on PATH, else bash's clock). It builds, in a temporary folder:
#
#   macro/         a library crate whose src/lib.rs is one line,
#                  `errspec_macros::catalog!("errors.yaml");`, on a synthetic
#                  registry of ENTRIES errors (errspec-macros by path, this clone);
#   pasted/        the same library with that macro's expansion pasted in as
#                  source (written by `synth expand`, in rustfmt's layout),
#                  and no dependency;
#   empty/         an empty library crate;
#   empty-macros/  the empty crate plus errspec-macros and one `catalog!` call
#                  on a 10-entry registry.
#
# and measures:
#
#   1. `cargo check` of the consumer crate alone (dependencies already built):
#      `touch src/lib.rs && cargo check`, macro/ against pasted/. Proc-macros
#      build unoptimised in the dev profile unless the consumer says otherwise,
#      so macro/ runs twice: default, and with
#      CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL=3 (what a consumer gets with
#      `[profile.dev.build-override] opt-level = 3`).
#   2. `cargo build` from an empty target folder: empty/ against empty-macros/.
#
# Same target-folder strategy on every side: each crate has its own
# CARGO_TARGET_DIR under the temporary folder, incremental compilation is off
# (CARGO_INCREMENTAL=0), every crate starts from a copy of this workspace's
# Cargo.lock (so dependency versions are the workspace's), and dependencies are
# fetched before anything is timed.
#
# Environment: NO_HYPERFINE=1 (time with bash even if hyperfine is there),
# RUNS (check runs per side, default 10), CLEAN_RUNS (clean
# builds per side, default 3), WORK (use this folder instead of a temporary
# one; it is kept), KEEP=1 (keep the temporary folder).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
entries=${1:-10000}
runs=${RUNS:-10}
clean_runs=${CLEAN_RUNS:-3}
if [[ -n ${WORK:-} ]]; then
    work=$WORK
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/errspec-macro-cost.XXXXXX")
    [[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT
fi
export CARGO_INCREMENTAL=0

echo "== inputs: ${entries}-entry registry and its pasted expansion, in $work"
synth() { cargo run --quiet --release --manifest-path "$root/Cargo.toml" -p errspec-bench --bin synth -- "$@"; }
synth registry "$entries" "$work/errors.yaml"
synth registry 10 "$work/small.yaml"
synth expand "$work/errors.yaml" "$work/expansion.rs"

# crate NAME DEPENDENCIES-TOML LIB-RS
crate() {
    local dir=$work/$1
    mkdir -p "$dir/src"
    printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n[dependencies]\n%s\n\n[workspace]\n' \
        "consumer-$1" "$2" > "$dir/Cargo.toml"
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    printf '%s\n' "$3" > "$dir/src/lib.rs"
}
macros_dep="errspec-macros = { path = \"$root/macros\" }"
crate macro "$macros_dep" 'errspec_macros::catalog!("errors.yaml");'
cp "$work/errors.yaml" "$work/macro/errors.yaml"
crate pasted "" "$(cat "$work/expansion.rs")"
crate empty "" '//! An empty crate.'
crate empty-macros "$macros_dep" 'errspec_macros::catalog!("errors.yaml");'
cp "$work/small.yaml" "$work/empty-macros/errors.yaml"
for c in macro pasted empty empty-macros; do
    cargo fetch --quiet --manifest-path "$work/$c/Cargo.toml"
done

echo "   registry $(wc -c < "$work/errors.yaml") bytes, expansion $(wc -c < "$work/expansion.rs") bytes ($(wc -l < "$work/expansion.rs") lines)"
echo "   $(nproc) cores, $(rustc --version)"

# measure NAME PREPARE COMMAND RUNS: prints mean, min and max seconds of COMMAND, PREPARE run before each.
measure() {
    local name=$1 prepare=$2 command=$3 n=$4
    if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine > /dev/null; then
        hyperfine --style none --runs "$n" --prepare "$prepare" --command-name "$name" \
            --export-json "$work/$name.json" "$command" > /dev/null
        python3 - "$work/$name.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]:<20} mean {r['mean']:7.2f} s ± {r['stddev'] or 0:.2f}   min {r['min']:7.2f}   max {r['max']:7.2f}   ({len(r['times'])} runs, hyperfine)")
PY
    else
        local times=() t
        for ((i = 0; i < n; i++)); do
            bash -c "$prepare"
            t=$( { TIMEFORMAT=%R; time bash -c "$command" > /dev/null; } 2>&1 )
            times+=("$t")
        done
        printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" \
            '{t[NR]=$1; s+=$1} END {printf "%-20s mean %7.2f s   min %7.2f   max %7.2f   (%d runs, bash time)\n", name, s/NR, t[1], t[NR], NR}'
    fi
}

# in CRATE ENV...: a command that runs cargo in CRATE's folder with its own target folder.
target_of() { echo "CARGO_TARGET_DIR='$work/target-$1'"; }
pasted_check="cd '$work/pasted' && $(target_of pasted) cargo check --quiet"
macro_check="cd '$work/macro' && $(target_of macro) cargo check --quiet"
macro_opt_check="cd '$work/macro' && $(target_of macro-opt) CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL=3 cargo check --quiet"

echo
echo "== 1. cargo check of the consumer crate (dependencies built; touch src/lib.rs, then check)"
# Warm every side once: dependencies, and the proc-macro at each opt level.
for c in "$pasted_check" "$macro_check" "$macro_opt_check"; do bash -c "$c"; done
measure check-pasted "touch '$work/pasted/src/lib.rs'" "$pasted_check" "$runs"
measure check-macro "touch '$work/macro/src/lib.rs'" "$macro_check" "$runs"
measure check-macro-opt3 "touch '$work/macro/src/lib.rs'" "$macro_opt_check" "$runs"

echo
echo "== 2. clean cargo build: an empty crate, with and without errspec-macros"
measure build-empty "rm -rf '$work/target-empty'" \
    "cd '$work/empty' && $(target_of empty) cargo build --quiet" "$clean_runs"
measure build-empty-macros "rm -rf '$work/target-empty-macros'" \
    "cd '$work/empty-macros' && $(target_of empty-macros) cargo build --quiet" "$clean_runs"
