//! SAML providers and AssumeRoleWithSAML through the AWS SDK for Rust. The signed responses
//! in `tests/fixtures/saml/` were made by signxml (see `make_fixtures.py` there), so the
//! server's canonicalization and signature check are tested against an independent signer.

// The SDK marks PackedPolicySize deprecated (in favour of SessionTokenUtilization); AWS still
// answers it, and so does iamlocal.
#![allow(deprecated)]

mod common;

use common::{error_of, user_with_key, TestServer};

const METADATA: &str = include_str!("fixtures/saml/metadata.xml");
const PROVIDER: &str = "arn:aws:iam::000000000000:saml-provider/TestIdP";
const ROLE: &str = "arn:aws:iam::000000000000:role/SamlRole";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/saml/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .expect("fixture")
        .trim()
        .to_string()
}

async fn create_provider(s: &TestServer, name: &str) -> String {
    s.iam()
        .create_saml_provider()
        .name(name)
        .saml_metadata_document(METADATA)
        .send()
        .await
        .expect("create provider")
        .saml_provider_arn()
        .expect("arn")
        .to_string()
}

#[tokio::test]
async fn saml_provider_lifecycle_tags_and_errors() {
    let s = TestServer::start().await;
    let iam = s.iam();

    let created = iam
        .create_saml_provider()
        .name("TestIdP")
        .saml_metadata_document(METADATA)
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("team")
                .value("sec")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("create");
    assert_eq!(created.saml_provider_arn(), Some(PROVIDER));
    assert_eq!(created.tags().len(), 1);

    let e = iam
        .create_saml_provider()
        .name("TestIdP")
        .saml_metadata_document(METADATA)
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(error_of(&e).0, "EntityAlreadyExists");

    let not_metadata = format!("<notmetadata>{}</notmetadata>", "x".repeat(1000));
    let garbled_cert = METADATA.replace("<ds:X509Certificate>MII", "<ds:X509Certificate>AAA");
    for bad in [not_metadata.as_str(), garbled_cert.as_str()] {
        let e = iam
            .create_saml_provider()
            .name("Bad")
            .saml_metadata_document(bad)
            .send()
            .await
            .expect_err("bad metadata");
        assert_eq!(
            error_of(&e),
            ("InvalidInput".into(), "Could not parse metadata".into())
        );
    }
    let e = iam
        .create_saml_provider()
        .name("Short")
        .saml_metadata_document("<x/>")
        .send()
        .await
        .expect_err("too short for the model");
    assert_eq!(error_of(&e).0, "ValidationError");

    let got = iam
        .get_saml_provider()
        .saml_provider_arn(PROVIDER)
        .send()
        .await
        .expect("get");
    assert_eq!(got.saml_metadata_document(), Some(METADATA));
    let created_at = got.create_date().expect("create date").secs();
    let valid_until = got.valid_until().expect("valid until").secs();
    // No validUntil in the metadata: a century from the upload.
    let century = valid_until - created_at;
    assert!(
        (36_524 * 86_400..=36_525 * 86_400).contains(&century),
        "{century}"
    );
    assert_eq!(got.tags().len(), 1);
    assert!(got.saml_provider_uuid().is_some());

    // Update: the metadata's own validUntil wins.
    let dated = METADATA.replace("entityID=", "validUntil=\"2031-05-06T07:08:09Z\" entityID=");
    let updated = iam
        .update_saml_provider()
        .saml_provider_arn(PROVIDER)
        .saml_metadata_document(&dated)
        .send()
        .await
        .expect("update");
    assert_eq!(updated.saml_provider_arn(), Some(PROVIDER));
    let listed = iam.list_saml_providers().send().await.expect("list");
    let entry = &listed.saml_provider_list()[0];
    assert_eq!(entry.arn(), Some(PROVIDER));
    assert_eq!(
        entry.valid_until().map(|t| t.secs()),
        Some(chrono_secs("2031-05-06T07:08:09Z"))
    );
    let e = iam
        .update_saml_provider()
        .saml_provider_arn(PROVIDER)
        .send()
        .await
        .expect_err("nothing to update");
    assert_eq!(
        error_of(&e),
        (
            "InvalidInput".into(),
            "Unable to update identity provider. No updates are defined for metadata or encryption assertion.".into()
        )
    );

    // Tags, paged.
    for k in ["a", "b", "c"] {
        iam.tag_saml_provider()
            .saml_provider_arn(PROVIDER)
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key(k)
                    .value("v")
                    .build()
                    .expect("tag"),
            )
            .send()
            .await
            .expect("tag");
    }
    let page = iam
        .list_saml_provider_tags()
        .saml_provider_arn(PROVIDER)
        .max_items(2)
        .send()
        .await
        .expect("page 1");
    assert!(page.is_truncated());
    let rest = iam
        .list_saml_provider_tags()
        .saml_provider_arn(PROVIDER)
        .marker(page.marker().expect("marker"))
        .send()
        .await
        .expect("page 2");
    assert_eq!(page.tags().len() + rest.tags().len(), 4);
    iam.untag_saml_provider()
        .saml_provider_arn(PROVIDER)
        .tag_keys("a")
        .send()
        .await
        .expect("untag");

    // 100 SAML providers per account.
    for n in 1..100 {
        create_provider(&s, &format!("idp-{n}")).await;
    }
    let e = iam
        .create_saml_provider()
        .name("one-too-many")
        .saml_metadata_document(METADATA)
        .send()
        .await
        .expect_err("quota");
    assert_eq!(
        error_of(&e),
        (
            "LimitExceeded".into(),
            "Cannot exceed quota for SamlProvidersPerAccount: 100".into()
        )
    );
    for n in 1..100 {
        let arn = format!("arn:aws:iam::000000000000:saml-provider/idp-{n}");
        iam.delete_saml_provider()
            .saml_provider_arn(arn)
            .send()
            .await
            .expect("delete");
    }

    let summary = iam.get_account_summary().send().await.expect("summary");
    let providers = summary
        .summary_map()
        .and_then(|m| m.get(&aws_sdk_iam::types::SummaryKeyType::Providers))
        .copied();
    assert_eq!(providers, Some(1));

    // A user needs iam:*SAMLProvider* on the provider's ARN.
    let (key, secret) = user_with_key(&s, "dev").await;
    let e = s
        .iam_as(&key, &secret)
        .get_saml_provider()
        .saml_provider_arn(PROVIDER)
        .send()
        .await
        .expect_err("no permission");
    assert_eq!(error_of(&e).0, "AccessDenied");
    assert!(error_of(&e).1.contains("iam:GetSAMLProvider on resource: "));

    iam.delete_saml_provider()
        .saml_provider_arn(PROVIDER)
        .send()
        .await
        .expect("delete");
    let e = iam
        .get_saml_provider()
        .saml_provider_arn(PROVIDER)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            format!("Manifest not found for arn {PROVIDER}")
        )
    );
    let listed = iam.list_saml_providers().send().await.expect("list");
    assert!(listed.saml_provider_list().is_empty());
    s.stop().await;
}

