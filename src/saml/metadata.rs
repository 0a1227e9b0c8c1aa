//! SAML 2.0 metadata of an identity provider (`md:EntityDescriptor`): its entity id, how
//! long the document is valid, and the certificates it signs responses with.

use chrono::{DateTime, Utc};
use rsa::pkcs8::DecodePublicKey;
use rsa::RsaPublicKey;
use x509_cert::der::{Decode, Encode};
use x509_cert::Certificate;

use super::dsig::{base64_text, DSIG_NS};
use super::xml::{self, Element};

pub const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct MetadataError(pub String);

fn bad(message: impl Into<String>) -> MetadataError {
    MetadataError(message.into())
}

#[derive(Debug, Clone)]
pub struct Metadata {
    pub entity_id: String,
    pub valid_until: Option<DateTime<Utc>>,
    /// The RSA keys of the signing certificates (`KeyDescriptor` with `use="signing"` or no
    /// `use`), in document order.
    pub signing_keys: Vec<RsaPublicKey>,
}

pub fn parse(document: &str) -> Result<Metadata, MetadataError> {
    let root = xml::parse(document).map_err(|e| bad(e.to_string()))?;
    if !root.is(METADATA_NS, "EntityDescriptor") {
        return Err(bad("the root element is not an md:EntityDescriptor"));
    }
    let entity_id = root
        .attr("entityID")
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| bad("no entityID"))?
        .to_string();
    let valid_until = root
        .attr("validUntil")
        .map(|v| parse_datetime(v).ok_or_else(|| bad("validUntil is not a dateTime")))
        .transpose()?;
    let idp = root
        .child(METADATA_NS, "IDPSSODescriptor")
        .ok_or_else(|| bad("no md:IDPSSODescriptor"))?;
    let mut signing_keys = Vec::new();
    for kd in idp.children_named(METADATA_NS, "KeyDescriptor") {
        if kd.attr("use").is_some_and(|u| u != "signing") {
            continue;
        }
        for cert in certificates(kd) {
            signing_keys.push(public_key(cert)?);
        }
    }
    if signing_keys.is_empty() {
        return Err(bad("no signing certificate"));
    }
    Ok(Metadata {
        entity_id,
        valid_until,
        signing_keys,
    })
}

fn certificates(key_descriptor: &Element) -> impl Iterator<Item = &Element> {
    key_descriptor
        .children_named(DSIG_NS, "KeyInfo")
        .flat_map(|ki| ki.children_named(DSIG_NS, "X509Data"))
        .flat_map(|d| d.children_named(DSIG_NS, "X509Certificate"))
}

fn public_key(cert: &Element) -> Result<RsaPublicKey, MetadataError> {
    let der = base64_text(cert).ok_or_else(|| bad("an X509Certificate is not base64"))?;
    let certificate =
        Certificate::from_der(&der).map_err(|_| bad("an X509Certificate is not X.509"))?;
    let spki = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|_| bad("an X509Certificate is not X.509"))?;
    RsaPublicKey::from_public_key_der(&spki)
        .map_err(|_| bad("a signing certificate does not hold an RSA key"))
}

/// `xs:dateTime` as SAML writes it (UTC, `Z` or an offset, optional fraction).
pub fn parse_datetime(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/saml/metadata.xml");

    #[test]
    fn fixture_metadata() {
        let m = parse(FIXTURE).expect("parses");
        assert_eq!(m.entity_id, "https://idp.example.com/saml");
        assert_eq!(m.valid_until, None);
        assert_eq!(m.signing_keys.len(), 1);
    }

    #[test]
    fn refuses_metadata_without_what_aws_needs() {
        let cases = [
            FIXTURE.replace("EntityDescriptor", "EntitiesDescriptor"),
            FIXTURE.replace("entityID=", "other="),
            FIXTURE.replace("IDPSSODescriptor", "SPSSODescriptor"),
            FIXTURE.replace("use=\"signing\"", "use=\"encryption\""),
            FIXTURE.replace("<ds:X509Certificate>MII", "<ds:X509Certificate>AAA"),
            FIXTURE.replace("entityID=", "validUntil=\"soon\" entityID="),
            "not xml".to_string(),
        ];
        for doc in cases {
            assert!(parse(&doc).is_err(), "{doc}");
        }
        let dated = FIXTURE.replace(
            "entityID=",
            "validUntil=\"2030-01-02T03:04:05.5Z\" entityID=",
        );
        assert_eq!(
            parse(&dated).expect("dated").valid_until,
            parse_datetime("2030-01-02T03:04:05.5Z")
        );
    }
}
