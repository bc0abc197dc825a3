//! Keeping an execution's events as they happen, and telling a listener.
//!
//! # Ids, `previousEventId` and order
//! Ids count from 1 in the order events are recorded. `previousEventId` follows AWS's
//! recorded histories: `ExecutionStarted` and the first state's entry point at 0; every other
//! event points at the last event recorded before it on its *path*, the chain of states it
//! belongs to. A Parallel's branches each start a path at its `ParallelStateStarted`, and a
//! Map's iterations each at their `MapIterationStarted` (which points at the Map's path).
//! Some events are recorded beside the path, and the event after them points past them:
//! `MapIterationStarted/Succeeded/Failed/Aborted`, `MapStateSucceeded` and
//! `ParallelStateSucceeded`. After a branch or iteration ends, its state's path continues
//! from the branch's last event; after a Map succeeded, from its last `MapIteration...`
//! event (as AWS's histories show).
//!
//! Concurrent branches and iterations interleave in the order their states ran: all of a
//! branch's events up to its first wait, then the next branch's, in branch order, then as
//! their waits end (on tokio's clock, ties in branch order). A branch or iteration cancelled
//! while a Task, Wait, Parallel or Map state ran records that state's `...StateAborted`
//! (innermost first), then `MapIterationAborted` for an iteration, before the Parallel or Map
//! records its outcome.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::SystemTime;

use serde_json::{Map, Value};

use workflow_asl::StateType;

use super::{EventType, History, HistoryEvent};

/// Receives an execution's events as they happen: for an application's own logs, metrics or
/// database. Any `Fn(&HistoryEvent) + Send + Sync` is one.
///
/// It is called in the order of the events' ids, while the execution waits for it: keep it
/// quick (send the event to a channel for slow work).
pub trait Listener: Send + Sync {
    /// One more event of the execution.
    fn on_event(&self, event: &HistoryEvent);
}

impl<F: Fn(&HistoryEvent) + Send + Sync> Listener for F {
    fn on_event(&self, event: &HistoryEvent) {
        self(event);
    }
}

/// The events of one execution, recorded as they happen: kept (for
/// [`Recorder::history`]) and handed to a [`Listener`], as it was made.
pub struct Recorder {
    log: Mutex<Log>,
    listener: Option<Arc<dyn Listener>>,
    keep: bool,
    /// The wall time the execution started at, and the same instant on tokio's clock: events
    /// are stamped on tokio's clock from there.
    origin: (SystemTime, tokio::time::Instant),
    /// The top-level path.
    root: Arc<Cursor>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("keep", &self.keep)
            .field("listener", &self.listener.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default)]
struct Log {
    next: u64,
    events: Vec<HistoryEvent>,
    children: Vec<(String, History)>,
}

impl Recorder {
    /// A recorder that keeps the events when `keep`, and hands each to `listener`.
    #[must_use]
    pub fn new(keep: bool, listener: Option<Arc<dyn Listener>>) -> Self {
        Self {
            log: Mutex::new(Log {
                next: 1,
                events: Vec::new(),
                children: Vec::new(),
            }),
            listener,
            keep,
            origin: (SystemTime::now(), tokio::time::Instant::now()),
            root: Cursor::at(0),
        }
    }

    /// The events kept so far.
    #[must_use]
    pub fn history(&self) -> History {
        let log = self.lock();
        History {
            events: log.events.clone(),
            children: log.children.clone(),
        }
    }

    /// The events kept so far, taken out of the recorder.
    #[must_use]
    pub fn take(&self) -> History {
        let mut log = self.lock();
        History {
            events: std::mem::take(&mut log.events),
            children: std::mem::take(&mut log.children),
        }
    }

    /// Keeps the history of a child execution (of a Distributed Map), whose id is
    /// `execution`, when this recorder keeps histories.
    pub(crate) fn adopt(&self, execution: String, history: History) {
        if self.keep {
            self.lock().children.push((execution, history));
        }
    }

