//! ASL reference paths: the narrow JSONPath that `ResultPath` takes.
//!
//! A reference path names one node: `$`, then any number of `.field`, `['field']` and `[n]`
//! steps. No wildcards, filters, slices or unions: those would name many nodes, and a
//! `ResultPath` must name exactly one place to write to. `$$` starts a path into the context
//! object instead of the input.

use std::fmt;

use serde_json::{Map, Value};

/// One step of a [`ReferencePath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An object member.
    Field(String),
    /// An array element.
    Index(usize),
}

/// A parsed reference path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePath {
    context: bool,
    steps: Vec<Step>,
}

/// Why a string is not a reference path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The byte offset where the problem starts.
    pub offset: usize,
    /// What is wrong, in rustc's wording style.
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for PathError {}

/// Why [`ReferencePath::set`] could not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError {
    /// The path as written.
    pub path: String,
    /// What was in the way.
    pub reason: String,
}

impl fmt::Display for SetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write at `{}`: {}", self.path, self.reason)
    }
}

impl std::error::Error for SetError {}

impl ReferencePath {
    /// Parses a reference path.
    ///
    /// # Errors
    /// When `text` is not `$`/`$$` followed by `.field`, `['field']` or `[n]` steps.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let err = |offset: usize, message: String| PathError { offset, message };
        let (context, mut rest, mut offset) = if let Some(rest) = text.strip_prefix("$$") {
            (true, rest, 2)
        } else if let Some(rest) = text.strip_prefix('$') {
            (false, rest, 1)
        } else {
            return Err(err(0, "a path must start with `$`".into()));
        };
        let mut steps = Vec::new();
        while let Some(c) = rest.chars().next() {
            match c {
                '.' => {
                    let name_len = rest[1..].find(['.', '[']).unwrap_or(rest.len() - 1);
                    let name = &rest[1..=name_len];
                    if name.is_empty() {
                        return Err(err(offset, "expected a field name after `.`".into()));
                    }
                    if let Some(bad) = name.find(|c: char| {
                        c.is_whitespace() || matches!(c, '*' | '?' | '@' | ']' | '(' | ')' | ',')
                    }) {
                        let ch = &name[bad..].chars().next().unwrap_or(' ');
                        return Err(err(
                            offset + 1 + bad,
                            format!("`{ch}` cannot appear in a reference path; a reference path names one node (no wildcards, filters or spaces: write `['a b']` for a name with spaces)"),
                        ));
                    }
                    steps.push(Step::Field(name.to_owned()));
                    rest = &rest[1 + name_len..];
                    offset += 1 + name_len;
                }
                '[' => {
                    let close = rest
                        .find(']')
                        .ok_or_else(|| err(offset, "unclosed `[`".into()))?;
                    let inner = &rest[1..close];
                    let quoted = inner
                        .strip_prefix('\'')
                        .and_then(|s| s.strip_suffix('\''))
                        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
                    if let Some(name) = quoted {
                        steps.push(Step::Field(name.to_owned()));
                    } else if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                        let index = inner
                            .parse()
                            .map_err(|_| err(offset + 1, "array index is too large".into()))?;
                        steps.push(Step::Index(index));
                    } else {
                        return Err(err(
                            offset + 1,
                            format!("`[{inner}]` is not a reference path step; expected one of: `[n]`, `['name']`"),
                        ));
                    }
                    rest = &rest[close + 1..];
                    offset += close + 1;
                }
                _ => {
                    return Err(err(
                        offset,
                        format!("expected `.` or `[` after `$`, found `{c}`"),
                    ))
                }
            }
        }
        Ok(Self { context, steps })
    }

    /// Whether the path starts with `$$` (the context object).
    #[must_use]
    pub fn is_context(&self) -> bool {
        self.context
    }

    /// Whether the path is `$` itself.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps after `$`.
    #[must_use]
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The node the path names in `value`, if there is one.
    #[must_use]
    pub fn get<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.steps.iter().try_fold(value, |node, step| match step {
            Step::Field(name) => node.as_object()?.get(name),
            Step::Index(i) => node.as_array()?.get(*i),
        })
    }

    /// Writes `new` at the place the path names in `target`, as ASL's `ResultPath` does:
    /// `$` replaces the whole document, and missing object members on the way are created.
    ///
    /// # Errors
    /// When a step meets something that is not an object (or not an array with that index).
    pub fn set(&self, target: &mut Value, new: Value) -> Result<(), SetError> {
        let Some((last, init)) = self.steps.split_last() else {
            *target = new;
            return Ok(());
        };
        let fail = |reason: String| SetError {
            path: self.to_string(),
            reason,
        };
        let mut node = target;
        for step in init {
            node = match step {
                Step::Field(name) => {
                    let what = kind(node);
                    let object = node
                        .as_object_mut()
                        .ok_or_else(|| fail(format!("`{name}` is looked up in a {what}")))?;
                    let child = object
                        .entry(name.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if child.is_null() {
                        *child = Value::Object(Map::new());
                    }
                    child
                }
                Step::Index(i) => {
                    let len = node.as_array().map(Vec::len);
                    node.as_array_mut()
                        .and_then(|a| a.get_mut(*i))
                        .ok_or_else(|| fail(index_problem(*i, len)))?
                }
            };
        }
        match last {
            Step::Field(name) => {
                let what = kind(node);
                node.as_object_mut()
                    .ok_or_else(|| fail(format!("`{name}` is looked up in a {what}")))?
                    .insert(name.clone(), new);
            }
            Step::Index(i) => {
                let len = node.as_array().map(Vec::len);
                *node
                    .as_array_mut()
                    .and_then(|a| a.get_mut(*i))
                    .ok_or_else(|| fail(index_problem(*i, len)))? = new;
            }
        }
        Ok(())
    }
}

