//! Intrinsic functions: `States.Format('{} items', $.count)` and the other 17, as the value of
//! a `.$` member of `Parameters`, `ResultSelector` or `ItemSelector`.
//!
//! [`parse`] reads a call into a tree and [`check`] applies the definition rules (a function
//! ASL defines, the number of arguments it takes, at most 10 levels of nesting); the runtime
//! evaluates the tree.

use std::fmt;

use serde_json::Number;

/// The deepest nesting of calls ASL allows.
pub const MAX_NESTING: usize = 10;

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A string literal: its value, and its text as written between the quotes (escapes kept,
    /// which `States.Format` needs to tell `\{` from `{}`).
    Str {
        /// The value, escapes resolved.
        value: String,
        /// The text between the quotes.
        raw: String,
    },
    /// A number literal.
    Number(Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A path into the input (`$...`) or the context object (`$$...`).
    Path(String),
    /// A nested call.
    Call(Call),
}

/// A call of an intrinsic function.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function's name, `States.` included.
    pub name: String,
    /// Its arguments.
    pub args: Vec<Arg>,
}

/// Why text is not a well-formed intrinsic call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicError(pub String);

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IntrinsicError {}

/// Whether a `.$` value is an intrinsic call rather than a path.
#[must_use]
pub fn is_call(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// How many arguments each function takes: at least, and at most (`None`: no bound).
#[must_use]
pub fn arity(name: &str) -> Option<(usize, Option<usize>)> {
    Some(match name {
        "States.Format" => (1, None),
        "States.Array" => (0, None),
        "States.StringToJson"
        | "States.JsonToString"
        | "States.ArrayLength"
        | "States.ArrayUnique"
        | "States.Base64Encode"
        | "States.Base64Decode" => (1, Some(1)),
        "States.ArrayPartition"
        | "States.ArrayContains"
        | "States.ArrayGetItem"
        | "States.Hash"
        | "States.MathAdd"
        | "States.StringSplit" => (2, Some(2)),
        "States.ArrayRange" | "States.JsonMerge" => (3, Some(3)),
        "States.MathRandom" => (2, Some(3)),
        "States.UUID" => (0, Some(0)),
        _ => return None,
    })
}

/// Every function ASL defines.
pub const FUNCTIONS: [&str; 18] = [
    "States.Format",
    "States.StringToJson",
    "States.JsonToString",
    "States.Array",
    "States.ArrayPartition",
    "States.ArrayContains",
    "States.ArrayRange",
    "States.ArrayGetItem",
    "States.ArrayLength",
    "States.ArrayUnique",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.JsonMerge",
    "States.MathRandom",
    "States.MathAdd",
    "States.StringSplit",
    "States.UUID",
];

/// Parses an intrinsic call.
///
/// # Errors
/// When `text` is not one call: an unclosed string or parenthesis, a stray character, or
/// nesting deeper than [`MAX_NESTING`].
pub fn parse(text: &str) -> Result<Call, IntrinsicError> {
    let mut p = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    p.space();
    let call = p.call(1)?;
    p.space();
    if p.at < p.chars.len() {
        return Err(p.error("unexpected text after the call"));
    }
    Ok(call)
}

/// The definition rules of a call: every function is one ASL defines, with as many arguments
/// as it takes, every path argument is a path, and `States.Format`'s template literal has as
/// many `{}` as arguments follow.
///
/// # Errors
/// The first rule broken, in rustc's wording style.
pub fn check(call: &Call) -> Result<(), IntrinsicError> {
    let Some((min, max)) = arity(&call.name) else {
        let hint = crate::suggest::closest(&call.name, FUNCTIONS.iter().copied())
            .map(|f| format!("; did you mean `{f}`?"))
            .unwrap_or_default();
        return Err(IntrinsicError(format!(
            "`{}` is not an intrinsic function ASL defines{hint}",
            call.name
        )));
    };
    let n = call.args.len();
    if n < min || max.is_some_and(|max| n > max) {
        let takes = match (min, max) {
            (min, Some(max)) if min == max => {
                format!("{min} argument{}", if min == 1 { "" } else { "s" })
            }
            (min, Some(max)) => format!("{min} to {max} arguments"),
            (min, None) => format!("at least {min} argument{}", if min == 1 { "" } else { "s" }),
        };
        return Err(IntrinsicError(format!(
            "`{}` takes {takes}, found {n}",
            call.name
        )));
    }
    if call.name == "States.Format" {
        if let Some(Arg::Str { raw, .. }) = call.args.first() {
            let holes = placeholders(raw);
            if holes != n - 1 {
                return Err(IntrinsicError(format!(
                    "`States.Format` has {holes} `{{}}` in its template but {} argument{} after it",
                    n - 1,
                    if n == 2 { "" } else { "s" }
                )));
            }
        }
    }
    for arg in &call.args {
        match arg {
            Arg::Call(inner) => check(inner)?,
            // A workflow variable (`$name...`) is a path too.
            Arg::Path(path) if crate::variables::variable_path(path).is_some() => {}
            Arg::Path(path) => {
                if let Err(e) = crate::JsonPath::parse(path) {
                    return Err(IntrinsicError(format!(
                        "the argument `{path}` of `{}` is not a path: {}",
                        call.name, e.message
                    )));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// How many `{}` a Format template has (escaped `\{` and `\}` do not count).
#[must_use]
pub fn placeholders(raw: &str) -> usize {
    let mut count = 0;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                count += 1;
            }
            _ => {}
        }
    }
    count
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn error(&self, what: &str) -> IntrinsicError {
        IntrinsicError(format!("{what} (at character {})", self.at + 1))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn expect(&mut self, c: char) -> Result<(), IntrinsicError> {
        self.space();
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{c}`")))
        }
    }

    /// `States.Name(args)`, at nesting `depth`.
    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicError> {
        if depth > MAX_NESTING {
            return Err(self.error(&format!(
                "intrinsic functions nest at most {MAX_NESTING} deep"
            )));
        }
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        if !name.starts_with("States.") {
            return Err(self.error("expected a function such as `States.Format`"));
        }
        self.expect('(')?;
        let mut args = Vec::new();
        self.space();
        if self.peek() == Some(')') {
            self.at += 1;
            return Ok(Call { name, args });
        }
        loop {
            args.push(self.arg(depth)?);
            self.space();
            match self.peek() {
                Some(',') => self.at += 1,
                Some(')') => {
                    self.at += 1;
                    return Ok(Call { name, args });
                }
                _ => return Err(self.error("expected `,` or `)`")),
            }
        }
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicError> {
        self.space();
        match self.peek() {
            Some('\'') => self.string(),
            Some('$') => Ok(Arg::Path(self.path())),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(_) if self.rest_starts_with("States.") => self.call(depth + 1).map(Arg::Call),
            Some(_) if self.word("true") => Ok(Arg::Bool(true)),
            Some(_) if self.word("false") => Ok(Arg::Bool(false)),
            Some(_) if self.word("null") => Ok(Arg::Null),
            _ => Err(self.error(
                "expected an argument: a 'string', a number, true, false, null, a path or a call",
            )),
        }
    }

    fn rest_starts_with(&self, prefix: &str) -> bool {
        self.chars[self.at..]
            .iter()
            .take(prefix.len())
            .copied()
            .eq(prefix.chars())
    }

    fn word(&mut self, word: &str) -> bool {
        let end = self.at + word.len();
        let follows = self
            .chars
            .get(end)
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if self.rest_starts_with(word) && follows {
            self.at = end;
            true
        } else {
            false
        }
    }

    /// `'...'`, where `\'`, `\{`, `\}` and `\\` are escapes.
    fn string(&mut self) -> Result<Arg, IntrinsicError> {
        self.at += 1;
        let (mut value, mut raw) = (String::new(), String::new());
        loop {
            match self.peek() {
                None => return Err(self.error("unclosed string")),
                Some('\'') => {
                    self.at += 1;
                    return Ok(Arg::Str { value, raw });
                }
                Some('\\') => {
                    let escaped = self
                        .chars
                        .get(self.at + 1)
                        .copied()
                        .ok_or_else(|| self.error("unfinished escape"))?;
                    raw.push('\\');
                    raw.push(escaped);
                    value.push(escaped);
                    self.at += 2;
                }
                Some(c) => {
                    raw.push(c);
                    value.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// A path: everything up to the next `,` or `)` outside brackets and quotes.
    fn path(&mut self) -> String {
        let start = self.at;
        let (mut brackets, mut quoted) = (0usize, false);
        while let Some(c) = self.peek() {
            match c {
                '\'' => quoted = !quoted,
                '[' if !quoted => brackets += 1,
                ']' if !quoted => brackets = brackets.saturating_sub(1),
                ',' | ')' if !quoted && brackets == 0 => break,
                _ => {}
            }
            self.at += 1;
        }
        self.chars[start..self.at]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_owned()
    }

    fn number(&mut self) -> Result<Arg, IntrinsicError> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        serde_json::from_str::<Number>(&text)
            .map(Arg::Number)
            .map_err(|_| self.error(&format!("`{text}` is not a number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(value: &str) -> Arg {
        Arg::Str {
            value: value.into(),
            raw: value.into(),
        }
    }

    #[test]
    fn parses_nested_calls_with_every_kind_of_argument() {
        let call = parse("States.Format('{} of {}', States.ArrayLength($.items), $$.Execution.Input['a, b'], -1.5, true, null)").unwrap();
        assert_eq!(call.name, "States.Format");
        assert_eq!(call.args.len(), 6);
        assert_eq!(call.args[0], s("{} of {}"));
        assert_eq!(
            call.args[1],
            Arg::Call(Call {
                name: "States.ArrayLength".into(),
                args: vec![Arg::Path("$.items".into())]
            })
        );
        assert_eq!(call.args[2], Arg::Path("$$.Execution.Input['a, b']".into()));
        assert_eq!(
            call.args[3],
            Arg::Number(serde_json::from_str("-1.5").unwrap())
        );
        assert_eq!(call.args[4], Arg::Bool(true));
        assert_eq!(call.args[5], Arg::Null);
        assert_eq!(parse("States.UUID()").unwrap().args, vec![]);
    }

    #[test]
    fn keeps_escapes_for_format_and_resolves_them_for_values() {
        let call = parse(r"States.Format('\{\} and {} it\'s', $.x)").unwrap();
        let Arg::Str { value, raw } = &call.args[0] else {
            panic!("a string")
        };
        assert_eq!(value, "{} and {} it's");
        assert_eq!(placeholders(raw), 1);
        check(&call).unwrap();
    }

    #[test]
    fn refuses_malformed_calls_and_deep_nesting() {
        for bad in [
            "States.Format('x'",
            "States.Format('x)",
            "States.Array(1 2)",
            "Format('x')",
            "States.Array(1) trailing",
            "States.Array(nope)",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}1{}", "States.Array(".repeat(11), ")".repeat(11));
        assert!(parse(&deep).unwrap_err().0.contains("nest at most 10"));
        let ok = format!("{}1{}", "States.Array(".repeat(10), ")".repeat(10));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn checks_functions_arity_and_format_holes() {
        assert!(check(&parse("States.MathAdd(1, 2)").unwrap()).is_ok());
        assert!(check(&parse("States.MathRandom(1, 9, 7)").unwrap()).is_ok());
        let err = check(&parse("States.MathAdd(1)").unwrap()).unwrap_err();
        assert_eq!(err.0, "`States.MathAdd` takes 2 arguments, found 1");
        let err = check(&parse("States.ArrayLenght($.a)").unwrap()).unwrap_err();
        assert!(
            err.0.contains("did you mean `States.ArrayLength`?"),
            "{err}"
        );
        let err = check(&parse("States.Format('{} {}', 1)").unwrap()).unwrap_err();
        assert!(err.0.contains("2 `{}`"), "{err}");
        let err = check(&parse("States.Array(States.UUID(1))").unwrap()).unwrap_err();
        assert!(
            err.0.contains("States.UUID"),
            "nested calls are checked: {err}"
        );
        assert_eq!(FUNCTIONS.iter().filter(|f| arity(f).is_some()).count(), 18);
    }
}
