//! Managed and inline policies, groups, and their enforcement, through the AWS SDK for Rust.

mod common;

use common::{error_of, user_with_key, TestServer};

const ALLOW_LIST_USERS: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"List","Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;

#[tokio::test]
async fn group_policy_allows_and_explicit_deny_wins() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (akid, secret) = user_with_key(&s, "alice").await;
    let alice = s.iam_as(&akid, &secret);
    assert_eq!(
        error_of(&alice.list_users().send().await.expect_err("no policy")).0,
        "AccessDenied"
    );

    iam.create_group()
        .group_name("readers")
        .send()
        .await
        .expect("group");
    iam.add_user_to_group()
        .group_name("readers")
        .user_name("alice")
        .send()
        .await
        .expect("member");
    iam.put_group_policy()
        .group_name("readers")
        .policy_name("list")
        .policy_document(ALLOW_LIST_USERS)
        .send()
        .await
        .expect("group policy");
    alice
        .list_users()
        .send()
        .await
        .expect("group policy allows");

    let created = iam
        .create_policy()
        .policy_name("no-list")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:List*","Resource":"*"}]}"#)
        .send()
        .await
        .expect("create policy");
    let arn = created
        .policy()
        .and_then(|p| p.arn())
        .expect("arn")
        .to_string();
    assert_eq!(arn, "arn:aws:iam::000000000000:policy/no-list");
    iam.attach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .expect("attach");
    let denied = alice.list_users().send().await.expect_err("explicit deny");
    assert_eq!(
        error_of(&denied),
        (
            "AccessDenied".into(),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ with an explicit deny in an identity-based policy".into()
        )
    );
    iam.detach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .expect("detach");
    alice.list_users().send().await.expect("allowed again");
    s.stop().await;
}

#[tokio::test]
async fn username_variable_scopes_a_user_to_its_own_keys() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (akid, secret) = user_with_key(&s, "alice").await;
    iam.create_user()
        .user_name("bob")
        .send()
        .await
        .expect("bob");
    iam.put_user_policy()
        .user_name("alice")
        .policy_name("own-keys")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListAccessKeys","iam:CreateAccessKey"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#)
        .send()
        .await
        .expect("inline");
    let alice = s.iam_as(&akid, &secret);
    let own = alice.list_access_keys().send().await.expect("own keys");
    assert_eq!(own.access_key_metadata().len(), 1);
    let other = alice
        .list_access_keys()
        .user_name("bob")
        .send()
        .await
        .expect_err("bob's keys");
    assert_eq!(error_of(&other).0, "AccessDenied");
    s.stop().await;
}

