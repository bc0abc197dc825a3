//! The ASL export: a definition as AWS Step Functions takes it.
//!
//! Everything in a definition is ASL except a Parallel state's `Quorum`, which ASL does not
//! have. [`export`] lowers each quorum Parallel to plain ASL states that keep a record of the
//! race in a DynamoDB table, the pattern of the "quorum with parallel" seed, without its three
//! flaws:
//!
//! - it ends as soon as the quorum has become impossible (each failure checks
//!   `failed + quorum > branches`) instead of waiting for the timer;
//! - the record names every branch's fate: after the decision, every branch still `running`
//!   is marked `cancelled`;
//! - the record never contradicts itself: every branch's write and the decision itself are
//!   conditional on `attribute_not_exists(outcome)`, so exactly one outcome is written and a
//!   write still in flight when the decision is made is refused.
//!
//! The lowered state is a one-branch Parallel (the "wrapper") with the quorum state's name,
//! `Retry`, `Catch` and `Next`/`End`, so retriers and catchers see the same errors as in a
//! local run: `Workflow.QuorumImpossible`, `States.Timeout` (re-raised with its predefined
//! meaning) and `Workflow.InvalidQuorum`, each with the report as JSON in its `Cause`; on
//! success its output is the same report as a local run's, placed by `ResultPath`.
//!
//! # The record
//!
//! One item per run of the state, in a table whose partition key is `id` (a string):
//!
//! | attribute | type | what |
//! |---|---|---|
//! | `id` | S | a UUID per run of the state |
//! | `execution_id` | S | the execution's ARN |
//! | `state` | S | the quorum state's name |
//! | `fates` | M | `b0`, `b1`, ...: per branch, `name` (S), `status` (S: `running`, `succeeded`, `failed`, `cancelled`), `output` and `error` (S, JSON text) |
//! | `succeeded`, `failed` | N | counts |
//! | `outcome` | S | `quorum_met`, `quorum_impossible` or `timed_out`, written once |
//! | `quorum_met`, `timed_out` | BOOL | written with `outcome` |

use serde_json::{json, Map, Value};

use std::collections::HashSet;

use crate::document::{Catcher, Quorum, State, StateMachine, StateType, States};
use crate::errors;
use crate::walk;

/// Error names the lowered states use among themselves; they never leave the wrapper.
const MET_SIGNAL: &str = "Workflow.QuorumMet";
const TIMED_OUT_SIGNAL: &str = "Workflow.QuorumTimedOut";
const IMPOSSIBLE: &str = "Workflow.QuorumImpossible";
const INVALID: &str = "Workflow.InvalidQuorum";
const CONDITION_FAILED: &str = "DynamoDB.ConditionalCheckFailedException";

/// Options of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The DynamoDB table that quorum records go to: a name, or a `${...}` substitution left
    /// for SAM's `DefinitionSubstitutions` or the CDK's `definitionSubstitutions`.
    pub quorum_table: String,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            quorum_table: "${QuorumTable}".to_owned(),
        }
    }
}

/// `definition` as plain ASL: every quorum Parallel lowered (see the module docs), every
/// other state as written.
#[must_use]
pub fn export(definition: &StateMachine, options: &ExportOptions) -> StateMachine {
    let mut out = definition.clone();
    // Sub-workflows first: a quorum inside a quorum's branch is lowered before its parent,
    // which then embeds it lowered.
    walk::for_each_machine_mut(&mut out, &mut |machine| {
        for (name, state) in machine.states.iter_mut() {
            // A quorum is not ASL: it never reaches the export as written.
            let Some(quorum) = state.quorum.take() else {
                continue;
            };
            if state.kind == StateType::Parallel {
                *state = Lowering::new(name, state, &quorum, options).wrapper();
            }
        }
        for (_, state) in machine.states.iter_mut() {
            distributed_when_tolerant(state);
        }
    });
    out
}

