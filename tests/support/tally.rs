//! A tally of what each test's work did (started, finished, dropped), by test name, since the
//! tests of one file share a process. A [`Guard`] held by a piece of work counts its drop,
//! whether the work finished or was cancelled: the proof that cancelled work was dropped, not
//! left running.

use std::collections::HashMap;
use std::sync::Mutex;

/// What one test's work did.
#[derive(Default, Clone, Copy, Debug, PartialEq)]
pub(crate) struct Stats {
    pub(crate) started: u32,
    pub(crate) finished: u32,
    pub(crate) dropped: u32,
}

static STATS: Mutex<Option<HashMap<String, Stats>>> = Mutex::new(None);

/// Changes the tally of `test`.
pub(crate) fn update(test: &str, f: impl FnOnce(&mut Stats)) {
    let mut all = STATS.lock().unwrap();
    f(all
        .get_or_insert_with(HashMap::new)
        .entry(test.to_owned())
        .or_default());
}

/// The tally of `test`.
pub(crate) fn stats(test: &str) -> Stats {
    STATS
        .lock()
        .unwrap()
        .as_ref()
        .and_then(|m| m.get(test).copied())
        .unwrap_or_default()
}

/// Counts its drop in the tally of the test it names.
pub(crate) struct Guard(pub(crate) String);

impl Drop for Guard {
    fn drop(&mut self) {
        update(&self.0, |s| s.dropped += 1);
    }
}
