//! Enforcement modes and the decision log, through the AWS SDK for Rust.

mod common;

use common::{admin, error_of, user_with_key, TestServer};
use iamlocal::config::{Config, Enforcement};

#[tokio::test]
async fn denials_are_logged_with_their_reason() {
    let s = TestServer::start().await;
    let (akid, secret) = user_with_key(&s, "alice").await;
    let e = s
        .iam_as(&akid, &secret)
        .get_user()
        .user_name("alice")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(error_of(&e).0, "AccessDenied");
    // GetCallerIdentity needs no permission.
    s.sts_as(&akid, &secret)
        .get_caller_identity()
        .send()
        .await
        .expect("identity");
    let (status, body) = admin(&s.endpoint, "GET", "/_iamlocal/decisions").await;
    assert_eq!(status, 200);
    let log: serde_json::Value = serde_json::from_str(&body).expect("json");
    let denied = log
        .as_array()
        .and_then(|a| a.iter().find(|r| r["action"] == "iam:GetUser"))
        .cloned()
        .expect("GetUser decision recorded");
    assert_eq!(denied["decision"], "implicitDeny");
    assert_eq!(denied["reason"], "NoIdentityAllow");
    assert_eq!(denied["principal"], "arn:aws:iam::000000000000:user/alice");
    assert_eq!(denied["resource"], "arn:aws:iam::000000000000:user/alice");
    assert_eq!(denied["enforced"], true);
    let identity = log
        .as_array()
        .and_then(|a| a.iter().find(|r| r["action"] == "sts:GetCallerIdentity"))
        .cloned()
        .expect("logged");
    assert_eq!(identity["decision"], "allowed");
    s.stop().await;
}

#[tokio::test]
async fn audit_mode_logs_but_allows_and_off_skips_evaluation() {
    let mut config = Config::for_tests();
    config.enforce = Enforcement::Audit;
    let s = TestServer::start_with(config).await;
    let (akid, secret) = user_with_key(&s, "bob").await;
    let u = s
        .iam_as(&akid, &secret)
        .get_user()
        .send()
        .await
        .expect("audit allows");
    assert_eq!(u.user().map(|u| u.user_name()), Some("bob"));
    let (_, body) = admin(&s.endpoint, "GET", "/_iamlocal/decisions").await;
    let log: serde_json::Value = serde_json::from_str(&body).expect("json");
    let rec = log
        .as_array()
        .and_then(|a| a.iter().find(|r| r["action"] == "iam:GetUser"))
        .cloned()
        .expect("logged");
    assert_eq!(
        (rec["decision"].as_str(), rec["enforced"].as_bool()),
        (Some("implicitDeny"), Some(false))
    );
    s.stop().await;

    let mut config = Config::for_tests();
    config.enforce = Enforcement::Off;
    let s = TestServer::start_with(config).await;
    let (akid, secret) = user_with_key(&s, "carol").await;
    s.iam_as(&akid, &secret)
        .list_users()
        .send()
        .await
        .expect("off allows");
    let (_, body) = admin(&s.endpoint, "GET", "/_iamlocal/decisions").await;
    assert_eq!(body.trim(), "[]");
    s.stop().await;
}

/// Decisions are remembered per request shape: a repeated call is answered from the cache,
/// but another value of a key the policy reads, or any change to the caller's policies, is
/// decided afresh.
#[tokio::test]
async fn remembered_decisions_follow_context_values_and_policy_changes() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "alice").await;
    s.iam()
        .put_user_policy()
        .user_name("alice")
        .policy_name("home-region")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}"#,
        )
        .send()
        .await
        .expect("policy");
    let home = s.iam_in_region(&key, &secret, None, "us-east-1");
    let away = s.iam_in_region(&key, &secret, None, "eu-west-1");
    for _ in 0..3 {
        home.get_user().send().await.expect("allowed in us-east-1");
        let denied = away.get_user().send().await.expect_err("denied elsewhere");
        assert_eq!(error_of(&denied).0, "AccessDenied");
    }
    s.iam()
        .delete_user_policy()
        .user_name("alice")
        .policy_name("home-region")
        .send()
        .await
        .expect("delete policy");
    let denied = home
        .get_user()
        .send()
        .await
        .expect_err("no policy left: the remembered allow must not answer");
    assert_eq!(error_of(&denied).0, "AccessDenied");
    // Every call still reaches the decision log, remembered or not.
    let (status, body) = admin(&s.endpoint, "GET", "/_iamlocal/decisions").await;
    assert_eq!(status, 200);
    assert_eq!(
        body.matches("\"action\":\"iam:GetUser\"").count(),
        7,
        "{body}"
    );
    s.stop().await;
}
