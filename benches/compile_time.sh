#!/usr/bin/env bash
# Benchmark 6: build time of programs declaring workflows of 10, 50 and 200 Task states,
# against an empty program, and against the same programs with the macro already expanded
# (the code `workflow!` generates, pasted in): the difference is the macro's own share of a
# real rustc build. Debug builds, non-incremental, dependencies built once beforehand; each
# figure is the median of 3 builds after `touch src/main.rs`.
#
#   bash benches/compile_time.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/target/compile-time"
mkdir -p "$work"

# The expand benchmark's binary writes the programs (`--program N`, `--expanded N`).
gen=$(cargo build --quiet --manifest-path "$root/Cargo.toml" -p workflow-macros --bench expand \
  --profile dev --message-format=json \
  | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
export CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$work/target"

make_crate() { # name, main.rs contents
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
sfn-workflow = { path = "$root" }

[workspace]
TOML
  printf '%s' "$2" > "$work/$1/src/main.rs"
}

median_build() { # crate name
  (cd "$work/$1" && cargo build --quiet >/dev/null 2>&1)   # warm: dependencies
  local times=()
  for _ in 1 2 3; do
    touch "$work/$1/src/main.rs"
    local start end
    start=$(date +%s%N)
    (cd "$work/$1" && cargo build --quiet)
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

make_crate empty 'fn main() {}'
empty=$(median_build empty)
echo "| program | build (ms) | over empty (ms) | macro's share (ms) |"
echo "|---|---|---|---|"
echo "| empty | $empty | 0 | |"
for n in 10 50 200; do
  make_crate "states$n" "$("$gen" --program "$n")"
  make_crate "expanded$n" "$("$gen" --expanded "$n")"
  with=$(median_build "states$n")
  without=$(median_build "expanded$n")
  echo "| $n states | $with | $(( with - empty )) | $(( with - without )) |"
done
