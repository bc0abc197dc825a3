// Usage: node throughput.mjs DEFINITION.asl.json SECONDS
// Runs the definition on {} in aws-local-stepfunctions, one execution after another, for
// SECONDS, and prints {"executions": n, "seconds": s, "per_second": r} (benches/vs_aws_local.rs
// calls it and compares with the native runs).

import { readFileSync } from "node:fs";
import "./interpreter.mjs"; // the Promise.withResolvers polyfill node 20 needs
const { StateMachine } = await import("aws-local-stepfunctions");

const [file, seconds = "3"] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(file, "utf8"));
const budget = Number(seconds) * 1000;
// The definition is read and validated once, as the native side's is.
const machine = new StateMachine(definition);
const run = async () => {
  try {
    return { status: "succeeded", output: await machine.run({}).result };
  } catch (error) {
    return { status: "failed", error: String(error) };
  }
};
for (let i = 0; i < 20; i++) await run(); // warm up
const start = performance.now();
let executions = 0;
while (performance.now() - start < budget) {
  const ending = await run();
  if (ending.status !== "succeeded") throw new Error(JSON.stringify(ending));
  executions++;
}
const elapsed = (performance.now() - start) / 1000;
console.log(JSON.stringify({ executions, seconds: elapsed, per_second: executions / elapsed }));
