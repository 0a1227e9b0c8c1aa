//! PEM X.509 certificates as IAM takes them: parsed for real, so garbage is refused with
//! `MalformedCertificate` and the expiry and public key come from the certificate itself.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use x509_cert::der::{DecodePem, Encode};
use x509_cert::Certificate;

use crate::api::{errors, ApiError};

pub struct ParsedCertificate {
    pub certificate: Certificate,
    /// SHA-256 of the DER, hex: the same certificate has the same fingerprint however its PEM
    /// is wrapped.
    pub fingerprint: String,
}

impl ParsedCertificate {
    pub fn not_after(&self) -> Option<DateTime<Utc>> {
        let t = self
            .certificate
            .tbs_certificate
            .validity
            .not_after
            .to_unix_duration();
        DateTime::from_timestamp(i64::try_from(t.as_secs()).ok()?, 0)
    }
}

/// As recorded from AWS, which names the body it could not read.
pub fn malformed(body: &str) -> ApiError {
    errors::malformed_certificate(format!("Certificate {} is malformed.", body.trim()))
}

/// Parses one PEM certificate.
pub fn parse(body: &str) -> Result<ParsedCertificate, ApiError> {
    let certificate = Certificate::from_pem(body.trim().as_bytes()).map_err(|_| malformed(body))?;
    let der = certificate.to_der().map_err(|_| malformed(body))?;
    Ok(ParsedCertificate {
        certificate,
        fingerprint: hex::encode(Sha256::digest(der)),
    })
}

/// Parses a chain: one or more PEM certificates, one after another.
pub fn parse_chain(chain: &str) -> Result<(), ApiError> {
    const END: &str = "-----END CERTIFICATE-----";
    let mut rest = chain.trim();
    if rest.is_empty() {
        return Err(malformed(chain));
    }
    while !rest.is_empty() {
        let end = rest.find(END).ok_or_else(|| malformed(chain))? + END.len();
        parse(&rest[..end]).map_err(|_| malformed(chain))?;
        rest = rest[end..].trim_start();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_parses_and_garbage_does_not() {
        let cert = parse(include_str!("../../tests/fixtures/cert.pem")).expect("fixture");
        assert!(cert.not_after().is_some());
        for body in [
            "",
            "invalid-certificate-body",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        ] {
            assert_eq!(
                parse(body).err().map(|e| e.code.to_string()).as_deref(),
                Some("MalformedCertificate")
            );
        }
    }
}
