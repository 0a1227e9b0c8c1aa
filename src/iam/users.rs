//! CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, TagUser, UntagUser, ListUserTags.

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, authorize_with, Call, Principal};
use crate::ids::{self, IdKind};
use crate::policy::RequestContext;
use crate::store::{
    self, access_keys, groups, login_profiles, mfa, service_credentials, signing_certificates,
    ssh_keys, tags, users, users::UserRow,
};

use super::pagination::Page;
use super::{tagging, validate};

pub fn no_such_user(name: &str) -> ApiError {
    errors::no_such_entity(format!("The user with name {name} cannot be found."))
}

/// The ARN a user named `name` has (or would have at the root path).
pub fn user_arn(account_id: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:user{path}{name}")
}

/// Looks the user up and authorizes the call on it. The check comes first, as in AWS, so a
/// caller without permission learns nothing about which users exist.
pub async fn authorized_user(app: &App, call: &Call, name: &str) -> Result<UserRow, ApiError> {
    authorized_user_with(app, call, name, RequestContext::new()).await
}

/// As `authorized_user`, with the operation's own context keys.
pub async fn authorized_user_with(
    app: &App,
    call: &Call,
    name: &str,
    ctx: RequestContext,
) -> Result<UserRow, ApiError> {
    let user = cached_user(app, call.account_id(), name).await?;
    let arn = match &user {
        Some(u) => u.arn(),
        None => user_arn(call.account_id(), "/", name),
    };
    authorize_with(app, call, &arn, ctx).await?;
    user.ok_or_else(|| no_such_user(name))
}

/// The user named `name` (case-insensitively), through the app's generation cache.
async fn cached_user(app: &App, account_id: &str, name: &str) -> Result<Option<UserRow>, ApiError> {
    let generation = app.store.generation();
    // ASCII folding, as SQLite's NOCASE collation compares names.
    let key = (account_id.to_string(), name.to_ascii_lowercase());
    if let Some(hit) = app.user_rows.get(&key, generation) {
        return Ok(hit);
    }
    let user = {
        let mut c = app.store.read().await?;
        users::get(&mut c, account_id, name).await?
    };
    app.user_rows.put(key, generation, user.clone());
    Ok(user)
}

/// A stored permissions boundary ARN as IAM shows it.
pub fn boundary_out(arn: Option<&String>) -> Option<AttachedPermissionsBoundary> {
    arn.map(|arn| AttachedPermissionsBoundary {
        permissions_boundary_type: Some("PermissionsBoundaryPolicy".into()),
        permissions_boundary_arn: Some(arn.clone()),
    })
}

pub fn user_out(u: &UserRow, tags: Vec<Tag>) -> User {
    User {
        path: u.path.clone(),
        user_name: u.name.clone(),
        user_id: u.user_id.clone(),
        arn: u.arn(),
        create_date: store::from_epoch(u.create_date),
        password_last_used: u.password_last_used.map(store::from_epoch),
        permissions_boundary: boundary_out(u.permissions_boundary.as_ref()),
        tags: (!tags.is_empty()).then_some(tags),
    }
}

pub async fn create_user(
    app: &App,
    call: &Call,
    input: CreateUserRequest,
) -> Result<CreateUserResponse, ApiError> {
    let path = input.path.unwrap_or_else(|| "/".into());
    validate::path(&path)?;
    let new_tags = input.tags.unwrap_or_default();
    validate::unique_tag_keys(&new_tags)?;
    let arn = user_arn(call.account_id(), &path, &input.user_name);
    let mut ctx = tagging::request_tag_context(&new_tags);
    if let Some(b) = &input.permissions_boundary {
        ctx.set("iam:PermissionsBoundary", b.clone());
    }
    authorize_with(app, call, &arn, ctx).await?;
    if let Some(boundary) = &input.permissions_boundary {
        ensure_boundary_exists(app, call, boundary).await?;
    }
    let mut tx = app.store.write().await?;
    if users::get(&mut tx, call.account_id(), &input.user_name)
        .await?
        .is_some()
    {
        return Err(errors::entity_already_exists(format!(
            "User with name {} already exists.",
            input.user_name
        )));
    }
    let row = UserRow {
        account_id: call.account_id().to_string(),
        user_id: ids::unique_id(IdKind::User),
        name: input.user_name,
        path,
        create_date: store::to_epoch(call.now),
        password_last_used: None,
        permissions_boundary: input.permissions_boundary,
    };
    users::insert(&mut tx, &row).await?;
    tagging::put_new(&mut tx, &row.account_id, &row.user_id, &new_tags).await?;
    tx.commit().await?;
    Ok(CreateUserResponse {
        user: Some(user_out(&row, new_tags)),
    })
}

