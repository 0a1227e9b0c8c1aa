//! Users, access keys and caller identity through the AWS SDK for Rust against a real server.

mod common;

use aws_sdk_iam::types::{StatusType, Tag};
use common::{error_of, TestServer};

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().expect("tag")
}

#[tokio::test]
async fn root_caller_identity() {
    let s = TestServer::start().await;
    let id = s
        .sts()
        .get_caller_identity()
        .send()
        .await
        .expect("identity");
    assert_eq!(id.arn(), Some("arn:aws:iam::000000000000:root"));
    assert_eq!(id.account(), Some("000000000000"));
    assert_eq!(id.user_id(), Some("000000000000"));
    // A 12-digit access key id with the root secret is the root of that account.
    let other = s
        .sts_as("111122223333", "test")
        .get_caller_identity()
        .send()
        .await
        .expect("identity");
    assert_eq!(other.arn(), Some("arn:aws:iam::111122223333:root"));
    s.stop().await;
}

#[tokio::test]
async fn user_lifecycle() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let created = iam
        .create_user()
        .user_name("alice")
        .path("/dev/")
        .tags(tag("team", "a"))
        .send()
        .await
        .expect("create");
    let u = created.user().expect("user");
    assert_eq!(u.user_name(), "alice");
    assert_eq!(u.path(), "/dev/");
    assert_eq!(u.arn(), "arn:aws:iam::000000000000:user/dev/alice");
    assert_eq!(u.user_id().len(), 21);
    assert!(u.user_id().starts_with("AIDA"));
    assert_eq!(u.tags().len(), 1);

    let got = iam
        .get_user()
        .user_name("ALICE")
        .send()
        .await
        .expect("get is case-insensitive");
    let gu = got.user().expect("user");
    assert_eq!(gu.user_name(), "alice");
    assert_eq!(gu.tags()[0].key(), "team");
    assert_eq!(gu.create_date(), u.create_date());

    let dup = iam
        .create_user()
        .user_name("Alice")
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(
        error_of(&dup),
        (
            "EntityAlreadyExists".into(),
            "User with name Alice already exists.".into()
        )
    );

    iam.update_user()
        .user_name("alice")
        .new_user_name("alice2")
        .new_path("/ops/")
        .send()
        .await
        .expect("update");
    let missing = iam
        .get_user()
        .user_name("alice")
        .send()
        .await
        .expect_err("renamed");
    assert_eq!(
        error_of(&missing),
        (
            "NoSuchEntity".into(),
            "The user with name alice cannot be found.".into()
        )
    );
    let renamed = iam
        .get_user()
        .user_name("alice2")
        .send()
        .await
        .expect("renamed");
    assert_eq!(
        renamed.user().map(|u| u.arn()),
        Some("arn:aws:iam::000000000000:user/ops/alice2")
    );

    iam.tag_user()
        .user_name("alice2")
        .tags(tag("env", "dev"))
        .tags(tag("TEAM", "b"))
        .send()
        .await
        .expect("tag");
    let tags = iam
        .list_user_tags()
        .user_name("alice2")
        .send()
        .await
        .expect("tags");
    let pairs: Vec<(&str, &str)> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(pairs, vec![("TEAM", "b"), ("env", "dev")]);
    iam.untag_user()
        .user_name("alice2")
        .tag_keys("team")
        .send()
        .await
        .expect("untag");
    let tags = iam
        .list_user_tags()
        .user_name("alice2")
        .send()
        .await
        .expect("tags");
    assert_eq!(tags.tags().len(), 1);

    iam.delete_user()
        .user_name("alice2")
        .send()
        .await
        .expect("delete");
    let gone = iam
        .delete_user()
        .user_name("alice2")
        .send()
        .await
        .expect_err("gone");
    assert_eq!(error_of(&gone).0, "NoSuchEntity");
    s.stop().await;
}

#[tokio::test]
async fn list_users_pages_with_max_items() {
    let s = TestServer::start().await;
    let iam = s.iam();
    for name in ["carol", "alice", "bob", "dave"] {
        let path = if name == "dave" { "/other/" } else { "/team/" };
        iam.create_user()
            .user_name(name)
            .path(path)
            .send()
            .await
            .expect("create");
    }
    let mut names = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_users()
            .path_prefix("/team/")
            .max_items(1)
            .set_marker(marker.clone())
            .send()
            .await
            .expect("page");
        assert!(page.users().len() <= 1);
        names.extend(page.users().iter().map(|u| u.user_name().to_string()));
        if !page.is_truncated() {
            assert!(page.marker().is_none());
            break;
        }
        marker = page.marker().map(String::from);
    }
    assert_eq!(names, vec!["alice", "bob", "carol"]);
    let all = iam.list_users().send().await.expect("all");
    assert_eq!(all.users().len(), 4);
    assert!(!all.is_truncated());
    let bad = iam
        .list_users()
        .marker("!!!")
        .send()
        .await
        .expect_err("bad marker");
    assert_eq!(
        error_of(&bad),
        ("ValidationError".into(), "Invalid Marker.".into())
    );
    s.stop().await;
}

