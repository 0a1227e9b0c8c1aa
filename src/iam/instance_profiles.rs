//! Instance profiles: Create/Get/List/Delete, ListInstanceProfilesForRole,
//! Add/RemoveRoleFromInstanceProfile, Tag/Untag/ListInstanceProfileTags.

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, authorize_action, authorize_with, Call};
use crate::ids::{self, IdKind};
use crate::policy::RequestContext;
use crate::store::{self, instance_profiles, instance_profiles::InstanceProfileRow};

use super::pagination::Page;
use super::roles::{authorized_role, role_out};
use super::{tagging, validate};

/// IAM quota: one role per instance profile.
const ROLES_PER_PROFILE: usize = 1;

fn no_such_profile(name: &str) -> ApiError {
    errors::no_such_entity(format!("Instance Profile {name} cannot be found."))
}

fn profile_arn(account_id: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:instance-profile{path}{name}")
}

async fn authorized_profile(
    app: &App,
    call: &Call,
    name: &str,
    ctx: RequestContext,
) -> Result<InstanceProfileRow, ApiError> {
    let profile = {
        let mut c = app.store.read().await?;
        instance_profiles::get(&mut c, call.account_id(), name).await?
    };
    let arn = match &profile {
        Some(p) => p.arn(),
        None => profile_arn(call.account_id(), "/", name),
    };
    authorize_with(app, call, &arn, ctx).await?;
    profile.ok_or_else(|| no_such_profile(name))
}

/// The profile with its role (roles come without tags, as in AWS's answers).
async fn profile_out(
    app: &App,
    p: &InstanceProfileRow,
    tags: Vec<Tag>,
) -> Result<InstanceProfile, ApiError> {
    let roles = {
        let mut c = app.store.read().await?;
        instance_profiles::roles(&mut c, &p.instance_profile_id).await?
    };
    Ok(profile_with_roles(p, &roles, tags))
}

/// The answer shape of a profile holding `roles`.
pub fn profile_with_roles(
    p: &InstanceProfileRow,
    roles: &[store::roles::RoleRow],
    tags: Vec<Tag>,
) -> InstanceProfile {
    InstanceProfile {
        path: p.path.clone(),
        instance_profile_name: p.name.clone(),
        instance_profile_id: p.instance_profile_id.clone(),
        arn: p.arn(),
        create_date: store::from_epoch(p.create_date),
        roles: roles
            .iter()
            .map(|r| role_out(r, Vec::new(), false))
            .collect(),
        tags: (!tags.is_empty()).then_some(tags),
    }
}

pub async fn create_instance_profile(
    app: &App,
    call: &Call,
    input: CreateInstanceProfileRequest,
) -> Result<CreateInstanceProfileResponse, ApiError> {
    let path = input.path.unwrap_or_else(|| "/".into());
    validate::path(&path)?;
    let new_tags = input.tags.unwrap_or_default();
    validate::unique_tag_keys(&new_tags)?;
    authorize_with(
        app,
        call,
        &profile_arn(call.account_id(), &path, &input.instance_profile_name),
        tagging::request_tag_context(&new_tags),
    )
    .await?;
    let row = InstanceProfileRow {
        account_id: call.account_id().to_string(),
        instance_profile_id: ids::unique_id(IdKind::InstanceProfile),
        name: input.instance_profile_name,
        path,
        create_date: store::to_epoch(call.now),
    };
    let mut tx = app.store.write().await?;
    if instance_profiles::get(&mut tx, &row.account_id, &row.name)
        .await?
        .is_some()
    {
        return Err(errors::entity_already_exists(format!(
            "Instance Profile {} already exists.",
            row.name
        )));
    }
    instance_profiles::insert(&mut tx, &row).await?;
    tagging::put_new(
        &mut tx,
        &row.account_id,
        &row.instance_profile_id,
        &new_tags,
    )
    .await?;
    tx.commit().await?;
    Ok(CreateInstanceProfileResponse {
        instance_profile: profile_out(app, &row, new_tags).await?,
    })
}

pub async fn get_instance_profile(
    app: &App,
    call: &Call,
    input: GetInstanceProfileRequest,
) -> Result<GetInstanceProfileResponse, ApiError> {
    let p = authorized_profile(
        app,
        call,
        &input.instance_profile_name,
        RequestContext::new(),
    )
    .await?;
    let tags = tagging::all(app, &p.instance_profile_id).await?;
    Ok(GetInstanceProfileResponse {
        instance_profile: profile_out(app, &p, tags).await?,
    })
}

