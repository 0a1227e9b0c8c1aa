//! STS temporary credentials through the AWS SDK for Rust: AssumeRole (trust, identity,
//! cross-account, chaining, session policies and tags, expiry, revocation), GetSessionToken,
//! GetFederationToken, GetAccessKeyInfo.
// The SDK marks PackedPolicySize deprecated (in favour of SessionTokenUtilization); AWS still
// answers it, and so does iamlocal.
#![allow(deprecated)]

mod common;

use aws_sdk_iam::types::Tag as IamTag;
use aws_sdk_sts::types::Tag;
use common::{error_of, user_with_key, TestServer};

fn trust(principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":["sts:AssumeRole","sts:TagSession"]}}]}}"#
    )
}

const ALLOW_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}"#;

struct Creds {
    key: String,
    secret: String,
    token: String,
}

impl Creds {
    fn of(c: &aws_sdk_sts::types::Credentials) -> Creds {
        Creds {
            key: c.access_key_id().to_string(),
            secret: c.secret_access_key().to_string(),
            token: c.session_token().to_string(),
        }
    }
}

async fn role(s: &TestServer, name: &str, trust_doc: &str, policy: Option<&str>) {
    let iam = s.iam();
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust_doc)
        .send()
        .await
        .expect("role");
    if let Some(p) = policy {
        iam.put_role_policy()
            .role_name(name)
            .policy_name("p")
            .policy_document(p)
            .send()
            .await
            .expect("role policy");
    }
}

#[tokio::test]
async fn a_trusted_user_assumes_a_role_and_acts_as_it() {
    let s = TestServer::start().await;
    let (akid, secret) = user_with_key(&s, "alice").await;
    role(
        &s,
        "deployer",
        &trust("arn:aws:iam::000000000000:user/alice"),
        Some(ALLOW_LIST),
    )
    .await;
    let alice = s.sts_as(&akid, &secret);
    let out = alice
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/deployer")
        .role_session_name("ci")
        .send()
        .await
        .expect("the trust policy names alice: no identity policy is needed");
    let c = out.credentials().expect("credentials");
    assert!(c.access_key_id().starts_with("ASIA"));
    assert_eq!(c.access_key_id().len(), 20);
    assert_eq!(c.secret_access_key().len(), 40);
    let user = out.assumed_role_user().expect("user");
    assert_eq!(
        user.arn(),
        "arn:aws:sts::000000000000:assumed-role/deployer/ci"
    );
    assert!(user.assumed_role_id().starts_with("AROA"));
    assert!(user.assumed_role_id().ends_with(":ci"));
    assert!(out.packed_policy_size().is_none());
    let creds = Creds::of(c);

    let who = s
        .sts_with(&creds.key, &creds.secret, Some(&creds.token))
        .get_caller_identity()
        .send()
        .await
        .expect("who");
    assert_eq!(
        who.arn(),
        Some("arn:aws:sts::000000000000:assumed-role/deployer/ci")
    );
    assert_eq!(who.user_id(), Some(user.assumed_role_id()));

    let session = s.iam_with(&creds.key, &creds.secret, Some(&creds.token));
    session
        .list_users()
        .send()
        .await
        .expect("the role's policy allows");
    let e = session
        .create_user()
        .user_name("x")
        .send()
        .await
        .expect_err("outside the role's policy");
    assert_eq!(
        error_of(&e),
        ("AccessDenied".into(), "User: arn:aws:sts::000000000000:assumed-role/deployer/ci is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/x because no identity-based policy allows the iam:CreateUser action".into())
    );
    let e = session
        .get_user()
        .send()
        .await
        .expect_err("a role session has no user");
    assert_eq!(
        error_of(&e),
        (
            "ValidationError".into(),
            "Must specify userName when calling with non-User credentials".into()
        )
    );

    // Without its token the temporary key is not valid.
    let e = s
        .iam_as(&creds.key, &creds.secret)
        .list_users()
        .send()
        .await
        .expect_err("token missing");
    assert_eq!(
        error_of(&e),
        (
            "InvalidClientTokenId".into(),
            "The security token included in the request is invalid.".into()
        )
    );

    let got = s
        .iam()
        .get_role()
        .role_name("deployer")
        .send()
        .await
        .expect("role");
    let last = got.role().and_then(|r| r.role_last_used()).expect("used");
    assert!(last.last_used_date().is_some());
    assert_eq!(last.region(), Some("us-east-1"));
    s.stop().await;
}

