//! Typed condition values: numbers, dates, booleans, IP ranges and base64 blobs.
//!
//! Policy-side values are parsed once at compile time; request-side values arrive as text
//! (the server sets `aws:CurrentTime`, `aws:SourceIp`, … as strings) and are parsed by the
//! same functions when an operator needs them.

use std::net::IpAddr;

use base64::Engine as _;

/// Parses a number the way the `Numeric*` operators read it: integer or decimal, optional
/// sign and exponent. Non-finite values (`NaN`, `inf`) are rejected.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A point in time in nanoseconds since the Unix epoch; wide enough for the years
/// -292275054..=292278993 that AWS's (Java) date parser accepts.
pub type Instant = i128;

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Parses a `Date*` operator value: "dates in ISO 8601 or epoch (UNIX) time" (IAM User
/// Guide, Date condition operators). Text containing `T`/`t` or `-` is read as ISO 8601
/// (`YYYY[-MM[-DD]][Thh[:mm[:ss[.fraction]]][Z|±hh[:mm]]]`, UTC when no zone), anything
/// else as whole epoch seconds.
pub fn parse_date(text: &str) -> Option<Instant> {
    if text.contains(['t', 'T', '-']) {
        parse_iso8601(text)
    } else {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let seconds: i64 = text.parse().ok()?;
        Some(i128::from(seconds) * NANOS_PER_SECOND)
    }
}

fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn in_range(text: &str, low: i64, high: i64) -> Option<i64> {
    digits(text).filter(|v| (low..=high).contains(v))
}

fn parse_iso8601(text: &str) -> Option<Instant> {
    let (date, time) = match text.find(['T', 't']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (negative, date) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let mut fields = date.split('-');
    let year = digits(fields.next()?)?;
    let year = if negative { -year } else { year };
    // The year range of java.time / Joda, which AWS's parser is built on.
    if !(-292_275_054..=292_278_993).contains(&year) {
        return None;
    }
    let month = match fields.next() {
        Some(m) => in_range(m, 1, 12)?,
        None => 1,
    };
    let day = match fields.next() {
        Some(d) => in_range(d, 1, days_in_month(year, month))?,
        None => 1,
    };
    if fields.next().is_some() {
        return None;
    }
    let mut nanos = i128::from(days_from_civil(year, month, day)) * 86_400 * NANOS_PER_SECOND;
    if let Some(time) = time {
        nanos += parse_time(time)?;
    }
    Some(nanos)
}

/// Parses `hh[:mm[:ss[.fraction]]]` plus an optional zone; returns nanoseconds after midnight
/// UTC (negative or past a day when the zone offset says so).
fn parse_time(text: &str) -> Option<Instant> {
    if text.is_empty() {
        return Some(0);
    }
    let (clock, offset_seconds) = split_zone(text)?;
    let mut fields = clock.split(':');
    let hours = in_range(fields.next()?, 0, 23)?;
    let minutes = match fields.next() {
        Some(m) => in_range(m, 0, 59)?,
        None => 0,
    };
    let mut nanos = i128::from(hours * 3600 + minutes * 60) * NANOS_PER_SECOND;
    if let Some(seconds) = fields.next() {
        let (whole, fraction) = match seconds.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (seconds, None),
        };
        nanos += i128::from(in_range(whole, 0, 59)?) * NANOS_PER_SECOND;
        if let Some(fraction) = fraction {
            if fraction.is_empty() || fraction.len() > 9 {
                return None;
            }
            let value = digits(fraction)?;
            let scale = 10i128.pow(9 - fraction.len() as u32);
            nanos += i128::from(value) * scale;
        }
    }
    if fields.next().is_some() {
        return None;
    }
    Some(nanos - i128::from(offset_seconds) * NANOS_PER_SECOND)
}

/// Splits a trailing `Z`, `±hh`, `±hh:mm` or `±hhmm` off a time of day.
fn split_zone(text: &str) -> Option<(&str, i64)> {
    if let Some(clock) = text.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(i) = text.rfind(['+', '-']) else {
        return Some((text, 0));
    };
    let (clock, zone) = (&text[..i], &text[i + 1..]);
    if !zone.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let sign = if text.as_bytes()[i] == b'-' { -1 } else { 1 };
    let (hours, minutes) = match zone.split_once(':') {
        Some((h, m)) => (h, m),
        None if zone.len() == 4 => (&zone[..2], &zone[2..]),
        None => (zone, "00"),
    };
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let offset = in_range(hours, 0, 23)? * 3600 + in_range(minutes, 0, 59)? * 60;
    Some((clock, sign * offset))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The `Bool` operator's reading of a value: `true`/`false`, any case.
pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Decodes a `BinaryEquals` value: "base-64 encoded" (IAM User Guide, Binary condition
/// operator); padding is optional.
pub fn parse_base64(text: &str) -> Option<Vec<u8>> {
    let engine = base64::engine::general_purpose::STANDARD;
    engine.decode(text).ok().or_else(|| {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text.trim_end_matches('='))
            .ok()
    })
}

/// An IPv4 or IPv6 network; IPv4 addresses are kept apart from IPv6 ones so that a v4 range
/// never matches a v6 address by accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    v6: bool,
    network: u128,
    prefix: u8,
}

fn ip_bits(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(v4) => (false, u128::from(u32::from(v4))),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            // `::ffff:a.b.c.d` is the IPv4 address a.b.c.d arriving over a v6 socket.
            Some(v4) => (false, u128::from(u32::from(v4))),
            None => (true, u128::from(v6)),
        },
    }
}

