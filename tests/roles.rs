//! Roles, instance profiles, role policies and service-linked roles, through the AWS SDK for Rust.

mod common;

use common::{error_of, user_with_key, TestServer};

const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

#[tokio::test]
async fn roles_are_created_read_listed_updated_and_paged() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let created = iam
        .create_role()
        .role_name("app")
        .path("/svc/")
        .assume_role_policy_document(TRUST_EC2)
        .description("the app")
        .max_session_duration(7200)
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("team")
                .value("a")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("create role");
    let role = created.role().expect("role");
    assert_eq!(role.arn(), "arn:aws:iam::000000000000:role/svc/app");
    assert!(role.role_id().starts_with("AROA"), "{}", role.role_id());
    assert_eq!(role.role_id().len(), 21);
    // Documents come back URL-encoded; the SDK hands back what the wire carried.
    assert!(role
        .assume_role_policy_document()
        .expect("doc")
        .contains("%22sts%3AAssumeRole%22"));

    let again = iam
        .create_role()
        .role_name("APP")
        .assume_role_policy_document(TRUST_EC2)
        .send()
        .await
        .expect_err("duplicate, names are case-insensitive");
    assert_eq!(
        error_of(&again),
        (
            "EntityAlreadyExists".into(),
            "Role with name APP already exists.".into()
        )
    );

    for name in ["b", "c"] {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(TRUST_EC2)
            .send()
            .await
            .expect("create");
    }
    let mut names = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_roles()
            .max_items(1)
            .set_marker(marker)
            .send()
            .await
            .expect("list");
        names.extend(page.roles().iter().map(|r| r.role_name().to_string()));
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(names, ["app", "b", "c"]);
    let under = iam
        .list_roles()
        .path_prefix("/svc/")
        .send()
        .await
        .expect("list");
    assert_eq!(under.roles().len(), 1);

    iam.update_role()
        .role_name("app")
        .description("new words")
        .max_session_duration(43200)
        .send()
        .await
        .expect("update");
    let bad = iam
        .update_role()
        .role_name("app")
        .max_session_duration(100)
        .send()
        .await
        .expect_err("too short");
    assert_eq!(error_of(&bad).0, "ValidationError");
    let got = iam.get_role().role_name("app").send().await.expect("get");
    let got = got.role().expect("role");
    assert_eq!(got.description(), Some("new words"));
    assert_eq!(got.max_session_duration(), Some(43200));
    assert_eq!(got.tags().len(), 1);

    let missing = iam
        .get_role()
        .role_name("nope")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(
        error_of(&missing),
        (
            "NoSuchEntity".into(),
            "The role with name nope cannot be found.".into()
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn trust_policies_are_checked_as_trust_policies() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let cases = [
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}"#,
            "Has prohibited field Resource",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"iam:ListUsers"}]}"#,
            "AssumeRole policy may only specify STS AssumeRole actions.",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/ghost"},"Action":"sts:AssumeRole"}]}"#,
            r#"Invalid principal in policy: "AWS":"arn:aws:iam::000000000000:user/ghost""#,
        ),
        // A role ARN where a provider belongs (the EKS cluster role instead of its OIDC
        // provider), and a provider ARN spelled with its URL scheme.
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::000000000000:role/eks-cluster"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#,
            "Federated principals must be valid domain names or SAML metadata ARNs",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::000000000000:oidc-provider/https://oidc.example.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#,
            "Federated principals must be valid domain names or SAML metadata ARNs",
        ),
    ];
    for (doc, message) in cases {
        let e = iam
            .create_role()
            .role_name("r")
            .assume_role_policy_document(doc)
            .send()
            .await
            .expect_err(message);
        assert_eq!(
            error_of(&e),
            ("MalformedPolicyDocument".into(), message.into()),
            "{doc}"
        );
    }
    // A principal that exists is accepted; the root of any account is too.
    user_with_key(&s, "alice").await;
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:user/alice","arn:aws:iam::111111111111:root"]},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#,
        )
        .send()
        .await
        .expect("valid trust policy");
    let e = iam
        .update_assume_role_policy()
        .role_name("r")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"x.amazonaws.com"},"Action":"s3:GetObject"}]}"#,
        )
        .send()
        .await
        .expect_err("not an STS action");
    assert_eq!(error_of(&e).0, "MalformedPolicyDocument");
    iam.update_assume_role_policy()
        .role_name("r")
        .policy_document(TRUST_EC2)
        .send()
        .await
        .expect("update trust");
    let got = iam.get_role().role_name("r").send().await.expect("get");
    assert!(got
        .role()
        .and_then(|r| r.assume_role_policy_document())
        .expect("doc")
        .contains("ec2.amazonaws.com"));
    s.stop().await;
}

