//! The request context of a call: the global condition keys AWS fills for every signed request
//! (IAM User Guide, "AWS global condition context keys").

use crate::policy::{self, PrincipalKind, RequestContext};

use super::{Call, Principal};

/// The caller as the policy engine sees it.
pub fn engine_principal(p: &Principal) -> policy::Principal {
    policy::Principal {
        arn: p.arn(),
        account: p.account_id().to_string(),
        kind: match p {
            Principal::Root { .. } => PrincipalKind::Root,
            Principal::Anonymous { .. } => PrincipalKind::Anonymous,
            Principal::User { .. } => PrincipalKind::User,
            Principal::AssumedRole { .. } => PrincipalKind::AssumedRole {
                role_arn: p.principal_arn(),
            },
            Principal::FederatedUser { .. } => PrincipalKind::FederatedUser,
        },
    }
}

/// Global keys for `call`; `principal_tags` are the tags of the user or role behind it
/// (`aws:PrincipalTag/*`), which session tags override.
pub fn request_context(call: &Call, principal_tags: &[(String, String)]) -> RequestContext {
    let mut ctx = RequestContext::new();
    ctx.set_date("aws:CurrentTime", call.now)
        .set_number("aws:EpochTime", call.now.timestamp())
        // iamlocal is served over plain HTTP.
        .set_bool("aws:SecureTransport", false)
        .set("aws:SourceIp", call.source_ip.to_string())
        .set("aws:RequestedRegion", call.region.clone())
        .set("aws:PrincipalAccount", call.account_id())
        .set("aws:PrincipalArn", call.principal.principal_arn())
        .set("aws:userid", call.principal.user_id())
        .set_bool("aws:ViaAWSService", false);
    let principal_type = match &call.principal {
        Principal::Root { .. } => "Account",
        Principal::Anonymous { .. } => "Anonymous",
        Principal::User { .. } => "User",
        Principal::AssumedRole { .. } => "AssumedRole",
        Principal::FederatedUser { .. } => "FederatedUser",
    };
    ctx.set("aws:PrincipalType", principal_type);
    if let Some(name) = call.principal.user_name() {
        ctx.set("aws:username", name.to_string());
    }
    let session_tags = call.session.as_ref().map(|s| s.tags.as_slice());
    for (k, v) in principal_tags {
        let overridden =
            session_tags.is_some_and(|tags| tags.iter().any(|(sk, _)| sk.eq_ignore_ascii_case(k)));
        if !overridden {
            ctx.set(&format!("aws:PrincipalTag/{k}"), v.clone());
        }
    }
    // aws:MultiFactorAuthPresent and aws:TokenIssueTime exist only for temporary credentials;
    // long-term keys leave them absent (which is why policies use BoolIfExists).
    if let Some(s) = &call.session {
        for (k, v) in &s.tags {
            ctx.set(&format!("aws:PrincipalTag/{k}"), v.clone());
        }
        ctx.set_date("aws:TokenIssueTime", s.issued_at)
            .set_bool("aws:MultiFactorAuthPresent", s.mfa_time.is_some());
        if let Some(t) = s.mfa_time {
            ctx.set_number("aws:MultiFactorAuthAge", (call.now - t).num_seconds());
        }
        if let Some(id) = &s.source_identity {
            ctx.set("aws:SourceIdentity", id.clone());
        }
    }
    ctx
}
