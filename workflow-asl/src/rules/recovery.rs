//! Error, retry and catch rules: `ErrorEquals` lists, retrier numbers, catchers.

use crate::document::{Catcher, Retrier};
use crate::errors;
use crate::location::Location;
use crate::suggest::closest;

use super::{numbers::check_whole, paths::check_result_path, Validator};

// Rule: each retrier has a non-empty `ErrorEquals`; `States.ALL` stands alone and only in the
// last retrier; the numbers are in ASL's ranges (IntervalSeconds and MaxDelaySeconds positive
// whole seconds, MaxAttempts a whole number from 0, BackoffRate at least 1.0); JitterStrategy
// is FULL or NONE.
pub(super) fn check_retriers(v: &mut Validator, retriers: &[Retrier], loc: &Location) {
    for (i, r) in retriers.iter().enumerate() {
        let rloc = loc.index(i);
        check_error_equals(
            v,
            &r.error_equals,
            &rloc,
            i + 1 == retriers.len(),
            "retrier",
        );
        check_whole(
            v,
            r.interval_seconds.as_ref(),
            1,
            99_999_999,
            &rloc.key("IntervalSeconds"),
        );
        check_whole(
            v,
            r.max_attempts.as_ref(),
            0,
            99_999_999,
            &rloc.key("MaxAttempts"),
        );
        check_whole(
            v,
            r.max_delay_seconds.as_ref(),
            1,
            31_622_400,
            &rloc.key("MaxDelaySeconds"),
        );
        if let Some(rate) = &r.backoff_rate {
            let value = rate.as_f64().unwrap_or(0.0);
            if value < 1.0 {
                let message = format!(
                    "`{}` must be at least 1.0 (delays may not shrink), found {rate}",
                    v.f("BackoffRate")
                );
                v.report(rloc.key("BackoffRate"), message);
            }
        }
        if let Some(jitter) = &r.jitter_strategy {
            if jitter != "FULL" && jitter != "NONE" {
                let message = format!(
                    "`{}` must be one of: `FULL`, `NONE`; found `{jitter}`",
                    v.f("JitterStrategy")
                );
                v.report(rloc.key("JitterStrategy"), message);
            }
        }
    }
}

// Rule: each catcher has a non-empty `ErrorEquals` (with `States.ALL` alone and last) and a
// `ResultPath`, if any, that is a reference path.
pub(super) fn check_catchers(v: &mut Validator, catchers: &[Catcher], loc: &Location) {
    for (i, c) in catchers.iter().enumerate() {
        let cloc = loc.index(i);
        check_error_equals(
            v,
            &c.error_equals,
            &cloc,
            i + 1 == catchers.len(),
            "catcher",
        );
        check_result_path(v, c.result_path.as_ref(), &cloc.key("ResultPath"));
    }
}

// Rule (retriers and catchers): `ErrorEquals` is not empty; `States.ALL` appears alone in its
// list and only in the last retrier or catcher, since it would shadow everything after it;
// names under the reserved `States.` prefix are ones ASL defines.
pub(super) fn check_error_equals(
    v: &mut Validator,
    names: &[String],
    loc: &Location,
    last: bool,
    what: &str,
) {
    let field = v.f("ErrorEquals");
    let eloc = loc.key("ErrorEquals");
    if names.is_empty() {
        v.report(
            eloc.clone(),
            format!("`{field}` must name at least one error"),
        );
    }
    for (i, name) in names.iter().enumerate() {
        if name == errors::ALL {
            if names.len() > 1 {
                v.report(eloc.index(i), format!("`States.ALL` must be alone in its `{field}` list: it already matches every error"));
            } else if !last {
                v.report(eloc.index(i), format!("a {what} matching `States.ALL` must be the last {what}: it would shadow every {what} after it"));
            }
        } else if name.starts_with(errors::RESERVED_PREFIX)
            && !errors::PREDEFINED.contains(&name.as_str())
        {
            let hint = closest(name, errors::PREDEFINED.iter().copied()).map_or_else(
                || format!("; its names are: {}", errors::PREDEFINED.join(", ")),
                |c| format!("; did you mean `{c}`?"),
            );
            let message = format!("`{name}` is not an error ASL defines: the `States.` prefix is reserved for ASL's own errors{hint}");
            v.report(eloc.index(i), message);
        }
    }
}
