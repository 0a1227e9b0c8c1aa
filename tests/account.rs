//! The account-wide operations through the AWS SDK for Rust: account aliases,
//! GetAccountSummary, ListEntitiesForPolicy and GetAccountAuthorizationDetails.

mod common;

use aws_sdk_iam::types::{EntityType, PolicyUsageType, SummaryKeyType};
use common::{error_of, user_with_key, TestServer};

const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const ALLOW_S3: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
const ALLOW_EC2: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;

#[tokio::test]
async fn an_account_has_one_alias_unique_across_accounts() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let none = iam.list_account_aliases().send().await.expect("list");
    assert!(none.account_aliases().is_empty());
    assert!(!none.is_truncated());

    iam.create_account_alias()
        .account_alias("first-alias")
        .send()
        .await
        .expect("create");
    iam.create_account_alias()
        .account_alias("first-alias")
        .send()
        .await
        .expect("the same alias again is accepted");
    // A second alias replaces the first.
    iam.create_account_alias()
        .account_alias("second-alias")
        .send()
        .await
        .expect("replace");
    let listed = iam.list_account_aliases().send().await.expect("list");
    assert_eq!(listed.account_aliases(), ["second-alias"]);

    let other = s.iam_as("111111111111", "test");
    let taken = other
        .create_account_alias()
        .account_alias("second-alias")
        .send()
        .await
        .expect_err("taken by another account");
    assert_eq!(
        error_of(&taken),
        (
            "EntityAlreadyExists".into(),
            "The account alias second-alias already exists.".into()
        )
    );
    other
        .create_account_alias()
        .account_alias("first-alias")
        .send()
        .await
        .expect("the replaced alias is free again");

    let bad = iam
        .create_account_alias()
        .account_alias("Bad--Alias")
        .send()
        .await
        .expect_err("pattern");
    assert_eq!(error_of(&bad).0, "ValidationError");

    let missing = iam
        .delete_account_alias()
        .account_alias("first-alias")
        .send()
        .await
        .expect_err("not this account's alias");
    assert_eq!(
        error_of(&missing),
        (
            "NoSuchEntity".into(),
            "The account alias first-alias cannot be found.".into()
        )
    );
    iam.delete_account_alias()
        .account_alias("second-alias")
        .send()
        .await
        .expect("delete");
    let after = iam.list_account_aliases().send().await.expect("list");
    assert!(after.account_aliases().is_empty());
    s.stop().await;
}

#[tokio::test]
async fn the_account_summary_counts_live_entities() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let summary = iam.get_account_summary().send().await.expect("summary");
    let map = summary.summary_map().expect("map");
    for key in [
        "Users",
        "UsersQuota",
        "Groups",
        "GroupsQuota",
        "ServerCertificates",
        "ServerCertificatesQuota",
        "UserPolicySizeQuota",
        "GroupPolicySizeQuota",
        "GroupsPerUserQuota",
        "SigningCertificatesPerUserQuota",
        "AccessKeysPerUserQuota",
        "MFADevices",
        "MFADevicesInUse",
        "AccountMFAEnabled",
        "AccountAccessKeysPresent",
        "AccountSigningCertificatesPresent",
        "AttachedPoliciesPerGroupQuota",
        "AttachedPoliciesPerRoleQuota",
        "AttachedPoliciesPerUserQuota",
        "Policies",
        "PoliciesQuota",
        "PolicySizeQuota",
        "PolicyVersionsInUse",
        "PolicyVersionsInUseQuota",
        "VersionsPerPolicyQuota",
        "GlobalEndpointTokenVersion",
        "AssumeRolePolicySizeQuota",
        "InstanceProfiles",
        "InstanceProfilesQuota",
        "Providers",
        "RolePolicySizeQuota",
        "Roles",
        "RolesQuota",
    ] {
        assert!(
            map.contains_key(&SummaryKeyType::from(key)),
            "{key} missing"
        );
    }
    assert_eq!(map.get(&SummaryKeyType::Users), Some(&0));
    assert_eq!(map.get(&SummaryKeyType::UsersQuota), Some(&5000));
    assert_eq!(map.get(&SummaryKeyType::PolicySizeQuota), Some(&6144));

    user_with_key(&s, "u1").await;
    iam.create_user()
        .user_name("u2")
        .send()
        .await
        .expect("user");
    iam.create_group()
        .group_name("g")
        .send()
        .await
        .expect("group");
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(TRUST_EC2)
        .send()
        .await
        .expect("role");
    iam.create_instance_profile()
        .instance_profile_name("p")
        .send()
        .await
        .expect("profile");
    let arn = iam
        .create_policy()
        .policy_name("pol")
        .policy_document(ALLOW_S3)
        .send()
        .await
        .expect("policy")
        .policy()
        .and_then(|p| p.arn())
        .expect("arn")
        .to_string();
    iam.create_policy_version()
        .policy_arn(&arn)
        .policy_document(ALLOW_EC2)
        .send()
        .await
        .expect("version");
    let summary = iam.get_account_summary().send().await.expect("summary");
    let map = summary.summary_map().expect("map");
    for (key, n) in [
        ("Users", 2),
        ("Groups", 1),
        ("Roles", 1),
        ("InstanceProfiles", 1),
        ("Policies", 1),
        ("PolicyVersionsInUse", 2),
    ] {
        assert_eq!(map.get(&SummaryKeyType::from(key)), Some(&n), "{key}");
    }
    // Another account sees its own counts.
    let other = s.iam_as("111111111111", "test");
    let theirs = other.get_account_summary().send().await.expect("summary");
    assert_eq!(
        theirs
            .summary_map()
            .and_then(|m| m.get(&SummaryKeyType::Users)),
        Some(&0)
    );
    s.stop().await;
}

