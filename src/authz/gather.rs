//! The policies that apply to a principal, compiled (through the app's content-addressed cache).

use std::sync::Arc;

use crate::api::ApiError;
use crate::app::App;
use crate::policy::{Policy, PolicyKind, PolicyType};
use crate::store;

use super::Principal;

pub struct Compiled {
    /// Policy name (inline) or ARN (managed).
    pub id: Arc<str>,
    pub policy_type: PolicyType,
    pub policy: Arc<Policy>,
}

#[derive(Default)]
pub struct Gathered {
    pub identity: Vec<Compiled>,
    pub boundary: Option<Compiled>,
    pub principal_tags: Vec<(String, String)>,
}

/// The principal's policies, from the cache while no write has happened since they were read.
pub async fn policies(app: &App, principal: &Principal) -> Result<Arc<Gathered>, ApiError> {
    // Keyed by the identity whose policies apply: every session of a role shares its set.
    let key = match principal {
        Principal::Root { account_id } => account_id.clone(),
        Principal::Anonymous { .. } => "anonymous".into(),
        Principal::User { user_id, .. } => user_id.clone(),
        Principal::AssumedRole { role_id, .. } => role_id.clone(),
        Principal::FederatedUser { parent_id, .. } => parent_id.clone(),
    };
    let generation = app.store.generation();
    if let Some(hit) = app.policy_sets.get(&key, generation) {
        return Ok(hit);
    }
    let gathered = Arc::new(load(app, principal).await?);
    app.policy_sets.put(key, generation, gathered.clone());
    Ok(gathered)
}

/// Root's identity is the account itself: AWS allows it at the identity step, so its set is
/// empty and the engine's root rule decides. A user's set is its inline and attached policies
/// and those of each of its groups, plus its permissions boundary; a role session's is the
/// role's; a federated user's is the policies of the user who asked for the token.
async fn load(app: &App, principal: &Principal) -> Result<Gathered, ApiError> {
    let (owner, account_id, is_user) = match principal {
        Principal::Root { .. } | Principal::Anonymous { .. } => return Ok(Gathered::default()),
        Principal::User {
            user_id,
            account_id,
            ..
        } => (user_id, account_id, true),
        Principal::FederatedUser {
            parent_id,
            account_id,
            ..
        } if parent_id != account_id => (parent_id, account_id, true),
        Principal::FederatedUser { .. } => return Ok(Gathered::default()),
        Principal::AssumedRole {
            role_id,
            account_id,
            ..
        } => (role_id, account_id, false),
    };
    let mut c = app.store.read().await?;
    let mut identity = owner_policies(app, &mut c, owner, account_id).await?;
    if is_user {
        for g in store::groups::for_user(&mut c, owner).await? {
            identity.extend(owner_policies(app, &mut c, &g.group_id, account_id).await?);
        }
    }
    let boundary_arn = if is_user {
        store::users::get_by_id(&mut c, owner)
            .await?
            .and_then(|u| u.permissions_boundary)
    } else {
        store::roles::get_by_id(&mut c, owner)
            .await?
            .and_then(|r| r.permissions_boundary)
    };
    let boundary = match boundary_arn {
        Some(arn) => boundary_policy(app, &mut c, account_id, arn).await?,
        None => None,
    };
    let tags = store::tags::list(&mut c, owner).await?;
    Ok(Gathered {
        identity,
        boundary,
        principal_tags: tags.into_iter().map(|t| (t.key, t.value)).collect(),
    })
}

/// The inline and attached policies of one user, group or role.
pub(crate) async fn owner_policies(
    app: &App,
    c: &mut store::Conn,
    owner: &str,
    account_id: &str,
) -> Result<Vec<Compiled>, ApiError> {
    let mut out = Vec::new();
    for (name, document) in store::policies::list_inline(c, owner).await? {
        out.push(compiled(
            app,
            name,
            PolicyType::Inline,
            &document,
            PolicyKind::Identity,
        )?);
    }
    for arn in store::policies::attached(c, owner).await? {
        if let Some((policy_type, document)) = managed_document(app, c, account_id, &arn).await? {
            out.push(compiled(
                app,
                arn,
                policy_type,
                &document,
                PolicyKind::Managed,
            )?);
        }
    }
    Ok(out)
}

/// The managed policy `arn` as a permissions boundary (`None` if it no longer exists).
pub(crate) async fn boundary_policy(
    app: &App,
    c: &mut store::Conn,
    account_id: &str,
    arn: String,
) -> Result<Option<Compiled>, ApiError> {
    Ok(match managed_document(app, c, account_id, &arn).await? {
        Some((_, document)) => Some(compiled(
            app,
            arn,
            PolicyType::Boundary,
            &document,
            PolicyKind::Managed,
        )?),
        None => None,
    })
}

/// The default document of a managed policy, AWS's or the account's.
pub(crate) async fn managed_document(
    app: &App,
    c: &mut store::Conn,
    account_id: &str,
    arn: &str,
) -> Result<Option<(PolicyType, String)>, ApiError> {
    if let Some(p) = app.aws_policies.find(arn) {
        return Ok(Some((PolicyType::AwsManaged, p.document.clone())));
    }
    let Some(p) = store::policies::get_by_arn(c, arn)
        .await?
        .filter(|p| p.account_id == account_id)
    else {
        return Ok(None);
    };
    Ok(
        store::policies::version(c, &p.policy_id, &p.default_version)
            .await?
            .map(|v| (PolicyType::Managed, v.document)),
    )
}

/// A stored document compiled once per distinct text (documents were validated when stored).
pub(crate) fn compiled(
    app: &App,
    id: String,
    policy_type: PolicyType,
    document: &str,
    kind: PolicyKind,
) -> Result<Compiled, ApiError> {
    let policy = app.compiled_policy(document, kind).map_err(|e| {
        tracing::error!(policy = %id, error = %e, "a stored policy no longer parses");
        ApiError::internal("A stored policy could not be read.")
    })?;
    Ok(Compiled {
        id: id.into(),
        policy_type,
        policy,
    })
}

/// Policy sets per identity, valid for the store generation they were read at.
pub type PolicySetCache = crate::store::cache::GenerationCache<String, Arc<Gathered>>;
