//! JSONata expressions, parsed when the workflow compiles (the `jsonata` feature).

/// Why `text` (a `{% ... %}` string) is not a JSONata expression, if it is not.
#[cfg(feature = "jsonata")]
pub(crate) fn problem(text: &str) -> Option<String> {
    workflow_asl::jsonata::syntax_problem(text)
}

/// Without the `jsonata` feature, expressions are parsed when the workflow first runs.
#[cfg(not(feature = "jsonata"))]
pub(crate) fn problem(_text: &str) -> Option<String> {
    None
}