#[tokio::test]
async fn assume_role_refusals_are_aws_words() {
    let s = TestServer::start().await;
    let (akid, secret) = user_with_key(&s, "bob").await;
    let bob = s.sts_as(&akid, &secret);
    // Trusts the account: bob also needs an identity policy.
    role(&s, "acct", &trust("arn:aws:iam::000000000000:root"), None).await;
    role(
        &s,
        "ext",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"s3cret"}}}]}"#,
        None,
    )
    .await;

    let e = s
        .sts()
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/acct")
        .role_session_name("rs")
        .send()
        .await
        .expect_err("root");
    assert_eq!(
        error_of(&e),
        (
            "AccessDenied".into(),
            "Roles may not be assumed by root accounts.".into()
        )
    );
    for arn in [
        "arn:aws:iam::000000000000:role/acct",
        "arn:aws:iam::000000000000:role/missing",
    ] {
        let e = bob
            .assume_role()
            .role_arn(arn)
            .role_session_name("rs")
            .send()
            .await
            .expect_err("no identity allow / no such role");
        assert_eq!(
            error_of(&e),
            (
                "AccessDenied".into(),
                format!("User: arn:aws:iam::000000000000:user/bob is not authorized to perform: sts:AssumeRole on resource: {arn}")
            )
        );
    }
    s.iam()
        .put_user_policy()
        .user_name("bob")
        .policy_name("assume")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::000000000000:role/*"}]}"#)
        .send()
        .await
        .expect("policy");
    bob.assume_role()
        .role_arn("arn:aws:iam::000000000000:role/acct")
        .role_session_name("rs")
        .send()
        .await
        .expect("trusted account + identity allow");

    let e = bob
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/ext")
        .role_session_name("rs")
        .external_id("wrong")
        .send()
        .await
        .expect_err("wrong external id");
    assert_eq!(error_of(&e).0, "AccessDenied");
    bob.assume_role()
        .role_arn("arn:aws:iam::000000000000:role/ext")
        .role_session_name("rs")
        .external_id("s3cret")
        .send()
        .await
        .expect("right external id");

    let e = bob
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/acct")
        .role_session_name("rs")
        .duration_seconds(7200)
        .send()
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
    let e = bob
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/acct")
        .role_session_name("bad:name")
        .send()
        .await
        .expect_err("session name pattern");
    assert_eq!(error_of(&e).0, "ValidationError");
    s.stop().await;
}

#[tokio::test]
async fn chaining_session_policies_tags_expiry_and_revocation() {
    let s = TestServer::start().await;
    let (akid, secret) = user_with_key(&s, "alice").await;
    let alice = s.sts_as(&akid, &secret);
    role(
        &s,
        "first",
        &trust("arn:aws:iam::000000000000:user/alice"),
        Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession"],"Resource":"*"},{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}]}"#),
    )
    .await;
    s.iam()
        .update_role()
        .role_name("first")
        .max_session_duration(7200)
        .send()
        .await
        .expect("max");
    role(
        &s,
        "second",
        &trust("arn:aws:iam::000000000000:role/first"),
        Some(ALLOW_LIST),
    )
    .await;

    // Session tags become principal tags.
    let untagged = alice
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/first")
        .role_session_name("plain")
        .send()
        .await
        .expect("assume");
    let plain = Creds::of(untagged.credentials().expect("c"));
    let e = s
        .iam_with(&plain.key, &plain.secret, Some(&plain.token))
        .list_users()
        .send()
        .await
        .expect_err("no team tag");
    assert_eq!(error_of(&e).0, "AccessDenied");
    let tagged = alice
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/first")
        .role_session_name("tagged")
        .tags(Tag::builder().key("team").value("a").build().expect("tag"))
        .transitive_tag_keys("team")
        .send()
        .await
        .expect("assume with tags");
    assert!(tagged.packed_policy_size().is_some());
    let first = Creds::of(tagged.credentials().expect("c"));
    s.iam_with(&first.key, &first.secret, Some(&first.token))
        .list_users()
        .send()
        .await
        .expect("team=a from the session tag");

    // Chaining: at most one hour; a transitive tag cannot be overridden.
    let as_first = s.sts_with(&first.key, &first.secret, Some(&first.token));
    let e = as_first
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/second")
        .role_session_name("chain")
        .duration_seconds(3601)
        .send()
        .await
        .expect_err("chained sessions are capped");
    assert_eq!(
        error_of(&e).1,
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    );
    let e = as_first
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/second")
        .role_session_name("chain")
        .tags(Tag::builder().key("Team").value("b").build().expect("tag"))
        .send()
        .await
        .expect_err("conflicts with a transitive tag");
    assert_eq!(error_of(&e).0, "InvalidParameterValue");

    // A session policy narrows what the role allows.
    let narrowed = as_first
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/second")
        .role_session_name("chain")
        .duration_seconds(900)
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#)
        .send()
        .await
        .expect("chain");
    assert!(narrowed.packed_policy_size().unwrap_or(0) > 0);
    let second = Creds::of(narrowed.credentials().expect("c"));
    let as_second = s.iam_with(&second.key, &second.secret, Some(&second.token));
    as_second
        .list_users()
        .send()
        .await
        .expect("allowed by both");
    let e = as_second
        .list_roles()
        .send()
        .await
        .expect_err("not in the session policy");
    assert!(
        error_of(&e)
            .1
            .ends_with("because no session policy allows the iam:ListRoles action"),
        "{}",
        error_of(&e).1
    );
    let e = as_first
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/second")
        .role_session_name("chain")
        .policy("{not json")
        .send()
        .await
        .expect_err("malformed session policy");
    assert_eq!(error_of(&e).0, "MalformedPolicyDocument");

    // Expiry (the server's clock moves; the SDK still signs with the real time).
    s.app.clock.advance(chrono::Duration::seconds(901));
    let e = as_second.list_users().send().await.expect_err("expired");
    assert_eq!(
        error_of(&e),
        (
            "ExpiredToken".into(),
            "The security token included in the request is expired".into()
        )
    );
    s.app.clock.advance(chrono::Duration::seconds(-901));

    // Deleting the role revokes its sessions.
    s.iam()
        .delete_role_policy()
        .role_name("second")
        .policy_name("p")
        .send()
        .await
        .expect("delete policy");
    s.iam()
        .delete_role()
        .role_name("second")
        .send()
        .await
        .expect("delete role");
    let e = as_second
        .list_users()
        .send()
        .await
        .expect_err("role deleted");
    assert_eq!(error_of(&e).0, "InvalidClientTokenId");
    s.stop().await;
}

#[tokio::test]
async fn cross_account_roles_need_both_sides() {
    let s = TestServer::start().await;
    let (akid, secret) = user_with_key(&s, "alice").await;
    let other = s.iam_as("111111111111", "test");
    other
        .create_role()
        .role_name("audit")
        .assume_role_policy_document(trust("arn:aws:iam::000000000000:root"))
        .send()
        .await
        .expect("role in the other account");
    let alice = s.sts_as(&akid, &secret);
    let e = alice
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/audit")
        .role_session_name("xs")
        .send()
        .await
        .expect_err("alice's own account does not allow it yet");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.iam()
        .put_user_policy()
        .user_name("alice")
        .policy_name("assume")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/audit"}]}"#)
        .send()
        .await
        .expect("policy");
    let out = alice
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/audit")
        .role_session_name("xs")
        .send()
        .await
        .expect("both sides allow");
    let c = Creds::of(out.credentials().expect("c"));
    let who = s
        .sts_with(&c.key, &c.secret, Some(&c.token))
        .get_caller_identity()
        .send()
        .await
        .expect("who");
    assert_eq!(who.account(), Some("111111111111"));
    let info = s
        .sts()
        .get_access_key_info()
        .access_key_id(&c.key)
        .send()
        .await
        .expect("info");
    assert_eq!(info.account(), Some("111111111111"));
    s.stop().await;
}

#[tokio::test]
async fn session_and_federation_tokens() {
    let s = TestServer::start().await;
    let (akid, secret) = user_with_key(&s, "carol").await;
    s.iam()
        .tag_user()
        .user_name("carol")
        .tags(IamTag::builder().key("k").value("v").build().expect("tag"))
        .send()
        .await
        .expect("tag");
    let carol = s.sts_as(&akid, &secret);
    let out = carol
        .get_session_token()
        .duration_seconds(900)
        .send()
        .await
        .expect("no permission is needed");
    let c = Creds::of(out.credentials().expect("c"));
    let session = s.sts_with(&c.key, &c.secret, Some(&c.token));
    let who = session.get_caller_identity().send().await.expect("who");
    assert_eq!(who.arn(), Some("arn:aws:iam::000000000000:user/carol"));
    let e = s
        .iam_with(&c.key, &c.secret, Some(&c.token))
        .list_users()
        .send()
        .await
        .expect_err("IAM needs MFA with GetSessionToken credentials");
    assert_eq!(error_of(&e).0, "InvalidClientTokenId");
    let e = session
        .get_session_token()
        .send()
        .await
        .expect_err("not from a session");
    assert_eq!(
        error_of(&e),
        (
            "AccessDenied".into(),
            "Cannot call GetSessionToken with session credentials".into()
        )
    );

    let e = carol
        .get_federation_token()
        .name("fed")
        .send()
        .await
        .expect_err("needs sts:GetFederationToken");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.iam()
        .put_user_policy()
        .user_name("carol")
        .policy_name("fed")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"}]}"#)
        .send()
        .await
        .expect("policy");
    let out = carol
        .get_federation_token()
        .name("fed")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
        .send()
        .await
        .expect("federation token");
    let user = out.federated_user().expect("user");
    assert_eq!(user.arn(), "arn:aws:sts::000000000000:federated-user/fed");
    assert_eq!(user.federated_user_id(), "000000000000:fed");
    let c = Creds::of(out.credentials().expect("c"));
    let who = s
        .sts_with(&c.key, &c.secret, Some(&c.token))
        .get_caller_identity()
        .send()
        .await
        .expect("who");
    assert_eq!(who.user_id(), Some("000000000000:fed"));
    let e = s
        .iam_with(&c.key, &c.secret, Some(&c.token))
        .list_users()
        .send()
        .await
        .expect_err("federated users cannot call IAM");
    assert_eq!(error_of(&e).0, "InvalidClientTokenId");
    s.stop().await;
}

/// Signs RS256 ID tokens with the test key whose public half the server is given as JWKS.
struct Issuer {
    key: rsa::RsaPrivateKey,
}

impl Issuer {
    fn new() -> Issuer {
        use rsa::pkcs8::DecodePrivateKey;
        let pem = include_str!("fixtures/oidc-test-key.pem");
        Issuer {
            key: rsa::RsaPrivateKey::from_pkcs8_pem(pem).expect("test key"),
        }
    }

    /// `{"https://issuer.example": {"keys": [...]}}`, written where the server can read it.
    fn jwks_file(&self, dir: &std::path::Path) -> std::path::PathBuf {
        use base64::Engine;
        use rsa::traits::PublicKeyParts;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let public = self.key.to_public_key();
        let jwks = format!(
            r#"{{"https://issuer.example":{{"keys":[{{"kty":"RSA","kid":"k1","alg":"RS256","n":"{}","e":"{}"}}]}}}}"#,
            b64.encode(public.n().to_bytes_be()),
            b64.encode(public.e().to_bytes_be())
        );
        let path = dir.join("jwks.json");
        std::fs::write(&path, jwks).expect("write jwks");
        path
    }

    fn token(&self, iss: &str, sub: &str, aud: &str, exp: i64) -> String {
        use base64::Engine;
        use rsa::signature::{SignatureEncoding, Signer};
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#);
        let claims = b64.encode(format!(
            r#"{{"iss":"{iss}","sub":"{sub}","aud":"{aud}","exp":{exp},"iat":{}}}"#,
            exp - 600
        ));
        let signed = format!("{header}.{claims}");
        let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(self.key.clone());
        let signature = signer.sign(signed.as_bytes()).to_bytes();
        format!("{signed}.{}", b64.encode(signature))
    }
}

#[tokio::test]
async fn openid_connect_providers_and_web_identity_roles() {
    let dir = std::env::temp_dir().join(format!("iamlocal-oidc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let issuer = Issuer::new();
    let mut config = iamlocal::config::Config::for_tests();
    config.oidc_jwks = Some(issuer.jwks_file(&dir));
    let s = TestServer::start_with(config).await;
    let iam = s.iam();

    let e = iam
        .create_open_id_connect_provider()
        .url("http://issuer.example")
        .client_id_list("my-app")
        .send()
        .await
        .expect_err("https only");
    assert_eq!(
        error_of(&e),
        (
            "ValidationError".into(),
            "Invalid Open ID Connect Provider URL".into()
        )
    );
    let arn = iam
        .create_open_id_connect_provider()
        .url("https://issuer.example")
        .client_id_list("other")
        .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
        .send()
        .await
        .expect("create")
        .open_id_connect_provider_arn()
        .expect("arn")
        .to_string();
    assert_eq!(
        arn,
        "arn:aws:iam::000000000000:oidc-provider/issuer.example"
    );
    let e = iam
        .create_open_id_connect_provider()
        .url("https://issuer.example")
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(
        error_of(&e),
        (
            "EntityAlreadyExists".into(),
            "Provider with url https://issuer.example already exists.".into()
        )
    );
    iam.add_client_id_to_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .client_id("my-app")
        .send()
        .await
        .expect("add client id");
    iam.remove_client_id_from_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .client_id("other")
        .send()
        .await
        .expect("remove client id");
    let e = iam
        .update_open_id_connect_provider_thumbprint()
        .open_id_connect_provider_arn(&arn)
        .set_thumbprint_list(Some(vec!["a".repeat(40); 6]))
        .send()
        .await
        .expect_err("six thumbprints");
    assert_eq!(
        error_of(&e),
        (
            "InvalidInput".into(),
            "Thumbprint list must contain fewer than 5 entries.".into()
        )
    );
    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .expect("get");
    assert_eq!(got.url(), Some("issuer.example"));
    assert_eq!(got.client_id_list(), ["my-app"]);
    let listed = iam
        .list_open_id_connect_providers()
        .send()
        .await
        .expect("list");
    assert_eq!(listed.open_id_connect_provider_list().len(), 1);

    role(
        &s,
        "web",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::000000000000:oidc-provider/issuer.example"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"issuer.example:aud":"my-app"},"StringLike":{"issuer.example:sub":"repo:acme/*"}}}]}"#,
        Some(ALLOW_LIST),
    )
    .await;
    let sts = s.sts();
    let now = chrono::Utc::now().timestamp();
    let assume = |token: String| {
        sts.assume_role_with_web_identity()
            .role_arn("arn:aws:iam::000000000000:role/web")
            .role_session_name("gha")
            .web_identity_token(token)
            .send()
    };
    let out = assume(issuer.token(
        "https://issuer.example",
        "repo:acme/app",
        "my-app",
        now + 600,
    ))
    .await
    .expect("trusted token");
    assert_eq!(out.subject_from_web_identity_token(), Some("repo:acme/app"));
    assert_eq!(out.audience(), Some("my-app"));
    assert_eq!(out.provider(), Some("https://issuer.example"));
    let c = Creds::of(out.credentials().expect("c"));
    s.iam_with(&c.key, &c.secret, Some(&c.token))
        .list_users()
        .send()
        .await
        .expect("the role's policy applies");

    let cases = [
        (
            issuer.token("https://issuer.example", "repo:evil/app", "my-app", now + 600),
            ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
        ),
        (
            issuer.token("https://issuer.example", "repo:acme/app", "other-app", now + 600),
            ("InvalidIdentityToken", "Incorrect token audience"),
        ),
        (
            issuer.token("https://elsewhere.example", "repo:acme/app", "my-app", now + 600),
            (
                "InvalidIdentityToken",
                "No OpenIDConnect provider found in your account for https://elsewhere.example",
            ),
        ),
        (
            {
                // The claims of one token with the signature of another.
                let a = issuer.token("https://issuer.example", "repo:acme/app", "my-app", now + 600);
                let b = issuer.token("https://issuer.example", "repo:acme/b", "my-app", now + 600);
                let (signed, _) = a.rsplit_once('.').expect("jwt");
                let (_, signature) = b.rsplit_once('.').expect("jwt");
                format!("{signed}.{signature}")
            },
            (
                "InvalidIdentityToken",
                "The signature of the ID Token could not be verified.",
            ),
        ),
        (
            "not-a-jwt".to_string(),
            (
                "InvalidIdentityToken",
                "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
            ),
        ),
    ];
    for (token, (code, message)) in cases {
        let e = assume(token).await.expect_err(message);
        assert_eq!(error_of(&e), (code.to_string(), message.to_string()));
    }
    let e = assume(issuer.token("https://issuer.example", "repo:acme/app", "my-app", now - 1))
        .await
        .expect_err("expired");
    assert_eq!(error_of(&e).0, "ExpiredTokenException");

    iam.delete_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .expect("delete");
    let e = iam
        .delete_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        error_of(&e).1,
        format!("OpenId connect Provider {arn} cannot be found.")
    );
    let e = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            format!("OpenIDConnect Provider not found for arn {arn}")
        )
    );
    s.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn decode_authorization_message_needs_permission_and_knows_no_message() {
    let s = TestServer::start().await;
    let e = s
        .sts()
        .decode_authorization_message()
        .encoded_message("rHU-pVHMSckD0OAc5l3r9")
        .send()
        .await
        .expect_err("iamlocal encodes no denial");
    let (code, _) = error_of(&e);
    assert_eq!(code, "InvalidAuthorizationMessageException");
    let (akid, secret) = user_with_key(&s, "nopolicy").await;
    let e = s
        .sts_as(&akid, &secret)
        .decode_authorization_message()
        .encoded_message("rHU-pVHMSckD0OAc5l3r9")
        .send()
        .await
        .expect_err("no policy allows it");
    assert_eq!(
        error_of(&e),
        (
            "AccessDenied".into(),
            "User: arn:aws:iam::000000000000:user/nopolicy is not authorized to perform: \
             sts:DecodeAuthorizationMessage on resource: * because no identity-based policy \
             allows the sts:DecodeAuthorizationMessage action"
                .into()
        )
    );
    s.stop().await;
}