/// Two users, a group and two roles using one local policy in different ways.
async fn policy_users(s: &TestServer) -> String {
    let iam = s.iam();
    let arn = iam
        .create_policy()
        .policy_name("shared")
        .policy_document(ALLOW_S3)
        .send()
        .await
        .expect("policy")
        .policy()
        .and_then(|p| p.arn())
        .expect("arn")
        .to_string();
    for (name, path) in [("alice", "/"), ("bob", "/team/")] {
        iam.create_user()
            .user_name(name)
            .path(path)
            .send()
            .await
            .expect("user");
    }
    iam.attach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .expect("attach");
    iam.put_user_permissions_boundary()
        .user_name("bob")
        .permissions_boundary(&arn)
        .send()
        .await
        .expect("boundary");
    iam.create_group()
        .group_name("devs")
        .send()
        .await
        .expect("group");
    iam.attach_group_policy()
        .group_name("devs")
        .policy_arn(&arn)
        .send()
        .await
        .expect("attach");
    for name in ["r1", "r2"] {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(TRUST_EC2)
            .send()
            .await
            .expect("role");
        iam.attach_role_policy()
            .role_name(name)
            .policy_arn(&arn)
            .send()
            .await
            .expect("attach");
    }
    arn
}

#[tokio::test]
async fn entities_for_a_policy_are_listed_filtered_and_paged() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let arn = policy_users(&s).await;

    let all = iam
        .list_entities_for_policy()
        .policy_arn(&arn)
        .send()
        .await
        .expect("list");
    let names = |v: Vec<Option<&str>>| {
        v.into_iter()
            .flatten()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(all.policy_groups().iter().map(|g| g.group_name()).collect()),
        ["devs"]
    );
    assert_eq!(
        names(all.policy_users().iter().map(|u| u.user_name()).collect()),
        ["alice", "bob"]
    );
    assert_eq!(
        names(all.policy_roles().iter().map(|r| r.role_name()).collect()),
        ["r1", "r2"]
    );
    assert!(all.policy_users()[0]
        .user_id()
        .is_some_and(|id| id.starts_with("AIDA")));

    let attached_only = iam
        .list_entities_for_policy()
        .policy_arn(&arn)
        .policy_usage_filter(PolicyUsageType::PermissionsPolicy)
        .entity_filter(EntityType::User)
        .send()
        .await
        .expect("list");
    assert_eq!(
        names(
            attached_only
                .policy_users()
                .iter()
                .map(|u| u.user_name())
                .collect()
        ),
        ["alice"]
    );
    assert!(attached_only.policy_roles().is_empty());
    let boundary_only = iam
        .list_entities_for_policy()
        .policy_arn(&arn)
        .policy_usage_filter(PolicyUsageType::PermissionsBoundary)
        .send()
        .await
        .expect("list");
    assert_eq!(
        names(
            boundary_only
                .policy_users()
                .iter()
                .map(|u| u.user_name())
                .collect()
        ),
        ["bob"]
    );
    assert!(boundary_only.policy_groups().is_empty());
    let under_team = iam
        .list_entities_for_policy()
        .policy_arn(&arn)
        .path_prefix("/team/")
        .send()
        .await
        .expect("list");
    assert_eq!(
        names(
            under_team
                .policy_users()
                .iter()
                .map(|u| u.user_name())
                .collect()
        ),
        ["bob"]
    );
    assert!(under_team.policy_roles().is_empty());

    // GetPolicy counts both uses.
    let got = iam.get_policy().policy_arn(&arn).send().await.expect("get");
    let got = got.policy().expect("policy");
    assert_eq!(
        (
            got.attachment_count(),
            got.permissions_boundary_usage_count()
        ),
        (Some(4), Some(1))
    );

    // MaxItems=1 walks the five entities one by one.
    let mut seen = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_entities_for_policy()
            .policy_arn(&arn)
            .max_items(1)
            .set_marker(marker)
            .send()
            .await
            .expect("page");
        let n = page.policy_groups().len() + page.policy_users().len() + page.policy_roles().len();
        assert_eq!(n, 1);
        seen.extend(
            page.policy_groups()
                .iter()
                .filter_map(|g| g.group_name())
                .map(str::to_string),
        );
        seen.extend(
            page.policy_users()
                .iter()
                .filter_map(|u| u.user_name())
                .map(str::to_string),
        );
        seen.extend(
            page.policy_roles()
                .iter()
                .filter_map(|r| r.role_name())
                .map(str::to_string),
        );
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(seen, ["devs", "alice", "bob", "r1", "r2"]);

    let aws = iam
        .list_entities_for_policy()
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .expect("an unattached AWS policy");
    assert!(aws.policy_users().is_empty());

    let missing = iam
        .list_entities_for_policy()
        .policy_arn("arn:aws:iam::000000000000:policy/nope")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(
        error_of(&missing),
        (
            "NoSuchEntity".into(),
            "Policy arn:aws:iam::000000000000:policy/nope was not found.".into()
        )
    );
    let bad = iam
        .list_entities_for_policy()
        .policy_arn("not-an-arn")
        .send()
        .await
        .expect_err("bad arn");
    assert_eq!(error_of(&bad).0, "ValidationError");
    s.stop().await;
}

