//! STS handlers: who is calling, and temporary credentials (AssumeRole, GetSessionToken,
//! GetFederationToken) stored as sessions that sign later calls.

pub mod assume_role;
mod federated;
mod issue;
pub mod jwt;
pub mod saml;
pub mod tokens;
pub mod web_identity;

pub use assume_role::assume_role;
pub use saml::assume_role_with_saml;
pub use tokens::{get_federation_token, get_session_token};
pub use web_identity::assume_role_with_web_identity;

use crate::api::sts::*;
use crate::api::ApiError;
use crate::app::App;
use crate::authz::{authorize, Call};

/// GetCallerIdentity: always allowed (AWS: no permission is required).
pub async fn get_caller_identity(
    app: &App,
    call: &Call,
    _input: GetCallerIdentityRequest,
) -> Result<GetCallerIdentityResponse, ApiError> {
    let arn = call.principal.arn();
    authorize(app, call, &arn).await?;
    Ok(GetCallerIdentityResponse {
        user_id: Some(call.principal.user_id().to_string()),
        account: Some(call.account_id().to_string()),
        arn: Some(arn),
    })
}

/// GetAccessKeyInfo: the account an access key id belongs to, read from the id itself (as
/// AWS does: the key need not exist).
pub async fn get_access_key_info(
    app: &App,
    call: &Call,
    input: GetAccessKeyInfoRequest,
) -> Result<GetAccessKeyInfoResponse, ApiError> {
    authorize(app, call, "*").await?;
    let account = crate::ids::account_of_access_key(&input.access_key_id).ok_or_else(|| {
        ApiError::validation(format!(
            "The access key ID {} is not valid.",
            input.access_key_id
        ))
    })?;
    Ok(GetAccessKeyInfoResponse {
        account: Some(account),
    })
}

/// DecodeAuthorizationMessage: IAM and STS deny with plain-text reasons and never encode one
/// (AWS encodes only some services' denials, such as EC2's), so no message given here can be
/// one iamlocal produced. The caller still needs `sts:DecodeAuthorizationMessage` (on `*`).
pub async fn decode_authorization_message(
    app: &App,
    call: &Call,
    _input: DecodeAuthorizationMessageRequest,
) -> Result<DecodeAuthorizationMessageResponse, ApiError> {
    authorize(app, call, "*").await?;
    Err(crate::api::errors::invalid_authorization_message_exception(
        "The message is not an encoded authorization message issued by this endpoint.",
    ))
}
