//! Evaluating intrinsic function calls (`States.Format(...)` and the other 17), parsed and
//! checked by `workflow_asl::intrinsic`. Every failure is `States.IntrinsicFailure`.

use base64::Engine as _;
use serde_json::{Map, Value};
use workflow_asl::intrinsic::{Arg, Call};
use workflow_asl::{errors, JsonPath};

use crate::context::ContextObject;
use crate::Error;

fn failure(call: &str, why: impl std::fmt::Display) -> Error {
    Error::new(errors::INTRINSIC_FAILURE, format!("{call}: {why}"))
}

/// The value of `call`, its paths read in `input` (or, for `$$`, the context object).
///
/// # Errors
/// `States.IntrinsicFailure` when an argument does not fit the function or a path matches
/// nothing.
pub fn evaluate(call: &Call, input: &Value, context: &dyn ContextObject) -> Result<Value, Error> {
    let name = call.name.as_str();
    let args = call
        .args
        .iter()
        .map(|arg| match arg {
            Arg::Str { value, .. } => Ok(Value::String(value.clone())),
            Arg::Number(n) => Ok(Value::Number(n.clone())),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Null => Ok(Value::Null),
            Arg::Call(inner) => evaluate(inner, input, context),
            Arg::Path(path) => {
                if let Some(found) = context.variable_at(path) {
                    return found.ok_or_else(|| {
                        failure(name, format!("the variable path `{path}` matched nothing"))
                    });
                }
                let parsed = JsonPath::parse(path)
                    .map_err(|e| failure(name, format!("`{path}` is not a path: {e}")))?;
                let found = if parsed.is_context() {
                    context.select(&parsed)
                } else {
                    parsed.select(input)
                };
                found.ok_or_else(|| failure(name, format!("the path `{path}` matched nothing")))
            }
        })
        .collect::<Result<Vec<Value>, Error>>()?;
    // `States.Format` reads its template as written (its escapes), not as a value.
    if name == "States.Format" {
        let Some(Arg::Str { raw, .. }) = call.args.first() else {
            return Err(failure(name, "the template must be a string literal"));
        };
        return format(raw, &args[1..])
            .ok_or_else(|| failure(name, "the template's `{}` do not match the arguments"));
    }
    apply(name, args)
}

