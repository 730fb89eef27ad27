#!/usr/bin/env bash
# The render budget in one command: full render of every target at ENTRIES
# (default 10000) against the parse floor, as criterion medians and ratios.
# See BENCHMARKS.md.
#
#   scripts/render-budget.sh [ENTRIES]
#
# Runs `cargo bench -p errspec-bench --bench pipeline` on parse_tree, load,
# render (every target) and render_templates (every target but Rust) with
# --warm-up-time 1 --measurement-time 3, then prints render / parse_tree.
# Environment: ERRSPEC_CODEGEN_THREADS=N renders on N threads (default one per core);
# BENCH (a pipeline bench executable to run instead of building one, e.g. an older build).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
entries=${1:-10000}
filter="^(parse_tree|load|render|render_templates)/${entries}\$"
log=$(mktemp "${TMPDIR:-/tmp}/errspec-render-budget.XXXXXX")
trap 'rm -f "$log"' EXIT
args=(--warm-up-time 1 --measurement-time 3 --output-format bencher "$filter")
if [[ -n ${BENCH:-} ]]; then
    ERRSPEC_BENCH_SIZES=$entries "$BENCH" --bench "${args[@]}" > "$log"
else
    ERRSPEC_BENCH_SIZES=$entries cargo bench --quiet --manifest-path "$root/Cargo.toml" \
        -p errspec-bench --bench pipeline -- "${args[@]}" > "$log"
fi
echo "$entries entries, $(nproc) cores, threads: ${ERRSPEC_CODEGEN_THREADS:-$(nproc)}, load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$log" <<'PY'
import re, sys
ns = {}
for line in open(sys.argv[1]):
    m = re.match(r"test (\w+)/\d+ \.\.\. bench:\s+([\d,]+) ns/iter", line)
    if m:
        ns[m.group(1)] = int(m.group(2).replace(",", ""))
floor = ns.get("parse_tree")
print("| step | ms | / parse_tree |")
print("|---|---:|---:|")
for name in ["parse_tree", "load", "render", "render_templates"]:
    if name in ns:
        ratio = f"{ns[name] / floor:.2f}" if floor else ""
        print(f"| {name} | {ns[name] / 1e6:.1f} | {ratio} |")
PY
