//! AssumeRoleWithWebIdentity: an OpenID Connect ID token, from a provider registered in the
//! role's account, exchanged for a role session when the role's trust policy allows it.

use crate::api::sts::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::Call;
use crate::iam::oidc_providers::provider_arn;
use crate::policy::RequestContext;
use crate::store;

use super::assume_role::parse_role_arn;
use super::federated::{authorize_trust, not_authorized, session_duration};
use super::issue::{issue_role_session, RoleSessionOptions, SessionInputs};
use super::jwt::{self, TokenError};

fn invalid_token(message: impl Into<String>) -> ApiError {
    errors::invalid_identity_token(message)
}

pub async fn assume_role_with_web_identity(
    app: &App,
    call: &Call,
    input: AssumeRoleWithWebIdentityRequest,
) -> Result<AssumeRoleWithWebIdentityResponse, ApiError> {
    let token = jwt::decode(&input.web_identity_token).map_err(|_| {
        invalid_token("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
    })?;
    let claims = token.claims.clone();
    let Some((account, path, name)) = parse_role_arn(&input.role_arn) else {
        return Err(ApiError::validation(format!(
            "{} is invalid",
            input.role_arn
        )));
    };
    let issuer = jwt::normalize_issuer(&claims.iss);
    let provider_arn = provider_arn(account, &issuer);
    let (provider, role) = {
        let mut c = app.store.read().await?;
        (
            store::oidc_providers::get(&mut c, &provider_arn).await?,
            store::roles::get(&mut c, account, name).await?,
        )
    };
    let provider = provider.ok_or_else(|| {
        invalid_token(format!(
            "No OpenIDConnect provider found in your account for {}",
            claims.iss
        ))
    })?;
    let now = call.now.timestamp();
    if claims.exp <= now {
        return Err(errors::expired_token_exception(format!(
            "Token expired: current date/time {now} must be before the expiration date/time {}",
            claims.exp
        )));
    }
    // With an `azp` claim, that is the audience IAM checks (IAM User Guide, "Available keys
    // for AWS web identity federation").
    let audiences = match &claims.azp {
        Some(azp) => vec![azp.clone()],
        None => claims.aud.values(),
    };
    let client_ids = provider.client_id_list();
    let Some(audience) = audiences.into_iter().find(|a| client_ids.contains(a)) else {
        return Err(invalid_token("Incorrect token audience"));
    };
    match app.oidc_keys.for_issuer(&issuer) {
        Some(keys) => token.verify(keys).map_err(|e| match e {
            TokenError::Signature | TokenError::Malformed => {
                invalid_token("The signature of the ID Token could not be verified.")
            }
        })?,
        None => tracing::warn!(
            issuer = %claims.iss,
            "no signing keys configured for this issuer (--oidc-jwks): token signature not checked"
        ),
    }

    let role = role
        .filter(|r| r.path == path)
        .ok_or_else(|| not_authorized("sts:AssumeRoleWithWebIdentity"))?;
    let duration = session_duration(input.duration_seconds, &role)?;
    let inputs = SessionInputs::new(input.policy, input.policy_arns, None, None)?;

    let mut ctx = RequestContext::new();
    ctx.set(&format!("{issuer}:sub"), claims.sub.clone())
        .set(&format!("{issuer}:aud"), audience.clone())
        .set("sts:RoleSessionName", input.role_session_name.clone())
        .set("aws:FederatedProvider", provider_arn.clone());
    if let Some(amr) = &claims.amr {
        let values: Vec<String> = match amr {
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            serde_json::Value::String(s) => vec![s.clone()],
            _ => Vec::new(),
        };
        ctx.set_list(&format!("{issuer}:amr"), values);
    }
    authorize_trust(
        app,
        call,
        &role,
        &provider_arn,
        &["sts:AssumeRoleWithWebIdentity"],
        ctx,
    )
    .await?;
    let packed_policy_size = inputs.packed_size()?;

    let (credentials, user) = issue_role_session(
        app,
        call,
        &role,
        &input.role_session_name,
        duration,
        RoleSessionOptions::default(),
        &inputs,
    )
    .await?;
    Ok(AssumeRoleWithWebIdentityResponse {
        credentials: Some(credentials),
        subject_from_web_identity_token: Some(claims.sub),
        assumed_role_user: Some(user),
        packed_policy_size,
        provider: Some(claims.iss),
        audience: Some(audience),
        ..AssumeRoleWithWebIdentityResponse::default()
    })
}
