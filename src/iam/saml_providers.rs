//! SAML 2.0 identity providers: Create/Get/List/Update/Delete and tags. The metadata document
//! is parsed for real (entity id, signing certificates, validUntil); AssumeRoleWithSAML (in
//! `sts`) checks responses against it.

use chrono::{DateTime, Months, Utc};

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, authorize_with, Call};
use crate::policy::RequestContext;
use crate::saml::metadata;
use crate::store::{self, saml_providers, saml_providers::SamlProviderRow};

use super::tagging;

/// IAM quotas (IAM User Guide, "IAM and AWS STS quotas": SAML providers in an account, 100).
const PROVIDERS_PER_ACCOUNT: i64 = 100;

/// AWS: a metadata document without `validUntil` gives a provider valid for 100 years from
/// its upload (as GetSAMLProvider answers show; not stated in the API reference).
const DEFAULT_VALIDITY: Months = Months::new(12 * 100);

pub fn provider_arn(account_id: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:saml-provider/{name}")
}

/// `arn:aws:iam::ACCOUNT:saml-provider/NAME` → (account, name).
pub fn parse_provider_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, name) = rest.split_once(":saml-provider/")?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty())
        .then_some((account, name))
}

fn not_found(arn: &str) -> ApiError {
    // As recorded from AWS (GetSAMLProvider on a missing provider).
    errors::no_such_entity(format!("Manifest not found for arn {arn}"))
}

/// The parsed metadata and the ValidUntil it gives a provider uploaded at `now`.
fn read_metadata(
    document: &str,
    now: DateTime<Utc>,
) -> Result<(metadata::Metadata, i64), ApiError> {
    // AWS: IAM User Guide, "Troubleshoot SAML federation" ("Could not parse metadata").
    let parsed =
        metadata::parse(document).map_err(|_| errors::invalid_input("Could not parse metadata"))?;
    let valid_until = parsed
        .valid_until
        .or_else(|| now.checked_add_months(DEFAULT_VALIDITY))
        .unwrap_or(now);
    Ok((parsed, store::to_epoch(valid_until)))
}

/// iamlocal accepts only unencrypted assertions; asking for encryption is refused rather
/// than ignored.
fn refuse_encryption(
    mode: Option<&str>,
    add_key: Option<&String>,
    remove_key: Option<&String>,
) -> Result<(), ApiError> {
    if mode == Some("Required") || add_key.is_some() || remove_key.is_some() {
        return Err(ApiError::not_implemented(
            "SAML assertion encryption (AssertionEncryptionMode Required, private keys)",
        ));
    }
    Ok(())
}

/// The provider `arn` names in the caller's account, after authorizing the call on it.
async fn authorized_provider(
    app: &App,
    call: &Call,
    arn: &str,
    ctx: RequestContext,
) -> Result<SamlProviderRow, ApiError> {
    authorize_with(app, call, arn, ctx).await?;
    let mut c = app.store.read().await?;
    saml_providers::get(&mut c, arn)
        .await?
        .filter(|p| p.account_id == call.account_id())
        .ok_or_else(|| not_found(arn))
}

pub async fn create_saml_provider(
    app: &App,
    call: &Call,
    input: CreateSAMLProviderRequest,
) -> Result<CreateSAMLProviderResponse, ApiError> {
    let arn = provider_arn(call.account_id(), &input.name);
    let tags = input.tags.unwrap_or_default();
    super::validate::unique_tag_keys(&tags)?;
    authorize_with(app, call, &arn, tagging::request_tag_context(&tags)).await?;
    refuse_encryption(
        input.assertion_encryption_mode.as_deref(),
        input.add_private_key.as_ref(),
        None,
    )?;
    let (parsed, valid_until) = read_metadata(&input.saml_metadata_document, call.now)?;
    let mut tx = app.store.write().await?;
    if saml_providers::get(&mut tx, &arn).await?.is_some() {
        // Wording not verified against AWS.
        return Err(errors::entity_already_exists(format!(
            "SAMLProvider {} already exists.",
            input.name
        )));
    }
    if saml_providers::count(&mut tx, call.account_id()).await? >= PROVIDERS_PER_ACCOUNT {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for SamlProvidersPerAccount: {PROVIDERS_PER_ACCOUNT}"
        )));
    }
    saml_providers::insert(
        &mut tx,
        &SamlProviderRow {
            arn: arn.clone(),
            account_id: call.account_id().to_string(),
            name: input.name,
            uuid: uuid::Uuid::new_v4().to_string(),
            metadata: input.saml_metadata_document,
            entity_id: parsed.entity_id,
            valid_until,
            create_date: store::to_epoch(call.now),
        },
    )
    .await?;
    tagging::put_new(&mut tx, call.account_id(), &arn, &tags).await?;
    tx.commit().await?;
    Ok(CreateSAMLProviderResponse {
        saml_provider_arn: Some(arn),
        tags: (!tags.is_empty()).then_some(tags),
    })
}

