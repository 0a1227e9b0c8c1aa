//! Server certificates: UploadServerCertificate, GetServerCertificate, ListServerCertificates,
//! UpdateServerCertificate, DeleteServerCertificate, TagServerCertificate,
//! UntagServerCertificate, ListServerCertificateTags.

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::RsaPrivateKey;
use x509_cert::der::Encode;

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, authorize_with, Call};
use crate::ids::{self, IdKind};
use crate::policy::RequestContext;
use crate::store::{self, server_certificates, server_certificates::ServerCertificateRow, tags};

use super::pagination::Page;
use super::{tagging, validate, x509};

pub fn server_certificate_arn(account_id: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:server-certificate{path}{name}")
}

/// As recorded from AWS.
fn no_such_certificate(name: &str) -> ApiError {
    errors::no_such_entity(format!(
        "The Server Certificate with name {name} cannot be found."
    ))
}

/// As recorded from AWS.
fn already_exists(name: &str) -> ApiError {
    errors::entity_already_exists(format!(
        "The Server Certificate with name {name} already exists."
    ))
}

/// The RSA private key in PKCS#8 or PKCS#1 PEM; it must be the certificate's key.
fn check_private_key(key_pem: &str, cert: &x509::ParsedCertificate) -> Result<(), ApiError> {
    let key_pem = key_pem.trim();
    let key = RsaPrivateKey::from_pkcs8_pem(key_pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(key_pem))
        // Not recorded from AWS: wording in AWS's style.
        .map_err(|_| errors::malformed_certificate("The private key is malformed."))?;
    let from_key = key
        .to_public_key()
        .to_public_key_der()
        .map(|d| d.into_vec());
    let from_cert = cert
        .certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der();
    match (from_key, from_cert) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        // Not recorded from AWS: wording in AWS's style.
        _ => Err(errors::key_pair_mismatch(
            "The public key in the certificate does not match the private key.",
        )),
    }
}

fn metadata(r: &ServerCertificateRow) -> ServerCertificateMetadata {
    ServerCertificateMetadata {
        path: r.path.clone(),
        server_certificate_name: r.name.clone(),
        server_certificate_id: r.server_certificate_id.clone(),
        arn: server_certificate_arn(&r.account_id, &r.path, &r.name),
        upload_date: Some(store::from_epoch(r.upload_date)),
        expiration: Some(store::from_epoch(r.expiration)),
    }
}

/// The named certificate after authorizing the call on it (on its would-be ARN if unknown).
async fn authorized_certificate(
    app: &App,
    call: &Call,
    name: &str,
    ctx: RequestContext,
) -> Result<ServerCertificateRow, ApiError> {
    let row = {
        let mut c = app.store.read().await?;
        server_certificates::get(&mut c, call.account_id(), name).await?
    };
    let arn = match &row {
        Some(r) => server_certificate_arn(&r.account_id, &r.path, &r.name),
        None => server_certificate_arn(call.account_id(), "/", name),
    };
    authorize_with(app, call, &arn, ctx).await?;
    row.ok_or_else(|| no_such_certificate(name))
}

pub async fn upload_server_certificate(
    app: &App,
    call: &Call,
    input: UploadServerCertificateRequest,
) -> Result<UploadServerCertificateResponse, ApiError> {
    let path = input.path.unwrap_or_else(|| "/".into());
    validate::path(&path)?;
    let new_tags = input.tags.unwrap_or_default();
    validate::unique_tag_keys(&new_tags)?;
    validate::tag_quota(&[], &new_tags)?;
    let name = input.server_certificate_name;
    authorize_with(
        app,
        call,
        &server_certificate_arn(call.account_id(), &path, &name),
        tagging::request_tag_context(&new_tags),
    )
    .await?;
    let cert = x509::parse(&input.certificate_body)?;
    check_private_key(&input.private_key, &cert)?;
    if let Some(chain) = &input.certificate_chain {
        x509::parse_chain(chain)?;
    }
    let expiration = cert
        .not_after()
        .ok_or_else(|| x509::malformed(&input.certificate_body))?;
    let row = ServerCertificateRow {
        server_certificate_id: ids::unique_id(IdKind::ServerCertificate),
        account_id: call.account_id().to_string(),
        name,
        path,
        body: input.certificate_body.trim().to_string(),
        chain: input.certificate_chain.map(|c| c.trim().to_string()),
        upload_date: store::to_epoch(call.now),
        expiration: store::to_epoch(expiration),
    };
    let mut tx = app.store.write().await?;
    if server_certificates::get(&mut tx, call.account_id(), &row.name)
        .await?
        .is_some()
    {
        return Err(already_exists(&row.name));
    }
    server_certificates::insert(&mut tx, &row).await?;
    tagging::put_new(
        &mut tx,
        call.account_id(),
        &row.server_certificate_id,
        &new_tags,
    )
    .await?;
    tx.commit().await?;
    Ok(UploadServerCertificateResponse {
        server_certificate_metadata: Some(metadata(&row)),
        tags: (!new_tags.is_empty()).then_some(new_tags),
    })
}