fn chrono_secs(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .expect("date")
        .timestamp()
}

/// A trust policy for the fixture provider, with `condition` (a JSON object) if not empty.
fn saml_trust(condition: &str) -> String {
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!(r#","Condition":{condition}"#)
    };
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{PROVIDER}"}},"Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"]{condition}}}]}}"#
    )
}

async fn saml_role(s: &TestServer, trust: &str) {
    s.iam()
        .create_role()
        .role_name("SamlRole")
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("role");
}

async fn assume(
    s: &TestServer,
    assertion: &str,
    duration_seconds: Option<i32>,
) -> Result<
    aws_sdk_sts::operation::assume_role_with_saml::AssumeRoleWithSamlOutput,
    aws_sdk_sts::error::SdkError<
        aws_sdk_sts::operation::assume_role_with_saml::AssumeRoleWithSAMLError,
    >,
> {
    s.sts()
        .assume_role_with_saml()
        .role_arn(ROLE)
        .principal_arn(PROVIDER)
        .saml_assertion(assertion)
        .set_duration_seconds(duration_seconds)
        .send()
        .await
}

async fn set_trust(s: &TestServer, trust: &str) {
    s.iam()
        .update_assume_role_policy()
        .role_name("SamlRole")
        .policy_document(trust)
        .send()
        .await
        .expect("trust");
}

fn decoded(name: &str) -> String {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(fixture(name))
        .expect("base64");
    String::from_utf8(bytes).expect("utf-8")
}

fn encoded(xml: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(xml)
}

#[tokio::test]
async fn signed_responses_become_role_sessions() {
    let s = TestServer::start().await;
    create_provider(&s, "TestIdP").await;
    saml_role(
        &s,
        &saml_trust(
            r#"{"StringEquals":{"saml:aud":"https://signin.aws.amazon.com/saml","saml:iss":"https://idp.example.com/saml","saml:doc":"000000000000/TestIdP"},"ForAnyValue:StringEquals":{"saml:edupersonaffiliation":"staff"}}"#,
        ),
    )
    .await;

    // Response signed (RSA-SHA256), with session tags, a source identity and eduPerson keys.
    let out = assume(&s, &fixture("response-signed.b64"), None)
        .await
        .expect("assume with a signed response");
    assert_eq!(out.subject(), Some("alice"));
    assert_eq!(out.subject_type(), Some("persistent"));
    assert_eq!(out.issuer(), Some("https://idp.example.com/saml"));
    assert_eq!(out.audience(), Some("https://signin.aws.amazon.com/saml"));
    assert_eq!(out.source_identity(), Some("alice"));
    assert!(out.packed_policy_size().is_some());
    let qualifier = {
        use base64::Engine;
        use sha1::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha1::Sha1::digest(
            "https://idp.example.com/saml000000000000/TestIdP",
        ))
    };
    assert_eq!(out.name_qualifier(), Some(qualifier.as_str()));
    let user = out.assumed_role_user().expect("user");
    assert_eq!(
        user.arn(),
        "arn:aws:sts::000000000000:assumed-role/SamlRole/alice@example.com"
    );
    let creds = out.credentials().expect("credentials");
    assert!(creds.access_key_id().starts_with("ASIA"));
    let lasts = creds.expiration().secs() - chrono::Utc::now().timestamp();
    assert!((3590..=3610).contains(&lasts), "{lasts}");
    let me = s
        .sts_with(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token()),
        )
        .get_caller_identity()
        .send()
        .await
        .expect("the session signs calls");
    assert_eq!(me.arn(), Some(user.arn()));

    // Only the assertion signed (RSA-SHA1), transient subject, Role pair in the other order,
    // audience urn:amazon:webservices. The trust policy no longer needs eduPerson values.
    set_trust(&s, &saml_trust("")).await;
    let out = assume(&s, &fixture("assertion-signed-sha1.b64"), Some(900))
        .await
        .expect("assume with a signed assertion");
    assert_eq!(out.subject(), Some("_7a1f"));
    assert_eq!(out.subject_type(), Some("transient"));
    assert_eq!(out.source_identity(), None);
    let creds = out.credentials().expect("credentials");
    let lasts = creds.expiration().secs() - chrono::Utc::now().timestamp();
    assert!((890..=910).contains(&lasts), "{lasts}");
    s.stop().await;
}

