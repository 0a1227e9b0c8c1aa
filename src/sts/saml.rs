//! AssumeRoleWithSAML: a signed SAML response from an identity provider registered in the
//! role's account, naming the role in its Role attribute, exchanged for a role session when
//! the role's trust policy allows it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use sha1::{Digest, Sha1};

use crate::api::sts::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::Call;
use crate::iam::saml_providers::parse_provider_arn;
use crate::policy::RequestContext;
use crate::saml::assertion::{read_response, Assertion, AssertionError};
use crate::saml::metadata;
use crate::store;

use super::assume_role::parse_role_arn;
use super::federated::{authorize_trust, not_authorized, session_duration};
use super::issue::{issue_role_session, RoleSessionOptions, SessionInputs};

const ACTION: &str = "sts:AssumeRoleWithSAML";
const ATTRIBUTES: &str = "https://aws.amazon.com/SAML/Attributes/";
/// The audiences AWS accepts (IAM User Guide, "Configure SAML assertions for the
/// authentication response").
const AUDIENCES: [&str; 2] = [
    "https://signin.aws.amazon.com/saml",
    "urn:amazon:webservices",
];
const NAME_ID_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:";
const UNSPECIFIED_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

/// The `saml:` condition keys filled from attributes (IAM User Guide, "Available keys for
/// SAML-based AWS STS federation"); `true` for the multivalued eduPerson keys.
const ATTRIBUTE_KEYS: [(&str, &str, bool); 20] = [
    ("urn:oid:2.5.4.3", "saml:commonName", false),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
        "saml:edupersonaffiliation",
        true,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.11",
        "saml:edupersonassurance",
        true,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.7",
        "saml:edupersonentitlement",
        true,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.2",
        "saml:edupersonnickname",
        true,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.3",
        "saml:edupersonorgdn",
        false,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.4",
        "saml:edupersonorgunitdn",
        true,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.5",
        "saml:edupersonprimaryaffiliation",
        false,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.8",
        "saml:edupersonprimaryorgunitdn",
        false,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
        "saml:edupersonprincipalname",
        false,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",
        "saml:edupersonscopedaffiliation",
        true,
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.10",
        "saml:edupersontargetedid",
        true,
    ),
    ("urn:oid:2.5.4.42", "saml:givenName", false),
    ("urn:oid:0.9.2342.19200300.100.1.3", "saml:mail", false),
    ("urn:oid:2.5.4.41", "saml:name", false),
    (
        "urn:oid:0.9.2342.19200300.100.1.45",
        "saml:organizationStatus",
        false,
    ),
    (
        "urn:oid:1.2.840.113556.1.4.98",
        "saml:primaryGroupSID",
        false,
    ),
    ("urn:oid:2.5.4.4", "saml:surname", false),
    ("urn:oid:0.9.2342.19200300.100.1.1", "saml:uid", false),
    ("urn:oid:2.5.4.45", "saml:x500UniqueIdentifier", false),
];

fn invalid(message: impl Into<String>) -> ApiError {
    errors::invalid_identity_token(message)
}

/// `[a-zA-Z_0-9+=,.@-]{2,64}`, the pattern AWS names in its errors.
fn valid_name(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

/// AWS: STS API reference, AssumeRoleWithSAML `NameQualifier`:
/// BASE64(SHA1(issuer + account id + "/" + provider name)).
fn name_qualifier(issuer: &str, account: &str, provider_name: &str) -> String {
    STANDARD.encode(Sha1::digest(format!("{issuer}{account}/{provider_name}")))
}

/// The NameID format as the answer shows it: SAML 2.0's prefix dropped, others kept whole.
fn subject_type(format: Option<&str>) -> String {
    let format = format.unwrap_or(UNSPECIFIED_FORMAT);
    format
        .strip_prefix(NAME_ID_PREFIX)
        .unwrap_or(format)
        .to_string()
}

fn single<'a>(a: &'a Assertion, name: &str) -> Option<&'a str> {
    a.attribute(&format!("{ATTRIBUTES}{name}"))
        .and_then(|v| v.first())
        .map(String::as_str)
}

fn decode(assertion: &str) -> Result<String, ApiError> {
    let compact: String = assertion
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    // Wording not verified against AWS.
    let bad = || invalid("Invalid base64 SAMLResponse");
    String::from_utf8(STANDARD.decode(compact).map_err(|_| bad())?).map_err(|_| bad())
}

/// Conditions, SubjectConfirmationData and the AuthnStatement's SessionNotOnOrAfter must
/// hold now.
fn check_time(a: &Assertion, now: DateTime<Utc>) -> Result<(), ApiError> {
    if a.not_before.is_some_and(|t| now < t) {
        // Wording not verified against AWS.
        return Err(invalid("Response is not yet valid"));
    }
    let ends = [
        a.not_on_or_after,
        a.subject_not_on_or_after,
        a.session_not_on_or_after,
    ];
    if ends.iter().flatten().any(|t| now >= *t) {
        // AWS: as STS answers an expired response (ExpiredTokenException).
        return Err(errors::expired_token_exception(
            "Token must be redeemed within 5 minutes of issuance",
        ));
    }
    Ok(())
}

