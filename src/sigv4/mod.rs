//! Our own AWS Signature Version 4 verifier (header and presigned query forms). Pure code: the
//! server hands it the request's parts and the secret of the access key it names.

mod canonical;
mod error;
mod parse;

pub use canonical::canonical_query;
pub use error::SigV4Error;
pub use parse::parse;

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// What the verifier needs from an HTTP request, already split by the server.
pub struct RequestParts<'a> {
    pub method: &'a str,
    /// The raw path as received (still percent-encoded).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// Header names lower-case; a name may repeat.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthLocation {
    Header,
    QueryString,
}

/// The parsed SigV4 authentication of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuth {
    pub access_key_id: String,
    pub scope_date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
    pub request_time: DateTime<Utc>,
    /// `X-Amz-Expires` of a presigned request, in seconds.
    pub expires_secs: Option<u64>,
    pub session_token: Option<String>,
    pub location: AuthLocation,
}

/// How far a signed request's time may be from ours (AWS: 15 minutes).
const MAX_SKEW_MINUTES: i64 = 15;

fn amz(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Checks the time window and the signature (compared in constant time).
pub fn verify(
    req: &RequestParts,
    auth: &ParsedAuth,
    secret_access_key: &str,
    now: DateTime<Utc>,
) -> Result<(), SigV4Error> {
    let skew = Duration::minutes(MAX_SKEW_MINUTES);
    match auth.expires_secs {
        Some(expires) => {
            let expiry = auth.request_time
                + Duration::seconds(i64::try_from(expires).unwrap_or(i64::MAX / 2_000));
            if now > expiry {
                return Err(SigV4Error::SignatureDoesNotMatch(format!(
                    "Signature expired: {} is now earlier than {}",
                    amz(expiry),
                    amz(now)
                )));
            }
            if auth.request_time > now + skew {
                return Err(not_yet_current(auth.request_time, now));
            }
        }
        None => {
            if auth.request_time < now - skew {
                return Err(SigV4Error::SignatureDoesNotMatch(format!(
                    "Signature expired: {} is now earlier than {} ({} - 15 min.)",
                    amz(auth.request_time),
                    amz(now - skew),
                    amz(now)
                )));
            }
            if auth.request_time > now + skew {
                return Err(not_yet_current(auth.request_time, now));
            }
        }
    }
    let key = signing_key(
        secret_access_key,
        &auth.scope_date,
        &auth.region,
        &auth.service,
    );
    let provided = auth.signature.as_bytes();
    for payload_hash in canonical::payload_hashes(req, auth) {
        let cr = canonical::canonical_request(req, auth, &payload_hash);
        let expected = hex::encode(hmac(&key, string_to_sign(auth, &cr).as_bytes()));
        if bool::from(expected.as_bytes().ct_eq(provided)) {
            return Ok(());
        }
    }
    Err(SigV4Error::mismatch())
}

fn not_yet_current(t: DateTime<Utc>, now: DateTime<Utc>) -> SigV4Error {
    SigV4Error::SignatureDoesNotMatch(format!(
        "Signature not yet current: {} is still later than {} ({} + 15 min.)",
        amz(t),
        amz(now + Duration::minutes(MAX_SKEW_MINUTES)),
        amz(now)
    ))
}

/// The canonical request we computed (with the first candidate payload hash), for debugging.
pub fn canonical_request(req: &RequestParts, auth: &ParsedAuth) -> String {
    let hash = canonical::payload_hashes(req, auth)
        .into_iter()
        .next()
        .unwrap_or_default();
    canonical::canonical_request(req, auth, &hash)
}

fn string_to_sign(auth: &ParsedAuth, canonical_request: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{}\n{}/{}/{}/aws4_request\n{}",
        amz(auth.request_time),
        auth.scope_date,
        auth.region,
        auth.service,
        canonical::sha256_hex(canonical_request.as_bytes())
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}
