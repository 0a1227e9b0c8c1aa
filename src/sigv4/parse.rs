//! Reading SigV4 authentication out of a request: the `Authorization` header, or the
//! `X-Amz-*` parameters of a presigned URL.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::canonical::percent_decode;
use super::{AuthLocation, ParsedAuth, RequestParts, SigV4Error};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

fn header<'a>(req: &'a RequestParts, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn query_param(req: &RequestParts, name: &str) -> Option<String> {
    req.query.split('&').find_map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (percent_decode(k) == name).then(|| percent_decode(v))
    })
}

fn incomplete(msg: impl Into<String>) -> SigV4Error {
    SigV4Error::IncompleteSignature(msg.into())
}

/// `20150830T123600Z`.
fn parse_amz_date(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|n| n.and_utc())
}

/// The `Date` header (RFC 1123), the fallback when there is no `X-Amz-Date`.
fn parse_http_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

struct Scope {
    access_key_id: String,
    date: String,
    region: String,
    service: String,
}

/// `AKID/20150830/us-east-1/iam/aws4_request`.
fn parse_credential(credential: &str, context: &str) -> Result<Scope, SigV4Error> {
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() != 5 {
        return Err(incomplete(format!(
            "Credential should be scoped to a valid region. {context}"
        )));
    }
    if parts[4] != "aws4_request" {
        return Err(incomplete(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'. {context}",
            parts[4]
        )));
    }
    if parts[1].len() != 8 || !parts[1].bytes().all(|b| b.is_ascii_digit()) {
        return Err(incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{}'. See http://en.wikipedia.org/wiki/ISO_8601. {context}",
            parts[1]
        )));
    }
    if parts[0].is_empty() || parts[2].is_empty() || parts[3].is_empty() {
        return Err(incomplete(format!(
            "Credential should be scoped to a valid region. {context}"
        )));
    }
    Ok(Scope {
        access_key_id: parts[0].to_string(),
        date: parts[1].to_string(),
        region: parts[2].to_string(),
        service: parts[3].to_string(),
    })
}

fn signed_header_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect()
}

/// The request's SigV4 authentication; `Ok(None)` when it carries none at all.
pub fn parse(req: &RequestParts) -> Result<Option<ParsedAuth>, SigV4Error> {
    if let Some(value) = header(req, "authorization") {
        return parse_header(req, value).map(Some);
    }
    if query_param(req, "X-Amz-Algorithm").is_some()
        || query_param(req, "X-Amz-Signature").is_some()
        || query_param(req, "X-Amz-Credential").is_some()
    {
        return parse_query(req).map(Some);
    }
    Ok(None)
}

fn parse_header(req: &RequestParts, value: &str) -> Result<ParsedAuth, SigV4Error> {
    let context = format!("Authorization={value}");
    let value = value.trim();
    let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'. {context}"
        )));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        match k.trim() {
            "Credential" => credential = Some(v.trim()),
            "SignedHeaders" => signed_headers = Some(v.trim()),
            "Signature" => signature = Some(v.trim()),
            _ => {}
        }
    }
    let date_header = header(req, "x-amz-date").or_else(|| header(req, "date"));
    let mut missing = String::new();
    if credential.is_none() {
        missing.push_str("Authorization header requires 'Credential' parameter. ");
    }
    if signature.is_none() {
        missing.push_str("Authorization header requires 'Signature' parameter. ");
    }
    if signed_headers.is_none() {
        missing.push_str("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if date_header.is_none() {
        missing.push_str(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
        );
    }
    let (Some(credential), Some(signed_headers), Some(signature), Some(date_value)) =
        (credential, signed_headers, signature, date_header)
    else {
        return Err(incomplete(format!("{missing}{context}")));
    };
    let request_time = match header(req, "x-amz-date") {
        Some(d) => parse_amz_date(d),
        None => parse_http_date(date_value),
    }
    .ok_or_else(|| {
        incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{date_value}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    })?;
    let scope = parse_credential(credential, &context)?;
    let signed_headers = signed_header_list(signed_headers);
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(incomplete(format!(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization. {context}"
        )));
    }
    Ok(ParsedAuth {
        access_key_id: scope.access_key_id,
        scope_date: scope.date,
        region: scope.region,
        service: scope.service,
        signed_headers,
        signature: signature.to_string(),
        request_time,
        expires_secs: None,
        session_token: header(req, "x-amz-security-token").map(str::to_string),
        location: AuthLocation::Header,
    })
}

fn parse_query(req: &RequestParts) -> Result<ParsedAuth, SigV4Error> {
    let mut missing = Vec::new();
    let mut get = |name: &'static str| {
        let v = query_param(req, name);
        if v.is_none() {
            missing.push(name);
        }
        v
    };
    let algorithm = get("X-Amz-Algorithm");
    let credential = get("X-Amz-Credential");
    let date = get("X-Amz-Date");
    let signed_headers = get("X-Amz-SignedHeaders");
    let signature = get("X-Amz-Signature");
    let (Some(algorithm), Some(credential), Some(date), Some(signed_headers), Some(signature)) =
        (algorithm, credential, date, signed_headers, signature)
    else {
        let msg = missing
            .iter()
            .map(|m| format!("AWS query-string parameters must include '{m}'."))
            .collect::<Vec<_>>()
            .join(" ");
        return Err(incomplete(format!(
            "{msg} Re-examine the query-string parameters."
        )));
    };
    if algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "X-Amz-Algorithm only supports \"{ALGORITHM}\""
        )));
    }
    let request_time = parse_amz_date(&date).ok_or_else(|| {
        incomplete("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
    })?;
    // AWS allows presigned URLs to live at most seven days.
    let expires = match query_param(req, "X-Amz-Expires") {
        None => 900,
        Some(e) => match e.parse::<u64>() {
            Ok(v) if v <= 604_800 => v,
            Ok(_) => {
                return Err(incomplete(
                    "X-Amz-Expires must be less than a week (in seconds) that is 604800",
                ))
            }
            Err(_) => return Err(incomplete("X-Amz-Expires should be a number")),
        },
    };
    let scope = parse_credential(&credential, "")?;
    let signed_headers = signed_header_list(&signed_headers);
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    Ok(ParsedAuth {
        access_key_id: scope.access_key_id,
        scope_date: scope.date,
        region: scope.region,
        service: scope.service,
        signed_headers,
        signature,
        request_time,
        expires_secs: Some(expires),
        session_token: query_param(req, "X-Amz-Security-Token"),
        location: AuthLocation::QueryString,
    })
}
