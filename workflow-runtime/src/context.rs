//! The execution's context object (`$$`): what paths starting with `$$` read.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use workflow_asl::{timestamp, JsonPath, PathStep, QueryLanguage};

use crate::callback::Callbacks;
use crate::history::{details, EventType, Recorder};
use crate::limits::Limits;
use crate::Error;

use serde_json::{json, Value};

/// One execution of a workflow: its identity, start time and input.
///
/// Generated code makes one per `run` and hands it to every state; `$$.Execution.Input` and
/// the other `$$` paths read it. Its names and times are formatted on first use: a run that
/// reads no `$$` path never pays for them.
#[derive(Debug, Clone)]
pub struct Execution {
    workflow: Cow<'static, str>,
    number: u64,
    started: SystemTime,
    id: OnceLock<String>,
    input: Value,
    /// How many times each state's Task has run in this execution, made on first use (only
    /// mocked responses count them): it ends with the execution.
    visits: OnceLock<Visits>,
    /// What a Task's context object says of the execution, made for the first Task that
    /// takes a `TaskContext`, and shared by every later one (a Map's iterations included).
    facts: OnceLock<Arc<Facts>>,
    /// The quotas it runs under.
    limits: Limits,
    /// The events of its history so far.
    events: crate::history::Count,
    /// Where its events go, when they are recorded.
    recorder: Option<Arc<Recorder>>,
    /// Where its Tasks that wait for a callback wait: the run's, or one of its own made on
    /// first use.
    callbacks: OnceLock<Callbacks>,
    /// Its top-level variables ([`crate::variables`]).
    variables: crate::variables::TopLevel,
    /// The definition's query language, the default of its states.
    language: QueryLanguage,
    /// The definition's JSONata expressions, parsed once: a
    /// [`crate::expression::Expressions`], held by a type-erased handle so that the execution
    /// does not depend on the expression module, which depends on it.
    expressions: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

/// Records `event` with the details `details` makes: out of line, so that an execution that
/// records nothing does not carry the making of details in its states' code.
#[cold]
#[inline(never)]
fn record_with(
    recorder: &Recorder,
    event: EventType,
    details: impl FnOnce() -> Option<serde_json::Map<String, Value>>,
) {
    let mut details = details();
    // A state's exit shows the variables it assigned, as AWS's histories do: each as its
    // JSON text (`assignedVariables`), with `assignedVariablesDetails`.
    if let EventType::StateExited(_) = event {
        if let (Some(assigned), Some(details)) =
            (recorder.cursor().take_assigned(), details.as_mut())
        {
            details::assigned(details, &assigned);
        }
    }
    recorder.record(event, details);
}

/// Task runs per state name, shared by an execution's task contexts.
pub(crate) type Visits = std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, u64>>>;

/// This process's id, asked of the system once.
fn process_id() -> u32 {
    static ID: OnceLock<u32> = OnceLock::new();
    *ID.get_or_init(std::process::id)
}

impl Execution {
    /// A new execution of the workflow called `workflow` on `input`, named uniquely within
    /// this process.
    #[must_use]
    pub fn new(workflow: &str, input: &Value) -> Self {
        Self::named(Cow::Owned(workflow.to_owned()), input)
    }

    /// [`Execution::new`] for a workflow whose name is a literal, as generated code's are:
    /// the name is not copied. `input` is `None` when nothing in the workflow can read the
    /// context object (no `$$` path, no handler that takes a `TaskContext`): the input is then
    /// not copied either, and `$$.Execution.Input` would read `null`. It runs under
    /// `limits`.
    #[must_use]
    pub fn of(workflow: &'static str, input: Option<&Value>, limits: Limits) -> Self {
        Self {
            limits,
            ..Self::named(Cow::Borrowed(workflow), input.unwrap_or(&Value::Null))
        }
    }

    fn named(workflow: Cow<'static, str>, input: &Value) -> Self {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        Self {
            workflow,
            number: COUNT.fetch_add(1, Ordering::Relaxed),
            started: SystemTime::now(),
            id: OnceLock::new(),
            input: input.clone(),
            visits: OnceLock::new(),
            facts: OnceLock::new(),
            limits: Limits::AWS,
            events: crate::history::Count::default(),
            recorder: None,
            callbacks: OnceLock::new(),
            variables: crate::variables::TopLevel::default(),
            language: QueryLanguage::JsonPath,
            expressions: None,
        }
    }