/// The intrinsic function `name` applied to the values `args`: what [`evaluate`] does once
/// the arguments are evaluated, and what JSONata's functions that Step Functions adds
/// (`$hash`, `$partition`, `$range`...) do with theirs.
///
/// # Errors
/// `States.IntrinsicFailure` when an argument does not fit the function.
pub(crate) fn apply(name: &str, args: Vec<Value>) -> Result<Value, Error> {
    let arity = workflow_asl::intrinsic::arity(name)
        .ok_or_else(|| failure(name, "not an intrinsic function"))?;
    if args.len() < arity.0 || arity.1.is_some_and(|max| args.len() > max) {
        return Err(failure(name, format!("{} arguments", args.len())));
    }
    let string = |i: usize| {
        args[i].as_str().ok_or_else(|| {
            failure(
                name,
                format!("argument {} must be a string, found {}", i + 1, args[i]),
            )
        })
    };
    let array = |i: usize| {
        args[i].as_array().ok_or_else(|| {
            failure(
                name,
                format!("argument {} must be an array, found {}", i + 1, args[i]),
            )
        })
    };
    let integer = |i: usize| {
        args[i]
            .as_i64()
            .or_else(|| {
                // A float written as a whole number (`3.0`), if it fits an i64: `as` would
                // saturate a larger one (1e300 to i64::MAX) into a wrong answer.
                args[i]
                    .as_f64()
                    .filter(|f| {
                        f.fract() == 0.0
                            && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(f)
                    })
                    .map(|f| f as i64)
            })
            .ok_or_else(|| {
                failure(
                    name,
                    format!(
                        "argument {} must be a whole number, found {}",
                        i + 1,
                        args[i]
                    ),
                )
            })
    };
    Ok(match name {
        // Read as AWS reads JSON (`-0` is the integer 0).
        // An empty or all-whitespace string is `null` (AWS's recorded answer, issue 15).
        "States.StringToJson" => match string(0)? {
            text if text.trim().is_empty() => Value::Null,
            text => serde_json::from_str(&workflow_asl::json_text::as_aws_reads(text))
                .map_err(|e| failure(name, e))?,
        },
        "States.JsonToString" => Value::String(args[0].to_string()),
        "States.Array" => Value::Array(args),
        "States.ArrayPartition" => {
            let size = integer(1)?;
            if size < 1 {
                return Err(failure(name, "the chunk size must be at least 1"));
            }
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            Value::Array(
                array(0)?
                    .chunks(size)
                    .map(|c| Value::Array(c.to_vec()))
                    .collect(),
            )
        }
        "States.ArrayContains" => Value::Bool(array(0)?.contains(&args[1])),
        "States.ArrayRange" => {
            let (start, end, step) = (integer(0)?, integer(1)?, integer(2)?);
            if step == 0 {
                return Err(failure(name, "the step cannot be 0"));
            }
            let mut out = Vec::new();
            let mut n = start;
            while (step > 0 && n <= end) || (step < 0 && n >= end) {
                if out.len() == 1000 {
                    return Err(failure(name, "a range has at most 1000 items"));
                }
                out.push(Value::from(n));
                // Past i64's end the range ends too: there is no next number.
                match n.checked_add(step) {
                    Some(next) => n = next,
                    None => break,
                }
            }
            Value::Array(out)
        }
        "States.ArrayGetItem" => {
            let items = array(0)?;
            let index = integer(1)?;
            usize::try_from(index)
                .ok()
                .and_then(|i| items.get(i).cloned())
                .ok_or_else(|| {
                    failure(
                        name,
                        format!("index {index} is outside an array of {}", items.len()),
                    )
                })?
        }
        "States.ArrayLength" => Value::from(array(0)?.len()),
        "States.ArrayUnique" => Value::Array(unique(array(0)?)),
        "States.Base64Encode" => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(string(0)?))
        }
        "States.Base64Decode" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(string(0)?)
                .map_err(|e| failure(name, e))?;
            Value::String(String::from_utf8(bytes).map_err(|e| failure(name, e))?)
        }
        "States.Hash" => {
            let data = string(0)?;
            let digest = match string(1)? {
                "MD5" => hex(&<md5::Md5 as md5::Digest>::digest(data)),
                "SHA-1" => hex(&<sha1::Sha1 as sha1::Digest>::digest(data)),
                "SHA-256" => hex(&<sha2::Sha256 as sha2::Digest>::digest(data)),
                "SHA-384" => hex(&<sha2::Sha384 as sha2::Digest>::digest(data)),
                "SHA-512" => hex(&<sha2::Sha512 as sha2::Digest>::digest(data)),
                other => {
                    return Err(failure(
                        name,
                        format!("`{other}` is not one of: MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
                    ))
                }
            };
            Value::String(digest)
        }
        "States.JsonMerge" => {
            let (Some(a), Some(b)) = (args[0].as_object(), args[1].as_object()) else {
                return Err(failure(name, "both arguments must be objects"));
            };
            if args[2] != Value::Bool(false) {
                return Err(failure(
                    name,
                    "only a shallow merge (third argument false) is defined",
                ));
            }
            let mut merged: Map<String, Value> = a.clone();
            merged.extend(b.clone());
            Value::Object(merged)
        }
        "States.MathRandom" => {
            let (start, end) = (integer(0)?, integer(1)?);
            if start >= end {
                return Err(failure(name, "the start must be below the end"));
            }
            let mut rng = match args.get(2) {
                Some(_) => fastrand::Rng::with_seed(u64::from_ne_bytes(integer(2)?.to_ne_bytes())),
                None => fastrand::Rng::new(),
            };
            Value::from(rng.i64(start..end))
        }
        // AWS rounds each argument half up, as Java's `Math.round` does (1.5 to 2, -1.5 to
        // -1, -0.5 to 0), and adds: its recorded answers (issue 15).
        "States.MathAdd" => {
            let (a, b) = (rounded(name, &args[0], 1)?, rounded(name, &args[1], 2)?);
            Value::from(
                a.checked_add(b)
                    .ok_or_else(|| failure(name, "the sum overflows"))?,
            )
        }
        "States.StringSplit" => {
            let delimiters: Vec<char> = string(1)?.chars().collect();
            Value::Array(
                string(0)?
                    .split(|c| delimiters.contains(&c))
                    .filter(|piece| !piece.is_empty())
                    .map(|piece| Value::String(piece.to_owned()))
                    .collect(),
            )
        }
        "States.UUID" => Value::String(uuid::Uuid::new_v4().to_string()),
        _ => return Err(failure(name, "not an intrinsic function")),
    })
}

