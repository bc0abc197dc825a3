//! The surface of JSONata in ASL: where an expression is (`"{% ... %}"`), the workflow
//! variables an expression reads (`$name`), and (with the `jsonata` feature) whether its
//! syntax is JSONata's and where it stops being so. Evaluating one is the runtime's business
//! (`workflow_runtime::jsonata`); this module only reads text, for the rules, the macro and
//! the interpreter's load.

/// The expression inside `text` when `text` is a JSONata expression string, `{%` and `%}`
/// around it (the developer guide, "Transforming data with JSONata": the string must start
/// with `{%` and end with `%}`, no space outside them).
#[must_use]
pub fn expression(text: &str) -> Option<&str> {
    text.strip_prefix("{%")?.strip_suffix("%}")
}

/// Whether `text` starts as an expression does but does not end as one (`"{% $x"`): the
/// rules report it rather than run it as a plain string.
#[must_use]
pub fn is_unclosed(text: &str) -> bool {
    text.starts_with("{%") && !text.ends_with("%}")
}

/// Why `text` (a `{% ... %}` string) is not a JSONata expression, if it is not: the
/// parser's message, and where in the expression it stopped, the expression shown with a
/// caret under that character (the `jsonata` feature; the parser is `jsonata-core`'s, which
/// the runtime evaluates with). The macro reports it at the string, the interpreter at the
/// expression's JSON Pointer.
#[cfg(feature = "jsonata")]
#[must_use]
pub fn syntax_problem(text: &str) -> Option<String> {
    let inner = expression(text)?;
    let error = jsonata_core::parser::parse(inner).err()?;
    let at = position(inner, &error);
    let line: String = inner.chars().filter(|c| *c != '\n').collect();
    let caret = " ".repeat(at.saturating_sub(1));
    Some(format!(
        "`{text}` is not a JSONata expression: {error}, near character {at} of the expression:\n  {line}\n  {caret}^"
    ))
}

/// Where the parser stopped, counted in characters from 1: the parser's errors do not say,
/// so the expression's prefixes are parsed until one fails for a reason other than ending
/// too soon (its last character is then the one the parser could not take); an expression
/// that ends too soon stops at its end.
#[cfg(feature = "jsonata")]
fn position(inner: &str, error: &jsonata_core::parser::ParserError) -> usize {
    // Unexpected end, an unterminated string or comment: the text ended too soon.
    let premature = |e: &jsonata_core::parser::ParserError| {
        let message = e.to_string();
        ["S0207", "S0203", "S0101", "S0106"]
            .iter()
            .any(|code| message.starts_with(code))
            || message.starts_with("Unclosed comment")
            || message.contains("end of expression")
            || message.contains("Eof")
    };
    let chars: Vec<char> = inner.chars().collect();
    if !premature(error) {
        for k in 1..=chars.len() {
            let prefix: String = chars[..k].iter().collect();
            if prefix.trim().is_empty() {
                continue;
            }
            if let Err(e) = jsonata_core::parser::parse(&prefix) {
                if !premature(&e) {
                    return k;
                }
            }
        }
    }
    inner.trim_end().chars().count()
}

/// The names of the variables `expression` reads (`$total` gives `total`), in order of
/// first appearance, without `$states`, the functions it calls (`$count(...)`), the names it
/// binds itself (`$x := ...`, `function($v) {...}`) or the context variables `$` and `$$`.
///
/// A lexical reading, not a parse: it skips string literals and comments, which is all the
/// variable check needs.
#[must_use]
pub fn variables_read(expression: &str) -> Vec<String> {
    let names = dollar_names(expression);
    let bound: Vec<&str> = names
        .iter()
        .filter(|n| n.bound)
        .map(|n| n.name.as_str())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for n in &names {
        if n.called || n.bound || n.name == "states" || bound.contains(&n.name.as_str()) {
            continue;
        }
        if !out.contains(&n.name) {
            out.push(n.name.clone());
        }
    }
    out
}

struct DollarName {
    name: String,
    /// Followed by `(`: a function call.
    called: bool,
    /// Followed by `:=`, or a parameter of `function(...)`: bound by the expression.
    bound: bool,
}

