#!/usr/bin/env bash
# Every measurement behind BENCHMARKS.md, in order, with the machine's
# description and load; logs go to OUT (default target/bench-results/).
#
#   scripts/bench-all.sh            # about 25 minutes on 2 cores
#   HEAVY=1 scripts/bench-all.sh    # adds render/codegen at 100,000 entries to criterion (~15 min more)
#
# Run it on an otherwise idle machine: the load average is logged before and
# after each step so that a noisy run can be told apart.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/target/bench-results}
mkdir -p "$out"
cd "$root"

step() {
    local name=$1
    shift
    echo "== $name: $*  (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    "$@" > "$out/$name.txt" 2>&1 || { tail -30 "$out/$name.txt"; exit 1; }
    echo "   done (load: $(cut -d' ' -f1-3 /proc/loadavg)), log: $out/$name.txt"
}

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
    echo "cores (nproc): $(nproc)"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "rustc: $(rustc --version)"
    echo "cargo: $(cargo --version)"
    echo "kernel: $(uname -sr)"
} | tee "$out/machine.txt"

heavy=()
[[ ${HEAVY:-0} == 1 ]] && heavy=(env ERRSPEC_BENCH_HEAVY=1)
step build cargo bench -p errspec-bench --no-run
step pipeline "${heavy[@]}" cargo bench -p errspec-bench --bench pipeline
step generated cargo bench -p errspec-bench --bench generated
step breakdown env ERRSPEC_BENCH_SIZES=10000,100000 ERRSPEC_BENCH_RUNS=3 cargo bench -p errspec-bench --bench breakdown
step peak-memory scripts/peak-memory.sh 100000
step macro-cost scripts/macro-cost.sh 10000
step render-budget scripts/render-budget.sh 10000
step codegen-scaling scripts/codegen-scaling.sh 10000 100000
step cold-build scripts/cold-build.sh 2
echo "results in $out"
