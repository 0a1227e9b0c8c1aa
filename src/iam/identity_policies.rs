//! Inline policies and managed-policy attachments of users and groups: Put/Get/List/Delete
//! User|GroupPolicy, Attach/Detach/ListAttached User|GroupPolicies. Both kinds of identity
//! share one implementation; only names, quotas and messages differ.

use crate::api::iam::AttachedPolicy;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::Call;
use crate::policy::PolicyKind;
use crate::store::policies;

use super::pagination::Page;
use super::policies::{find, not_attachable, not_found};
use super::policy_documents::{parse_policy_arn, size_without_whitespace, url_encode, validate};

/// IAM quota: ten managed policies attached to a user, group or role.
const ATTACHED_PER_IDENTITY: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    User,
    Group,
    Role,
}

/// A user, group or role that policies belong to.
pub struct Identity {
    pub kind: IdentityKind,
    pub id: String,
    pub name: String,
    /// Set for a service-linked role: only its service may change its policies.
    pub protected: Option<ApiError>,
}

impl Identity {
    fn ensure_modifiable(&self) -> Result<(), ApiError> {
        match &self.protected {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}

impl IdentityKind {
    fn noun(self) -> &'static str {
        match self {
            IdentityKind::User => "user",
            IdentityKind::Group => "group",
            IdentityKind::Role => "role",
        }
    }

    /// Total inline policy size without whitespace (IAM quotas: user 2,048, group 5,120,
    /// role 10,240).
    fn inline_quota(self) -> usize {
        match self {
            IdentityKind::User => 2048,
            IdentityKind::Group => 5120,
            IdentityKind::Role => 10240,
        }
    }

    fn attach_quota_name(self) -> &'static str {
        match self {
            IdentityKind::User => "PoliciesPerUser",
            IdentityKind::Group => "PoliciesPerGroup",
            IdentityKind::Role => "PoliciesPerRole",
        }
    }
}

/// The named identity, after authorizing the call on it.
pub async fn identity(
    app: &App,
    call: &Call,
    kind: IdentityKind,
    name: &str,
) -> Result<Identity, ApiError> {
    match kind {
        IdentityKind::User => {
            let u = super::users::authorized_user(app, call, name).await?;
            Ok(Identity {
                kind,
                id: u.user_id,
                name: u.name,
                protected: None,
            })
        }
        IdentityKind::Group => {
            let g = super::groups::authorized_group(app, call, name).await?;
            Ok(Identity {
                kind,
                id: g.group_id,
                name: g.name,
                protected: None,
            })
        }
        IdentityKind::Role => {
            let r = super::roles::authorized_role(app, call, name).await?;
            Ok(Identity {
                kind,
                protected: super::roles::is_service_linked(&r)
                    .then(|| super::roles::protected_role(&r)),
                id: r.role_id,
                name: r.name,
            })
        }
    }
}

pub async fn put_inline(
    app: &App,
    call: &Call,
    who: &Identity,
    name: &str,
    document: &str,
) -> Result<(), ApiError> {
    who.ensure_modifiable()?;
    validate(document, PolicyKind::Identity)?;
    let mut tx = app.store.write().await?;
    let others: usize = policies::list_inline(&mut tx, &who.id)
        .await?
        .iter()
        .filter(|(n, _)| n != name)
        .map(|(_, d)| size_without_whitespace(d))
        .sum();
    let quota = who.kind.inline_quota();
    if others + size_without_whitespace(document) > quota {
        return Err(errors::limit_exceeded(format!(
            "Maximum policy size of {quota} bytes exceeded for {} {}",
            who.kind.noun(),
            who.name
        )));
    }
    policies::put_inline(&mut tx, call.account_id(), &who.id, name, document).await?;
    tx.commit().await?;
    Ok(())
}

fn no_inline(who: &Identity, name: &str) -> ApiError {
    errors::no_such_entity(format!(
        "The {} policy with name {name} cannot be found.",
        who.kind.noun()
    ))
}

/// The URL-encoded document of an inline policy.
pub async fn get_inline(app: &App, who: &Identity, name: &str) -> Result<String, ApiError> {
    let mut c = app.store.read().await?;
    policies::get_inline(&mut c, &who.id, name)
        .await?
        .map(|d| url_encode(&d))
        .ok_or_else(|| no_inline(who, name))
}

