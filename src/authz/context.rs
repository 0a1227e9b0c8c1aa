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

/// Global keys for `call` that `wants` asks for (the keys the caller's policies read: building
/// every key costs a few dozen allocations, most of them for keys no policy looks at);
/// `principal_tags` are the tags of the user or role behind it (`aws:PrincipalTag/*`), which
/// session tags override.
pub fn request_context(
    call: &Call,
    principal_tags: &[(String, String)],
    wants: impl Fn(&str) -> bool,
) -> RequestContext {
    let mut ctx = RequestContext::new();
    let set = |ctx: &mut RequestContext, key: &str, value: &dyn Fn() -> String| {
        if wants(key) {
            ctx.set(key, value());
        }
    };
    let bool_text = |b: bool| if b { "true" } else { "false" }.to_string();
    set(&mut ctx, "aws:CurrentTime", &|| iso_date(call.now));
    set(&mut ctx, "aws:EpochTime", &|| {
        call.now.timestamp().to_string()
    });
    // iamlocal is served over plain HTTP.
    set(&mut ctx, "aws:SecureTransport", &|| bool_text(false));
    set(&mut ctx, "aws:SourceIp", &|| call.source_ip.to_string());
    set(&mut ctx, "aws:RequestedRegion", &|| call.region.clone());
    set(&mut ctx, "aws:PrincipalAccount", &|| {
        call.account_id().to_string()
    });
    set(&mut ctx, "aws:PrincipalArn", &|| {
        call.principal.principal_arn()
    });
    set(&mut ctx, "aws:userid", &|| {
        call.principal.user_id().to_string()
    });
    set(&mut ctx, "aws:ViaAWSService", &|| bool_text(false));
    let principal_type = match &call.principal {
        Principal::Root { .. } => "Account",
        Principal::Anonymous { .. } => "Anonymous",
        Principal::User { .. } => "User",
        Principal::AssumedRole { .. } => "AssumedRole",
        Principal::FederatedUser { .. } => "FederatedUser",
    };
    set(&mut ctx, "aws:PrincipalType", &|| {
        principal_type.to_string()
    });
    if let Some(name) = call.principal.user_name() {
        set(&mut ctx, "aws:username", &|| name.to_string());
    }
    let session_tags = call.session.as_ref().map(|s| s.tags.as_slice());
    for (k, v) in principal_tags {
        let overridden =
            session_tags.is_some_and(|tags| tags.iter().any(|(sk, _)| sk.eq_ignore_ascii_case(k)));
        if !overridden {
            set(&mut ctx, &format!("aws:PrincipalTag/{k}"), &|| v.clone());
        }
    }
    // aws:MultiFactorAuthPresent and aws:TokenIssueTime exist only for temporary credentials;
    // long-term keys leave them absent (which is why policies use BoolIfExists).
    if let Some(s) = &call.session {
        for (k, v) in &s.tags {
            set(&mut ctx, &format!("aws:PrincipalTag/{k}"), &|| v.clone());
        }
        set(&mut ctx, "aws:TokenIssueTime", &|| iso_date(s.issued_at));
        set(&mut ctx, "aws:MultiFactorAuthPresent", &|| {
            bool_text(s.mfa_time.is_some())
        });
        if let Some(t) = s.mfa_time {
            set(&mut ctx, "aws:MultiFactorAuthAge", &|| {
                (call.now - t).num_seconds().to_string()
            });
        }
        if let Some(id) = &s.source_identity {
            set(&mut ctx, "aws:SourceIdentity", &|| id.clone());
        }
    }
    ctx
}

/// A date as `RequestContext::set_date` writes it (ISO 8601, seconds, `Z`).
fn iso_date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
