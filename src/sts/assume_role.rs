//! AssumeRole: the role must exist, its trust policy and the caller's own policies must allow
//! the caller, and the session is limited as AWS limits it.

use crate::api::sts::*;
use crate::api::ApiError;
use crate::app::App;
use crate::authz::{authorize_against, Call, Principal, ResourcePolicy, SessionKind};
use crate::policy::{PolicyKind, RequestContext};
use crate::store;

use super::issue::{issue_role_session, RoleSessionOptions, SessionInputs};

/// AWS's default session length for AssumeRole.
const DEFAULT_DURATION: i64 = 3600;
/// Role chaining caps a session at one hour (STS API reference, AssumeRole `DurationSeconds`).
const CHAINED_MAX: i64 = 3600;

/// `arn:aws:iam::ACCOUNT:role/PATH/NAME` → (account, path, name).
pub(super) fn parse_role_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path_and_name = resource.strip_prefix("role")?;
    if !path_and_name.starts_with('/') || account.len() != 12 {
        return None;
    }
    let cut = path_and_name.rfind('/')?;
    let name = &path_and_name[cut + 1..];
    (!name.is_empty()).then_some((account, &path_and_name[..=cut], name))
}

fn denied(call: &Call, action: &str, role_arn: &str) -> ApiError {
    ApiError::access_denied(format!(
        "User: {} is not authorized to perform: {action} on resource: {role_arn}",
        call.principal.arn()
    ))
}

pub async fn assume_role(
    app: &App,
    call: &Call,
    input: AssumeRoleRequest,
) -> Result<AssumeRoleResponse, ApiError> {
    // Root cannot assume roles (the error AWS answers root credentials with).
    if call.principal.is_root() {
        return Err(ApiError::access_denied(
            "Roles may not be assumed by root accounts.",
        ));
    }
    if matches!(call.principal, Principal::FederatedUser { .. }) {
        return Err(denied(call, "sts:AssumeRole", &input.role_arn));
    }
    let Some((account, path, name)) = parse_role_arn(&input.role_arn) else {
        return Err(ApiError::validation(format!(
            "{} is invalid",
            input.role_arn
        )));
    };
    let role = {
        let mut c = app.store.read().await?;
        store::roles::get(&mut c, account, name).await?
    }
    .filter(|r| r.path == path);
    let Some(role) = role else {
        // An unknown role is refused like an untrusting one: AWS does not reveal which. The
        // caller's own policies are still evaluated, for the decision log.
        let _ = crate::authz::authorize_action(
            app,
            call,
            "sts:AssumeRole",
            &input.role_arn,
            RequestContext::new(),
        )
        .await;
        return Err(denied(call, "sts:AssumeRole", &input.role_arn));
    };

    let chained = call
        .session
        .as_ref()
        .is_some_and(|s| s.kind == SessionKind::Role);
    let duration = input.duration_seconds.map_or(DEFAULT_DURATION, i64::from);
    if chained && duration > CHAINED_MAX {
        return Err(ApiError::validation(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        ));
    }
    if duration > role.max_session_duration {
        return Err(ApiError::validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }

    let mut inputs = SessionInputs::new(
        input.policy,
        input.policy_arns,
        input.tags,
        input.transitive_tag_keys,
    )?;
    if let Some(s) = &call.session {
        inputs.inherit(s.transitive_tags())?;
    }
    let mfa_time = match (&input.serial_number, &input.token_code) {
        (Some(serial), Some(code)) => {
            Some(super::tokens::verify_mfa(app, call, serial, code).await?)
        }
        _ => call.session.as_ref().and_then(|s| s.mfa_time),
    };
    // A source identity, once set, stays with every chained session.
    let source_identity = call
        .session
        .as_ref()
        .and_then(|s| s.source_identity.clone())
        .or(input.source_identity.clone());

    let mut ctx = RequestContext::new();
    ctx.set("sts:RoleSessionName", input.role_session_name.clone());
    if let Some(id) = &input.external_id {
        ctx.set("sts:ExternalId", id.clone());
    }
    if let Some(id) = &input.source_identity {
        ctx.set("sts:SourceIdentity", id.clone());
    }
    if let Some(t) = mfa_time {
        ctx.set_bool("aws:MultiFactorAuthPresent", true)
            .set_number("aws:MultiFactorAuthAge", (call.now - t).num_seconds());
    }
    inputs.tag_context(&mut ctx);

    let trust = app
        .compiled_policy(&role.assume_role_policy, PolicyKind::Trust)
        .map_err(|e| {
            tracing::error!(role = %role.name, error = %e, "a stored trust policy no longer parses");
            ApiError::internal("A stored trust policy could not be read.")
        })?;
    let role_arn = role.arn();
    let trust_ref = || ResourcePolicy {
        id: "TrustPolicy",
        policy: &trust,
        account: &role.account_id,
    };
    authorize_against(
        app,
        call,
        "sts:AssumeRole",
        &role_arn,
        ctx.clone(),
        trust_ref(),
    )
    .await?;
    // Session tags and a source identity each need their own permission, from both sides.
    if !inputs.tags.is_empty() {
        authorize_against(
            app,
            call,
            "sts:TagSession",
            &role_arn,
            ctx.clone(),
            trust_ref(),
        )
        .await?;
    }
    if input.source_identity.is_some() {
        authorize_against(
            app,
            call,
            "sts:SetSourceIdentity",
            &role_arn,
            ctx,
            trust_ref(),
        )
        .await?;
    }
    let packed_policy_size = inputs.packed_size()?;

    let (credentials, user) = issue_role_session(
        app,
        call,
        &role,
        &input.role_session_name,
        duration,
        RoleSessionOptions {
            mfa_time,
            source_identity: source_identity.clone(),
            chained,
        },
        &inputs,
    )
    .await?;
    Ok(AssumeRoleResponse {
        credentials: Some(credentials),
        assumed_role_user: Some(user),
        packed_policy_size,
        source_identity,
        ..AssumeRoleResponse::default()
    })
}

#[cfg(test)]
mod tests {
    use super::parse_role_arn;

    #[test]
    fn role_arns() {
        assert_eq!(
            parse_role_arn("arn:aws:iam::123456789012:role/a/b/R"),
            Some(("123456789012", "/a/b/", "R"))
        );
        assert_eq!(
            parse_role_arn("arn:aws:iam::123456789012:role/R"),
            Some(("123456789012", "/", "R"))
        );
        assert_eq!(parse_role_arn("arn:aws:iam::123456789012:user/R"), None);
        assert_eq!(parse_role_arn("R"), None);
    }
}
