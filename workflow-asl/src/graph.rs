//! Diagrams of a workflow: a Mermaid flowchart (it renders where GitHub Markdown shows a
//! ```` ```mermaid ```` block) and Graphviz DOT (`dot -Tsvg`).
//!
//! Every state is a node labelled with its name and type: a Choice is a diamond, Succeed and
//! Fail are rounded ends, a Task a box, a Pass and a Wait a box with rounded corners. `Next`
//! edges are solid; a Choice's rules are edges labelled with the rule (and `default`); a
//! catcher's edge is dashed and labelled with the errors it catches. A Parallel's branches
//! and a Map's item processor are subgraphs beside their state, which points at each one's
//! first state; a quorum Parallel is labelled `quorum N of M`. The workflow's start and end
//! are small circles.

use std::fmt::Write as _;

use crate::document::{ChoiceRule, State, StateMachine, StateType};

/// The diagram formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Mermaid flowchart.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

impl Format {
    /// The format called `name` (`mermaid` or `dot`).
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "mermaid" => Some(Self::Mermaid),
            "dot" => Some(Self::Dot),
            _ => None,
        }
    }
}

/// `machine` as a Mermaid flowchart.
#[must_use]
pub fn mermaid(machine: &StateMachine) -> String {
    render(machine, Format::Mermaid)
}

/// `machine` as a Graphviz DOT digraph.
#[must_use]
pub fn dot(machine: &StateMachine) -> String {
    render(machine, Format::Dot)
}

/// `machine` in `format`.
#[must_use]
pub fn render(machine: &StateMachine, format: Format) -> String {
    let mut graph = Graph::default();
    let start = graph.machine(machine, None);
    let mut out = String::new();
    match format {
        Format::Mermaid => {
            out.push_str("flowchart TD\n");
            out.push_str("  start((\" \"))\n  finish(((\" \")))\n");
            graph.write_mermaid(&mut out, None, 1);
            if let Some(first) = start {
                let _ = writeln!(out, "  start --> {first}");
            }
            for edge in &graph.edges {
                let arrow = if edge.dashed { "-.->" } else { "-->" };
                match &edge.label {
                    Some(label) => {
                        let _ = writeln!(
                            out,
                            "  {} {arrow}|\"{}\"| {}",
                            edge.from,
                            mermaid_text(label),
                            edge.to
                        );
                    }
                    None => {
                        let _ = writeln!(out, "  {} {arrow} {}", edge.from, edge.to);
                    }
                }
            }
        }
        Format::Dot => {
            out.push_str("digraph workflow {\n");
            out.push_str("  graph [fontname=\"Helvetica\", fontsize=11];\n");
            out.push_str("  node [fontname=\"Helvetica\", fontsize=11];\n");
            out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
            out.push_str(
                "  start [shape=circle, label=\"\", width=0.2, style=filled, fillcolor=black];\n",
            );
            out.push_str(
                "  finish [shape=doublecircle, label=\"\", width=0.15, style=filled, fillcolor=black];\n",
            );
            graph.write_dot(&mut out, None, 1);
            if let Some(first) = start {
                let _ = writeln!(out, "  start -> {first};");
            }
            for edge in &graph.edges {
                let mut attributes = Vec::new();
                if edge.dashed {
                    attributes.push("style=dashed".to_owned());
                }
                if let Some(label) = &edge.label {
                    attributes.push(format!("label=\"{}\"", dot_text(label)));
                }
                let attributes = if attributes.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", attributes.join(", "))
                };
                let _ = writeln!(out, "  {} -> {}{attributes};", edge.from, edge.to);
            }
            out.push_str("}\n");
        }
    }
    out
}

/// A node: one state.
#[derive(Debug)]
struct Node {
    id: String,
    name: String,
    kind: StateType,
    /// What the label says under the name: the type, and a quorum's rule.
    detail: String,
    /// The subgraph it belongs to, if any.
    group: Option<usize>,
}

/// A subgraph: a Parallel branch, a Map's item processor, or the box around a Parallel's
/// branches.
#[derive(Debug)]
struct Group {
    id: String,
    label: String,
    parent: Option<usize>,
}

#[derive(Debug)]
struct Edge {
    from: String,
    to: String,
    label: Option<String>,
    dashed: bool,
}

#[derive(Debug, Default)]
struct Graph {
    nodes: Vec<Node>,
    groups: Vec<Group>,
    edges: Vec<Edge>,
}

