#!/usr/bin/env bash
# A Kotlin-only errspec run against protoc, the named peer: wall time and peak memory of
# `codegen` rendering only the Kotlin target of a synthetic registry, and of `protoc
# --java_out --kotlin_out` generating Java and Kotlin for a proto enum of the same names and
# codes. See BENCHMARKS.md ("A Kotlin-only run against protoc").
#
#   scripts/protoc-peer.sh [ENTRIES]     # default 10000
#
# Needs protoc (`apt-get install protobuf-compiler`) and GNU time at /usr/bin/time. Each
# command runs RUNS times (default 5); the table gives the median wall time and the median
# peak RSS, and their ratios, errspec over protoc. WORK=DIR keeps the files.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
entries=${1:-10000}
runs=${RUNS:-5}
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
need_gnu_time
command -v protoc >/dev/null 2>&1 || {
    echo "error: protoc is missing: apt-get install protobuf-compiler" >&2
    exit 1
}
make_work_dir protoc-peer

cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p codegen -p errspec-bench --bin errspec --bin synth
target=$(cargo metadata --quiet --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target/release
codegen=${CODEGEN:-$bin/errspec}

mkdir -p "$work/project/errors"
"$bin/synth" registry "$entries" "$work/project/errors/synthetic.yaml"
printf 'registry = "errors"\nout = "generated"\ntargets = ["kotlin"]\n' >"$work/project/errspec.toml"

# The same names and codes as a proto3 enum (its zero value added, as proto3 requires).
(cd "$work/project" && "$codegen" export --json) | python3 -c '
import json, sys
doc = json.load(sys.stdin)
out = ["syntax = \"proto3\";", "package synthetic;", "option java_multiple_files = true;"]
for catalog in doc["catalogs"]:
    enum = "".join(p.title() for p in catalog["name"].split("_"))
    prefix = catalog["name"].upper()
    out.append(f"enum {enum} {{")
    out.append(f"  {prefix}_UNSPECIFIED = 0;")
    for e in catalog["entries"]:
        name, code = e["name"], e["code"]
        out.append(f"  {name} = {code};")
    out.append("}")
print("\n".join(out))
' >"$work/synthetic.proto"

# median NAME DIR COMMAND...: runs COMMAND in DIR RUNS times under GNU time (a fresh output
# folder each time); prints "WALL_S RSS_KB", the medians.
median() {
    local name=$1 dir=$2
    shift 2
    : >"$work/$name.runs"
    for _ in $(seq "$runs"); do
        rm -rf "$work/project/generated" "$work/protoc-out"
        mkdir -p "$work/protoc-out"
        (cd "$dir" && /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.err") || {
            cat "$work/$name.err" >&2
            exit 1
        }
        cat "$work/$name.time" >>"$work/$name.runs"
    done
    python3 -c '
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
print(statistics.median(float(r[0]) for r in rows), statistics.median(int(r[1]) for r in rows))
' "$work/$name.runs"
}

read -r e_wall e_rss < <(median errspec "$work/project" "$codegen")
kotlin=$(find "$work/project/generated/kotlin" -name '*.kt' -exec cat {} + | wc -c)
read -r p_wall p_rss < <(median protoc "$work" protoc --java_out=protoc-out --kotlin_out=protoc-out synthetic.proto)
protoc_bytes=$(find "$work/protoc-out" -type f -exec cat {} + | wc -c)

echo "registry: $entries entries ($(wc -c <"$work/project/errors/synthetic.yaml") bytes); $(nproc) cores; median of $runs runs"
echo
python3 - "$e_wall" "$e_rss" "$p_wall" "$p_rss" <<'PY'
import sys
e_wall, e_rss, p_wall, p_rss = map(float, sys.argv[1:])
print("| run | wall | peak RSS |")
print("|---|---|---|")
print(f"| errspec, Kotlin only | {e_wall:.2f} s | {e_rss / 1024:.1f} MiB |")
print(f"| protoc --java_out --kotlin_out | {p_wall:.2f} s | {p_rss / 1024:.1f} MiB |")
print(f"| errspec / protoc | {e_wall / p_wall:.2f}x | {e_rss / p_rss:.2f}x |")
PY
echo
echo "(errspec's Kotlin output: $kotlin bytes; protoc's Java and Kotlin: $protoc_bytes bytes; proto: $(wc -c <"$work/synthetic.proto") bytes)"
