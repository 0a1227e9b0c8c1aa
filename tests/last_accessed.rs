//! Service last accessed through the AWS SDK for Rust: GenerateServiceLastAccessedDetails,
//! GetServiceLastAccessedDetails and GetServiceLastAccessedDetailsWithEntities, from the calls
//! the server has seen.

mod common;

use aws_sdk_iam::operation::get_service_last_accessed_details::GetServiceLastAccessedDetailsOutput;
use aws_sdk_iam::operation::get_service_last_accessed_details_with_entities::GetServiceLastAccessedDetailsWithEntitiesOutput;
use aws_sdk_iam::types::{AccessAdvisorUsageGranularityType, JobStatusType, PolicyOwnerEntityType};
use common::{error_of, user_with_key, TestServer};

const ALLOW_IAM_AND_S3_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","s3:GetObject"],"Resource":"*"}]}"#;
const ALLOW_IAM_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}"#;
const TRUST_ROOT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;

async fn put_user_policy(s: &TestServer, user: &str, document: &str) {
    s.iam()
        .put_user_policy()
        .user_name(user)
        .policy_name("p")
        .policy_document(document)
        .send()
        .await
        .expect("put user policy");
}

async fn generate(
    s: &TestServer,
    arn: &str,
    granularity: Option<AccessAdvisorUsageGranularityType>,
) -> String {
    s.iam()
        .generate_service_last_accessed_details()
        .arn(arn)
        .set_granularity(granularity)
        .send()
        .await
        .expect("generate")
        .job_id()
        .expect("job id")
        .to_string()
}

async fn details(s: &TestServer, job_id: &str) -> GetServiceLastAccessedDetailsOutput {
    s.iam()
        .get_service_last_accessed_details()
        .job_id(job_id)
        .send()
        .await
        .expect("get")
}

async fn with_entities(
    s: &TestServer,
    job_id: &str,
    max_items: Option<i32>,
    marker: Option<&str>,
) -> GetServiceLastAccessedDetailsWithEntitiesOutput {
    s.iam()
        .get_service_last_accessed_details_with_entities()
        .job_id(job_id)
        .service_namespace("iam")
        .set_max_items(max_items)
        .set_marker(marker.map(str::to_string))
        .send()
        .await
        .expect("with entities")
}

#[tokio::test]
async fn a_users_report_shows_the_services_it_used_and_those_it_did_not() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "alice").await;
    put_user_policy(&s, "alice", ALLOW_IAM_AND_S3_GET).await;
    s.iam_as(&key, &secret)
        .list_users()
        .send()
        .await
        .expect("alice lists users");

    let job_id = generate(&s, "arn:aws:iam::000000000000:user/alice", None).await;
    assert_eq!(job_id.len(), 36);
    let out = details(&s, &job_id).await;
    assert_eq!(out.job_status(), &JobStatusType::Completed);
    assert_eq!(
        out.job_type(),
        Some(&AccessAdvisorUsageGranularityType::ServiceLevel)
    );
    assert!(out.job_completion_date() >= out.job_creation_date());
    assert!(!out.is_truncated());
    let services = out.services_last_accessed();
    let namespaces: Vec<&str> = services.iter().map(|s| s.service_namespace()).collect();
    assert_eq!(namespaces, ["iam", "s3"], "sorted by namespace");

    let iam = &services[0];
    assert_eq!(iam.service_name(), "AWS Identity and Access Management");
    assert!(iam.last_authenticated().is_some());
    assert_eq!(
        iam.last_authenticated_entity(),
        Some("arn:aws:iam::000000000000:user/alice")
    );
    assert_eq!(iam.last_authenticated_region(), Some("us-east-1"));
    assert_eq!(iam.total_authenticated_entities(), Some(1));
    assert!(
        iam.tracked_actions_last_accessed().is_empty(),
        "SERVICE_LEVEL"
    );

    let s3 = &services[1];
    assert_eq!(s3.service_name(), "Amazon S3");
    assert!(s3.last_authenticated().is_none());
    assert!(s3.last_authenticated_entity().is_none());
    assert!(s3.last_authenticated_region().is_none());
    assert_eq!(s3.total_authenticated_entities(), Some(0));
    s.stop().await;
}

#[tokio::test]
async fn action_level_shows_the_tracked_iam_actions_used() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "alice").await;
    put_user_policy(&s, "alice", ALLOW_IAM_AND_S3_GET).await;
    let alice = s.iam_as(&key, &secret);
    alice.list_users().send().await.expect("list");
    alice
        .create_user()
        .user_name("bob")
        .send()
        .await
        .expect("create");

    let job_id = generate(
        &s,
        "arn:aws:iam::000000000000:user/alice",
        Some(AccessAdvisorUsageGranularityType::ActionLevel),
    )
    .await;
    let out = details(&s, &job_id).await;
    assert_eq!(
        out.job_type(),
        Some(&AccessAdvisorUsageGranularityType::ActionLevel)
    );
    let iam = &out.services_last_accessed()[0];
    let actions = iam.tracked_actions_last_accessed();
    // Reads (ListUsers) are not tracked actions; management actions are.
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0].action_name(), Some("CreateUser"));
    assert_eq!(
        actions[0].last_accessed_entity(),
        Some("arn:aws:iam::000000000000:user/alice")
    );
    assert_eq!(actions[0].last_accessed_region(), Some("us-east-1"));
    assert!(actions[0].last_accessed_time().is_some());
    let s3 = &out.services_last_accessed()[1];
    assert!(s3.tracked_actions_last_accessed().is_empty());
    s.stop().await;
}

