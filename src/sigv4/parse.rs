//! Reading the SigV4 parameters out of a request (Authorization header or presigned query) and
//! the checks AWS makes before it looks the access key up, in AWS's order and with its words.

use super::canonical::{decode_component, query_pairs};
use super::signing::{ALGORITHM, TERMINATOR};
use super::time::{format_amz_date, format_scope_date, parse_amz_date, parse_http_date};
use super::{AuthLocation, ParsedAuth, RequestParts, SigV4Error};

/// Longest lifetime a presigned request may ask for: seven days, as for every SigV4 service.
pub const MAX_EXPIRES_SECS: u64 = 604_800;

/// The first value of header `name` (names arrive lower case).
pub(super) fn header<'a>(req: &RequestParts<'a>, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The first value of query parameter `name`, decoded.
pub(super) fn query_param(query: &str, name: &str) -> Option<String> {
    query_pairs(query)
        .find(|(k, _)| decode_component(k) == name.as_bytes())
        .map(|(_, v)| String::from_utf8_lossy(&decode_component(v)).into_owned())
}

/// Entry point of [`super::parse`].
pub(super) fn parse(req: &RequestParts<'_>) -> Result<Option<ParsedAuth>, SigV4Error> {
    let authorization = header(req, "authorization");
    let query_auth = query_pairs(req.query).any(|(k, _)| decode_component(k) == b"X-Amz-Algorithm");
    match (authorization, query_auth) {
        (Some(_), true) => Err(SigV4Error::IncompleteSignature(
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
                .to_string(),
        )),
        // Another scheme (Basic, Bearer, SigV2's `AWS key:sig`) is no SigV4 at all: the server
        // answers it as it answers a request without any authentication.
        (Some(value), false) if !value.trim_start().starts_with("AWS4-") => Ok(None),
        (Some(value), false) => from_header(req, value).map(Some),
        (None, true) => from_query(req).map(Some),
        (None, false) => Ok(None),
    }
}

/// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, where AWS accepts commas,
/// spaces or both between the parameters.
fn from_header(req: &RequestParts<'_>, raw: &str) -> Result<ParsedAuth, SigV4Error> {
    let trimmed = raw.trim();
    let (algorithm, rest) = trimmed
        .split_once(|c: char| c == ',' || c.is_whitespace())
        .unwrap_or((trimmed, ""));

    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for piece in rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let Some((key, value)) = piece.split_once('=') else {
            return Err(SigV4Error::IncompleteSignature(format!(
                "'{piece}' not a valid key=value pair (missing equal-sign) in Authorization header: '{raw}'."
            )));
        };
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value);
        }
    }

    let date = header(req, "x-amz-date")
        .map(|v| (v, true))
        .or_else(|| header(req, "date").map(|v| (v, false)));

    let mut missing = String::new();
    for (name, value) in [
        ("Credential", credential),
        ("Signature", signature),
        ("SignedHeaders", signed_headers),
    ] {
        if value.is_none() {
            missing.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
        }
    }
    if date.is_none() {
        missing.push_str(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
        );
    }
    let (Some(credential), Some(signed_headers), Some(signature), Some((date, is_amz_date))) =
        (credential, signed_headers, signature, date)
    else {
        return Err(SigV4Error::IncompleteSignature(format!(
            "{missing}Authorization={raw}"
        )));
    };

    let date = date.trim();
    let request_time = if is_amz_date {
        parse_amz_date(date)
    } else {
        parse_http_date(date)
    }
    .ok_or_else(|| SigV4Error::bad_date(date))?;

    let session_token = header(req, "x-amz-security-token")
        .map(str::to_string)
        .or_else(|| query_param(req.query, "X-Amz-Security-Token"));

    finish(Fields {
        algorithm,
        credential,
        signed_headers,
        signature,
        request_time,
        expires_secs: None,
        session_token,
        location: AuthLocation::Header,
    })
}

/// The presigned form: every SigV4 parameter is an `X-Amz-*` query parameter.
fn from_query(req: &RequestParts<'_>) -> Result<ParsedAuth, SigV4Error> {
    const NAMES: [&str; 7] = [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-SignedHeaders",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
    ];
    let mut values: [Option<String>; 7] = Default::default();
    for (key, value) in query_pairs(req.query) {
        let key = decode_component(key);
        let Some(index) = NAMES.iter().position(|n| n.as_bytes() == key.as_slice()) else {
            continue;
        };
        if let Some(slot @ None) = values.get_mut(index) {
            let value = String::from_utf8_lossy(&decode_component(value)).into_owned();
            if !value.is_empty() {
                *slot = Some(value);
            }
        }
    }
    let [algorithm, credential, signature, signed_headers, date, expires, session_token] = values;

    let mut missing = String::new();
    for (name, value) in
        NAMES
            .iter()
            .zip([&algorithm, &credential, &signature, &signed_headers, &date])
    {
        if value.is_none() {
            missing.push_str(&format!(
                "AWS query-string parameters must include '{name}'. "
            ));
        }
    }
    let (Some(algorithm), Some(credential), Some(signature), Some(signed_headers), Some(date)) =
        (algorithm, credential, signature, signed_headers, date)
    else {
        return Err(SigV4Error::IncompleteSignature(format!(
            "{missing}Re-examine the query-string parameters."
        )));
    };

    let request_time = parse_amz_date(&date).ok_or_else(|| SigV4Error::bad_date(&date))?;
    let expires_secs = expires.as_deref().map(parse_expires).transpose()?;

    finish(Fields {
        algorithm: &algorithm,
        credential: &credential,
        signed_headers: &signed_headers,
        signature: &signature,
        request_time,
        expires_secs,
        session_token: session_token
            .or_else(|| header(req, "x-amz-security-token").map(str::to_string)),
        location: AuthLocation::QueryString,
    })
}

