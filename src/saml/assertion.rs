//! A `samlp:Response` as AssumeRoleWithSAML takes it: the signature checked (on the Response,
//! on its one Assertion, or both), then the parts STS reads out of the signed assertion.
//! Time, audience, issuer and attribute rules are the caller's: this only reads.

use chrono::{DateTime, Utc};
use rsa::RsaPublicKey;

use super::dsig::{self, SignatureError};
use super::metadata::parse_datetime;
use super::xml::{self, Element};

pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AssertionError {
    #[error("malformed response: {0}")]
    Malformed(String),
    #[error("neither the response nor the assertion is signed")]
    NotSigned,
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the identity provider answered with status {0}")]
    Status(String),
}

fn malformed(message: impl Into<String>) -> AssertionError {
    AssertionError::Malformed(message.into())
}

/// What a verified assertion says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assertion {
    /// The Response's `Issuer`, when it has one.
    pub response_issuer: Option<String>,
    pub issuer: String,
    pub name_id: Option<String>,
    pub name_id_format: Option<String>,
    /// `Recipient` of the bearer `SubjectConfirmationData`.
    pub recipient: Option<String>,
    pub subject_not_on_or_after: Option<DateTime<Utc>>,
    pub not_before: Option<DateTime<Utc>>,
    pub not_on_or_after: Option<DateTime<Utc>>,
    pub audiences: Vec<String>,
    /// `SessionNotOnOrAfter` of the `AuthnStatement`: when the IdP wants the session to end.
    pub session_not_on_or_after: Option<DateTime<Utc>>,
    /// Attribute name → values, in document order.
    pub attributes: Vec<(String, Vec<String>)>,
}

impl Assertion {
    pub fn attribute(&self, name: &str) -> Option<&[String]> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
}

/// Parses `document`, checks its signatures against `keys`, and reads the assertion.
pub fn read_response(document: &str, keys: &[RsaPublicKey]) -> Result<Assertion, AssertionError> {
    let root = xml::parse(document).map_err(|e| malformed(e.to_string()))?;
    if !root.is(PROTOCOL_NS, "Response") {
        return Err(malformed("the root element is not a samlp:Response"));
    }
    let status = root
        .child(PROTOCOL_NS, "Status")
        .and_then(|s| s.child(PROTOCOL_NS, "StatusCode"))
        .and_then(|c| c.attr("Value"))
        .ok_or_else(|| malformed("no StatusCode"))?;
    if status != SUCCESS {
        return Err(AssertionError::Status(status.to_string()));
    }
    if root.child(ASSERTION_NS, "EncryptedAssertion").is_some() {
        return Err(malformed("encrypted assertions are not supported"));
    }
    let mut assertions = root.children_named(ASSERTION_NS, "Assertion");
    let assertion = assertions.next().ok_or_else(|| malformed("no Assertion"))?;
    if assertions.next().is_some() {
        return Err(malformed("more than one Assertion"));
    }

    // Every signature present must hold; at least one must cover the assertion.
    let response_signature = dsig::enveloped_signature(&root);
    let assertion_signature = dsig::enveloped_signature(assertion);
    if response_signature.is_none() && assertion_signature.is_none() {
        return Err(AssertionError::NotSigned);
    }
    if let Some(sig) = response_signature {
        dsig::verify(&root, sig, keys)?;
    }
    if let Some(sig) = assertion_signature {
        dsig::verify(assertion, sig, keys)?;
    }
    read_assertion(&root, assertion)
}

fn text_of(el: &Element, local: &str) -> Option<String> {
    el.child(ASSERTION_NS, local)
        .map(|e| e.text().trim().to_string())
}

fn time_attr(el: &Element, name: &str) -> Result<Option<DateTime<Utc>>, AssertionError> {
    el.attr(name)
        .map(|v| parse_datetime(v).ok_or_else(|| malformed(format!("{name} is not a dateTime"))))
        .transpose()
}