/// A role or federated session left out the user name an operation defaults to the caller's.
pub(super) fn non_user_credentials() -> ApiError {
    ApiError::validation("Must specify userName when calling with non-User credentials")
}

pub async fn get_user(
    app: &App,
    call: &Call,
    input: GetUserRequest,
) -> Result<GetUserResponse, ApiError> {
    let name = match (input.user_name, &call.principal) {
        (Some(n), _) => n,
        (None, Principal::User { name, .. }) => name.clone(),
        (None, Principal::Root { account_id }) => {
            authorize(app, call, &call.principal.arn()).await?;
            // Root has no user name or path; AWS answers with its id and ARN.
            return Ok(GetUserResponse {
                user: User {
                    user_id: account_id.clone(),
                    arn: call.principal.arn(),
                    create_date: app.started,
                    ..User::default()
                },
            });
        }
        (None, _) => return Err(non_user_credentials()),
    };
    let user = authorized_user(app, call, &name).await?;
    let tags = tagging::all(app, &user.user_id).await?;
    Ok(GetUserResponse {
        user: user_out(&user, tags),
    })
}

pub async fn list_users(
    app: &App,
    call: &Call,
    input: ListUsersRequest,
) -> Result<ListUsersResponse, ApiError> {
    authorize(
        app,
        call,
        &format!("arn:aws:iam::{}:user/", call.account_id()),
    )
    .await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let prefix = input.path_prefix.unwrap_or_else(|| "/".into());
    let mut rows = {
        let mut c = app.store.read().await?;
        users::list(
            &mut c,
            call.account_id(),
            &prefix,
            page.after.as_deref(),
            page.fetch_limit(),
        )
        .await?
    };
    let (truncated, marker) = page.finish(&mut rows, |u| &u.name);
    Ok(ListUsersResponse {
        users: rows.iter().map(|u| user_out(u, Vec::new())).collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn update_user(app: &App, call: &Call, input: UpdateUserRequest) -> Result<(), ApiError> {
    if let Some(p) = &input.new_path {
        validate::path(p)?;
    }
    let user = authorized_user(app, call, &input.user_name).await?;
    let new_name = input.new_user_name.unwrap_or_else(|| user.name.clone());
    let new_path = input.new_path.unwrap_or_else(|| user.path.clone());
    if new_name != user.name {
        // Renaming needs permission on the new name too (IAM User Guide, "Renaming an IAM user").
        authorize(
            app,
            call,
            &user_arn(call.account_id(), &new_path, &new_name),
        )
        .await?;
    }
    let mut tx = app.store.write().await?;
    if let Some(other) = users::get(&mut tx, call.account_id(), &new_name).await? {
        if other.user_id != user.user_id {
            return Err(errors::entity_already_exists(format!(
                "User with name {new_name} already exists."
            )));
        }
    }
    users::update(&mut tx, &user.user_id, &new_name, &new_path).await?;
    tx.commit().await?;
    app.invalidate_credentials();
    Ok(())
}

pub async fn delete_user(app: &App, call: &Call, input: DeleteUserRequest) -> Result<(), ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let mut tx = app.store.write().await?;
    if !access_keys::list_for_user(&mut tx, &user.user_id)
        .await?
        .is_empty()
    {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must delete access keys first.",
        ));
    }
    if login_profiles::get(&mut tx, &user.user_id).await?.is_some() {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must delete login profile first.",
        ));
    }
    if !mfa::list_for_user(&mut tx, &user.user_id).await?.is_empty() {
        // AWS's wording, as its SDKs report it.
        return Err(errors::delete_conflict(
            "Cannot delete entity, must delete MFA device first.",
        ));
    }
    if !ssh_keys::list_for_user(&mut tx, &user.user_id)
        .await?
        .is_empty()
        || !signing_certificates::list_for_user(&mut tx, &user.user_id)
            .await?
            .is_empty()
        || !service_credentials::list_for_user(&mut tx, &user.user_id)
            .await?
            .is_empty()
    {
        // As recorded from AWS for a user that still has a credential of this kind.
        return Err(errors::delete_conflict(
            "Cannot delete entity, must remove referenced objects first.",
        ));
    }
    if !groups::for_user(&mut tx, &user.user_id).await?.is_empty() {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must remove user from all groups first.",
        ));
    }
    super::identity_policies::ensure_no_policies(&mut tx, &user.user_id).await?;
    tags::remove_all(&mut tx, &user.user_id).await?;
    users::delete(&mut tx, &user.user_id).await?;
    tx.commit().await?;
    app.invalidate_credentials();
    Ok(())
}

