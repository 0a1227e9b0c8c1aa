//! Managed policies: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy and the version
//! operations. AWS-managed policies are read-only data from `aws_managed`.

use std::sync::Arc;

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, authorize_with, Call};
use crate::ids::{self, IdKind};
use crate::policy::{PolicyKind, RequestContext};
use crate::store::{self, policies, policies::ManagedPolicyRow};

use super::aws_managed::AwsManagedPolicy;
use super::pagination::Page;
use super::policy_documents::{parse_policy_arn, size_without_whitespace, url_encode, validate};
use super::tagging;

/// IAM quota: a managed policy document holds at most 6,144 characters without whitespace.
const MANAGED_POLICY_SIZE: usize = 6144;
/// IAM quota: five versions per managed policy.
const VERSIONS_PER_POLICY: usize = 5;

/// A managed policy the account can see: its own, or AWS's.
pub enum ManagedPolicy {
    Local(ManagedPolicyRow),
    Aws(Arc<AwsManagedPolicy>),
}

impl ManagedPolicy {
    pub fn arn(&self) -> String {
        match self {
            ManagedPolicy::Local(p) => p.arn.clone(),
            ManagedPolicy::Aws(p) => p.arn(),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            ManagedPolicy::Local(p) => &p.name,
            ManagedPolicy::Aws(p) => &p.name,
        }
    }
}

pub fn not_found(arn: &str) -> ApiError {
    errors::no_such_entity(format!("Policy {arn} was not found."))
}

pub fn not_attachable(arn: &str) -> ApiError {
    errors::no_such_entity(format!("Policy {arn} does not exist or is not attachable."))
}

/// Finds a policy visible to `account_id` by ARN (validated first).
pub async fn find(
    app: &App,
    account_id: &str,
    arn: &str,
) -> Result<Option<ManagedPolicy>, ApiError> {
    let (owner, _, _) = parse_policy_arn(arn)?;
    if owner == "aws" {
        return Ok(app.aws_policies.find(arn).map(ManagedPolicy::Aws));
    }
    if owner != account_id {
        return Ok(None);
    }
    let mut c = app.store.read().await?;
    Ok(policies::get_by_arn(&mut c, arn)
        .await?
        .map(ManagedPolicy::Local))
}

/// The default version's document of a policy.
pub async fn default_document(
    c: &mut store::Conn,
    p: &ManagedPolicy,
) -> Result<Option<String>, ApiError> {
    match p {
        ManagedPolicy::Aws(p) => Ok(Some(p.document.clone())),
        ManagedPolicy::Local(p) => Ok(policies::version(c, &p.policy_id, &p.default_version)
            .await?
            .map(|v| v.document)),
    }
}

/// How many identities of `account_id` have the policy attached, and how many use it as their
/// permissions boundary (AttachmentCount, PermissionsBoundaryUsageCount).
pub async fn usage_counts(
    c: &mut store::Conn,
    account_id: &str,
    arn: &str,
) -> Result<(i32, i32), ApiError> {
    let clamp = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    Ok((
        clamp(store::account::attachment_count(c, account_id, arn).await?),
        clamp(store::account::boundary_usage_count(c, account_id, arn).await?),
    ))
}

async fn policy_out(app: &App, account_id: &str, p: &ManagedPolicy) -> Result<Policy, ApiError> {
    let mut c = app.store.read().await?;
    let (count, boundary_count) = usage_counts(&mut c, account_id, &p.arn()).await?;
    Ok(match p {
        ManagedPolicy::Local(r) => Policy {
            policy_name: Some(r.name.clone()),
            policy_id: Some(r.policy_id.clone()),
            arn: Some(r.arn.clone()),
            path: Some(r.path.clone()),
            default_version_id: Some(r.default_version.clone()),
            attachment_count: Some(count),
            permissions_boundary_usage_count: Some(boundary_count),
            is_attachable: Some(true),
            description: r.description.clone(),
            create_date: Some(store::from_epoch(r.create_date)),
            update_date: Some(store::from_epoch(r.update_date)),
            tags: None,
        },
        ManagedPolicy::Aws(a) => Policy {
            policy_name: Some(a.name.clone()),
            policy_id: Some(a.policy_id.clone()),
            arn: Some(a.arn()),
            path: Some(a.path.clone()),
            default_version_id: Some(a.version_id.clone()),
            attachment_count: Some(count),
            permissions_boundary_usage_count: Some(boundary_count),
            is_attachable: Some(true),
            description: None,
            create_date: None,
            update_date: None,
            tags: None,
        },
    })
}

/// AWS's refusal to change a policy of another account (recorded).
const CANNOT_UPDATE_FOREIGN: &str = "Cannot update policies outside your own account.";

