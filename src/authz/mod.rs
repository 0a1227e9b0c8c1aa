//! Authorization of every call: from the verified caller and the operation's action and
//! resource, gather the policies that apply, ask the policy engine, and turn a denial into
//! AWS's `AccessDenied` sentence.

mod call;
mod principal;

pub use call::Call;
pub use principal::Principal;

use crate::api::ApiError;
use crate::app::App;
use crate::config::Enforcement;

/// Why a call was denied, worded as AWS words the end of its AccessDenied message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    NoIdentityAllow,
}

/// AWS's AccessDenied message for `principal_arn` calling `action` on `resource`.
pub fn access_denied_message(
    principal_arn: &str,
    action: &str,
    resource: &str,
    reason: DenyReason,
) -> String {
    let why = match reason {
        DenyReason::NoIdentityAllow => {
            format!("because no identity-based policy allows the {action} action")
        }
    };
    format!("User: {principal_arn} is not authorized to perform: {action} on resource: {resource} {why}")
}

/// Checks that the caller may perform the call's action on `resource`.
pub async fn authorize(app: &App, call: &Call, resource: &str) -> Result<(), ApiError> {
    call.mark_authorized();
    let action = call.operation.action();
    // The root user is allowed at the identity step; GetCallerIdentity needs no permission.
    if app.config.enforce == Enforcement::Off
        || call.principal.is_root()
        || action == "sts:GetCallerIdentity"
    {
        return Ok(());
    }
    // An IAM user is allowed only by its identity-based policies. No policy can be attached to a
    // user yet in this build, so every user is implicitly denied, exactly as AWS denies a user
    // without policies.
    let reason = DenyReason::NoIdentityAllow;
    let message = access_denied_message(&call.principal.arn(), action, resource, reason);
    tracing::info!(target: "iamlocal::decision", principal = %call.principal.arn(), action, resource, decision = "implicitDeny");
    if app.config.enforce == Enforcement::Audit {
        return Ok(());
    }
    Err(ApiError::access_denied(message))
}
