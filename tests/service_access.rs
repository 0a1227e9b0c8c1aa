//! ListPoliciesGrantingServiceAccess and SetSecurityTokenServicePreferences through the AWS
//! SDK for Rust.

mod common;

use aws_sdk_iam::operation::list_policies_granting_service_access::ListPoliciesGrantingServiceAccessOutput;
use aws_sdk_iam::types::{
    GlobalEndpointTokenVersion, PolicyGrantingServiceAccess, PolicyOwnerEntityType, PolicyType,
    SummaryKeyType,
};
use common::{create_policy, error_of, user_with_key, TestServer};

const ALLOW_IAM_AND_S3_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","s3:GetObject"],"Resource":"*"}]}"#;
const ALLOW_EC2_DESCRIBE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#;
const ALLOW_ALL_BUT_IAM: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#;
const DENY_S3: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;
const ALLOW_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:Invoke*","Resource":"*"}]}"#;
const TRUST_ROOT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;
const S3_READ_ONLY: &str = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

async fn list(
    s: &TestServer,
    arn: &str,
    namespaces: &[&str],
) -> ListPoliciesGrantingServiceAccessOutput {
    list_page(s, arn, namespaces, None).await
}

async fn create_user(s: &TestServer, name: &str, path: &str) {
    s.iam()
        .create_user()
        .user_name(name)
        .path(path)
        .send()
        .await
        .expect("create user");
}

/// One page for `arn` and `namespaces`, continuing after `marker`.
async fn list_page(
    s: &TestServer,
    arn: &str,
    namespaces: &[&str],
    marker: Option<&str>,
) -> ListPoliciesGrantingServiceAccessOutput {
    s.iam()
        .list_policies_granting_service_access()
        .arn(arn)
        .set_service_namespaces(Some(namespaces.iter().map(|n| n.to_string()).collect()))
        .set_marker(marker.map(str::to_string))
        .send()
        .await
        .expect("list policies granting service access")
}

/// AWS's AccessDenied for a user of the default account with no policy allowing `action`.
fn denied(user: &str, action: &str, resource: &str) -> (String, String) {
    (
        "AccessDenied".into(),
        format!("User: arn:aws:iam::000000000000:user/{user} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action"),
    )
}

/// A listed policy: (name, type, ARN, entity type, entity name).
type Listed = (
    String,
    PolicyType,
    Option<String>,
    Option<PolicyOwnerEntityType>,
    Option<String>,
);

fn policies_of<'a>(
    out: &'a ListPoliciesGrantingServiceAccessOutput,
    namespace: &str,
) -> &'a [PolicyGrantingServiceAccess] {
    out.policies_granting_service_access()
        .iter()
        .find(|e| e.service_namespace() == Some(namespace))
        .unwrap_or_else(|| panic!("no entry for {namespace}"))
        .policies()
}

fn listed(out: &ListPoliciesGrantingServiceAccessOutput, namespace: &str) -> Vec<Listed> {
    policies_of(out, namespace)
        .iter()
        .map(|p| {
            (
                p.policy_name().to_string(),
                p.policy_type().clone(),
                p.policy_arn().map(str::to_string),
                p.entity_type().cloned(),
                p.entity_name().map(str::to_string),
            )
        })
        .collect()
}

fn inline(name: &str, entity_type: PolicyOwnerEntityType, entity_name: &str) -> Listed {
    (
        name.to_string(),
        PolicyType::Inline,
        None,
        Some(entity_type),
        Some(entity_name.to_string()),
    )
}

fn managed(arn: &str) -> Listed {
    (
        arn.rsplit('/').next().unwrap_or(arn).to_string(),
        PolicyType::Managed,
        Some(arn.to_string()),
        None,
        None,
    )
}

