//! Path and template rules: reference paths, JSONPath paths, payload templates and
//! the intrinsic calls in them.

use serde_json::Value;

use crate::jsonpath::JsonPath;
use crate::location::{Location, Segment};
use crate::reference_path::ReferencePath;

use super::{Dialect, Validator};

/// The most steps a `ResultPath` may take. Each step it takes past the input's own members
/// nests the result one level deeper; a path of 100,000 steps built a value too deep to drop
/// without exhausting the stack. Real paths take a handful.
pub(crate) const MAX_RESULT_PATH_STEPS: usize = 1_000;

// Rule: a `ResultPath` is `null` or a reference path into the input (not `$$`), of at most
// `MAX_RESULT_PATH_STEPS` steps.
pub(super) fn check_result_path(v: &mut Validator, path: Option<&Option<String>>, loc: &Location) {
    let Some(Some(path)) = path else { return };
    let field = v.f("ResultPath");
    match ReferencePath::parse(path) {
        Ok(p) if p.is_context() => v.report(
            loc.clone(),
            format!("`{field}` cannot write into the context object `$$`"),
        ),
        Ok(p) if p.steps().len() > MAX_RESULT_PATH_STEPS => v.report(
            loc.clone(),
            format!(
                "`{field}` takes {} steps; at most {MAX_RESULT_PATH_STEPS} are allowed, as a result written that deep nests too deep to handle",
                p.steps().len()
            ),
        ),
        Ok(_) => {}
        Err(e) => v.report(
            loc.clone(),
            format!("`{field}` `{path}` is not a reference path: {}", e.message),
        ),
    }
}

// Rule: in a payload template (`Parameters`, `ResultSelector`, `ItemSelector`), the value of
// every member whose name ends in `.$` is a string: an intrinsic call that obeys
// `intrinsic::check` (a function ASL defines, its number of arguments, at most 10 levels
// deep), or a path into the input (`$...`) or the context object (`$$...`).
pub(super) fn check_template(v: &mut Validator, template: &Value, loc: &Location) {
    match template {
        Value::Object(members) => {
            for (key, value) in members {
                let at = loc.key(key);
                if !key.ends_with(".$") {
                    check_literal_path(v, key, value, &at);
                    check_template(v, value, &at);
                    continue;
                }
                let Some(text) = value.as_str() else {
                    v.report(at, format!("`{key}` ends in `.$`, so its value must be a path or an intrinsic call string, found {value}"));
                    continue;
                };
                let problem = if crate::intrinsic::is_call(text) {
                    crate::intrinsic::parse(text)
                        .and_then(|call| crate::intrinsic::check(&call))
                        .err()
                        .map(|e| e.0)
                } else {
                    path_problem(text, false).map(|e| format!("`{text}` is not a path: {e}"))
                };
                if let Some(problem) = problem {
                    v.report(at, format!("`{key}`: {problem}"));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_template(v, item, &loc.index(i));
            }
        }
        _ => {}
    }
}

// Rule (the macro only): a template member whose key lacks `.$` is a literal, so a value
// written as a path there (`"order_id": "$.order_id"`) is sent as that text, which is almost
// always a forgotten `.$`. ASL documents keep such literals: AWS accepts them, and a
// definition may mean them.
fn check_literal_path(v: &mut Validator, key: &str, value: &Value, loc: &Location) {
    let Some(text) = value.as_str() else { return };
    let looks_like_a_path = text == "$"
        || text == "$$"
        || ["$.", "$[", "$$.", "$$["]
            .iter()
            .any(|p| text.starts_with(p));
    if v.dialect != Dialect::Rust || !looks_like_a_path || JsonPath::parse(text).is_err() {
        return;
    }
    let escaped = text.replace('\\', "\\\\").replace('\'', "\\'");
    v.report(
        loc.clone(),
        format!("`{key}` is sent as the text `{text}`, not the value at that path: to select the value, name the member `\"{key}.$\"`; to send this text on purpose, write `\"{key}.$\": \"States.Format('{escaped}')\"`"),
    );
}

/// A field whose value must be a path (any JSONPath ASL accepts, see [`Path`]).
pub(super) fn check_path(v: &mut Validator, path: Option<&str>, loc: &Location) {
    let Some(path) = path else { return };
    let Some(Segment::Key(field)) = loc.segments().last() else {
        return;
    };
    if let Some(e) = path_problem(path, false) {
        let message = format!("`{}` `{path}` is not a path: {e}", v.f(field));
        v.report(loc.clone(), message);
    }
}

/// What is wrong with `path` as a JSONPath path (a reference path when `reference`), which
/// may read a workflow variable (`$name...`), if anything.
fn path_problem(path: &str, reference: bool) -> Option<String> {
    let (name, path) = match crate::variables::variable_path(path) {
        Some((name, rest)) => (Some(name), std::borrow::Cow::Owned(rest)),
        None => (None, std::borrow::Cow::Borrowed(path)),
    };
    if let Some(why) = name.and_then(crate::variables::variable_name_problem) {
        return Some(why);
    }
    if reference {
        ReferencePath::parse(&path).err().map(|e| e.message)
    } else {
        JsonPath::parse(&path).err().map(|e| e.message)
    }
}

/// A field whose value must be a reference path.
pub(super) fn check_reference_path(v: &mut Validator, path: Option<&str>, loc: &Location) {
    let Some(path) = path else { return };
    let Some(Segment::Key(field)) = loc.segments().last() else {
        return;
    };
    if let Some(e) = path_problem(path, true) {
        let message = format!("`{}` `{path}` is not a reference path: {e}", v.f(field));
        v.report(loc.clone(), message);
    }
}
