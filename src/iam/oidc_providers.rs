//! OpenID Connect identity providers: Create/Get/List/Delete, client ids, thumbprints, tags.
//! AssumeRoleWithWebIdentity (in `sts`) trusts tokens whose issuer is one of these.

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, authorize_with, Call};
use crate::policy::RequestContext;
use crate::store::{self, oidc_providers, oidc_providers::OidcProviderRow};

use super::tagging;

/// IAM quotas (IAM User Guide, "IAM and AWS STS quotas").
const PROVIDERS_PER_ACCOUNT: usize = 100;
const CLIENT_IDS_PER_PROVIDER: usize = 100;
const THUMBPRINTS_PER_PROVIDER: usize = 5;

fn not_found(arn: &str) -> ApiError {
    errors::no_such_entity(format!("OpenIDConnect Provider not found for arn {arn}"))
}

/// `https://host/path` → `host/path`, as the provider's ARN carries it.
fn issuer_of(url: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::validation("Invalid Open ID Connect Provider URL");
    let rest = url.strip_prefix("https://").ok_or_else(invalid)?;
    let rest = rest.trim_end_matches('/');
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(invalid());
    }
    Ok(rest.to_string())
}

pub fn provider_arn(account_id: &str, issuer: &str) -> String {
    format!("arn:aws:iam::{account_id}:oidc-provider/{issuer}")
}

fn check_thumbprints(list: &[String]) -> Result<(), ApiError> {
    if list.len() > THUMBPRINTS_PER_PROVIDER {
        return Err(errors::invalid_input(
            "Thumbprint list must contain fewer than 5 entries.",
        ));
    }
    Ok(())
}

fn check_client_ids(list: &[String]) -> Result<(), ApiError> {
    if list.len() > CLIENT_IDS_PER_PROVIDER {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {CLIENT_IDS_PER_PROVIDER}"
        )));
    }
    Ok(())
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// The provider `arn` names in the caller's account, after authorizing the call on it.
async fn authorized_provider(
    app: &App,
    call: &Call,
    arn: &str,
    ctx: RequestContext,
) -> Result<OidcProviderRow, ApiError> {
    authorize_with(app, call, arn, ctx).await?;
    let mut c = app.store.read().await?;
    oidc_providers::get(&mut c, arn)
        .await?
        .filter(|p| p.account_id == call.account_id())
        .ok_or_else(|| not_found(arn))
}

pub async fn create_open_id_connect_provider(
    app: &App,
    call: &Call,
    input: CreateOpenIDConnectProviderRequest,
) -> Result<CreateOpenIDConnectProviderResponse, ApiError> {
    let issuer = issuer_of(&input.url)?;
    let arn = provider_arn(call.account_id(), &issuer);
    let tags = input.tags.unwrap_or_default();
    super::validate::unique_tag_keys(&tags)?;
    authorize_with(app, call, &arn, tagging::request_tag_context(&tags)).await?;
    let client_ids = input.client_id_list.unwrap_or_default();
    let thumbprints = input.thumbprint_list.unwrap_or_default();
    check_thumbprints(&thumbprints)?;
    check_client_ids(&client_ids)?;
    let mut tx = app.store.write().await?;
    if oidc_providers::get(&mut tx, &arn).await?.is_some() {
        return Err(errors::entity_already_exists(format!(
            "Provider with url {} already exists.",
            input.url
        )));
    }
    if oidc_providers::list(&mut tx, call.account_id())
        .await?
        .len()
        >= PROVIDERS_PER_ACCOUNT
    {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for OpenIdConnectProvidersPerAccount: {PROVIDERS_PER_ACCOUNT}"
        )));
    }
    oidc_providers::insert(
        &mut tx,
        &OidcProviderRow {
            arn: arn.clone(),
            account_id: call.account_id().to_string(),
            url: issuer,
            client_ids: to_json(&client_ids),
            thumbprints: to_json(&thumbprints),
            create_date: store::to_epoch(call.now),
        },
    )
    .await?;
    tagging::put_new(&mut tx, call.account_id(), &arn, &tags).await?;
    tx.commit().await?;
    Ok(CreateOpenIDConnectProviderResponse {
        open_id_connect_provider_arn: Some(arn),
        tags: (!tags.is_empty()).then_some(tags),
    })
}