fn mask(value: u128, width: u8, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        let shift = u32::from(width - prefix);
        (value >> shift) << shift
    }
}

impl Cidr {
    /// Parses `203.0.113.0/24`, `2001:DB8::/32` or a bare address (a /32 or /128, per the
    /// IP address condition operators' documentation).
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let ip: IpAddr = addr.trim().parse().ok()?;
        let v6 = matches!(ip, IpAddr::V6(_)) && ip_bits(ip).0;
        let (_, bits) = ip_bits(ip);
        let width: u8 = if v6 { 128 } else { 32 };
        let prefix = match prefix {
            Some(p) => {
                let p = in_range(p.trim(), 0, i64::from(width))?;
                u8::try_from(p).ok()?
            }
            None => width,
        };
        Some(Self {
            v6,
            network: mask(bits, width, prefix),
            prefix,
        })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let (v6, bits) = ip_bits(ip);
        if v6 != self.v6 {
            return false;
        }
        let width = if v6 { 128 } else { 32 };
        mask(bits, width, self.prefix) == self.network
    }
}

/// Parses a request's IP address (`aws:SourceIp`); tolerates a `/32`-style suffix.
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    let addr = text.split_once('/').map_or(text, |(a, _)| a);
    addr.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<i128> {
        parse_date(text).map(|n| n / NANOS_PER_SECOND)
    }

    #[test]
    fn dates_in_iso8601_and_epoch() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(secs("2013-08-16T12:00:00Z"), Some(1_376_654_400));
        assert_eq!(secs("2013-08-16T12:00:00+02:00"), Some(1_376_647_200));
        assert_eq!(secs("2013-08-16T12:00:00-0100"), Some(1_376_658_000));
        assert_eq!(secs("2013-08-16"), Some(1_376_611_200));
        // No `-` or `T`: read as epoch seconds, not as a year.
        assert_eq!(secs("2013"), Some(2013));
        assert_eq!(secs("2013-08"), Some(1_375_315_200));
        assert_eq!(secs("1376654400"), Some(1_376_654_400));
        assert_eq!(
            parse_date("2013-08-16T12:00:00.5Z"),
            Some(1_376_654_400 * NANOS_PER_SECOND + 500_000_000)
        );
        assert_eq!(secs("2020-02-29"), Some(1_582_934_400));
        for bad in [
            "",
            "abc",
            "2013-13-01",
            "2020-02-30",
            "2013-08-16 12:00",
            "12.5",
            "2013-08-16T25:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn cidr_ranges() {
        let net = Cidr::parse("203.0.113.0/24").expect("v4");
        assert!(net.contains("203.0.113.7".parse().expect("ip")));
        assert!(!net.contains("203.0.114.7".parse().expect("ip")));
        assert!(net.contains("::ffff:203.0.113.9".parse().expect("ip")));
        let host = Cidr::parse("10.0.0.1").expect("bare");
        assert!(host.contains("10.0.0.1".parse().expect("ip")));
        assert!(!host.contains("10.0.0.2".parse().expect("ip")));
        let v6 = Cidr::parse("2001:DB8:1234:5678::/64").expect("v6");
        assert!(v6.contains("2001:db8:1234:5678::1".parse().expect("ip")));
        assert!(!v6.contains("2001:db8:1234:5679::1".parse().expect("ip")));
        assert!(!v6.contains("10.0.0.1".parse().expect("ip")));
        assert!(Cidr::parse("0.0.0.0/0")
            .expect("all")
            .contains("8.8.8.8".parse().expect("ip")));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("nope"), None);
    }

    #[test]
    fn numbers_bools_base64() {
        assert_eq!(parse_number("10"), Some(10.0));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("no"), None);
        assert_eq!(parse_base64("QmluYXJ5"), Some(b"Binary".to_vec()));
        assert_eq!(parse_base64("QQ"), Some(b"A".to_vec()));
        assert_eq!(parse_base64("***"), None);
    }
}