#[tokio::test]
async fn role_policies_and_delete_conflicts() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(TRUST_EC2)
        .send()
        .await
        .expect("role");
    iam.put_role_policy()
        .role_name("r")
        .policy_name("inline")
        .policy_document(ALLOW_ALL)
        .send()
        .await
        .expect("put");
    let listed = iam
        .list_role_policies()
        .role_name("r")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.policy_names(), ["inline"]);
    let got = iam
        .get_role_policy()
        .role_name("r")
        .policy_name("inline")
        .send()
        .await
        .expect("get");
    assert_eq!(got.role_name(), "r");

    let e = iam
        .delete_role()
        .role_name("r")
        .send()
        .await
        .expect_err("inline policy left");
    assert_eq!(
        error_of(&e),
        (
            "DeleteConflict".into(),
            "Cannot delete entity, must delete policies first.".into()
        )
    );
    iam.delete_role_policy()
        .role_name("r")
        .policy_name("inline")
        .send()
        .await
        .expect("delete inline");

    let arn = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    iam.attach_role_policy()
        .role_name("r")
        .policy_arn(arn)
        .send()
        .await
        .expect("attach");
    let attached = iam
        .list_attached_role_policies()
        .role_name("r")
        .send()
        .await
        .expect("attached");
    assert_eq!(attached.attached_policies().len(), 1);
    let e = iam
        .delete_role()
        .role_name("r")
        .send()
        .await
        .expect_err("attached policy left");
    assert_eq!(
        error_of(&e).1,
        "Cannot delete entity, must detach all policies first."
    );
    iam.detach_role_policy()
        .role_name("r")
        .policy_arn(arn)
        .send()
        .await
        .expect("detach");

    iam.create_instance_profile()
        .instance_profile_name("p")
        .send()
        .await
        .expect("profile");
    iam.add_role_to_instance_profile()
        .instance_profile_name("p")
        .role_name("r")
        .send()
        .await
        .expect("add role");
    let e = iam
        .delete_role()
        .role_name("r")
        .send()
        .await
        .expect_err("in a profile");
    assert_eq!(
        error_of(&e).1,
        "Cannot delete entity, must remove roles from instance profile first."
    );
    iam.remove_role_from_instance_profile()
        .instance_profile_name("p")
        .role_name("r")
        .send()
        .await
        .expect("remove");
    iam.delete_role()
        .role_name("r")
        .send()
        .await
        .expect("delete");
    s.stop().await;
}

#[tokio::test]
async fn instance_profiles_hold_one_role() {
    let s = TestServer::start().await;
    let iam = s.iam();
    for name in ["r1", "r2"] {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(TRUST_EC2)
            .send()
            .await
            .expect("role");
    }
    for name in ["p1", "p2"] {
        let p = iam
            .create_instance_profile()
            .instance_profile_name(name)
            .path("/ec2/")
            .send()
            .await
            .expect("profile");
        let p = p.instance_profile().expect("profile");
        assert!(p.instance_profile_id().starts_with("AIPA"));
        assert_eq!(
            p.arn(),
            format!("arn:aws:iam::000000000000:instance-profile/ec2/{name}")
        );
    }
    iam.add_role_to_instance_profile()
        .instance_profile_name("p1")
        .role_name("r1")
        .send()
        .await
        .expect("add");
    let e = iam
        .add_role_to_instance_profile()
        .instance_profile_name("p1")
        .role_name("r2")
        .send()
        .await
        .expect_err("second role");
    assert_eq!(
        error_of(&e),
        (
            "LimitExceeded".into(),
            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1".into()
        )
    );
    iam.add_role_to_instance_profile()
        .instance_profile_name("p2")
        .role_name("r1")
        .send()
        .await
        .expect("a role may be in several profiles");
    let mut seen = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_instance_profiles_for_role()
            .role_name("r1")
            .max_items(1)
            .set_marker(marker)
            .send()
            .await
            .expect("for role");
        seen.extend(
            page.instance_profiles()
                .iter()
                .map(|p| p.instance_profile_name().to_string()),
        );
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(seen, ["p1", "p2"]);
    let got = iam
        .get_instance_profile()
        .instance_profile_name("p1")
        .send()
        .await
        .expect("get");
    let roles = got.instance_profile().expect("profile").roles();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].role_name(), "r1");

    let e = iam
        .delete_instance_profile()
        .instance_profile_name("p1")
        .send()
        .await
        .expect_err("still has a role");
    assert_eq!(error_of(&e).0, "DeleteConflict");
    let e = iam
        .get_instance_profile()
        .instance_profile_name("none")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            "Instance Profile none cannot be found.".into()
        )
    );
    let all = iam
        .list_instance_profiles()
        .path_prefix("/ec2/")
        .send()
        .await
        .expect("list");
    assert_eq!(all.instance_profiles().len(), 2);
    s.stop().await;
}

