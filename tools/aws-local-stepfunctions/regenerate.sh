#!/usr/bin/env bash
# Rewrites tests/conformance/*.expected.json and tests/conformance/suite/*.expected.json from
# aws-local-stepfunctions' answers.
# The Rust tests write the definitions and cases first (they fail while the expectations are
# stale, which is why their result is ignored here); review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
for suite in choice data_flow; do
  (cd ../.. && cargo test --quiet --test "$suite" >/dev/null 2>&1) || true
  node run.mjs "$suite" > "../../tests/conformance/$suite.expected.json"
  echo "wrote tests/conformance/$suite.expected.json"
done
node suite.mjs --write
