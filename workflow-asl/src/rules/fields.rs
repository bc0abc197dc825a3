//! Field rules: a state carries only the fields its type allows.

use crate::document::State;
use crate::location::Location;
use crate::vocabulary;

use super::{Dialect, Validator};

// Rule: a state carries only the fields its type allows (`Retry` on a Pass would be silently
// ignored by AWS's own checks at best, and is a mistake at worst). `Next`/`End` on Succeed and
// Fail get their own explanation: those states end the workflow by themselves.
pub(super) fn check_fields_allowed(v: &mut Validator, state: &State, loc: &Location) {
    // ASL documents may use the older names AWS still reads; the macro writes the new ones.
    let legacy = v.dialect == Dialect::Asl;
    let kind = state.kind;
    for field in state.fields() {
        // Members the model does not know are kept as written, not judged.
        let Some(spec) = vocabulary::by_asl(field) else {
            continue;
        };
        if spec.allowed_on(kind, legacy) {
            continue;
        }
        let name = v.f(field);
        let message = if matches!(field, "Next" | "End") && kind.is_terminal() {
            format!("`{name}` is not allowed on a `{kind}` state: a {kind} state ends the workflow by itself")
        } else if let Some(new) = spec.successor.filter(|_| spec.legacy.contains(&kind)) {
            format!(
                "`{name}` is not allowed on a `{kind}` state: write `{}`, its new name",
                v.f(new)
            )
        } else {
            format!("`{name}` is not allowed on a `{kind}` state")
        };
        v.report(loc.key(field), message);
    }
}