#[tokio::test]
async fn a_users_list_holds_its_own_and_its_groups_policies_per_service() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&s, "alice", "/dev/").await;
    iam.put_user_policy()
        .user_name("alice")
        .policy_name("alice-iam-s3")
        .policy_document(ALLOW_IAM_AND_S3_GET)
        .send()
        .await
        .expect("inline");
    iam.attach_user_policy()
        .user_name("alice")
        .policy_arn(S3_READ_ONLY)
        .send()
        .await
        .expect("attach aws managed");
    iam.create_group()
        .group_name("devs")
        .send()
        .await
        .expect("group");
    iam.add_user_to_group()
        .group_name("devs")
        .user_name("alice")
        .send()
        .await
        .expect("join");
    iam.put_group_policy()
        .group_name("devs")
        .policy_name("devs-ec2")
        .policy_document(ALLOW_EC2_DESCRIBE)
        .send()
        .await
        .expect("group inline");
    let lambda = create_policy(&s, "lambda-invoke", ALLOW_LAMBDA).await;
    iam.attach_group_policy()
        .group_name("devs")
        .policy_arn(&lambda)
        .send()
        .await
        .expect("attach");
    // The same AWS-managed policy through the group too: still one policy.
    iam.attach_group_policy()
        .group_name("devs")
        .policy_arn(S3_READ_ONLY)
        .send()
        .await
        .expect("attach to group");

    let out = list(
        &s,
        "arn:aws:iam::000000000000:user/dev/alice",
        &["s3", "IAM", "ec2", "lambda", "sqs"],
    )
    .await;
    assert!(!out.is_truncated());
    assert_eq!(out.marker(), None);
    let namespaces: Vec<&str> = out
        .policies_granting_service_access()
        .iter()
        .filter_map(|e| e.service_namespace())
        .collect();
    assert_eq!(namespaces, ["s3", "IAM", "ec2", "lambda", "sqs"]);
    assert_eq!(
        listed(&out, "s3"),
        [
            inline("alice-iam-s3", PolicyOwnerEntityType::User, "alice"),
            managed(S3_READ_ONLY)
        ]
    );
    // Namespaces match in any case, and are answered as asked.
    assert_eq!(
        listed(&out, "IAM"),
        [inline("alice-iam-s3", PolicyOwnerEntityType::User, "alice")]
    );
    assert_eq!(
        listed(&out, "ec2"),
        [inline("devs-ec2", PolicyOwnerEntityType::Group, "devs")]
    );
    assert_eq!(listed(&out, "lambda"), [managed(&lambda)]);
    assert!(policies_of(&out, "sqs").is_empty());
    s.stop().await;
}

#[tokio::test]
async fn a_role_or_a_group_lists_only_its_own_policies_and_deny_grants_nothing() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_role()
        .role_name("worker")
        .assume_role_policy_document(TRUST_ROOT)
        .send()
        .await
        .expect("role");
    iam.put_role_policy()
        .role_name("worker")
        .policy_name("all-but-iam")
        .policy_document(ALLOW_ALL_BUT_IAM)
        .send()
        .await
        .expect("role inline");
    iam.put_role_policy()
        .role_name("worker")
        .policy_name("no-s3")
        .policy_document(DENY_S3)
        .send()
        .await
        .expect("role deny");
    let out = list(&s, "arn:aws:iam::000000000000:role/worker", &["s3", "iam"]).await;
    // NotAction grants every other service; a Deny grants nothing.
    assert_eq!(
        listed(&out, "s3"),
        [inline("all-but-iam", PolicyOwnerEntityType::Role, "worker")]
    );
    assert!(policies_of(&out, "iam").is_empty());

    iam.create_group()
        .group_name("ops")
        .send()
        .await
        .expect("group");
    iam.put_group_policy()
        .group_name("ops")
        .policy_name("ops-ec2")
        .policy_document(ALLOW_EC2_DESCRIBE)
        .send()
        .await
        .expect("group inline");
    create_user(&s, "bob", "/").await;
    iam.add_user_to_group()
        .group_name("ops")
        .user_name("bob")
        .send()
        .await
        .expect("join");
    iam.put_user_policy()
        .user_name("bob")
        .policy_name("bob-ec2")
        .policy_document(ALLOW_EC2_DESCRIBE)
        .send()
        .await
        .expect("user inline");
    let out = list(&s, "arn:aws:iam::000000000000:group/ops", &["ec2"]).await;
    assert_eq!(
        listed(&out, "ec2"),
        [inline("ops-ec2", PolicyOwnerEntityType::Group, "ops")]
    );
    s.stop().await;
}

