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
pub enum PathStep {
    /// An object member.
    Field(String),
    /// An array element.
    Index(usize),
}

/// A parsed reference path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePath {
    context: bool,
    steps: Vec<PathStep>,
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

/// A step of a reference path as written: a member name borrowed from the text (made only
/// when it holds an escape), or an index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StepRef<'t> {
    Field(std::borrow::Cow<'t, str>),
    Index(usize),
}

impl StepRef<'_> {
    fn into_step(self) -> PathStep {
        match self {
            Self::Field(name) => PathStep::Field(name.into_owned()),
            Self::Index(i) => PathStep::Index(i),
        }
    }
}

/// A quoted name's text with its escapes (`\'`, `\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
/// `\r`, `\t`, `\uXXXX`, as JSONPath writes them) replaced by what they stand for.
///
/// # Errors
/// The byte offset, in `raw`, of an escape that stands for nothing.
fn unescape(raw: &str) -> Result<String, usize> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = match chars.next().map(|(_, e)| e) {
            Some(e @ ('\\' | '\'' | '"' | '/')) => e,
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => {
                let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                    .ok_or(at)?
            }
            _ => return Err(at),
        };
        out.push(escaped);
    }
    Ok(out)
}

/// The steps of a reference path, read from its text one at a time, without allocating:
/// [`ReferencePath::parse`] collects them, and the `*_in` functions walk them in place.
#[derive(Debug, Clone)]
struct Steps<'t> {
    rest: &'t str,
    offset: usize,
}

impl<'t> Steps<'t> {
    /// Whether `text` starts with `$$`, and its steps after the `$`/`$$`.
    fn of(text: &'t str) -> Result<(bool, Self), PathError> {
        let (context, rest, offset) = if let Some(rest) = text.strip_prefix("$$") {
            (true, rest, 2)
        } else if let Some(rest) = text.strip_prefix('$') {
            (false, rest, 1)
        } else {
            return Err(PathError {
                offset: 0,
                message: "a path must start with `$`".into(),
            });
        };
        Ok((context, Self { rest, offset }))
    }

    /// Checks every step, so that a walk that changes a document never stops half-way.
    fn validate(&self) -> Result<(), PathError> {
        self.clone().try_for_each(|step| step.map(drop))
    }
}