#[tokio::test]
async fn authorization_details_show_everything_and_page_across_lists() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let arn = policy_users(&s).await;
    iam.create_policy_version()
        .policy_arn(&arn)
        .policy_document(ALLOW_EC2)
        .set_as_default(true)
        .send()
        .await
        .expect("v2");
    iam.put_user_policy()
        .user_name("alice")
        .policy_name("inline")
        .policy_document(ALLOW_EC2)
        .send()
        .await
        .expect("inline");
    iam.add_user_to_group()
        .group_name("devs")
        .user_name("alice")
        .send()
        .await
        .expect("member");
    iam.attach_role_policy()
        .role_name("r1")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .expect("attach AWS policy");
    iam.create_instance_profile()
        .instance_profile_name("prof")
        .send()
        .await
        .expect("profile");
    iam.add_role_to_instance_profile()
        .instance_profile_name("prof")
        .role_name("r1")
        .send()
        .await
        .expect("add role");

    let all = iam
        .get_account_authorization_details()
        .send()
        .await
        .expect("details");
    assert!(!all.is_truncated());
    let alice = all
        .user_detail_list()
        .iter()
        .find(|u| u.user_name() == Some("alice"))
        .expect("alice");
    assert_eq!(alice.group_list(), ["devs"]);
    assert_eq!(alice.user_policy_list()[0].policy_name(), Some("inline"));
    assert!(alice.user_policy_list()[0]
        .policy_document()
        .expect("doc")
        .contains("%22ec2%3A*%22"));
    assert_eq!(
        alice.attached_managed_policies()[0].policy_name(),
        Some("shared")
    );
    let bob = all
        .user_detail_list()
        .iter()
        .find(|u| u.user_name() == Some("bob"))
        .expect("bob");
    assert_eq!(
        bob.permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn()),
        Some(arn.as_str())
    );
    assert_eq!(all.group_detail_list().len(), 1);
    let r1 = all
        .role_detail_list()
        .iter()
        .find(|r| r.role_name() == Some("r1"))
        .expect("r1");
    assert_eq!(
        r1.instance_profile_list()[0].instance_profile_name(),
        "prof"
    );
    assert_eq!(r1.attached_managed_policies().len(), 2);
    assert!(r1
        .assume_role_policy_document()
        .expect("trust")
        .contains("sts%3AAssumeRole"));
    // The local policy with both versions, and the one AWS policy in use (only used ones are
    // listed).
    let names: Vec<_> = all
        .policies()
        .iter()
        .filter_map(|p| p.policy_name())
        .collect();
    assert_eq!(names, ["ReadOnlyAccess", "shared"]);
    let shared = &all.policies()[1];
    assert_eq!(shared.default_version_id(), Some("v2"));
    assert_eq!(shared.attachment_count(), Some(4));
    assert_eq!(shared.permissions_boundary_usage_count(), Some(1));
    let versions = shared.policy_version_list();
    assert_eq!(versions.len(), 2);
    assert!(versions
        .iter()
        .any(|v| v.version_id() == Some("v2") && v.is_default_version()));

    let roles_only = iam
        .get_account_authorization_details()
        .filter(EntityType::Role)
        .send()
        .await
        .expect("roles only");
    assert_eq!(roles_only.role_detail_list().len(), 2);
    assert!(roles_only.user_detail_list().is_empty());
    assert!(roles_only.policies().is_empty());

    // MaxItems=1 pages across the four lists: 2 users, 1 group, 2 roles, 2 policies.
    let mut count = 0;
    let mut pages = 0;
    let mut marker = None;
    loop {
        let page = iam
            .get_account_authorization_details()
            .max_items(1)
            .set_marker(marker)
            .send()
            .await
            .expect("page");
        pages += 1;
        count += page.user_detail_list().len()
            + page.group_detail_list().len()
            + page.role_detail_list().len()
            + page.policies().len();
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!((count, pages), (7, 7));

    let bad = iam
        .get_account_authorization_details()
        .marker("%%%")
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
async fn account_operations_are_enforced() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "nobody").await;
    let user = s.iam_as(&key, &secret);
    let denied = |e: (String, String), action: &str| {
        assert_eq!(e.0, "AccessDenied", "{action}");
        assert!(
            e.1.contains(&format!("is not authorized to perform: iam:{action}")),
            "{}",
            e.1
        );
    };
    denied(
        error_of(
            &user
                .create_account_alias()
                .account_alias("nope-alias")
                .send()
                .await
                .expect_err("denied"),
        ),
        "CreateAccountAlias",
    );
    denied(
        error_of(
            &user
                .delete_account_alias()
                .account_alias("nope-alias")
                .send()
                .await
                .expect_err("denied"),
        ),
        "DeleteAccountAlias",
    );
    denied(
        error_of(
            &user
                .list_account_aliases()
                .send()
                .await
                .expect_err("denied"),
        ),
        "ListAccountAliases",
    );
    denied(
        error_of(&user.get_account_summary().send().await.expect_err("denied")),
        "GetAccountSummary",
    );
    denied(
        error_of(
            &user
                .get_account_authorization_details()
                .send()
                .await
                .expect_err("denied"),
        ),
        "GetAccountAuthorizationDetails",
    );
    denied(
        error_of(
            &user
                .list_entities_for_policy()
                .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .send()
                .await
                .expect_err("denied"),
        ),
        "ListEntitiesForPolicy",
    );
    // IAMReadOnlyAccess grants the reads.
    s.iam()
        .attach_user_policy()
        .user_name("nobody")
        .policy_arn("arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .send()
        .await
        .expect("attach");
    user.get_account_summary()
        .send()
        .await
        .expect("allowed now");
    user.get_account_authorization_details()
        .send()
        .await
        .expect("allowed now");
    s.stop().await;
}

