//! CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AddUserToGroup,
//! RemoveUserFromGroup, ListGroupsForUser.

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, Call};
use crate::ids::{self, IdKind};
use crate::store::{self, groups, groups::GroupRow, users};

use super::identity_policies::ensure_no_policies;
use super::pagination::Page;
use super::users::{authorized_user, user_out};

/// IAM quota: a user belongs to at most ten groups.
const GROUPS_PER_USER: usize = 10;

pub fn no_such_group(name: &str) -> ApiError {
    errors::no_such_entity(format!("The group with name {name} cannot be found."))
}

fn group_arn(account_id: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:group{path}{name}")
}

/// Looks the group up and authorizes the call on it (the check comes first, as in AWS).
pub async fn authorized_group(app: &App, call: &Call, name: &str) -> Result<GroupRow, ApiError> {
    let group = {
        let mut c = app.store.read().await?;
        groups::get(&mut c, call.account_id(), name).await?
    };
    let arn = match &group {
        Some(g) => g.arn(),
        None => group_arn(call.account_id(), "/", name),
    };
    authorize(app, call, &arn).await?;
    group.ok_or_else(|| no_such_group(name))
}

fn group_out(g: &GroupRow) -> Group {
    Group {
        path: g.path.clone(),
        group_name: g.name.clone(),
        group_id: g.group_id.clone(),
        arn: g.arn(),
        create_date: store::from_epoch(g.create_date),
    }
}

pub async fn create_group(
    app: &App,
    call: &Call,
    input: CreateGroupRequest,
) -> Result<CreateGroupResponse, ApiError> {
    let path = input.path.unwrap_or_else(|| "/".into());
    super::validate::path(&path)?;
    authorize(
        app,
        call,
        &group_arn(call.account_id(), &path, &input.group_name),
    )
    .await?;
    let mut tx = app.store.write().await?;
    if groups::get(&mut tx, call.account_id(), &input.group_name)
        .await?
        .is_some()
    {
        return Err(errors::entity_already_exists(format!(
            "Group with name {} already exists.",
            input.group_name
        )));
    }
    let row = GroupRow {
        account_id: call.account_id().into(),
        group_id: ids::unique_id(IdKind::Group),
        name: input.group_name,
        path,
        create_date: store::to_epoch(call.now),
    };
    groups::insert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(CreateGroupResponse {
        group: group_out(&row),
    })
}

pub async fn get_group(
    app: &App,
    call: &Call,
    input: GetGroupRequest,
) -> Result<GetGroupResponse, ApiError> {
    let g = authorized_group(app, call, &input.group_name).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut members = Vec::new();
    {
        let mut c = app.store.read().await?;
        for id in groups::member_ids(&mut c, &g.group_id).await? {
            if let Some(u) = users::get_by_id(&mut c, &id).await? {
                members.push(u);
            }
        }
    }
    if let Some(after) = &page.after {
        if let Some(pos) = members.iter().position(|u| &u.user_id == after) {
            members.drain(..=pos);
        }
    }
    let (truncated, marker) = page.finish(&mut members, |u| &u.user_id);
    Ok(GetGroupResponse {
        group: group_out(&g),
        users: members.iter().map(|u| user_out(u, Vec::new())).collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn list_groups(
    app: &App,
    call: &Call,
    input: ListGroupsRequest,
) -> Result<ListGroupsResponse, ApiError> {
    authorize(
        app,
        call,
        &format!("arn:aws:iam::{}:group/", call.account_id()),
    )
    .await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let prefix = input.path_prefix.unwrap_or_else(|| "/".into());
    let mut rows = {
        let mut c = app.store.read().await?;
        groups::list(
            &mut c,
            call.account_id(),
            &prefix,
            page.after.as_deref(),
            page.fetch_limit(),
        )
        .await?
    };
    let (truncated, marker) = page.finish(&mut rows, |g| &g.name);
    Ok(ListGroupsResponse {
        groups: rows.iter().map(group_out).collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn update_group(
    app: &App,
    call: &Call,
    input: UpdateGroupRequest,
) -> Result<(), ApiError> {
    if let Some(p) = &input.new_path {
        super::validate::path(p)?;
    }
    let g = authorized_group(app, call, &input.group_name).await?;
    let name = input.new_group_name.unwrap_or_else(|| g.name.clone());
    let path = input.new_path.unwrap_or_else(|| g.path.clone());
    let mut tx = app.store.write().await?;
    if let Some(other) = groups::get(&mut tx, call.account_id(), &name).await? {
        if other.group_id != g.group_id {
            return Err(errors::entity_already_exists(format!(
                "Group with name {name} already exists."
            )));
        }
    }
    groups::update(&mut tx, &g.group_id, &name, &path).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_group(
    app: &App,
    call: &Call,
    input: DeleteGroupRequest,
) -> Result<(), ApiError> {
    let g = authorized_group(app, call, &input.group_name).await?;
    let mut tx = app.store.write().await?;
    if !groups::member_ids(&mut tx, &g.group_id).await?.is_empty() {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must remove users from group first.",
        ));
    }
    ensure_no_policies(&mut tx, &g.group_id).await?;
    groups::delete(&mut tx, &g.group_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The user a membership call names (the call is authorized on the group).
async fn member(app: &App, call: &Call, name: &str) -> Result<users::UserRow, ApiError> {
    let mut c = app.store.read().await?;
    users::get(&mut c, call.account_id(), name)
        .await?
        .ok_or_else(|| super::users::no_such_user(name))
}

pub async fn add_user_to_group(
    app: &App,
    call: &Call,
    input: AddUserToGroupRequest,
) -> Result<(), ApiError> {
    let g = authorized_group(app, call, &input.group_name).await?;
    let u = member(app, call, &input.user_name).await?;
    let mut tx = app.store.write().await?;
    let current = groups::for_user(&mut tx, &u.user_id).await?;
    if !current.iter().any(|x| x.group_id == g.group_id) && current.len() >= GROUPS_PER_USER {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}"
        )));
    }
    groups::add_member(&mut tx, &g.group_id, &u.user_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_user_from_group(
    app: &App,
    call: &Call,
    input: RemoveUserFromGroupRequest,
) -> Result<(), ApiError> {
    let g = authorized_group(app, call, &input.group_name).await?;
    let u = member(app, call, &input.user_name).await?;
    let mut tx = app.store.write().await?;
    if !groups::remove_member(&mut tx, &g.group_id, &u.user_id).await? {
        return Err(super::users::no_such_user(&input.user_name));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn list_groups_for_user(
    app: &App,
    call: &Call,
    input: ListGroupsForUserRequest,
) -> Result<ListGroupsForUserResponse, ApiError> {
    let u = authorized_user(app, call, &input.user_name).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut rows = {
        let mut c = app.store.read().await?;
        groups::for_user(&mut c, &u.user_id).await?
    };
    if let Some(after) = &page.after {
        rows.retain(|g| g.name.as_str() > after.as_str());
    }
    let (truncated, marker) = page.finish(&mut rows, |g| &g.name);
    Ok(ListGroupsForUserResponse {
        groups: rows.iter().map(group_out).collect(),
        is_truncated: Some(truncated),
        marker,
    })
}