#[tokio::test]
async fn service_linked_roles_are_named_and_protected_as_aws_does() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let created = iam
        .create_service_linked_role()
        .aws_service_name("autoscaling.amazonaws.com")
        .send()
        .await
        .expect("create");
    let role = created.role().expect("role");
    assert_eq!(role.role_name(), "AWSServiceRoleForAutoScaling");
    assert_eq!(role.path(), "/aws-service-role/autoscaling.amazonaws.com/");
    let e = iam
        .create_service_linked_role()
        .aws_service_name("autoscaling.amazonaws.com")
        .send()
        .await
        .expect_err("taken");
    assert_eq!(
        error_of(&e),
        (
            "InvalidInput".into(),
            "Service role name AWSServiceRoleForAutoScaling has been taken in this account, please try a different suffix.".into()
        )
    );
    let e = iam
        .update_role_description()
        .role_name("AWSServiceRoleForAutoScaling")
        .description("mine")
        .send()
        .await;
    // AWS lets you edit a service-linked role's description; everything else is refused.
    e.expect("description is editable");
    let e = iam
        .put_role_policy()
        .role_name("AWSServiceRoleForAutoScaling")
        .policy_name("x")
        .policy_document(ALLOW_ALL)
        .send()
        .await
        .expect_err("protected");
    assert_eq!(
        error_of(&e),
        (
            "UnmodifiableEntity".into(),
            "Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling' - this role is only modifiable by AWS".into()
        )
    );
    let e = iam
        .delete_role()
        .role_name("AWSServiceRoleForAutoScaling")
        .send()
        .await
        .expect_err("protected");
    assert_eq!(error_of(&e).0, "UnmodifiableEntity");

    let task = iam
        .delete_service_linked_role()
        .role_name("AWSServiceRoleForAutoScaling")
        .send()
        .await
        .expect("delete");
    let task_id = task.deletion_task_id().to_string();
    assert!(task_id.starts_with(
        "task/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling/"
    ));
    let status = iam
        .get_service_linked_role_deletion_status()
        .deletion_task_id(&task_id)
        .send()
        .await
        .expect("status");
    assert_eq!(status.status().as_str(), "SUCCEEDED");
    let e = iam
        .get_role()
        .role_name("AWSServiceRoleForAutoScaling")
        .send()
        .await
        .expect_err("gone");
    assert_eq!(error_of(&e).0, "NoSuchEntity");
    s.stop().await;
}

#[tokio::test]
async fn role_operations_are_enforced_with_pass_role() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (akid, secret) = user_with_key(&s, "dev").await;
    let dev = s.iam_as(&akid, &secret);
    let e = dev
        .create_role()
        .role_name("r")
        .assume_role_policy_document(TRUST_EC2)
        .send()
        .await
        .expect_err("no policy");
    assert_eq!(error_of(&e).0, "AccessDenied");
    assert!(error_of(&e)
        .1
        .contains("is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role/r"));

    iam.put_user_policy()
        .user_name("dev")
        .policy_name("roles")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateRole","iam:CreateInstanceProfile","iam:AddRoleToInstanceProfile","iam:GetRole","iam:TagRole"],"Resource":"*"},{"Effect":"Deny","Action":"iam:TagRole","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["owner"]}}}]}"#,
        )
        .send()
        .await
        .expect("policy");
    dev.create_role()
        .role_name("r")
        .assume_role_policy_document(TRUST_EC2)
        .send()
        .await
        .expect("allowed");
    dev.create_instance_profile()
        .instance_profile_name("p")
        .send()
        .await
        .expect("allowed");
    let e = dev
        .add_role_to_instance_profile()
        .instance_profile_name("p")
        .role_name("r")
        .send()
        .await
        .expect_err("PassRole missing");
    assert!(
        error_of(&e).1.contains("iam:PassRole"),
        "{}",
        error_of(&e).1
    );
    let tag = |k: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value("v")
            .build()
            .expect("tag")
    };
    dev.tag_role()
        .role_name("r")
        .tags(tag("team"))
        .send()
        .await
        .expect("tag allowed");
    let e = dev
        .tag_role()
        .role_name("r")
        .tags(tag("owner"))
        .send()
        .await
        .expect_err("denied by aws:TagKeys");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.stop().await;
}
