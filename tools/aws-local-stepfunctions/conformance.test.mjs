// The expectations checked in under tests/conformance/ must be what the interpreter says
// today for the definitions and cases the Rust tests wrote (run `cargo test` first).
// tools/aws-local-stepfunctions/regenerate.sh rewrites them. The suite under tests/conformance/suite/
// needs no Rust run first: its definitions are checked in.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { endings } from "./run.mjs";
import { endings as suiteEndings, groups } from "./suite.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

for (const suite of ["choice", "data_flow"]) {
  test(`tests/conformance/${suite}.expected.json is the interpreter's answer`, async () => {
    const expected = JSON.parse(readFileSync(join(root, "tests", "conformance", `${suite}.expected.json`), "utf8"));
    assert.deepEqual(await endings(suite), expected);
  });
}

for (const group of groups()) {
  test(`tests/conformance/suite/${group}.expected.json is the interpreter's answer`, async () => {
    const expected = JSON.parse(readFileSync(join(root, "tests", "conformance", "suite", `${group}.expected.json`), "utf8"));
    assert.deepEqual(await suiteEndings(group), expected);
  });
}