    /// A child execution of a Distributed Map of `parent` labelled `label`, on `input`: an
    /// execution of its own (its own id and context object), under the parent's quotas, with
    /// a history of its own when the parent keeps one ([`crate::state::child_ended`] hands it
    /// to the parent's, as AWS keeps a child's history apart from its parent's).
    #[must_use]
    pub fn child(parent: &Execution, label: &str, input: &Value) -> Self {
        let mut child = Self::new(&format!("{}/{label}", parent.workflow), input)
            .with_limits(parent.limits)
            .answering(Some(parent.callbacks()));
        child.language = parent.language;
        child.expressions.clone_from(&parent.expressions);
        match parent.recorder().and_then(|r| r.for_child()) {
            Some(recorder) => child.recorded(recorder, input),
            None => child,
        }
    }

    /// The execution of `definition`: its states' default query language is the
    /// definition's, and its JSONata expressions are those parsed in `expressions` (see
    /// [`crate::expression::Expressions::of`], given as `Some(Arc::new(expressions))`); an
    /// expression missing there is parsed where it is evaluated.
    #[must_use]
    pub fn speaking(
        mut self,
        language: Option<QueryLanguage>,
        expressions: Option<Arc<dyn std::any::Any + Send + Sync>>,
    ) -> Self {
        self.language = language.unwrap_or_default();
        self.expressions = expressions;
        self
    }

    /// The query language of `state` in this execution: its own, else the definition's.
    #[must_use]
    pub fn language_of(&self, state: &workflow_asl::State) -> QueryLanguage {
        state.query_language.unwrap_or(self.language)
    }

    /// The definition's expressions parsed once, if they were given (see
    /// [`Execution::speaking`]).
    #[cfg_attr(not(feature = "jsonata"), allow(dead_code))]
    pub(crate) fn prepared(&self) -> Option<&(dyn std::any::Any + Send + Sync)> {
        self.expressions.as_deref()
    }

    /// Its top-level variables.
    pub(crate) fn variables(&self) -> &crate::variables::TopLevel {
        &self.variables
    }

    /// Its number, unique in this process.
    pub(crate) fn number(&self) -> u64 {
        self.number
    }

    /// The execution, under `limits` instead of AWS's quotas.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The execution, its Tasks that wait for a callback answered through `callbacks` (a
    /// run's [`crate::RunOptions::callbacks`]); with `None`, through a registry of its own.
    #[must_use]
    pub fn answering(self, callbacks: Option<&Callbacks>) -> Self {
        if let Some(callbacks) = callbacks {
            // A new execution's cell is empty: the set cannot fail.
            let _ = self.callbacks.set(callbacks.clone());
        }
        self
    }

    /// Where the execution's Tasks that wait for a callback wait.
    #[must_use]
    pub fn callbacks(&self) -> &Callbacks {
        self.callbacks.get_or_init(Callbacks::new)
    }

    /// The quotas the execution runs under.
    #[must_use]
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The execution, its events recorded by `recorder` from now on, starting with its
    /// `ExecutionStarted` on `input` (the execution's input, as it was admitted).
    #[must_use]
    pub fn recorded(mut self, recorder: Arc<Recorder>, input: &Value) -> Self {
        recorder.record(
            EventType::ExecutionStarted,
            Some(details::execution_started(&details::text(input))),
        );
        self.recorder = Some(recorder);
        self
    }

    /// The execution, recorded by `recorder` when there is one (see
    /// [`Execution::recorded`]).
    #[must_use]
    pub fn observed(self, recorder: Option<&Arc<Recorder>>, input: &Value) -> Self {
        match recorder {
            Some(recorder) => self.recorded(Arc::clone(recorder), input),
            None => self,
        }
    }

    /// Where the execution's events are recorded, when they are.
    #[must_use]
    #[inline]
    pub fn recorder(&self) -> Option<&Arc<Recorder>> {
        self.recorder.as_ref()
    }

    /// Records one event of the execution's history, its details made by `details` when the
    /// execution is recorded.
    ///
    /// # Errors
    /// `States.Runtime`, ending the execution, when the history reached its quota.
    #[inline(always)]
    pub(crate) fn event(
        &self,
        event: EventType,
        details: impl FnOnce() -> Option<serde_json::Map<String, Value>>,
    ) -> Result<(), Error> {
        self.record(event)?;
        if let Some(recorder) = &self.recorder {
            record_with(recorder, event, details);
        }
        Ok(())
    }

    /// How many events the execution's history holds so far, counted as AWS counts them
    /// ([`crate::history`]).
    #[must_use]
    pub fn events(&self) -> u32 {
        self.events.get()
    }

