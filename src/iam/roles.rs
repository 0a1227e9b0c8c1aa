//! Roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
//! UpdateAssumeRolePolicy, DeleteRole, Tag/Untag/ListRoleTags, Put/DeleteRolePermissionsBoundary,
//! and the service-linked roles AWS services create (Create/DeleteServiceLinkedRole,
//! GetServiceLinkedRoleDeletionStatus).

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, authorize_with, Call};
use crate::ids::{self, IdKind};
use crate::policy::{PolicyKind, RequestContext};
use crate::store::{self, instance_profiles, roles, roles::RoleRow};

use super::identity_policies::ensure_no_policies;
use super::pagination::Page;
use super::policy_documents::{size_without_whitespace, url_encode};
use super::users::{boundary_context, boundary_out, ensure_boundary_exists};
use super::{tagging, validate};

/// IAM quota: role trust policy length (default 2,048 characters without whitespace).
const TRUST_POLICY_QUOTA: usize = 2048;
/// The session limit a role gets unless CreateRole says otherwise (seconds).
const DEFAULT_MAX_SESSION: i64 = 3600;
/// Where AWS puts service-linked roles.
const SERVICE_ROLE_PATH: &str = "/aws-service-role/";

pub fn no_such_role(name: &str) -> ApiError {
    errors::no_such_entity(format!("The role with name {name} cannot be found."))
}

pub fn role_arn(account_id: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:role{path}{name}")
}

/// Service-linked roles are changed only by their service.
pub fn is_service_linked(role: &RoleRow) -> bool {
    role.path.starts_with(SERVICE_ROLE_PATH)
}

/// AWS's refusal to change a service-linked role through the ordinary role operations.
pub fn protected_role(role: &RoleRow) -> ApiError {
    errors::unmodifiable_entity(format!(
        "Cannot perform the operation on the protected role '{}' - this role is only modifiable by AWS",
        role.name
    ))
}

/// Looks the role up and authorizes the call on it (the check comes first, as in AWS).
pub async fn authorized_role(app: &App, call: &Call, name: &str) -> Result<RoleRow, ApiError> {
    authorized_role_with(app, call, name, RequestContext::new()).await
}

pub async fn authorized_role_with(
    app: &App,
    call: &Call,
    name: &str,
    ctx: RequestContext,
) -> Result<RoleRow, ApiError> {
    let role = {
        let mut c = app.store.read().await?;
        roles::get(&mut c, call.account_id(), name).await?
    };
    let arn = match &role {
        Some(r) => r.arn(),
        None => role_arn(call.account_id(), "/", name),
    };
    authorize_with(app, call, &arn, ctx).await?;
    role.ok_or_else(|| no_such_role(name))
}

/// The role as GetRole shows it; `full` adds what only GetRole returns (last use, boundary).
pub fn role_out(r: &RoleRow, tags: Vec<Tag>, full: bool) -> Role {
    Role {
        path: r.path.clone(),
        role_name: r.name.clone(),
        role_id: r.role_id.clone(),
        arn: r.arn(),
        create_date: store::from_epoch(r.create_date),
        assume_role_policy_document: Some(url_encode(&r.assume_role_policy)),
        description: r.description.clone(),
        max_session_duration: i32::try_from(r.max_session_duration).ok(),
        permissions_boundary: if full {
            boundary_out(r.permissions_boundary.as_ref())
        } else {
            None
        },
        tags: (!tags.is_empty()).then_some(tags),
        role_last_used: full.then(|| RoleLastUsed {
            last_used_date: r.last_used_date.map(store::from_epoch),
            region: r.last_used_region.clone(),
        }),
        ..Role::default()
    }
}

/// Validates a trust policy as IAM does when it is stored: grammar, size, and that every user
/// or role it names exists ("Invalid principal in policy").
async fn check_trust_policy(app: &App, document: &str) -> Result<(), ApiError> {
    let policy = crate::policy::parse_policy(document, PolicyKind::Trust)
        .map_err(|e| errors::malformed_policy_document(e.to_string()))?;
    if size_without_whitespace(document) > TRUST_POLICY_QUOTA {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_QUOTA}"
        )));
    }
    let mut c = app.store.read().await?;
    for arn in policy.statements().iter().flat_map(|s| s.principal_arns()) {
        if !principal_exists(&mut c, arn).await? {
            return Err(errors::malformed_policy_document(format!(
                "Invalid principal in policy: \"AWS\":\"{arn}\""
            )));
        }
    }
    Ok(())
}

