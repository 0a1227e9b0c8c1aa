//! AWS Signature Version 4 verification for IAM and STS requests.
//!
//! A pure library: the server splits each HTTP request into [`RequestParts`], calls [`parse`]
//! to read the signature's parameters (and make the checks AWS makes before looking the access
//! key up), looks the key up itself, then calls [`verify`] with the secret and the current time.
//! Every failure is a [`SigV4Error`] carrying AWS's code, HTTP status and message; nothing here
//! panics on client input, which is attacker-controlled.
//!
//! The canonical request follows AWS's rules for every service but S3: the path is normalised
//! (`.`/`..` resolved, empty segments dropped) and each segment URI-encoded once more than it
//! arrived, the query decoded then re-encoded and sorted, header values trimmed and repeated
//! headers joined with `,`.

mod canonical;
mod error;
mod parse;
mod signing;
mod time;

use chrono::{DateTime, Duration, Utc};

pub use canonical::{canonical_header_value, canonical_query, canonical_uri};
pub use error::{SigV4Error, MISMATCH_MESSAGE};
pub use parse::MAX_EXPIRES_SECS;
pub use signing::{sha256_hex, signing_key, ALGORITHM, UNSIGNED_PAYLOAD};

/// How far a request's time may be from the server's clock, either way (15 minutes, as AWS).
pub const MAX_CLOCK_SKEW: Duration = Duration::minutes(15);

/// What the verifier needs from an HTTP request, already split by the server.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// The method as received, e.g. `POST`.
    pub method: &'a str,
    /// The raw path as received, still percent-encoded, e.g. `/`.
    pub path: &'a str,
    /// The raw query string without `?`; may be empty.
    pub query: &'a str,
    /// Header names in lower case, values as received; a name may repeat.
    pub headers: &'a [(String, String)],
    /// The request body.
    pub body: &'a [u8],
}

/// Where the signature was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthLocation {
    /// An `Authorization: AWS4-HMAC-SHA256 …` header.
    Header,
    /// A presigned URL's `X-Amz-*` query parameters.
    QueryString,
}

/// The SigV4 parameters of a request, read and checked by [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuth {
    /// The access key the request claims to be signed with.
    pub access_key_id: String,
    /// `yyyymmdd` from the credential scope.
    pub scope_date: String,
    /// Region from the credential scope.
    pub region: String,
    /// Service from the credential scope: `iam` or `sts` in practice.
    pub service: String,
    /// The signed header names, lower case, in the order the client listed them.
    pub signed_headers: Vec<String>,
    /// The signature as sent (hex).
    pub signature: String,
    /// From `X-Amz-Date` (or the `Date` header).
    pub request_time: DateTime<Utc>,
    /// A presigned request's `X-Amz-Expires`.
    pub expires_secs: Option<u64>,
    /// `X-Amz-Security-Token`, from the header or the query.
    pub session_token: Option<String>,
    /// Header or presigned query.
    pub location: AuthLocation,
}

impl ParsedAuth {
    /// The credential scope, `date/region/service/aws4_request`.
    pub fn credential_scope(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.scope_date,
            self.region,
            self.service,
            signing::TERMINATOR
        )
    }

    /// Refuses a scope naming another service than the endpoint's, with AWS's message, for a
    /// server that wants to hold IAM to `iam` and STS to `sts`.
    pub fn check_service(&self, expected: &str) -> Result<(), SigV4Error> {
        if self.service == expected {
            Ok(())
        } else {
            Err(SigV4Error::SignatureDoesNotMatch(format!(
                "Credential should be scoped to correct service: '{expected}'. "
            )))
        }
    }
}

/// Reads the request's SigV4 parameters. `Ok(None)` when the request carries no SigV4 auth at
/// all (no `Authorization: AWS4-…` header and no `X-Amz-Algorithm` query parameter): the caller
/// decides, since unsigned STS calls are allowed.
pub fn parse(req: &RequestParts<'_>) -> Result<Option<ParsedAuth>, SigV4Error> {
    parse::parse(req)
}

/// Checks the time window, then the signature (compared in constant time). `now` is injected
/// so tests can use fixed clocks.
pub fn verify(
    req: &RequestParts<'_>,
    auth: &ParsedAuth,
    secret_access_key: &str,
    now: DateTime<Utc>,
) -> Result<(), SigV4Error> {
    check_time(auth, now)?;
    let prefix = canonical::canonical_request_prefix(
        req,
        &auth.signed_headers,
        auth.location == AuthLocation::QueryString,
    );
    let key = signing::cached_signing_key(
        secret_access_key,
        &auth.scope_date,
        &auth.region,
        &auth.service,
    );
    let amz_date = time::format_amz_date(auth.request_time);
    let scope = auth.credential_scope();
    for payload_hash in payload_hashes(req, auth)? {
        let hash = signing::canonical_request_hash(&prefix, &payload_hash);
        let to_sign = signing::string_to_sign(&amz_date, &scope, &hash);
        if signing::signatures_equal(&signing::signature(&key, &to_sign), &auth.signature) {
            return Ok(());
        }
    }
    tracing::debug!(
        access_key_id = %auth.access_key_id,
        scope = %scope,
        "SigV4 signature does not match"
    );
    Err(SigV4Error::mismatch())
}

