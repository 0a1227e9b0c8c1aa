//! Authorization of every call: from the verified caller and the operation's action and
//! resource, gather the policies that apply, ask the policy engine, log the decision, and turn
//! a denial into AWS's `AccessDenied` sentence.

mod call;
mod context;
pub mod decision_cache;
pub mod decisions;
pub(crate) mod gather;

pub use gather::PolicySetCache;
mod principal;
pub mod session;

pub use call::Call;
pub use principal::Principal;
pub use session::{Session, SessionKind};

use std::sync::Arc;

use crate::api::ApiError;
use crate::app::App;
use crate::config::Enforcement;
use crate::policy::{self, DenyReason, PolicyRef, PolicySet, RequestContext};

/// The end of AWS's AccessDenied sentence for each reason (IAM User Guide, "Troubleshoot access
/// denied error messages").
fn reason_text(reason: DenyReason, action: &str) -> String {
    match reason {
        DenyReason::NoIdentityAllow => {
            format!("because no identity-based policy allows the {action} action")
        }
        DenyReason::ExplicitDenyIdentity => {
            "with an explicit deny in an identity-based policy".into()
        }
        DenyReason::NoBoundaryAllow => {
            format!("because no permissions boundary allows the {action} action")
        }
        DenyReason::ExplicitDenyBoundary => {
            "with an explicit deny in a permissions boundary".into()
        }
        DenyReason::NoSessionAllow => {
            format!("because no session policy allows the {action} action")
        }
        DenyReason::ExplicitDenySession => "with an explicit deny in a session policy".into(),
        DenyReason::ExplicitDenyResource => {
            "with an explicit deny in a resource-based policy".into()
        }
        DenyReason::NoResourceAllow => {
            format!("because no resource-based policy allows the {action} action")
        }
    }
}

/// AWS's AccessDenied message for `principal_arn` calling `action` on `resource`.
pub fn access_denied_message(
    principal_arn: &str,
    action: &str,
    resource: &str,
    reason: DenyReason,
) -> String {
    format!(
        "User: {principal_arn} is not authorized to perform: {action} on resource: {resource} {}",
        reason_text(reason, action)
    )
}

/// Checks that the caller may perform the call's action on `resource`.
pub async fn authorize(app: &App, call: &Call, resource: &str) -> Result<(), ApiError> {
    authorize_with(app, call, resource, RequestContext::new()).await
}

/// As `authorize`, with operation-specific context keys (`aws:RequestTag/*`, `aws:TagKeys`,
/// `iam:PolicyARN`, …) added to the global ones.
pub async fn authorize_with(
    app: &App,
    call: &Call,
    resource: &str,
    extra: RequestContext,
) -> Result<(), ApiError> {
    authorize_action(app, call, call.operation.action(), resource, extra).await
}

/// For the few operations AWS lets every caller perform without any permission (STS
/// GetSessionToken): nothing is evaluated.
pub fn no_permission_required(call: &Call) {
    call.mark_authorized();
}

/// Checks a second action a call needs besides its own (such as `iam:PassRole` when a role is
/// handed to an instance profile).
pub async fn authorize_action(
    app: &App,
    call: &Call,
    action: &str,
    resource: &str,
    extra: RequestContext,
) -> Result<(), ApiError> {
    evaluate_call(app, call, None, action, resource, extra, None).await
}

pub(crate) fn policy_ref(p: &gather::Compiled) -> PolicyRef<'_> {
    PolicyRef {
        id: p.id.clone(),
        policy_type: p.policy_type,
        policy: &p.policy,
    }
}

/// A resource-based policy that takes part in a decision: a role's trust policy for
/// `sts:AssumeRole`.
pub struct ResourcePolicy<'a> {
    pub id: &'a str,
    pub policy: &'a policy::Policy,
    /// The account that owns the resource.
    pub account: &'a str,
}

/// Checks `action` on a resource guarded by its own policy (as `sts:AssumeRole` on a role):
/// both that policy and the caller's must allow, as AWS decides within and across accounts.
pub async fn authorize_against(
    app: &App,
    call: &Call,
    action: &str,
    resource: &str,
    extra: RequestContext,
    resource_policy: ResourcePolicy<'_>,
) -> Result<(), ApiError> {
    evaluate_call(
        app,
        call,
        None,
        action,
        resource,
        extra,
        Some(resource_policy),
    )
    .await
}

