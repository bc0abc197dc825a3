//! Running an ASL document read at run time, with Rust task handlers.
//!
//! An [`Interpreter`] holds a checked [`StateMachine`] (from [`Interpreter::from_json`]) and
//! the handlers registered for its Task states, by state name or by resource ARN. Running it
//! walks the document state by state and calls the same [`crate::state`] functions the code
//! `workflow!` generates calls: the semantics exist once.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use workflow_runtime::interpret::Interpreter;
//!
//! async fn double(n: u64) -> Result<u64, workflow_runtime::Error> {
//!     Ok(n * 2)
//! }
//!
//! let definition = r#"{"StartAt": "Double", "States": {
//!     "Double": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double", "End": true}}}"#;
//! let mut interpreter = Interpreter::from_json("Doubler", definition).unwrap();
//! interpreter.handle_resource("arn:aws:lambda:us-east-1:123456789012:function:double", double);
//! assert_eq!(interpreter.run(serde_json::json!(21)).await.unwrap(), serde_json::json!(42));
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;
use workflow_asl::{
    validate, Dialect, Integration, Problem, ReadError, State, StateMachine, StateType,
};

use crate::callback::Callbacks;
use crate::error::names;
use crate::expression::Expressions;
use crate::history::{History, Recorder};
use crate::integration::nested::ChildWorkflow;
use crate::integration::service::Service;
use crate::limits::Limits;
use crate::state::{self, Exits, Step};
use crate::task::TaskHandler;
use crate::{Error, Execution, RunOptions};

mod handler;

pub use self::handler::{DynHandler, Erased};

use self::handler::BoxFuture;

/// A Distributed Map's reader is answered by the handler registered for the Map state's name
/// (a mock file's test case names the Map state), else for the reader's resource; its
/// writer by the handler for the writer's resource, else nowhere (the results are dropped,
/// and the state's output still says where AWS would have written them).
impl crate::items::ItemIo for Interpreter {
    fn read<'a>(
        &'a self,
        state: &'a str,
        resource: &'a str,
        parameters: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        match self
            .by_state
            .get(state)
            .or_else(|| self.by_resource.get(resource))
        {
            Some(handler) => (handler.call)(parameters, None),
            None => crate::items::NoItemIo.read(state, resource, parameters),
        }
    }

    fn write<'a>(
        &'a self,
        _state: &'a str,
        resource: &'a str,
        results: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        match self.by_resource.get(resource) {
            Some(handler) => (handler.call)(results, None),
            None => Box::pin(std::future::ready(Ok(Value::Null))),
        }
    }
}

/// An interpreter is a workflow a Task can start as a child execution.
impl ChildWorkflow for Interpreter {
    fn name(&self) -> &str {
        Interpreter::name(self)
    }

    fn start(
        &self,
        input: Value,
        options: RunOptions,
    ) -> crate::integration::nested::BoxFuture<(Result<Value, Error>, History)> {
        let interpreter = self.clone();
        Box::pin(async move { interpreter.run_with(input, &options).await })
    }
}

/// A handler was given for a state that is not a Task state of the definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownState {
    /// The workflow's name.
    pub workflow: String,
    /// The name that was given.
    pub state: String,
    /// The Task state whose name is closest, if one is close.
    pub suggestion: Option<String>,
    /// Every Task state of the definition.
    pub tasks: Vec<String>,
}

impl fmt::Display for UnknownState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a Task state of `{}`",
            self.state, self.workflow
        )?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, "; did you mean `{suggestion}`?")?;
        }
        write!(f, " (its Task states: {})", self.tasks.join(", "))
    }
}

impl std::error::Error for UnknownState {}