impl Graph {
    /// Adds `machine`'s states inside `group` (none at the top): the id of its first state.
    fn machine(&mut self, machine: &StateMachine, group: Option<usize>) -> Option<String> {
        // Ids first, so that edges can name states declared after them.
        let base = self.nodes.len();
        for (i, (name, state)) in machine.states.iter().enumerate() {
            self.nodes.push(Node {
                id: format!("s{}", base + i),
                name: name.to_owned(),
                kind: state.kind,
                detail: detail(state),
                group,
            });
        }
        let id_of = |name: &str| {
            machine
                .states
                .position(name)
                .map(|i| format!("s{}", base + i))
        };
        let top = group.is_none();
        for (i, (_, state)) in machine.states.iter().enumerate() {
            let from = format!("s{}", base + i);
            let mut edge = |to: Option<String>, label: Option<String>, dashed: bool| {
                if let Some(to) = to {
                    self.edges.push(Edge {
                        from: from.clone(),
                        to,
                        label,
                        dashed,
                    });
                }
            };
            if let Some(next) = &state.next {
                edge(id_of(next), None, false);
            }
            if (state.end == Some(true) || matches!(state.kind, StateType::Succeed)) && top {
                edge(Some("finish".to_owned()), None, false);
            }
            for rule in state.choices.iter().flatten() {
                let to = rule.next.as_deref().and_then(id_of);
                edge(to, Some(shorten(&describe(rule))), false);
            }
            if let Some(default) = &state.default {
                edge(id_of(default), Some("default".to_owned()), false);
            }
            for catcher in state.catch.iter().flatten() {
                let errors = catcher.error_equals.join(", ");
                edge(
                    id_of(&catcher.next),
                    Some(shorten(&format!("catch {errors}"))),
                    true,
                );
            }
            // What the state runs: its branches or its item processor, each a subgraph.
            let (name, _) = machine.states.entry(i);
            if let Some(branches) = &state.branches {
                let outer = self.group(format!("{name}: branches"), group);
                for (b, branch) in branches.iter().enumerate() {
                    let inner = self.group(format!("branch {}", b + 1), Some(outer));
                    if let Some(first) = self.machine(branch, Some(inner)) {
                        self.edges.push(Edge {
                            from: from.clone(),
                            to: first,
                            label: None,
                            dashed: false,
                        });
                    }
                }
            }
            if let Some((_, processor)) = state.processor() {
                let inner = self.group(format!("{name}: each item"), group);
                if let Some(first) = self.machine(processor, Some(inner)) {
                    self.edges.push(Edge {
                        from,
                        to: first,
                        label: None,
                        dashed: false,
                    });
                }
            }
        }
        machine
            .start_at
            .as_deref()
            .and_then(|s| machine.states.position(s))
            .map(|i| format!("s{}", base + i))
    }

    fn group(&mut self, label: String, parent: Option<usize>) -> usize {
        self.groups.push(Group {
            id: format!("g{}", self.groups.len()),
            label,
            parent,
        });
        self.groups.len() - 1
    }

    /// Writes the nodes and subgraphs inside `group` as Mermaid, indented `depth` levels.
    fn write_mermaid(&self, out: &mut String, group: Option<usize>, depth: usize) {
        let pad = "  ".repeat(depth);
        for node in self.nodes.iter().filter(|n| n.group == group) {
            let label = mermaid_text(&format!("{}\n{}", node.name, node.detail));
            let (open, close) = match node.kind {
                StateType::Choice => ("{", "}"),
                StateType::Succeed | StateType::Fail => ("([", "])"),
                StateType::Pass | StateType::Wait => ("(", ")"),
                StateType::Parallel | StateType::Map => ("[[", "]]"),
                StateType::Task => ("[", "]"),
            };
            let _ = writeln!(out, "{pad}{}{open}\"{label}\"{close}", node.id);
        }
        for (i, g) in self.groups.iter().enumerate() {
            if g.parent != group {
                continue;
            }
            let _ = writeln!(
                out,
                "{pad}subgraph {}[\"{}\"]",
                g.id,
                mermaid_text(&g.label)
            );
            let _ = writeln!(out, "{pad}  direction TB");
            self.write_mermaid(out, Some(i), depth + 1);
            let _ = writeln!(out, "{pad}end");
        }
    }

    /// Writes the nodes and subgraphs inside `group` as DOT, indented `depth` levels.
    fn write_dot(&self, out: &mut String, group: Option<usize>, depth: usize) {
        let pad = "  ".repeat(depth);
        for node in self.nodes.iter().filter(|n| n.group == group) {
            let shape = match node.kind {
                StateType::Choice => "diamond",
                StateType::Succeed | StateType::Fail => "oval",
                StateType::Parallel | StateType::Map => "box3d",
                StateType::Pass | StateType::Wait | StateType::Task => "box",
            };
            let style = match node.kind {
                StateType::Pass | StateType::Wait => ", style=rounded",
                StateType::Fail => ", style=filled, fillcolor=\"#f4cccc\"",
                StateType::Succeed => ", style=filled, fillcolor=\"#d9ead3\"",
                _ => "",
            };
            let _ = writeln!(
                out,
                "{pad}{} [shape={shape}{style}, label=\"{}\"];",
                node.id,
                dot_text(&format!("{}\n{}", node.name, node.detail))
            );
        }
        for (i, g) in self.groups.iter().enumerate() {
            if g.parent != group {
                continue;
            }
            let _ = writeln!(out, "{pad}subgraph cluster_{} {{", g.id);
            let _ = writeln!(
                out,
                "{pad}  label=\"{}\"; style=dashed;",
                dot_text(&g.label)
            );
            self.write_dot(out, Some(i), depth + 1);
            let _ = writeln!(out, "{pad}}}");
        }
    }
}