/// A Map that tolerates failed items runs as a Distributed Map: AWS documents
/// `ToleratedFailureCount`, `ToleratedFailurePercentage` and their `...Path` forms for the
/// Distributed Map only (the developer guide's "Map state in Distributed mode"; the CDK offers
/// them only there), so an inline Map with them may be refused. Its item processor gets
/// `"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}` (each item a
/// child execution of the standard type, as the parent is), unless it names a mode itself.
fn distributed_when_tolerant(state: &mut State) {
    let tolerant = state.tolerated_failure_count.is_some()
        || state.tolerated_failure_percentage.is_some()
        || state.tolerated_failure_count_path.is_some()
        || state.tolerated_failure_percentage_path.is_some();
    if state.kind != StateType::Map || !tolerant {
        return;
    }
    let ((Some(processor), _) | (None, Some(processor))) =
        (&mut state.item_processor, &mut state.iterator)
    else {
        return;
    };
    let config = processor
        .extra
        .entry("ProcessorConfig")
        .or_insert_with(|| serde_json::json!({}));
    if let Some(config) = config.as_object_mut() {
        if !config.contains_key("Mode") {
            config.insert("Mode".into(), "DISTRIBUTED".into());
            config.insert("ExecutionType".into(), "STANDARD".into());
        }
    }
}

/// The names of the states the export generates for the quorum Parallel `name` (not those
/// of the user's own branches, which keep their names).
pub(crate) fn generated_names(name: &str, state: &State) -> Vec<String> {
    let Some(quorum) = &state.quorum else {
        return Vec::new();
    };
    let own: HashSet<&str> = state
        .branches
        .iter()
        .flatten()
        .flat_map(walk::states)
        .map(|s| s.name)
        .collect();
    let options = ExportOptions::default();
    let wrapper = Lowering::new(name, state, quorum, &options).wrapper();
    wrapper
        .branches
        .iter()
        .flatten()
        .flat_map(walk::states)
        .map(|s| s.name)
        .filter(|n| !own.contains(n))
        .map(str::to_owned)
        .collect()
}

/// `base` extended by the steps of reference path `path` (`$.raw` + `$.a.b` = `$.raw.a.b`).
fn join(base: &str, path: &str) -> String {
    format!("{base}{}", path.strip_prefix('$').unwrap_or(path))
}

fn catcher(errors: &[&str], result_path: Option<&str>, next: String) -> Catcher {
    Catcher {
        error_equals: errors.iter().map(|e| (*e).to_owned()).collect(),
        next,
        result_path: Some(result_path.map(str::to_owned)),
        output: None,
        assign: None,
        extra: Map::new(),
    }
}

fn state(value: Value) -> State {
    serde_json::from_value(value).expect("the lowering writes well-formed states")
}

struct Lowering<'a> {
    name: &'a str,
    original: &'a State,
    quorum: &'a Quorum,
    table: &'a str,
    branch_names: Vec<String>,
}

