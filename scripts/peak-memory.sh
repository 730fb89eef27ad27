#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `codegen` on a synthetic registry,
# against the registry file's size. See BENCHMARKS.md.
#
#   scripts/peak-memory.sh [ENTRIES]     # default 100000
#
# Needs GNU time at /usr/bin/time (`apt-get install time`). Builds the release
# `codegen` and `synth` binaries, writes the registry into a temporary folder,
# then runs under `/usr/bin/time -v`:
#   load     `synth load`: errspec::load alone (parse, model, every rule);
#   write    `codegen --registry R --out O` into an empty folder (the full job);
#   check    `codegen --registry R --out O --check` on the folder just written;
#   text     `synth write-templates R O2`: the write without the Rust target (the
#            template targets and the writer alone, apart from the Rust target's cost).
# Environment: WORK (use this folder, kept), KEEP=1 (keep the temporary folder),
# CODEGEN (a codegen binary to run instead, e.g. an older build).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
entries=${1:-100000}
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
need_gnu_time
make_work_dir peak-memory

cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p codegen -p errspec-bench --bin errspec --bin synth
target=$(cargo metadata --quiet --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target/release
codegen=${CODEGEN:-$bin/errspec}

mkdir -p "$work/registry"
registry=$work/registry/synthetic.yaml
"$bin/synth" registry "$entries" "$registry"
size=$(wc -c < "$registry")

# run NAME COMMAND...: the command under /usr/bin/time -v; prints peak RSS and wall time.
run() {
    local name=$1
    shift
    /usr/bin/time -v -o "$work/$name.time" "$@" 2> "$work/$name.stderr" > /dev/null || {
        cat "$work/$name.stderr" >&2
        exit 1
    }
    python3 - "$work/$name.time" "$name" "$size" <<'PY'
import sys
fields = dict(
    line.strip().rsplit(": ", 1) for line in open(sys.argv[1]) if ": " in line
)
rss_kb = int(fields["Maximum resident set size (kbytes)"])
wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
size = int(sys.argv[3])
print(f"| {sys.argv[2]:<5} | {rss_kb / 1024:9.1f} MiB | {rss_kb * 1024 / size:6.1f}x | {wall:>8} |")
PY
}

echo "registry: $entries entries, $size bytes ($(python3 -c "print(f'{$size / 2**20:.1f}')") MiB); $(nproc) cores"
echo
echo "| run   |  peak RSS     | / file | wall     |"
echo "|-------|--------------|--------|----------|"
run load "$bin/synth" load "$registry"
run write "$codegen" --registry "$registry" --out "$work/out"
run check "$codegen" --registry "$registry" --out "$work/out" --check
run text "$bin/synth" write-templates "$registry" "$work/text"
echo
echo "outputs: $(du -sb "$work/out" | cut -f1) bytes in $(find "$work/out" -type f | wc -l) files"
