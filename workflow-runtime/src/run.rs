//! How one run goes: the quotas it runs under and what of its history is recorded.

use std::sync::Arc;

use crate::callback::Callbacks;
use crate::history::{History, Listener, Recorder};
use crate::limits::Limits;

/// How one run goes: its quotas, whether its history is kept, and who hears its events.
///
/// ```
/// use workflow_runtime::history::HistoryEvent;
/// use workflow_runtime::RunOptions;
///
/// let options = RunOptions::new()
///     .keep_history()
///     .listener(|event: &HistoryEvent| println!("{} {}", event.id, event.kind.name()));
/// # let _ = options;
/// ```
///
/// With neither a kept history nor a listener nothing is recorded, and the run costs what a
/// plain `run` costs.
#[derive(Clone, Default)]
pub struct RunOptions {
    limits: Option<Limits>,
    keep: bool,
    listener: Option<Arc<dyn Listener>>,
    callbacks: Option<Callbacks>,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("limits", &self.limits)
            .field("keep", &self.keep)
            .field("listener", &self.listener.is_some())
            .field("callbacks", &self.callbacks)
            .finish()
    }
}

impl RunOptions {
    /// AWS's quotas, nothing recorded.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs under `limits` instead of AWS's quotas (or an interpreter's own).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// Keeps the execution's history: the run returns it.
    #[must_use]
    pub fn keep_history(mut self) -> Self {
        self.keep = true;
        self
    }

    /// Hands each event to `listener` as it happens.
    #[must_use]
    pub fn listener(mut self, listener: impl Listener + 'static) -> Self {
        self.listener = Some(Arc::new(listener));
        self
    }

    /// Hands each event to `listener` (shared) as it happens.
    #[must_use]
    pub fn shared_listener(mut self, listener: Arc<dyn Listener>) -> Self {
        self.listener = Some(listener);
        self
    }

    /// Answers the run's Tasks that wait for a callback (`.waitForTaskToken`) through
    /// `callbacks`: keep a clone wherever the answers come from (an HTTP handler, another
    /// tokio task) and call its `send_success`, `send_failure` or `send_heartbeat` with the
    /// task's token. Without it, a run has a registry of its own, reachable through the
    /// handler's `TaskContext::callback`.
    #[must_use]
    pub fn callbacks(mut self, callbacks: Callbacks) -> Self {
        self.callbacks = Some(callbacks);
        self
    }

    /// The registry given with [`RunOptions::callbacks`], if any.
    #[must_use]
    pub fn callback_registry(&self) -> Option<&Callbacks> {
        self.callbacks.as_ref()
    }

    /// The quotas, `default` when none were given.
    #[must_use]
    pub fn limits_or(&self, default: Limits) -> Limits {
        self.limits.unwrap_or(default)
    }

    /// A recorder for one execution, when anything is to be recorded.
    #[must_use]
    pub fn recorder(&self) -> Option<Arc<Recorder>> {
        (self.keep || self.listener.is_some())
            .then(|| Arc::new(Recorder::new(self.keep, self.listener.clone())))
    }
}

/// The history `recorder` kept (empty when there was none).
#[must_use]
pub fn history(recorder: Option<&Arc<Recorder>>) -> History {
    recorder.map(|r| r.take()).unwrap_or_default()
}
