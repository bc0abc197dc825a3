//! Number rules: whole numbers in ASL's ranges.

use serde_json::Number;

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