#[tokio::test]
async fn many_namespaces_come_in_pages() {
    let s = TestServer::start().await;
    create_user(&s, "carol", "/").await;
    let namespaces: Vec<String> = (0..150).map(|i| format!("svc{i}")).collect();
    let refs: Vec<&str> = namespaces.iter().map(String::as_str).collect();
    let first = list(&s, "arn:aws:iam::000000000000:user/carol", &refs).await;
    assert!(first.is_truncated());
    assert_eq!(first.policies_granting_service_access().len(), 100);
    assert!(first.marker().is_some());
    let second = list_page(
        &s,
        "arn:aws:iam::000000000000:user/carol",
        &refs,
        first.marker(),
    )
    .await;
    assert!(!second.is_truncated());
    let rest: Vec<&str> = second
        .policies_granting_service_access()
        .iter()
        .filter_map(|e| e.service_namespace())
        .collect();
    assert_eq!(rest, refs[100..]);
    s.stop().await;
}

#[tokio::test]
async fn unknown_entities_and_bad_arns_are_refused_in_aws_words() {
    let s = TestServer::start().await;
    create_user(&s, "dave", "/team/").await;
    // (ARN, code, message)
    let cases: &[(&str, &str, &str)] = &[
        (
            "arn:aws:iam::000000000000:user/ghost",
            "NoSuchEntity",
            "The user with name ghost cannot be found.",
        ),
        // The right name on the wrong path is not the user.
        (
            "arn:aws:iam::000000000000:user/dave",
            "NoSuchEntity",
            "The user with name dave cannot be found.",
        ),
        (
            "arn:aws:iam::111111111111:user/team/dave",
            "NoSuchEntity",
            "The user with name dave cannot be found.",
        ),
        (
            "arn:aws:iam::000000000000:role/nobody",
            "NoSuchEntity",
            "The role with name nobody cannot be found.",
        ),
        (
            "arn:aws:iam::000000000000:group/nobody",
            "NoSuchEntity",
            "The group with name nobody cannot be found.",
        ),
        (
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            "InvalidInput",
            "ARN arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess is not valid.",
        ),
        (
            "arn:aws:iam::000000000000:mfa/dave",
            "InvalidInput",
            "ARN arn:aws:iam::000000000000:mfa/dave is not valid.",
        ),
        (
            "arn:aws:s3:::a-bucket/with/a/key",
            "ValidationError",
            "ARN arn:aws:s3:::a-bucket/with/a/key is not valid.",
        ),
        (
            "longuserbutnoarnatall",
            "ValidationError",
            "ARN longuserbutnoarnatall is not valid.",
        ),
    ];
    for (arn, code, message) in cases {
        let e = s
            .iam()
            .list_policies_granting_service_access()
            .arn(*arn)
            .service_namespaces("s3")
            .send()
            .await
            .expect_err(arn);
        assert_eq!(
            error_of(&e),
            (code.to_string(), message.to_string()),
            "{arn}"
        );
    }
    // The model's constraints: one namespace at least.
    let e = s
        .iam()
        .list_policies_granting_service_access()
        .arn("arn:aws:iam::000000000000:user/team/dave")
        .set_service_namespaces(Some(Vec::new()))
        .send()
        .await
        .expect_err("no namespaces");
    assert_eq!(error_of(&e).0, "ValidationError");
    s.stop().await;
}