/// One page of inline policy names: (names, IsTruncated, Marker).
pub async fn list_inline(
    app: &App,
    who: &Identity,
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<(Vec<String>, bool, Option<String>), ApiError> {
    let page = Page::new(marker, max_items)?;
    let mut names: Vec<String> = {
        let mut c = app.store.read().await?;
        policies::list_inline(&mut c, &who.id)
            .await?
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    };
    if let Some(after) = &page.after {
        names.retain(|n| n > after);
    }
    let (truncated, next) = page.finish(&mut names, |n| n);
    Ok((names, truncated, next))
}

pub async fn delete_inline(app: &App, who: &Identity, name: &str) -> Result<(), ApiError> {
    who.ensure_modifiable()?;
    let mut tx = app.store.write().await?;
    if !policies::delete_inline(&mut tx, &who.id, name).await? {
        return Err(no_inline(who, name));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn attach(app: &App, call: &Call, who: &Identity, arn: &str) -> Result<(), ApiError> {
    who.ensure_modifiable()?;
    parse_policy_arn(arn)?;
    if find(app, call.account_id(), arn).await?.is_none() {
        return Err(not_attachable(arn));
    }
    let mut tx = app.store.write().await?;
    let attached = policies::attached(&mut tx, &who.id).await?;
    if !attached.iter().any(|a| a == arn) && attached.len() >= ATTACHED_PER_IDENTITY {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for {}: {ATTACHED_PER_IDENTITY}",
            who.kind.attach_quota_name()
        )));
    }
    policies::attach(&mut tx, call.account_id(), &who.id, arn).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn detach(app: &App, who: &Identity, arn: &str) -> Result<(), ApiError> {
    who.ensure_modifiable()?;
    parse_policy_arn(arn)?;
    let mut tx = app.store.write().await?;
    if !policies::detach(&mut tx, &who.id, arn).await? {
        return Err(not_found(arn));
    }
    tx.commit().await?;
    Ok(())
}

/// One page of attached policies: (policies, IsTruncated, Marker).
pub async fn list_attached(
    app: &App,
    call: &Call,
    who: &Identity,
    path_prefix: Option<&str>,
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<(Vec<AttachedPolicy>, bool, Option<String>), ApiError> {
    let page = Page::new(marker, max_items)?;
    let prefix = path_prefix.unwrap_or("/");
    let arns = {
        let mut c = app.store.read().await?;
        policies::attached(&mut c, &who.id).await?
    };
    let mut out = Vec::new();
    let mut past_marker = page.after.is_none();
    for arn in arns {
        if !past_marker {
            past_marker = page.after.as_deref() == Some(arn.as_str());
            continue;
        }
        let Ok((_, path, name)) = parse_policy_arn(&arn) else {
            continue;
        };
        if path.starts_with(prefix) && find(app, call.account_id(), &arn).await?.is_some() {
            out.push(AttachedPolicy {
                policy_name: Some(name),
                policy_arn: Some(arn),
            });
        }
    }
    let (truncated, next) = page.finish(&mut out, |p| p.policy_arn.as_deref().unwrap_or(""));
    Ok((out, truncated, next))
}

/// Whether an identity still has inline or attached policies (DeleteUser/DeleteGroup refuse).
pub async fn ensure_no_policies(
    c: &mut crate::store::Conn,
    owner_id: &str,
) -> Result<(), ApiError> {
    if !policies::list_inline(c, owner_id).await?.is_empty() {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must delete policies first.",
        ));
    }
    if !policies::attached(c, owner_id).await?.is_empty() {
        return Err(errors::delete_conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    Ok(())
}

// Thin per-operation handlers, the same seven for each kind of identity -------------------

use crate::api::iam::*;

macro_rules! identity_handlers {
    (
        $kind:expr, $name:ident,
        $put:ident($put_in:ty),
        $get:ident($get_in:ty => $get_out:ident),
        $list:ident($list_in:ty => $list_out:ident),
        $delete:ident($delete_in:ty),
        $attach:ident($attach_in:ty),
        $detach:ident($detach_in:ty),
        $list_attached:ident($list_attached_in:ty => $list_attached_out:ident)
    ) => {
        pub async fn $put(app: &App, call: &Call, input: $put_in) -> Result<(), ApiError> {
            let who = identity(app, call, $kind, &input.$name).await?;
            put_inline(app, call, &who, &input.policy_name, &input.policy_document).await
        }

        pub async fn $get(app: &App, call: &Call, input: $get_in) -> Result<$get_out, ApiError> {
            let who = identity(app, call, $kind, &input.$name).await?;
            let document = get_inline(app, &who, &input.policy_name).await?;
            Ok($get_out {
                $name: who.name,
                policy_name: input.policy_name,
                policy_document: document,
            })
        }

        pub async fn $list(app: &App, call: &Call, input: $list_in) -> Result<$list_out, ApiError> {
            let who = identity(app, call, $kind, &input.$name).await?;
            let (names, truncated, marker) =
                list_inline(app, &who, input.marker.as_deref(), input.max_items).await?;
            Ok($list_out {
                policy_names: names,
                is_truncated: Some(truncated),
                marker,
            })
        }

        pub async fn $delete(app: &App, call: &Call, input: $delete_in) -> Result<(), ApiError> {
            let who = identity(app, call, $kind, &input.$name).await?;
            delete_inline(app, &who, &input.policy_name).await
        }

        pub async fn $attach(app: &App, call: &Call, input: $attach_in) -> Result<(), ApiError> {
            let who = identity(app, call, $kind, &input.$name).await?;
            attach(app, call, &who, &input.policy_arn).await
        }

        pub async fn $detach(app: &App, call: &Call, input: $detach_in) -> Result<(), ApiError> {
            let who = identity(app, call, $kind, &input.$name).await?;
            detach(app, &who, &input.policy_arn).await
        }

        pub async fn $list_attached(
            app: &App,
            call: &Call,
            input: $list_attached_in,
        ) -> Result<$list_attached_out, ApiError> {
            let who = identity(app, call, $kind, &input.$name).await?;
            let (policies, truncated, marker) = list_attached(
                app,
                call,
                &who,
                input.path_prefix.as_deref(),
                input.marker.as_deref(),
                input.max_items,
            )
            .await?;
            Ok($list_attached_out {
                attached_policies: Some(policies),
                is_truncated: Some(truncated),
                marker,
            })
        }
    };
}

identity_handlers!(
    IdentityKind::User, user_name,
    put_user_policy(PutUserPolicyRequest),
    get_user_policy(GetUserPolicyRequest => GetUserPolicyResponse),
    list_user_policies(ListUserPoliciesRequest => ListUserPoliciesResponse),
    delete_user_policy(DeleteUserPolicyRequest),
    attach_user_policy(AttachUserPolicyRequest),
    detach_user_policy(DetachUserPolicyRequest),
    list_attached_user_policies(ListAttachedUserPoliciesRequest => ListAttachedUserPoliciesResponse)
);

identity_handlers!(
    IdentityKind::Group, group_name,
    put_group_policy(PutGroupPolicyRequest),
    get_group_policy(GetGroupPolicyRequest => GetGroupPolicyResponse),
    list_group_policies(ListGroupPoliciesRequest => ListGroupPoliciesResponse),
    delete_group_policy(DeleteGroupPolicyRequest),
    attach_group_policy(AttachGroupPolicyRequest),
    detach_group_policy(DetachGroupPolicyRequest),
    list_attached_group_policies(ListAttachedGroupPoliciesRequest => ListAttachedGroupPoliciesResponse)
);

identity_handlers!(
    IdentityKind::Role, role_name,
    put_role_policy(PutRolePolicyRequest),
    get_role_policy(GetRolePolicyRequest => GetRolePolicyResponse),
    list_role_policies(ListRolePoliciesRequest => ListRolePoliciesResponse),
    delete_role_policy(DeleteRolePolicyRequest),
    attach_role_policy(AttachRolePolicyRequest),
    detach_role_policy(DetachRolePolicyRequest),
    list_attached_role_policies(ListAttachedRolePoliciesRequest => ListAttachedRolePoliciesResponse)
);