#[tokio::test]
async fn mfa_condition_with_if_exists_for_long_term_keys() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (akid, secret) = user_with_key(&s, "alice").await;
    // aws:MultiFactorAuthPresent is absent for long-term keys: BoolIfExists false matches,
    // a plain Bool does not.
    iam.put_user_policy()
        .user_name("alice")
        .policy_name("mfa")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"iam:*","Resource":"*"},
            {"Effect":"Deny","Action":"iam:ListUsers","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
            {"Effect":"Deny","Action":"iam:ListGroups","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"#)
        .send()
        .await
        .expect("inline");
    let alice = s.iam_as(&akid, &secret);
    assert_eq!(
        error_of(&alice.list_users().send().await.expect_err("denied")).0,
        "AccessDenied"
    );
    alice
        .list_groups()
        .send()
        .await
        .expect("plain Bool does not match an absent key");
    s.stop().await;
}

#[tokio::test]
async fn aws_managed_policies_attach_and_cannot_be_deleted() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (akid, secret) = user_with_key(&s, "admin").await;
    let admin_arn = "arn:aws:iam::aws:policy/AdministratorAccess";
    iam.attach_user_policy()
        .user_name("admin")
        .policy_arn(admin_arn)
        .send()
        .await
        .expect("attach");
    s.iam_as(&akid, &secret)
        .create_user()
        .user_name("made-by-admin")
        .send()
        .await
        .expect("admin may");
    let e = iam
        .delete_policy()
        .policy_arn(admin_arn)
        .send()
        .await
        .expect_err("aws policy");
    assert_eq!(
        error_of(&e),
        (
            "AccessDenied".into(),
            "Cannot delete policies outside your own account.".into()
        )
    );
    let listed = iam
        .list_attached_user_policies()
        .user_name("admin")
        .send()
        .await
        .expect("list");
    assert_eq!(
        listed.attached_policies()[0].policy_name(),
        Some("AdministratorAccess")
    );
    let e = iam
        .attach_user_policy()
        .user_name("admin")
        .policy_arn("arn:aws:iam::aws:policy/Nope")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.".into()
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn managed_policy_versions_follow_aws_rules() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let p = iam
        .create_policy()
        .policy_name("p")
        .path("/team/")
        .policy_document(ALLOW_LIST_USERS)
        .send()
        .await
        .expect("create");
    let p = p.policy().expect("policy");
    assert!(p
        .policy_id()
        .is_some_and(|id| id.starts_with("ANPA") && id.len() == 21));
    assert_eq!(p.default_version_id(), Some("v1"));
    let arn = p.arn().expect("arn").to_string();
    let dup = iam
        .create_policy()
        .policy_name("P")
        .policy_document(ALLOW_LIST_USERS)
        .send()
        .await
        .expect_err("dup");
    assert_eq!(
        error_of(&dup),
        (
            "EntityAlreadyExists".into(),
            "A policy called P already exists. Duplicate names are not allowed.".into()
        )
    );
    for _ in 0..4 {
        iam.create_policy_version()
            .policy_arn(&arn)
            .policy_document(ALLOW_LIST_USERS)
            .send()
            .await
            .expect("version");
    }
    let sixth = iam
        .create_policy_version()
        .policy_arn(&arn)
        .policy_document(ALLOW_LIST_USERS)
        .send()
        .await
        .expect_err("limit");
    assert_eq!(
        error_of(&sixth),
        ("LimitExceeded".into(), "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.".into())
    );
    let e = iam
        .delete_policy_version()
        .policy_arn(&arn)
        .version_id("v1")
        .send()
        .await
        .expect_err("default");
    assert_eq!(
        error_of(&e),
        (
            "DeleteConflict".into(),
            "Cannot delete the default version of a policy.".into()
        )
    );
    iam.set_default_policy_version()
        .policy_arn(&arn)
        .version_id("v3")
        .send()
        .await
        .expect("set default");
    iam.delete_policy_version()
        .policy_arn(&arn)
        .version_id("v1")
        .send()
        .await
        .expect("delete v1");
    let versions = iam
        .list_policy_versions()
        .policy_arn(&arn)
        .send()
        .await
        .expect("versions");
    let ids: Vec<_> = versions
        .versions()
        .iter()
        .filter_map(|v| v.version_id())
        .collect();
    assert_eq!(ids, vec!["v5", "v4", "v3", "v2"]);
    let v = iam
        .get_policy_version()
        .policy_arn(&arn)
        .version_id("v3")
        .send()
        .await
        .expect("get version");
    let v = v.policy_version().expect("version");
    assert!(v.is_default_version());
    // Documents come back URL-encoded, %20 never +.
    assert!(
        v.document()
            .is_some_and(|d| d.starts_with("%7B%22Version%22%3A%222012-10-17%22")),
        "{:?}",
        v.document()
    );
    let e = iam
        .get_policy_version()
        .policy_arn(&arn)
        .version_id("v9")
        .send()
        .await
        .expect_err("v9");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            format!("Policy {arn} version v9 does not exist or is not attachable.")
        )
    );

    iam.create_user().user_name("u").send().await.expect("user");
    iam.attach_user_policy()
        .user_name("u")
        .policy_arn(&arn)
        .send()
        .await
        .expect("attach");
    let e = iam
        .delete_policy()
        .policy_arn(&arn)
        .send()
        .await
        .expect_err("attached");
    assert_eq!(
        error_of(&e),
        (
            "DeleteConflict".into(),
            "Cannot delete a policy attached to entities.".into()
        )
    );
    let e = iam
        .delete_user()
        .user_name("u")
        .send()
        .await
        .expect_err("attached");
    assert_eq!(
        error_of(&e),
        (
            "DeleteConflict".into(),
            "Cannot delete entity, must detach all policies first.".into()
        )
    );
    let got = iam.get_policy().policy_arn(&arn).send().await.expect("get");
    assert_eq!(got.policy().and_then(|p| p.attachment_count()), Some(1));
    iam.detach_user_policy()
        .user_name("u")
        .policy_arn(&arn)
        .send()
        .await
        .expect("detach");
    let e = iam
        .detach_user_policy()
        .user_name("u")
        .policy_arn(&arn)
        .send()
        .await
        .expect_err("not attached");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            format!("Policy {arn} was not found.")
        )
    );
    iam.delete_policy()
        .policy_arn(&arn)
        .send()
        .await
        .expect("delete");
    let e = iam
        .get_policy()
        .policy_arn(&arn)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            format!("Policy {arn} was not found.")
        )
    );
    let e = iam
        .get_policy()
        .policy_arn("longpolicynamebutnoarn")
        .send()
        .await
        .expect_err("invalid");
    assert_eq!(
        error_of(&e),
        (
            "ValidationError".into(),
            "ARN longpolicynamebutnoarn is not valid.".into()
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn malformed_documents_and_quotas() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let e = iam.create_policy().policy_name("bad").policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3GetObject","Resource":"*"}]}"#).send().await.expect_err("bad");
    assert_eq!(
        error_of(&e),
        (
            "MalformedPolicyDocument".into(),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.".into()
        )
    );
    iam.create_user().user_name("u").send().await.expect("user");
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{}"}}]}}"#,
        "b".repeat(2100)
    );
    let e = iam
        .put_user_policy()
        .user_name("u")
        .policy_name("big")
        .policy_document(&big)
        .send()
        .await
        .expect_err("too big");
    assert_eq!(
        error_of(&e),
        (
            "LimitExceeded".into(),
            "Maximum policy size of 2048 bytes exceeded for user u".into()
        )
    );
    for i in 0..10 {
        let name = format!("p{i}");
        iam.create_policy()
            .policy_name(&name)
            .policy_document(ALLOW_LIST_USERS)
            .send()
            .await
            .expect("create");
        iam.attach_user_policy()
            .user_name("u")
            .policy_arn(format!("arn:aws:iam::000000000000:policy/{name}"))
            .send()
            .await
            .expect("attach");
    }
    let e = iam
        .attach_user_policy()
        .user_name("u")
        .policy_arn("arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .send()
        .await
        .expect_err("quota");
    assert_eq!(
        error_of(&e),
        (
            "LimitExceeded".into(),
            "Cannot exceed quota for PoliciesPerUser: 10".into()
        )
    );
    let page = iam
        .list_attached_user_policies()
        .user_name("u")
        .max_items(3)
        .send()
        .await
        .expect("page");
    assert_eq!(page.attached_policies().len(), 3);
    assert!(page.is_truncated());
    let rest = iam
        .list_attached_user_policies()
        .user_name("u")
        .marker(page.marker().unwrap_or_default())
        .send()
        .await
        .expect("rest");
    assert_eq!(rest.attached_policies().len(), 7);
    s.stop().await;
}

#[tokio::test]
async fn groups_lifecycle_and_conflicts() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let g = iam
        .create_group()
        .group_name("devs")
        .path("/eng/")
        .send()
        .await
        .expect("group");
    let g = g.group().expect("group");
    assert!(g.group_id().starts_with("AGPA"));
    assert_eq!(g.arn(), "arn:aws:iam::000000000000:group/eng/devs");
    let dup = iam
        .create_group()
        .group_name("DEVS")
        .send()
        .await
        .expect_err("dup");
    assert_eq!(
        error_of(&dup),
        (
            "EntityAlreadyExists".into(),
            "Group with name DEVS already exists.".into()
        )
    );
    for u in ["a", "b", "c"] {
        iam.create_user().user_name(u).send().await.expect("user");
        iam.add_user_to_group()
            .group_name("devs")
            .user_name(u)
            .send()
            .await
            .expect("add");
    }
    let mut members = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .get_group()
            .group_name("devs")
            .max_items(1)
            .set_marker(marker.clone())
            .send()
            .await
            .expect("page");
        members.extend(page.users().iter().map(|u| u.user_name().to_string()));
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(String::from);
    }
    assert_eq!(members, vec!["a", "b", "c"]);
    let e = iam
        .delete_group()
        .group_name("devs")
        .send()
        .await
        .expect_err("members");
    assert_eq!(
        error_of(&e),
        (
            "DeleteConflict".into(),
            "Cannot delete entity, must remove users from group first.".into()
        )
    );
    let e = iam
        .delete_user()
        .user_name("a")
        .send()
        .await
        .expect_err("in group");
    assert_eq!(error_of(&e).0, "DeleteConflict");
    let for_user = iam
        .list_groups_for_user()
        .user_name("a")
        .send()
        .await
        .expect("groups");
    assert_eq!(for_user.groups()[0].group_name(), "devs");
    for u in ["a", "b", "c"] {
        iam.remove_user_from_group()
            .group_name("devs")
            .user_name(u)
            .send()
            .await
            .expect("remove");
    }
    for i in 0..10 {
        iam.create_group()
            .group_name(format!("g{i}"))
            .send()
            .await
            .expect("group");
        iam.add_user_to_group()
            .group_name(format!("g{i}"))
            .user_name("a")
            .send()
            .await
            .expect("add");
    }
    let e = iam
        .add_user_to_group()
        .group_name("devs")
        .user_name("a")
        .send()
        .await
        .expect_err("quota");
    assert_eq!(
        error_of(&e),
        (
            "LimitExceeded".into(),
            "Cannot exceed quota for GroupsPerUser: 10".into()
        )
    );
    iam.delete_group()
        .group_name("devs")
        .send()
        .await
        .expect("delete");
    let e = iam
        .get_group()
        .group_name("devs")
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            "The group with name devs cannot be found.".into()
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn a_permissions_boundary_limits_what_policies_allow() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (akid, secret) = user_with_key(&s, "alice").await;
    iam.attach_user_policy()
        .user_name("alice")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .expect("admin");
    let boundary = iam
        .create_policy()
        .policy_name("boundary")
        .policy_document(ALLOW_LIST_USERS)
        .send()
        .await
        .expect("boundary");
    let boundary_arn = boundary
        .policy()
        .and_then(|p| p.arn())
        .expect("arn")
        .to_string();
    iam.put_user_permissions_boundary()
        .user_name("alice")
        .permissions_boundary(&boundary_arn)
        .send()
        .await
        .expect("put boundary");
    let got = iam.get_user().user_name("alice").send().await.expect("get");
    assert_eq!(
        got.user()
            .and_then(|u| u.permissions_boundary())
            .and_then(|b| b.permissions_boundary_arn()),
        Some(boundary_arn.as_str())
    );
    let alice = s.iam_as(&akid, &secret);
    alice
        .list_users()
        .send()
        .await
        .expect("inside the boundary");
    let denied = alice
        .list_groups()
        .send()
        .await
        .expect_err("outside the boundary");
    assert_eq!(
        error_of(&denied).1,
        "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: iam:ListGroups on resource: arn:aws:iam::000000000000:group/ because no permissions boundary allows the iam:ListGroups action"
    );
    iam.delete_user_permissions_boundary()
        .user_name("alice")
        .send()
        .await
        .expect("delete boundary");
    alice
        .list_groups()
        .send()
        .await
        .expect("no boundary any more");
    let e = iam
        .create_user()
        .user_name("bob")
        .permissions_boundary("arn:aws:iam::000000000000:policy/missing")
        .send()
        .await
        .expect_err("missing boundary");
    assert_eq!(
        error_of(&e),
        ("NoSuchEntity".into(), "Scope ARN: arn:aws:iam::000000000000:policy/missing does not exist or is not attachable.".into())
    );
    s.stop().await;
}