pub async fn get_server_certificate(
    app: &App,
    call: &Call,
    input: GetServerCertificateRequest,
) -> Result<GetServerCertificateResponse, ApiError> {
    let row = authorized_certificate(
        app,
        call,
        &input.server_certificate_name,
        RequestContext::new(),
    )
    .await?;
    let tags = tagging::all(app, &row.server_certificate_id).await?;
    Ok(GetServerCertificateResponse {
        server_certificate: ServerCertificate {
            server_certificate_metadata: metadata(&row),
            certificate_body: row.body,
            certificate_chain: row.chain,
            tags: (!tags.is_empty()).then_some(tags),
        },
    })
}

pub async fn list_server_certificates(
    app: &App,
    call: &Call,
    input: ListServerCertificatesRequest,
) -> Result<ListServerCertificatesResponse, ApiError> {
    authorize(
        app,
        call,
        &format!("arn:aws:iam::{}:server-certificate/", call.account_id()),
    )
    .await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let prefix = input.path_prefix.unwrap_or_else(|| "/".into());
    let mut rows = {
        let mut c = app.store.read().await?;
        server_certificates::list(
            &mut c,
            call.account_id(),
            &prefix,
            page.after.as_deref(),
            page.fetch_limit(),
        )
        .await?
    };
    let (truncated, marker) = page.finish(&mut rows, |r| &r.name);
    Ok(ListServerCertificatesResponse {
        server_certificate_metadata_list: rows.iter().map(metadata).collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn update_server_certificate(
    app: &App,
    call: &Call,
    input: UpdateServerCertificateRequest,
) -> Result<(), ApiError> {
    let row = authorized_certificate(
        app,
        call,
        &input.server_certificate_name,
        RequestContext::new(),
    )
    .await?;
    let name = input
        .new_server_certificate_name
        .unwrap_or(row.name.clone());
    let path = input.new_path.unwrap_or(row.path.clone());
    validate::path(&path)?;
    // Renaming needs the action on the new name too (IAM's documentation for UpdateServerCertificate).
    authorize(
        app,
        call,
        &server_certificate_arn(call.account_id(), &path, &name),
    )
    .await?;
    let mut tx = app.store.write().await?;
    if let Some(other) = server_certificates::get(&mut tx, call.account_id(), &name).await? {
        if other.server_certificate_id != row.server_certificate_id {
            return Err(already_exists(&name));
        }
    }
    server_certificates::rename(&mut tx, &row.server_certificate_id, &name, &path).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_server_certificate(
    app: &App,
    call: &Call,
    input: DeleteServerCertificateRequest,
) -> Result<(), ApiError> {
    let row = authorized_certificate(
        app,
        call,
        &input.server_certificate_name,
        RequestContext::new(),
    )
    .await?;
    let mut tx = app.store.write().await?;
    tags::remove_all(&mut tx, &row.server_certificate_id).await?;
    server_certificates::delete(&mut tx, &row.server_certificate_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn tag_server_certificate(
    app: &App,
    call: &Call,
    input: TagServerCertificateRequest,
) -> Result<(), ApiError> {
    let row = authorized_certificate(
        app,
        call,
        &input.server_certificate_name,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(
        app,
        &row.account_id,
        &row.server_certificate_id,
        &input.tags,
    )
    .await
}

pub async fn untag_server_certificate(
    app: &App,
    call: &Call,
    input: UntagServerCertificateRequest,
) -> Result<(), ApiError> {
    let row = authorized_certificate(
        app,
        call,
        &input.server_certificate_name,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &row.server_certificate_id, &input.tag_keys).await
}

pub async fn list_server_certificate_tags(
    app: &App,
    call: &Call,
    input: ListServerCertificateTagsRequest,
) -> Result<ListServerCertificateTagsResponse, ApiError> {
    let row = authorized_certificate(
        app,
        call,
        &input.server_certificate_name,
        RequestContext::new(),
    )
    .await?;
    let (tags, truncated, marker) = tagging::page(
        app,
        &row.server_certificate_id,
        input.marker.as_deref(),
        input.max_items,
    )
    .await?;
    Ok(ListServerCertificateTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}
