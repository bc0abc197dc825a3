//! Workflow variables (`Assign`, read as `$name`), as the AWS Step Functions developer
//! guide's "Passing data between states with variables" defines them, in both query
//! languages:
//!
//! - a state's `Assign` is evaluated all at once against the values the state started with
//!   (one member cannot read another's new value), together with its output, and takes
//!   effect when the state exits;
//! - the top-level states share one scope; each Parallel branch and each Map iteration runs
//!   in a scope of its own that reads the outer scopes' variables, and its own assignments
//!   stay in it (what it gives back, it gives through its output); a Distributed Map's child
//!   executions start with no variables at all;
//! - a variable's value is at most 256 KiB, as are all the values one `Assign` sets
//!   together, and an execution holds at most 10 MiB of them at once (a value replaced no
//!   longer counts, nor the variables of a branch that ended): past those,
//!   `States.Runtime`.
//!
//! The scopes: the execution holds its top-level variables ([`Execution`]), made on the
//! first assignment (a workflow without variables pays for nothing); a branch or iteration
//! whose own states assign runs inside a task-local scope of its own, which the same
//! execution's states find before the top level.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};
use workflow_asl::{errors, StateMachine};

use crate::{Error, Execution};

/// The most one variable, or one `Assign`'s values together, may take as JSON text.
pub const MAX_ASSIGN_BYTES: usize = 256 * 1024;

/// The most an execution's variables may take together as JSON text.
pub const MAX_VARIABLES_BYTES: usize = 10 * 1024 * 1024;

/// One scope's variables, and the scope it sits in.
#[derive(Debug)]
pub(crate) struct Frame {
    parent: Option<Arc<Frame>>,
    values: Mutex<Map<String, Value>>,
    /// The JSON text size of each of its values.
    sizes: Mutex<std::collections::HashMap<String, usize>>,
    /// The execution's count of bytes held by variables, which this frame's values are part
    /// of until it ends.
    held: Arc<AtomicUsize>,
}

impl Frame {
    /// A frame inside `parent`, counting toward `held`.
    fn new(parent: Option<Arc<Frame>>, held: &Arc<AtomicUsize>) -> Arc<Self> {
        Arc::new(Self {
            parent,
            values: Mutex::default(),
            sizes: Mutex::default(),
            held: Arc::clone(held),
        })
    }
}

impl Drop for Frame {
    /// A branch's or iteration's variables end with it: they no longer count.
    fn drop(&mut self) {
        let own: usize = self
            .sizes
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .sum();
        self.held.fetch_sub(own, Ordering::Relaxed);
    }
}

impl Frame {
    fn lookup(&self, name: &str) -> Option<Value> {
        let own = self
            .values
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(name)
            .cloned();
        own.or_else(|| self.parent.as_ref()?.lookup(name))
    }

    fn collect(&self, out: &mut Map<String, Value>) {
        if let Some(parent) = &self.parent {
            parent.collect(out);
        }
        let values = self
            .values
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (name, value) in values.iter() {
            out.insert(name.clone(), value.clone());
        }
    }
}

/// The variables of an execution's top-level states, made on the first assignment in any
/// scope: its frame holds the count, against [`MAX_VARIABLES_BYTES`], of the bytes every
/// scope's variables take. An execution that assigns nothing allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct TopLevel {
    frame: OnceLock<Arc<Frame>>,
}

impl TopLevel {
    /// The top-level frame, made if need be.
    fn frame(&self) -> &Arc<Frame> {
        self.frame
            .get_or_init(|| Frame::new(None, &Arc::new(AtomicUsize::new(0))))
    }
}

