//! Benchmark 4: a quorum Parallel moves on at its Nth success. Measured here, with the
//! runtime's `parallel::quorum` that generated code calls: the time from the Nth branch's
//! success (stamped inside that branch, as it returns) to the quorum's report being in the
//! caller's hands, for 3 of 5, 10 of 100 and 100 of 1000 branches whose losers never finish.
//! Each loser holds a drop guard: the run asserts that every loser was dropped by the time
//! the report arrives (an awaited loser would never let it arrive at all).
//!
//! ```text
//! cargo bench --bench quorum
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::json;
use sfn_workflow::parallel::quorum::quorum;

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

/// One run: returns the time from the Nth success to the report.
async fn once(total: usize, needed: usize) -> Duration {
    DROPPED.store(0, Ordering::SeqCst);
    let last_success: Mutex<Option<Instant>> = Mutex::new(None);
    let names: Vec<String> = (0..total).map(|i| format!("b{i}")).collect();
    let report = quorum(names, needed, None, |i| {
        let last_success = &last_success;
        async move {
            if i < needed {
                // Winners finish after a yield, so every branch has started first.
                tokio::task::yield_now().await;
                *last_success.lock().unwrap() = Some(Instant::now());
                Ok(json!(i))
            } else {
                let _guard = Guard;
                std::future::pending().await
            }
        }
    })
    .await
    .unwrap();
    let arrived = Instant::now();
    assert_eq!(
        DROPPED.load(Ordering::SeqCst),
        total - needed,
        "every loser is dropped before the report arrives"
    );
    assert_eq!(report.succeeded(), needed);
    let nth = last_success
        .lock()
        .unwrap()
        .expect("the Nth branch stamped its success");
    arrived - nth
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    println!("| quorum | runs | median, Nth success to report | p99 | losers dropped |");
    println!("|---|---|---|---|---|");
    for (needed, total) in [(3, 5), (10, 100), (100, 1000)] {
        let runs = 2_000;
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| rt.block_on(once(total, needed)))
            .collect();
        times.sort();
        println!(
            "| {needed} of {total} | {runs} | {:.2} µs | {:.2} µs | {} of {} each run |",
            times[runs / 2].as_secs_f64() * 1e6,
            times[runs * 99 / 100].as_secs_f64() * 1e6,
            total - needed,
            total - needed
        );
    }
}
