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

/// Root's identity is the account itself: AWS allows it at the identity step, so its set is
/// empty and the engine's root rule decides. A user's set is its inline and attached policies
/// and those of its groups; the store holds none of these yet in this build.
pub async fn policies(app: &App, principal: &Principal) -> Result<Gathered, ApiError> {
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
