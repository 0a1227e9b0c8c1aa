//! STS handlers.

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