/// Whether `arn:aws:iam::ACCT:user|role/path/NAME` names a stored user or role (session and
/// federated-user ARNs are not checked, as in AWS).
async fn principal_exists(c: &mut store::Conn, arn: &str) -> Result<bool, ApiError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let (Some(account), Some(resource)) = (parts.get(4), parts.get(5)) else {
        return Ok(true);
    };
    if parts.get(2) != Some(&"iam") {
        return Ok(true);
    }
    let name = resource.rsplit('/').next().unwrap_or("");
    if let Some(path_and_name) = resource.strip_prefix("user") {
        return Ok(store::users::get(c, account, name)
            .await?
            .is_some_and(|u| format!("{}{}", u.path, u.name) == path_and_name));
    }
    if let Some(path_and_name) = resource.strip_prefix("role") {
        return Ok(roles::get(c, account, name)
            .await?
            .is_some_and(|r| format!("{}{}", r.path, r.name) == path_and_name));
    }
    Ok(true)
}

/// Stores a new role with its tags in one transaction.
async fn insert_role(app: &App, row: &RoleRow, tags: &[Tag]) -> Result<(), ApiError> {
    let mut tx = app.store.write().await?;
    if roles::get(&mut tx, &row.account_id, &row.name)
        .await?
        .is_some()
    {
        return Err(errors::entity_already_exists(format!(
            "Role with name {} already exists.",
            row.name
        )));
    }
    roles::insert(&mut tx, row).await?;
    tagging::put_new(&mut tx, &row.account_id, &row.role_id, tags).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn create_role(
    app: &App,
    call: &Call,
    input: CreateRoleRequest,
) -> Result<CreateRoleResponse, ApiError> {
    let path = input.path.unwrap_or_else(|| "/".into());
    validate::path(&path)?;
    let new_tags = input.tags.unwrap_or_default();
    validate::unique_tag_keys(&new_tags)?;
    let arn = role_arn(call.account_id(), &path, &input.role_name);
    let mut ctx = tagging::request_tag_context(&new_tags);
    if let Some(b) = &input.permissions_boundary {
        ctx.set("iam:PermissionsBoundary", b.clone());
    }
    authorize_with(app, call, &arn, ctx).await?;
    check_trust_policy(app, &input.assume_role_policy_document).await?;
    if let Some(boundary) = &input.permissions_boundary {
        ensure_boundary_exists(app, call, boundary).await?;
    }
    let row = RoleRow {
        account_id: call.account_id().to_string(),
        role_id: ids::unique_id(IdKind::Role),
        name: input.role_name,
        path,
        assume_role_policy: input.assume_role_policy_document,
        description: input.description,
        max_session_duration: input
            .max_session_duration
            .map_or(DEFAULT_MAX_SESSION, i64::from),
        permissions_boundary: input.permissions_boundary,
        create_date: store::to_epoch(call.now),
        last_used_date: None,
        last_used_region: None,
    };
    insert_role(app, &row, &new_tags).await?;
    let mut role = role_out(&row, new_tags, false);
    role.max_session_duration = None;
    role.permissions_boundary = boundary_out(row.permissions_boundary.as_ref());
    Ok(CreateRoleResponse { role })
}

pub async fn get_role(
    app: &App,
    call: &Call,
    input: GetRoleRequest,
) -> Result<GetRoleResponse, ApiError> {
    let role = authorized_role(app, call, &input.role_name).await?;
    let tags = tagging::all(app, &role.role_id).await?;
    Ok(GetRoleResponse {
        role: role_out(&role, tags, true),
    })
}

pub async fn list_roles(
    app: &App,
    call: &Call,
    input: ListRolesRequest,
) -> Result<ListRolesResponse, ApiError> {
    authorize(
        app,
        call,
        &format!("arn:aws:iam::{}:role/", call.account_id()),
    )
    .await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let prefix = input.path_prefix.unwrap_or_else(|| "/".into());
    let mut rows = {
        let mut c = app.store.read().await?;
        roles::list(
            &mut c,
            call.account_id(),
            &prefix,
            page.after.as_deref(),
            page.fetch_limit(),
        )
        .await?
    };
    let (truncated, marker) = page.finish(&mut rows, |r| &r.name);
    Ok(ListRolesResponse {
        roles: rows
            .iter()
            .map(|r| role_out(r, Vec::new(), false))
            .collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

/// A role that ordinary operations may change.
async fn modifiable_role(app: &App, call: &Call, name: &str) -> Result<RoleRow, ApiError> {
    let role = authorized_role(app, call, name).await?;
    if is_service_linked(&role) {
        return Err(protected_role(&role));
    }
    Ok(role)
}

async fn set_description(
    app: &App,
    role: &RoleRow,
    description: Option<&str>,
    max_session_duration: Option<i32>,
) -> Result<RoleRow, ApiError> {
    let mut updated = role.clone();
    if let Some(d) = description {
        updated.description = Some(d.to_string());
    }
    if let Some(m) = max_session_duration {
        updated.max_session_duration = i64::from(m);
    }
    let mut tx = app.store.write().await?;
    roles::update(
        &mut tx,
        &role.role_id,
        updated.description.as_deref(),
        updated.max_session_duration,
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

pub async fn update_role(
    app: &App,
    call: &Call,
    input: UpdateRoleRequest,
) -> Result<UpdateRoleResponse, ApiError> {
    // A service-linked role's description is the one thing its owner may edit
    // (IAM User Guide, "Editing a service-linked role").
    let role = authorized_role(app, call, &input.role_name).await?;
    if is_service_linked(&role) && input.max_session_duration.is_some() {
        return Err(protected_role(&role));
    }
    set_description(
        app,
        &role,
        input.description.as_deref(),
        input.max_session_duration,
    )
    .await?;
    Ok(UpdateRoleResponse::default())
}

pub async fn update_role_description(
    app: &App,
    call: &Call,
    input: UpdateRoleDescriptionRequest,
) -> Result<UpdateRoleDescriptionResponse, ApiError> {
    let role = authorized_role(app, call, &input.role_name).await?;
    let updated = set_description(app, &role, Some(&input.description), None).await?;
    let tags = tagging::all(app, &role.role_id).await?;
    Ok(UpdateRoleDescriptionResponse {
        role: Some(role_out(&updated, tags, true)),
    })
}

pub async fn update_assume_role_policy(
    app: &App,
    call: &Call,
    input: UpdateAssumeRolePolicyRequest,
) -> Result<(), ApiError> {
    let role = modifiable_role(app, call, &input.role_name).await?;
    check_trust_policy(app, &input.policy_document).await?;
    let mut tx = app.store.write().await?;
    roles::set_trust_policy(&mut tx, &role.role_id, &input.policy_document).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a role that holds nothing (DeleteConflict otherwise), inside the caller's
/// transaction.
async fn remove_role(c: &mut store::Conn, role: &RoleRow) -> Result<(), ApiError> {
    if !instance_profiles::for_role(c, &role.role_id)
        .await?
        .is_empty()
    {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    ensure_no_policies(c, &role.role_id).await?;
    store::tags::remove_all(c, &role.role_id).await?;
    roles::delete(c, &role.role_id).await?;
    Ok(())
}

pub async fn delete_role(app: &App, call: &Call, input: DeleteRoleRequest) -> Result<(), ApiError> {
    let role = modifiable_role(app, call, &input.role_name).await?;
    let mut tx = app.store.write().await?;
    remove_role(&mut tx, &role).await?;
    tx.commit().await?;
    app.invalidate_credentials();
    Ok(())
}

pub async fn tag_role(app: &App, call: &Call, input: TagRoleRequest) -> Result<(), ApiError> {
    let role = authorized_role_with(
        app,
        call,
        &input.role_name,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(app, &role.account_id, &role.role_id, &input.tags).await
}

pub async fn untag_role(app: &App, call: &Call, input: UntagRoleRequest) -> Result<(), ApiError> {
    let role = authorized_role_with(
        app,
        call,
        &input.role_name,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &role.role_id, &input.tag_keys).await
}

pub async fn list_role_tags(
    app: &App,
    call: &Call,
    input: ListRoleTagsRequest,
) -> Result<ListRoleTagsResponse, ApiError> {
    let role = authorized_role(app, call, &input.role_name).await?;
    let (tags, truncated, marker) =
        tagging::page(app, &role.role_id, input.marker.as_deref(), input.max_items).await?;
    Ok(ListRoleTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn put_role_permissions_boundary(
    app: &App,
    call: &Call,
    input: PutRolePermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let role = authorized_role_with(
        app,
        call,
        &input.role_name,
        boundary_context(Some(&input.permissions_boundary)),
    )
    .await?;
    if is_service_linked(&role) {
        return Err(protected_role(&role));
    }
    ensure_boundary_exists(app, call, &input.permissions_boundary).await?;
    let mut tx = app.store.write().await?;
    roles::set_boundary(&mut tx, &role.role_id, Some(&input.permissions_boundary)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_role_permissions_boundary(
    app: &App,
    call: &Call,
    input: DeleteRolePermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let role = modifiable_role(app, call, &input.role_name).await?;
    let mut tx = app.store.write().await?;
    roles::set_boundary(&mut tx, &role.role_id, None).await?;
    tx.commit().await?;
    Ok(())
}

// --- service-linked roles ---------------------------------------------------------------------

/// The services iamlocal knows service-linked roles for: (service principal, role name after
/// `AWSServiceRoleFor`, whether a custom suffix is accepted). Names as each service's user
/// guide gives them.
const SERVICE_LINKED_ROLES: &[(&str, &str, bool)] = &[
    ("autoscaling.amazonaws.com", "AutoScaling", true),
    ("batch.amazonaws.com", "Batch", false),
    ("cloudtrail.amazonaws.com", "CloudTrail", false),
    ("config.amazonaws.com", "Config", false),
    ("dax.amazonaws.com", "DAX", false),
    ("ecs.amazonaws.com", "ECS", false),
    ("eks.amazonaws.com", "AmazonEKS", false),
    ("eks-fargate.amazonaws.com", "AmazonEKSForFargate", false),
    ("eks-nodegroup.amazonaws.com", "AmazonEKSNodegroup", false),
    ("elasticache.amazonaws.com", "ElastiCache", false),
    ("elasticbeanstalk.amazonaws.com", "ElasticBeanstalk", true),
    (
        "elasticloadbalancing.amazonaws.com",
        "ElasticLoadBalancing",
        false,
    ),
    ("es.amazonaws.com", "AmazonElasticsearchService", false),
    ("guardduty.amazonaws.com", "AmazonGuardDuty", false),
    ("kafka.amazonaws.com", "Kafka", false),
    (
        "opensearchservice.amazonaws.com",
        "AmazonOpenSearchService",
        false,
    ),
    ("organizations.amazonaws.com", "Organizations", false),
    ("rds.amazonaws.com", "RDS", false),
    ("redshift.amazonaws.com", "Redshift", false),
    ("spot.amazonaws.com", "EC2Spot", false),
    ("ssm.amazonaws.com", "AmazonSSM", false),
    ("support.amazonaws.com", "Support", false),
    ("trustedadvisor.amazonaws.com", "TrustedAdvisor", false),
];

fn service_trust_policy(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":["{service}"]}},"Action":["sts:AssumeRole"]}}]}}"#
    )
}

pub async fn create_service_linked_role(
    app: &App,
    call: &Call,
    input: CreateServiceLinkedRoleRequest,
) -> Result<CreateServiceLinkedRoleResponse, ApiError> {
    let service = input.aws_service_name.as_str();
    let Some(&(_, base, takes_suffix)) =
        SERVICE_LINKED_ROLES.iter().find(|(s, _, _)| *s == service)
    else {
        return Err(errors::invalid_input(format!(
            "Service {service} is not supported by iamlocal for service-linked roles."
        )));
    };
    let mut name = format!("AWSServiceRoleFor{base}");
    if let Some(suffix) = &input.custom_suffix {
        if !takes_suffix {
            return Err(errors::invalid_input(format!(
                "Custom suffix is not allowed for {service}"
            )));
        }
        name = format!("{name}_{suffix}");
    }
    let path = format!("{SERVICE_ROLE_PATH}{service}/");
    authorize_with(
        app,
        call,
        &role_arn(call.account_id(), &path, &name),
        RequestContext::new().with("iam:AWSServiceName", service),
    )
    .await?;
    let row = RoleRow {
        account_id: call.account_id().to_string(),
        role_id: ids::unique_id(IdKind::Role),
        name,
        path,
        assume_role_policy: service_trust_policy(service),
        description: input.description,
        max_session_duration: DEFAULT_MAX_SESSION,
        permissions_boundary: None,
        create_date: store::to_epoch(call.now),
        last_used_date: None,
        last_used_region: None,
    };
    insert_role(app, &row, &[]).await.map_err(|e| {
        if e.code == "EntityAlreadyExists" {
            errors::invalid_input(format!(
                "Service role name {} has been taken in this account, please try a different suffix.",
                row.name
            ))
        } else {
            e
        }
    })?;
    Ok(CreateServiceLinkedRoleResponse {
        role: Some(role_out(&row, Vec::new(), false)),
    })
}

pub async fn delete_service_linked_role(
    app: &App,
    call: &Call,
    input: DeleteServiceLinkedRoleRequest,
) -> Result<DeleteServiceLinkedRoleResponse, ApiError> {
    let role = authorized_role(app, call, &input.role_name).await?;
    if !is_service_linked(&role) {
        return Err(errors::invalid_input(format!(
            "Role {} is not a service-linked role.",
            role.name
        )));
    }
    // Format documented in the API reference: task/aws-service-role/<service>/<role>/<uuid>.
    let service = role
        .path
        .trim_start_matches(SERVICE_ROLE_PATH)
        .trim_end_matches('/');
    let task = format!(
        "task{SERVICE_ROLE_PATH}{service}/{}/{}",
        role.name,
        uuid::Uuid::new_v4()
    );
    let mut tx = app.store.write().await?;
    // The service's own policies go with its role.
    for arn in store::policies::attached(&mut tx, &role.role_id).await? {
        store::policies::detach(&mut tx, &role.role_id, &arn).await?;
    }
    remove_role(&mut tx, &role).await?;
    roles::record_deletion_task(&mut tx, call.account_id(), &task).await?;
    tx.commit().await?;
    app.invalidate_credentials();
    Ok(DeleteServiceLinkedRoleResponse {
        deletion_task_id: task,
    })
}

pub async fn get_service_linked_role_deletion_status(
    app: &App,
    call: &Call,
    input: GetServiceLinkedRoleDeletionStatusRequest,
) -> Result<GetServiceLinkedRoleDeletionStatusResponse, ApiError> {
    // The task names its role: task/aws-service-role/<service>/<role>/<uuid>.
    let role_path = input
        .deletion_task_id
        .strip_prefix("task")
        .and_then(|t| t.rsplit_once('/'))
        .map(|(role, _)| role)
        .unwrap_or("/");
    authorize(
        app,
        call,
        &format!("arn:aws:iam::{}:role{role_path}", call.account_id()),
    )
    .await?;
    let known = {
        let mut c = app.store.read().await?;
        roles::deletion_task_exists(&mut c, call.account_id(), &input.deletion_task_id).await?
    };
    if !known {
        return Err(errors::no_such_entity(format!(
            "Deletion task {} cannot be found.",
            input.deletion_task_id
        )));
    }
    // Deletion is immediate here: a task that exists has succeeded.
    Ok(GetServiceLinkedRoleDeletionStatusResponse {
        status: "SUCCEEDED".into(),
        reason: None,
    })
}