/// A number argument of `States.MathAdd`, rounded half up as Java's `Math.round` does.
fn rounded(name: &str, value: &Value, position: usize) -> Result<i64, Error> {
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    value
        .as_f64()
        .map(|f| (f + 0.5).floor())
        .filter(|f| (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(f))
        // In range and whole: the cast is exact.
        .map(|f| f as i64)
        .ok_or_else(|| {
            failure(
                name,
                format!("argument {position} must be a number within 64 bits, found {value}"),
            )
        })
}

/// `value` as AWS's Java runtime prints it in `States.Format`: strings as they are, an object
/// as `{key=value, ...}` and an array as `[a, b]` (Java's `Map` and `List` `toString`), the
/// rest as JSON (AWS's recorded answers, issue 15).
fn java_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_text(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push('=');
                java_text(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Fills a Format template (its raw text: `\{`, `\}`, `\'`, `\\` are escapes) with `args`,
/// each as [`java_text`] prints it.
fn format(raw: &str, args: &[Value]) -> Option<Value> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                java_text(args.next()?, &mut out);
            }
            c => out.push(c),
        }
    }
    args.next().is_none().then_some(Value::String(out))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The items of `items` without repeats, each kept where it first appears: linear time, the
/// items bucketed by a hash of their value that agrees with `Value`'s equality (objects
/// equal whatever their members' order).
fn unique(items: &[Value]) -> Vec<Value> {
    use std::collections::HashMap;
    let mut out: Vec<Value> = Vec::new();
    // Hash → the positions in `out` of the items with that hash.
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::with_capacity(items.len());
    for item in items {
        let positions = seen.entry(hash(item)).or_default();
        if positions.iter().any(|&i| out[i] == *item) {
            continue;
        }
        positions.push(out.len());
        out.push(item.clone());
    }
    out
}