#[tokio::test]
async fn bad_responses_are_refused_in_aws_words() {
    let s = TestServer::start().await;
    create_provider(&s, "TestIdP").await;
    saml_role(&s, &saml_trust("")).await;
    let invalid = |m: &str| ("InvalidIdentityToken".to_string(), m.to_string());

    let tampered = encoded(&decoded("response-signed.b64").replace(">alice<", ">mallory<"));
    let cases = [
        (tampered, invalid("Response signature invalid")),
        (
            fixture("other-key.b64"),
            invalid("Response signature invalid"),
        ),
        (
            fixture("other-issuer.b64"),
            invalid("Issuer not present in specified provider"),
        ),
        (
            fixture("expired.b64"),
            (
                "ExpiredTokenException".into(),
                "Token must be redeemed within 5 minutes of issuance".into(),
            ),
        ),
        (
            fixture("other-role.b64"),
            (
                "AccessDenied".into(),
                "Not authorized to perform sts:AssumeRoleWithSAML".into(),
            ),
        ),
        (
            fixture("wrong-audience.b64"),
            invalid("Response does not contain the required audience"),
        ),
        (
            encoded("<not-saml/>"),
            invalid("Invalid SAML response: the root element is not a samlp:Response"),
        ),
        ("%%%%".into(), invalid("Invalid base64 SAMLResponse")),
    ];
    for (assertion, expected) in cases {
        let e = assume(&s, &assertion, None).await.expect_err("refused");
        assert_eq!(error_of(&e), expected);
    }

    // Conditions NotBefore (2024-01-01) against the server's clock.
    s.app.clock.advance(chrono::Duration::days(-3 * 366));
    let e = assume(&s, &fixture("response-signed.b64"), None)
        .await
        .expect_err("not yet valid");
    s.app.clock.advance(chrono::Duration::days(3 * 366));
    assert_eq!(error_of(&e), invalid("Response is not yet valid"));

    // The provider must exist in the role's account.
    let e = s
        .sts()
        .assume_role_with_saml()
        .role_arn(ROLE)
        .principal_arn("arn:aws:iam::000000000000:saml-provider/Nobody")
        .saml_assertion(fixture("response-signed.b64"))
        .send()
        .await
        .expect_err("no such provider");
    assert_eq!(error_of(&e), invalid("Specified provider doesn't exist"));

    // The trust policy decides on the saml: keys.
    for condition in [
        r#"{"StringEquals":{"saml:sub":"bob"}}"#,
        r#"{"StringEquals":{"saml:aud":"https://sp.example.com"}}"#,
        r#"{"StringEquals":{"saml:sub_type":"transient"}}"#,
    ] {
        set_trust(&s, &saml_trust(condition)).await;
        let e = assume(&s, &fixture("response-signed.b64"), None)
            .await
            .expect_err(condition);
        assert_eq!(
            error_of(&e),
            (
                "AccessDenied".into(),
                "Not authorized to perform sts:AssumeRoleWithSAML".into()
            ),
            "{condition}"
        );
    }
    // Session tags need sts:TagSession in the trust policy.
    set_trust(&s, &saml_trust("").replace(r#","sts:TagSession""#, "")).await;
    let e = assume(&s, &fixture("response-signed.b64"), None)
        .await
        .expect_err("tags need sts:TagSession");
    assert_eq!(error_of(&e).0, "AccessDenied");

    // DurationSeconds within the role's maximum.
    set_trust(&s, &saml_trust("")).await;
    let e = assume(&s, &fixture("response-signed.b64"), Some(7200))
        .await
        .expect_err("longer than the role allows");
    assert_eq!(
        error_of(&e),
        (
            "ValidationError".into(),
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
                .into()
        )
    );
    s.stop().await;
}