impl<'t> Iterator for Steps<'t> {
    type Item = Result<StepRef<'t>, PathError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        let offset = self.offset;
        let err = |offset: usize, message: String| Some(Err(PathError { offset, message }));
        // A failed step ends the walk.
        self.rest = "";
        match rest.chars().next()? {
            '.' => {
                // One pass over bytes to the end of the name, noting the first forbidden one:
                // every byte that matters is ASCII; non-ASCII chars are checked as chars.
                let bytes = rest.as_bytes();
                let (mut end, mut bad, mut ascii) = (1, None, true);
                while let Some(&b) = bytes.get(end) {
                    match b {
                        b'.' | b'[' => break,
                        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b'*' | b'?' | b'@' | b']'
                        | b'(' | b')' | b',' => {
                            bad = bad.or(Some(end - 1));
                        }
                        0x80.. => ascii = false,
                        _ => {}
                    }
                    end += 1;
                }
                let name_len = end - 1;
                let name = &rest[1..end];
                if name.is_empty() {
                    return err(offset, "expected a field name after `.`".into());
                }
                if !ascii {
                    let forbidden = |c: char| {
                        c.is_whitespace() || matches!(c, '*' | '?' | '@' | ']' | '(' | ')' | ',')
                    };
                    bad = name.find(forbidden);
                }
                if let Some(bad) = bad {
                    let ch = &name[bad..].chars().next().unwrap_or(' ');
                    return err(
                        offset + 1 + bad,
                        format!("`{ch}` cannot appear in a reference path; a reference path names one node (no wildcards, filters or spaces: write `['a b']` for a name with spaces)"),
                    );
                }
                self.rest = &rest[1 + name_len..];
                self.offset = offset + 1 + name_len;
                Some(Ok(StepRef::Field(std::borrow::Cow::Borrowed(name))))
            }
            '[' => {
                // A quoted name ends at its closing quote, which `]` must follow: the name may
                // hold `]` (`$['a]']`), and `$['a','b']` is a union, not one node.
                let quote = rest[1..].chars().next().filter(|c| matches!(c, '\'' | '"'));
                if let Some(quote) = quote {
                    // The closing quote is the first one no backslash escapes.
                    let mut escaped = false;
                    let name_end = rest[2..]
                        .char_indices()
                        .find(|&(_, c)| {
                            let closes = !escaped && c == quote;
                            escaped = !escaped && c == '\\';
                            closes
                        })
                        .map(|(i, _)| i + 2);
                    let Some(name_end) = name_end else {
                        return err(offset, format!("unclosed `{quote}`"));
                    };
                    if rest.as_bytes().get(name_end + 1) != Some(&b']') {
                        return err(
                            offset + 1,
                            format!("`{}` is not a reference path step; expected one of: `[n]`, `['name']`", &rest[..(name_end + 2).min(rest.len())]),
                        );
                    }
                    let raw = &rest[2..name_end];
                    let name = if raw.contains('\\') {
                        match unescape(raw) {
                            Ok(name) => std::borrow::Cow::Owned(name),
                            Err(at) => {
                                return err(
                                    offset + 2 + at,
                                    "unknown escape in a quoted name; write `\\\\`, `\\'`, `\\\"` or `\\uXXXX`".into(),
                                )
                            }
                        }
                    } else {
                        std::borrow::Cow::Borrowed(raw)
                    };
                    self.rest = &rest[name_end + 2..];
                    self.offset = offset + name_end + 2;
                    return Some(Ok(StepRef::Field(name)));
                }
                let Some(close) = rest.find(']') else {
                    return err(offset, "unclosed `[`".into());
                };
                let inner = &rest[1..close];
                let step = if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                    match inner.parse() {
                        Ok(index) => StepRef::Index(index),
                        Err(_) => return err(offset + 1, "array index is too large".into()),
                    }
                } else {
                    return err(
                        offset + 1,
                        format!("`[{inner}]` is not a reference path step; expected one of: `[n]`, `['name']`"),
                    );
                };
                self.rest = &rest[close + 1..];
                self.offset = offset + close + 1;
                Some(Ok(step))
            }
            c => err(
                offset,
                format!("expected `.` or `[` after `$`, found `{c}`"),
            ),
        }
    }
}

