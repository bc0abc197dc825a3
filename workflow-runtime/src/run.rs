//! How one run goes: the quotas it runs under and what of its history is recorded.

use std::sync::Arc;

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
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("limits", &self.limits)
            .field("keep", &self.keep)
            .field("listener", &self.listener.is_some())
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
