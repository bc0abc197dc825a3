//! Shared by the benchmarks: reading criterion's estimates back to report ratios.

use std::path::PathBuf;

/// Criterion's median estimate for `group/id` in this run, in nanoseconds.
pub(crate) fn median_ns(group: &str, id: &str) -> Option<f64> {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let file = dir
        .join("criterion")
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(file).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

/// Prints `subject / baseline` for each pair, as a Markdown table row.
pub(crate) fn report(rows: &[(&str, &str, &str)]) {
    println!("\n| group | measured | against | median | baseline median | ratio |");
    println!("|---|---|---|---|---|---|");
    for (group, subject, baseline) in rows {
        match (median_ns(group, subject), median_ns(group, baseline)) {
            (Some(s), Some(b)) => println!(
                "| {group} | {subject} | {baseline} | {} | {} | {:.3}x |",
                human(s),
                human(b),
                s / b
            ),
            _ => println!("| {group} | {subject} | {baseline} | (not run) | | |"),
        }
    }
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}
