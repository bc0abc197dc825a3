//! AWS's quotas on one execution, enforced locally with AWS's errors, and how to raise them
//! for a big local test.
//!
//! | Quota | AWS's value | Past it |
//! |---|---|---|
//! | a state's input (after `Parameters`) or output, a Task's result, an execution's input | 256 KiB of JSON ([`Limits::payload_bytes`]) | `States.DataLimitExceeded` |
//! | events in an execution's history | 25,000 ([`Limits::history_events`]) | `States.Runtime`, which nothing catches |
//! | a value's nesting | 1,000 levels ([`Limits::depth`]; no AWS figure) | `States.DataLimitExceeded` |
//! | an error's cause | 32,768 characters ([`crate::error::MAX_CAUSE_CHARS`]) | cut there |
//!
//! The payload is measured as AWS measures it: the UTF-8 bytes of the value as compact JSON.
//! Values handed from one typed Task to the next (a typed edge of generated code) never
//! become JSON and are not measured.

use std::fmt::Write as _;

use serde_json::Value;
use workflow_asl::errors;

use crate::Error;

/// The quotas one execution runs under. [`Limits::default`] is AWS's; the builder methods
/// raise (or lower) one each.
///
/// ```
/// use workflow_runtime::limits::Limits;
///
/// // A local test of a Map over a million items: payloads far past AWS's 256 KiB.
/// let big = Limits::default().payload_bytes(64 << 20).history_events(10_000_000);
/// assert_eq!(big.payload_bytes, 64 << 20);
/// assert_eq!(Limits::default(), Limits::AWS);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest state input, state output, Task result or execution input, in bytes of
    /// compact JSON. AWS: 262,144 (256 KiB).
    pub payload_bytes: usize,
    /// The most events an execution's history may hold, its last event included. AWS:
    /// 25,000.
    pub history_events: u32,
    /// How deep arrays and objects may nest in any value a state makes. AWS documents no
    /// figure; 1,000 is the nesting its Java runtime's JSON parser (Jackson) accepts by
    /// default, and is shallow enough that dropping, cloning and printing such a value never
    /// exhausts a thread's stack.
    pub depth: usize,
}

impl Limits {
    /// AWS's quotas.
    pub const AWS: Self = Self {
        payload_bytes: 256 * 1024,
        history_events: 25_000,
        depth: 1_000,
    };

    /// These limits with payloads of up to `bytes`.
    #[must_use]
    pub const fn payload_bytes(self, bytes: usize) -> Self {
        Self {
            payload_bytes: bytes,
            ..self
        }
    }

    /// These limits with histories of up to `events`.
    #[must_use]
    pub const fn history_events(self, events: u32) -> Self {
        Self {
            history_events: events,
            ..self
        }
    }

    /// These limits with values nested up to `levels` deep.
    #[must_use]
    pub const fn depth(self, levels: usize) -> Self {
        Self {
            depth: levels,
            ..self
        }
    }

    /// `States.DataLimitExceeded` when `value` (`what` it is, for the cause) is larger or
    /// deeper than these limits allow.
    ///
    /// # Errors
    /// `States.DataLimitExceeded`, naming the size or depth found.
    pub fn check(&self, value: &Value, what: &dyn Fn() -> String) -> Result<(), Error> {
        let bound = bound(value, self.payload_bytes, self.depth);
        if bound.bytes <= self.payload_bytes && bound.depth <= self.depth {
            return Ok(());
        }
        let found = measure(value, self.payload_bytes, self.depth);
        if found.depth > self.depth {
            return Err(Error::new(
                errors::DATA_LIMIT_EXCEEDED,
                format!("{} nests more than {} levels deep", what(), self.depth),
            ));
        }
        if found.bytes > self.payload_bytes {
            return Err(Error::new(
                errors::DATA_LIMIT_EXCEEDED,
                format!(
                    "{} is more than {} bytes of JSON, the payload quota",
                    what(),
                    self.payload_bytes
                ),
            ));
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::AWS
    }
}

/// What [`measure`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// The bytes of the value as compact JSON, or the first count past the limit it was
    /// measured against.
    pub bytes: usize,
    /// How deep arrays and objects nest (a scalar: 0), or the first depth past the limit.
    pub depth: usize,
}

