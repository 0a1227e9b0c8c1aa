//! XML Signature (enveloped) as SAML uses it: one `Reference` to the signed element's own
//! `ID`, transforms limited to enveloped-signature + exclusive c14n, RSA PKCS#1 v1.5 with
//! SHA-256 or SHA-1, checked against keys the caller trusts (never the `KeyInfo` inside the
//! signature).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::c14n::canonicalize;
use super::xml::Element;

pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
/// DER `DigestInfo` header for SHA-1 (RFC 8017 §9.2 note 1), which PKCS#1 v1.5 signs in
/// front of the hash.
const SHA1_DIGEST_INFO: [u8; 15] = [
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("unsupported signature: {0}")]
    Unsupported(&'static str),
    #[error("the signature does not cover the element it sits in")]
    WrongReference,
    #[error("digest mismatch: the signed content was changed")]
    Digest,
    #[error("the signature value does not verify with any trusted key")]
    Value,
}

/// The `ds:Signature` that is a direct child of `el`, if any.
pub fn enveloped_signature(el: &Element) -> Option<&Element> {
    el.child(DSIG_NS, "Signature")
}

/// Checks `signature`, a direct child of `signed`, over `signed` (minus the signature).
pub fn verify(
    signed: &Element,
    signature: &Element,
    keys: &[RsaPublicKey],
) -> Result<(), SignatureError> {
    use SignatureError::Unsupported;
    let signed_info = signature
        .child(DSIG_NS, "SignedInfo")
        .ok_or(Unsupported("no SignedInfo"))?;
    let c14n_method = signed_info
        .child(DSIG_NS, "CanonicalizationMethod")
        .ok_or(Unsupported("no CanonicalizationMethod"))?;
    if c14n_method.attr("Algorithm") != Some(EXC_C14N) {
        return Err(Unsupported("canonicalization other than exclusive c14n"));
    }
    let sha1 = match signed_info
        .child(DSIG_NS, "SignatureMethod")
        .and_then(|m| m.attr("Algorithm"))
    {
        Some(RSA_SHA256) => false,
        Some(RSA_SHA1) => true,
        _ => return Err(Unsupported("signature method")),
    };
    let mut references = signed_info.children_named(DSIG_NS, "Reference");
    let reference = references.next().ok_or(Unsupported("no Reference"))?;
    if references.next().is_some() {
        return Err(Unsupported("more than one Reference"));
    }
    // SAML core §5.4.2: the reference names the signed element by its ID attribute.
    let id = signed.attr("ID").ok_or(SignatureError::WrongReference)?;
    if reference.attr("URI") != Some(&format!("#{id}")) {
        return Err(SignatureError::WrongReference);
    }
    let mut enveloped = false;
    let mut c14n_prefixes = None;
    if let Some(transforms) = reference.child(DSIG_NS, "Transforms") {
        for t in transforms.children_named(DSIG_NS, "Transform") {
            match t.attr("Algorithm") {
                Some(ENVELOPED) => enveloped = true,
                Some(EXC_C14N) => c14n_prefixes = Some(inclusive_prefixes(t)),
                _ => return Err(Unsupported("transform")),
            }
        }
    }
    let (true, Some(prefixes)) = (enveloped, c14n_prefixes) else {
        return Err(Unsupported(
            "transforms other than enveloped + exclusive c14n",
        ));
    };
    let canonical = canonicalize(signed, Some(signature), &prefixes);
    let digest = match reference
        .child(DSIG_NS, "DigestMethod")
        .and_then(|m| m.attr("Algorithm"))
    {
        Some(SHA256) => Sha256::digest(canonical.as_bytes()).to_vec(),
        Some(SHA1) => Sha1::digest(canonical.as_bytes()).to_vec(),
        _ => return Err(Unsupported("digest method")),
    };
    let expected = reference
        .child(DSIG_NS, "DigestValue")
        .and_then(base64_text)
        .ok_or(Unsupported("DigestValue"))?;
    if digest != expected {
        return Err(SignatureError::Digest);
    }

    let signed_info_c14n = canonicalize(signed_info, None, &inclusive_prefixes(c14n_method));
    let value = signature
        .child(DSIG_NS, "SignatureValue")
        .and_then(base64_text)
        .ok_or(Unsupported("SignatureValue"))?;
    let message = signed_info_c14n.as_bytes();
    let (padding, hashed) = if sha1 {
        let padding = Pkcs1v15Sign {
            hash_len: Some(20),
            prefix: Box::new(SHA1_DIGEST_INFO),
        };
        (padding, Sha1::digest(message).to_vec())
    } else {
        (
            Pkcs1v15Sign::new::<Sha256>(),
            Sha256::digest(message).to_vec(),
        )
    };
    let verified = keys
        .iter()
        .any(|key| key.verify(padding.clone(), &hashed, &value).is_ok());
    if verified {
        Ok(())
    } else {
        Err(SignatureError::Value)
    }
}

/// The `PrefixList` of an `InclusiveNamespaces` child of a c14n method or transform.
fn inclusive_prefixes(method: &Element) -> Vec<String> {
    method
        .child(EXC_C14N, "InclusiveNamespaces")
        .and_then(|i| i.attr("PrefixList"))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Base64 element content, line breaks and all.
pub fn base64_text(el: &Element) -> Option<Vec<u8>> {
    let compact: String = el
        .text()
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD.decode(compact).ok()
}