fn dollar_names(text: &str) -> Vec<DollarName> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Inside `function(` ... `)`: its `$names` are parameters.
    let mut in_parameters = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' | '\'' | '`' => {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '$' => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                    end += 1;
                }
                if end > start {
                    let name: String = chars[start..end].iter().collect();
                    let mut next = end;
                    while next < chars.len() && chars[next].is_whitespace() {
                        next += 1;
                    }
                    let called = chars.get(next) == Some(&'(');
                    let assigned =
                        chars.get(next) == Some(&':') && chars.get(next + 1) == Some(&'=');
                    out.push(DollarName {
                        name,
                        called,
                        bound: assigned || in_parameters,
                    });
                }
                i = end.max(i + 1);
            }
            'f' if text_at(&chars, i, "function") && !word_before(&chars, i) => {
                let mut next = i + "function".len();
                while next < chars.len() && chars[next].is_whitespace() {
                    next += 1;
                }
                if chars.get(next) == Some(&'(') {
                    in_parameters = true;
                    i = next + 1;
                } else {
                    i += 1;
                }
            }
            ')' if in_parameters => {
                in_parameters = false;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn text_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(at + k) == Some(&w))
}

fn word_before(chars: &[char], at: usize) -> bool {
    at > 0 && (chars[at - 1].is_alphanumeric() || chars[at - 1] == '_' || chars[at - 1] == '$')
}

/// Every JSONata expression string in `value` (a field's JSON: `Arguments`, `Output`,
/// `Assign`...), with the JSON Pointer-like path of keys and indexes to it.
pub fn expressions_in(value: &serde_json::Value) -> Vec<(Vec<String>, &str)> {
    fn walk<'a>(
        value: &'a serde_json::Value,
        at: &mut Vec<String>,
        out: &mut Vec<(Vec<String>, &'a str)>,
    ) {
        match value {
            serde_json::Value::String(s) if s.starts_with("{%") => out.push((at.clone(), s)),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(i.to_string());
                    walk(item, at, out);
                    at.pop();
                }
            }
            serde_json::Value::Object(members) => {
                for (key, item) in members {
                    at.push(key.clone());
                    walk(item, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

/// Every `{% ... %}` expression of `machine`'s JSONata states (a state's own fields, not its
/// branches', which are states of their own), with where it is: what the interpreter parses
/// when it loads a document and the macro when the workflow compiles.
#[must_use]
pub fn expressions_of(machine: &crate::StateMachine) -> Vec<(crate::Location, String)> {
    let top = machine.query_language.unwrap_or_default();
    let mut out = Vec::new();
    for at in crate::walk::states(machine) {
        if at.state.query_language.unwrap_or(top) != crate::QueryLanguage::Jsonata {
            continue;
        }
        let mut value = serde_json::to_value(at.state).unwrap_or_default();
        if let serde_json::Value::Object(members) = &mut value {
            for nested in ["Branches", "ItemProcessor", "Iterator"] {
                members.remove(nested);
            }
        }
        for (path, text) in expressions_in(&value) {
            let mut location = at.location.clone();
            for key in &path {
                location = match key.parse::<usize>() {
                    Ok(i) => location.index(i),
                    Err(_) => location.key(key),
                };
            }
            out.push((location, text.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // jsonata-core's parser names no position: the check finds it. An expression that ends
    // too soon stops at its end; one with a wrong token stops at that token (the messages
    // are the parser's; the reference `jsonata` reports S0202 at the same `]`).
    #[cfg(feature = "jsonata")]
    #[test]
    fn a_syntax_problem_says_where_the_parser_stopped() {
        assert_eq!(syntax_problem("{% $x + 1 %}"), None);
        let ended = syntax_problem("{% $x + %}").unwrap();
        assert!(
            ended.contains("near character 5 of the expression"),
            "{ended}"
        );
        let wrong = syntax_problem("{% $count($a]) %}").unwrap();
        assert!(wrong.contains("S0202"), "{wrong}");
        // Counted in the text between `{%` and `%}`, its leading space the first.
        assert!(
            wrong.contains("near character 11 of the expression"),
            "{wrong}"
        );
        assert!(wrong.ends_with("\n            ^"), "{wrong}");
    }

    #[test]
    fn expressions_are_between_percent_braces() {
        assert_eq!(expression("{% $x + 1 %}"), Some(" $x + 1 "));
        assert_eq!(expression("{%$x%}"), Some("$x"));
        assert_eq!(expression(" {% $x %}"), None);
        assert_eq!(expression("$x"), None);
        assert!(is_unclosed("{% $x"));
        assert!(!is_unclosed("{% $x %}"));
    }

    #[test]
    fn variables_read_skip_functions_bindings_strings_and_states() {
        assert_eq!(
            variables_read(" $count($states.input.items) > $limit and $limit < $max "),
            ["limit", "max"]
        );
        assert_eq!(variables_read("'$notme' & $me"), ["me"]);
        assert_eq!(variables_read("($t := 2; $t * $rate)"), ["rate"]);
        assert_eq!(
            variables_read("$map($states.input, function($v, $i) { $v * $i * $k })"),
            ["k"]
        );
        assert_eq!(variables_read("/* $c */ $d"), ["d"]);
        assert!(variables_read("$ + $$").is_empty());
    }
}
