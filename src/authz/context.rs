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
            Principal::User { .. } => PrincipalKind::User,
        },
    }
}

/// Global keys for `call`; `principal_tags` are the caller's tags (`aws:PrincipalTag/*`).
pub fn request_context(call: &Call, principal_tags: &[(String, String)]) -> RequestContext {
    let mut ctx = RequestContext::new();
    ctx.set_date("aws:CurrentTime", call.now)
        .set_number("aws:EpochTime", call.now.timestamp())
        // iamlocal is served over plain HTTP.
        .set_bool("aws:SecureTransport", false)
        .set("aws:SourceIp", call.source_ip.to_string())
        .set("aws:RequestedRegion", call.region.clone())
        .set("aws:PrincipalAccount", call.account_id())
        .set("aws:PrincipalArn", call.principal.arn())
        .set("aws:userid", call.principal.user_id())
        .set_bool("aws:ViaAWSService", false);
    match &call.principal {
        Principal::Root { .. } => {
            ctx.set("aws:PrincipalType", "Account");
        }
        Principal::User { name, .. } => {
            ctx.set("aws:PrincipalType", "User")
                .set("aws:username", name.clone());
        }
    }
    for (k, v) in principal_tags {
        ctx.set(&format!("aws:PrincipalTag/{k}"), v.clone());
    }
    // aws:MultiFactorAuthPresent and aws:TokenIssueTime exist only for temporary credentials;
    // long-term keys leave them absent (which is why policies use BoolIfExists).
    ctx
}
