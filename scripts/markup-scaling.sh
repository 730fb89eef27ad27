#!/usr/bin/env bash
# Render time of `codegen` on one trigger full of HTML tags, at N and 2N tags:
# sanitizing is linear when doubling the tags about doubles the time.
# See BENCHMARKS.md ("Pathological Markdown").
#
#   scripts/markup-scaling.sh [TAGS] [PROFILE]     # default 10000 tags, dev (debug) build
#
# Writes two one-entry registries into a temporary folder and times
# `codegen --registry R --out O` on each, in one run, with the same binary.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tags=${1:-10000}
profile=${2:-dev}
work=$(mktemp -d "${TMPDIR:-/tmp}/errspec-markup.XXXXXX")
trap 'rm -rf "$work"' EXIT

cargo build --quiet --profile "$profile" --manifest-path "$root/Cargo.toml" -p codegen --bin errspec
target=$(cargo metadata --quiet --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
dir=$([[ $profile == dev ]] && echo debug || echo "$profile")
bin=$target/$dir/errspec

for n in "$tags" $((tags * 2)); do
    mkdir -p "$work/$n"
    python3 - "$n" "$work/$n/markup.yaml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
trigger = " ".join(["<b>x</b>"] * (n // 2))
open(path, "w").write(
    "catalog:\n  name: markup\n  title: Markup\nerrors:\n"
    "  - code: 1\n    name: MANY_TAGS\n    message: m\n"
    f'    trigger: "{trigger}"\n    retry: never\n'
)
PY
done

declare -A secs
for n in "$tags" $((tags * 2)); do
    start=$(date +%s.%N)
    "$bin" --registry "$work/$n/markup.yaml" --out "$work/$n/out" > /dev/null 2>&1
    secs[$n]=$(python3 -c "print($(date +%s.%N) - $start)")
    printf '%6d tags (%d bytes): %.3f s\n' "$n" "$(wc -c < "$work/$n/markup.yaml")" "${secs[$n]}"
done
python3 -c "print(f'ratio 2N/N: {${secs[$((tags * 2))]} / ${secs[$tags]}:.2f} (linear: about 2)')"
