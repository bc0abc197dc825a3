//! Choice rule operators: what each name (`NumericGreaterThanEqualsPath`, `IsPresent`...)
//! compares and what its operand must be. The rules check operands with it; the runtime
//! evaluates with it.

/// The type of values a comparison family compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `String*`: strings, in code point order.
    String,
    /// `Numeric*`: numbers.
    Numeric,
    /// `Boolean*`: booleans (equality only).
    Boolean,
    /// `Timestamp*`: ASL timestamps, by instant.
    Timestamp,
}

/// How a comparison relates the variable to its operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // the names say it
pub enum Relation {
    Equals,
    GreaterThan,
    GreaterThanEquals,
    LessThan,
    LessThanEquals,
}

/// A type test (`IsNull`...), whose operand is `true` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // the names say it
pub enum TypeTest {
    Null,
    Present,
    Numeric,
    String,
    Boolean,
    Timestamp,
}

/// What a Choice operator does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `{Family}{Relation}` with a literal operand, or `...Path` with a path operand.
    Compare {
        /// What is compared.
        family: Family,
        /// How.
        relation: Relation,
        /// Whether the operand is a path to the value compared with.
        path: bool,
    },
    /// `StringMatches`: a pattern where `*` matches any run of characters (`\*` and `\\`
    /// escape).
    Matches,
    /// `Is...`: a type test.
    Is(TypeTest),
}

impl Operator {
    /// The operator called `name`, if ASL has one.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        if name == "StringMatches" {
            return Some(Self::Matches);
        }
        if let Some(test) = name.strip_prefix("Is") {
            let test = match test {
                "Null" => TypeTest::Null,
                "Present" => TypeTest::Present,
                "Numeric" => TypeTest::Numeric,
                "String" => TypeTest::String,
                "Boolean" => TypeTest::Boolean,
                "Timestamp" => TypeTest::Timestamp,
                _ => return None,
            };
            return Some(Self::Is(test));
        }
        let (family, rest) = [
            ("String", Family::String),
            ("Numeric", Family::Numeric),
            ("Boolean", Family::Boolean),
            ("Timestamp", Family::Timestamp),
        ]
        .into_iter()
        .find_map(|(prefix, family)| name.strip_prefix(prefix).map(|rest| (family, rest)))?;
        let (rest, path) = match rest.strip_suffix("Path") {
            Some(rest) => (rest, true),
            None => (rest, false),
        };
        let relation = match rest {
            "Equals" => Relation::Equals,
            "GreaterThan" => Relation::GreaterThan,
            "GreaterThanEquals" => Relation::GreaterThanEquals,
            "LessThan" => Relation::LessThan,
            "LessThanEquals" => Relation::LessThanEquals,
            _ => return None,
        };
        if family == Family::Boolean && relation != Relation::Equals {
            return None;
        }
        Some(Self::Compare {
            family,
            relation,
            path,
        })
    }

    /// Every operator name ASL defines.
    #[must_use]
    pub fn names() -> Vec<String> {
        let mut out: Vec<String> = [
            "StringMatches",
            "IsNull",
            "IsPresent",
            "IsNumeric",
            "IsString",
            "IsBoolean",
            "IsTimestamp",
        ]
        .map(str::to_owned)
        .to_vec();
        for family in ["String", "Numeric", "Boolean", "Timestamp"] {
            for relation in [
                "Equals",
                "GreaterThan",
                "GreaterThanEquals",
                "LessThan",
                "LessThanEquals",
            ] {
                for path in ["", "Path"] {
                    let name = format!("{family}{relation}{path}");
                    if Self::parse(&name).is_some() {
                        out.push(name);
                    }
                }
            }
        }
        out
    }

    /// What the operand must be, in words, for messages (`a number`, `a path`...).
    #[must_use]
    pub fn operand(self) -> &'static str {
        match self {
            Self::Compare { path: true, .. } => "a path string such as `\"$.limit\"`",
            Self::Compare {
                family: Family::String,
                ..
            }
            | Self::Matches => "a string",
            Self::Compare {
                family: Family::Numeric,
                ..
            } => "a number",
            Self::Compare {
                family: Family::Boolean,
                ..
            }
            | Self::Is(_) => "`true` or `false`",
            Self::Compare {
                family: Family::Timestamp,
                ..
            } => "an ASL timestamp string such as `\"2026-11-21T20:00:00Z\"`",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_asl_operator_and_nothing_else() {
        assert_eq!(Operator::names().len(), 7 + 4 * 5 * 2 - 8);
        assert_eq!(
            Operator::parse("NumericGreaterThanEqualsPath"),
            Some(Operator::Compare {
                family: Family::Numeric,
                relation: Relation::GreaterThanEquals,
                path: true
            })
        );
        assert_eq!(
            Operator::parse("IsPresent"),
            Some(Operator::Is(TypeTest::Present))
        );
        for bad in [
            "BooleanGreaterThan",
            "NumericEqual",
            "IsArray",
            "StringMatchesPath",
            "Equals",
        ] {
            assert_eq!(Operator::parse(bad), None, "{bad}");
        }
    }
}
