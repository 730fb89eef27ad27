#!/usr/bin/env bash
# The cold build of a consumer of `catalog!` against one of thiserror. See BENCHMARKS.md.
#
#   scripts/cold-build.sh [RUNS]      # default 2
#
# Writes three crates under a temporary folder, each its own `[workspace]` with a
# fresh target folder per run:
#
#   a/  depends on errspec-macros (by path, this clone); src/lib.rs is
#       `errspec_macros::catalog!("<clone>/spec/registry/sdk.yaml");`
#   g/  the same as a/, with `[profile.dev.package."*"] incremental = false`:
#       cargo compiles path dependencies incrementally, but a git or registry
#       dependency (how another repository gets errspec-macros) without, and
#       this is the one setting in which they differ
#   b/  depends on `thiserror = "2"`; src/lib.rs derives `thiserror::Error` once.
#
# and times `cargo build --timings` of each (wall clock, b, a, g, RUNS rounds),
# printing the load average before each build. The `--timings` reports are kept
# in the temporary folder (printed at the end): they show the critical path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-2}"
work="$(mktemp -d)"
mkdir -p "$work/a/src" "$work/b/src" "$work/g/src"
cat > "$work/a/Cargo.toml" <<TOML
[package]
name = "a"
version = "0.1.0"
edition = "2024"

[dependencies]
errspec-macros = { path = "$root/macros" }

[workspace]
TOML
echo "errspec_macros::catalog!(\"$root/spec/registry/sdk.yaml\");" > "$work/a/src/lib.rs"
sed 's/^name = "a"/name = "g"/' "$work/a/Cargo.toml" > "$work/g/Cargo.toml"
cat >> "$work/g/Cargo.toml" <<'TOML'

[profile.dev.package."*"]
incremental = false
TOML
cp "$work/a/src/lib.rs" "$work/g/src/lib.rs"
cat > "$work/b/Cargo.toml" <<'TOML'
[package]
name = "b"
version = "0.1.0"
edition = "2024"

[dependencies]
thiserror = "2"

[workspace]
TOML
cat > "$work/b/src/lib.rs" <<'RS'
#[derive(Debug, thiserror::Error)]
pub enum E {
    #[error("invalid api key")]
    InvalidApiKey,
}
RS
for crate in a b g; do (cd "$work/$crate" && cargo generate-lockfile -q); done
for round in $(seq "$runs"); do
    declare -A took=()
    for crate in b a g; do
        cd "$work/$crate"
        rm -rf target
        load="$(cut -d' ' -f1 /proc/loadavg)"
        start="$(date +%s.%N)"
        cargo build --timings -q 2>/dev/null
        end="$(date +%s.%N)"
        took[$crate]="$(echo "$end - $start" | bc)"
        mkdir -p "$work/timings/$crate-$round"
        cp target/cargo-timings/cargo-timing.html "$work/timings/$crate-$round/"
        printf 'round %s  %s  %.2f s  (load before: %s)\n' "$round" "$crate" "${took[$crate]}" "$load"
    done
    printf 'round %s  a/b %.2f  g/b %.2f\n' "$round" \
        "$(echo "${took[a]} / ${took[b]}" | bc -l)" "$(echo "${took[g]} / ${took[b]}" | bc -l)"
done
echo "timings: $work/timings"