fn read_assertion(response: &Element, a: &Element) -> Result<Assertion, AssertionError> {
    let issuer = text_of(a, "Issuer").ok_or_else(|| malformed("the assertion has no Issuer"))?;
    let mut out = Assertion {
        response_issuer: text_of(response, "Issuer"),
        issuer,
        ..Assertion::default()
    };
    if let Some(subject) = a.child(ASSERTION_NS, "Subject") {
        if let Some(name_id) = subject.child(ASSERTION_NS, "NameID") {
            out.name_id = Some(name_id.text().trim().to_string());
            out.name_id_format = name_id.attr("Format").map(str::to_string);
        }
        let bearer = subject
            .children_named(ASSERTION_NS, "SubjectConfirmation")
            .find(|c| c.attr("Method") == Some("urn:oasis:names:tc:SAML:2.0:cm:bearer"));
        if let Some(data) = bearer.and_then(|c| c.child(ASSERTION_NS, "SubjectConfirmationData")) {
            out.recipient = data.attr("Recipient").map(str::to_string);
            out.subject_not_on_or_after = time_attr(data, "NotOnOrAfter")?;
        }
    }
    if let Some(conditions) = a.child(ASSERTION_NS, "Conditions") {
        out.not_before = time_attr(conditions, "NotBefore")?;
        out.not_on_or_after = time_attr(conditions, "NotOnOrAfter")?;
        out.audiences = conditions
            .children_named(ASSERTION_NS, "AudienceRestriction")
            .flat_map(|r| r.children_named(ASSERTION_NS, "Audience"))
            .map(|e| e.text().trim().to_string())
            .collect();
    }
    if let Some(authn) = a.child(ASSERTION_NS, "AuthnStatement") {
        out.session_not_on_or_after = time_attr(authn, "SessionNotOnOrAfter")?;
    }
    for statement in a.children_named(ASSERTION_NS, "AttributeStatement") {
        for attribute in statement.children_named(ASSERTION_NS, "Attribute") {
            let Some(name) = attribute.attr("Name") else {
                continue;
            };
            let values = attribute
                .children_named(ASSERTION_NS, "AttributeValue")
                .map(|v| v.text().trim().to_string())
                .collect();
            out.attributes.push((name.to_string(), values));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/saml/{name}", env!("CARGO_MANIFEST_DIR"));
        let b64 = std::fs::read_to_string(path).expect("fixture");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .expect("base64");
        String::from_utf8(bytes).expect("utf-8")
    }

    fn keys() -> Vec<RsaPublicKey> {
        super::super::metadata::parse(include_str!("../../tests/fixtures/saml/metadata.xml"))
            .expect("metadata")
            .signing_keys
    }

    #[test]
    fn signatures_made_by_signxml_verify() {
        let a = read_response(&fixture("response-signed.b64"), &keys()).expect("response");
        assert_eq!(a.issuer, "https://idp.example.com/saml");
        assert_eq!(a.name_id.as_deref(), Some("alice"));
        assert_eq!(
            a.recipient.as_deref(),
            Some("https://signin.aws.amazon.com/saml")
        );
        assert_eq!(
            a.attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.1"),
            Some(&["member".to_string(), "staff".to_string()][..])
        );
        let b = read_response(&fixture("assertion-signed-sha1.b64"), &keys()).expect("sha1");
        assert_eq!(b.audiences, ["urn:amazon:webservices"]);
        // SignedInfo canonicalized with InclusiveNamespaces PrefixList="xs xsi".
        let c = read_response(&fixture("assertion-prefixlist.b64"), &keys()).expect("prefixes");
        assert_eq!(c.name_id.as_deref(), Some("alice"));
    }

    #[test]
    fn tampering_unsigned_and_foreign_keys_fail() {
        let doc = fixture("response-signed.b64");
        let tampered = doc.replace(">alice<", ">mallory<");
        assert_eq!(
            read_response(&tampered, &keys()),
            Err(AssertionError::Signature(SignatureError::Digest))
        );
        assert_eq!(
            read_response(&fixture("other-key.b64"), &keys()),
            Err(AssertionError::Signature(SignatureError::Value))
        );
        let start = doc.find("<ds:Signature").expect("signature");
        let end = doc.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
        let unsigned = format!("{}{}", &doc[..start], &doc[end..]);
        assert_eq!(
            read_response(&unsigned, &keys()),
            Err(AssertionError::NotSigned)
        );
        // Moving the signed assertion's ID onto another element does not move the signature.
        let sha1 = fixture("assertion-signed-sha1.b64");
        let renamed = sha1.replace("ID=\"_assert1\"", "ID=\"_other\"");
        assert_eq!(
            read_response(&renamed, &keys()),
            Err(AssertionError::Signature(SignatureError::WrongReference))
        );
    }
}
