//! The AWS SDK for Rust's own credential providers (aws-config) against iamlocal: the
//! AssumeRoleProvider, and a shared config file whose profile assumes a role through a
//! `source_profile` chain (role chaining and cross-account included), as applications load them.

mod common;

use aws_config::sts::AssumeRoleProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use common::{error_of, user_with_key, TestServer};

const ALLOW_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}"#;

fn trust(principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

async fn role(iam: &aws_sdk_iam::Client, name: &str, trust_doc: &str, policy: &str) {
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust_doc)
        .send()
        .await
        .expect("role");
    iam.put_role_policy()
        .role_name(name)
        .policy_name("p")
        .policy_document(policy)
        .send()
        .await
        .expect("role policy");
}

/// An SdkConfig pointed at the server, with static base credentials.
fn base_config(s: &TestServer, key: &str, secret: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&s.endpoint)
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                key, secret, None, None, "base",
            )),
        )
        .time_source(aws_smithy_async::time::SystemTimeSource::new())
        .build()
}

/// Clients built from a loaded SdkConfig: they resolve credentials through its provider.
fn clients(conf: &SdkConfig) -> (aws_sdk_iam::Client, aws_sdk_sts::Client) {
    (
        aws_sdk_iam::Client::new(conf),
        aws_sdk_sts::Client::new(conf),
    )
}

#[tokio::test]
async fn the_assume_role_provider_signs_as_the_role_and_is_limited_by_its_policy() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "alice").await;
    role(
        &s.iam(),
        "reader",
        &trust("arn:aws:iam::000000000000:user/alice"),
        ALLOW_LIST,
    )
    .await;
    let base = base_config(&s, &key, &secret);
    let provider = AssumeRoleProvider::builder("arn:aws:iam::000000000000:role/reader")
        .session_name("rust-sdk")
        .configure(&base)
        .build()
        .await;
    let creds = provider.provide_credentials().await.expect("assumed");
    assert!(creds.access_key_id().starts_with("ASIA"));
    assert!(creds.session_token().is_some());
    assert!(creds.expiry().is_some());

    let conf = base
        .into_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(provider),
        )
        .build();
    let (iam, sts) = clients(&conf);
    let me = sts.get_caller_identity().send().await.expect("whoami");
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::000000000000:assumed-role/reader/rust-sdk")
    );
    iam.list_users().send().await.expect("the role may list");
    let denied = iam
        .create_user()
        .user_name("mallory")
        .send()
        .await
        .expect_err("the role may not create users");
    let (code, message) = error_of(&denied);
    assert_eq!(code, "AccessDenied");
    assert!(
        message.starts_with(
            "User: arn:aws:sts::000000000000:assumed-role/reader/rust-sdk is not authorized to perform: iam:CreateUser"
        ),
        "{message}"
    );

    // A role that trusts the account, while alice has no policy allowing sts:AssumeRole: the
    // provider reports AWS's refusal.
    role(
        &s.iam(),
        "closed",
        &trust("arn:aws:iam::000000000000:root"),
        ALLOW_LIST,
    )
    .await;
    let closed = AssumeRoleProvider::builder("arn:aws:iam::000000000000:role/closed")
        .session_name("rust-sdk")
        .configure(&base_config(&s, &key, &secret))
        .build()
        .await;
    let err = closed
        .provide_credentials()
        .await
        .expect_err("untrusted caller");
    let text = format!("{err:?}");
    assert!(text.contains("AccessDenied"), "{text}");
    s.stop().await;
}

#[tokio::test]
async fn a_profile_chain_assumes_roles_across_accounts_from_the_shared_config_file() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "alice").await;
    // First hop: a role in the home account that alice may assume and that may assume on.
    role(
        &s.iam(),
        "hop",
        &trust("arn:aws:iam::000000000000:user/alice"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
    )
    .await;
    // Second hop: a role in another account (its root credentials are 111122223333/test)
    // that trusts the home account.
    let other = s.iam_as("111122223333", "test");
    role(
        &other,
        "target",
        &trust("arn:aws:iam::000000000000:root"),
        ALLOW_LIST,
    )
    .await;

    let dir = std::env::temp_dir().join(format!("iamlocal-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    std::fs::write(
        &config,
        format!(
            "[profile base]\nregion = us-east-1\n\n\
             [profile hop]\nrole_arn = arn:aws:iam::000000000000:role/hop\nsource_profile = base\nrole_session_name = first\n\n\
             [profile ci-role]\nrole_arn = arn:aws:iam::111122223333:role/target\nsource_profile = hop\nrole_session_name = ci\nregion = us-east-1\n\
             endpoint_url = {endpoint}\n",
            endpoint = s.endpoint
        ),
    )
    .expect("config");
    std::fs::write(
        &credentials,
        format!("[base]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
    )
    .expect("credentials");
    // The profile's `endpoint_url` (the SDKs' service-endpoint setting) points every client,
    // including the STS clients of the role chain, at iamlocal.
    let files = EnvConfigFiles::builder()
        .with_file(EnvConfigFileKind::Config, &config)
        .with_file(EnvConfigFileKind::Credentials, &credentials)
        .build();
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .profile_files(files)
        .profile_name("ci-role")
        .load()
        .await;
    let (iam, sts) = clients(&conf);
    let me = sts.get_caller_identity().send().await.expect("whoami");
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::111122223333:assumed-role/target/ci")
    );
    assert_eq!(me.account(), Some("111122223333"));
    iam.list_roles()
        .send()
        .await
        .expect("the target role may list");
    let denied = iam
        .delete_role()
        .role_name("target")
        .send()
        .await
        .expect_err("outside the role's policy");
    assert_eq!(error_of(&denied).0, "AccessDenied");
    let _ = std::fs::remove_dir_all(&dir);
    s.stop().await;
}