#[tokio::test]
async fn validation_errors_use_aws_wording() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let long = "a".repeat(65);
    let e = iam
        .create_user()
        .user_name(&long)
        .send()
        .await
        .expect_err("too long");
    assert_eq!(
        error_of(&e),
        (
            "ValidationError".into(),
            "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64".into()
        )
    );
    let e = iam
        .create_user()
        .user_name("bad name")
        .send()
        .await
        .expect_err("pattern");
    assert_eq!(
        error_of(&e).1,
        "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    );
    let e = iam
        .create_user()
        .user_name("x")
        .path("nope")
        .send()
        .await
        .expect_err("path");
    assert_eq!(
        error_of(&e),
        (
            "ValidationError".into(),
            "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.".into()
        )
    );
    let e = iam
        .create_user()
        .user_name("x")
        .tags(tag("k", "1"))
        .tags(tag("K", "2"))
        .send()
        .await
        .expect_err("duplicate tag keys");
    assert_eq!(
        error_of(&e),
        (
            "InvalidInput".into(),
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.".into()
        )
    );
    let e = iam
        .list_users()
        .max_items(0)
        .send()
        .await
        .expect_err("range");
    assert_eq!(
        error_of(&e).1,
        "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    // Nothing was half-written by the failed calls.
    assert!(iam
        .list_users()
        .send()
        .await
        .expect("list")
        .users()
        .is_empty());
    s.stop().await;
}

#[tokio::test]
async fn access_keys_sign_requests_as_their_user() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_user()
        .user_name("alice")
        .send()
        .await
        .expect("create");
    let key = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .expect("key");
    let k = key.access_key().expect("key");
    assert_eq!(k.access_key_id().len(), 20);
    assert!(k.access_key_id().starts_with("AKIA"));
    assert_eq!(k.secret_access_key().len(), 40);
    assert_eq!(k.status(), &StatusType::Active);
    let (akid, secret) = (
        k.access_key_id().to_string(),
        k.secret_access_key().to_string(),
    );

    let me = s
        .sts_as(&akid, &secret)
        .get_caller_identity()
        .send()
        .await
        .expect("identity");
    assert_eq!(me.arn(), Some("arn:aws:iam::000000000000:user/alice"));
    assert!(me.user_id().is_some_and(|id| id.starts_with("AIDA")));

    // A user without policies is denied, with AWS's sentence.
    let denied = s
        .iam_as(&akid, &secret)
        .list_users()
        .send()
        .await
        .expect_err("denied");
    assert_eq!(
        error_of(&denied),
        (
            "AccessDenied".into(),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ because no identity-based policy allows the iam:ListUsers action".into()
        )
    );

    iam.create_access_key()
        .user_name("alice")
        .send()
        .await
        .expect("second key");
    let third = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .expect_err("quota");
    assert_eq!(
        error_of(&third),
        (
            "LimitExceeded".into(),
            "Cannot exceed quota for AccessKeysPerUser: 2".into()
        )
    );
    let listed = iam
        .list_access_keys()
        .user_name("alice")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.access_key_metadata().len(), 2);

    let conflict = iam
        .delete_user()
        .user_name("alice")
        .send()
        .await
        .expect_err("keys remain");
    assert_eq!(
        error_of(&conflict),
        (
            "DeleteConflict".into(),
            "Cannot delete entity, must delete access keys first.".into()
        )
    );

    // Inactive keys are refused at the door.
    iam.update_access_key()
        .user_name("alice")
        .access_key_id(&akid)
        .status(StatusType::Inactive)
        .send()
        .await
        .expect("deactivate");
    let refused = s
        .sts_as(&akid, &secret)
        .get_caller_identity()
        .send()
        .await
        .expect_err("inactive");
    assert_eq!(
        error_of(&refused),
        (
            "InvalidClientTokenId".into(),
            "The security token included in the request is invalid.".into()
        )
    );

    let used = iam
        .get_access_key_last_used()
        .access_key_id(&akid)
        .send()
        .await
        .expect("last used");
    assert_eq!(used.user_name(), Some("alice"));
    let lu = used.access_key_last_used().expect("last used");
    // The denied ListUsers was the last call the key signed; refused calls do not count.
    assert_eq!(lu.service_name(), "iam");
    assert_eq!(lu.region(), "us-east-1");
    assert!(lu.last_used_date().is_some());

    let missing = iam
        .update_access_key()
        .user_name("alice")
        .access_key_id("AKIAIOSFODNN7EXAMPLE")
        .status(StatusType::Active)
        .send()
        .await
        .expect_err("no key");
    assert_eq!(
        error_of(&missing),
        (
            "NoSuchEntity".into(),
            "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.".into()
        )
    );
    for m in listed.access_key_metadata() {
        iam.delete_access_key()
            .user_name("alice")
            .access_key_id(m.access_key_id().unwrap_or_default())
            .send()
            .await
            .expect("delete key");
    }
    iam.delete_user()
        .user_name("alice")
        .send()
        .await
        .expect("delete user");
    s.stop().await;
}