/// As `authorize_against`, for an unsigned call whose caller is the identity its token
/// proved (a web identity: the trust policy must allow it on its own).
pub async fn authorize_federated(
    app: &App,
    call: &Call,
    who: policy::Principal,
    action: &str,
    resource: &str,
    extra: RequestContext,
    resource_policy: ResourcePolicy<'_>,
) -> Result<(), ApiError> {
    evaluate_call(
        app,
        call,
        Some(who),
        action,
        resource,
        extra,
        Some(resource_policy),
    )
    .await
}

async fn evaluate_call(
    app: &App,
    call: &Call,
    who: Option<policy::Principal>,
    action: &str,
    resource: &str,
    extra: RequestContext,
    resource_policy: Option<ResourcePolicy<'_>>,
) -> Result<(), ApiError> {
    call.mark_authorized();
    if app.config.enforce == Enforcement::Off {
        return Ok(());
    }
    let gathered = gather::policies(app, &call.principal).await?;
    // Only the global keys some policy reads are built (a policy lists the keys it reads).
    let policies = gathered
        .identity
        .iter()
        .chain(&gathered.boundary)
        .chain(
            call.session
                .iter()
                .flat_map(|s| s.policies.iter().flatten()),
        )
        .map(|p| &*p.policy)
        .chain(resource_policy.as_ref().map(|r| r.policy));
    let read: Vec<&str> = policies.flat_map(|p| p.context_keys()).collect();
    let ctx = if read.is_empty() {
        extra
    } else {
        let mut ctx = context::request_context(call, &gathered.principal_tags, |key| {
            read.iter().any(|k| k.eq_ignore_ascii_case(key))
        });
        for key in extra.keys().map(str::to_string).collect::<Vec<_>>() {
            if let Some(v) = extra.get(&key) {
                ctx.insert(&key, v.clone());
            }
        }
        ctx
    };
    // A federated caller or a resource policy (trust policies) makes the decision depend on
    // more than the cache key holds: those are evaluated every time.
    let cacheable = who.is_none() && resource_policy.is_none();
    let principal = who.unwrap_or_else(|| context::engine_principal(&call.principal));
    let cache_key = cacheable.then(|| {
        let session_key = call.session.as_ref().and(call.access_key_id.as_deref());
        decision_cache::key(&principal, session_key, action, resource, &ctx)
    });
    let cached = cache_key
        .as_deref()
        .and_then(|k| app.decision_cache.get(k, &gathered));
    let evaluation = match cached {
        Some(evaluation) => evaluation,
        None => {
            let set = PolicySet {
                identity: gathered.identity.iter().map(policy_ref).collect(),
                boundary: gathered.boundary.as_ref().map(policy_ref),
                session: call
                    .session
                    .as_ref()
                    .and_then(|s| s.policies.as_ref())
                    .map(|ps| ps.iter().map(policy_ref).collect()),
                resource: resource_policy.as_ref().map(|r| PolicyRef {
                    id: r.id.into(),
                    policy_type: policy::PolicyType::ResourceBased,
                    policy: r.policy,
                }),
                resource_account: resource_policy.as_ref().map(|r| r.account),
            };
            let request = policy::Request {
                principal: &principal,
                action,
                resource,
                context: &ctx,
            };
            let evaluation = Arc::new(policy::evaluate(&request, &set));
            if let Some(key) = cache_key {
                app.decision_cache
                    .put(key, gathered.clone(), evaluation.clone());
            }
            evaluation
        }
    };
    let enforced = app.config.enforce == Enforcement::On;
    let denial = (enforced && !evaluation.is_allowed()).then(|| {
        if resource_policy.is_some() {
            // STS words its denials without a reason (AssumeRole: "User: … is not authorized
            // to perform: sts:AssumeRole on resource: …").
            format!(
                "User: {} is not authorized to perform: {action} on resource: {resource}",
                principal.arn
            )
        } else {
            let reason = evaluation.reason.unwrap_or(DenyReason::NoIdentityAllow);
            access_denied_message(&principal.arn, action, resource, reason)
        }
    });
    app.decisions.push(decisions::Entry {
        time: call.now,
        request_id: call.request_id.clone(),
        principal: principal.arn,
        action: action.to_string(),
        resource: resource.to_string(),
        evaluation,
        enforced,
    });
    match denial {
        Some(message) => Err(ApiError::access_denied(message)),
        None => Ok(()),
    }
}