/// The size of `value` as compact JSON and its depth, found without allocating for any but
/// deep values and without recursing more than 64 levels (a value nested deeper
/// than a thread's stack allows is measured like any other); the walk stops as soon as
/// either passes its limit.
#[must_use]
pub fn measure(value: &Value, max_bytes: usize, max_depth: usize) -> Measure {
    walked(value, max_bytes, max_depth, true)
}

/// An upper bound of [`measure`]'s size, found without reading strings (each byte takes at
/// most 6 to write) or formatting numbers (at most 24 bytes), and the exact depth. A state's
/// payload is usually far under its limit, and its bound then settles it at the cost of a
/// walk over its nodes, not over its bytes.
fn bound(value: &Value, max_bytes: usize, max_depth: usize) -> Measure {
    walked(value, max_bytes, max_depth, false)
}

fn walked(value: &Value, max_bytes: usize, max_depth: usize, exact: bool) -> Measure {
    let mut walk = Walk {
        bytes: 0,
        deepest: 0,
        max_bytes,
        max_depth,
        exact,
    };
    walk.value(value, 0);
    Measure {
        bytes: walk.bytes,
        depth: walk.deepest,
    }
}

/// How many levels [`measure`] recurses before it walks with a stack of its own.
const RECURSED: usize = 64;

/// A measurement under way.
struct Walk {
    bytes: usize,
    deepest: usize,
    max_bytes: usize,
    max_depth: usize,
    /// Exact sizes, or upper bounds.
    exact: bool,
}

impl Walk {
    fn done(&self) -> bool {
        self.bytes > self.max_bytes || self.deepest > self.max_depth
    }

    /// Adds `node`, at `depth`, and what it holds.
    fn value(&mut self, node: &Value, depth: usize) {
        match node {
            Value::Array(_) | Value::Object(_) if depth >= RECURSED => {
                self.iteratively(node, depth);
            }
            Value::Array(items) => {
                self.container(depth, items.len());
                for item in items {
                    if self.done() {
                        return;
                    }
                    self.value(item, depth + 1);
                }
            }
            Value::Object(members) => {
                self.container(depth, members.len());
                for (key, value) in members {
                    if self.done() {
                        return;
                    }
                    self.bytes += self.text_len(key) + 1;
                    self.value(value, depth + 1);
                }
            }
            scalar => self.scalar(scalar),
        }
    }

    /// Adds `node` (at `depth`) without recursing: the rest of a deep value.
    fn iteratively(&mut self, node: &Value, depth: usize) {
        let mut pending: Vec<(&Value, usize)> = vec![(node, depth)];
        while let Some((node, depth)) = pending.pop() {
            match node {
                Value::Array(items) => {
                    self.container(depth, items.len());
                    pending.extend(items.iter().map(|item| (item, depth + 1)));
                }
                Value::Object(members) => {
                    self.container(depth, members.len());
                    for (key, value) in members {
                        self.bytes += self.text_len(key) + 1;
                        pending.push((value, depth + 1));
                    }
                }
                scalar => self.scalar(scalar),
            }
            if self.done() {
                return;
            }
        }
    }

    /// Adds an array or object at `depth` of `len` children: its brackets and commas (an
    /// object's keys are added with its members).
    fn container(&mut self, depth: usize, len: usize) {
        self.deepest = self.deepest.max(depth + 1);
        self.bytes += 2 + len.saturating_sub(1);
    }

    /// Adds a scalar.
    fn scalar(&mut self, node: &Value) {
        self.bytes += match node {
            Value::Null => 4,
            Value::Bool(b) => 4 + usize::from(!*b),
            Value::Number(n) if self.exact => number_len(n),
            Value::Number(_) => 24,
            Value::String(s) => self.text_len(s),
            Value::Array(_) | Value::Object(_) => 0,
        };
    }

    /// The length of `s` written as a JSON string, or its upper bound.
    fn text_len(&self, s: &str) -> usize {
        if self.exact {
            string_len(s)
        } else {
            2 + 6 * s.len()
        }
    }
}