#[tokio::test]
async fn aws_managed_policies_ship_and_load_from_a_directory() {
    let dir = std::env::temp_dir().join(format!("iamlocal-aws-policies-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("MyOrgReadOnly.json"),
        r#"{"PolicyName":"MyOrgReadOnly","Path":"/job-function/","DefaultVersionId":"v3","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List*","Resource":"*"}]}}"#,
    )
    .expect("write");
    std::fs::write(dir.join("notes.txt"), "not a policy").expect("write");
    let mut config = iamlocal::config::Config::for_tests();
    config.aws_managed_policies = Some(dir.clone());
    let s = TestServer::start_with(config).await;
    let iam = s.iam();

    let read_only = iam
        .get_policy()
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .expect("ReadOnlyAccess ships");
    let version = read_only
        .policy()
        .and_then(|p| p.default_version_id())
        .expect("version")
        .to_string();
    let doc = iam
        .get_policy_version()
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .version_id(&version)
        .send()
        .await
        .expect("document");
    assert!(doc
        .policy_version()
        .and_then(|v| v.document())
        .expect("doc")
        .contains("s3%3AGet*"));
    iam.get_policy()
        .policy_arn("arn:aws:iam::aws:policy/PowerUserAccess")
        .send()
        .await
        .expect("PowerUserAccess ships");

    let arn = "arn:aws:iam::aws:policy/job-function/MyOrgReadOnly";
    let loaded = iam
        .get_policy()
        .policy_arn(arn)
        .send()
        .await
        .expect("loaded");
    assert_eq!(
        loaded.policy().and_then(|p| p.default_version_id()),
        Some("v3")
    );
    let id = loaded.policy().and_then(|p| p.policy_id()).expect("id");
    assert!(id.starts_with("ANPA") && id.len() == 21, "{id}");
    let listed = iam
        .list_policies()
        .scope(aws_sdk_iam::types::PolicyScopeType::Aws)
        .path_prefix("/job-function/")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.policies().len(), 1);

    // A loaded policy grants what it says.
    let (key, secret) = user_with_key(&s, "lister").await;
    iam.attach_user_policy()
        .user_name("lister")
        .policy_arn(arn)
        .send()
        .await
        .expect("attach");
    let entities = iam
        .list_entities_for_policy()
        .policy_arn(arn)
        .send()
        .await
        .expect("entities");
    assert_eq!(entities.policy_users().len(), 1);
    let user = s.iam_as(&key, &secret);
    let e = user.list_users().send().await.expect_err("s3 only");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.stop().await;

    // A malformed file stops the server from starting.
    std::fs::write(dir.join("Broken.json"), "{").expect("write");
    let mut config = iamlocal::config::Config::for_tests();
    config.aws_managed_policies = Some(dir.clone());
    let err = iamlocal::app::App::new(config, iamlocal::clock::Clock::default())
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("Broken.json"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn list_policies_filters_by_use_and_delete_policy_refuses_a_boundary() {
    let s = TestServer::start().await;
    let iam = s.iam();
    policy_users(&s).await; // "shared": attached, and bob's boundary
    let mut arns = Vec::new();
    for name in ["boundary-only", "unused"] {
        arns.push(
            iam.create_policy()
                .policy_name(name)
                .policy_document(ALLOW_EC2)
                .send()
                .await
                .expect("policy")
                .policy()
                .and_then(|p| p.arn())
                .expect("arn")
                .to_string(),
        );
    }
    iam.put_role_permissions_boundary()
        .role_name("r1")
        .permissions_boundary(&arns[0])
        .send()
        .await
        .expect("boundary");
    iam.put_user_permissions_boundary()
        .user_name("alice")
        .permissions_boundary("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .expect("aws-managed boundary");
    let listed = |usage: Option<PolicyUsageType>, only_attached: bool| {
        let iam = iam.clone();
        async move {
            let out = iam
                .list_policies()
                .set_policy_usage_filter(usage)
                .only_attached(only_attached)
                .send()
                .await
                .expect("list");
            out.policies()
                .iter()
                .filter_map(|p| p.policy_name())
                .map(str::to_string)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        listed(Some(PolicyUsageType::PermissionsPolicy), false).await,
        ["shared"]
    );
    assert_eq!(
        listed(Some(PolicyUsageType::PermissionsBoundary), false).await,
        ["ReadOnlyAccess", "boundary-only", "shared"]
    );
    assert_eq!(
        listed(Some(PolicyUsageType::PermissionsBoundary), true).await,
        ["shared"]
    );
    assert_eq!(listed(None, true).await, ["shared"]);

    let e = iam
        .delete_policy()
        .policy_arn(&arns[0])
        .send()
        .await
        .expect_err("used as r1's boundary");
    assert_eq!(
        error_of(&e),
        (
            "DeleteConflict".into(),
            "Cannot delete a policy attached to entities.".into()
        )
    );
    iam.delete_role_permissions_boundary()
        .role_name("r1")
        .send()
        .await
        .expect("remove boundary");
    for arn in &arns {
        iam.delete_policy()
            .policy_arn(arn)
            .send()
            .await
            .expect("unused now");
    }
    s.stop().await;
}
