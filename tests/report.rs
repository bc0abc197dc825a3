//! The execution page (issue 14, part 3): what it says happened to each state, and that a
//! real browser loads it. `.ci/run` installs Debian's `chromium` and sets
//! `REQUIRE_CHROMIUM=1`, under which a missing browser fails the test; elsewhere that part
//! says it was skipped.

use std::process::Command;

use serde_json::json;
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::report::{fates, html, Fate};
use sfn_workflow::Error;

#[path = "../examples/quorum.rs"]
#[allow(dead_code)]
mod quorum;

/// The README's seed (`tests/quorum_example.rs`): Process 1 is cut off.
const SEED: u64 = 3;

// The quorum example with the README's seed: two processes succeed, the third is cancelled
// when the quorum is met (its `TaskStateAborted`); the Parallel and the summary succeed.
#[tokio::test(start_paused = true)]
async fn the_quorum_race_is_coloured_by_what_happened() {
    let (outcome, history) = quorum::QuorumRace::new(quorum::Simulation { seed: SEED })
        .run_recorded(json!({"quorum": 2}))
        .await;
    outcome.unwrap();
    let fates = fates(quorum::QuorumRace::definition(), &history);
    assert_eq!(fates["Process 1"], Fate::Cancelled);
    assert_eq!(fates["Process 2"], Fate::Succeeded);
    assert_eq!(fates["Process 3"], Fate::Succeeded);
    assert_eq!(fates["Wait for a quorum"], Fate::Succeeded);
    assert_eq!(fates["Summarize"], Fate::Succeeded);
}

// Each fate from its events: a Task retried then succeeded, one whose error a catcher took,
// one that failed uncaught, and a state never reached.
#[tokio::test(start_paused = true)]
async fn retried_caught_failed_and_unreached_states_are_told_apart() {
    let definition = r#"{"StartAt": "Flaky", "States": {
        "Flaky": {"Type": "Task", "Resource": "flaky", "Retry": [{"ErrorEquals": ["Again"]}], "Next": "Declines"},
        "Declines": {"Type": "Task", "Resource": "declines", "Catch": [{"ErrorEquals": ["Declined"], "Next": "Breaks"}], "Next": "Never"},
        "Breaks": {"Type": "Task", "Resource": "breaks", "End": true},
        "Never": {"Type": "Pass", "End": true}}}"#;
    let mut interpreter = Interpreter::from_json("Fates", definition).unwrap();
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    interpreter
        .handle_resource("flaky", move |v: serde_json::Value| {
            let attempts = std::sync::Arc::clone(&attempts);
            async move {
                if attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 0 {
                    Err(Error::new("Again", "first try"))
                } else {
                    Ok(v)
                }
            }
        })
        .handle_resource("declines", |_: serde_json::Value| async {
            Err::<serde_json::Value, _>(Error::new("Declined", "no"))
        })
        .handle_resource("breaks", |_: serde_json::Value| async {
            Err::<serde_json::Value, _>(Error::new("Broken", "down"))
        });
    let (outcome, history) = interpreter.run_recorded(json!({})).await;
    assert_eq!(outcome.unwrap_err().name(), "Broken");
    let fates = fates(interpreter.definition(), &history);
    assert_eq!(fates["Flaky"], Fate::Retried);
    assert_eq!(fates["Declines"], Fate::Caught);
    assert_eq!(fates["Breaks"], Fate::Failed);
    assert_eq!(fates["Never"], Fate::NotReached);
    let page = html("Fates", interpreter.definition(), &history);
    assert!(page.contains(r#"<div class="state unreached" data-state="Never""#));
    assert!(page.contains("Failed: Broken down"));
}

/// Debian's Chromium, when it is here.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok())
}

// The page of the quorum race loads in headless Chromium from a file, with nothing fetched:
// its script runs (it fills the event list, one row per event, and marks the page ready) and
// the cancelled process's box is drawn as cancelled.
#[tokio::test(start_paused = true)]
async fn a_real_browser_loads_the_page() {
    let (outcome, history) = quorum::QuorumRace::new(quorum::Simulation { seed: SEED })
        .run_recorded(json!({"quorum": 2}))
        .await;
    outcome.unwrap();
    let page = html("QuorumRace", quorum::QuorumRace::definition(), &history);
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page fetches nothing"
    );
    let required = std::env::var_os("REQUIRE_CHROMIUM").is_some();
    let Some(browser) = chromium() else {
        assert!(
            !required,
            "REQUIRE_CHROMIUM is set but Chromium is not on the PATH"
        );
        eprintln!("skipped: Chromium is not installed; .ci/run installs it");
        return;
    };
    let dir = std::env::temp_dir().join(format!("report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("quorum.html");
    std::fs::write(&file, &page).unwrap();
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains(r#"data-ready="true""#),
        "the script ran: {dom}"
    );
    assert!(dom.contains(&format!(r#"data-events="{}""#, history.events.len())));
    assert_eq!(
        dom.matches("<tr data-id=").count(),
        history.events.len(),
        "one row per event"
    );
    assert!(dom.contains(r#"<div class="state cancelled" data-state="Process 1""#));
}