/// The length of `n` as serde_json writes it: integers counted by their digits, other
/// numbers formatted into a counter.
fn number_len(n: &serde_json::Number) -> usize {
    fn digits(n: u64) -> usize {
        n.checked_ilog10().map_or(1, |d| d as usize + 1)
    }
    if let Some(u) = n.as_u64() {
        return digits(u);
    }
    if let Some(i) = n.as_i64() {
        return 1 + digits(i.unsigned_abs());
    }
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = write!(count, "{n}");
    count.0
}

/// The length of `s` as a JSON string: its quotes, and its bytes with the escapes serde_json
/// writes (`\"`, `\\`, the short control escapes, `\u00XX` for the other control characters).
fn string_len(s: &str) -> usize {
    s.bytes().fold(2 + s.len(), |len, b| match b {
        b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => len + 1,
        0..=0x1f => len + 5,
        _ => len,
    })
}

/// `input`, admitted as an execution's input under `limits`: AWS refuses to start an
/// execution on an input past its payload quota. Checked before the execution is made (which
/// may copy its input): an input refused for its depth may be too deep even to copy, and is
/// taken apart without recursion ([`dismantle`]).
///
/// # Errors
/// `States.DataLimitExceeded` for an input past the limits.
pub fn admit(input: Value, limits: &Limits) -> Result<Value, Error> {
    match limits.check(&input, &|| "the execution input".to_owned()) {
        Ok(()) => Ok(input),
        Err(error) => {
            dismantle(input);
            Err(error)
        }
    }
}

/// Drops `value` without recursion: a value nested deeper than a thread's stack allows (one
/// refused by [`Limits::check`], say) is taken apart level by level instead of overflowing
/// the stack as a plain drop would.
pub fn dismantle(value: Value) {
    let mut pending = vec![value];
    while let Some(node) = pending.pop() {
        match node {
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The size AWS measures is the value's compact JSON: serde_json writes exactly that.
    #[test]
    fn the_measured_size_is_the_compact_json_length() {
        for value in [
            json!(null),
            json!(true),
            json!(false),
            json!(-12.5e-7),
            json!(18446744073709551615u64),
            json!("tab\there \"quoted\" \\ \u{1} é 😀"),
            json!([]),
            json!({}),
            json!([1, [2, [3]], {"a": {"b\n": [null, false]}}]),
            json!({"k": "v", "n": {"m": [1, 2, 3], "o": {}}}),
        ] {
            let text = serde_json::to_string(&value).unwrap();
            assert_eq!(
                measure(&value, usize::MAX, usize::MAX).bytes,
                text.len(),
                "{text}"
            );
        }
        assert_eq!(measure(&json!([[[]], {"a": [1]}]), 100, 100).depth, 3);
    }

    fn deep(levels: usize) -> Value {
        let mut value = json!(1);
        for _ in 0..levels {
            let mut object = serde_json::Map::new();
            object.insert("a".to_owned(), value);
            value = Value::Object(object);
        }
        value
    }

    #[test]
    fn a_value_past_a_limit_is_refused_with_data_limit_exceeded() {
        let limits = Limits::AWS.payload_bytes(11).depth(3);
        let what = || "the output of `P`".to_owned();
        // `{"a":[1,2]}`: 11 bytes, the limit itself.
        assert_eq!(limits.check(&json!({"a": [1, 2]}), &what), Ok(()));
        let big = limits
            .check(&json!({"a": "0123456789"}), &what)
            .unwrap_err();
        assert_eq!(big.name(), errors::DATA_LIMIT_EXCEEDED);
        assert!(big.cause().contains("more than 11 bytes"), "{big}");
        let deep = limits
            .payload_bytes(100)
            .check(&deep(4), &what)
            .unwrap_err();
        assert!(deep.cause().contains("more than 3 levels"), "{deep}");
    }

    // A value a million levels deep: measuring and dropping it must not recurse (a plain drop
    // of it overflows any thread's stack).
    #[test]
    fn a_very_deep_value_is_measured_and_dropped_without_recursion() {
        let value = deep(1_000_000);
        let found = measure(&value, usize::MAX, usize::MAX);
        assert_eq!(found.depth, 1_000_000);
        assert_eq!(found.bytes, "{\"a\":".len() * 1_000_000 + 1 + 1_000_000);
        // Stops at the first level past the limit.
        assert_eq!(measure(&value, usize::MAX, 1_000).depth, 1_001);
        dismantle(value);
    }
}
