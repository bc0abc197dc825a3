//! Each execution runs in a `tracing` span named after it, and each state in a span of its
//! own inside it, so that the log lines of concurrent executions can be told apart.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sfn_workflow::Error;

async fn charge(v: Value) -> Result<Value, Error> {
    tracing::info!("charging");
    Ok(v)
}

sfn_workflow::workflow! {
    Checkout {
        start_at: Price,
        states: {
            Price: Pass { result: 5, result_path: "$.price", next: Charge },
            Charge: Task { resource: "arn:charge", handler: charge, retry: [{ error_equals: ["Busy"] }], end: true },
        }
    }
}

/// A writer that keeps what the subscriber writes.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn concurrent_executions_are_told_apart_by_their_spans() {
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (a, b) = tokio::join!(Checkout.run(json!({"n": 1})), Checkout.run(json!({"n": 2})));
            assert!(a.is_ok() && b.is_ok());
        });
    });
    let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    // The handler's own event, in its state's span, in its execution's span.
    let charging: Vec<&str> = text.lines().filter(|l| l.contains("charging")).collect();
    assert_eq!(charging.len(), 2, "{text}");
    let executions: Vec<&str> = charging
        .iter()
        .map(|line| {
            assert!(
                line.contains("execution{workflow=Checkout execution="),
                "{line}"
            );
            assert!(line.contains("}:state{state=Charge}: "), "{line}");
            let start = line.find("execution=").unwrap();
            &line[start..start + line[start..].find('}').unwrap()]
        })
        .collect();
    assert_ne!(executions[0], executions[1], "two executions, two names");
}
