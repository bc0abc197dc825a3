//! The execution page: one self-contained HTML file that shows what an execution did.
//!
//! [`html`] draws the workflow as nested boxes (each state in definition order, a Parallel's
//! branches side by side, a Map's item processor inside it, every transition that is not to
//! the next box written on the box: `next`, Choice rules, catchers), each state coloured by
//! what happened to it ([`Fate`]), beside the list of the execution's events. Clicking a
//! state shows its events with their input, output, error and cause; clicking an event
//! selects its state; `page.html#state=NAME` opens with the state `NAME` selected. Everything is in the file (styles, script, data): it reads offline and
//! fetches nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::UNIX_EPOCH;

use serde_json::{json, Value};
use workflow_asl::{graph, State, StateMachine, StateType};

use crate::history::{EventType, History, HistoryEvent};

/// What happened to a state in an execution, from its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fate {
    /// It never ran.
    NotReached,
    /// It ran and exited.
    Succeeded,
    /// It exited after more attempts than runs: a retrier ran it again.
    Retried,
    /// It failed and a catcher sent its error on.
    Caught,
    /// It was running when its branch or iteration was cancelled.
    Cancelled,
    /// It failed, and nothing caught the error in it.
    Failed,
}

impl Fate {
    /// The fate's name, as the page's legend and CSS class say it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::NotReached => "not reached",
            Self::Succeeded => "succeeded",
            Self::Retried => "retried",
            Self::Caught => "caught",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Self::NotReached => "unreached",
            other => other.name(),
        }
    }
}

/// What happened to each state of `definition` in the execution `history` recorded: every
/// state is named, those that never ran as [`Fate::NotReached`]. A state that ran more than
/// once (in a Map's iterations, or a loop) has the gravest of its fates.
#[must_use]
pub fn fates(definition: &StateMachine, history: &History) -> HashMap<String, Fate> {
    let by_id: HashMap<u64, &HistoryEvent> = history.events.iter().map(|e| (e.id, e)).collect();
    let mut tally: HashMap<&str, Tally> = HashMap::new();
    for event in &history.events {
        let Some(state) = event.state.as_deref() else {
            continue;
        };
        let t = tally.entry(state).or_default();
        match event.kind {
            EventType::StateEntered(StateType::Fail) => t.failed_state = true,
            EventType::StateEntered(_) => t.entered += 1,
            EventType::StateExited(_) => {
                t.exited += 1;
                let previous = by_id.get(&event.previous_event_id);
                if previous.is_some_and(|p| is_failure(p.kind)) {
                    t.caught = true;
                }
            }
            EventType::StateAborted(_) => t.aborted += 1,
            kind if is_attempt(kind) => t.attempts += 1,
            _ => {}
        }
    }
    let mut fates = HashMap::new();
    for walked in workflow_asl::walk::states(definition) {
        let fate = tally.get(walked.name).map_or(Fate::NotReached, Tally::fate);
        fates.insert(walked.name.to_owned(), fate);
    }
    fates
}

#[derive(Debug, Default)]
struct Tally {
    entered: u32,
    exited: u32,
    aborted: u32,
    attempts: u32,
    caught: bool,
    failed_state: bool,
}

impl Tally {
    fn fate(&self) -> Fate {
        let runs = self.entered + u32::from(self.failed_state);
        if self.failed_state || runs > self.exited + self.aborted {
            Fate::Failed
        } else if self.aborted > 0 {
            Fate::Cancelled
        } else if self.caught {
            Fate::Caught
        } else if runs == 0 {
            Fate::NotReached
        } else if self.attempts > self.entered {
            // More attempts (Task schedules, Parallel and Map starts) than runs.
            Fate::Retried
        } else {
            Fate::Succeeded
        }
    }
}

/// The start of an attempt: a Task's schedule, a Parallel's or a Map's start.
fn is_attempt(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::TaskScheduled
            | EventType::LambdaFunctionScheduled
            | EventType::ActivityScheduled
            | EventType::ParallelStateStarted
            | EventType::MapStateStarted
    )
}

