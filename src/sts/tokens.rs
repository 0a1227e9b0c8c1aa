//! GetSessionToken and GetFederationToken: temporary credentials for an IAM user (or root),
//! and the MFA check STS applies where it takes `SerialNumber` + `TokenCode`.

use chrono::{DateTime, Utc};

use crate::api::sts::*;
use crate::api::ApiError;
use crate::app::App;
use crate::authz::{authorize_with, Call, Principal};
use crate::policy::RequestContext;

use super::issue::{not_with_session_credentials, store_session, NewSession, SessionInputs};

/// Default and root's cap for both operations (STS API reference: "Sessions for AWS account
/// owners are restricted to a maximum of 3,600 seconds (one hour)").
const DEFAULT_DURATION: i64 = 43_200;
const ROOT_MAX: i64 = 3600;

fn duration(call: &Call, requested: Option<i32>) -> i64 {
    let d = requested.map_or(DEFAULT_DURATION, i64::from);
    if call.principal.is_root() {
        d.min(ROOT_MAX)
    } else {
        d
    }
}

/// The long-term identity asking for a token: (owner id, user name or account id).
fn long_term_caller(call: &Call, operation: &str) -> Result<(String, String), ApiError> {
    if call.session.is_some() {
        return Err(not_with_session_credentials(operation));
    }
    match &call.principal {
        Principal::Root { account_id } => Ok((account_id.clone(), account_id.clone())),
        Principal::User { user_id, name, .. } => Ok((user_id.clone(), name.clone())),
        _ => Err(not_with_session_credentials(operation)),
    }
}

/// Checks an MFA code for `serial` — a device enabled for the calling user (any enabled device
/// of the account for other callers) — and uses the code up; returns when MFA was
/// authenticated.
pub async fn verify_mfa(
    app: &App,
    call: &Call,
    serial: &str,
    code: &str,
) -> Result<DateTime<Utc>, ApiError> {
    let user_id = match &call.principal {
        Principal::User { user_id, .. } => Some(user_id.as_str()),
        _ => None,
    };
    crate::iam::mfa::verify_token_code_of(app, call.account_id(), user_id, serial, code, call.now)
        .await?;
    Ok(call.now)
}

pub async fn get_session_token(
    app: &App,
    call: &Call,
    input: GetSessionTokenRequest,
) -> Result<GetSessionTokenResponse, ApiError> {
    let (owner_id, name) = long_term_caller(call, "GetSessionToken")?;
    // "No permissions are required for users to perform this operation" (STS API reference).
    crate::authz::no_permission_required(call);
    let mfa_time = match (&input.serial_number, &input.token_code) {
        (Some(serial), Some(code)) => Some(verify_mfa(app, call, serial, code).await?),
        _ => None,
    };
    let mut tx = app.store.write().await?;
    let credentials = store_session(
        &mut tx,
        NewSession {
            account_id: call.account_id(),
            kind: "user",
            owner_id: &owner_id,
            name: &name,
            now: call.now,
            duration_seconds: duration(call, input.duration_seconds),
            mfa_time,
            source_identity: None,
            chained: false,
        },
        &SessionInputs::default(),
    )
    .await?;
    tx.commit_bookkeeping().await?;
    Ok(GetSessionTokenResponse {
        credentials: Some(credentials),
        ..GetSessionTokenResponse::default()
    })
}

pub async fn get_federation_token(
    app: &App,
    call: &Call,
    input: GetFederationTokenRequest,
) -> Result<GetFederationTokenResponse, ApiError> {
    let (owner_id, _) = long_term_caller(call, "GetFederationToken")?;
    let inputs = SessionInputs::new(input.policy, input.policy_arns, input.tags, None)?;
    let account_id = call.account_id();
    let arn = format!("arn:aws:sts::{account_id}:federated-user/{}", input.name);
    let mut ctx = RequestContext::new();
    inputs.tag_context(&mut ctx);
    authorize_with(app, call, &arn, ctx.clone()).await?;
    if !inputs.tags.is_empty() {
        crate::authz::authorize_action(app, call, "sts:TagSession", &arn, ctx).await?;
    }
    let packed_policy_size = inputs.packed_size()?;
    let mut tx = app.store.write().await?;
    let credentials = store_session(
        &mut tx,
        NewSession {
            account_id,
            kind: "federated",
            owner_id: &owner_id,
            name: &input.name,
            now: call.now,
            duration_seconds: duration(call, input.duration_seconds),
            mfa_time: None,
            source_identity: None,
            chained: false,
        },
        &inputs,
    )
    .await?;
    tx.commit_bookkeeping().await?;
    Ok(GetFederationTokenResponse {
        credentials: Some(credentials),
        federated_user: Some(FederatedUser {
            federated_user_id: format!("{account_id}:{}", input.name),
            arn,
        }),
        packed_policy_size,
        ..GetFederationTokenResponse::default()
    })
}
