//! Temporary credentials issued by STS. Like long-term keys, their secrets are kept: verifying a
//! SigV4 signature needs them.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub access_key_id: String,
    pub account_id: String,
    pub secret: String,
    pub session_token: String,
    /// `role`, `user` (GetSessionToken) or `federated`.
    pub kind: String,
    /// The role id, or the id of the user (the account id for root) who asked.
    pub owner_id: String,
    /// Role session name, federated user name, or the user's name.
    pub name: String,
    pub issued_at: i64,
    pub expiration: i64,
    /// When MFA was authenticated for this session; `None` without MFA.
    pub mfa_time: Option<i64>,
    pub source_identity: Option<String>,
    pub session_policy: Option<String>,
    /// JSON array of managed policy ARNs passed as session policies.
    pub policy_arns: String,
    /// JSON array of `[key, value]` session tags.
    pub tags: String,
    /// JSON array of the transitive tag keys.
    pub transitive_tag_keys: String,
    /// Issued to a role session assuming another role (role chaining).
    pub chained: bool,
}

const COLUMNS: &str = "access_key_id, account_id, secret, session_token, kind, owner_id, name, issued_at, expiration, mfa_time, source_identity, session_policy, policy_arns, tags, transitive_tag_keys, chained";

pub async fn insert(c: &mut Conn, s: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO sessions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&s.access_key_id)
    .bind(&s.account_id)
    .bind(&s.secret)
    .bind(&s.session_token)
    .bind(&s.kind)
    .bind(&s.owner_id)
    .bind(&s.name)
    .bind(s.issued_at)
    .bind(s.expiration)
    .bind(s.mfa_time)
    .bind(&s.source_identity)
    .bind(&s.session_policy)
    .bind(&s.policy_arns)
    .bind(&s.tags)
    .bind(&s.transitive_tag_keys)
    .bind(s.chained)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(c: &mut Conn, access_key_id: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE access_key_id = ?"
    ))
    .bind(access_key_id)
    .fetch_optional(c)
    .await
}