fn index_problem(i: usize, len: Option<usize>) -> String {
    match len {
        Some(len) => format!("index {i} is out of bounds for an array of {len}"),
        None => format!("index {i} is looked up in something that is not an array"),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.context { "$$" } else { "$" })?;
        for step in &self.steps {
            match step {
                Step::Field(name) if name.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                    write!(f, ".{name}")?;
                }
                Step::Field(name) => write!(f, "['{name}']")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(s: &str) -> ReferencePath {
        ReferencePath::parse(s).unwrap()
    }

    #[test]
    fn parses_every_step_form() {
        assert!(p("$").is_root());
        assert_eq!(
            p("$.a['b c'][2].d").steps(),
            &[
                Step::Field("a".into()),
                Step::Field("b c".into()),
                Step::Index(2),
                Step::Field("d".into())
            ]
        );
        assert!(p("$$.Execution.Input").is_context());
        assert_eq!(p("$.parallel_branch_1").to_string(), "$.parallel_branch_1");
    }

    #[test]
    fn rejects_what_names_many_nodes_or_is_malformed() {
        for bad in [
            "",
            "a.b",
            "$.",
            "$.a.",
            "$.*",
            "$..a",
            "$[*]",
            "$[",
            "$.a b",
            "$x",
            "$[?(@.a)]",
        ] {
            assert!(ReferencePath::parse(bad).is_err(), "{bad} should not parse");
        }
        assert_eq!(ReferencePath::parse("$.a.*").unwrap_err().offset, 4);
    }

    #[test]
    fn gets_nodes() {
        let doc = json!({"a": [{"b": 1}]});
        assert_eq!(p("$.a[0].b").get(&doc), Some(&json!(1)));
        assert_eq!(p("$.a[1]").get(&doc), None);
        assert_eq!(p("$").get(&doc), Some(&doc));
    }

    #[test]
    fn sets_like_result_path() {
        let mut doc = json!({"keep": true});
        p("$.x.y").set(&mut doc, json!(1)).unwrap();
        assert_eq!(doc, json!({"keep": true, "x": {"y": 1}}));

        let mut doc = json!({"a": [1, 2]});
        p("$.a[1]").set(&mut doc, json!("two")).unwrap();
        assert_eq!(doc, json!({"a": [1, "two"]}));

        let mut doc = json!("scalar");
        let err = p("$.x").set(&mut doc, json!(1)).unwrap_err();
        assert!(err.reason.contains("string"), "{err}");

        let mut doc = json!({"a": [1]});
        assert!(p("$.a[3]").set(&mut doc, json!(1)).is_err());

        let mut doc = json!({"a": 1});
        p("$").set(&mut doc, json!([1])).unwrap();
        assert_eq!(doc, json!([1]));
    }
}
