#!/usr/bin/env bash
# Every compile-fail case of tests/ui, built as a crate of its own: the number of errors rustc
# shows must be the number it counts ("could not compile ... due to N previous errors"). A
# diagnostic emitted twice at one span is shown once but counted twice; this catches that.
#
#   tools/error-counts/check.sh            # from the workspace root
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "error-counts"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
sfn-workflow = { path = "$root" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["rt", "time"] }

[workspace]
TOML
cp "$root/Cargo.lock" "$work/Cargo.lock"
export CARGO_TARGET_DIR="$root/target/error-counts"
failures=0
count=0
for case in "$root"/tests/ui/*/*.rs; do
  cp "$case" "$work/src/main.rs"
  out=$(cd "$work" && cargo build --quiet --offline 2>&1 || true)
  shown=$(grep -cE '^error(\[E[0-9]+\])?: ' <<<"$out" || true)
  # The summary line is an error line too.
  shown=$((shown - 1))
  counted=$(grep -oE 'due to [0-9]+ previous error' <<<"$out" | grep -oE '[0-9]+' || echo 0)
  count=$((count + 1))
  if [ "$shown" != "$counted" ]; then
    echo "${case#$root/}: $shown errors shown, $counted counted"
    failures=$((failures + 1))
  fi
done
echo "error counts: $count cases, $failures where the count and the errors shown differ"
[ "$failures" = 0 ]
