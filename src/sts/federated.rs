//! What AssumeRoleWithWebIdentity and AssumeRoleWithSAML share: the caller is the identity
//! its token proved, so only the role's trust policy can let it in, and AWS answers every
//! refusal the same way.

use crate::api::ApiError;
use crate::app::App;
use crate::authz::{authorize_federated, Call, ResourcePolicy};
use crate::policy::{self, PolicyKind, PrincipalKind, RequestContext};
use crate::store::roles::RoleRow;

/// AWS's answer to an identity the trust policy does not let in (or an unknown role).
pub(super) fn not_authorized(action: &str) -> ApiError {
    ApiError::access_denied(format!("Not authorized to perform {action}"))
}

/// The session length asked for (one hour by default), within the role's maximum.
pub(super) fn session_duration(requested: Option<i32>, role: &RoleRow) -> Result<i64, ApiError> {
    let duration = requested.map_or(3600, i64::from);
    if duration > role.max_session_duration {
        return Err(ApiError::validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    Ok(duration)
}

/// Evaluates `role`'s trust policy for the identity `provider` vouched for: `actions[0]` is
/// the operation's own action; the others (`sts:TagSession`, `sts:SetSourceIdentity`) are
/// what the request also needs. Any refusal is `actions[0]`'s AccessDenied.
pub(super) async fn authorize_trust(
    app: &App,
    call: &Call,
    role: &RoleRow,
    provider: &str,
    actions: &[&str],
    ctx: RequestContext,
) -> Result<(), ApiError> {
    let trust = app
        .compiled_policy(&role.assume_role_policy, PolicyKind::Trust)
        .map_err(|_| ApiError::internal("A stored trust policy could not be read."))?;
    let role_arn = role.arn();
    for action in actions {
        let who = policy::Principal {
            arn: provider.to_string(),
            account: String::new(),
            kind: PrincipalKind::WebIdentity {
                provider: provider.to_string(),
            },
        };
        authorize_federated(
            app,
            call,
            who,
            action,
            &role_arn,
            ctx.clone(),
            ResourcePolicy {
                id: "TrustPolicy",
                policy: &trust,
                account: &role.account_id,
            },
        )
        .await
        .map_err(|e| {
            if e.code == "AccessDenied" {
                not_authorized(actions.first().copied().unwrap_or(action))
            } else {
                e
            }
        })?;
    }
    Ok(())
}
