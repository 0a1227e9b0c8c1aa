//! CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed.

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, Call, Principal};
use crate::ids;
use crate::store::{self, access_keys, access_keys::AccessKeyRow, users};

use super::pagination::Page;
use super::users::authorized_user;

/// IAM quota: two access keys per user (and for root).
const ACCESS_KEYS_PER_USER: usize = 2;

/// Whose keys (or signing certificates) a call manages: the named user, else the caller itself.
pub(super) struct KeyOwner {
    /// The user id, or the account id for root.
    pub owner_id: String,
    pub user_name: Option<String>,
}

pub(super) async fn owner(
    app: &App,
    call: &Call,
    user_name: Option<&str>,
) -> Result<KeyOwner, ApiError> {
    match (user_name, &call.principal) {
        (Some(name), _) => {
            let u = authorized_user(app, call, name).await?;
            Ok(KeyOwner {
                owner_id: u.user_id,
                user_name: Some(u.name),
            })
        }
        (None, Principal::User { name, .. }) => {
            let u = authorized_user(app, call, name).await?;
            Ok(KeyOwner {
                owner_id: u.user_id,
                user_name: Some(u.name),
            })
        }
        (None, Principal::Root { account_id }) => {
            authorize(app, call, &call.principal.arn()).await?;
            Ok(KeyOwner {
                owner_id: account_id.clone(),
                user_name: None,
            })
        }
        (None, _) => Err(super::users::non_user_credentials()),
    }
}

fn no_such_key(id: &str) -> ApiError {
    errors::no_such_entity(format!("The Access Key with id {id} cannot be found."))
}

pub async fn create_access_key(
    app: &App,
    call: &Call,
    input: CreateAccessKeyRequest,
) -> Result<CreateAccessKeyResponse, ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let mut tx = app.store.write().await?;
    if access_keys::list_for_user(&mut tx, &owner.owner_id)
        .await?
        .len()
        >= ACCESS_KEYS_PER_USER
    {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_USER}"
        )));
    }
    let row = AccessKeyRow {
        access_key_id: ids::access_key_id(call.account_id(), false),
        account_id: call.account_id().to_string(),
        user_id: owner.owner_id,
        secret: ids::secret_access_key(),
        status: "Active".into(),
        create_date: store::to_epoch(call.now),
        last_used_date: None,
        last_used_service: None,
        last_used_region: None,
    };
    access_keys::insert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(CreateAccessKeyResponse {
        access_key: AccessKey {
            user_name: owner.user_name.unwrap_or_default(),
            access_key_id: row.access_key_id,
            status: row.status,
            secret_access_key: row.secret,
            create_date: Some(store::from_epoch(row.create_date)),
        },
    })
}

pub async fn list_access_keys(
    app: &App,
    call: &Call,
    input: ListAccessKeysRequest,
) -> Result<ListAccessKeysResponse, ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut rows = {
        let mut c = app.store.read().await?;
        access_keys::list_for_user(&mut c, &owner.owner_id).await?
    };
    if let Some(after) = &page.after {
        if let Some(pos) = rows.iter().position(|k| &k.access_key_id == after) {
            rows.drain(..=pos);
        }
    }
    let (truncated, marker) = page.finish(&mut rows, |k| &k.access_key_id);
    Ok(ListAccessKeysResponse {
        access_key_metadata: rows
            .into_iter()
            .map(|k| AccessKeyMetadata {
                user_name: owner.user_name.clone(),
                access_key_id: Some(k.access_key_id),
                status: Some(k.status),
                create_date: Some(store::from_epoch(k.create_date)),
            })
            .collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

/// The key `id` of `owner`, or NoSuchEntity.
async fn owned_key(app: &App, owner: &KeyOwner, id: &str) -> Result<AccessKeyRow, ApiError> {
    let mut c = app.store.read().await?;
    access_keys::get(&mut c, id)
        .await?
        .filter(|k| k.user_id == owner.owner_id)
        .ok_or_else(|| no_such_key(id))
}

pub async fn update_access_key(
    app: &App,
    call: &Call,
    input: UpdateAccessKeyRequest,
) -> Result<(), ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let key = owned_key(app, &owner, &input.access_key_id).await?;
    let mut tx = app.store.write().await?;
    access_keys::set_status(&mut tx, &key.access_key_id, &input.status).await?;
    tx.commit().await?;
    app.invalidate_credentials();
    Ok(())
}

pub async fn delete_access_key(
    app: &App,
    call: &Call,
    input: DeleteAccessKeyRequest,
) -> Result<(), ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let key = owned_key(app, &owner, &input.access_key_id).await?;
    let mut tx = app.store.write().await?;
    access_keys::delete(&mut tx, &key.access_key_id).await?;
    tx.commit().await?;
    app.invalidate_credentials();
    Ok(())
}

pub async fn get_access_key_last_used(
    app: &App,
    call: &Call,
    input: GetAccessKeyLastUsedRequest,
) -> Result<GetAccessKeyLastUsedResponse, ApiError> {
    app.flush_last_used().await?;
    let (key, user) = {
        let mut c = app.store.read().await?;
        let key = access_keys::get(&mut c, &input.access_key_id)
            .await?
            .filter(|k| k.account_id == call.account_id());
        let user = match &key {
            Some(k) => users::get_by_id(&mut c, &k.user_id).await?,
            None => None,
        };
        (key, user)
    };
    let Some(key) = key else {
        // AWS answers an unknown key with AccessDenied in this exact form (recorded).
        return Err(ApiError::access_denied(format!(
            "User: {} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key {}",
            call.principal.arn(),
            input.access_key_id
        )));
    };
    let resource = match &user {
        Some(u) => u.arn(),
        None => call.principal.arn(),
    };
    authorize(app, call, &resource).await?;
    Ok(GetAccessKeyLastUsedResponse {
        user_name: user.map(|u| u.name),
        access_key_last_used: Some(AccessKeyLastUsed {
            last_used_date: key.last_used_date.map(store::from_epoch),
            service_name: key.last_used_service.unwrap_or_else(|| "N/A".into()),
            region: key.last_used_region.unwrap_or_else(|| "N/A".into()),
        }),
    })
}
