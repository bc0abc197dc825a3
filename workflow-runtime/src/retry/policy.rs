//! Retry policy: which retrier handles an error, and how long to wait before the next attempt.
//!
//! Pure functions over the ASL retriers; the loop that sleeps is in the parent module.

use std::time::Duration;

use workflow_asl::Retrier;

use crate::Error;

/// ASL's default `IntervalSeconds`.
pub const DEFAULT_INTERVAL_SECONDS: f64 = 1.0;
/// ASL's default `MaxAttempts`.
pub const DEFAULT_MAX_ATTEMPTS: u64 = 3;
/// ASL's default `BackoffRate`.
pub const DEFAULT_BACKOFF_RATE: f64 = 2.0;

/// The delay before retry number `retry` (0 for the first retry) under `retrier`:
/// `IntervalSeconds * BackoffRate^retry`, capped at `MaxDelaySeconds`, and with
/// `JitterStrategy: FULL` scaled by `unit_random` (a number in `[0, 1)`), so that it is drawn
/// uniformly between 0 and the computed delay.
#[must_use]
pub fn delay(retrier: &Retrier, retry: u32, unit_random: f64) -> Duration {
    let interval = number(retrier.interval_seconds.as_ref()).unwrap_or(DEFAULT_INTERVAL_SECONDS);
    let rate = number(retrier.backoff_rate.as_ref()).unwrap_or(DEFAULT_BACKOFF_RATE);
    let mut seconds = interval * rate.powi(i32::try_from(retry).unwrap_or(i32::MAX));
    if let Some(max) = number(retrier.max_delay_seconds.as_ref()) {
        seconds = seconds.min(max);
    }
    if retrier.jitter_strategy.as_deref() == Some("FULL") {
        seconds *= unit_random.clamp(0.0, 1.0);
    }
    // ASL caps every number well below this; the clamp keeps a huge BackoffRate^n finite.
    Duration::from_secs_f64(seconds.clamp(0.0, 1e10))
}

/// How many retries `retrier` allows.
#[must_use]
pub fn max_attempts(retrier: &Retrier) -> u64 {
    retrier
        .max_attempts
        .as_ref()
        .and_then(serde_json::Number::as_u64)
        .unwrap_or(DEFAULT_MAX_ATTEMPTS)
}

fn number(n: Option<&serde_json::Number>) -> Option<f64> {
    n.and_then(serde_json::Number::as_f64)
}

/// The retry bookkeeping of one state: each retrier keeps its own count of retries made.
#[derive(Debug)]
pub struct Backoff<'r> {
    retriers: &'r [Retrier],
    retries: Vec<u32>,
}

/// What [`Backoff::next`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Which retrier matched.
    pub retrier: usize,
    /// Which retry of that retrier this is (1 for the first).
    pub retry: u32,
    /// How long to wait before it.
    pub delay: Duration,
}

impl<'r> Backoff<'r> {
    /// Fresh bookkeeping for a state with these retriers.
    #[must_use]
    pub fn new(retriers: &'r [Retrier]) -> Self {
        Self {
            retriers,
            // Counted only once an error comes: most attempts succeed.
            retries: Vec::new(),
        }
    }

    /// Decides whether `error` is retried. The retriers are scanned in order and the first
    /// whose `ErrorEquals` matches decides alone: if its attempts are used up, the error is
    /// not retried (later retriers are not consulted).
    pub fn next(&mut self, error: &Error, unit_random: impl FnOnce() -> f64) -> Option<Decision> {
        let index = self
            .retriers
            .iter()
            .position(|r| error.is_matched_by(&r.error_equals))?;
        let retrier = &self.retriers[index];
        if self.retries.is_empty() {
            self.retries = vec![0; self.retriers.len()];
        }
        let done = self.retries[index];
        if u64::from(done) >= max_attempts(retrier) {
            return None;
        }
        self.retries[index] = done + 1;
        Some(Decision {
            retrier: index,
            retry: done + 1,
            delay: delay(retrier, done, unit_random()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(json: &str) -> Retrier {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn delays_grow_by_the_backoff_rate() {
        let r =
            retrier(r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 3}"#);
        let d: Vec<_> = (0..3).map(|n| delay(&r, n, 0.5).as_secs()).collect();
        assert_eq!(d, vec![2, 6, 18]);
    }

    #[test]
    fn defaults_are_asl_defaults() {
        let r = retrier(r#"{"ErrorEquals": ["States.ALL"]}"#);
        assert_eq!(delay(&r, 0, 0.0), Duration::from_secs(1));
        assert_eq!(delay(&r, 2, 0.0), Duration::from_secs(4));
        assert_eq!(max_attempts(&r), 3);
    }

    #[test]
    fn max_delay_caps_and_full_jitter_scales() {
        let r = retrier(
            r#"{"ErrorEquals": ["X"], "IntervalSeconds": 10, "MaxDelaySeconds": 15, "JitterStrategy": "FULL"}"#,
        );
        assert_eq!(delay(&r, 5, 1.0), Duration::from_secs(15));
        assert_eq!(delay(&r, 5, 0.2), Duration::from_secs(3));
        assert_eq!(delay(&r, 0, 0.0), Duration::ZERO);
    }

    #[test]
    fn first_matching_retrier_decides_and_counts_alone() {
        let rs = vec![
            retrier(r#"{"ErrorEquals": ["A"], "MaxAttempts": 1}"#),
            retrier(r#"{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}"#),
        ];
        let mut b = Backoff::new(&rs);
        let a = Error::new("A", "");
        let other = Error::new("B", "");
        assert_eq!(b.next(&a, || 0.0).map(|d| d.retrier), Some(0));
        // `A`'s retrier is used up; the catch-all does not take over.
        assert_eq!(b.next(&a, || 0.0), None);
        assert_eq!(
            b.next(&other, || 0.0).map(|d| (d.retrier, d.retry)),
            Some((1, 1))
        );
        assert_eq!(b.next(&other, || 0.0).map(|d| d.retry), Some(2));
        assert_eq!(b.next(&other, || 0.0), None);
    }

    #[test]
    fn zero_attempts_never_retries_and_runtime_errors_are_not_matched_by_all() {
        let rs = vec![retrier(
            r#"{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}"#,
        )];
        assert_eq!(Backoff::new(&rs).next(&Error::new("X", ""), || 0.0), None);
        let rs = vec![retrier(r#"{"ErrorEquals": ["States.ALL"]}"#)];
        assert_eq!(
            Backoff::new(&rs).next(&Error::new("States.Runtime", ""), || 0.0),
            None
        );
    }
}
