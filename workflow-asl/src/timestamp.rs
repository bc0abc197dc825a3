//! ASL timestamps: RFC 3339, with an uppercase `T` between date and time and an uppercase `Z`
//! when there is no numeric offset (`2026-11-21T20:00:00Z`, `2026-11-21T21:00:00.5+01:00`).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Parses an ASL timestamp; `None` when `text` is not one.
#[must_use]
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    // RFC 3339 also allows a space or a lowercase `t`/`z`; ASL does not.
    if text.as_bytes().get(10) != Some(&b'T') || text.contains(['t', 'z']) {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_asl_timestamps_and_orders_them_by_instant() {
        let utc = parse("2016-03-14T01:59:00Z").unwrap();
        let offset = parse("2016-03-14T02:59:00.5+01:00").unwrap();
        assert!(utc < offset);
        assert_eq!((offset - utc).whole_milliseconds(), 500);
    }

    #[test]
    fn refuses_what_asl_refuses() {
        for bad in [
            "2016-03-14 01:59:00Z",
            "2016-03-14t01:59:00Z",
            "2016-03-14T01:59:00z",
            "2016-03-14T01:59:00",
            "2016-03-14",
            "soon",
            "",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