    /// Records one event of the execution's history.
    ///
    /// # Errors
    /// `States.Runtime`, ending the execution, when the history reached its quota.
    #[inline]
    pub(crate) fn record(&self, event: EventType) -> Result<(), Error> {
        self.events
            .record(event, self.limits.history_events)
            .map(|_| ())
    }

    /// Records `n` events of the execution's history at once, none of them
    /// `ExecutionSucceeded`: a state's events that follow each other with nothing between.
    ///
    /// # Errors
    /// `States.Runtime`, ending the execution, when the history reached its quota.
    #[inline]
    pub(crate) fn record_n(&self, n: u32) -> Result<(), Error> {
        self.events.record_n(n, self.limits.history_events)
    }

    /// `States.DataLimitExceeded` when `value`, `what` it is, is past the execution's payload
    /// or depth limit.
    ///
    /// # Errors
    /// As [`Limits::check`].
    #[inline]
    pub(crate) fn check(&self, value: &Value, what: &dyn Fn() -> String) -> Result<(), Error> {
        self.limits.check(value, what)
    }

    /// The execution's count of Task runs per state, made on first use.
    pub(crate) fn visits(&self) -> Visits {
        std::sync::Arc::clone(self.visits.get_or_init(Visits::default))
    }

    /// The execution's name: unique within this process.
    fn name(&self) -> String {
        let millis = self
            .started
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        format!("{}-{millis}-{}", process_id(), self.number)
    }

    /// The execution's input.
    #[must_use]
    pub fn input(&self) -> &Value {
        &self.input
    }

    /// The execution's id (an ARN-shaped string).
    #[must_use]
    pub fn id(&self) -> &str {
        self.id.get_or_init(|| {
            format!(
                "arn:aws:states:local:000000000000:execution:{}:{}",
                self.workflow,
                self.name()
            )
        })
    }

    /// The `tracing` span of this execution, `execution{workflow=.. execution=..}`, in which
    /// every state's span and event is recorded, so that concurrent executions' lines can be
    /// told apart. Its fields are formatted only when a subscriber wants the span.
    #[must_use]
    pub fn span(&self) -> tracing::Span {
        tracing::info_span!(
            "execution",
            workflow = %self.workflow,
            execution = %self.name_in_id()
        )
    }

    /// The execution's name, as its id ends.
    fn name_in_id(&self) -> &str {
        self.id().rsplit(':').next().unwrap_or_default()
    }

    /// The context object as a state called `state`, entered just now, sees it on its first
    /// attempt.
    #[must_use]
    pub fn context_object(&self, state: &str) -> Value {
        self.context_object_at(state, SystemTime::now(), 0)
    }

    /// The context object as a state called `state`, entered at `entered`, sees it after
    /// `retry_count` retries. It is made only when something reads it: states keep the
    /// entry time as a `SystemTime` and format it here.
    #[must_use]
    pub fn context_object_at(&self, state: &str, entered: SystemTime, retry_count: u32) -> Value {
        self.object(state, entered, retry_count, &self.input)
    }

    /// What `$$` paths read in the state called `state`, entered at `entered`, after
    /// `retry_count` retries: the context object, made only as far as a path needs it.
    #[must_use]
    pub fn context_at<'a>(
        &'a self,
        state: &'a str,
        entered: SystemTime,
        retry_count: u32,
    ) -> StateContext<'a> {
        StateContext {
            execution: self,
            state,
            entered: Some(entered),
            retry_count,
            item: None,
            token: None,
        }
    }

    /// [`Execution::context_at`] for a state entered just now (the time is read when a path
    /// reads it), on its first attempt.
    #[must_use]
    pub fn context<'a>(&'a self, state: &'a str) -> StateContext<'a> {
        StateContext {
            execution: self,
            state,
            entered: None,
            retry_count: 0,
            item: None,
            token: None,
        }
    }

    /// The context object with `input` as `$$.Execution.Input`.
    fn object(&self, state: &str, entered: SystemTime, retry_count: u32, input: &Value) -> Value {
        object_of(
            (self.id(), &self.name(), self.started, &self.workflow, input),
            (state, entered, retry_count),
        )
    }

    /// What a Task's context object says of the execution, made once per execution.
    pub(crate) fn facts(&self) -> Arc<Facts> {
        Arc::clone(self.facts.get_or_init(|| {
            Arc::new(Facts {
                id: self.id().to_owned(),
                name: self.name(),
                started: self.started,
                workflow: self.workflow.to_string(),
                input: self.input.clone(),
            })
        }))
    }
}

