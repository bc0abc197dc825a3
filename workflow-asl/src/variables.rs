//! Workflow variables (`Assign`), as the AWS Step Functions developer guide's "Passing data
//! between states with variables" defines them: what may name one, how a JSONPath path
//! reads one (`$name`, `$name.field[0]`), and which variables a definition reads before any
//! state could have assigned them.

/// The longest variable name AWS accepts.
pub const MAX_VARIABLE_NAME: usize = 80;

/// Why `name` cannot name a workflow variable, if it cannot.
#[must_use]
pub fn variable_name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first = chars.next()?;
    if name == "states" {
        return Some("`states` is reserved for `$states`".into());
    }
    if !(first.is_alphabetic() || first == '_') {
        return Some("a variable name starts with a letter or `_`".into());
    }
    if !chars.all(|c| c.is_alphanumeric() || c == '_') {
        return Some("a variable name has only letters, digits and `_`".into());
    }
    if name.chars().count() > MAX_VARIABLE_NAME {
        return Some(format!(
            "a variable name has at most {MAX_VARIABLE_NAME} characters"
        ));
    }
    None
}

/// A JSONPath path that reads a variable: `$name` then, in `rest`, the path into its value
/// written from `$` (`$order.items[0]` is `order` and `$.items[0]`). `None` for a path into
/// the input (`$`, `$.a`), the context object (`$$...`) or anything else.
#[must_use]
pub fn variable_path(path: &str) -> Option<(&str, String)> {
    let after = path.strip_prefix('$')?;
    let end = after
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(after.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let (name, rest) = after.split_at(end);
    if !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')) {
        return None;
    }
    Some((name, format!("${rest}")))
}
