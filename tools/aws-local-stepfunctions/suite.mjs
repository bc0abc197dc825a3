// Usage: node suite.mjs [--write]
// Runs every case of tests/conformance/suite/ in aws-local-stepfunctions: each group is
// GROUP.json (definitions and cases), GROUP.mock.json (mocked Task responses, in the Step
// Functions Local format) and GROUP.expected.json (the endings this prints or, with --write,
// writes). Waits and retry intervals are overridden to 0 ms: only endings are compared.

import { readFileSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { run } from "./interpreter.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "tests", "conformance", "suite");
const read = (file) => JSON.parse(readFileSync(join(root, file), "utf8"));

/** Every state of `machine`, with branches and item processors. */
function* states(machine) {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (typeof state !== "object") continue;
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* states(branch);
    for (const processor of [state.ItemProcessor, state.Iterator]) if (processor) yield* states(processor);
  }
}

/** The answer for `attempt` from a mocked response: its range, else the last one. */
function answer(response, attempt) {
  const ranges = Object.entries(response).map(([key, value]) => {
    const [from, to = from] = key.split("-").map(Number);
    return { from, to, value };
  });
  const hit = ranges.find((r) => r.from <= attempt && attempt <= r.to) ?? ranges.reduce((a, b) => (b.to > a.to ? b : a));
  return hit.value;
}

/** Task handlers for one execution of test case `testCase` of `machine`. */
function handlers(mocks, machine, testCase) {
  if (!testCase) return {};
  const mocked = mocks.StateMachines[machine].TestCases[testCase];
  const out = {};
  for (const [state, name] of Object.entries(mocked)) {
    let attempt = 0;
    out[state] = async () => {
      const value = answer(mocks.MockedResponses[name], attempt++);
      if ("Return" in value) return value.Return;
      const error = new Error(value.Throw.Cause ?? "");
      error.name = value.Throw.Error;
      throw error;
    };
  }
  return out;
}

export async function endings(group) {
  const { definitions, cases } = read(`${group}.json`);
  const mocks = existsSync(join(root, `${group}.mock.json`)) ? read(`${group}.mock.json`) : { StateMachines: {} };
  const out = {};
  for (const { name, definition, input, test_case: testCase } of cases) {
    const machine = definitions[definition];
    const all = [...states(machine)];
    const overrides = {
      waitTimeOverrides: Object.fromEntries(all.filter(([, s]) => s.Type === "Wait").map(([n]) => [n, 0])),
      retryIntervalOverrides: Object.fromEntries(all.filter(([, s]) => s.Retry).map(([n]) => [n, 0])),
    };
    const { cause, ...ending } = await run(machine, input, { name: definition, handlers: handlers(mocks, definition, testCase), overrides });
    out[name] = ending;
  }
  return out;
}

export const groups = () =>
  readdirSync(root)
    .filter((f) => f.endsWith(".json") && !/\.(mock|expected|deviations|moto|moto-deviations)\.json$/.test(f))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes("--write");
  for (const group of groups()) {
    const result = await endings(group);
    const text = JSON.stringify(result, null, 2) + "\n";
    if (write) {
      writeFileSync(join(root, `${group}.expected.json`), text);
      console.log(`wrote tests/conformance/suite/${group}.expected.json (${Object.keys(result).length} cases)`);
    } else {
      process.stdout.write(`// ${group}\n${text}`);
    }
  }
}