/// What a context object says of its execution, owned, for the context of a Task's attempt
/// (which a handler may keep past the state).
#[derive(Debug)]
pub(crate) struct Facts {
    id: String,
    name: String,
    started: SystemTime,
    workflow: String,
    input: Value,
}

impl Facts {
    /// The context object of the state `state`, entered at `entered`, after `retry_count`
    /// retries.
    pub(crate) fn object(&self, state: &str, entered: SystemTime, retry_count: u32) -> Value {
        object_of(
            (
                &self.id,
                &self.name,
                self.started,
                &self.workflow,
                &self.input,
            ),
            (state, entered, retry_count),
        )
    }
}

/// The context object: the execution's id, name, start, workflow and input, and the state's
/// name, entry and retry count.
fn object_of(
    (id, name, started, workflow, input): (&str, &str, SystemTime, &str, &Value),
    (state, entered, retry_count): (&str, SystemTime, u32),
) -> Value {
    json!({
        "Execution": {"Id": id, "Name": name, "StartTime": timestamp::format(started), "Input": input},
        "StateMachine": {
            "Id": format!("arn:aws:states:local:000000000000:stateMachine:{workflow}"),
            "Name": workflow,
        },
        "State": {"Name": state, "EnteredTime": timestamp::format(entered), "RetryCount": retry_count},
    })
}

/// What a state's `$$` paths read: its context object, made only as far as a path needs it.
///
/// [`StateContext`] is the runtime's own; any `Fn() -> Value` that makes the whole object is
/// one too (tests and hand-written workflows use closures).
pub trait ContextObject {
    /// The whole context object.
    fn object(&self) -> Value;

    /// What the `$$` path `path` selects in the context object (see [`JsonPath::select`]).
    fn select(&self, path: &JsonPath) -> Option<Value> {
        path.select(&self.object())
    }

    /// The execution the state runs in, when the object is a state's: where its variables
    /// and its query language are.
    fn execution(&self) -> Option<&Execution> {
        None
    }

    /// The value of the workflow variable `name` ([`crate::variables`]).
    fn variable(&self, name: &str) -> Option<Value> {
        crate::variables::lookup(self.execution()?, name)
    }

    /// What a path that reads a workflow variable (`$name`, `$name.a[0]`) selects: `None`
    /// when `path` reads no variable, `Some(None)` when the variable is unset or the rest of
    /// the path matches nothing in it.
    fn variable_at(&self, path: &str) -> Option<Option<Value>> {
        let (name, rest) = workflow_asl::variables::variable_path(path)?;
        let value = self.variable(name);
        Some(value.and_then(|value| {
            if rest == "$" {
                Some(value)
            } else {
                JsonPath::parse(&rest).ok()?.select(&value)
            }
        }))
    }
}

impl<F: Fn() -> Value + ?Sized> ContextObject for F {
    fn object(&self) -> Value {
        self()
    }
}

/// The context object of one state of an execution, at one attempt (and, in a Map's
/// `ItemSelector`, one item), made on demand.
///
/// A reference path into `$$.Execution.Input` or `$$.Map.Item.Value` reads the input or the
/// item where it is, and any other reference path reads an object made without a copy of
/// the input: a Map whose `ItemSelector` reads `$$` costs each item only what its paths
/// select, not a copy of the execution's input.
#[derive(Debug, Clone, Copy)]
pub struct StateContext<'a> {
    execution: &'a Execution,
    state: &'a str,
    /// `None`: the state was entered now, when something reads the time.
    entered: Option<SystemTime>,
    retry_count: u32,
    item: Option<(usize, &'a Value)>,
    /// The attempt's task token, for a Task that waits for a callback.
    token: Option<&'a str>,
}

impl<'a> StateContext<'a> {
    /// The same state's context object for an attempt holding the task token `token`
    /// (`$$.Task.Token`).
    #[must_use]
    pub fn with_token(self, token: Option<&'a str>) -> Self {
        Self { token, ..self }
    }

    /// The same state's context object in a Map's `ItemSelector`, for the item at `index`.
    #[must_use]
    pub fn with_item(self, index: usize, item: &'a Value) -> Self {
        Self {
            item: Some((index, item)),
            ..self
        }
    }

    /// The member `name` of the object's member `group`, for the members that are text or
    /// numbers (`None` for any other).
    fn leaf(&self, group: &str, name: &str) -> Option<Value> {
        let execution = self.execution;
        Some(match (group, name) {
            ("Execution", "Id") => Value::from(execution.id()),
            ("Execution", "Name") => Value::from(execution.name()),
            ("Execution", "StartTime") => Value::from(timestamp::format(execution.started)),
            ("StateMachine", "Name") => Value::from(&*execution.workflow),
            ("State", "Name") => Value::from(self.state),
            ("State", "RetryCount") => Value::from(self.retry_count),
            ("State", "EnteredTime") => Value::from(timestamp::format(
                self.entered.unwrap_or_else(SystemTime::now),
            )),
            ("Task", "Token") => Value::from(self.token?),
            _ => return None,
        })
    }