impl ReferencePath {
    /// Parses a reference path.
    ///
    /// # Errors
    /// When `text` is not `$`/`$$` followed by `.field`, `['field']` or `[n]` steps.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let (context, steps) = Steps::of(text)?;
        let steps = steps
            .map(|step| step.map(StepRef::into_step))
            .collect::<Result<_, _>>()?;
        Ok(Self { context, steps })
    }

    /// [`ReferencePath::parse`] then [`ReferencePath::get`], reading the steps straight from
    /// `text`: nothing is allocated. `$$` paths are walked from `value` too: the caller
    /// passes the context object for them.
    ///
    /// # Errors
    /// When `text` is not a reference path.
    pub fn get_in<'v>(text: &str, value: &'v Value) -> Result<Option<&'v Value>, PathError> {
        let (_, steps) = Steps::of(text)?;
        let mut node = Some(value);
        for step in steps {
            let step = step?;
            node = node.and_then(|node| get_step(node, step));
        }
        Ok(node)
    }

    /// [`ReferencePath::get_in`] on a value it owns: the node is moved out of `value`, not
    /// copied.
    ///
    /// # Errors
    /// When `text` is not a reference path.
    pub fn take_in(text: &str, mut value: Value) -> Result<Option<Value>, PathError> {
        let (_, steps) = Steps::of(text)?;
        steps.validate()?;
        let mut node = &mut value;
        for step in steps.flatten() {
            node = match step {
                StepRef::Field(name) => {
                    match node.as_object_mut().and_then(|o| o.get_mut(&*name)) {
                        Some(child) => child,
                        None => return Ok(None),
                    }
                }
                StepRef::Index(i) => match node.as_array_mut().and_then(|a| a.get_mut(i)) {
                    Some(child) => child,
                    None => return Ok(None),
                },
            };
        }
        Ok(Some(std::mem::take(node)))
    }

    /// [`ReferencePath::parse`] then [`ReferencePath::set`], reading the steps straight from
    /// `text`: nothing is allocated for the path. `target` is left as it was when `text` is
    /// not a reference path.
    ///
    /// # Errors
    /// The outer error when `text` is not a reference path; the inner one as
    /// [`ReferencePath::set`].
    pub fn set_in(
        text: &str,
        target: &mut Value,
        new: Value,
    ) -> Result<Result<(), SetError>, PathError> {
        let (_, steps) = Steps::of(text)?;
        steps.validate()?;
        let fail = |reason: String| SetError {
            path: text.to_owned(),
            reason,
        };
        let mut steps = steps.flatten().peekable();
        let mut node = target;
        while let Some(step) = steps.next() {
            let last = steps.peek().is_none();
            let child = match step_mut(node, step, last) {
                Ok(child) => child,
                Err(reason) => return Ok(Err(fail(reason))),
            };
            if last {
                *child = new;
                return Ok(Ok(()));
            }
            node = child;
        }
        *node = new;
        Ok(Ok(()))
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
    pub fn steps(&self) -> &[PathStep] {
        &self.steps
    }

    /// The node the path names in `value`, if there is one.
    #[must_use]
    pub fn get<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        PathStep::follow(&self.steps, value)
    }

    /// Writes `new` at the place the path names in `target`, as ASL's `ResultPath` does:
    /// `$` replaces the whole document, and missing object members on the way are created.
    ///
    /// # Errors
    /// When a step meets something that is not an object (or not an array with that index).
    pub fn set(&self, target: &mut Value, new: Value) -> Result<(), SetError> {
        let mut node = target;
        for (i, step) in self.steps.iter().enumerate() {
            node = step_mut(node, step.as_ref(), i + 1 == self.steps.len()).map_err(|reason| {
                SetError {
                    path: self.to_string(),
                    reason,
                }
            })?;
        }
        *node = new;
        Ok(())
    }
}

impl PathStep {
    /// The node `steps` name in `value`, if there is one: a part of a path followed alone,
    /// as the context object's `$$.Execution.Input...` is followed in the input itself.
    #[must_use]
    pub fn follow<'v>(steps: &[Self], value: &'v Value) -> Option<&'v Value> {
        steps
            .iter()
            .try_fold(value, |node, step| get_step(node, step.as_ref()))
    }

    fn as_ref(&self) -> StepRef<'_> {
        match self {
            Self::Field(name) => StepRef::Field(std::borrow::Cow::Borrowed(name)),
            Self::Index(i) => StepRef::Index(*i),
        }
    }
}

/// The child `step` names in `node`, if there is one.
fn get_step<'v>(node: &'v Value, step: StepRef<'_>) -> Option<&'v Value> {
    match step {
        StepRef::Field(name) => node.as_object()?.get(&*name),
        StepRef::Index(i) => node.as_array()?.get(i),
    }
}