/// The canonical request we computed, for a debug log on mismatch. For a presigned request
/// without a payload hash of its own this is the `UNSIGNED-PAYLOAD` form (the one tried first).
pub fn canonical_request(req: &RequestParts<'_>, auth: &ParsedAuth) -> String {
    let mut out = canonical::canonical_request_prefix(
        req,
        &auth.signed_headers,
        auth.location == AuthLocation::QueryString,
    );
    out.push_str(&primary_payload_hash(req, auth));
    out
}

/// The string to sign we computed (over [`canonical_request`]), for the same debug log.
pub fn string_to_sign(req: &RequestParts<'_>, auth: &ParsedAuth) -> String {
    let hash = sha256_hex(canonical_request(req, auth).as_bytes());
    signing::string_to_sign(
        &time::format_amz_date(auth.request_time),
        &auth.credential_scope(),
        &hash,
    )
}

/// The signature [`verify`] accepts for this request and these parameters (over the
/// [`canonical_request`] form), ignoring `auth.signature`: lets tests and tools make signed
/// requests without a signing library.
pub fn compute_signature(
    req: &RequestParts<'_>,
    auth: &ParsedAuth,
    secret_access_key: &str,
) -> String {
    let key = signing::signing_key(
        secret_access_key,
        &auth.scope_date,
        &auth.region,
        &auth.service,
    );
    signing::signature(&key, &string_to_sign(req, auth))
}

/// AWS's clock rules. A header-signed request must be within [`MAX_CLOCK_SKEW`] of `now`. A
/// presigned one must not be dated beyond that skew in the future, and is good until
/// `X-Amz-Expires` seconds after its date (or for the skew when it has no `X-Amz-Expires`).
fn check_time(auth: &ParsedAuth, now: DateTime<Utc>) -> Result<(), SigV4Error> {
    let t = auth.request_time;
    let too_early = now
        .checked_sub_signed(MAX_CLOCK_SKEW)
        .is_some_and(|earliest| t < earliest);
    let too_late = now
        .checked_add_signed(MAX_CLOCK_SKEW)
        .is_some_and(|latest| t > latest);
    if too_late {
        return Err(SigV4Error::signature_not_yet_current(
            t,
            now,
            MAX_CLOCK_SKEW,
        ));
    }
    match (auth.location, auth.expires_secs) {
        (AuthLocation::QueryString, Some(secs)) => {
            let lifetime = i64::try_from(secs)
                .ok()
                .and_then(Duration::try_seconds)
                .unwrap_or(Duration::MAX);
            // An expiry past the end of time never comes.
            let expired = t.checked_add_signed(lifetime).is_some_and(|end| now > end);
            if expired {
                return Err(SigV4Error::RequestExpired);
            }
        }
        _ if too_early => {
            return Err(SigV4Error::signature_expired(t, now, MAX_CLOCK_SKEW));
        }
        _ => {}
    }
    Ok(())
}

/// The payload hashes the signature may have been made over, in the order to try them: the
/// client's own `x-amz-content-sha256` (header, or query for a presigned request) when given;
/// otherwise the body's SHA-256 for a header-signed request, and `UNSIGNED-PAYLOAD` then the
/// body's SHA-256 for a presigned one (SDKs differ on which they use for non-S3 services).
fn payload_hashes(req: &RequestParts<'_>, auth: &ParsedAuth) -> Result<Vec<String>, SigV4Error> {
    if let Some(claimed) = claimed_payload_hash(req, auth) {
        let claimed = claimed.trim();
        let is_digest = claimed.len() == 64 && claimed.bytes().all(|b| b.is_ascii_hexdigit());
        if is_digest && !claimed.eq_ignore_ascii_case(&sha256_hex(req.body)) {
            return Err(SigV4Error::SignatureDoesNotMatch(
                "The provided 'x-amz-content-sha256' header does not match what was computed."
                    .to_string(),
            ));
        }
        return Ok(vec![claimed.to_string()]);
    }
    Ok(match auth.location {
        AuthLocation::Header => vec![sha256_hex(req.body)],
        AuthLocation::QueryString => vec![UNSIGNED_PAYLOAD.to_string(), sha256_hex(req.body)],
    })
}

fn claimed_payload_hash(req: &RequestParts<'_>, auth: &ParsedAuth) -> Option<String> {
    parse::header(req, "x-amz-content-sha256")
        .map(str::to_string)
        .or_else(|| match auth.location {
            AuthLocation::QueryString => parse::query_param(req.query, "X-Amz-Content-Sha256"),
            AuthLocation::Header => None,
        })
}

fn primary_payload_hash(req: &RequestParts<'_>, auth: &ParsedAuth) -> String {
    match claimed_payload_hash(req, auth) {
        Some(claimed) => claimed.trim().to_string(),
        None => match auth.location {
            AuthLocation::Header => sha256_hex(req.body),
            AuthLocation::QueryString => UNSIGNED_PAYLOAD.to_string(),
        },
    }
}