pub async fn get_saml_provider(
    app: &App,
    call: &Call,
    input: GetSAMLProviderRequest,
) -> Result<GetSAMLProviderResponse, ApiError> {
    let p = authorized_provider(app, call, &input.saml_provider_arn, RequestContext::new()).await?;
    let tags = tagging::all(app, &p.arn).await?;
    Ok(GetSAMLProviderResponse {
        saml_provider_uuid: Some(p.uuid),
        saml_metadata_document: Some(p.metadata),
        create_date: Some(store::from_epoch(p.create_date)),
        valid_until: Some(store::from_epoch(p.valid_until)),
        tags: Some(tags),
        ..GetSAMLProviderResponse::default()
    })
}

pub async fn list_saml_providers(
    app: &App,
    call: &Call,
    _input: ListSAMLProvidersRequest,
) -> Result<ListSAMLProvidersResponse, ApiError> {
    authorize(app, call, "*").await?;
    let rows = {
        let mut c = app.store.read().await?;
        saml_providers::list(&mut c, call.account_id()).await?
    };
    Ok(ListSAMLProvidersResponse {
        saml_provider_list: Some(
            rows.into_iter()
                .map(|p| SAMLProviderListEntry {
                    arn: Some(p.arn),
                    valid_until: Some(store::from_epoch(p.valid_until)),
                    create_date: Some(store::from_epoch(p.create_date)),
                    ..SAMLProviderListEntry::default()
                })
                .collect(),
        ),
    })
}

pub async fn update_saml_provider(
    app: &App,
    call: &Call,
    input: UpdateSAMLProviderRequest,
) -> Result<UpdateSAMLProviderResponse, ApiError> {
    let p = authorized_provider(app, call, &input.saml_provider_arn, RequestContext::new()).await?;
    refuse_encryption(
        input.assertion_encryption_mode.as_deref(),
        input.add_private_key.as_ref(),
        input.remove_private_key.as_ref(),
    )?;
    let Some(document) = input.saml_metadata_document else {
        // AWS: IAM User Guide, "Troubleshoot SAML federation".
        return Err(errors::invalid_input(
            "Unable to update identity provider. No updates are defined for metadata or encryption assertion.",
        ));
    };
    let (parsed, valid_until) = read_metadata(&document, call.now)?;
    let mut tx = app.store.write().await?;
    saml_providers::set_metadata(&mut tx, &p.arn, &document, &parsed.entity_id, valid_until)
        .await?;
    tx.commit().await?;
    Ok(UpdateSAMLProviderResponse {
        saml_provider_arn: Some(p.arn),
    })
}

pub async fn delete_saml_provider(
    app: &App,
    call: &Call,
    input: DeleteSAMLProviderRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(app, call, &input.saml_provider_arn, RequestContext::new()).await?;
    let mut tx = app.store.write().await?;
    saml_providers::delete(&mut tx, &p.arn).await?;
    store::tags::remove_all(&mut tx, &p.arn).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn tag_saml_provider(
    app: &App,
    call: &Call,
    input: TagSAMLProviderRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.saml_provider_arn,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(app, &p.account_id, &p.arn, &input.tags).await
}

pub async fn untag_saml_provider(
    app: &App,
    call: &Call,
    input: UntagSAMLProviderRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.saml_provider_arn,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &p.arn, &input.tag_keys).await
}

pub async fn list_saml_provider_tags(
    app: &App,
    call: &Call,
    input: ListSAMLProviderTagsRequest,
) -> Result<ListSAMLProviderTagsResponse, ApiError> {
    let p = authorized_provider(app, call, &input.saml_provider_arn, RequestContext::new()).await?;
    let (tags, truncated, marker) =
        tagging::page(app, &p.arn, input.marker.as_deref(), input.max_items).await?;
    Ok(ListSAMLProviderTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}