/// The place `step` names in `node`, for [`ReferencePath::set`]: a missing (or null) member
/// on the way is created as an object, and the `last` member as null, to be written.
///
/// # Errors
/// Why the step cannot be taken.
fn step_mut<'v>(
    node: &'v mut Value,
    step: StepRef<'_>,
    last: bool,
) -> Result<&'v mut Value, String> {
    match step {
        StepRef::Field(name) => {
            let what = kind(node);
            let object = node
                .as_object_mut()
                .ok_or_else(|| format!("`{name}` is looked up in a {what}"))?;
            let child = object.entry(name).or_insert(Value::Null);
            if !last && child.is_null() {
                *child = Value::Object(Map::new());
            }
            Ok(child)
        }
        StepRef::Index(i) => {
            let len = node.as_array().map(Vec::len);
            node.as_array_mut()
                .and_then(|a| a.get_mut(i))
                .ok_or_else(|| index_problem(i, len))
        }
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
                PathStep::Field(name) if name.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                    write!(f, ".{name}")?;
                }
                PathStep::Field(name) => {
                    write!(f, "['{}']", name.replace('\\', "\\\\").replace('\'', "\\'"))?;
                }
                PathStep::Index(i) => write!(f, "[{i}]")?,
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
                PathStep::Field("a".into()),
                PathStep::Field("b c".into()),
                PathStep::Index(2),
                PathStep::Field("d".into())
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
        assert_eq!(ReferencePath::parse("$.ab,c").unwrap_err().offset, 4);
        assert!(
            ReferencePath::parse("$.a\u{a0}b").is_err(),
            "non-ASCII whitespace"
        );
        assert_eq!(p("$.café.x").steps()[0], PathStep::Field("café".into()));
    }

    // Issue 13: `$['a','b']` read as one member named `a','b` (a union is many nodes, so not
    // a reference path), and `$['a]']` stopped at the `]` inside the quotes.
    #[test]
    fn a_quoted_name_ends_at_its_closing_quote() {
        assert_eq!(p("$['a]']").steps(), &[PathStep::Field("a]".into())]);
        assert_eq!(
            p("$[\"x y\"][0]").steps(),
            &[PathStep::Field("x y".into()), PathStep::Index(0)]
        );
        for bad in ["$['a','b']", "$['a'", "$['a']x", "$['a' ]"] {
            assert!(ReferencePath::parse(bad).is_err(), "{bad} should not parse");
        }
        assert_eq!(
            p("$['a]']").get(&serde_json::json!({"a]": 1})),
            Some(&serde_json::json!(1))
        );
    }

    // Found by the property tests (`tests/hostile_inputs.rs`): a name holding a quote could
    // not be written. A quoted name takes JSONPath's escapes, as the JSONPath parser does, and
    // a path prints with them.
    #[test]
    fn a_quoted_name_takes_escapes() {
        assert_eq!(p(r"$['it\'s']").steps(), &[PathStep::Field("it's".into())]);
        assert_eq!(
            p(r#"$["a\"b\\c\u00e9"]"#).steps(),
            &[PathStep::Field("a\"b\\cé".into())]
        );
        assert!(
            ReferencePath::parse(r"$['a\q']").is_err(),
            "an unknown escape"
        );
        assert!(
            ReferencePath::parse(r"$['a\u12']").is_err(),
            "a short \\u escape"
        );
        let written = p(r"$['it\'s'].b").to_string();
        assert_eq!(written, r"$['it\'s'].b");
        assert_eq!(p(&written), p(r"$['it\'s'].b"));
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

    #[test]
    fn the_in_place_forms_agree_with_parse_then_get_or_set() {
        let doc = json!({"a": [{"b c": 1}, null], "x": {"y": "z"}});
        for path in [
            "$",
            "$.a",
            "$.a[0]['b c']",
            "$.a[1]",
            "$.a[2]",
            "$.x.y",
            "$.x.q",
            "$.a.b",
        ] {
            let parsed = p(path);
            assert_eq!(
                ReferencePath::get_in(path, &doc).unwrap(),
                parsed.get(&doc),
                "{path}"
            );
            assert_eq!(
                ReferencePath::take_in(path, doc.clone()).unwrap(),
                parsed.get(&doc).cloned(),
                "{path}"
            );
            for new in [json!(1), json!({"n": [2]})] {
                let (mut by_parse, mut in_place) = (doc.clone(), doc.clone());
                let expected = parsed.set(&mut by_parse, new.clone());
                let got = ReferencePath::set_in(path, &mut in_place, new).unwrap();
                assert_eq!(got.is_ok(), expected.is_ok(), "{path}");
                assert_eq!(in_place, by_parse, "{path}");
            }
        }
    }

    #[test]
    fn the_in_place_forms_refuse_bad_paths_and_change_nothing() {
        let mut doc = json!({"a": {}});
        let err = ReferencePath::set_in("$.b.c.*", &mut doc, json!(1)).unwrap_err();
        assert_eq!(err, ReferencePath::parse("$.b.c.*").unwrap_err());
        assert_eq!(doc, json!({"a": {}}), "no member was created on the way");
        assert!(ReferencePath::get_in("$..a", &doc).is_err());
        assert!(ReferencePath::take_in("$[*]", doc).is_err());
    }
}