/// What a state's label says under its name: its type, and a quorum's rule (`Parallel,
/// quorum 2 of 3`).
#[must_use]
pub fn detail(state: &State) -> String {
    let kind = state.kind.as_str();
    match &state.quorum {
        Some(quorum) => {
            let branches = state.branches.as_ref().map_or(0, Vec::len);
            let needed = match (&quorum.count, &quorum.count_path) {
                (Some(n), _) => n.to_string(),
                (None, Some(path)) => path.clone(),
                (None, None) => "?".to_owned(),
            };
            format!("{kind}, quorum {needed} of {branches}")
        }
        None => kind.to_owned(),
    }
}

/// A Choice rule as text: `$.n NumericGreaterThan 1`, `not (...)`, `(...) and (...)`.
#[must_use]
pub fn describe(rule: &ChoiceRule) -> String {
    let all = |rules: &[ChoiceRule], joint: &str| {
        rules
            .iter()
            .map(|r| format!("({})", describe(r)))
            .collect::<Vec<_>>()
            .join(joint)
    };
    if let Some(rules) = &rule.and {
        return all(rules, " and ");
    }
    if let Some(rules) = &rule.or {
        return all(rules, " or ");
    }
    if let Some(inner) = &rule.not {
        return format!("not ({})", describe(inner));
    }
    let variable = rule.variable.as_deref().unwrap_or("?");
    match rule.comparison.iter().next() {
        Some((operator, operand)) => format!("{variable} {operator} {operand}"),
        None => variable.to_owned(),
    }
}

/// `text`, cut to 60 characters.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}…")
}

/// `text` inside a Mermaid quoted label: quotes and the characters Mermaid reads as markup
/// (`#`, `$`, `<`, `>`) become entity codes, line breaks `<br/>`.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            // Newer Mermaid reads `$$...$$` as mathematics.
            '$' => out.push_str("#36;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `text` inside a DOT quoted string: quotes and backslashes escaped, line breaks `\n`.
fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = r#"{"StartAt": "Fan", "States": {
        "Fan": {"Type": "Parallel", "Next": "Ok",
                "Quorum": {"Count": 2},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Bad"}],
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:b", "End": true}}},
                    {"StartAt": "C", "States": {"C": {"Type": "Wait", "Seconds": 1, "End": true}}}]},
        "Bad": {"Type": "Fail", "Error": "Quorum"},
        "Ok": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Done"}],
               "Default": "Done"},
        "Done": {"Type": "Succeed"}}}"#;

    #[test]
    fn mermaid_draws_states_edges_branches_and_the_quorum() {
        let text = mermaid(&StateMachine::from_json(SEED).unwrap());
        assert!(text.starts_with("flowchart TD\n"), "{text}");
        for name in ["Fan", "Bad", "Ok", "Done", "A", "B", "C"] {
            assert!(text.contains(&format!("\"{name}<br/>")), "{name} in {text}");
        }
        assert!(text.contains("Parallel, quorum 2 of 3"), "{text}");
        assert_eq!(
            text.matches("subgraph ").count(),
            4,
            "branches, and their box"
        );
        let ends = text.lines().filter(|l| l.trim() == "end").count();
        assert_eq!(ends, 4, "each subgraph ends");
        assert!(text.contains("-.->|\"catch States.ALL\"|"), "{text}");
        assert!(text.contains("|\"#36;.n NumericGreaterThan 1\"|"), "{text}");
        assert!(text.contains("|\"default\"|"), "{text}");
        assert!(text.contains("start --> s0"), "{text}");
    }

    #[test]
    fn dot_draws_the_same_graph() {
        let text = dot(&StateMachine::from_json(SEED).unwrap());
        assert!(text.starts_with("digraph workflow {"), "{text}");
        assert!(text.trim_end().ends_with('}'));
        assert_eq!(
            text.matches('{').count(),
            text.matches('}').count(),
            "{text}"
        );
        assert_eq!(text.matches("subgraph cluster_").count(), 4);
        assert!(
            text.contains("[style=dashed, label=\"catch States.ALL\"]"),
            "{text}"
        );
        assert!(
            text.contains("label=\"Fan\\nParallel, quorum 2 of 3\""),
            "{text}"
        );
    }

    #[test]
    fn labels_escape_what_each_format_reads_as_syntax() {
        assert_eq!(
            mermaid_text("a \"b\" <c> #1\nd"),
            "a #quot;b#quot; #lt;c#gt; #35;1<br/>d"
        );
        assert_eq!(dot_text("a \"b\" \\ c\nd"), "a \\\"b\\\" \\\\ c\\nd");
        assert_eq!(shorten(&"x".repeat(70)).chars().count(), 60);
    }
}
