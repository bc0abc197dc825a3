//! The diagrams (issue 14, part 2): every definition of the public corpus, and every
//! example's workflow, renders as Mermaid and as DOT naming each of its states; and Graphviz
//! (`dot -Tsvg`) renders every DOT file. `.ci/run` installs Graphviz and sets
//! `REQUIRE_GRAPHVIZ=1`, under which a missing `dot` fails the test; elsewhere that part says
//! it was skipped.

use std::io::Write;
use std::process::{Command, Stdio};

use sfn_workflow::asl::graph::{dot, mermaid};
use sfn_workflow::asl::{walk, StateMachine};
use sfn_workflow::Workflow;

#[path = "../examples/quorum.rs"]
#[allow(dead_code)]
mod quorum;

fn corpus() -> Vec<(String, StateMachine)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/asl-corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            // A few corpus files are not JSONPath ASL this model reads; `import.rs` covers them.
            let machine = StateMachine::from_json(&text).ok()?;
            Some((path.file_name()?.to_string_lossy().into_owned(), machine))
        })
        .collect()
}

/// The text of an SVG's `<text>` elements, as read: Graphviz writes `-` as `&#45;` and a
/// space after a space as `&#160;`.
fn svg_text(svg: &str) -> String {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .and_then(|(_, rest)| rest.split_once("</text>"))
        })
        .map(|(text, _)| {
            text.replace("&#45;", "-")
                .replace("&#160;", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_corpus_definition_draws_every_state_in_both_formats() {
    let corpus = corpus();
    assert!(corpus.len() > 100, "the corpus holds 127 definitions");
    for (file, machine) in &corpus {
        let (m, d) = (mermaid(machine), dot(machine));
        for state in walk::states(machine) {
            let name = state.name;
            // As Mermaid's labels escape it: `#` first, as the others bring their own.
            let label = name
                .replace('#', "#35;")
                .replace('$', "#36;")
                .replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;");
            assert!(
                m.contains(&format!("\"{label}<br/>")),
                "{file}: `{name}` in Mermaid"
            );
            let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
            assert!(
                d.contains(&format!("label=\"{escaped}\\n")),
                "{file}: `{name}` in DOT"
            );
        }
        assert_eq!(
            m.matches("subgraph ").count(),
            m.lines().filter(|l| l.trim() == "end").count(),
            "{file}: every Mermaid subgraph ends"
        );
    }
}

#[test]
fn graphviz_renders_every_corpus_definition() {
    let required = std::env::var_os("REQUIRE_GRAPHVIZ").is_some();
    if Command::new("dot").arg("-V").output().is_err() {
        assert!(
            !required,
            "REQUIRE_GRAPHVIZ is set but `dot` is not on the PATH"
        );
        eprintln!("skipped: Graphviz (`dot`) is not installed; .ci/run installs it");
        return;
    }
    for (file, machine) in corpus() {
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot(&machine).as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{file}: dot -Tsvg failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let svg = svg_text(&String::from_utf8_lossy(&out.stdout));
        for state in walk::states(&machine) {
            assert!(
                svg.contains(state.name),
                "{file}: `{}` in the SVG",
                state.name
            );
        }
    }
}

// A generated workflow draws itself: the quorum example's Parallel says it is a quorum, and
// each of its processes is a branch of its own.
#[test]
fn a_workflow_draws_itself_with_its_quorum() {
    let text = quorum::QuorumRace::mermaid();
    assert!(
        text.contains("quorum #36;#36;.Execution.Input.quorum of 3"),
        "{text}"
    );
    assert_eq!(text, <quorum::QuorumRace as Workflow>::mermaid());
    assert_eq!(text.matches("subgraph ").count(), 4, "{text}");
    assert!(quorum::QuorumRace::dot().starts_with("digraph workflow {"));
}

// The README shows the quorum example's diagram: it is the one the example draws.
#[test]
fn the_readme_shows_the_quorum_example_s_diagram() {
    let readme = include_str!("../README.md");
    let block = readme
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n").next())
        .expect("a mermaid block in the README");
    assert_eq!(block, quorum::QuorumRace::mermaid());
}