impl<'a> Lowering<'a> {
    fn new(
        name: &'a str,
        original: &'a State,
        quorum: &'a Quorum,
        options: &'a ExportOptions,
    ) -> Self {
        let branch_names = original
            .branches
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, b)| b.start_at.clone().unwrap_or_else(|| format!("branch {i}")))
            .collect();
        Self {
            name,
            original,
            quorum,
            table: &options.quorum_table,
            branch_names,
        }
    }

    /// The name of a generated state.
    fn n(&self, step: &str) -> String {
        format!("{}: {step}", self.name)
    }

    fn key(&self) -> Value {
        json!({"id": {"S.$": "$.record_id"}})
    }

    fn count(&self) -> usize {
        self.branch_names.len()
    }

    /// The state that takes the quorum state's place.
    fn wrapper(&self) -> State {
        let o = self.original;
        let mut parameters = json!({
            "raw.$": "$",
            "execution_id.$": "$$.Execution.Id",
            "record_id.$": "States.UUID()",
            "branches": (0..self.count()).map(|i| format!("b{i}")).collect::<Vec<_>>(),
        });
        match (&self.quorum.count, &self.quorum.count_path) {
            (Some(count), _) => parameters["quorum"] = Value::Number(count.clone()),
            // Handed in whole, so that a missing quorum is checked (and reported) inside,
            // as a local run reports it, rather than failing these Parameters.
            (None, Some(path)) if path.starts_with("$$.Execution.Input") => {
                parameters["execution_input.$"] = json!("$$.Execution.Input");
            }
            (None, Some(path)) if path.starts_with("$$") => parameters["quorum.$"] = json!(path),
            _ => {}
        }
        let mut wrapper = State::new(StateType::Parallel);
        wrapper.comment = Some(o.comment.clone().unwrap_or_else(|| {
            format!(
                "A quorum Parallel of {} branches, lowered to ASL by the workflow crate: it records the race in DynamoDB and fails with Workflow.QuorumImpossible or States.Timeout when the quorum is not met",
                self.count()
            )
        }));
        wrapper.parameters = Some(parameters);
        wrapper.branches = Some(vec![self.inner()]);
        wrapper.output_path = Some(Some("$[0]".to_owned()));
        wrapper.retry.clone_from(&o.retry);
        wrapper.catch.clone_from(&o.catch);
        wrapper.next.clone_from(&o.next);
        wrapper.end = o.end;
        wrapper
    }

    /// The wrapper's only branch: input, quorum, record, race, close, report, result.
    fn inner(&self) -> StateMachine {
        let o = self.original;
        let mut states = States::new();
        let open = self.n("open record");
        let input_path = match &o.input_path {
            None => Some("$".to_owned()),
            Some(p) => p.clone(),
        };
        // Where a quorum read from a path is found inside this branch, if it is not in
        // `$.quorum` already.
        let source = match &self.quorum.count_path {
            Some(p) if p.starts_with("$$.Execution.Input") => Some(join(
                "$.execution_input",
                &format!("${}", &p["$$.Execution.Input".len()..]),
            )),
            Some(p) if !p.starts_with("$$") => {
                input_path.as_ref().map(|ip| join(&join("$.raw", ip), p))
            }
            _ => None,
        };
        let after_input = if source.is_some() {
            self.n("quorum valid?")
        } else {
            open.clone()
        };
        // The state's effective input, as its branches get it: InputPath, then Parameters.
        let mut input = json!({"Type": "Pass", "ResultPath": "$.input", "Next": after_input});
        match &input_path {
            Some(p) => input["InputPath"] = json!(join("$.raw", p)),
            None => input["Result"] = json!({}),
        }
        if let Some(parameters) = &o.parameters {
            input["Parameters"] = parameters.clone();
        }
        states.push(self.n("input"), state(input));
        if let (Some(v), Some(path)) = (&source, &self.quorum.count_path) {
            let n = self.count();
            states.push(
                self.n("quorum valid?"),
                state(json!({
                    "Type": "Choice",
                    "Choices": [
                        {"Not": {"Variable": v, "IsPresent": true}, "Next": self.n("quorum missing")},
                        {"And": [
                            {"Variable": v, "IsNumeric": true},
                            {"Variable": v, "NumericGreaterThanEquals": 1},
                            {"Variable": v, "NumericLessThanEquals": n},
                        ], "Next": self.n("quorum")},
                    ],
                    "Default": self.n("quorum invalid"),
                })),
            );
            states.push(
                self.n("quorum missing"),
                state(json!({"Type": "Fail", "Error": INVALID, "Cause": format!("the quorum path `{path}` matched nothing")})),
            );
            states.push(
                self.n("quorum invalid"),
                state(json!({
                    "Type": "Pass",
                    "Parameters": {"cause.$": format!("States.Format('the quorum must be a whole number from 1 to {n}, found {{}}', States.JsonToString({v}))")},
                    "ResultPath": "$.failure",
                    "Next": self.n("quorum invalid: fail"),
                })),
            );
            states.push(
                self.n("quorum invalid: fail"),
                state(json!({"Type": "Fail", "Error": INVALID, "CausePath": "$.failure.cause"})),
            );
            states.push(
                self.n("quorum"),
                state(
                    json!({"Type": "Pass", "InputPath": v, "ResultPath": "$.quorum", "Next": open}),
                ),
            );
        }
        let fates: Map<String, Value> = self
            .branch_names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let fate = json!({"M": {"name": {"S": name}, "status": {"S": "running"}, "output": {"S": "null"}, "error": {"S": "null"}}});
                (format!("b{i}"), fate)
            })
            .collect();
        states.push(
            open,
            state(json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {
                    "TableName": self.table,
                    "Item": {
                        "id": {"S.$": "$.record_id"},
                        "execution_id": {"S.$": "$.execution_id"},
                        "state": {"S": self.name},
                        "succeeded": {"N": "0"},
                        "failed": {"N": "0"},
                        "fates": {"M": fates},
                    },
                },
                "ResultPath": null,
                "Next": self.n("race"),
            })),
        );
        let mut race_branches: Vec<StateMachine> =
            (0..self.count()).map(|i| self.racer(i)).collect();
        if let Some(timer) = self.timer() {
            race_branches.push(timer);
        }
        let mut race = State::new(StateType::Parallel);
        race.branches = Some(race_branches);
        race.result_path = Some(None);
        race.catch = Some(vec![catcher(
            &[MET_SIGNAL, IMPOSSIBLE, TIMED_OUT_SIGNAL],
            None,
            self.n("close record"),
        )]);
        race.next = Some(self.n("close record"));
        states.push(self.n("race"), race);
        self.close_and_report(&mut states);
        StateMachine {
            start_at: Some(self.n("input")),
            states,
            ..StateMachine::default()
        }
    }

    /// An `updateItem` of the record that only happens while no outcome is written.
    fn conditional_update(&self, expression: &str, names: Value, values: Value) -> Value {
        json!({
            "TableName": self.table,
            "Key": self.key(),
            "UpdateExpression": expression,
            "ConditionExpression": "attribute_not_exists(outcome)",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        })
    }

    /// The update that writes the outcome, once.
    fn decide(&self, outcome: &str, next: &str, done: &str) -> State {
        let values = json!({
            ":outcome": {"S": outcome},
            ":met": {"BOOL": outcome == "quorum_met"},
            ":timed_out": {"BOOL": outcome == "timed_out"},
        });
        let mut parameters = self.conditional_update(
            "SET outcome = :outcome, quorum_met = :met, timed_out = :timed_out",
            json!({}),
            values,
        );
        if let Some(p) = parameters.as_object_mut() {
            p.remove("ExpressionAttributeNames");
        }
        state(json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:updateItem",
            "Parameters": parameters,
            "ResultPath": null,
            "Catch": [{"ErrorEquals": [CONDITION_FAILED], "ResultPath": null, "Next": done}],
            "Next": next,
        }))
    }

    /// Race branch `i`: the user's branch, then its fate recorded and the decision checked.
    fn racer(&self, i: usize) -> StateMachine {
        let branch = &self.original.branches.as_deref().unwrap_or_default()[i];
        let name = &self.branch_names[i];
        let s = |step: &str| self.n(&format!("{name}: {step}"));
        let b = format!("b{i}");
        let done = s("done");
        let mut states = States::new();
        let mut run = State::new(StateType::Parallel);
        run.input_path = Some(Some("$.input".to_owned()));
        run.branches = Some(vec![branch.clone()]);
        run.result_path = Some(Some("$.result".to_owned()));
        run.catch = Some(vec![catcher(
            &[errors::ALL],
            Some("$.error"),
            s("record failure"),
        )]);
        run.next = Some(s("record success"));
        states.push(s("run"), run);
        for (fate, counter, detail, detail_path, check) in [
            (
                "succeeded",
                "succeeded",
                "output",
                "$.result[0]",
                s("quorum met?"),
            ),
            ("failed", "failed", "error", "$.error", s("count failures")),
        ] {
            let step = if fate == "succeeded" {
                "record success"
            } else {
                "record failure"
            };
            let parameters = self.conditional_update(
                &format!("SET #fates.#b.#status = :status, #fates.#b.#detail = :detail ADD {counter} :one"),
                json!({"#fates": "fates", "#b": b, "#status": "status", "#detail": detail}),
                json!({":status": {"S": fate}, ":detail": {"S.$": format!("States.JsonToString({detail_path})")}, ":one": {"N": "1"}}),
            );
            let mut update = parameters;
            update["ReturnValues"] = json!("ALL_NEW");
            states.push(
                s(step),
                state(json!({
                    "Type": "Task",
                    "Resource": "arn:aws:states:::dynamodb:updateItem",
                    "Parameters": update,
                    "ResultSelector": {format!("{counter}.$"): format!("States.StringToJson($.Attributes.{counter}.N)")},
                    "ResultPath": "$.counts",
                    "Catch": [{"ErrorEquals": [CONDITION_FAILED], "ResultPath": null, "Next": done}],
                    "Next": check,
                })),
            );
        }
        states.push(
            s("quorum met?"),
            state(json!({
                "Type": "Choice",
                "Choices": [{"Variable": "$.counts.succeeded", "NumericGreaterThanEqualsPath": "$.quorum", "Next": s("decide met")}],
                "Default": done,
            })),
        );
        states.push(
            s("decide met"),
            self.decide("quorum_met", &s("signal met"), &done),
        );
        states.push(s("signal met"), state(json!({"Type": "Fail", "Error": MET_SIGNAL, "Cause": format!("{name} met the quorum")})));
        states.push(
            s("count failures"),
            state(json!({"Type": "Pass", "Parameters": {"failed_plus_quorum.$": "States.MathAdd($.counts.failed, $.quorum)"}, "ResultPath": "$.check", "Next": s("still possible?")})),
        );
        states.push(
            s("still possible?"),
            state(json!({
                "Type": "Choice",
                "Choices": [{"Variable": "$.check.failed_plus_quorum", "NumericGreaterThan": self.count(), "Next": s("decide impossible")}],
                "Default": done,
            })),
        );
        states.push(
            s("decide impossible"),
            self.decide("quorum_impossible", &s("signal impossible"), &done),
        );
        states.push(
            s("signal impossible"),
            state(json!({"Type": "Fail", "Error": IMPOSSIBLE, "Cause": format!("{name} made the quorum impossible")})),
        );
        states.push(done, state(json!({"Type": "Succeed"})));
        StateMachine {
            start_at: Some(s("run")),
            states,
            ..StateMachine::default()
        }
    }

    /// The timer branch: waits out the timeout, then decides `timed_out` if nobody decided.
    fn timer(&self) -> Option<StateMachine> {
        let seconds = self.quorum.timeout_seconds.clone()?;
        let mut states = States::new();
        let done = self.n("timer done");
        states.push(
            self.n("timer"),
            state(json!({"Type": "Wait", "Seconds": seconds, "Next": self.n("decide timed out")})),
        );
        states.push(
            self.n("decide timed out"),
            self.decide("timed_out", &self.n("signal timed out"), &done),
        );
        states.push(
            self.n("signal timed out"),
            state(
                json!({"Type": "Fail", "Error": TIMED_OUT_SIGNAL, "Cause": "the quorum timed out"}),
            ),
        );
        states.push(done, state(json!({"Type": "Succeed"})));
        Some(StateMachine {
            start_at: Some(self.n("timer")),
            states,
            ..StateMachine::default()
        })
    }

    /// After the race: mark the branches still running as cancelled, read the record, build
    /// the report, and end as a local run ends.
    fn close_and_report(&self, states: &mut States) {
        let cancel = self.n("cancel if running");
        let not_running = self.n("was not running");
        states.push(
            self.n("close record"),
            state(json!({
                "Type": "Map",
                "ItemsPath": "$.branches",
                "ItemSelector": {"branch.$": "$$.Map.Item.Value", "record_id.$": "$.record_id"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": cancel,
                    "States": {
                        cancel.clone(): {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::dynamodb:updateItem",
                            "Parameters": {
                                "TableName": self.table,
                                "Key": self.key(),
                                "UpdateExpression": "SET #fates.#b.#status = :cancelled",
                                "ConditionExpression": "#fates.#b.#status = :running",
                                "ExpressionAttributeNames": {"#fates": "fates", "#b.$": "$.branch", "#status": "status"},
                                "ExpressionAttributeValues": {":cancelled": {"S": "cancelled"}, ":running": {"S": "running"}},
                            },
                            "Catch": [{"ErrorEquals": [CONDITION_FAILED], "Next": not_running}],
                            "End": true,
                        },
                        not_running.clone(): {"Type": "Succeed"},
                    },
                },
                "ResultPath": null,
                "Next": self.n("read record"),
            })),
        );
        states.push(
            self.n("read record"),
            state(json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": self.table, "Key": self.key(), "ConsistentRead": true},
                "ResultSelector": {"item.$": "$.Item"},
                "ResultPath": "$.record",
                "Next": self.n("collect fates"),
            })),
        );
        let fates: Map<String, Value> = (0..self.count())
            .map(|i| {
                let at = format!("$.record.item.fates.M.b{i}.M");
                let entry = json!({
                    "name.$": format!("{at}.name.S"),
                    "status.$": format!("{at}.status.S"),
                    "output.$": format!("States.StringToJson({at}.output.S)"),
                    "error.$": format!("States.StringToJson({at}.error.S)"),
                });
                (format!("b{i}"), entry)
            })
            .collect();
        states.push(
            self.n("collect fates"),
            state(json!({"Type": "Pass", "Parameters": fates, "ResultPath": "$.fates", "Next": self.n("list fates")})),
        );
        let all: Vec<String> = (0..self.count()).map(|i| format!("$.fates.b{i}")).collect();
        states.push(
            self.n("list fates"),
            state(json!({"Type": "Pass", "Parameters": {"branches.$": format!("States.Array({})", all.join(", "))}, "ResultPath": "$.listed", "Next": self.n("report")})),
        );
        let record = "$.record.item";
        states.push(
            self.n("report"),
            state(json!({
                "Type": "Pass",
                "Parameters": {
                    "quorum.$": "$.quorum",
                    "outcome.$": format!("{record}.outcome.S"),
                    "quorum_met.$": format!("{record}.quorum_met.BOOL"),
                    "timed_out.$": format!("{record}.timed_out.BOOL"),
                    "branches.$": "$.listed.branches",
                },
                "ResultPath": "$.report",
                "Next": self.n("outcome?"),
            })),
        );
        let first_result_step = self.result_steps(states);
        states.push(
            self.n("outcome?"),
            state(json!({
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.report.outcome", "StringEquals": "quorum_met", "Next": first_result_step},
                    {"Variable": "$.report.outcome", "StringEquals": "timed_out", "Next": self.n("timed out: cause")},
                ],
                "Default": self.n("impossible: cause"),
            })),
        );
        for (step, fail, error) in [
            ("timed out: cause", "timed out", errors::TIMEOUT),
            ("impossible: cause", "quorum impossible", IMPOSSIBLE),
        ] {
            states.push(
                self.n(step),
                state(json!({"Type": "Pass", "Parameters": {"cause.$": "States.JsonToString($.report)"}, "ResultPath": "$.failure", "Next": self.n(fail)})),
            );
            states.push(
                self.n(fail),
                state(json!({"Type": "Fail", "Error": error, "CausePath": "$.failure.cause"})),
            );
        }
    }

    /// The met route: `ResultSelector`, `ResultPath` and `OutputPath` of the quorum state
    /// applied to the report, as a local run applies them. Returns the first step's name.
    fn result_steps(&self, states: &mut States) -> String {
        let o = self.original;
        let mut steps: Vec<(String, Value)> = Vec::new();
        if let Some(selector) = &o.result_selector {
            steps.push((self.n("select"), json!({"Type": "Pass", "InputPath": "$.report", "Parameters": selector, "ResultPath": "$.report"})));
        }
        match &o.result_path {
            Some(None) => {}
            Some(Some(p)) => steps.push((
                self.n("place result"),
                json!({"Type": "Pass", "InputPath": "$.report", "ResultPath": join("$.raw", p)}),
            )),
            None => steps.push((
                self.n("place result"),
                json!({"Type": "Pass", "InputPath": "$.report", "ResultPath": "$.raw"}),
            )),
        }
        let output = match &o.output_path {
            Some(None) => Value::Null,
            Some(Some(p)) => json!(join("$.raw", p)),
            None => json!("$.raw"),
        };
        steps.push((
            self.n("output"),
            json!({"Type": "Pass", "OutputPath": output}),
        ));
        let first = steps[0].0.clone();
        let names: Vec<String> = steps.iter().map(|(n, _)| n.clone()).collect();
        for (i, (name, mut step)) in steps.into_iter().enumerate() {
            match names.get(i + 1) {
                Some(next) => step["Next"] = json!(next),
                None => step["End"] = json!(true),
            }
            states.push(name, state(step));
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{validate, Dialect};

    fn quorum_definition(quorum: &str, extra: &str) -> StateMachine {
        serde_json::from_str(&format!(
            r#"{{"StartAt": "Q", "States": {{
                "Q": {{"Type": "Parallel", "Quorum": {quorum}, {extra} "Next": "Done",
                       "Branches": [
                           {{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "arn:a", "End": true}}}}}},
                           {{"StartAt": "B", "States": {{"B": {{"Type": "Task", "Resource": "arn:b", "End": true}}}}}}]}},
                "Done": {{"Type": "Succeed"}}}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn definitions_without_quorum_export_unchanged() {
        let d: StateMachine = serde_json::from_str(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#,
        )
        .unwrap();
        assert_eq!(export(&d, &ExportOptions::default()), d);
    }

    #[test]
    fn a_quorum_parallel_becomes_a_wrapper_that_keeps_its_name_transitions_and_policies() {
        let d = quorum_definition(
            r#"{"Count": 1, "TimeoutSeconds": 5}"#,
            r#""Retry": [{"ErrorEquals": ["States.Timeout"]}], "Catch": [{"ErrorEquals": ["Workflow.QuorumImpossible"], "Next": "Done"}],"#,
        );
        let e = export(
            &d,
            &ExportOptions {
                quorum_table: "records".into(),
            },
        );
        let q = e.states.get("Q").unwrap();
        assert_eq!(q.kind, StateType::Parallel);
        assert!(q.quorum.is_none());
        assert_eq!(q.next.as_deref(), Some("Done"));
        assert_eq!(q.retry, d.states.get("Q").unwrap().retry);
        assert_eq!(q.catch, d.states.get("Q").unwrap().catch);
        assert_eq!(q.parameters.as_ref().unwrap()["quorum"], json!(1));
        let text = serde_json::to_string(&e).unwrap();
        assert!(text.contains(r#""TableName":"records""#));
        assert!(!text.contains("Quorum\":"), "no quorum member is left");
        // The user's branches run verbatim inside the race.
        assert!(text.contains(r#""Resource":"arn:a""#) && text.contains(r#""Resource":"arn:b""#));
        // The timer branch is there, and every write is conditional.
        assert!(text.contains(r#""Seconds":5"#));
        assert!(text.matches("attribute_not_exists(outcome)").count() >= 5);
    }

    #[test]
    fn the_export_obeys_the_definition_rules() {
        for (quorum, extra) in [
            (
                r#"{"Count": 2, "TimeoutSeconds": 15}"#,
                r#""ResultPath": "$.outcome", "OutputPath": "$.outcome","#,
            ),
            (
                r#"{"CountPath": "$$.Execution.Input.quorum"}"#,
                r#""InputPath": "$.x", "Parameters": {"a.$": "$.a"}, "ResultSelector": {"w.$": "$.succeeded"},"#,
            ),
            (r#"{"CountPath": "$.needed"}"#, r#""ResultPath": null,"#),
        ] {
            let e = export(&quorum_definition(quorum, extra), &ExportOptions::default());
            let problems: Vec<String> = validate(&e, Dialect::Asl)
                .into_iter()
                .map(|p| format!("{}: {}", p.location, p.message))
                .collect();
            assert!(problems.is_empty(), "{quorum} {extra}: {problems:#?}");
        }
    }

    #[test]
    fn nested_quorums_are_lowered_everywhere() {
        let inner = r#"{"Type": "Parallel", "Quorum": {"Count": 1, "TimeoutSeconds": 3}, "End": true,
            "Branches": [{"StartAt": "IA", "States": {"IA": {"Type": "Pass", "End": true}}},
                         {"StartAt": "IB", "States": {"IB": {"Type": "Pass", "End": true}}}]}"#;
        let d: StateMachine = serde_json::from_str(&format!(
            r#"{{"StartAt": "Outer", "States": {{
                "Outer": {{"Type": "Parallel", "Quorum": {{"Count": 1}}, "Next": "Plain",
                    "Branches": [{{"StartAt": "Inner", "States": {{"Inner": {inner}}}}},
                                 {{"StartAt": "B", "States": {{"B": {{"Type": "Pass", "End": true}}}}}}]}},
                "Plain": {{"Type": "Parallel", "End": true,
                    "Branches": [{{"StartAt": "Deep", "States": {{"Deep": {}}}}}]}}}}}}"#,
            inner.replace("IA", "DA").replace("IB", "DB")
        ))
        .unwrap();
        assert!(validate(&d, Dialect::Asl).is_empty());
        let e = export(&d, &ExportOptions::default());
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("\"Quorum\""), "every quorum is lowered");
        for generated in [
            "Outer: open record",
            "Inner: open record",
            "Deep: open record",
        ] {
            assert!(text.contains(generated), "{generated}");
        }
        let problems: Vec<String> = validate(&e, Dialect::Asl)
            .into_iter()
            .map(|p| format!("{}: {}", p.location, p.message))
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn paths_join_onto_the_raw_input() {
        assert_eq!(join("$.raw", "$"), "$.raw");
        assert_eq!(join("$.raw", "$.a['b c'][0]"), "$.raw.a['b c'][0]");
    }
}
