// Usage: node run.mjs SUITE
// Runs the cases that `cargo test --test SUITE` wrote to target/tmp/conformance/SUITE/ and
// prints their endings (error names only: a cause is each runner's own text) as JSON.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { run } from "./interpreter.mjs";

export async function endings(suite) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "target", "tmp", "conformance", suite);
  const read = (file) => JSON.parse(readFileSync(join(dir, file), "utf8"));
  const definitions = read("definitions.json");
  const out = {};
  for (const { name, workflow, input } of read("cases.json")) {
    const { cause, ...ending } = await run(definitions[workflow], input, { name });
    out[name] = ending;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const suite = process.argv[2];
  if (!suite) {
    console.error("usage: node run.mjs SUITE");
    process.exit(2);
  }
  console.log(JSON.stringify(await endings(suite), null, 2));
}
