// Answers every case of tests/conformance/jsonata/cases.json with the reference JSONata
// implementation (the npm package `jsonata`), as {"ok": value} or {"error": code}.
//
//   node reference.mjs --write   rewrites tests/conformance/jsonata/expected.json
//   node reference.mjs --check   fails unless expected.json holds exactly its answers
//
// tests/jsonata.rs requires this crate's evaluator to give the same answers.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import jsonata from "jsonata";

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, "..", "..", "tests", "conformance", "jsonata");
const cases = JSON.parse(readFileSync(join(dir, "cases.json"), "utf8"));

const answers = [];
for (const c of cases) {
  try {
    const value = await jsonata(c.expr).evaluate(c.input, c.bindings ?? {});
    // JSON has no `undefined`: an expression that selects nothing answers null.
    answers.push({ ok: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (error) {
    answers.push({ error: error.code ?? String(error.message) });
  }
}
const text = JSON.stringify(answers, null, 1) + "\n";
const file = join(dir, "expected.json");
if (process.argv.includes("--write")) {
  writeFileSync(file, text);
  console.log(`wrote ${answers.length} answers to ${file}`);
} else {
  const committed = readFileSync(file, "utf8");
  if (committed !== text) {
    console.error(`${file} is not what jsonata answers: run \`node reference.mjs --write\` and read the diff`);
    process.exit(1);
  }
  console.log(`the reference jsonata gives the ${answers.length} committed answers`);
}
