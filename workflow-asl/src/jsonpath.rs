//! ASL paths: the JSONPath that `InputPath`, `OutputPath`, the `.$` members of payload
//! templates and a Choice rule's `Variable` take.
//!
//! ASL distinguishes two kinds. A *reference path* ([`ReferencePath`]) names one node and is
//! all that `ResultPath`, `ItemsPath` and the `*Path` fields of Wait, Fail and Task accept. A
//! *path* is any JSONPath; one that is not a reference path (wildcards `*`, descendants `..`,
//! slices, unions, filters `[?(...)]`) may name many nodes, and selects a JSON array of them,
//! in document order, possibly empty. This is the "definite/indefinite" rule of the Jayway
//! implementation AWS Step Functions uses.
//!
//! Queries are parsed and evaluated by `serde_json_path` (RFC 9535). ASL forbids JSONPath
//! functions such as `length()`, and RFC 9535 has no script expressions, so both are parse
//! errors here.

use std::fmt;

use serde_json::Value;
use serde_json_path::JsonPath as Rfc9535Path;

use crate::reference_path::{PathError, ReferencePath};

/// A parsed ASL path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    text: String,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Reference(ReferencePath),
    Query { context: bool, query: Rfc9535Path },
}

impl JsonPath {
    /// Parses a path: a reference path if it is one, a JSONPath query otherwise.
    ///
    /// # Errors
    /// When `text` is neither; the message is the JSONPath parser's, at the byte it names.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let reference_error = match ReferencePath::parse(text) {
            Ok(reference) => {
                return Ok(Self {
                    text: text.to_owned(),
                    kind: Kind::Reference(reference),
                })
            }
            Err(e) => e,
        };
        if !text.starts_with('$') {
            return Err(reference_error);
        }
        if let Some(offset) = too_deep(text) {
            return Err(PathError {
                offset,
                message: format!(
                    "brackets and parentheses nest more than {MAX_NESTING} deep here; a path takes at most {MAX_NESTING} (deeper ones take the parser exponential time)"
                ),
            });
        }
        let (context, query_text, shift) = match text.strip_prefix('$') {
            Some(rest) if rest.starts_with('$') => (true, rest, 1),
            _ => (false, text, 0),
        };
        match Rfc9535Path::parse(&jayway_to_rfc(query_text)) {
            Ok(query) => Ok(Self {
                text: text.to_owned(),
                kind: Kind::Query { context, query },
            }),
            Err(e) => {
                let offset = (e.position() + shift).saturating_sub(1).min(text.len());
                let message = if text.contains("()") {
                    "ASL paths have no functions such as `length()`".to_owned()
                } else {
                    let rest = text.get(offset..).filter(|r| !r.is_empty());
                    let at = rest.map_or_else(|| "at its end".to_owned(), |r| format!("at `{r}`"));
                    format!("JSONPath syntax error {at} ({})", e.message())
                };
                Err(PathError { offset, message })
            }
        }
    }

    /// Whether the path starts with `$$` (the context object).
    #[must_use]
    pub fn is_context(&self) -> bool {
        match &self.kind {
            Kind::Reference(r) => r.is_context(),
            Kind::Query { context, .. } => *context,
        }
    }

    /// The path as a reference path, when it is one.
    #[must_use]
    pub fn as_reference(&self) -> Option<&ReferencePath> {
        match &self.kind {
            Kind::Reference(r) => Some(r),
            Kind::Query { .. } => None,
        }
    }

    /// What the path selects in `root`: for a reference path the node it names, or `None`
    /// when there is none; for any other path an array of every node it matches.
    #[must_use]
    pub fn select(&self, root: &Value) -> Option<Value> {
        match &self.kind {
            Kind::Reference(r) => r.get(root).cloned(),
            Kind::Query { query, .. } => Some(Value::Array(
                query.query(root).all().into_iter().cloned().collect(),
            )),
        }
    }
}

/// How deep brackets and parentheses may nest in a JSONPath query. The parser behind
/// [`JsonPath`] takes time exponential in the nesting of filters (24 nested `[?` took 21 s),
/// and deep enough parentheses exhaust the stack; real paths nest two or three deep.
pub const MAX_NESTING: usize = 10;