/// Whether one value of the Role attribute pairs `role` with `provider` (either order).
fn names_role(a: &Assertion, role: &str, provider: &str) -> bool {
    a.attribute(&format!("{ATTRIBUTES}Role"))
        .unwrap_or_default()
        .iter()
        .any(|pair| {
            let mut parts = pair.split(',').map(str::trim);
            match (parts.next(), parts.next(), parts.next()) {
                (Some(x), Some(y), None) => {
                    (x == role && y == provider) || (x == provider && y == role)
                }
                _ => false,
            }
        })
}

/// `PrincipalTag:*` attributes as session tags, and the `TransitiveTagKeys` attribute.
fn session_tags(a: &Assertion) -> (Vec<Tag>, Vec<String>) {
    let prefix = format!("{ATTRIBUTES}PrincipalTag:");
    let tags = a
        .attributes
        .iter()
        .filter_map(|(name, values)| {
            let key = name.strip_prefix(&prefix)?;
            Some(Tag {
                key: key.to_string(),
                value: values.first().cloned().unwrap_or_default(),
            })
        })
        .collect();
    let transitive = a
        .attribute(&format!("{ATTRIBUTES}TransitiveTagKeys"))
        .map(<[String]>::to_vec)
        .unwrap_or_default();
    (tags, transitive)
}

