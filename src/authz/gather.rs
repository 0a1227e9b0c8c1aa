//! The policies that apply to a principal, compiled (through the app's content-addressed cache).

use std::sync::Arc;

use crate::api::ApiError;
use crate::app::App;
use crate::policy::{Policy, PolicyType};
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
/// and those of its groups; the store holds none of these yet in this build.
async fn load(app: &App, principal: &Principal) -> Result<Gathered, ApiError> {
    match principal {
        Principal::Root { .. } => Ok(Gathered::default()),
        Principal::User { user_id, .. } => {
            let mut c = app.store.read().await?;
            let tags = store::tags::list(&mut c, user_id).await?;
            Ok(Gathered {
                principal_tags: tags.into_iter().map(|t| (t.key, t.value)).collect(),
                ..Gathered::default()
            })
        }
    }
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