    /// A recorder for a child execution: it keeps its history when this one keeps histories.
    pub(crate) fn for_child(&self) -> Option<Arc<Recorder>> {
        self.keep.then(|| Arc::new(Recorder::new(true, None)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Now, on tokio's clock (virtual when it is paused), as wall time.
    fn now(&self) -> SystemTime {
        self.origin.0 + self.origin.1.elapsed()
    }

    /// The path events recorded now belong to: the branch or iteration being polled, or the
    /// top-level path.
    pub(crate) fn cursor(&self) -> Arc<Cursor> {
        let me = self.identity();
        CURRENT
            .with(|current| {
                current
                    .borrow()
                    .as_ref()
                    .filter(|(recorder, _)| *recorder == me)
                    .map(|(_, cursor)| Arc::clone(cursor))
            })
            .unwrap_or_else(|| Arc::clone(&self.root))
    }

    /// The top-level path.
    pub(crate) fn root(&self) -> &Arc<Cursor> {
        &self.root
    }

    fn identity(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// Records an event of type `kind` on the current path: its id.
    pub(crate) fn record(&self, kind: EventType, details: Option<Map<String, Value>>) -> u64 {
        self.record_at(&self.cursor(), kind, details)
    }

    /// Records an event of type `kind` on the path `cursor`: its id.
    pub(crate) fn record_at(
        &self,
        cursor: &Cursor,
        kind: EventType,
        details: Option<Map<String, Value>>,
    ) -> u64 {
        let mut log = self.lock();
        let id = log.next;
        log.next += 1;
        let previous_event_id = match kind {
            EventType::ExecutionStarted => 0,
            // AWS's recorded histories point an `EvaluationFailed` where its state's
            // `...StateEntered` points (LocalStack's snapshots of AWS runs,
            // `test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES]`: entered #6
            // after #5, `EvaluationFailed` #7 after #5); the event after it points at it.
            EventType::EvaluationFailed => cursor.entered_from.load(Ordering::Relaxed),
            _ => cursor.get(),
        };
        if kind.moves_cursor() {
            cursor.set(id);
        }
        let named = || {
            details
                .as_ref()
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
                .map(Arc::from)
        };
        let state = match kind {
            EventType::ExecutionStarted
            | EventType::ExecutionSucceeded
            | EventType::ExecutionFailed
            | EventType::ExecutionTimedOut => None,
            EventType::MapIterationStarted
            | EventType::MapIterationSucceeded
            | EventType::MapIterationFailed
            | EventType::MapIterationAborted => named(),
            EventType::StateEntered(kind) => {
                let state = named();
                cursor.enter(state.clone(), kind);
                cursor
                    .entered_from
                    .store(previous_event_id, Ordering::Relaxed);
                state
            }
            EventType::StateExited(_) | EventType::StateAborted(_) => {
                cursor.exit();
                cursor.state()
            }
            _ => cursor.state(),
        };
        let event = HistoryEvent {
            id,
            previous_event_id,
            timestamp: self.now(),
            kind,
            details,
            state,
        };
        // Under the lock: the listener hears the events in the order of their ids.
        if let Some(listener) = &self.listener {
            listener.on_event(&event);
        }
        if self.keep {
            log.events.push(event);
        }
        id
    }

    /// `future`, its events recorded on the path `cursor` (see [`Scoped`]).
    pub(crate) fn scoped<F: Future>(self: &Arc<Self>, cursor: Arc<Cursor>, future: F) -> Scoped<F> {
        Scoped {
            recorder: Arc::clone(self),
            cursor,
            inner: Some(future),
        }
    }
}

/// Where one path of an execution is: the id of its last event, the state it is in, and the
/// JSON text of the last output a Task on it handed on as a Rust value (what the next Task's
/// entry shows).
#[derive(Debug, Default)]
pub(crate) struct Cursor {
    last: AtomicU64,
    /// The event its last `...StateEntered` came after.
    entered_from: AtomicU64,
    state: Mutex<Place>,
    handed_on: Mutex<Option<Arc<str>>>,
    /// The variables the path's state assigned, which its exit shows.
    assigned: Mutex<Option<Map<String, Value>>>,
}

/// The state a path is in: its name, and its type while it has not exited.
#[derive(Debug, Default)]
struct Place {
    name: Option<Arc<str>>,
    open: Option<StateType>,
}

impl Cursor {
    /// A path whose last event is `id`.
    pub(crate) fn at(id: u64) -> Arc<Self> {
        Arc::new(Self {
            last: AtomicU64::new(id),
            entered_from: AtomicU64::new(0),
            state: Mutex::new(Place::default()),
            handed_on: Mutex::new(None),
            assigned: Mutex::new(None),
        })
    }

    fn place(&self) -> std::sync::MutexGuard<'_, Place> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The path entered the state called `state`, of type `kind` (a Fail state never exits).
    fn enter(&self, state: Option<Arc<str>>, kind: StateType) {
        *self.place() = Place {
            name: state,
            open: (kind != StateType::Fail).then_some(kind),
        };
    }

    /// The path's state exited.
    fn exit(&self) {
        self.place().open = None;
    }

    /// The state the path is in.
    fn state(&self) -> Option<Arc<str>> {
        self.place().name.clone()
    }

    /// The state the path is in and its type, while it has not exited.
    fn open(&self) -> Option<(Option<Arc<str>>, StateType)> {
        let place = self.place();
        place.open.map(|kind| (place.name.clone(), kind))
    }

    /// The id of its last event.
    pub(crate) fn get(&self) -> u64 {
        self.last.load(Ordering::Relaxed)
    }

    /// Its last event is now `id`.
    pub(crate) fn set(&self, id: u64) {
        self.last.store(id, Ordering::Relaxed);
    }

    /// Its last event is now `id`, when that came later than its own.
    pub(crate) fn advance_to(&self, id: u64) {
        self.last.fetch_max(id, Ordering::Relaxed);
    }

    /// Remembers the JSON text of an output handed on as a Rust value.
    pub(crate) fn hand_on(&self, text: Arc<str>) {
        *self
            .handed_on
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(text);
    }

    /// Remembers the variables the path's state assigned, for its `...StateExited`.
    pub(crate) fn assigned(&self, values: Map<String, Value>) {
        *self.assigned.lock().unwrap_or_else(PoisonError::into_inner) = Some(values);
    }

    /// The variables the path's state assigned, taken.
    pub(crate) fn take_assigned(&self) -> Option<Map<String, Value>> {
        self.assigned
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// The JSON text of the last output handed on as a Rust value.
    pub(crate) fn handed_on(&self) -> Option<Arc<str>> {
        self.handed_on
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

thread_local! {
    /// The path of the branch or iteration being polled on this thread, with the recorder
    /// (by address) it belongs to.
    static CURRENT: RefCell<Option<(usize, Arc<Cursor>)>> = const { RefCell::new(None) };
}

pin_project_lite::pin_project! {
    /// A future whose events are recorded on one path: while it is polled, the thread's
    /// current path is its own. Dropped before it completed (its branch or iteration
    /// cancelled, its execution timed out), it records `...StateAborted` for the state its
    /// path was in, after whatever the future itself recorded as it was dropped (the states
    /// of its own branches first).
    pub(crate) struct Scoped<F> {
        recorder: Arc<Recorder>,
        cursor: Arc<Cursor>,
        #[pin]
        inner: Option<F>,
    }

    impl<F> PinnedDrop for Scoped<F> {
        fn drop(this: Pin<&mut Self>) {
            let mut this = this.project();
            if this.inner.is_none() {
                return;
            }
            // The future first, and what it records as it goes.
            this.inner.set(None);
            if let Some((_, kind)) = this.cursor.open() {
                this.recorder
                    .record_at(this.cursor, EventType::StateAborted(kind), None);
            }
        }
    }
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let mut this = self.project();
        let Some(inner) = this.inner.as_mut().as_pin_mut() else {
            return Poll::Pending;
        };
        let outer = CURRENT.with(|current| {
            current
                .borrow_mut()
                .replace((this.recorder.identity(), Arc::clone(this.cursor)))
        });
        // Restored however the poll ends, a panic included.
        let restore = Restore(outer);
        let output = std::task::ready!(inner.poll(cx));
        drop(restore);
        // Completed: nothing to record when it is dropped.
        this.inner.set(None);
        Poll::Ready(output)
    }
}

struct Restore(Option<(usize, Arc<Cursor>)>);

impl Drop for Restore {
    fn drop(&mut self) {
        let outer = self.0.take();
        CURRENT.with(|current| *current.borrow_mut() = outer);
    }
}

/// Records that a state (or a Map iteration) was cancelled, when dropped before it ended:
/// `...StateAborted` or `MapIterationAborted`, on its path. One pointer wide, so that a
/// future holding `Option<Abort>` grows by no more when nothing is recorded.
pub(crate) struct Abort(Box<Armed>);

struct Armed {
    recorder: Arc<Recorder>,
    cursor: Arc<Cursor>,
    kind: EventType,
    details: Option<Map<String, Value>>,
    armed: bool,
}

impl Abort {
    /// A guard recording `kind` (with `details`) on `cursor` unless it is [`Abort::ended`].
    pub(crate) fn new(
        recorder: &Arc<Recorder>,
        cursor: Arc<Cursor>,
        kind: EventType,
        details: Option<Map<String, Value>>,
    ) -> Self {
        Self(Box::new(Armed {
            recorder: Arc::clone(recorder),
            cursor,
            kind,
            details,
            armed: true,
        }))
    }

    /// The state or iteration ended: nothing is recorded.
    pub(crate) fn ended(mut self) {
        self.0.armed = false;
    }
}

impl Drop for Abort {
    fn drop(&mut self) {
        let guard = &mut *self.0;
        if guard.armed {
            guard
                .recorder
                .record_at(&guard.cursor, guard.kind, guard.details.take());
        }
    }
}
