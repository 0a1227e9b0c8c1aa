//! Temporary credentials as principals: a stored STS session turned into the principal it
//! stands for and the session attributes (policies, tags, MFA) evaluated with every call.

use chrono::{DateTime, Utc};

use crate::api::ApiError;
use crate::app::App;
use crate::policy::{PolicyKind, PolicyType};
use crate::store::{self, sessions::SessionRow};

use super::gather::{compiled, managed_document, Compiled};
use super::Principal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// AssumeRole.
    Role,
    /// GetSessionToken.
    User,
    /// GetFederationToken.
    Federated,
}

/// What a call made with temporary credentials carries besides its principal.
pub struct Session {
    pub kind: SessionKind,
    pub issued_at: DateTime<Utc>,
    pub expiration: DateTime<Utc>,
    pub mfa_time: Option<DateTime<Utc>>,
    pub source_identity: Option<String>,
    pub tags: Vec<(String, String)>,
    pub transitive_tag_keys: Vec<String>,
    pub chained: bool,
    /// The session policies, compiled; `None` when the session was created without any.
    pub policies: Option<Vec<Compiled>>,
}

impl Session {
    /// The session's tags that pass on to a role it assumes (role chaining).
    pub fn transitive_tags(&self) -> Vec<(String, String)> {
        self.tags
            .iter()
            .filter(|(k, _)| {
                self.transitive_tag_keys
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(k))
            })
            .cloned()
            .collect()
    }
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled").field("id", &self.id).finish()
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("kind", &self.kind)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The principal and session of a stored session; `None` if the user or role it belongs to is
/// gone.
pub async fn load(
    app: &App,
    c: &mut store::Conn,
    row: &SessionRow,
) -> Result<Option<(Principal, Session)>, ApiError> {
    let (kind, principal) = match row.kind.as_str() {
        "role" => {
            let Some((role_id, role_name, role_path)) = role_of(c, row).await? else {
                return Ok(None);
            };
            let principal = Principal::AssumedRole {
                account_id: row.account_id.clone(),
                unique_id: format!("{role_id}:{}", row.name),
                role_id,
                role_name,
                role_path,
                session_name: row.name.clone(),
            };
            (SessionKind::Role, principal)
        }
        "federated" => (
            SessionKind::Federated,
            Principal::FederatedUser {
                account_id: row.account_id.clone(),
                parent_id: row.owner_id.clone(),
                name: row.name.clone(),
                unique_id: format!("{}:{}", row.account_id, row.name),
            },
        ),
        _ if row.owner_id == row.account_id => (
            SessionKind::User,
            Principal::Root {
                account_id: row.account_id.clone(),
            },
        ),
        _ => {
            let Some(user) = store::users::get_by_id(c, &row.owner_id).await? else {
                return Ok(None);
            };
            (
                SessionKind::User,
                Principal::User {
                    account_id: user.account_id,
                    user_id: user.user_id,
                    name: user.name,
                    path: user.path,
                },
            )
        }
    };
    let policy_arns: Vec<String> = json_list(&row.policy_arns);
    let policies = if row.session_policy.is_some() || !policy_arns.is_empty() {
        let mut out = Vec::new();
        if let Some(doc) = &row.session_policy {
            out.push(compiled(
                app,
                "SessionPolicy".into(),
                PolicyType::Session,
                doc,
                PolicyKind::Identity,
            )?);
        }
        for arn in policy_arns {
            if let Some((_, doc)) = managed_document(app, c, &row.account_id, &arn).await? {
                out.push(compiled(
                    app,
                    arn,
                    PolicyType::Session,
                    &doc,
                    PolicyKind::Managed,
                )?);
            }
        }
        Some(out)
    } else {
        None
    };
    let session = Session {
        kind,
        issued_at: store::from_epoch(row.issued_at),
        expiration: store::from_epoch(row.expiration),
        mfa_time: row.mfa_time.map(store::from_epoch),
        source_identity: row.source_identity.clone(),
        tags: json_list(&row.tags),
        transitive_tag_keys: json_list(&row.transitive_tag_keys),
        chained: row.chained,
        policies,
    };
    Ok(Some((principal, session)))
}

/// The role a role session belongs to (id, name, path); `None` once the role is deleted, which
/// revokes its sessions.
async fn role_of(
    c: &mut store::Conn,
    row: &SessionRow,
) -> Result<Option<(String, String, String)>, ApiError> {
    Ok(store::roles::get_by_id(c, &row.owner_id)
        .await?
        .map(|r| (r.role_id, r.name, r.path)))
}