#[tokio::test]
async fn listing_needs_the_action_on_the_entity() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "erin").await;
    create_user(&s, "frank", "/").await;
    create_user(&s, "gina", "/").await;
    let erin = s.iam_as(&key, &secret);
    let e = erin
        .list_policies_granting_service_access()
        .arn("arn:aws:iam::000000000000:user/frank")
        .service_namespaces("s3")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(
        error_of(&e),
        denied(
            "erin",
            "iam:ListPoliciesGrantingServiceAccess",
            "arn:aws:iam::000000000000:user/frank"
        )
    );
    s.iam()
        .put_user_policy()
        .user_name("erin")
        .policy_name("frank-only")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListPoliciesGrantingServiceAccess","Resource":"arn:aws:iam::000000000000:user/frank"}]}"#)
        .send()
        .await
        .expect("grant");
    erin.list_policies_granting_service_access()
        .arn("arn:aws:iam::000000000000:user/frank")
        .service_namespaces("s3")
        .send()
        .await
        .expect("allowed on frank");
    let e = erin
        .list_policies_granting_service_access()
        .arn("arn:aws:iam::000000000000:user/gina")
        .service_namespaces("s3")
        .send()
        .await
        .expect_err("still denied on gina");
    assert_eq!(
        error_of(&e),
        denied(
            "erin",
            "iam:ListPoliciesGrantingServiceAccess",
            "arn:aws:iam::000000000000:user/gina"
        )
    );
    s.stop().await;
}

async fn token_version(iam: &aws_sdk_iam::Client) -> Option<i32> {
    iam.get_account_summary()
        .send()
        .await
        .expect("summary")
        .summary_map()
        .and_then(|m| m.get(&SummaryKeyType::GlobalEndpointTokenVersion).copied())
}

#[tokio::test]
async fn the_token_version_is_kept_per_account_and_reported_by_the_summary() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let other = s.iam_as("111111111111", "test");
    assert_eq!(token_version(&iam).await, Some(1));
    iam.set_security_token_service_preferences()
        .global_endpoint_token_version(GlobalEndpointTokenVersion::V2Token)
        .send()
        .await
        .expect("v2");
    assert_eq!(token_version(&iam).await, Some(2));
    assert_eq!(token_version(&other).await, Some(1), "another account");
    iam.set_security_token_service_preferences()
        .global_endpoint_token_version(GlobalEndpointTokenVersion::V1Token)
        .send()
        .await
        .expect("v1");
    assert_eq!(token_version(&iam).await, Some(1));

    let e = iam
        .set_security_token_service_preferences()
        .global_endpoint_token_version(GlobalEndpointTokenVersion::from("v3Token"))
        .send()
        .await
        .expect_err("not a version");
    // Worded as AWS words a value outside an enum (recorded for UpdateAccessKey's Status).
    assert_eq!(
        error_of(&e),
        (
            "ValidationError".into(),
            "1 validation error detected: Value at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set".into()
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn setting_the_token_version_needs_the_action() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "hank").await;
    let hank = s.iam_as(&key, &secret);
    let e = hank
        .set_security_token_service_preferences()
        .global_endpoint_token_version(GlobalEndpointTokenVersion::V2Token)
        .send()
        .await
        .expect_err("denied");
    assert_eq!(
        error_of(&e),
        denied("hank", "iam:SetSecurityTokenServicePreferences", "*")
    );
    assert_eq!(token_version(&s.iam()).await, Some(1));
    s.iam()
        .put_user_policy()
        .user_name("hank")
        .policy_name("sts-prefs")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:SetSecurityTokenServicePreferences","Resource":"*"}]}"#)
        .send()
        .await
        .expect("grant");
    hank.set_security_token_service_preferences()
        .global_endpoint_token_version(GlobalEndpointTokenVersion::V2Token)
        .send()
        .await
        .expect("allowed");
    assert_eq!(token_version(&s.iam()).await, Some(2));
    s.stop().await;
}