fn check_size(document: &str) -> Result<(), ApiError> {
    if size_without_whitespace(document) > MANAGED_POLICY_SIZE {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for PolicySize: {MANAGED_POLICY_SIZE}"
        )));
    }
    Ok(())
}

pub async fn create_policy(
    app: &App,
    call: &Call,
    input: CreatePolicyRequest,
) -> Result<CreatePolicyResponse, ApiError> {
    let path = input.path.unwrap_or_else(|| "/".into());
    super::validate::path(&path)?;
    let arn = format!(
        "arn:aws:iam::{}:policy{}{}",
        call.account_id(),
        path,
        input.policy_name
    );
    let tags = input.tags.unwrap_or_default();
    super::validate::unique_tag_keys(&tags)?;
    authorize_with(app, call, &arn, tagging::request_tag_context(&tags)).await?;
    validate(&input.policy_document, PolicyKind::Managed)?;
    check_size(&input.policy_document)?;
    let mut tx = app.store.write().await?;
    if policies::get_by_name(&mut tx, call.account_id(), &input.policy_name)
        .await?
        .is_some()
    {
        return Err(errors::entity_already_exists(format!(
            "A policy called {} already exists. Duplicate names are not allowed.",
            input.policy_name
        )));
    }
    let now = store::to_epoch(call.now);
    let row = ManagedPolicyRow {
        account_id: call.account_id().into(),
        policy_id: ids::unique_id(IdKind::Policy),
        name: input.policy_name,
        path,
        arn,
        description: input.description,
        default_version: "v1".into(),
        next_version: 2,
        create_date: now,
        update_date: now,
    };
    policies::insert(&mut tx, &row, &input.policy_document).await?;
    tagging::put_new(&mut tx, call.account_id(), &row.policy_id, &tags).await?;
    tx.commit().await?;
    let mut policy = policy_out(app, call.account_id(), &ManagedPolicy::Local(row)).await?;
    policy.tags = (!tags.is_empty()).then_some(tags);
    Ok(CreatePolicyResponse {
        policy: Some(policy),
    })
}

/// Looks the policy up after authorizing on its ARN.
async fn authorized_policy(app: &App, call: &Call, arn: &str) -> Result<ManagedPolicy, ApiError> {
    authorized_policy_with(app, call, arn, RequestContext::new()).await
}

async fn authorized_policy_with(
    app: &App,
    call: &Call,
    arn: &str,
    ctx: RequestContext,
) -> Result<ManagedPolicy, ApiError> {
    parse_policy_arn(arn)?;
    authorize_with(app, call, arn, ctx).await?;
    find(app, call.account_id(), arn)
        .await?
        .ok_or_else(|| not_found(arn))
}

/// A policy this account may change: its own.
async fn own_policy(
    app: &App,
    call: &Call,
    arn: &str,
    refusal: &str,
) -> Result<ManagedPolicyRow, ApiError> {
    match authorized_policy(app, call, arn).await? {
        ManagedPolicy::Local(p) => Ok(p),
        ManagedPolicy::Aws(_) => Err(ApiError::access_denied(refusal)),
    }
}

pub async fn get_policy(
    app: &App,
    call: &Call,
    input: GetPolicyRequest,
) -> Result<GetPolicyResponse, ApiError> {
    let p = authorized_policy(app, call, &input.policy_arn).await?;
    let mut policy = policy_out(app, call.account_id(), &p).await?;
    if let ManagedPolicy::Local(r) = &p {
        let tags = tagging::all(app, &r.policy_id).await?;
        policy.tags = (!tags.is_empty()).then_some(tags);
    }
    Ok(GetPolicyResponse {
        policy: Some(policy),
    })
}

