//! One-time passwords as virtual MFA devices compute them: HOTP (RFC 4226) over HMAC-SHA-1, and
//! TOTP (RFC 6238) with 30-second steps counted from the Unix epoch and 6 digits. Pure code, no
//! clock: callers pass the time, so tests and the server's injectable clock agree.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// RFC 6238's default time step, the one authenticator apps use.
pub const STEP_SECONDS: i64 = 30;

/// The number of digits IAM's authentication codes have.
pub const DIGITS: u32 = 6;

/// The HOTP value of `counter` with `digits` digits (RFC 4226 §5.3: dynamic truncation).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC accepts a key of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// The time step that `unix_seconds` falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The 6-digit code of a time step, zero-padded as devices show it.
pub fn code_for_step(secret: &[u8], step: i64) -> String {
    let value = hotp(secret, u64::try_from(step).unwrap_or(0), DIGITS);
    format!("{value:0width$}", width = DIGITS as usize)
}

/// The 6-digit code a device shows at `unix_seconds`.
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    code_for_step(secret, step_at(unix_seconds))
}

/// The step within `window` steps of `around` (nearest first) whose code is `code`.
pub fn find_step(secret: &[u8], code: &str, around: i64, window: i64) -> Option<i64> {
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut candidates = vec![around];
    for d in 1..=window {
        candidates.push(around - d);
        candidates.push(around + d);
    }
    candidates.into_iter().find(|&s| {
        s >= 0
            && subtle::ConstantTimeEq::ct_eq(code_for_step(secret, s).as_bytes(), code.as_bytes())
                .into()
    })
}

/// The RFC 4648 Base32 text of a seed, as `Base32StringSeed` and `otpauth://` URIs carry it.
pub fn seed_to_base32(seed: &[u8]) -> String {
    crate::ids::base32(seed)
}

/// The seed behind Base32 text (upper case, unpadded, spaces ignored as apps show them).
pub fn seed_from_base32(text: &str) -> Option<Vec<u8>> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    crate::ids::base32_decode(&cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(
                hotp(RFC_SECRET, counter as u64, 6),
                *want,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 Appendix B, SHA-1 rows (8 digits).
        let rows = [
            (59_i64, 94287082_u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (t, want) in rows {
            let step = u64::try_from(step_at(t)).expect("positive");
            assert_eq!(hotp(RFC_SECRET, step, 8), want, "T={t}");
        }
    }

    #[test]
    fn codes_are_six_zero_padded_digits() {
        // RFC 6238's T=1111111109 gives 07081804; its last 6 digits keep the leading zero.
        assert_eq!(code_at(RFC_SECRET, 1111111109), "081804");
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
    }

    #[test]
    fn find_step_looks_within_the_window_only() {
        let now = 1_700_000_000;
        let here = step_at(now);
        let next = code_for_step(RFC_SECRET, here + 1);
        assert_eq!(find_step(RFC_SECRET, &next, here, 1), Some(here + 1));
        let far = code_for_step(RFC_SECRET, here + 5);
        assert_eq!(find_step(RFC_SECRET, &far, here, 1), None);
        assert_eq!(find_step(RFC_SECRET, &far, here, 10), Some(here + 5));
        assert_eq!(find_step(RFC_SECRET, "12345", here, 1), None);
        assert_eq!(find_step(RFC_SECRET, "abcdef", here, 1), None);
    }

    #[test]
    fn base32_round_trip() {
        // RFC 4648 §10: "foobar" is MZXW6YTBOI (padding dropped).
        assert_eq!(seed_to_base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            seed_from_base32("mzxw 6ytb oi======").as_deref(),
            Some(&b"foobar"[..])
        );
        let seed = [7u8; 20];
        assert_eq!(
            seed_from_base32(&seed_to_base32(&seed)).as_deref(),
            Some(&seed[..])
        );
        assert_eq!(seed_from_base32("not base32!"), None);
    }
}
