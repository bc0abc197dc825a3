//! ASL timestamps: RFC 3339, with an uppercase `T` between date and time and an uppercase `Z`
//! when there is no numeric offset (`2026-11-21T20:00:00Z`, `2026-11-21T21:00:00.5+01:00`):
//! reading them ([`parse`]) and writing them ([`format()`]).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use std::time::{SystemTime, UNIX_EPOCH};

/// Parses an ASL timestamp; `None` when `text` is not one.
#[must_use]
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    // RFC 3339 also allows a space or a lowercase `t`/`z`; ASL does not.
    if text.as_bytes().get(10) != Some(&b'T') || text.contains(['t', 'z']) {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// `time` as an ASL timestamp, in UTC with milliseconds (`2026-11-21T20:00:00.000Z`), the
/// form AWS Step Functions gives `$$.Execution.StartTime` and `$$.State.EnteredTime`.
#[must_use]
pub fn format(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    iso8601(since.as_secs(), since.subsec_millis())
}

/// `YYYY-MM-DDThh:mm:ss.mmmZ` for a time in seconds since the Unix epoch (UTC).
fn iso8601(secs: u64, millis: u32) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    // Days since 1970 fit an i64 for any time a SystemTime can hold.
    let z = i64::try_from(days).unwrap_or(i64::MAX - 719_468) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_timestamps() {
        assert_eq!(iso8601(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(iso8601(1_795_305_599, 999), "2026-11-21T23:59:59.999Z");
        assert!(
            parse(&format(SystemTime::now())).is_some(),
            "what is written reads back"
        );
    }

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