/// The offset where `text` nests brackets and parentheses (outside quotes) deeper than
/// [`MAX_NESTING`], if it does: one pass, before any parser sees the text.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (offset, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(offset);
                }
            }
            (None, ']' | ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Jayway, the JSONPath AWS uses, accepts a `.` before a bracket (`$.[?(@.a > 0)]`,
/// `$.items.[0]`), which RFC 9535 does not: drop it (outside quotes, and not from `..`).
fn jayway_to_rfc(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(".[") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut quote = None;
    let mut chars = text.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '.') if chars.peek() == Some(&'[') && previous != Some('.') => {
                previous = Some(c);
                continue;
            }
            _ => {}
        }
        out.push(c);
        previous = Some(c);
    }
    out.into()
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::JsonPath;

    fn select(path: &str, root: &serde_json::Value) -> Option<serde_json::Value> {
        JsonPath::parse(path).unwrap().select(root)
    }

    // Issue 13: 24 nested filters (178 bytes) took 21 s to parse, doubling per level, and
    // 5,000 nested parentheses overflowed the stack. Both are refused before parsing, at the
    // first bracket past the limit; quotes do not count.
    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let filters = format!("$[?@{}]{}", "[?@".repeat(23), "]".repeat(23));
        let e = JsonPath::parse(&filters).unwrap_err();
        assert!(
            e.message.contains("nest more than 10 deep"),
            "{}",
            e.message
        );
        assert_eq!(e.offset, filters.match_indices('[').nth(10).unwrap().0);
        let parens = format!("$[?{}@.a{}]", "(".repeat(5_000), ")".repeat(5_000));
        assert!(JsonPath::parse(&parens).is_err());
        let quoted = format!("$['{}']", "[".repeat(50));
        assert!(
            JsonPath::parse(&quoted).is_ok(),
            "brackets inside quotes do not nest"
        );
        assert!(JsonPath::parse("$.a[?(@.b[?(@.c > 1)])]").is_ok());
    }

    #[test]
    fn reference_paths_select_one_node_or_none() {
        let doc = json!({"a": {"b": [10, 20]}, "x y": 1});
        assert_eq!(select("$.a.b[1]", &doc), Some(json!(20)));
        assert_eq!(select("$['x y']", &doc), Some(json!(1)));
        assert_eq!(select("$.a.c", &doc), None);
        assert!(JsonPath::parse("$.a").unwrap().as_reference().is_some());
    }

    #[test]
    fn other_paths_select_an_array_of_matches() {
        let doc = json!({"items": [{"p": 5, "n": "a"}, {"p": 15, "n": "b"}, {"p": 25, "n": "c"}]});
        assert_eq!(select("$.items[*].n", &doc), Some(json!(["a", "b", "c"])));
        assert_eq!(
            select("$.items[?(@.p > 10)].n", &doc),
            Some(json!(["b", "c"]))
        );
        assert_eq!(select("$.items[?(@.p > 99)]", &doc), Some(json!([])));
        assert_eq!(select("$..n", &doc), Some(json!(["a", "b", "c"])));
        assert_eq!(select("$.items[0:2].p", &doc), Some(json!([5, 15])));
        assert_eq!(select("$.items[0,2].p", &doc), Some(json!([5, 25])));
        assert!(JsonPath::parse("$.items[*]")
            .unwrap()
            .as_reference()
            .is_none());
    }

    #[test]
    fn a_dot_before_a_bracket_is_accepted_as_jayway_does() {
        let doc = json!({"ous": [{"OU": 1}, {"OU": 0}], "a": {"b c": [5]}});
        assert_eq!(
            select("$.ous.[?(@.OU > 0)]", &doc),
            Some(json!([{"OU": 1}]))
        );
        assert_eq!(select("$..['b c'].[0]", &doc), Some(json!([5])));
        assert_eq!(
            select("$.a['x.[y']", &doc),
            None,
            "quoted text is left alone"
        );
    }

    #[test]
    fn context_queries_read_past_the_double_dollar() {
        let path = JsonPath::parse("$$.Execution.Input.items[*]").unwrap();
        assert!(path.is_context());
        let context = json!({"Execution": {"Input": {"items": [1, 2]}}});
        assert_eq!(path.select(&context), Some(json!([1, 2])));
    }

    #[test]
    fn functions_and_malformed_paths_are_refused() {
        for bad in ["$.a.length()", "$.items[?(@.p >)]", "$.a[", "a.b", "$$.a[?"] {
            let e = JsonPath::parse(bad).unwrap_err();
            assert!(e.offset <= bad.len(), "{bad}: {e}");
        }
        let e = JsonPath::parse("$.a[?(@.b >)]").unwrap_err();
        assert!(e.message.contains("JSONPath syntax error at `"), "{e}");
        let e = JsonPath::parse("$.a.length()").unwrap_err();
        assert!(e.message.contains("no functions"), "{e}");
        assert!(JsonPath::parse("a.b")
            .unwrap_err()
            .message
            .contains("start with `$`"));
    }
}