#[tokio::test]
async fn the_simulator_explains_decisions_with_the_enforcing_engine() {
    use aws_sdk_iam::types::{ContextEntry, ContextKeyTypeEnum};
    let s = TestServer::start().await;
    let iam = s.iam();
    user_with_key(&s, "sim").await;
    iam.put_user_policy()
        .user_name("sim")
        .policy_name("mixed")
        .policy_document(
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"List\", \"Effect\": \"Allow\", \"Action\": \"iam:List*\", \"Resource\": \"*\"},\n    {\"Sid\": \"NoGroups\", \"Effect\": \"Deny\", \"Action\": \"iam:ListGroups\", \"Resource\": \"*\"},\n    {\"Sid\": \"Mfa\", \"Effect\": \"Allow\", \"Action\": \"iam:CreateUser\", \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}}\n  ]\n}",
        )
        .send()
        .await
        .expect("policy");
    let out = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/sim")
        .action_names("iam:ListUsers")
        .action_names("iam:ListGroups")
        .action_names("iam:CreateUser")
        .send()
        .await
        .expect("simulate");
    let results = out.evaluation_results();
    let decisions: Vec<_> = results
        .iter()
        .map(|r| (r.eval_action_name(), r.eval_decision().as_str()))
        .collect();
    assert_eq!(
        decisions,
        [
            ("iam:ListUsers", "allowed"),
            ("iam:ListGroups", "explicitDeny"),
            ("iam:CreateUser", "implicitDeny")
        ]
    );
    let allow = &results[0].matched_statements()[0];
    assert_eq!(allow.source_policy_id(), Some("mixed"));
    assert_eq!(allow.source_policy_type().map(|t| t.as_str()), Some("user"));
    let start = allow.start_position().expect("start");
    assert_eq!((start.line(), start.column()), (4, 5));
    assert_eq!(
        results[2].missing_context_values(),
        ["aws:MultiFactorAuthPresent"]
    );

    // The same action with the missing value supplied, and MaxItems=1 paging.
    let page = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/sim")
        .action_names("iam:CreateUser")
        .action_names("iam:ListUsers")
        .context_entries(
            ContextEntry::builder()
                .context_key_name("aws:MultiFactorAuthPresent")
                .context_key_values("true")
                .context_key_type(ContextKeyTypeEnum::Boolean)
                .build(),
        )
        .max_items(1)
        .send()
        .await
        .expect("page 1");
    assert!(page.is_truncated());
    assert_eq!(
        page.evaluation_results()[0].eval_decision().as_str(),
        "allowed"
    );
    let next = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/sim")
        .action_names("iam:CreateUser")
        .action_names("iam:ListUsers")
        .max_items(1)
        .marker(page.marker().expect("marker"))
        .send()
        .await
        .expect("page 2");
    assert!(!next.is_truncated());
    assert_eq!(
        next.evaluation_results()[0].eval_action_name(),
        "iam:ListUsers"
    );

    let custom = iam
        .simulate_custom_policy()
        .policy_input_list(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}"#)
        .permissions_boundary_policy_input_list(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#)
        .action_names("s3:GetObject")
        .resource_arns("arn:aws:s3:::b/ann/x")
        .resource_arns("arn:aws:s3:::b/bob/x")
        .context_entries(
            ContextEntry::builder()
                .context_key_name("aws:username")
                .context_key_values("ann")
                .context_key_type(ContextKeyTypeEnum::String)
                .build(),
        )
        .send()
        .await
        .expect("custom");
    let r = custom.evaluation_results();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].eval_decision().as_str(), "allowed");
    assert_eq!(r[1].eval_decision().as_str(), "implicitDeny");
    assert_eq!(
        r[0].permissions_boundary_decision_detail()
            .map(|d| d.allowed_by_permissions_boundary()),
        Some(true)
    );

    let keys = iam
        .get_context_keys_for_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/sim")
        .send()
        .await
        .expect("keys");
    assert_eq!(keys.context_key_names(), ["aws:MultiFactorAuthPresent"]);
    let e = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/ghost")
        .action_names("iam:ListUsers")
        .send()
        .await
        .expect_err("no such user");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            "The user with name ghost cannot be found.".into()
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn managed_policies_carry_tags() {
    use aws_sdk_iam::types::Tag;
    let s = TestServer::start().await;
    let iam = s.iam();
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().expect("tag");
    let created = iam
        .create_policy()
        .policy_name("tagged")
        .policy_document(ALLOW_LIST_USERS)
        .tags(tag("team", "a"))
        .send()
        .await
        .expect("create");
    let arn = created
        .policy()
        .and_then(|p| p.arn())
        .expect("arn")
        .to_string();
    assert_eq!(created.policy().map(|p| p.tags().len()), Some(1));
    iam.tag_policy()
        .policy_arn(&arn)
        .tags(tag("env", "dev"))
        .send()
        .await
        .expect("tag");
    let page = iam
        .list_policy_tags()
        .policy_arn(&arn)
        .max_items(1)
        .send()
        .await
        .expect("page");
    assert!(page.is_truncated());
    assert_eq!(page.tags()[0].key(), "team");
    iam.untag_policy()
        .policy_arn(&arn)
        .tag_keys("TEAM")
        .send()
        .await
        .expect("untag");
    let got = iam.get_policy().policy_arn(&arn).send().await.expect("get");
    let keys: Vec<_> = got
        .policy()
        .map(|p| p.tags().iter().map(|t| t.key().to_string()).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["env"]);
    let e = iam
        .tag_policy()
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .tags(tag("x", "y"))
        .send()
        .await
        .expect_err("AWS's own policy");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.stop().await;
}
