//! JSONata expressions, parsed when the workflow compiles (the `jsonata` feature).

/// Why `text` (a `{% ... %}` string) is not a JSONata expression, if it is not: the
/// parser's message, and where in the expression it stopped.
#[cfg(feature = "jsonata")]
pub(crate) fn problem(text: &str) -> Option<String> {
    let inner = workflow_asl::jsonata::expression(text)?;
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

/// Without the `jsonata` feature, expressions are parsed when the workflow first runs.
#[cfg(not(feature = "jsonata"))]
pub(crate) fn problem(_text: &str) -> Option<String> {
    None
}