#[tokio::test]
async fn a_groups_report_covers_its_members_and_lists_them() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_group()
        .group_name("devs")
        .send()
        .await
        .expect("group");
    iam.put_group_policy()
        .group_name("devs")
        .policy_name("list")
        .policy_document(ALLOW_IAM_LIST)
        .send()
        .await
        .expect("group policy");
    let (key, secret) = user_with_key(&s, "alice").await;
    user_with_key(&s, "carol").await;
    for user in ["alice", "carol"] {
        iam.add_user_to_group()
            .group_name("devs")
            .user_name(user)
            .send()
            .await
            .expect("add");
    }
    s.iam_as(&key, &secret)
        .list_users()
        .send()
        .await
        .expect("alice lists users");

    let job_id = generate(&s, "arn:aws:iam::000000000000:group/devs", None).await;
    let out = details(&s, &job_id).await;
    let services = out.services_last_accessed();
    assert_eq!(services.len(), 1, "the group's policies allow IAM only");
    assert_eq!(
        services[0].last_authenticated_entity(),
        Some("arn:aws:iam::000000000000:user/alice")
    );
    assert_eq!(services[0].total_authenticated_entities(), Some(1));

    let with = with_entities(&s, &job_id, None, None).await;
    assert_eq!(with.job_status(), &JobStatusType::Completed);
    let entities = with.entity_details_list();
    assert_eq!(entities.len(), 2);
    let first = entities[0].entity_info().expect("info");
    assert_eq!(first.name(), "alice");
    assert_eq!(first.r#type(), &PolicyOwnerEntityType::User);
    assert_eq!(first.arn(), "arn:aws:iam::000000000000:user/alice");
    assert_eq!(first.path(), Some("/"));
    assert!(first.id().starts_with("AIDA"));
    assert!(entities[0].last_authenticated().is_some());
    assert_eq!(entities[1].entity_info().map(|i| i.name()), Some("carol"));
    assert!(entities[1].last_authenticated().is_none());

    let paged = with_entities(&s, &job_id, Some(1), None).await;
    assert!(paged.is_truncated());
    let rest = with_entities(&s, &job_id, None, paged.marker()).await;
    assert_eq!(rest.entity_details_list().len(), 1);
    assert_eq!(
        rest.entity_details_list()[0]
            .entity_info()
            .map(|i| i.name()),
        Some("carol")
    );
    s.stop().await;
}

#[tokio::test]
async fn a_policys_report_covers_users_and_roles_it_is_attached_to() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let arn = iam
        .create_policy()
        .policy_name("ListIam")
        .policy_document(ALLOW_IAM_LIST)
        .send()
        .await
        .expect("policy")
        .policy()
        .and_then(|p| p.arn())
        .expect("arn")
        .to_string();
    let (key, secret) = user_with_key(&s, "dave").await;
    iam.attach_user_policy()
        .user_name("dave")
        .policy_arn(&arn)
        .send()
        .await
        .expect("attach to dave");
    iam.create_role()
        .role_name("reader")
        .assume_role_policy_document(TRUST_ROOT)
        .send()
        .await
        .expect("role");
    iam.attach_role_policy()
        .role_name("reader")
        .policy_arn(&arn)
        .send()
        .await
        .expect("attach to role");
    s.iam_as(&key, &secret)
        .list_roles()
        .send()
        .await
        .expect("dave lists roles");

    let job_id = generate(&s, &arn, None).await;
    let out = details(&s, &job_id).await;
    let services = out.services_last_accessed();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].service_namespace(), "iam");
    assert_eq!(
        services[0].last_authenticated_entity(),
        Some("arn:aws:iam::000000000000:user/dave")
    );
    let with = with_entities(&s, &job_id, None, None).await;
    let kinds: Vec<(&str, &PolicyOwnerEntityType)> = with
        .entity_details_list()
        .iter()
        .filter_map(|e| e.entity_info())
        .map(|i| (i.name(), i.r#type()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("dave", &PolicyOwnerEntityType::User),
            ("reader", &PolicyOwnerEntityType::Role)
        ]
    );
    s.stop().await;
}