pub async fn assume_role_with_saml(
    app: &App,
    call: &Call,
    input: AssumeRoleWithSAMLRequest,
) -> Result<AssumeRoleWithSAMLResponse, ApiError> {
    let Some((account, path, role_name)) = parse_role_arn(&input.role_arn) else {
        return Err(ApiError::validation(format!(
            "{} is invalid",
            input.role_arn
        )));
    };
    let Some((provider_account, provider_name)) = parse_provider_arn(&input.principal_arn) else {
        return Err(ApiError::validation(format!(
            "{} is invalid",
            input.principal_arn
        )));
    };
    let (provider, role) = {
        let mut c = app.store.read().await?;
        (
            store::saml_providers::get(&mut c, &input.principal_arn).await?,
            store::roles::get(&mut c, account, role_name).await?,
        )
    };
    // AWS: IAM User Guide, "Troubleshoot SAML federation" (code not verified).
    let provider = provider
        .filter(|p| p.account_id == account && provider_account == account)
        .ok_or_else(|| invalid("Specified provider doesn't exist"))?;
    let document = decode(&input.saml_assertion)?;
    let keys = metadata::parse(&provider.metadata)
        .map_err(|_| ApiError::internal("A stored SAML metadata document could not be read."))?
        .signing_keys;
    let assertion = read_response(&document, &keys).map_err(|e| match e {
        // AWS: IAM User Guide, "Troubleshoot SAML federation".
        AssertionError::NotSigned | AssertionError::Signature(_) => {
            invalid("Response signature invalid")
        }
        // Wording not verified against AWS.
        AssertionError::Status(status) => errors::idp_rejected_claim(format!(
            "The identity provider answered with status {status}"
        )),
        AssertionError::Malformed(why) => invalid(format!("Invalid SAML response: {why}")),
    })?;
    let issuers_match = assertion.issuer == provider.entity_id
        && assertion
            .response_issuer
            .as_ref()
            .is_none_or(|i| *i == provider.entity_id);
    if !issuers_match {
        // AWS: IAM User Guide, "Troubleshoot SAML federation".
        return Err(invalid("Issuer not present in specified provider"));
    }
    check_time(&assertion, call.now)?;
    if !assertion
        .audiences
        .iter()
        .any(|a| AUDIENCES.contains(&a.as_str()))
    {
        // AWS: IAM User Guide, "Troubleshoot SAML federation" (code not verified).
        return Err(invalid("Response does not contain the required audience"));
    }
    if !names_role(&assertion, &input.role_arn, &input.principal_arn) {
        return Err(not_authorized(ACTION));
    }
    // AWS: IAM User Guide, "Troubleshoot SAML federation" (the next three messages).
    let session_name = single(&assertion, "RoleSessionName")
        .ok_or_else(|| invalid("RoleSessionName is required in AuthnResponse"))?
        .to_string();
    if !valid_name(&session_name) {
        return Err(invalid(
            "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
        ));
    }
    let source_identity = single(&assertion, "SourceIdentity").map(str::to_string);
    if source_identity
        .as_deref()
        .is_some_and(|s| !valid_name(s) || s.starts_with("aws:"))
    {
        return Err(invalid(
            "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"",
        ));
    }

    let role = role
        .filter(|r| r.path == path)
        .ok_or_else(|| not_authorized(ACTION))?;
    let mut duration = session_duration(input.duration_seconds, &role)?;
    // AWS: the session ends at DurationSeconds or the response's SessionNotOnOrAfter,
    // whichever is sooner (STS API reference, AssumeRoleWithSAML). The SessionDuration
    // attribute applies to console sessions only.
    if let Some(end) = assertion.session_not_on_or_after {
        duration = duration.min((end - call.now).num_seconds());
    }
    let (tags, transitive) = session_tags(&assertion);
    let inputs = SessionInputs::new(
        input.policy,
        input.policy_arns,
        Some(tags),
        Some(transitive),
    )?;

    let issuer = assertion.issuer.clone();
    let subject = assertion.name_id.clone().unwrap_or_default();
    let subject_type = subject_type(assertion.name_id_format.as_deref());
    let qualifier = name_qualifier(&issuer, account, provider_name);
    let audience = assertion.recipient.clone().unwrap_or_default();
    let mut ctx = RequestContext::new();
    ctx.set("saml:aud", audience.clone())
        .set("saml:iss", issuer.clone())
        .set("saml:sub", subject.clone())
        .set("saml:sub_type", subject_type.clone())
        .set("saml:namequalifier", qualifier.clone())
        .set("saml:doc", format!("{account}/{provider_name}"))
        .set("sts:RoleSessionName", session_name.clone())
        .set("aws:FederatedProvider", provider.arn.clone());
    for (attribute, key, multivalued) in ATTRIBUTE_KEYS {
        match assertion.attribute(attribute) {
            Some(values) if multivalued => {
                ctx.set_list(key, values.to_vec());
            }
            Some([value, ..]) => {
                ctx.set(key, value.clone());
            }
            _ => {}
        }
    }
    if let Some(id) = &source_identity {
        ctx.set("sts:SourceIdentity", id.clone());
    }
    inputs.tag_context(&mut ctx);
    let mut actions = vec![ACTION];
    if !inputs.tags.is_empty() {
        actions.push("sts:TagSession");
    }
    if source_identity.is_some() {
        actions.push("sts:SetSourceIdentity");
    }
    authorize_trust(app, call, &role, &provider.arn, &actions, ctx).await?;
    let packed_policy_size = inputs.packed_size()?;

    let (credentials, user) = issue_role_session(
        app,
        call,
        &role,
        &session_name,
        duration,
        RoleSessionOptions {
            source_identity: source_identity.clone(),
            ..RoleSessionOptions::default()
        },
        &inputs,
    )
    .await?;
    Ok(AssumeRoleWithSAMLResponse {
        credentials: Some(credentials),
        assumed_role_user: Some(user),
        packed_policy_size,
        subject: Some(subject),
        subject_type: Some(subject_type),
        issuer: Some(issuer),
        audience: Some(audience),
        name_qualifier: Some(qualifier),
        source_identity,
        ..AssumeRoleWithSAMLResponse::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_types_and_names() {
        assert_eq!(
            subject_type(Some("urn:oasis:names:tc:SAML:2.0:nameid-format:transient")),
            "transient"
        );
        assert_eq!(
            subject_type(Some(
                "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
            )),
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        );
        assert!(valid_name("alice@example.com"));
        assert!(!valid_name("a"));
        assert!(!valid_name("has space"));
        // The STS API reference's pseudocode, computed independently:
        // printf 'https://example.com/saml123456789012/MySAMLIdP' | openssl sha1 -binary | base64
        assert_eq!(
            name_qualifier("https://example.com/saml", "123456789012", "MySAMLIdP"),
            NAME_QUALIFIER_EXAMPLE
        );
    }

    #[test]
    fn time_windows() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .ok()
        };
        let now = at("2030-01-01T00:00:00Z").expect("now");
        let code = |a: &Assertion| check_time(a, now).err().map(|e| e.code.to_string());
        let ok = Assertion {
            not_before: at("2029-12-31T23:59:00Z"),
            not_on_or_after: at("2030-01-01T00:05:00Z"),
            subject_not_on_or_after: at("2030-01-01T00:05:00Z"),
            session_not_on_or_after: at("2030-01-01T08:00:00Z"),
            ..Assertion::default()
        };
        assert_eq!(code(&ok), None);
        for late in [
            Assertion {
                not_before: at("2030-01-01T00:00:01Z"),
                ..ok.clone()
            },
            Assertion {
                subject_not_on_or_after: at("2030-01-01T00:00:00Z"),
                ..ok.clone()
            },
            Assertion {
                session_not_on_or_after: at("2029-12-31T00:00:00Z"),
                ..ok.clone()
            },
        ] {
            assert!(code(&late).is_some(), "{late:?}");
        }
    }

    const NAME_QUALIFIER_EXAMPLE: &str = "1uAJanUnBc2XeUkHURMht+xam2c=";
}