/// A hash of `value` that equal values share: an object's members are combined in a way
/// that does not depend on their order, as its equality does not. Iterative: a deep value
/// hashes without recursion.
fn hash(value: &Value) -> u64 {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    // Fixed keys: the hash only buckets the items of one call.
    let leaf = |tag: u8, write: &dyn Fn(&mut DefaultHasher)| {
        let mut h = DefaultHasher::new();
        tag.hash(&mut h);
        write(&mut h);
        h.finish()
    };
    // Each frame: a value, and whether its children's hashes are on `done` (in order).
    let mut pending: Vec<(&Value, bool)> = vec![(value, false)];
    let mut done: Vec<u64> = Vec::new();
    while let Some((node, expanded)) = pending.pop() {
        let h = match node {
            Value::Null => leaf(0, &|_| {}),
            Value::Bool(b) => leaf(1, &|h| h.write_u8(u8::from(*b))),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => leaf(2, &|h| h.write_u64(u)),
                (None, Some(i), _) => leaf(3, &|h| h.write_i64(i)),
                // `0.0 == -0.0`: one hash for both (found by the property tests).
                (None, None, f) => {
                    let f = f.unwrap_or_default();
                    let f = if f == 0.0 { 0.0 } else { f };
                    leaf(4, &|h| h.write_u64(f.to_bits()))
                }
            },
            Value::String(s) => leaf(5, &|h| s.hash(h)),
            Value::Array(items) if !expanded => {
                pending.push((node, true));
                pending.extend(items.iter().rev().map(|v| (v, false)));
                continue;
            }
            Value::Array(items) => {
                let children = done.split_off(done.len() - items.len());
                leaf(6, &|h| children.hash(h))
            }
            Value::Object(members) if !expanded => {
                pending.push((node, true));
                pending.extend(members.values().map(|v| (v, false)));
                continue;
            }
            Value::Object(members) => {
                let children = done.split_off(done.len() - members.len());
                // Each member's key and value hashed together, then summed: any order.
                let sum = members
                    .keys()
                    .rev()
                    .zip(children)
                    .map(|(k, v)| leaf(7, &|h| (k, v).hash(h)))
                    .fold(0u64, u64::wrapping_add);
                leaf(8, &|h| h.write_u64(sum))
            }
        };
        done.push(h);
    }
    done.pop().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The States Language's `States.ArrayUnique`: repeats removed, first appearances kept in
    // order; equal values are found whatever an object's member order, and values that only
    // look alike (`1` and `1.0`, `"1"`) stay apart, as `Value`'s equality has it.
    #[test]
    fn array_unique_keeps_first_appearances_in_linear_time() {
        let items = json!([1, {"a": 1, "b": [2]}, "1", 1.0, {"b": [2], "a": 1}, [1, 2], [2, 1], 1, null, null]);
        let Value::Array(items) = items else {
            unreachable!()
        };
        assert_eq!(
            Value::Array(unique(&items)),
            json!([1, {"a": 1, "b": [2]}, "1", 1.0, [1, 2], [2, 1], null])
        );
        // Equal floats hash alike: `0.0` and `-0.0` are one value (`tests/hostile_inputs.rs`
        // found them kept apart).
        let zeros = [json!({"z": 0.0}), json!({"z": -0.0})];
        assert_eq!(unique(&zeros), vec![json!({"z": 0.0})]);
        // 100,000 items, half repeats: the quadratic scan took 7 s in release builds.
        let many: Vec<Value> = (0..100_000).map(|i| json!({"n": i % 50_000})).collect();
        assert_eq!(unique(&many).len(), 50_000);
    }
    use serde_json::{json, Number};

    fn n(v: i64) -> Value {
        Value::Number(Number::from(v))
    }

    fn eval(text: &str) -> Result<Value, Error> {
        let call = workflow_asl::intrinsic::parse(text).unwrap();
        let input = json!({"items": [1, 2, 2, 3], "name": "Ada", "n": 40, "obj": {"a": 1}, "text": "a,b;c"});
        evaluate(&call, &input, &|| json!({"Execution": {"Id": "exec-1"}}))
    }

    #[test]
    fn every_function() {
        let cases = [
            (
                "States.Format('Hello {}, {} items \\{ok\\}', $.name, States.ArrayLength($.items))",
                json!("Hello Ada, 4 items {ok}"),
            ),
            ("States.StringToJson('{\"a\": [1]}')", json!({"a": [1]})),
            ("States.JsonToString($.obj)", json!("{\"a\":1}")),
            (
                "States.Array(1, 'two', $.n, null)",
                json!([1, "two", 40, null]),
            ),
            ("States.ArrayPartition($.items, 3)", json!([[1, 2, 2], [3]])),
            ("States.ArrayContains($.items, 3)", json!(true)),
            ("States.ArrayRange(1, 9, 3)", json!([1, 4, 7])),
            ("States.ArrayRange(5, 1, -2)", json!([5, 3, 1])),
            ("States.ArrayGetItem($.items, 3)", json!(3)),
            ("States.ArrayLength($.items)", n(4)),
            ("States.ArrayUnique($.items)", json!([1, 2, 3])),
            (
                "States.Base64Encode('Data to encode')",
                json!("RGF0YSB0byBlbmNvZGU="),
            ),
            (
                "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
                json!("Data to encode"),
            ),
            (
                "States.Hash('input data', 'SHA-1')",
                json!("aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ),
            (
                "States.Hash('', 'MD5')",
                json!("d41d8cd98f00b204e9800998ecf8427e"),
            ),
            (
                "States.Hash('abc', 'SHA-256')",
                json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ),
            (
                "States.JsonMerge($.obj, States.StringToJson('{\"b\": 2, \"a\": 9}'), false)",
                json!({"a": 9, "b": 2}),
            ),
            ("States.MathAdd($.n, 2)", n(42)),
            ("States.MathAdd(-5, 3)", n(-2)),
            ("States.StringSplit($.text, ',;')", json!(["a", "b", "c"])),
            ("States.JsonToString($$.Execution.Id)", json!("\"exec-1\"")),
        ];
        for (text, expected) in cases {
            assert_eq!(eval(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn random_and_uuid() {
        let seeded = eval("States.MathRandom(1, 100, 7)").unwrap();
        assert_eq!(
            eval("States.MathRandom(1, 100, 7)").unwrap(),
            seeded,
            "a seed repeats the draw"
        );
        assert!((1..100).contains(&seeded.as_i64().unwrap()));
        let uuid = eval("States.UUID()").unwrap();
        let uuid = uuid.as_str().unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4", "a version 4 UUID");
        assert_ne!(eval("States.UUID()").unwrap(), json!(uuid));
    }

    // Issue 13's wrong answers: a sum past i64 wrapped (to -9223372036854775808, or to 0 for
    // -1e300 + -1e300, which `as` had saturated), and a range near i64::MAX ran past its end.
    // Each is now an error or the right range.
    #[test]
    fn arithmetic_past_i64_is_an_error_not_a_wrapped_number() {
        for text in [
            "States.MathAdd(18446744073709551615, 1)",
            "States.MathAdd(9223372036854775807, 1)",
            "States.MathAdd(-1e300, -1e300)",
            "States.MathAdd(1e300, 0)",
        ] {
            let e = eval(text).unwrap_err();
            assert_eq!(e.name(), errors::INTRINSIC_FAILURE, "{text}: {e}");
        }
        assert_eq!(
            eval("States.MathAdd(9223372036854775806, 1)"),
            Ok(json!(9_223_372_036_854_775_807_i64))
        );
        assert_eq!(
            eval("States.ArrayRange(9223372036854775806, 9223372036854775807, 1)"),
            Ok(json!([
                9_223_372_036_854_775_806_i64,
                9_223_372_036_854_775_807_i64
            ]))
        );
        assert_eq!(
            eval("States.ArrayRange(-9223372036854775807, -9223372036854775808, -1)"),
            Ok(json!([-9_223_372_036_854_775_807_i64, i64::MIN]))
        );
    }

    #[test]
    fn bad_arguments_are_intrinsic_failures() {
        for text in [
            "States.StringToJson('{nope')",
            "States.ArrayPartition($.items, 0)",
            "States.ArrayRange(1, 9, 0)",
            "States.ArrayRange(0, 5000, 1)",
            "States.ArrayGetItem($.items, 9)",
            "States.ArrayLength($.name)",
            "States.Base64Decode('%%%')",
            "States.Hash('x', 'SHA-3')",
            "States.JsonMerge($.obj, $.obj, true)",
            "States.MathRandom(5, 5)",
            "States.MathAdd('1', 2)",
            "States.ArrayLength($.missing)",
        ] {
            assert_eq!(
                eval(text).unwrap_err().name(),
                "States.IntrinsicFailure",
                "{text}"
            );
        }
    }
}
