//! The failures a SigV4 check can end in, each with the code, HTTP status and message AWS's
//! Query-protocol services (IAM, STS) answer with.

use chrono::{DateTime, Duration, Utc};

use super::time::format_amz_date;

/// AWS's sentence for a signature that does not verify.
pub const MISMATCH_MESSAGE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// A request whose SigV4 authentication failed.
///
/// `Display` gives the message exactly as AWS words it, so the server can put it in the
/// `<Message>` element unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigV4Error {
    /// No signature at all on an operation that needs one (`parse` answers `Ok(None)`; the
    /// server raises this itself once it knows the operation is not an unsigned one).
    #[error("Request is missing Authentication Token")]
    MissingAuthenticationToken,
    /// The signature's parts are missing, malformed or of an unsupported kind.
    #[error("{0}")]
    IncompleteSignature(String),
    /// The signature does not verify, its time is outside the allowed window, or its
    /// credential scope is wrong.
    #[error("{0}")]
    SignatureDoesNotMatch(String),
    /// A presigned request used after its `X-Amz-Expires` lifetime.
    #[error("Request has expired.")]
    RequestExpired,
    /// The access key (or session token) is unknown; the server raises it after `parse`.
    #[error("The security token included in the request is invalid.")]
    InvalidClientTokenId,
}

impl SigV4Error {
    /// The AWS error code, for the `<Code>` element.
    pub fn code(&self) -> &'static str {
        match self {
            SigV4Error::MissingAuthenticationToken => "MissingAuthenticationToken",
            SigV4Error::IncompleteSignature(_) => "IncompleteSignature",
            SigV4Error::SignatureDoesNotMatch(_) => "SignatureDoesNotMatch",
            SigV4Error::RequestExpired => "RequestExpired",
            SigV4Error::InvalidClientTokenId => "InvalidClientTokenId",
        }
    }

    /// The HTTP status AWS answers this error with.
    pub fn http_status(&self) -> u16 {
        match self {
            SigV4Error::IncompleteSignature(_) | SigV4Error::RequestExpired => 400,
            SigV4Error::MissingAuthenticationToken
            | SigV4Error::SignatureDoesNotMatch(_)
            | SigV4Error::InvalidClientTokenId => 403,
        }
    }

    /// The plain "signature does not match" error.
    pub fn mismatch() -> Self {
        SigV4Error::SignatureDoesNotMatch(MISMATCH_MESSAGE.to_string())
    }

    /// A request time older than `now - window`.
    pub(super) fn signature_expired(
        request_time: DateTime<Utc>,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Self {
        SigV4Error::SignatureDoesNotMatch(format!(
            "Signature expired: {} is now earlier than {} ({} - {} min.)",
            format_amz_date(request_time),
            format_amz_date(now.checked_sub_signed(window).unwrap_or(now)),
            format_amz_date(now),
            window.num_minutes()
        ))
    }

    /// A request time later than `now + window`.
    pub(super) fn signature_not_yet_current(
        request_time: DateTime<Utc>,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Self {
        SigV4Error::SignatureDoesNotMatch(format!(
            "Signature not yet current: {} is still later than {} ({} + {} min.)",
            format_amz_date(request_time),
            format_amz_date(now.checked_add_signed(window).unwrap_or(now)),
            format_amz_date(now),
            window.num_minutes()
        ))
    }

    /// An `X-Amz-Date` (or `Date`) value that is not a timestamp we can read.
    pub(super) fn bad_date(value: &str) -> Self {
        SigV4Error::IncompleteSignature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    }

    /// An algorithm other than `AWS4-HMAC-SHA256`.
    pub(super) fn unsupported_algorithm(algorithm: &str) -> Self {
        SigV4Error::IncompleteSignature(format!(
            "Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now). "
        ))
    }

    /// A signed-headers list without `host`.
    pub(super) fn host_not_signed() -> Self {
        SigV4Error::SignatureDoesNotMatch(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".to_string(),
        )
    }

    /// A credential that is not `keyid/date/region/service/aws4_request`.
    pub(super) fn credential_parts(credential: &str) -> Self {
        SigV4Error::IncompleteSignature(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
        ))
    }
}