#[tokio::test]
async fn bad_credentials_get_aws_errors() {
    let s = TestServer::start().await;
    let wrong_secret = s
        .sts_as("test", "not-the-secret")
        .get_caller_identity()
        .send()
        .await
        .expect_err("bad sig");
    assert_eq!(error_of(&wrong_secret).0, "SignatureDoesNotMatch");
    let unknown = s
        .sts_as("AKIAUNKNOWNKEY000000", "x")
        .get_caller_identity()
        .send()
        .await
        .expect_err("unknown key");
    assert_eq!(error_of(&unknown).0, "InvalidClientTokenId");
    s.stop().await;
}

#[tokio::test]
async fn unimplemented_operations_answer_in_aws_error_shape() {
    let s = TestServer::start().await;
    let e = s
        .iam()
        .generate_organizations_access_report()
        .entity_path("o-a1b2c3d4e5/r-f6g7h8i9j0example/123456789012")
        .send()
        .await
        .expect_err("not implemented");
    assert_eq!(error_of(&e).0, "NotImplemented");
    s.stop().await;
}

#[tokio::test]
async fn accounts_are_isolated() {
    let s = TestServer::start().await;
    s.iam()
        .create_user()
        .user_name("alice")
        .send()
        .await
        .expect("create");
    let other = s.iam_as("111122223333", "test");
    assert!(other
        .list_users()
        .send()
        .await
        .expect("list")
        .users()
        .is_empty());
    other
        .create_user()
        .user_name("alice")
        .send()
        .await
        .expect("same name, other account");
    let u = other
        .get_user()
        .user_name("alice")
        .send()
        .await
        .expect("get");
    assert_eq!(
        u.user().map(|u| u.arn()),
        Some("arn:aws:iam::111122223333:user/alice")
    );
    s.stop().await;
}

#[tokio::test]
async fn users_and_keys_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("iamlocal-test-{}", uuid::Uuid::new_v4()));
    let mut config = iamlocal::config::Config::for_tests();
    config.db = Some(dir.join("iamlocal.db").to_string_lossy().into_owned());
    let s = TestServer::start_with(config.clone()).await;
    s.iam()
        .create_user()
        .user_name("durable")
        .send()
        .await
        .expect("create");
    let key = s
        .iam()
        .create_access_key()
        .user_name("durable")
        .send()
        .await
        .expect("key");
    let k = key.access_key().expect("key");
    let (akid, secret) = (
        k.access_key_id().to_string(),
        k.secret_access_key().to_string(),
    );
    s.stop().await;

    let s = TestServer::start_with(config).await;
    let me = s
        .sts_as(&akid, &secret)
        .get_caller_identity()
        .send()
        .await
        .expect("identity after restart");
    assert_eq!(me.arn(), Some("arn:aws:iam::000000000000:user/durable"));
    s.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn reset_empties_every_account() {
    let s = TestServer::start().await;
    s.iam()
        .create_user()
        .user_name("a")
        .send()
        .await
        .expect("create");
    s.iam_as("111122223333", "test")
        .create_user()
        .user_name("b")
        .send()
        .await
        .expect("create");
    let (status, _) = common::admin(&s.endpoint, "POST", "/_iamlocal/reset").await;
    assert_eq!(status, 200);
    assert!(s
        .iam()
        .list_users()
        .send()
        .await
        .expect("list")
        .users()
        .is_empty());
    assert!(s
        .iam_as("111122223333", "test")
        .list_users()
        .send()
        .await
        .expect("list")
        .users()
        .is_empty());
    s.stop().await;
}