pub async fn list_policies(
    app: &App,
    call: &Call,
    input: ListPoliciesRequest,
) -> Result<ListPoliciesResponse, ApiError> {
    authorize(
        app,
        call,
        &format!("arn:aws:iam::{}:policy/", call.account_id()),
    )
    .await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let prefix = input.path_prefix.unwrap_or_else(|| "/".into());
    let scope = input.scope.unwrap_or_else(|| "All".into());
    // AWS: PolicyUsageFilter "PermissionsPolicy" keeps the policies attached as permissions
    // policies, "PermissionsBoundary" those set as a boundary; OnlyAttached keeps attached ones.
    let usage = policies::UsageFilter {
        attached: input.only_attached.unwrap_or(false)
            || input.policy_usage_filter.as_deref() == Some("PermissionsPolicy"),
        boundary: input.policy_usage_filter.as_deref() == Some("PermissionsBoundary"),
    };
    // Sort key: AWS policies first ("0…"), then the account's ("1…"), each by name.
    let mut items: Vec<(String, ManagedPolicy)> = Vec::new();
    {
        let mut c = app.store.read().await?;
        if scope != "Local" {
            for a in app.aws_policies.all() {
                let key = format!("0{}", a.name);
                let arn = a.arn();
                let mut used = true;
                for (wanted, attached) in [(usage.attached, true), (usage.boundary, false)] {
                    if wanted && used {
                        used = !store::account::entities_for_policy(
                            &mut c,
                            call.account_id(),
                            &arn,
                            attached,
                            !attached,
                        )
                        .await?
                        .is_empty();
                    }
                }
                if a.path.starts_with(&prefix)
                    && used
                    && page.after.as_deref().is_none_or(|m| key.as_str() > m)
                {
                    items.push((key, ManagedPolicy::Aws(a.clone())));
                }
            }
        }
        if scope != "AWS" {
            let after = match page.after.as_deref() {
                Some(m) if m.starts_with('1') => Some(&m[1..]),
                _ => None,
            };
            for p in policies::list(
                &mut c,
                call.account_id(),
                &prefix,
                usage,
                after,
                page.fetch_limit(),
            )
            .await?
            {
                items.push((format!("1{}", p.name), ManagedPolicy::Local(p)));
            }
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (truncated, marker) = page.finish(&mut items, |(k, _)| k);
    let mut out = Vec::with_capacity(items.len());
    for (_, p) in &items {
        out.push(policy_out(app, call.account_id(), p).await?);
    }
    Ok(ListPoliciesResponse {
        policies: Some(out),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn delete_policy(
    app: &App,
    call: &Call,
    input: DeletePolicyRequest,
) -> Result<(), ApiError> {
    let p = own_policy(
        app,
        call,
        &input.policy_arn,
        "Cannot delete policies outside your own account.",
    )
    .await?;
    let mut tx = app.store.write().await?;
    // A boundary counts as an attachment here (AWS answers the same DeleteConflict).
    if usage_counts(&mut tx, call.account_id(), &p.arn).await? != (0, 0) {
        return Err(errors::delete_conflict(
            "Cannot delete a policy attached to entities.",
        ));
    }
    policies::delete(&mut tx, &p.policy_id).await?;
    store::tags::remove_all(&mut tx, &p.policy_id).await?;
    tx.commit().await?;
    Ok(())
}

/// An account's own policy, for the tagging calls (AWS-managed policies carry no tags).
async fn taggable_policy(
    app: &App,
    call: &Call,
    arn: &str,
    ctx: RequestContext,
) -> Result<ManagedPolicyRow, ApiError> {
    match authorized_policy_with(app, call, arn, ctx).await? {
        ManagedPolicy::Local(p) => Ok(p),
        ManagedPolicy::Aws(_) => Err(ApiError::access_denied(CANNOT_UPDATE_FOREIGN)),
    }
}

pub async fn tag_policy(app: &App, call: &Call, input: TagPolicyRequest) -> Result<(), ApiError> {
    let p = taggable_policy(
        app,
        call,
        &input.policy_arn,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(app, &p.account_id, &p.policy_id, &input.tags).await
}

pub async fn untag_policy(
    app: &App,
    call: &Call,
    input: UntagPolicyRequest,
) -> Result<(), ApiError> {
    let p = taggable_policy(
        app,
        call,
        &input.policy_arn,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &p.policy_id, &input.tag_keys).await
}

pub async fn list_policy_tags(
    app: &App,
    call: &Call,
    input: ListPolicyTagsRequest,
) -> Result<ListPolicyTagsResponse, ApiError> {
    let p = taggable_policy(app, call, &input.policy_arn, RequestContext::new()).await?;
    let (tags, truncated, marker) =
        tagging::page(app, &p.policy_id, input.marker.as_deref(), input.max_items).await?;
    Ok(ListPolicyTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn create_policy_version(
    app: &App,
    call: &Call,
    input: CreatePolicyVersionRequest,
) -> Result<CreatePolicyVersionResponse, ApiError> {
    let p = own_policy(app, call, &input.policy_arn, CANNOT_UPDATE_FOREIGN).await?;
    validate(&input.policy_document, PolicyKind::Managed)?;
    check_size(&input.policy_document)?;
    let mut tx = app.store.write().await?;
    if policies::versions(&mut tx, &p.policy_id).await?.len() >= VERSIONS_PER_POLICY {
        return Err(errors::limit_exceeded(
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
        ));
    }
    let version_id = format!("v{}", p.next_version);
    let now = store::to_epoch(call.now);
    policies::insert_version(
        &mut tx,
        &p.policy_id,
        &version_id,
        &input.policy_document,
        now,
    )
    .await?;
    let set_default = input.set_as_default.unwrap_or(false);
    let default = if set_default {
        version_id.clone()
    } else {
        p.default_version.clone()
    };
    policies::set_versions(&mut tx, &p.policy_id, &default, p.next_version + 1, now).await?;
    tx.commit().await?;
    Ok(CreatePolicyVersionResponse {
        policy_version: Some(PolicyVersion {
            document: None,
            version_id: Some(version_id),
            is_default_version: Some(set_default),
            create_date: Some(store::from_epoch(now)),
        }),
    })
}

fn no_version(arn: &str, version: &str) -> ApiError {
    errors::no_such_entity(format!(
        "Policy {arn} version {version} does not exist or is not attachable."
    ))
}

pub async fn get_policy_version(
    app: &App,
    call: &Call,
    input: GetPolicyVersionRequest,
) -> Result<GetPolicyVersionResponse, ApiError> {
    parse_policy_arn(&input.policy_arn)?;
    authorize(app, call, &input.policy_arn).await?;
    let p = find(app, call.account_id(), &input.policy_arn)
        .await?
        .ok_or_else(|| no_version(&input.policy_arn, &input.version_id))?;
    let version = match &p {
        ManagedPolicy::Aws(a) if input.version_id == a.version_id => Some(PolicyVersion {
            document: Some(url_encode(&a.document)),
            version_id: Some(a.version_id.clone()),
            is_default_version: Some(true),
            create_date: None,
        }),
        ManagedPolicy::Aws(_) => None,
        ManagedPolicy::Local(r) => {
            let mut c = app.store.read().await?;
            policies::version(&mut c, &r.policy_id, &input.version_id)
                .await?
                .map(|v| PolicyVersion {
                    document: Some(url_encode(&v.document)),
                    is_default_version: Some(v.version_id == r.default_version),
                    version_id: Some(v.version_id),
                    create_date: Some(store::from_epoch(v.create_date)),
                })
        }
    };
    let version = version.ok_or_else(|| no_version(&input.policy_arn, &input.version_id))?;
    Ok(GetPolicyVersionResponse {
        policy_version: Some(version),
    })
}

pub async fn list_policy_versions(
    app: &App,
    call: &Call,
    input: ListPolicyVersionsRequest,
) -> Result<ListPolicyVersionsResponse, ApiError> {
    let p = authorized_policy(app, call, &input.policy_arn).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut versions: Vec<PolicyVersion> = match &p {
        ManagedPolicy::Aws(a) => vec![PolicyVersion {
            document: None,
            version_id: Some(a.version_id.clone()),
            is_default_version: Some(true),
            create_date: None,
        }],
        ManagedPolicy::Local(r) => {
            let mut c = app.store.read().await?;
            policies::versions(&mut c, &r.policy_id)
                .await?
                .into_iter()
                .map(|v| PolicyVersion {
                    document: None,
                    is_default_version: Some(v.version_id == r.default_version),
                    version_id: Some(v.version_id),
                    create_date: Some(store::from_epoch(v.create_date)),
                })
                .collect()
        }
    };
    if let Some(after) = &page.after {
        if let Some(pos) = versions
            .iter()
            .position(|v| v.version_id.as_deref() == Some(after))
        {
            versions.drain(..=pos);
        }
    }
    let (truncated, marker) = page.finish(&mut versions, |v| v.version_id.as_deref().unwrap_or(""));
    Ok(ListPolicyVersionsResponse {
        versions: Some(versions),
        is_truncated: Some(truncated),
        marker,
    })
}

/// NoSuchEntity unless the policy has `version_id`.
async fn ensure_version(
    c: &mut store::Conn,
    p: &ManagedPolicyRow,
    version_id: &str,
) -> Result<(), ApiError> {
    match policies::version(c, &p.policy_id, version_id).await? {
        Some(_) => Ok(()),
        None => Err(no_version(&p.arn, version_id)),
    }
}

pub async fn delete_policy_version(
    app: &App,
    call: &Call,
    input: DeletePolicyVersionRequest,
) -> Result<(), ApiError> {
    let p = own_policy(
        app,
        call,
        &input.policy_arn,
        "Cannot delete policy versions for policies outside your own account.",
    )
    .await?;
    let mut tx = app.store.write().await?;
    ensure_version(&mut tx, &p, &input.version_id).await?;
    if input.version_id == p.default_version {
        return Err(errors::delete_conflict(
            "Cannot delete the default version of a policy.",
        ));
    }
    policies::delete_version(&mut tx, &p.policy_id, &input.version_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_default_policy_version(
    app: &App,
    call: &Call,
    input: SetDefaultPolicyVersionRequest,
) -> Result<(), ApiError> {
    let p = own_policy(app, call, &input.policy_arn, CANNOT_UPDATE_FOREIGN).await?;
    let mut tx = app.store.write().await?;
    ensure_version(&mut tx, &p, &input.version_id).await?;
    policies::set_versions(
        &mut tx,
        &p.policy_id,
        &input.version_id,
        p.next_version,
        store::to_epoch(call.now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
