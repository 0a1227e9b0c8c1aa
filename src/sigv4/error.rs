/// A request whose SigV4 authentication fails, with AWS's code, status and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigV4Error {
    /// No signature at all, on an operation that needs one.
    #[error("Request is missing Authentication Token")]
    MissingAuthenticationToken,
    /// A signature whose parts are missing or malformed.
    #[error("{0}")]
    IncompleteSignature(String),
    /// The signature does not verify, or its time is out of the allowed window.
    #[error("{0}")]
    SignatureDoesNotMatch(String),
}

/// AWS's sentence for a signature that does not verify.
pub const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

impl SigV4Error {
    pub fn code(&self) -> &'static str {
        match self {
            SigV4Error::MissingAuthenticationToken => "MissingAuthenticationToken",
            SigV4Error::IncompleteSignature(_) => "IncompleteSignature",
            SigV4Error::SignatureDoesNotMatch(_) => "SignatureDoesNotMatch",
        }
    }

    pub fn http_status(&self) -> u16 {
        match self {
            SigV4Error::IncompleteSignature(_) => 400,
            _ => 403,
        }
    }

    pub fn mismatch() -> Self {
        SigV4Error::SignatureDoesNotMatch(MISMATCH.to_string())
    }
}