impl Clone for TopLevel {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// A branch's or an iteration's scope: its own frame, made on its first assignment, inside
/// the frame it was started from.
pub(crate) struct Scope {
    execution: u64,
    parent: Option<Arc<Frame>>,
    own: OnceLock<Arc<Frame>>,
}

tokio::task_local! {
    static SCOPE: Scope;
}

/// The innermost frame `execution`'s state sees (creating it when `create`), and whether it
/// is a branch's.
fn current(execution: &Execution, create: bool) -> Option<Arc<Frame>> {
    let scoped = SCOPE
        .try_with(|scope| {
            (scope.execution == execution.number()).then(|| {
                if create {
                    Some(Arc::clone(scope.own.get_or_init(|| {
                        Frame::new(scope.parent.clone(), &execution.variables().frame().held)
                    })))
                } else {
                    scope.own.get().cloned().or_else(|| scope.parent.clone())
                }
            })
        })
        .ok()
        .flatten();
    match scoped {
        Some(frame) => frame,
        None => {
            let top = &execution.variables().frame;
            if create {
                Some(Arc::clone(execution.variables().frame()))
            } else {
                top.get().cloned()
            }
        }
    }
}

/// The value of the variable `name` as a state of `execution` sees it.
#[must_use]
pub fn lookup(execution: &Execution, name: &str) -> Option<Value> {
    current(execution, false)?.lookup(name)
}

/// Every variable a state of `execution` sees, by name (JSONata binds them all).
#[must_use]
pub fn visible(execution: &Execution) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(frame) = current(execution, false) {
        frame.collect(&mut out);
    }
    out
}

/// Sets `values`, all at once, in the scope of the state of `execution` that assigned them.
///
/// # Errors
/// `States.Runtime` past AWS's limits on a variable's size, an `Assign`'s, or an
/// execution's.
pub fn assign(execution: &Execution, values: Map<String, Value>) -> Result<(), Error> {
    if values.is_empty() {
        return Ok(());
    }
    let mut total = 0;
    let mut sizes = Vec::with_capacity(values.len());
    for (name, value) in &values {
        let size = crate::limits::measure(value, MAX_VARIABLES_BYTES + 1, usize::MAX).bytes;
        if size > MAX_ASSIGN_BYTES {
            return Err(Error::new(
                errors::RUNTIME,
                format!("the value assigned to the variable `{name}` takes {size} bytes; a variable takes at most {MAX_ASSIGN_BYTES}"),
            ));
        }
        total += size;
        sizes.push((name.clone(), size));
    }
    if total > MAX_ASSIGN_BYTES {
        return Err(Error::new(
            errors::RUNTIME,
            format!("the values one Assign sets take {total} bytes together; at most {MAX_ASSIGN_BYTES}"),
        ));
    }
    let Some(frame) = current(execution, true) else {
        return Ok(());
    };
    let mut own_sizes = frame
        .sizes
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // What the execution would hold: the new values in place of the ones they replace.
    let replaced: usize = sizes
        .iter()
        .filter_map(|(name, _)| own_sizes.get(name))
        .sum();
    let held = frame.held.load(Ordering::Relaxed);
    let after = held - replaced.min(held) + total;
    if after > MAX_VARIABLES_BYTES {
        return Err(Error::new(
            errors::RUNTIME,
            format!("the execution's variables would take {after} bytes; an execution holds at most {MAX_VARIABLES_BYTES}"),
        ));
    }
    frame.held.fetch_add(total, Ordering::Relaxed);
    frame.held.fetch_sub(replaced.min(held), Ordering::Relaxed);
    own_sizes.extend(sizes);
    drop(own_sizes);
    frame
        .values
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(values);
    Ok(())
}

/// A branch run in a scope of its own, boxed: a branch that needs no scope (the usual
/// case) costs its future one word more, not the size of a scope.
pub(crate) type InScope<F> = std::pin::Pin<Box<tokio::task::futures::TaskLocalFuture<Scope, F>>>;

/// The scope a branch of `machine` (a Parallel branch, a Map iteration) of `execution` runs
/// in: one of its own when its states assign variables; `None` when they assign none (it
/// reads the outer scopes where they are). Then [`scoped`] runs the branch in it.
pub(crate) fn scope_for(execution: &Execution, machine: &StateMachine) -> Option<Scope> {
    workflow_asl::variables::assigns(machine).then(|| Scope {
        execution: execution.number(),
        parent: current(execution, false),
        own: OnceLock::new(),
    })
}

/// `run` in `scope`, when it has one (see [`scope_for`]).
#[inline]
pub(crate) fn scoped<F: Future>(
    scope: Option<Scope>,
    run: F,
) -> futures_util::future::Either<F, InScope<F>> {
    match scope {
        None => futures_util::future::Either::Left(run),
        Some(scope) => futures_util::future::Either::Right(Box::pin(SCOPE.scope(scope, run))),
    }
}
