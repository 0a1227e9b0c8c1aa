//! Service-specific credentials: CreateServiceSpecificCredential,
//! ListServiceSpecificCredentials, ResetServiceSpecificCredential,
//! UpdateServiceSpecificCredential, DeleteServiceSpecificCredential.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::Call;
use crate::ids::{self, IdKind};
use crate::store::{self, service_credentials, service_credentials::ServiceCredentialRow};

use super::access_keys::{owner, KeyOwner};
use super::pagination::Page;
use super::users::authorized_user;

/// Services that take a user name and password (CreateServiceSpecificCredential reference:
/// CodeCommit and Amazon Keyspaces).
const SERVICES: &[&str] = &["codecommit.amazonaws.com", "cassandra.amazonaws.com"];

/// IAM quota: two credentials per user per service.
const PER_USER_PER_SERVICE: usize = 2;

/// As recorded from AWS.
fn unsupported_service(name: &str) -> ApiError {
    errors::no_such_entity(format!(
        "No such service {name} is supported for Service Specific Credentials"
    ))
}

/// As recorded from AWS.
fn no_such_credential(id: &str) -> ApiError {
    errors::no_such_entity(format!("No such credential {id} exists"))
}

/// A new password and its hash: 32 random bytes as Base64 (44 characters, as AWS's look).
fn new_password() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let password = STANDARD.encode(bytes);
    let hash = hex::encode(Sha256::digest(password.as_bytes()));
    (password, hash)
}

fn credential_out(
    user_name: &str,
    row: ServiceCredentialRow,
    password: String,
) -> ServiceSpecificCredential {
    ServiceSpecificCredential {
        create_date: store::from_epoch(row.create_date),
        service_name: row.service_name,
        service_user_name: Some(row.service_user_name),
        service_password: Some(password),
        service_specific_credential_id: row.credential_id,
        user_name: user_name.to_string(),
        status: row.status,
        ..ServiceSpecificCredential::default()
    }
}

async fn owned_credential(
    app: &App,
    owner: &KeyOwner,
    id: &str,
) -> Result<ServiceCredentialRow, ApiError> {
    let mut c = app.store.read().await?;
    service_credentials::list_for_user(&mut c, &owner.owner_id)
        .await?
        .into_iter()
        .find(|r| r.credential_id == id)
        .ok_or_else(|| no_such_credential(id))
}

pub async fn create_service_specific_credential(
    app: &App,
    call: &Call,
    input: CreateServiceSpecificCredentialRequest,
) -> Result<CreateServiceSpecificCredentialResponse, ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    if !SERVICES.contains(&input.service_name.as_str()) {
        return Err(unsupported_service(&input.service_name));
    }
    let mut tx = app.store.write().await?;
    let same_service = service_credentials::list_for_user(&mut tx, &user.user_id)
        .await?
        .into_iter()
        .filter(|r| r.service_name == input.service_name)
        .count();
    if same_service >= PER_USER_PER_SERVICE {
        // Not recorded from AWS: the form of AWS's other quota messages.
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: {PER_USER_PER_SERVICE}"
        )));
    }
    let (password, hash) = new_password();
    let row = ServiceCredentialRow {
        credential_id: ids::unique_id(IdKind::ServiceSpecificCredential),
        account_id: user.account_id.clone(),
        user_id: user.user_id.clone(),
        service_name: input.service_name,
        // AWS names the service user `<user>-at-<account>`.
        service_user_name: format!("{}-at-{}", user.name, user.account_id),
        password_hash: hash,
        status: "Active".into(),
        create_date: store::to_epoch(call.now),
    };
    service_credentials::insert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(CreateServiceSpecificCredentialResponse {
        service_specific_credential: Some(credential_out(&user.name, row, password)),
    })
}

pub async fn list_service_specific_credentials(
    app: &App,
    call: &Call,
    input: ListServiceSpecificCredentialsRequest,
) -> Result<ListServiceSpecificCredentialsResponse, ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut rows = {
        let mut c = app.store.read().await?;
        service_credentials::list_for_user(&mut c, &owner.owner_id).await?
    };
    if let Some(service) = &input.service_name {
        rows.retain(|r| &r.service_name == service);
    }
    if let Some(after) = &page.after {
        rows.retain(|r| r.credential_id.as_str() > after.as_str());
    }
    let (truncated, marker) = page.finish(&mut rows, |r| &r.credential_id);
    let user_name = owner.user_name.unwrap_or_default();
    Ok(ListServiceSpecificCredentialsResponse {
        service_specific_credentials: Some(
            rows.into_iter()
                .map(|r| ServiceSpecificCredentialMetadata {
                    user_name: user_name.clone(),
                    status: r.status,
                    service_user_name: Some(r.service_user_name),
                    create_date: store::from_epoch(r.create_date),
                    service_specific_credential_id: r.credential_id,
                    service_name: r.service_name,
                    ..ServiceSpecificCredentialMetadata::default()
                })
                .collect(),
        ),
        marker,
        is_truncated: Some(truncated),
    })
}

pub async fn reset_service_specific_credential(
    app: &App,
    call: &Call,
    input: ResetServiceSpecificCredentialRequest,
) -> Result<ResetServiceSpecificCredentialResponse, ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let row = owned_credential(app, &owner, &input.service_specific_credential_id).await?;
    let (password, hash) = new_password();
    let mut tx = app.store.write().await?;
    service_credentials::set_password_hash(&mut tx, &row.credential_id, &hash).await?;
    tx.commit().await?;
    Ok(ResetServiceSpecificCredentialResponse {
        service_specific_credential: Some(credential_out(
            &owner.user_name.unwrap_or_default(),
            row,
            password,
        )),
    })
}

pub async fn update_service_specific_credential(
    app: &App,
    call: &Call,
    input: UpdateServiceSpecificCredentialRequest,
) -> Result<(), ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let row = owned_credential(app, &owner, &input.service_specific_credential_id).await?;
    let mut tx = app.store.write().await?;
    service_credentials::set_status(&mut tx, &row.credential_id, &input.status).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_service_specific_credential(
    app: &App,
    call: &Call,
    input: DeleteServiceSpecificCredentialRequest,
) -> Result<(), ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let row = owned_credential(app, &owner, &input.service_specific_credential_id).await?;
    let mut tx = app.store.write().await?;
    service_credentials::delete(&mut tx, &row.credential_id).await?;
    tx.commit().await?;
    Ok(())
}
