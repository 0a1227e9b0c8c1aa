//! Reading and writing SigV4 timestamps (`20150830T123600Z`), by hand because the format is
//! fixed and this runs on every request.

use std::fmt::Write;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

/// Reads the ISO 8601 basic form `YYYYMMDD'T'HHMMSS'Z'`, the only form `X-Amz-Date` takes.
pub(super) fn parse_amz_date(value: &str) -> Option<DateTime<Utc>> {
    let b = value.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let digits = b.get(from..to)?;
        digits.iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(num(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(4, 6)?, num(6, 8)?)?;
    let time = date.and_hms_opt(num(9, 11)?, num(11, 13)?, num(13, 15)?)?;
    Some(time.and_utc())
}

/// Reads a `Date` header: the basic form, or the HTTP date form (`Sun, 30 Aug 2015 12:36:00 GMT`).
pub(super) fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    parse_amz_date(value).or_else(|| {
        DateTime::parse_from_rfc2822(value)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// Writes the basic form that goes into the string to sign and AWS's messages.
pub(super) fn format_amz_date(t: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(16);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    out
}

/// The `YYYYMMDD` day a credential scope must name.
pub(super) fn format_scope_date(t: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(8);
    let _ = write!(out, "{:04}{:02}{:02}", t.year(), t.month(), t.day());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_basic_form() {
        let t = parse_amz_date("20150830T123600Z");
        assert_eq!(t.map(format_amz_date).as_deref(), Some("20150830T123600Z"));
        assert_eq!(t.map(format_scope_date).as_deref(), Some("20150830"));
    }

    #[test]
    fn rejects_malformed_basic_forms() {
        for bad in [
            "",
            "201",
            "20150830T123600",
            "20150830T123600z",
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "20150230T123600Z",
            "20150830T256000Z",
            "2015083OT123600Z",
            "+0150830T123600Z",
            "20150830T1236\u{e9}Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reads_http_dates() {
        let t = parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT");
        assert_eq!(t.map(format_amz_date).as_deref(), Some("20150830T123600Z"));
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