    fn made(&self, input: &Value) -> Value {
        let entered = self.entered.unwrap_or_else(SystemTime::now);
        let mut object = self
            .execution
            .object(self.state, entered, self.retry_count, input);
        if let Some((index, item)) = self.item {
            object["Map"] = json!({"Item": {"Index": index, "Value": item}});
        }
        if let Some(token) = self.token {
            object["Task"] = json!({"Token": token});
        }
        object
    }
}

impl ContextObject for StateContext<'_> {
    fn object(&self) -> Value {
        self.made(&self.execution.input)
    }

    fn execution(&self) -> Option<&Execution> {
        Some(self.execution)
    }

    fn select(&self, path: &JsonPath) -> Option<Value> {
        let Some(steps) = path.as_reference().map(workflow_asl::ReferencePath::steps) else {
            return path.select(&self.object());
        };
        let field =
            |i: usize, name: &str| matches!(steps.get(i), Some(PathStep::Field(f)) if f == name);
        if field(0, "Execution") && field(1, "Input") {
            return PathStep::follow(&steps[2..], &self.execution.input).cloned();
        }
        if let (true, Some((index, item))) = (field(0, "Map") && field(1, "Item"), self.item) {
            if field(2, "Value") {
                return PathStep::follow(&steps[3..], item).cloned();
            }
            if field(2, "Index") && steps.len() == 3 {
                return Some(Value::from(index));
            }
        }
        // A leaf of the object (`$$.Execution.Name`, `$$.State.RetryCount`...), made alone.
        if steps.len() == 2 {
            if let (PathStep::Field(group), PathStep::Field(name)) = (&steps[0], &steps[1]) {
                if let Some(leaf) = self.leaf(group, name) {
                    return Some(leaf);
                }
            }
        }
        // `$$` and `$$.Execution` hold the input; no other path reaches it.
        if steps.len() < 2 && (steps.is_empty() || field(0, "Execution")) {
            return path.select(&self.object());
        }
        path.select(&self.made(&Value::Null))
    }
}

/// The current time as an ASL timestamp.
#[must_use]
pub fn now() -> String {
    timestamp::format(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_object_carries_the_execution_input_and_state_name() {
        let e = Execution::new("Demo", &json!({"quorum": 2}));
        let c = e.context_object("Fan");
        assert_eq!(c["Execution"]["Input"]["quorum"], json!(2));
        assert_eq!(c["State"]["Name"], json!("Fan"));
        assert_eq!(c["StateMachine"]["Name"], json!("Demo"));
        assert_ne!(Execution::new("Demo", &json!({})).id(), e.id());
    }

    // A state context answers every path as the whole object it stands for would: reading the
    // input and the item in place is an optimisation, never a different answer.
    #[test]
    fn a_state_context_selects_what_the_whole_object_holds() {
        let e = Execution::new("Demo", &json!({"items": [{"a": 1}, {"a": 2}], "k": "v"}));
        let item = json!({"a": 2, "b": [true]});
        let entered = SystemTime::UNIX_EPOCH;
        for context in [
            e.context_at("M", entered, 2),
            e.context_at("M", entered, 0).with_item(1, &item),
        ] {
            let whole = context.object();
            for path in [
                "$$",
                "$$.Execution",
                "$$.Execution.Input",
                "$$.Execution.Input.items[1].a",
                "$$.Execution.Input.missing",
                "$$.Execution.Name",
                "$$.Execution.Id",
                "$$.Execution.StartTime",
                "$$.Execution['Input'].k",
                "$$.State.EnteredTime",
                "$$.State.Name",
                "$$.State",
                "$$.State.RetryCount",
                "$$.StateMachine.Name",
                "$$.Map",
                "$$.Map.Item",
                "$$.Map.Item.Index",
                "$$.Map.Item.Value",
                "$$.Map.Item.Value.b[0]",
                "$$.Map.Item.Index.x",
                "$$.Execution.Input.items[?(@.a > 1)]",
                "$$..a",
            ] {
                let parsed = JsonPath::parse(path).unwrap();
                assert_eq!(
                    context.select(&parsed),
                    parsed.select(&whole),
                    "{path} with {context:?}"
                );
            }
        }
    }
}
