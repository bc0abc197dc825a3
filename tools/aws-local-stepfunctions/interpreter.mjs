// Runs ASL definitions in aws-local-stepfunctions 3.0.0, as the conformance suites need.

// aws-local-stepfunctions 3.0.0 calls Promise.withResolvers (node 22); node 20 lacks it.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const { StateMachine } = await import("aws-local-stepfunctions");

/**
 * Runs `definition` on `input` and returns its ending: `{status: "succeeded", output}` or
 * `{status: "failed", error, cause}`. AWS gives every execution an id; aws-local-stepfunctions
 * takes the context object from us, so one is made here.
 */
export async function run(definition, input, { name = "test", handlers = {}, overrides = {} } = {}) {
  const context = {
    Execution: { Id: `arn:aws:states:us-east-1:123456789012:execution:test:${name}`, Input: input, Name: name, StartTime: new Date().toISOString() },
  };
  const execution = new StateMachine(definition).run(input, { overrides: { ...overrides, taskResourceLocalHandlers: handlers }, context });
  try {
    return { status: "succeeded", output: await execution.result };
  } catch (error) {
    const cause = error.cause ?? error;
    return { status: "failed", error: cause.name, cause: cause.cause ?? cause.message };
  }
}