/// `X-Amz-Expires`: whole seconds, from 0 to seven days.
fn parse_expires(value: &str) -> Result<u64, SigV4Error> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SigV4Error::IncompleteSignature(
            "X-Amz-Expires should be a number".to_string(),
        ));
    }
    if negative && digits.bytes().any(|b| b != b'0') {
        return Err(SigV4Error::IncompleteSignature(
            "X-Amz-Expires must be non-negative".to_string(),
        ));
    }
    match digits.parse::<u64>() {
        Ok(secs) if secs <= MAX_EXPIRES_SECS => Ok(secs),
        _ => Err(SigV4Error::IncompleteSignature(format!(
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than {MAX_EXPIRES_SECS} seconds"
        ))),
    }
}

/// What the two forms have in common once their parameters are found.
struct Fields<'a> {
    algorithm: &'a str,
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
    request_time: chrono::DateTime<chrono::Utc>,
    expires_secs: Option<u64>,
    session_token: Option<String>,
    location: AuthLocation,
}

/// The checks shared by both forms, in the order AWS makes them: `host` signed, algorithm,
/// credential shape, then every credential scope problem at once.
fn finish(f: Fields<'_>) -> Result<ParsedAuth, SigV4Error> {
    let signed_headers: Vec<String> = f
        .signed_headers
        .split(';')
        .map(str::to_ascii_lowercase)
        .collect();
    if !signed_headers
        .iter()
        .any(|h| h == "host" || h == ":authority")
    {
        return Err(SigV4Error::host_not_signed());
    }
    if f.algorithm != ALGORITHM {
        return Err(SigV4Error::unsupported_algorithm(f.algorithm));
    }

    let parts: Vec<&str> = f.credential.trim_end_matches('/').split('/').collect();
    let [access_key_id, scope_date, region, service, terminator] = parts.as_slice() else {
        return Err(SigV4Error::credential_parts(f.credential));
    };

    let mut scope_errors = String::new();
    if !is_valid_region(region) {
        scope_errors.push_str("Credential should be scoped to a valid region. ");
    }
    if *terminator != TERMINATOR {
        scope_errors.push_str(&format!(
            "Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{terminator}'. "
        ));
    }
    let expected_date = format_scope_date(f.request_time);
    if *scope_date != expected_date {
        scope_errors.push_str(&format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{expected_date}', from '{}'.",
            format_amz_date(f.request_time)
        ));
    }
    if !scope_errors.is_empty() {
        return Err(SigV4Error::SignatureDoesNotMatch(scope_errors));
    }

    Ok(ParsedAuth {
        access_key_id: (*access_key_id).to_string(),
        scope_date: (*scope_date).to_string(),
        region: (*region).to_string(),
        service: (*service).to_string(),
        signed_headers,
        signature: f.signature.to_string(),
        request_time: f.request_time,
        expires_secs: f.expires_secs,
        session_token: f.session_token,
        location: f.location,
    })
}

/// Region names are lower-case letters, digits and dashes (`us-east-1`, `eu-central-1`).
fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_values() {
        let ok: &[(&str, u64)] = &[
            ("0", 0),
            ("60", 60),
            ("900", 900),
            ("604800", 604_800),
            ("-0", 0),
        ];
        for (value, secs) in ok {
            assert_eq!(parse_expires(value), Ok(*secs), "{value}");
        }
        let bad: &[(&str, &str)] = &[
            ("", "X-Amz-Expires should be a number"),
            ("ten", "X-Amz-Expires should be a number"),
            ("1.5", "X-Amz-Expires should be a number"),
            ("-", "X-Amz-Expires should be a number"),
            ("-5", "X-Amz-Expires must be non-negative"),
            ("604801", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"),
            ("99999999999999999999999", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"),
        ];
        for (value, message) in bad {
            assert_eq!(
                parse_expires(value).map_err(|e| e.to_string()),
                Err(message.to_string()),
                "{value}"
            );
        }
    }

    #[test]
    fn regions() {
        for good in ["us-east-1", "eu-central-1", "local", "cn-north-1"] {
            assert!(is_valid_region(good), "{good}");
        }
        for bad in ["", "US-EAST-1", "us east", "us_east_1", "é"] {
            assert!(!is_valid_region(bad), "{bad}");
        }
    }
}