/// An attempt's failure, or an expression's in it.
fn is_failure(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::EvaluationFailed
            | EventType::TaskFailed
            | EventType::TaskTimedOut
            | EventType::LambdaFunctionFailed
            | EventType::LambdaFunctionTimedOut
            | EventType::ActivityFailed
            | EventType::ActivityTimedOut
            | EventType::ParallelStateFailed
            | EventType::MapStateFailed
    )
}

/// The execution page of one execution of the workflow `name`, whose definition is
/// `definition`, from the `history` it recorded: a whole HTML document.
#[must_use]
pub fn html(name: &str, definition: &StateMachine, history: &History) -> String {
    let fates = fates(definition, history);
    let mut boxes = String::new();
    machine(&mut boxes, definition, &fates);
    let ending = history.events.last().map(ending).unwrap_or_default();
    let started = history.events.first().map(|e| e.timestamp);
    let events: Vec<Value> = history
        .events
        .iter()
        .map(|e| {
            let at = started
                .and_then(|s| e.timestamp.duration_since(s).ok())
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            let stamp = e
                .timestamp
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            json!({
                "id": e.id, "previous": e.previous_event_id, "type": e.kind.name(),
                "state": e.state.as_deref(), "at": at, "timestamp": stamp,
                "details": e.details,
            })
        })
        .collect();
    let fate_data: serde_json::Map<String, Value> = fates
        .iter()
        .map(|(state, fate)| (state.clone(), Value::from(fate.name())))
        .collect();
    let data = json!({ "events": events, "fates": fate_data });
    // Inside a script element, `<` must not start a tag: JSON's `\u003c` reads the same.
    let data = data.to_string().replace('<', "\\u003c");
    let legend: String = [
        Fate::Succeeded,
        Fate::Retried,
        Fate::Caught,
        Fate::Cancelled,
        Fate::Failed,
        Fate::NotReached,
    ]
    .iter()
    .map(|f| format!(r#"<span class="chip {}">{}</span>"#, f.class(), f.name()))
    .collect();
    let title = escape(name);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: execution</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1><p class="ending">{ending}</p><p class="legend">{legend}</p></header>
<main>
<section id="graph" aria-label="The workflow, each state coloured by what happened to it">
<div class="terminal">start</div><div class="arrow">↓</div>
{boxes}
<div class="arrow">↓</div><div class="terminal">end</div>
</section>
<aside>
<section id="detail"><p class="hint">Click a state or an event to see its input, output and error.</p></section>
<section id="events"><h2>Events</h2><table><thead><tr><th>id</th><th>prev</th><th>type</th><th>state</th><th>+ms</th></tr></thead><tbody></tbody></table></section>
</aside>
</main>
<script id="data" type="application/json">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#
    )
}

/// How the execution ended, from its last event.
fn ending(last: &HistoryEvent) -> String {
    let what = match last.kind {
        EventType::ExecutionSucceeded => "Succeeded".to_owned(),
        EventType::ExecutionFailed | EventType::ExecutionTimedOut => format!(
            "{}: {} {}",
            if last.kind == EventType::ExecutionFailed {
                "Failed"
            } else {
                "Timed out"
            },
            last.detail_str("error").unwrap_or_default(),
            last.detail_str("cause").unwrap_or_default()
        ),
        _ => "Still running".to_owned(),
    };
    let class = match last.kind {
        EventType::ExecutionSucceeded => "succeeded",
        _ => "failed",
    };
    format!(r#"<span class="chip {class}">{}</span>"#, escape(&what))
}

/// One (sub)workflow's boxes, in definition order.
fn machine(out: &mut String, machine: &StateMachine, fates: &HashMap<String, Fate>) {
    out.push_str(r#"<div class="machine">"#);
    let names: Vec<&str> = machine.states.iter().map(|(name, _)| name).collect();
    for (position, (name, state)) in machine.states.iter().enumerate() {
        let fate = fates.get(name).copied().unwrap_or(Fate::NotReached);
        let _ = write!(
            out,
            r#"<div class="state {}" data-state="{}" tabindex="0" title="{}"><div class="title"><span class="kind">{}</span> {}</div>"#,
            fate.class(),
            escape(name),
            fate.name(),
            escape(&graph::detail(state)),
            escape(name),
        );
        let _ = write!(out, r#"<div class="fate">{}</div>"#, fate.name());
        let following = names.get(position + 1).copied();
        exits(out, state, following);
        if let Some(branches) = &state.branches {
            out.push_str(r#"<div class="branches">"#);
            for branch in branches {
                out.push_str(r#"<div class="branch">"#);
                self::machine(out, branch, fates);
                out.push_str("</div>");
            }
            out.push_str("</div>");
        }
        if let Some((_, processor)) = state.processor() {
            out.push_str(r#"<div class="processor"><div class="label">each item</div>"#);
            self::machine(out, processor, fates);
            out.push_str("</div>");
        }
        out.push_str("</div>");
        if state.next.is_some() && state.next.as_deref() == following {
            out.push_str(r#"<div class="arrow">↓</div>"#);
        }
    }
    out.push_str("</div>");
}

/// The transitions of `state` that are not simply to the box below it.
fn exits(out: &mut String, state: &State, following: Option<&str>) {
    let mut lines = Vec::new();
    if let Some(next) = state.next.as_deref().filter(|n| Some(*n) != following) {
        lines.push(("next", format!("→ {next}")));
    }
    for rule in state.choices.iter().flatten() {
        let target = rule.next.as_deref().unwrap_or("?");
        lines.push(("rule", format!("{} → {target}", graph::describe(rule))));
    }
    if let Some(default) = &state.default {
        lines.push(("rule", format!("otherwise → {default}")));
    }
    for catcher in state.catch.iter().flatten() {
        lines.push((
            "catch",
            format!(
                "catch {} → {}",
                catcher.error_equals.join(", "),
                catcher.next
            ),
        ));
    }
    if state.end == Some(true) || matches!(state.kind, StateType::Succeed) {
        lines.push(("end", "→ end".to_owned()));
    }
    if lines.is_empty() {
        return;
    }
    out.push_str(r#"<ul class="exits">"#);
    for (class, text) in lines {
        let _ = write!(out, r#"<li class="{class}">{}</li>"#, escape(&text));
    }
    out.push_str("</ul>");
}

/// `text` safe inside HTML text and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r##"
:root { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 14px; color: #1d2129; }
body { margin: 0; background: #f6f7f9; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid #dfe3e8; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 15px; margin: 0 0 8px; }
.ending, .legend { margin: 4px 0; }
main { display: flex; gap: 16px; padding: 16px 20px; align-items: flex-start; }
#graph { flex: 1 1 55%; display: flex; flex-direction: column; align-items: center; overflow-x: auto; }
aside { flex: 1 1 45%; display: flex; flex-direction: column; gap: 16px; min-width: 360px; }
aside > section { background: #fff; border: 1px solid #dfe3e8; border-radius: 8px; padding: 12px; }
.machine { display: flex; flex-direction: column; align-items: center; }
.state { border: 2px solid #8a94a6; border-radius: 8px; padding: 6px 10px; background: #fff; min-width: 150px; cursor: pointer; text-align: center; }
.state:focus, .state.selected { outline: 3px solid #1f6feb; outline-offset: 2px; }
.title { font-weight: 600; }
.kind { font-weight: 400; font-size: 11px; color: #57606a; display: block; }
.exits { list-style: none; margin: 4px 0 0; padding: 0; font-size: 11px; color: #444; text-align: left; }
.exits .catch { color: #9a3412; }
.arrow { color: #8a94a6; line-height: 18px; }
.terminal { font-size: 11px; color: #57606a; border: 1px solid #8a94a6; border-radius: 12px; padding: 1px 10px; background: #fff; }
.branches { display: flex; gap: 10px; margin-top: 8px; align-items: flex-start; }
.branch, .processor { border: 1px dashed #b0b7c3; border-radius: 8px; padding: 8px; background: #fafbfc; }
.processor { margin-top: 8px; }
.label { font-size: 11px; color: #57606a; margin-bottom: 4px; }
.fate { font-size: 11px; font-style: italic; color: #374151; }
.succeeded { background: #e6f4ea; border-color: #2e7d32; }
.retried { background: #fff8e1; border-color: #b7791f; }
.caught { background: #fff1e6; border-color: #c2410c; }
.cancelled { background: repeating-linear-gradient(45deg, #eceff3, #eceff3 6px, #f7f8fa 6px, #f7f8fa 12px); border-color: #6b7280; border-style: dashed; }
.failed { background: #fdecec; border-color: #c62828; }
.unreached { background: #fff; border-color: #d0d5dd; color: #8a94a6; border-style: dotted; }
.chip { display: inline-block; border: 1px solid; border-radius: 10px; padding: 1px 8px; margin-right: 6px; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eef0f3; }
tbody tr { cursor: pointer; }
tbody tr:hover, tbody tr.selected { background: #eef4ff; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: 6px; border-radius: 4px; margin: 4px 0; font-size: 12px; }
.hint { color: #57606a; margin: 0; }
"##;

const SCRIPT: &str = r##"
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const body = document.querySelector("#events tbody");
  const detail = document.getElementById("detail");
  const text = (s) => document.createTextNode(s == null ? "" : String(s));
  const cell = (row, value) => { const td = document.createElement("td"); td.appendChild(text(value)); row.appendChild(td); };
  const pretty = (value) => { try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; } };
  for (const event of data.events) {
    const row = document.createElement("tr");
    row.dataset.id = event.id;
    if (event.state) row.dataset.state = event.state;
    [event.id, event.previous, event.type, event.state || "", event.at].forEach((v) => cell(row, v));
    row.addEventListener("click", () => select(event.state, event.id));
    body.appendChild(row);
  }
  function field(parent, name, value) {
    if (value == null) return;
    const h = document.createElement("div"); h.className = "label"; h.appendChild(text(name));
    const pre = document.createElement("pre"); pre.appendChild(text(pretty(value)));
    parent.appendChild(h); parent.appendChild(pre);
  }
  function select(state, id) {
    document.querySelectorAll(".selected").forEach((e) => e.classList.remove("selected"));
    detail.replaceChildren();
    const title = document.createElement("h2");
    title.appendChild(text(state ? state + ": " + (data.fates[state] || "") : "the execution"));
    detail.appendChild(title);
    if (state) {
      const box = document.querySelector('.state[data-state="' + CSS.escape(state) + '"]');
      if (box) box.classList.add("selected");
    }
    const own = data.events.filter((e) => (state ? e.state === state : !e.state) || e.id === id);
    for (const event of own) {
      const row = body.querySelector('tr[data-id="' + event.id + '"]');
      if (row) row.classList.add("selected");
      const d = event.details || {};
      const item = document.createElement("div");
      const head = document.createElement("strong");
      head.appendChild(text(event.id + " " + event.type + (d.index != null ? " #" + d.index : "")));
      item.appendChild(head);
      field(item, "input", d.input); field(item, "parameters", d.parameters);
      field(item, "output", d.output); field(item, "error", d.error); field(item, "cause", d.cause);
      detail.appendChild(item);
    }
  }
  document.querySelectorAll(".state").forEach((box) => {
    box.addEventListener("click", (e) => { e.stopPropagation(); select(box.dataset.state); });
    box.addEventListener("keydown", (e) => { if (e.key === "Enter") select(box.dataset.state); });
  });
  // `page.html#state=NAME` opens with the state NAME selected.
  if (location.hash.startsWith("#state=")) select(decodeURIComponent(location.hash.slice(7)));
  document.body.dataset.events = String(data.events.length);
  document.body.dataset.ready = "true";
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    // The page escapes what the definition and the events say: a state name is text, never
    // markup, and the data cannot close its script element.
    #[test]
    fn names_and_data_are_escaped() {
        let definition = StateMachine::from_json(
            r#"{"StartAt": "<b>x</b>", "States": {"<b>x</b>": {"Type": "Pass", "Result": "</script>", "End": true}}}"#,
        )
        .unwrap();
        let mut history = History::default();
        history.events.push(HistoryEvent {
            id: 1,
            previous_event_id: 0,
            timestamp: UNIX_EPOCH,
            kind: EventType::ExecutionSucceeded,
            details: Some(serde_json::Map::from_iter([(
                "output".to_owned(),
                Value::from("\"</script>\""),
            )])),
            state: None,
        });
        let page = html("W", &definition, &history);
        assert!(page.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!page.contains("<b>x</b>"));
        assert_eq!(
            page.matches("</script>").count(),
            2,
            "only the two closing tags"
        );
    }
}
