//! Number rules: whole numbers in ASL's ranges.

use serde_json::Number;

use crate::document::Numeric;

use crate::location::{Location, Segment};

use super::Validator;

pub(super) fn check_whole(
    v: &mut Validator,
    n: Option<&Number>,
    min: u64,
    max: u64,
    loc: &Location,
) {
    let Some(n) = n else { return };
    if n.as_u64().is_some_and(|x| (min..=max).contains(&x)) {
        return;
    }
    let Some(Segment::Key(field)) = loc.segments().last() else {
        return;
    };
    let field = v.f(field);
    let what = if min == 0 {
        "a whole number"
    } else {
        "a positive whole number"
    };
    v.report(
        loc.clone(),
        format!("`{field}` must be {what} from {min} to {max}, found {n}"),
    );
}

/// [`check_whole`] for a field that takes a JSONata expression too: an expression must be
/// written `{% ... %}` (that its state is a JSONata state is a rule of `language`).
pub(super) fn check_numeric(
    v: &mut Validator,
    n: Option<&Numeric>,
    min: u64,
    max: u64,
    loc: &Location,
) {
    match n {
        None => {}
        Some(Numeric::Number(n)) => check_whole(v, Some(n), min, max, loc),
        Some(Numeric::Expression(text)) if crate::jsonata::expression(text).is_none() => {
            let field = match loc.segments().last() {
                Some(Segment::Key(field)) => v.f(field),
                _ => String::new(),
            };
            v.report(
                loc.clone(),
                format!("`{field}` must be a number, or in a JSONata state an expression `{{% ... %}}`, found \"{text}\""),
            );
        }
        Some(Numeric::Expression(_)) => {}
    }
}
