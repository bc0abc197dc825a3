// Runs the exported ASL of tests/quorum_export.rs's workflow in aws-local-stepfunctions and
// requires every scenario to end as the native run ended, with the same report.
//
// The files come from `cargo test --test quorum_export` (target/tmp/quorum-conformance/).
// Processes and DynamoDB are local stand-ins; everything else (Parallel, Map, Choice, Wait,
// Fail, paths, intrinsic functions, retries, catchers) is the interpreter's own.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { FakeDynamoDB } from "./fake-dynamodb.mjs";
import { run } from "./interpreter.mjs";



const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, "..", "..", "target", "tmp", "quorum-conformance");
const read = (file) => {
  try {
    return JSON.parse(readFileSync(join(dir, file), "utf8"));
  } catch (error) {
    throw new Error(`${join(dir, file)} is missing: run \`cargo test --test quorum_export\` first (${error.message})`);
  }
};
const definition = read("definition.asl.json");
const scenarios = read("scenarios.json");
const native = read("native.json");

/** Every Task state of the definition, at any depth, with its resource. */
function tasks(machine, out = {}) {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (state.Type === "Task") out[name] = state.Resource;
    for (const branch of state.Branches ?? []) tasks(branch, out);
    if (state.ItemProcessor ?? state.Iterator) tasks(state.ItemProcessor ?? state.Iterator, out);
  }
  return out;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stand-in for tests/quorum_export.rs's `planned` process. */
async function planned({ process, plan }) {
  const { ms, fail } = plan[process];
  await sleep(ms);
  if (fail) {
    const error = new Error(`${process} failed`);
    error.name = "ProcessFailed";
    throw error;
  }
  return { process, ms };
}

function handlers(db) {
  const out = {};
  for (const [name, resource] of Object.entries(tasks(definition))) {
    const action = resource.match(/^arn:aws:states:::dynamodb:(putItem|getItem|updateItem)$/)?.[1];
    out[name] = action ? async (input) => db[action](input) : planned;
  }
  return out;
}

/** Ends an execution the way tests/quorum_export.rs's `ending` does. */
function ending(result) {
  if (result.ok) return { status: "succeeded", output: result.output };
  let cause;
  try {
    cause = JSON.parse(result.cause);
  } catch {
    cause = result.cause;
  }
  return { status: "failed", error: result.error, cause };
}

for (const [name, input] of Object.entries(scenarios)) {
  test(`the exported quorum ends as the native run: ${name}`, async () => {
    const db = new FakeDynamoDB();
    const { status, output, error, cause } = await run(definition, input, { name, handlers: handlers(db) });
    const result = status === "succeeded" ? { ok: true, output } : { ok: false, error, cause };
    assert.deepEqual(ending(result), native[name]);
    // The record names every branch's fate and one outcome, whatever the ending.
    const [record] = [...(db.tables.get("quorum-records")?.values() ?? [])];
    if (native[name].error !== "Workflow.InvalidQuorum") {
      const statuses = Object.values(record.fates.M).map((fate) => fate.M.status.S);
      assert.ok(statuses.every((s) => s !== "running"), `no branch is left running: ${statuses}`);
      assert.ok(["quorum_met", "quorum_impossible", "timed_out"].includes(record.outcome.S));
    }
  });
}

test("the fake DynamoDB refuses a write once the outcome is decided", () => {
  const db = new FakeDynamoDB();
  db.putItem({ TableName: "t", Item: { id: { S: "r" }, succeeded: { N: "0" } } });
  const decide = (outcome) =>
    db.updateItem({
      TableName: "t",
      Key: { id: { S: "r" } },
      UpdateExpression: "SET outcome = :o",
      ConditionExpression: "attribute_not_exists(outcome)",
      ExpressionAttributeValues: { ":o": { S: outcome } },
    });
  decide("quorum_met");
  assert.throws(() => decide("timed_out"), { name: "DynamoDB.ConditionalCheckFailedException" });
  assert.equal(db.getItem({ TableName: "t", Key: { id: { S: "r" } } }).Item.outcome.S, "quorum_met");
});
