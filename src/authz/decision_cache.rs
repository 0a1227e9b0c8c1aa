//! Decisions remembered per request shape. A call's decision depends only on the caller's
//! policies (the cached policy set, and a session's own policies), the principal, the action,
//! the resource and the values of the context keys those policies read; when all of these
//! repeat, the engine's answer does too, and the stored evaluation is reused.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, RwLock};

use crate::policy::{Evaluation, Principal, RequestContext};

use super::gather::Gathered;

/// Entries kept before the cache starts over (keys are a few hundred bytes).
const CAPACITY: usize = 4096;

struct Cached {
    /// The policy set the decision was made with: a hit must be for this very set (holding
    /// it also keeps its address from being reused by a newer set).
    policies: Arc<Gathered>,
    evaluation: Arc<Evaluation>,
}

#[derive(Default)]
pub struct DecisionCache {
    entries: RwLock<HashMap<String, Cached>>,
}

/// What besides the policy set a decision depends on, as one text.
pub fn key(
    principal: &Principal,
    session_key: Option<&str>,
    action: &str,
    resource: &str,
    ctx: &RequestContext,
) -> String {
    let mut out = String::with_capacity(160);
    // The kind with its data (a role session's role ARN); Debug escapes control characters, so
    // the NUL that ends it cannot occur inside it.
    let _ = write!(out, "{:?}\0", principal.kind);
    for field in [
        &principal.arn,
        &principal.account,
        session_key.unwrap_or(""),
        action,
        resource,
    ] {
        let _ = write!(out, "{}:{field}", field.len());
    }
    ctx.write_canonical(&mut out);
    out
}

impl DecisionCache {
    pub fn get(&self, key: &str, policies: &Arc<Gathered>) -> Option<Arc<Evaluation>> {
        let entries = self.entries.read().ok()?;
        let hit = entries.get(key)?;
        Arc::ptr_eq(&hit.policies, policies).then(|| hit.evaluation.clone())
    }

    pub fn put(&self, key: String, policies: Arc<Gathered>, evaluation: Arc<Evaluation>) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(
                key,
                Cached {
                    policies,
                    evaluation,
                },
            );
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}