#[tokio::test]
async fn a_roles_report_counts_its_sessions() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (key, secret) = user_with_key(&s, "alice").await;
    put_user_policy(
        &s,
        "alice",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
    )
    .await;
    iam.create_role()
        .role_name("ops")
        .assume_role_policy_document(TRUST_ROOT)
        .send()
        .await
        .expect("role");
    iam.put_role_policy()
        .role_name("ops")
        .policy_name("list")
        .policy_document(ALLOW_IAM_LIST)
        .send()
        .await
        .expect("role policy");
    let out = s
        .sts_as(&key, &secret)
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/ops")
        .role_session_name("night")
        .send()
        .await
        .expect("assume");
    let c = out.credentials().expect("credentials");
    s.iam_with(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
    .list_users()
    .send()
    .await
    .expect("the session lists users");

    let job_id = generate(&s, "arn:aws:iam::000000000000:role/ops", None).await;
    let report = details(&s, &job_id).await;
    let iam_entry = &report.services_last_accessed()[0];
    assert_eq!(iam_entry.service_namespace(), "iam");
    assert_eq!(
        iam_entry.last_authenticated_entity(),
        Some("arn:aws:iam::000000000000:role/ops")
    );
    s.stop().await;
}

#[tokio::test]
async fn a_policy_allowing_everything_lists_every_known_service_and_pages() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let job_id = generate(&s, "arn:aws:iam::aws:policy/AdministratorAccess", None).await;
    let all = details(&s, &job_id).await;
    let namespaces: Vec<&str> = all
        .services_last_accessed()
        .iter()
        .map(|s| s.service_namespace())
        .collect();
    assert!(namespaces.len() > 20);
    for ns in [
        "dynamodb", "ec2", "iam", "kms", "lambda", "logs", "s3", "sns", "sqs", "sts",
    ] {
        assert!(namespaces.contains(&ns), "{ns}");
    }
    let mut sorted = namespaces.clone();
    sorted.sort_unstable();
    assert_eq!(namespaces, sorted);

    let mut marker: Option<String> = None;
    let mut paged = Vec::new();
    loop {
        let page = iam
            .get_service_last_accessed_details()
            .job_id(&job_id)
            .max_items(1)
            .set_marker(marker.clone())
            .send()
            .await
            .expect("page");
        assert_eq!(page.services_last_accessed().len(), 1);
        paged.push(
            page.services_last_accessed()[0]
                .service_namespace()
                .to_string(),
        );
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(paged, namespaces);
    s.stop().await;
}

#[tokio::test]
async fn errors_for_bad_arns_unknown_entities_and_unknown_jobs() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let e = iam
        .generate_service_last_accessed_details()
        .arn("arn:aws:s3:::some-bucket-name")
        .send()
        .await
        .expect_err("not an IAM entity");
    assert_eq!(
        error_of(&e),
        (
            "InvalidInput".into(),
            "ARN arn:aws:s3:::some-bucket-name is not valid.".into()
        )
    );
    let e = iam
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::000000000000:user/ghost")
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
    let e = iam
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::000000000000:policy/Missing")
        .send()
        .await
        .expect_err("no such policy");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".into(),
            "Policy arn:aws:iam::000000000000:policy/Missing was not found.".into()
        )
    );
    let unknown = "00000000-0000-4000-8000-000000000000";
    let e = iam
        .get_service_last_accessed_details()
        .job_id(unknown)
        .send()
        .await
        .expect_err("unknown job");
    assert_eq!(error_of(&e).0, "InvalidInput");

    // A job is readable only by the principal that generated it.
    let (key, secret) = user_with_key(&s, "alice").await;
    put_user_policy(&s, "alice", ALLOW_IAM_AND_S3_GET).await;
    let job_id = generate(&s, "arn:aws:iam::000000000000:user/alice", None).await;
    let e = s
        .iam_as(&key, &secret)
        .get_service_last_accessed_details_with_entities()
        .job_id(&job_id)
        .service_namespace("iam")
        .send()
        .await
        .expect_err("another principal's job");
    assert_eq!(error_of(&e).0, "InvalidInput");
    s.stop().await;
}

#[tokio::test]
async fn generating_a_report_needs_permission_on_the_entity() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "alice").await;
    put_user_policy(&s, "alice", ALLOW_IAM_LIST).await;
    let e = s
        .iam_as(&key, &secret)
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::000000000000:user/alice")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(
        error_of(&e),
        (
            "AccessDenied".into(),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: iam:GenerateServiceLastAccessedDetails on resource: arn:aws:iam::000000000000:user/alice because no identity-based policy allows the iam:GenerateServiceLastAccessedDetails action".into()
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn recorded_access_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("iamlocal-sla-{}", uuid::Uuid::new_v4()));
    let mut config = iamlocal::config::Config::for_tests();
    config.db = Some(dir.join("iamlocal.db").to_string_lossy().into_owned());
    let s = TestServer::start_with(config.clone()).await;
    let (key, secret) = user_with_key(&s, "durable").await;
    put_user_policy(&s, "durable", ALLOW_IAM_LIST).await;
    s.iam_as(&key, &secret)
        .list_users()
        .send()
        .await
        .expect("list");
    s.stop().await;

    let s = TestServer::start_with(config).await;
    let job_id = generate(&s, "arn:aws:iam::000000000000:user/durable", None).await;
    let out = details(&s, &job_id).await;
    assert!(out.services_last_accessed()[0]
        .last_authenticated()
        .is_some());
    s.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