/// Why a document could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The text is not an ASL document.
    Read(ReadError),
    /// The document breaks definition rules: every problem, in document order.
    Invalid(Vec<Problem>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(e) => e.fmt(f),
            Self::Invalid(problems) => {
                write!(f, "the definition has {} problem(s):", problems.len())?;
                for p in problems {
                    write!(f, "\n  {}: {}", p.location, p.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// A checked ASL document and the handlers of its Task states.
#[derive(Debug, Clone)]
pub struct Interpreter {
    name: String,
    machine: Arc<StateMachine>,
    by_state: HashMap<String, DynHandler>,
    by_resource: HashMap<String, DynHandler>,
    /// The workflows `states:startExecution` Tasks start, by state name or state machine ARN.
    children: HashMap<String, Arc<dyn ChildWorkflow>>,
    limits: Limits,
    /// The document's JSONata expressions, parsed when it was loaded.
    expressions: Arc<dyn std::any::Any + Send + Sync>,
}

impl Interpreter {
    /// Checks `machine` with the definition rules the macro uses and keeps it to run under
    /// the state machine name `name` (what `$$.StateMachine.Name` says).
    ///
    /// # Errors
    /// [`LoadError::Invalid`] with every problem found.
    pub fn new(name: impl Into<String>, machine: StateMachine) -> Result<Self, LoadError> {
        let problems = validate(&machine, Dialect::Asl);
        if !problems.is_empty() {
            return Err(LoadError::Invalid(problems));
        }
        // Every JSONata expression parsed once, here: a syntax error is a load error.
        let expressions = Expressions::of(&machine).map_err(LoadError::Invalid)?;
        Ok(Self {
            expressions: Arc::new(expressions),
            name: name.into(),
            machine: Arc::new(machine),
            limits: Limits::AWS,
            by_state: HashMap::new(),
            by_resource: HashMap::new(),
            children: HashMap::new(),
        })
    }

    /// Reads and checks an ASL document.
    ///
    /// # Errors
    /// [`LoadError::Read`] when `text` is not an ASL document, [`LoadError::Invalid`] when it
    /// breaks definition rules.
    pub fn from_json(name: impl Into<String>, text: &str) -> Result<Self, LoadError> {
        let machine = StateMachine::from_json(text).map_err(LoadError::Read)?;
        Self::new(name, machine)
    }

    /// The state machine name it runs under (`$$.StateMachine.Name`).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The checked document.
    #[must_use]
    pub fn definition(&self) -> &StateMachine {
        &self.machine
    }

    /// Runs `handler` for every Task state whose `Resource` is `arn` (and that has no handler
    /// of its own by name).
    pub fn handle_resource<H, M>(&mut self, arn: impl Into<String>, handler: H) -> &mut Self
    where
        H: TaskHandler<M> + 'static,
        M: 'static,
    {
        self.handle_resource_dyn(arn, DynHandler::new(handler))
    }

    /// Runs `handler`, which borrows `deps` (`async fn(&D, Input)`), for every Task state
    /// whose `Resource` is `arn`: how the handlers of a workflow with `deps` run an ASL
    /// document read at run time.
    pub fn handle_resource_with<H, M, D>(
        &mut self,
        arn: impl Into<String>,
        handler: H,
        deps: Arc<D>,
    ) -> &mut Self
    where
        H: TaskHandler<M, D> + 'static,
        M: 'static,
        D: Send + Sync + 'static,
    {
        self.handle_resource_dyn(arn, DynHandler::with_deps(handler, deps))
    }

    /// Runs `handler`, already type-erased, for every Task state whose `Resource` is `arn`.
    pub fn handle_resource_dyn(
        &mut self,
        arn: impl Into<String>,
        handler: DynHandler,
    ) -> &mut Self {
        self.by_resource.insert(arn.into(), handler);
        self
    }

    /// Runs `handler`, which borrows `deps`, for the Task state called `state`, as
    /// [`Interpreter::handle_state`] does.
    ///
    /// # Errors
    /// When the definition has no Task state called `state`.
    pub fn handle_state_with<H, M, D>(
        &mut self,
        state: impl Into<String>,
        handler: H,
        deps: Arc<D>,
    ) -> Result<&mut Self, UnknownState>
    where
        H: TaskHandler<M, D> + 'static,
        M: 'static,
        D: Send + Sync + 'static,
    {
        self.handle_dyn(state, DynHandler::with_deps(handler, deps))
    }

    /// Runs `handler` for the Task state called `state` (in any branch or item processor),
    /// whatever its resource; it replaces the state's handler, if it had one. This is how a
    /// test replaces one Task of a workflow by a test double.
    ///
    /// # Errors
    /// When the definition has no Task state called `state`: a misspelled name would
    /// otherwise replace nothing, silently.
    pub fn handle_state<H, M>(
        &mut self,
        state: impl Into<String>,
        handler: H,
    ) -> Result<&mut Self, UnknownState>
    where
        H: TaskHandler<M> + 'static,
        M: 'static,
    {
        self.handle_dyn(state, DynHandler::new(handler))
    }

    /// Runs `handler`, already type-erased, for the Task state called `state`.
    ///
    /// # Errors
    /// When the definition has no Task state called `state`.
    pub fn handle_dyn(
        &mut self,
        state: impl Into<String>,
        handler: DynHandler,
    ) -> Result<&mut Self, UnknownState> {
        let state = state.into();
        // A Task, or a Distributed Map whose `ItemReader` the handler answers.
        let tasks: Vec<&str> = workflow_asl::walk::states(&self.machine)
            .filter(|s| {
                s.state.kind == StateType::Task
                    || (s.state.kind == StateType::Map && s.state.item_reader.is_some())
            })
            .map(|s| s.name)
            .collect();
        if !tasks.contains(&state.as_str()) {
            let suggestion =
                workflow_asl::suggest::closest(&state, tasks.iter().copied()).map(str::to_owned);
            return Err(UnknownState {
                workflow: self.name.clone(),
                suggestion,
                tasks: tasks.iter().map(|t| (*t).to_owned()).collect(),
                state,
            });
        }
        self.by_state.insert(state, handler);
        Ok(self)
    }

    /// Lets `service` answer every Task of the definition whose integration it answers
    /// ([`crate::integration::service`]), such as DynamoDB's with the `aws` feature
    /// (`integration::dynamodb`). A handler given for a Task's name (a mocked
    /// response) still answers that Task; one given for its resource, before or after,
    /// replaces the service for that resource.
    pub fn handle_service(&mut self, service: impl Service) -> &mut Self {
        let service: Arc<dyn Service> = Arc::new(service);
        let resources: Vec<String> = workflow_asl::walk::states(&self.machine)
            .filter(|s| s.state.kind == StateType::Task)
            .filter_map(|s| s.state.resource.clone())
            .filter(|r| Integration::parse(r).is_some_and(|i| service.answers(&i)))
            .collect();
        for resource in resources {
            if self.by_resource.contains_key(&resource) {
                continue;
            }
            let service = Arc::clone(&service);
            let arn = resource.clone();
            let handler =
                DynHandler::from_fn(move |parameters, _context| match Integration::parse(&arn) {
                    Some(integration) => service.call(integration, parameters),
                    None => Box::pin(std::future::ready(Err(Error::new(
                        workflow_asl::errors::RUNTIME,
                        format!("`{arn}` is not a service integration"),
                    )))),
                })
                .named("an integration service")
                // The service's response is the integration's whole result.
                .answering_for_integration();
            self.by_resource.insert(resource, handler);
        }
        self
    }

    /// Starts `child` as a child execution from every Task on
    /// `arn:aws:states:::states:startExecution` (`.sync`, `.sync:2`) called `key`, or whose
    /// `StateMachineArn` parameter is `key` ([`crate::integration::nested`]). A handler
    /// registered for the Task's name (a mocked response) answers it instead.
    pub fn handle_workflow(
        &mut self,
        key: impl Into<String>,
        child: impl ChildWorkflow,
    ) -> &mut Self {
        self.children.insert(key.into(), Arc::new(child));
        self
    }

    /// The child workflow a `states:startExecution` Task starts, if one was given for it.
    fn child(&self, name: &str, state: &State) -> Option<&Arc<dyn ChildWorkflow>> {
        // Most interpreters start no child: their Tasks pay for nothing more.
        if self.children.is_empty() {
            return None;
        }
        let integration = state
            .resource
            .as_deref()
            .and_then(workflow_asl::Integration::parse)?;
        if !integration.is("states", "startExecution") || self.by_state.contains_key(name) {
            return None;
        }
        self.children.get(name).or_else(|| {
            let arn = state
                .parameters
                .as_ref()
                .or(state.arguments.as_ref())?
                .get("StateMachineArn")?
                .as_str()?;
            self.children.get(arn)
        })
    }

    /// Runs every execution under `limits` instead of AWS's quotas ([`crate::limits`]): for a
    /// local test bigger than AWS would run.
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }

    /// Runs one execution on `input`: its output, or the error that failed it.
    ///
    /// # Errors
    /// The error that failed the execution; `Workflow.NoHandler` for a Task state that was
    /// reached with no handler registered for its name or resource.
    pub async fn run(&self, input: Value) -> Result<Value, Error> {
        self.run_under(input, self.limits, None, None).await
    }

    /// Runs one execution on `input` and returns its history with its output or error: the
    /// events AWS's `GetExecutionHistory` would return ([`crate::history`]).
    pub async fn run_recorded(&self, input: Value) -> (Result<Value, Error>, History) {
        self.run_with(input, &RunOptions::new().keep_history())
            .await
    }

    /// Runs one execution on `input` as `options` say (its quotas, default this
    /// interpreter's; its history kept or heard): its output or error, and the history when
    /// it was kept (else empty).
    pub async fn run_with(
        &self,
        input: Value,
        options: &RunOptions,
    ) -> (Result<Value, Error>, History) {
        let recorder = options.recorder();
        let limits = options.limits_or(self.limits);
        let outcome = self
            .run_under(
                input,
                limits,
                recorder.as_ref(),
                options.callback_registry(),
            )
            .await;
        (outcome, crate::run::history(recorder.as_ref()))
    }

    /// One execution on `input` under `limits`, recorded by `recorder` when there is one,
    /// its callbacks answered through `callbacks` when given.
    async fn run_under(
        &self,
        input: Value,
        limits: Limits,
        recorder: Option<&Arc<Recorder>>,
        callbacks: Option<&Callbacks>,
    ) -> Result<Value, Error> {
        let input = crate::limits::admit(input, &limits)?;
        let execution = Execution::new(&self.name, &input)
            .speaking(
                self.machine.query_language,
                Some(Arc::clone(&self.expressions)),
            )
            .with_limits(limits)
            .answering(callbacks)
            .observed(recorder, &input);
        let outcome = state::execute(
            &self.machine,
            &execution,
            self.run_machine(&execution, &self.machine, input),
        )
        .await;
        state::ended(&execution, outcome)
    }

    fn handler(&self, name: &str, state: &State) -> Result<&DynHandler, Error> {
        let resource = state.resource.as_deref().unwrap_or_default();
        self.by_state
            .get(name)
            .or_else(|| self.by_resource.get(resource))
            .ok_or_else(|| {
                Error::new(
                    names::NO_HANDLER,
                    format!("no handler is registered for the resource `{resource}` of Task state `{name}`"),
                )
            })
    }

    /// Runs one (sub)workflow of the document: boxed, as branches and iterations recurse.
    fn run_machine<'a>(
        &'a self,
        execution: &'a Execution,
        machine: &'a StateMachine,
        input: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            let position = |name: Option<&str>| name.and_then(|n| machine.states.position(n));
            let mut at = position(machine.start_at.as_deref()).ok_or_else(|| {
                Error::new(
                    workflow_asl::errors::RUNTIME,
                    "the definition's StartAt names no state",
                )
            })?;
            let mut data = input;
            let mut steps: u32 = 0;
            loop {
                let (name, st) = machine.states.entry(at);
                let next = position(st.next.as_deref());
                let catch: Vec<usize> = st
                    .catch
                    .iter()
                    .flatten()
                    .filter_map(|c| position(Some(&c.next)))
                    .collect();
                let exits = Exits {
                    next,
                    catch: &catch,
                };
                let step = match st.kind {
                    StateType::Pass => state::pass(name, st, execution, data, next)?,
                    StateType::Succeed => state::succeed(name, st, execution, data)?,
                    StateType::Fail => state::fail(name, st, execution, &data)?,
                    // The awaited state functions are boxed: a (sub)workflow's future then stays
                    // small whatever states it has, which is what a Parallel or Map of many
                    // branches holds one of per branch.
                    StateType::Wait => {
                        Box::pin(state::wait(name, st, execution, data, next)).await?
                    }
                    StateType::Choice => {
                        let targets: Vec<usize> = st
                            .choices
                            .iter()
                            .flatten()
                            .filter_map(|rule| position(rule.next.as_deref()))
                            .collect();
                        let default = position(st.default.as_deref());
                        state::choice(name, st, execution, data, &targets, default)?
                    }
                    StateType::Task if self.child(name, st).is_some() => {
                        let child = self.child(name, st).map(Arc::as_ref);
                        let child = child.ok_or_else(|| Error::new(names::NO_HANDLER, name))?;
                        Box::pin(state::start_execution(
                            name, st, execution, data, exits, child,
                        ))
                        .await?
                    }
                    StateType::Task => {
                        let handler = self.handler(name, st).map_err(|e| e.in_state(name))?;
                        Box::pin(state::task(name, st, execution, data, exits, handler, &()))
                            .await?
                    }
                    StateType::Parallel => {
                        let branches = st.branches.as_deref().unwrap_or_default();
                        Box::pin(state::parallel(name, st, execution, data, exits, |i, v| {
                            // A branch whose states assign variables has a scope of its own.
                            let branch = &branches[i];
                            let scope = crate::variables::scope_for(execution, branch);
                            crate::variables::scoped(scope, self.run_machine(execution, branch, v))
                        }))
                        .await?
                    }
                    StateType::Map => {
                        let processor = st.processor().map(|(_, p)| p).ok_or_else(|| {
                            Error::new(
                                workflow_asl::errors::RUNTIME,
                                format!("Map state `{name}` has no ItemProcessor"),
                            )
                        })?;
                        if st.is_distributed() {
                            // Each item a child execution, with its own context object.
                            let label = st.label.as_deref().unwrap_or(name);
                            Box::pin(state::map_with(
                                name,
                                st,
                                execution,
                                data,
                                exits,
                                self,
                                |v| {
                                    let child = Execution::child(execution, label, &v);
                                    async move {
                                        let run = self.run_machine(&child, processor, v);
                                        let outcome = state::execute(processor, &child, run).await;
                                        state::child_ended(&child, execution, outcome)
                                    }
                                },
                            ))
                            .await?
                        } else {
                            Box::pin(state::map(name, st, execution, data, exits, |v| {
                                // An iteration that assigns variables has a scope of its own.
                                let scope = crate::variables::scope_for(execution, processor);
                                crate::variables::scoped(
                                    scope,
                                    self.run_machine(execution, processor, v),
                                )
                            }))
                            .await?
                        }
                    }
                };
                match step {
                    Step::Next(target, output) => {
                        // A loop of states that never wait must still let timers, timeouts
                        // and aborts in; every loop goes back to a state at or before its own.
                        if target <= at && state::due(&mut steps) {
                            state::pace().await;
                        }
                        at = target;
                        data = output;
                    }
                    Step::End(output) => return Ok(output),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::TaskContext;

    #[tokio::test]
    async fn a_task_without_a_handler_names_its_resource() {
        let interpreter = Interpreter::from_json(
            "M",
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "Retry": [{"ErrorEquals": ["States.ALL"]}], "End": true}}}"#,
        )
        .unwrap();
        let error = interpreter.run(json!({})).await.unwrap_err();
        assert_eq!(error.name(), names::NO_HANDLER);
        assert!(error.cause().contains("`arn:x`"), "{}", error.cause());
    }

    #[tokio::test]
    async fn a_state_handler_wins_over_a_resource_handler() {
        let mut interpreter = Interpreter::from_json(
            "M",
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:x", "Next": "B"}, "B": {"Type": "Task", "Resource": "arn:x", "End": true}}}"#,
        )
        .unwrap();
        interpreter
            .handle_resource("arn:x", |n: u64| async move { Ok::<_, Error>(n + 1) })
            .handle_state("B", |n: u64| async move { Ok::<_, Error>(n * 10) })
            .unwrap();
        assert_eq!(interpreter.run(json!(1)).await.unwrap(), json!(20));
    }

    #[tokio::test]
    async fn a_registered_handler_gets_its_context_only_if_it_takes_one() {
        let mut interpreter = Interpreter::from_json(
            "M",
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:a", "Next": "B"}, "B": {"Type": "Task", "Resource": "arn:b", "End": true}}}"#,
        )
        .unwrap();
        interpreter
            .handle_resource("arn:a", |n: u64| async move { Ok::<_, Error>(n + 1) })
            .handle_resource("arn:b", |n: u64, context: TaskContext| async move {
                let object = context.context_object();
                Ok::<_, Error>(json!({
                    "n": n,
                    "state": object["State"]["Name"],
                    "input": object["Execution"]["Input"],
                }))
            });
        assert_eq!(
            interpreter.run(json!(1)).await.unwrap(),
            json!({"n": 2, "state": "B", "input": 1})
        );
    }

    #[test]
    fn an_invalid_document_is_refused_with_every_problem() {
        let error = Interpreter::from_json(
            "M",
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}, "B": {"Type": "Pass"}}}"#,
        )
        .unwrap_err();
        let LoadError::Invalid(problems) = &error else {
            panic!("{error}")
        };
        assert!(problems.len() >= 2, "{error}");
        assert!(error.to_string().contains("/States/A/Next"), "{error}");
        let error = Interpreter::from_json("M", "{\n  \"StartAt\": ").unwrap_err();
        assert!(
            matches!(error, LoadError::Read(ReadError { line: 2, .. })),
            "{error}"
        );
    }
}
