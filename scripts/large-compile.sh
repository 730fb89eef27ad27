#!/usr/bin/env bash
# Compile time of each template target's output at N entries (default 5000 and 10000), with
# the real tools the tests use: tsc (tests/typescript, the strict flags of
# tests/tests/typescript.rs), kotlinc (tests/kotlin, on the JVM), `go build` (the catalog's
# package alone: the standard library is built once first), and the tree-sitter Dart and
# Swift grammars and pulldown-cmark (parse time: no compiler for them here). See BENCHMARKS.md,
# section 10.
#
#   scripts/large-compile.sh [N...]
#
# Registries: `errspec_tests::large::entries(N)` (tests/src/large.rs). Each tool runs once per
# size on one file; tsc and kotlinc are given as WALL/CPU seconds (GNU time, user + system; RUNS=k:
# the run of least CPU of k), the parsers as seconds of parsing alone (debug build).
# Needs node, npm ci in tests/typescript and tests/kotlin, a JDK and Go (`go` on PATH or
# /usr/local/go/bin/go). WORK=DIR keeps the files.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(5000 10000)
runs=${RUNS:-1}
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
need_gnu_time
make_work_dir large
cargo build --quiet --manifest-path "$root/Cargo.toml" -p codegen --bin errspec
cargo build --quiet --manifest-path "$root/Cargo.toml" -p errspec-tests --example large
target=$(cargo metadata --quiet --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
large=$target/debug/examples/large
tsc=$root/tests/typescript/node_modules/typescript/bin/tsc
kotlinc=$root/tests/kotlin/node_modules/kotlin-compiler/bin/kotlinc
for tool in "$tsc" "$kotlinc"; do
    [[ -x $tool || -f $tool ]] || { echo "error: $tool is missing: run npm ci in its tests/ folder" >&2; exit 1; }
done
go=$(command -v go || echo /usr/local/go/bin/go)
[[ -x $go ]] || { echo "error: no go: install Debian's golang-go" >&2; exit 1; }
# Offline, in a cache of our own, the standard library built once before any timing.
export GOENV=off GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0
export GOCACHE=$work/gocache GOPATH=$work/gopath
"$go" build std
# Each timed `go build` first changes a comment of the helpers' file, so that the catalog's
# package is compiled again (the cache would skip it) and nothing else is.
go_build='echo "// $RANDOM$RANDOM" >>"$1/errspec.go" && cd "$1" && "$2" build ./...'

# best CMD...: runs CMD RUNS times under GNU time; prints "WALL/CPU" seconds of the run with
# the least CPU time (user + system, the steadier number on a shared machine).
best() {
    local best="" wall="" cpu
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >"$work/out.log" 2>&1 ||
            { cat "$work/out.log" >&2; echo "error: $* failed" >&2; exit 1; }
        read -r w u s <"$work/time"
        cpu=$(python3 -c "print(f'{$u + $s:.1f}')")
        if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $cpu < $best else 1)"; then
            best=$cpu wall=$w
        fi
    done
    printf '%s/%s' "$wall" "$best"
}

printf '%-8s %12s %12s %12s %8s %8s %8s\n' entries tsc kotlinc go dart swift markdown
for n in "${sizes[@]}"; do
    dir=$work/$n
    mkdir -p "$dir"
    "$large" entries "$n" >"$dir/large.yaml"
    "$target/debug/errspec" --registry "$dir/large.yaml" --out "$dir/gen" >/dev/null 2>&1
    ts=$dir/gen/typescript
    echo '{"type":"module"}' >"$ts/package.json"
    t_ts=$(best node "$tsc" --strict --erasableSyntaxOnly --isolatedModules --noUncheckedIndexedAccess \
        --exactOptionalPropertyTypes --module nodenext --target es2022 --pretty false \
        --rootDir "$ts" --outDir "$dir/ts-out" "$ts/large.ts")
    t_kt=$(best "$kotlinc" -nowarn -d "$dir/kt-out" "$dir/gen/kotlin/errspec/generated/large.kt")
    printf 'module largecompile\n\ngo 1.18\n' >"$dir/gen/go/go.mod"
    t_go=$(best bash -c "$go_build" _ "$dir/gen/go" "$go")
    parse() { "$large" parse "$1" | awk '{print $2}'; }
    printf '%-8s %12s %12s %12s %8s %8s %8s\n' "$n" "$t_ts" "$t_kt" "$t_go" \
        "$(parse "$dir/gen/dart/lib/large.dart")" "$(parse "$dir/gen/swift/Sources/large.swift")" \
        "$(parse "$dir/gen/markdown/large.md")"
done