pub async fn list_instance_profiles(
    app: &App,
    call: &Call,
    input: ListInstanceProfilesRequest,
) -> Result<ListInstanceProfilesResponse, ApiError> {
    authorize(
        app,
        call,
        &format!("arn:aws:iam::{}:instance-profile/", call.account_id()),
    )
    .await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let prefix = input.path_prefix.unwrap_or_else(|| "/".into());
    let mut rows = {
        let mut c = app.store.read().await?;
        instance_profiles::list(
            &mut c,
            call.account_id(),
            &prefix,
            page.after.as_deref(),
            page.fetch_limit(),
        )
        .await?
    };
    let (truncated, marker) = page.finish(&mut rows, |p| &p.name);
    let mut out = Vec::with_capacity(rows.len());
    for p in &rows {
        out.push(profile_out(app, p, Vec::new()).await?);
    }
    Ok(ListInstanceProfilesResponse {
        instance_profiles: out,
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn list_instance_profiles_for_role(
    app: &App,
    call: &Call,
    input: ListInstanceProfilesForRoleRequest,
) -> Result<ListInstanceProfilesForRoleResponse, ApiError> {
    let role = authorized_role(app, call, &input.role_name).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut rows = {
        let mut c = app.store.read().await?;
        instance_profiles::for_role(&mut c, &role.role_id).await?
    };
    if let Some(after) = &page.after {
        rows.retain(|p| p.name.to_lowercase() > after.to_lowercase());
    }
    let (truncated, marker) = page.finish(&mut rows, |p| &p.name);
    let mut out = Vec::with_capacity(rows.len());
    for p in &rows {
        out.push(profile_out(app, p, Vec::new()).await?);
    }
    Ok(ListInstanceProfilesForRoleResponse {
        instance_profiles: out,
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn delete_instance_profile(
    app: &App,
    call: &Call,
    input: DeleteInstanceProfileRequest,
) -> Result<(), ApiError> {
    let p = authorized_profile(
        app,
        call,
        &input.instance_profile_name,
        RequestContext::new(),
    )
    .await?;
    let mut tx = app.store.write().await?;
    if !instance_profiles::roles(&mut tx, &p.instance_profile_id)
        .await?
        .is_empty()
    {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    store::tags::remove_all(&mut tx, &p.instance_profile_id).await?;
    instance_profiles::delete(&mut tx, &p.instance_profile_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_role_to_instance_profile(
    app: &App,
    call: &Call,
    input: AddRoleToInstanceProfileRequest,
) -> Result<(), ApiError> {
    let p = authorized_profile(
        app,
        call,
        &input.instance_profile_name,
        RequestContext::new(),
    )
    .await?;
    let role = {
        let mut c = app.store.read().await?;
        store::roles::get(&mut c, call.account_id(), &input.role_name).await?
    }
    .ok_or_else(|| super::roles::no_such_role(&input.role_name))?;
    // "The caller of this operation must be granted the PassRole permission on the IAM role"
    // (AddRoleToInstanceProfile, IAM API reference).
    authorize_action(
        app,
        call,
        "iam:PassRole",
        &role.arn(),
        RequestContext::new(),
    )
    .await?;
    let mut tx = app.store.write().await?;
    let current = instance_profiles::roles(&mut tx, &p.instance_profile_id).await?;
    if current.len() >= ROLES_PER_PROFILE {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: {ROLES_PER_PROFILE}"
        )));
    }
    instance_profiles::add_role(&mut tx, &p.instance_profile_id, &role.role_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_role_from_instance_profile(
    app: &App,
    call: &Call,
    input: RemoveRoleFromInstanceProfileRequest,
) -> Result<(), ApiError> {
    let p = authorized_profile(
        app,
        call,
        &input.instance_profile_name,
        RequestContext::new(),
    )
    .await?;
    let mut tx = app.store.write().await?;
    let role = store::roles::get(&mut tx, call.account_id(), &input.role_name)
        .await?
        .ok_or_else(|| super::roles::no_such_role(&input.role_name))?;
    if !instance_profiles::remove_role(&mut tx, &p.instance_profile_id, &role.role_id).await? {
        return Err(errors::no_such_entity(format!(
            "Role {} in Instance Profile {} cannot be found.",
            input.role_name, p.name
        )));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn tag_instance_profile(
    app: &App,
    call: &Call,
    input: TagInstanceProfileRequest,
) -> Result<(), ApiError> {
    let p = authorized_profile(
        app,
        call,
        &input.instance_profile_name,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(app, &p.account_id, &p.instance_profile_id, &input.tags).await
}

pub async fn untag_instance_profile(
    app: &App,
    call: &Call,
    input: UntagInstanceProfileRequest,
) -> Result<(), ApiError> {
    let p = authorized_profile(
        app,
        call,
        &input.instance_profile_name,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &p.instance_profile_id, &input.tag_keys).await
}

pub async fn list_instance_profile_tags(
    app: &App,
    call: &Call,
    input: ListInstanceProfileTagsRequest,
) -> Result<ListInstanceProfileTagsResponse, ApiError> {
    let p = authorized_profile(
        app,
        call,
        &input.instance_profile_name,
        RequestContext::new(),
    )
    .await?;
    let (tags, truncated, marker) = tagging::page(
        app,
        &p.instance_profile_id,
        input.marker.as_deref(),
        input.max_items,
    )
    .await?;
    Ok(ListInstanceProfileTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}