pub async fn tag_user(app: &App, call: &Call, input: TagUserRequest) -> Result<(), ApiError> {
    let user = authorized_user_with(
        app,
        call,
        &input.user_name,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(app, &user.account_id, &user.user_id, &input.tags).await
}

pub async fn untag_user(app: &App, call: &Call, input: UntagUserRequest) -> Result<(), ApiError> {
    let user = authorized_user_with(
        app,
        call,
        &input.user_name,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &user.user_id, &input.tag_keys).await
}

pub async fn list_user_tags(
    app: &App,
    call: &Call,
    input: ListUserTagsRequest,
) -> Result<ListUserTagsResponse, ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let (tags, is_truncated, marker) =
        tagging::page(app, &user.user_id, input.marker.as_deref(), input.max_items).await?;
    Ok(ListUserTagsResponse {
        tags,
        is_truncated: Some(is_truncated),
        marker,
    })
}

/// `iam:PermissionsBoundary` for the calls that set one (Service Authorization Reference).
pub(super) fn boundary_context(boundary: Option<&str>) -> RequestContext {
    let mut ctx = RequestContext::new();
    if let Some(b) = boundary {
        ctx.set("iam:PermissionsBoundary", b);
    }
    ctx
}

/// A boundary must be an existing managed policy (the account's or AWS's).
pub(super) async fn ensure_boundary_exists(
    app: &App,
    call: &Call,
    arn: &str,
) -> Result<(), ApiError> {
    super::policy_documents::parse_policy_arn(arn)
        .map_err(|_| errors::invalid_input(format!("ARN {arn} is not valid.")))?;
    match super::policies::find(app, call.account_id(), arn).await? {
        Some(_) => Ok(()),
        None => Err(errors::no_such_entity(format!(
            "Scope ARN: {arn} does not exist or is not attachable."
        ))),
    }
}

pub async fn put_user_permissions_boundary(
    app: &App,
    call: &Call,
    input: PutUserPermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let user = authorized_user_with(
        app,
        call,
        &input.user_name,
        boundary_context(Some(&input.permissions_boundary)),
    )
    .await?;
    ensure_boundary_exists(app, call, &input.permissions_boundary).await?;
    let mut tx = app.store.write().await?;
    users::set_boundary(&mut tx, &user.user_id, Some(&input.permissions_boundary)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_user_permissions_boundary(
    app: &App,
    call: &Call,
    input: DeleteUserPermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let mut tx = app.store.write().await?;
    users::set_boundary(&mut tx, &user.user_id, None).await?;
    tx.commit().await?;
    Ok(())
}
