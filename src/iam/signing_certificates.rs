//! X.509 signing certificates: UploadSigningCertificate, ListSigningCertificates,
//! UpdateSigningCertificate, DeleteSigningCertificate. Like access keys they belong to the
//! named user, else to the caller (root included).

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::Call;
use crate::ids;
use crate::store::{self, signing_certificates, signing_certificates::SigningCertificateRow};

use super::access_keys::{owner, KeyOwner};
use super::pagination::Page;
use super::x509;

/// IAM quota: two signing certificates per user.
const CERTIFICATES_PER_USER: usize = 2;

/// As recorded from AWS (UpdateSigningCertificate of an unknown id).
fn no_such_certificate(id: &str) -> ApiError {
    errors::no_such_entity(format!("The Certificate with id {id} cannot be found."))
}

fn certificate_out(owner: &KeyOwner, row: SigningCertificateRow) -> SigningCertificate {
    SigningCertificate {
        user_name: owner.user_name.clone().unwrap_or_default(),
        certificate_id: row.certificate_id,
        certificate_body: row.body,
        status: row.status,
        upload_date: Some(store::from_epoch(row.upload_date)),
    }
}

/// The certificate `id` of `owner`, or NoSuchEntity.
async fn owned_certificate(
    app: &App,
    owner: &KeyOwner,
    id: &str,
) -> Result<SigningCertificateRow, ApiError> {
    let mut c = app.store.read().await?;
    signing_certificates::list_for_user(&mut c, &owner.owner_id)
        .await?
        .into_iter()
        .find(|r| r.certificate_id == id)
        .ok_or_else(|| no_such_certificate(id))
}

pub async fn upload_signing_certificate(
    app: &App,
    call: &Call,
    input: UploadSigningCertificateRequest,
) -> Result<UploadSigningCertificateResponse, ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let parsed = x509::parse(&input.certificate_body)?;
    let mut tx = app.store.write().await?;
    // "the same certificate is associated with an IAM user in the account" (DuplicateCertificate).
    if signing_certificates::exists_in_account(&mut tx, call.account_id(), &parsed.fingerprint)
        .await?
    {
        // Not recorded from AWS: wording in AWS's style.
        return Err(errors::duplicate_certificate(
            "The same certificate is already associated with an IAM user in the account.",
        ));
    }
    if signing_certificates::list_for_user(&mut tx, &owner.owner_id)
        .await?
        .len()
        >= CERTIFICATES_PER_USER
    {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for CertificatesPerUser: {CERTIFICATES_PER_USER}"
        )));
    }
    let row = SigningCertificateRow {
        certificate_id: ids::certificate_id(),
        account_id: call.account_id().to_string(),
        user_id: owner.owner_id.clone(),
        body: input.certificate_body.trim().to_string(),
        fingerprint: parsed.fingerprint,
        status: "Active".into(),
        upload_date: store::to_epoch(call.now),
    };
    signing_certificates::insert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(UploadSigningCertificateResponse {
        certificate: certificate_out(&owner, row),
    })
}

pub async fn list_signing_certificates(
    app: &App,
    call: &Call,
    input: ListSigningCertificatesRequest,
) -> Result<ListSigningCertificatesResponse, ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut rows = {
        let mut c = app.store.read().await?;
        signing_certificates::list_for_user(&mut c, &owner.owner_id).await?
    };
    if let Some(after) = &page.after {
        rows.retain(|r| r.certificate_id.as_str() > after.as_str());
    }
    let (truncated, marker) = page.finish(&mut rows, |r| &r.certificate_id);
    Ok(ListSigningCertificatesResponse {
        certificates: rows
            .into_iter()
            .map(|r| certificate_out(&owner, r))
            .collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn update_signing_certificate(
    app: &App,
    call: &Call,
    input: UpdateSigningCertificateRequest,
) -> Result<(), ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let row = owned_certificate(app, &owner, &input.certificate_id).await?;
    let mut tx = app.store.write().await?;
    signing_certificates::set_status(&mut tx, &row.certificate_id, &input.status).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_signing_certificate(
    app: &App,
    call: &Call,
    input: DeleteSigningCertificateRequest,
) -> Result<(), ApiError> {
    let owner = owner(app, call, input.user_name.as_deref()).await?;
    let row = owned_certificate(app, &owner, &input.certificate_id).await?;
    let mut tx = app.store.write().await?;
    signing_certificates::delete(&mut tx, &row.certificate_id).await?;
    tx.commit().await?;
    Ok(())
}
