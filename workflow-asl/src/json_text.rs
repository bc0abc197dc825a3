//! JSON text read as AWS Step Functions reads it, where that differs from serde_json.
//!
//! AWS reads JSON with a Java parser (Jackson: its messages are the ones `States.StringToJson`
//! reports), which reads the integer literal `-0` as the integer 0 and writes it back as `0`;
//! serde_json reads `-0` as the float negative zero and writes `-0.0`. So that a document,
//! an input, a mock response or a `States.StringToJson` argument holding `-0` comes out as
//! AWS would give it, the literal is rewritten to `0` before serde_json reads the text.
//! `-0.0` and `-0e5`, which Jackson reads as floats, are left alone: both write `-0.0`.

use std::borrow::Cow;

/// `text` with every integer literal `-0` (outside strings) written `0`; the text itself
/// when it has none, as nearly every text has.
#[must_use]
pub fn as_aws_reads(text: &str) -> Cow<'_, str> {
    if !text.contains("-0") {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut spans: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'-' if bytes.get(i + 1) == Some(&b'0')
                // A literal starts here: nothing of a number or a word before it.
                && !i.checked_sub(1).is_some_and(|p| {
                    bytes[p].is_ascii_alphanumeric() || matches!(bytes[p], b'.' | b'+' | b'-')
                })
                // And it ends after the `0`: no fraction, exponent or more digits.
                && !bytes.get(i + 2).is_some_and(|n| {
                    n.is_ascii_alphanumeric() || matches!(n, b'.' | b'+' | b'-')
                }) =>
            {
                spans.push(i);
            }
            _ => {}
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for at in spans {
        out.push_str(&text[from..at]);
        // `-0` becomes ` 0`: the same length, so that error positions stay where they were.
        out.push_str(" 0");
        from = at + 2;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(&as_aws_reads(text)).unwrap();
        value.to_string()
    }

    // Jackson (AWS's reader) reads `-0` as the integer 0 and `-0.0`, `-0e5` as the float
    // negative zero; it writes them `0` and `-0.0`. Strings are never touched.
    #[test]
    fn an_integer_negative_zero_reads_as_zero() {
        assert_eq!(written("-0"), "0");
        assert_eq!(
            written(r#"{"a":-0,"b":[-0, -0.0, -0e5, -1e1, 1e-0]}"#),
            r#"{"a":0,"b":[0,-0.0,-0.0,-10.0,1.0]}"#
        );
        assert_eq!(
            written(r#"{"s":"-0","t":"\"-0","u":-0}"#),
            r#"{"s":"-0","t":"\"-0","u":0}"#
        );
        assert_eq!(written("[1,-0,-10,-0]"), "[1,0,-10,0]");
        assert!(matches!(as_aws_reads(r#"{"a": 1}"#), Cow::Borrowed(_)));
        // Not JSON stays not JSON, with its error where it was.
        let bad = as_aws_reads("[-0x]");
        assert_eq!(bad, "[-0x]");
    }
}