pub async fn get_open_id_connect_provider(
    app: &App,
    call: &Call,
    input: GetOpenIDConnectProviderRequest,
) -> Result<GetOpenIDConnectProviderResponse, ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.open_id_connect_provider_arn,
        RequestContext::new(),
    )
    .await?;
    let tags = tagging::all(app, &p.arn).await?;
    Ok(GetOpenIDConnectProviderResponse {
        url: Some(p.url.clone()),
        client_id_list: Some(p.client_id_list()),
        thumbprint_list: Some(p.thumbprint_list()),
        create_date: Some(store::from_epoch(p.create_date)),
        tags: Some(tags),
        ..GetOpenIDConnectProviderResponse::default()
    })
}

pub async fn list_open_id_connect_providers(
    app: &App,
    call: &Call,
    _input: ListOpenIDConnectProvidersRequest,
) -> Result<ListOpenIDConnectProvidersResponse, ApiError> {
    authorize(app, call, "*").await?;
    let rows = {
        let mut c = app.store.read().await?;
        oidc_providers::list(&mut c, call.account_id()).await?
    };
    Ok(ListOpenIDConnectProvidersResponse {
        open_id_connect_provider_list: Some(
            rows.into_iter()
                .map(|p| OpenIDConnectProviderListEntry {
                    arn: Some(p.arn),
                    ..OpenIDConnectProviderListEntry::default()
                })
                .collect(),
        ),
    })
}

pub async fn delete_open_id_connect_provider(
    app: &App,
    call: &Call,
    input: DeleteOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let arn = input.open_id_connect_provider_arn;
    authorized_provider(app, call, &arn, RequestContext::new())
        .await
        .map_err(|e| match e.code.as_ref() {
            "NoSuchEntity" => {
                errors::no_such_entity(format!("OpenId connect Provider {arn} cannot be found."))
            }
            _ => e,
        })?;
    let mut tx = app.store.write().await?;
    oidc_providers::delete(&mut tx, &arn).await?;
    store::tags::remove_all(&mut tx, &arn).await?;
    tx.commit().await?;
    Ok(())
}

/// Rewrites a provider's client ids and thumbprints in one transaction.
async fn update_lists(
    app: &App,
    p: &OidcProviderRow,
    client_ids: &[String],
    thumbprints: &[String],
) -> Result<(), ApiError> {
    check_client_ids(client_ids)?;
    check_thumbprints(thumbprints)?;
    let mut tx = app.store.write().await?;
    oidc_providers::set_lists(&mut tx, &p.arn, &to_json(client_ids), &to_json(thumbprints)).await?;
    tx.commit().await?;
    Ok(())
}

/// Adding a client id that is already there changes nothing (the operation is idempotent).
pub async fn add_client_id_to_open_id_connect_provider(
    app: &App,
    call: &Call,
    input: AddClientIDToOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.open_id_connect_provider_arn,
        RequestContext::new(),
    )
    .await?;
    let mut ids = p.client_id_list();
    if !ids.contains(&input.client_id) {
        ids.push(input.client_id);
    }
    update_lists(app, &p, &ids, &p.thumbprint_list()).await
}

pub async fn remove_client_id_from_open_id_connect_provider(
    app: &App,
    call: &Call,
    input: RemoveClientIDFromOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.open_id_connect_provider_arn,
        RequestContext::new(),
    )
    .await?;
    let ids: Vec<String> = p
        .client_id_list()
        .into_iter()
        .filter(|c| *c != input.client_id)
        .collect();
    update_lists(app, &p, &ids, &p.thumbprint_list()).await
}

pub async fn update_open_id_connect_provider_thumbprint(
    app: &App,
    call: &Call,
    input: UpdateOpenIDConnectProviderThumbprintRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.open_id_connect_provider_arn,
        RequestContext::new(),
    )
    .await?;
    update_lists(app, &p, &p.client_id_list(), &input.thumbprint_list).await
}

pub async fn tag_open_id_connect_provider(
    app: &App,
    call: &Call,
    input: TagOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.open_id_connect_provider_arn,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(app, &p.account_id, &p.arn, &input.tags).await
}

pub async fn untag_open_id_connect_provider(
    app: &App,
    call: &Call,
    input: UntagOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.open_id_connect_provider_arn,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &p.arn, &input.tag_keys).await
}

pub async fn list_open_id_connect_provider_tags(
    app: &App,
    call: &Call,
    input: ListOpenIDConnectProviderTagsRequest,
) -> Result<ListOpenIDConnectProviderTagsResponse, ApiError> {
    let p = authorized_provider(
        app,
        call,
        &input.open_id_connect_provider_arn,
        RequestContext::new(),
    )
    .await?;
    let (tags, truncated, marker) =
        tagging::page(app, &p.arn, input.marker.as_deref(), input.max_items).await?;
    Ok(ListOpenIDConnectProviderTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}
