//! The policies that apply to a principal, compiled (through the app's content-addressed cache).

use std::sync::Arc;

use crate::api::ApiError;
use crate::app::App;
use crate::policy::{Policy, PolicyKind, PolicyType};
use crate::store;

use super::Principal;

pub struct Compiled {
    /// Policy name (inline) or ARN (managed).
    pub id: String,
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
    let key = principal.arn();
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
/// and those of each of its groups, plus its permissions boundary.
async fn load(app: &App, principal: &Principal) -> Result<Gathered, ApiError> {
    let Principal::User {
        user_id,
        account_id,
        ..
    } = principal
    else {
        return Ok(Gathered::default());
    };
    let mut c = app.store.read().await?;
    let mut identity = Vec::new();
    let mut owners = vec![user_id.clone()];
    owners.extend(
        store::groups::for_user(&mut c, user_id)
            .await?
            .into_iter()
            .map(|g| g.group_id),
    );
    for owner in &owners {
        for (name, document) in store::policies::list_inline(&mut c, owner).await? {
            identity.push(compiled(
                app,
                name,
                PolicyType::Inline,
                &document,
                PolicyKind::Identity,
            )?);
        }
        for arn in store::policies::attached(&mut c, owner).await? {
            if let Some((policy_type, document)) =
                managed_document(app, &mut c, account_id, &arn).await?
            {
                identity.push(compiled(
                    app,
                    arn,
                    policy_type,
                    &document,
                    PolicyKind::Managed,
                )?);
            }
        }
    }
    let boundary = match store::users::get_by_id(&mut c, user_id)
        .await?
        .and_then(|u| u.permissions_boundary)
    {
        Some(arn) => match managed_document(app, &mut c, account_id, &arn).await? {
            Some((_, document)) => Some(compiled(
                app,
                arn,
                PolicyType::Boundary,
                &document,
                PolicyKind::Managed,
            )?),
            None => None,
        },
        None => None,
    };
    let tags = store::tags::list(&mut c, user_id).await?;
    Ok(Gathered {
        identity,
        boundary,
        principal_tags: tags.into_iter().map(|t| (t.key, t.value)).collect(),
    })
}

/// The default document of a managed policy, AWS's or the account's.
async fn managed_document(
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
fn compiled(
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
        id,
        policy_type,
        policy,
    })
}

/// Policy sets per principal ARN, each tagged with the store generation it was read at.
#[derive(Default)]
pub struct PolicySetCache {
    sets: std::sync::RwLock<std::collections::HashMap<String, (u64, Arc<Gathered>)>>,
}

impl PolicySetCache {
    fn get(&self, key: &str, generation: u64) -> Option<Arc<Gathered>> {
        let sets = self.sets.read().ok()?;
        let (g, set) = sets.get(key)?;
        (*g == generation).then(|| set.clone())
    }

    fn put(&self, key: String, generation: u64, set: Arc<Gathered>) {
        if let Ok(mut sets) = self.sets.write() {
            // Entries of older generations are dead; drop them rather than grow.
            sets.retain(|_, (g, _)| *g == generation);
            sets.insert(key, (generation, set));
        }
    }
}
