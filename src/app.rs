//! The server's shared state: configuration, store, clock, and the caches on the hot path.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use crate::api::ApiError;
use crate::authz::Principal;
use crate::clock::Clock;
use crate::config::Config;
use crate::store::{self, Store};

/// What the server needs to verify a request signed with one access key.
#[derive(Debug, Clone)]
pub struct Credential {
    pub secret: String,
    pub active: bool,
    pub principal: Principal,
    /// Temporary credentials: the token requests must carry, and the session's attributes.
    pub session_token: Option<String>,
    pub session: Option<Arc<crate::authz::Session>>,
    /// The store generation a session was read at (its managed session policies may change).
    generation: u64,
}

/// Where and when an access key was last used, buffered until the next flush.
#[derive(Debug, Clone)]
struct LastUse {
    when: i64,
    service: &'static str,
    region: String,
}

/// The latest attempt at one action by one user or role, buffered until the next flush.
#[derive(Debug, Clone)]
struct ActionUse {
    when: i64,
    region: String,
}

/// One user's or role's buffered attempts, by operation.
#[derive(Debug, Default)]
struct EntityUse {
    account_id: String,
    actions: HashMap<crate::api::Operation, ActionUse>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Store(#[from] store::StoreError),
    #[error("cannot load OpenID Connect signing keys: {0}")]
    Keys(#[from] crate::sts::jwt::KeysError),
    #[error("cannot load AWS-managed policies: {0}")]
    AwsManagedPolicies(#[from] crate::iam::aws_managed::LoadError),
}

pub struct App {
    pub config: Config,
    /// The AWS-managed policies every account sees, by ARN.
    pub aws_policies: crate::iam::aws_managed::AwsManagedPolicies,
    pub store: Store,
    pub clock: Clock,
    /// When this server started; shown as the root user's CreateDate.
    pub started: crate::api::Timestamp,
    /// The last authorization decisions, for `GET /_iamlocal/decisions`.
    pub decisions: crate::authz::decisions::DecisionLog,
    /// Each principal's compiled policies, valid until the next write.
    pub policy_sets: crate::authz::PolicySetCache,
    /// Decisions by request shape, valid while the policy set they were made with is.
    pub decision_cache: crate::authz::decision_cache::DecisionCache,
    /// Users by (account, lowercased name) and tags by entity: the rows nearly every call reads.
    pub user_rows: store::cache::GenerationCache<(String, String), Option<store::users::UserRow>>,
    pub tag_rows: store::cache::GenerationCache<String, Vec<store::tags::TagRow>>,
    /// Signing keys of OpenID Connect issuers (`--oidc-jwks`).
    pub oidc_keys: crate::sts::jwt::IssuerKeys,
    /// Compiled policies by document text: a document is parsed once however many use it.
    compiled: RwLock<HashMap<String, Arc<crate::policy::Policy>>>,
    credentials: RwLock<HashMap<String, Arc<Credential>>>,
    last_used: Mutex<HashMap<String, LastUse>>,
    /// Service last accessed, by user or role id.
    service_use: Mutex<HashMap<String, EntityUse>>,
}

impl App {
    pub async fn new(config: Config, clock: Clock) -> Result<Arc<App>, StartError> {
        let oidc_keys = match &config.oidc_jwks {
            Some(path) => crate::sts::jwt::IssuerKeys::load(path)?,
            None => Default::default(),
        };
        let aws_policies = crate::iam::aws_managed::AwsManagedPolicies::load(
            config.aws_managed_policies.as_deref(),
        )?;
        let store = Store::open(&config.database()).await?;
        Ok(Arc::new(App {
            aws_policies,
            config,
            store,
            started: clock.now_seconds(),
            clock,
            decisions: Default::default(),
            policy_sets: Default::default(),
            decision_cache: Default::default(),
            user_rows: Default::default(),
            tag_rows: Default::default(),
            oidc_keys,
            compiled: RwLock::new(HashMap::new()),
            credentials: RwLock::new(HashMap::new()),
            last_used: Mutex::new(HashMap::new()),
            service_use: Mutex::new(HashMap::new()),
        }))
    }

    /// The credential behind `access_key_id`: the configured root key, a 12-digit key id (the
    /// root of that account, with the root secret), or a stored user key. `None` if unknown.
    pub async fn credential(
        &self,
        access_key_id: &str,
    ) -> Result<Option<Arc<Credential>>, ApiError> {
        if access_key_id == self.config.root_access_key_id {
            return Ok(Some(Arc::new(
                self.root_credential(&self.config.account_id),
            )));
        }
        if access_key_id.len() == 12 && access_key_id.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Some(Arc::new(self.root_credential(access_key_id))));
        }
        if let Some(c) = self.cached(access_key_id) {
            return Ok(Some(c));
        }
        let generation = self.store.generation();
        let mut conn = self.store.read().await?;
        if access_key_id.starts_with("ASIA") {
            let Some(row) = store::sessions::get(&mut conn, access_key_id).await? else {
                return Ok(None);
            };
            let Some((principal, session)) =
                crate::authz::session::load(self, &mut conn, &row).await?
            else {
                return Ok(None);
            };
            let cred = Arc::new(Credential {
                secret: row.secret,
                active: true,
                principal,
                session_token: Some(row.session_token),
                session: Some(Arc::new(session)),
                generation,
            });
            self.cache(access_key_id, &cred);
            return Ok(Some(cred));
        }
        let Some(key) = store::access_keys::get(&mut conn, access_key_id).await? else {
            return Ok(None);
        };
        let principal = if key.user_id == key.account_id {
            Principal::Root {
                account_id: key.account_id.clone(),
            }
        } else {
            let Some(user) = store::users::get_by_id(&mut conn, &key.user_id).await? else {
                return Ok(None);
            };
            Principal::User {
                account_id: user.account_id,
                user_id: user.user_id,
                name: user.name,
                path: user.path,
            }
        };
        let cred = Arc::new(Credential {
            secret: key.secret,
            active: key.status == "Active",
            principal,
            session_token: None,
            session: None,
            generation,
        });
        self.cache(access_key_id, &cred);
        Ok(Some(cred))
    }

    fn cache(&self, access_key_id: &str, cred: &Arc<Credential>) {
        if let Ok(mut map) = self.credentials.write() {
            map.insert(access_key_id.to_string(), cred.clone());
        }
    }

    fn cached(&self, access_key_id: &str) -> Option<Arc<Credential>> {
        let c = self.credentials.read().ok()?.get(access_key_id).cloned()?;
        // A session's compiled session policies are as of the generation it was read at.
        (c.session.is_none() || c.generation == self.store.generation()).then_some(c)
    }

    fn root_credential(&self, account_id: &str) -> Credential {
        Credential {
            secret: self.config.root_secret_access_key.clone(),
            active: true,
            principal: Principal::Root {
                account_id: account_id.to_string(),
            },
            session_token: None,
            session: None,
            generation: 0,
        }
    }

    /// The compiled form of a stored document, parsed on first use.
    pub fn compiled_policy(
        &self,
        document: &str,
        kind: crate::policy::PolicyKind,
    ) -> Result<Arc<crate::policy::Policy>, crate::policy::PolicyError> {
        if let Some(p) = self
            .compiled
            .read()
            .ok()
            .and_then(|m| m.get(document).cloned())
        {
            return Ok(p);
        }
        let p = Arc::new(crate::policy::parse_policy(document, kind)?);
        if let Ok(mut m) = self.compiled.write() {
            m.insert(document.to_string(), p.clone());
        }
        Ok(p)
    }

    /// Forgets cached credentials; called after any write that changes users or keys.
    pub fn invalidate_credentials(&self) {
        if let Ok(mut map) = self.credentials.write() {
            map.clear();
        }
    }

    /// Notes that a key signed a call; written to the store by `flush_last_used`.
    pub fn record_key_use(&self, access_key_id: &str, service: &'static str, region: &str) {
        if let Ok(mut m) = self.last_used.lock() {
            m.insert(
                access_key_id.to_string(),
                LastUse {
                    when: self.clock.now().timestamp(),
                    service,
                    region: region.to_string(),
                },
            );
        }
    }

    /// Notes that an IAM user or role attempted `operation` (service last accessed); written
    /// to the store by `flush_last_used`. A role session counts for its role, a federated
    /// session for the user who asked for it; root and unsigned callers are not IAM entities.
    pub fn record_service_use(
        &self,
        principal: &Principal,
        operation: crate::api::Operation,
        region: &str,
        when: i64,
    ) {
        let (account_id, entity_id) = match principal {
            Principal::User {
                account_id,
                user_id,
                ..
            } => (account_id, user_id),
            Principal::AssumedRole {
                account_id,
                role_id,
                ..
            } => (account_id, role_id),
            Principal::FederatedUser {
                account_id,
                parent_id,
                ..
            } if parent_id != account_id => (account_id, parent_id),
            _ => return,
        };
        let Ok(mut m) = self.service_use.lock() else {
            return;
        };
        // Allocates only the first time an entity or action is seen between flushes.
        if !m.contains_key(entity_id.as_str()) {
            m.insert(
                entity_id.clone(),
                EntityUse {
                    account_id: account_id.clone(),
                    actions: HashMap::new(),
                },
            );
        }
        let Some(entity) = m.get_mut(entity_id.as_str()) else {
            return;
        };
        match entity.actions.get_mut(&operation) {
            Some(u) if u.when <= when => {
                u.when = when;
                if u.region != region {
                    u.region = region.to_string();
                }
            }
            Some(_) => {}
            None => {
                entity.actions.insert(
                    operation,
                    ActionUse {
                        when,
                        region: region.to_string(),
                    },
                );
            }
        }
    }

    /// Writes buffered key use and service last accessed to the store in one transaction.
    pub async fn flush_last_used(&self) -> Result<(), ApiError> {
        let pending: Vec<(String, LastUse)> = match self.last_used.lock() {
            Ok(mut m) => m.drain().collect(),
            Err(_) => Vec::new(),
        };
        let services: Vec<(String, EntityUse)> = match self.service_use.lock() {
            Ok(mut m) => m.drain().collect(),
            Err(_) => Vec::new(),
        };
        if pending.is_empty() && services.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.write().await?;
        for (key, u) in &pending {
            store::access_keys::record_use(&mut tx, key, u.when, u.service, &u.region).await?;
        }
        for (entity_id, entity) in services {
            for (operation, u) in entity.actions {
                let row = store::service_last_accessed::AccessRow {
                    entity_id: entity_id.clone(),
                    service: operation.service().signing_name().to_string(),
                    action: operation.name().to_string(),
                    last_accessed: u.when,
                    region: u.region,
                };
                store::service_last_accessed::record(&mut tx, &entity.account_id, &row).await?;
            }
        }
        tx.commit_bookkeeping().await?;
        Ok(())
    }

    /// Empties every account.
    pub async fn reset(&self) -> Result<(), ApiError> {
        if let Ok(mut m) = self.last_used.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.service_use.lock() {
            m.clear();
        }
        self.store.reset().await?;
        self.invalidate_credentials();
        self.decisions.clear();
        self.decision_cache.clear();
        Ok(())
    }
}
