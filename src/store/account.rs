//! Account-wide data: the account alias, the counts GetAccountSummary reports, and which
//! identities use a managed policy.

use super::Conn;

pub async fn alias(c: &mut Conn, account_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT alias FROM account_aliases WHERE account_id = ?")
            .bind(account_id)
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(a,)| a))
}

/// The account that holds `alias`, if any.
pub async fn alias_owner(c: &mut Conn, alias: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT account_id FROM account_aliases WHERE alias = ?")
            .bind(alias)
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(a,)| a))
}

/// Sets the account's one alias, replacing any earlier one.
pub async fn set_alias(c: &mut Conn, account_id: &str, alias: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_aliases (account_id, alias) VALUES (?, ?)
         ON CONFLICT (account_id) DO UPDATE SET alias = excluded.alias",
    )
    .bind(account_id)
    .bind(alias)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete_alias(
    c: &mut Conn,
    account_id: &str,
    alias: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM account_aliases WHERE account_id = ? AND alias = ?")
        .bind(account_id)
        .bind(alias)
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// The account's global endpoint token version (SetSecurityTokenServicePreferences), if set.
pub async fn global_endpoint_token_version(
    c: &mut Conn,
    account_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT global_endpoint_token_version FROM sts_preferences WHERE account_id = ?",
    )
    .bind(account_id)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(v,)| v))
}

pub async fn set_global_endpoint_token_version(
    c: &mut Conn,
    account_id: &str,
    version: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sts_preferences (account_id, global_endpoint_token_version) VALUES (?, ?)
         ON CONFLICT (account_id) DO UPDATE
           SET global_endpoint_token_version = excluded.global_endpoint_token_version",
    )
    .bind(account_id)
    .bind(version)
    .execute(c)
    .await?;
    Ok(())
}

/// How many of each entity an account holds.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct Usage {
    pub users: i64,
    pub groups: i64,
    pub roles: i64,
    pub instance_profiles: i64,
    pub policies: i64,
    pub policy_versions: i64,
    pub root_access_keys: i64,
    pub mfa_devices: i64,
    pub mfa_devices_in_use: i64,
    pub providers: i64,
    pub root_signing_certificates: i64,
    pub server_certificates: i64,
}

pub async fn usage(c: &mut Conn, account_id: &str) -> Result<Usage, sqlx::Error> {
    sqlx::query_as(
        "SELECT
           (SELECT COUNT(*) FROM users WHERE account_id = ?1) AS users,
           (SELECT COUNT(*) FROM groups WHERE account_id = ?1) AS groups,
           (SELECT COUNT(*) FROM roles WHERE account_id = ?1) AS roles,
           (SELECT COUNT(*) FROM instance_profiles WHERE account_id = ?1) AS instance_profiles,
           (SELECT COUNT(*) FROM managed_policies WHERE account_id = ?1) AS policies,
           (SELECT COUNT(*) FROM policy_versions v JOIN managed_policies p
              ON p.policy_id = v.policy_id WHERE p.account_id = ?1) AS policy_versions,
           (SELECT COUNT(*) FROM access_keys WHERE account_id = ?1 AND user_id = ?1)
              AS root_access_keys,
           (SELECT COUNT(*) FROM mfa_devices WHERE account_id = ?1) AS mfa_devices,
           (SELECT COUNT(*) FROM mfa_devices WHERE account_id = ?1 AND user_id IS NOT NULL)
              AS mfa_devices_in_use,
           (SELECT COUNT(*) FROM oidc_providers WHERE account_id = ?1)
              + (SELECT COUNT(*) FROM saml_providers WHERE account_id = ?1) AS providers,
           (SELECT COUNT(*) FROM signing_certificates WHERE account_id = ?1 AND user_id = ?1)
              AS root_signing_certificates,
           (SELECT COUNT(*) FROM server_certificates WHERE account_id = ?1)
              AS server_certificates",
    )
    .bind(account_id)
    .fetch_one(c)
    .await
}

/// The kinds of identity a policy can be used by, in the order AWS lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, sqlx::Type)]
#[repr(i64)]
pub enum EntityKind {
    Group = 0,
    User = 1,
    Role = 2,
}

/// An identity that uses a managed policy.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PolicyEntity {
    pub kind: EntityKind,
    pub name: String,
    pub id: String,
    pub path: String,
}

/// The groups, users and roles of `account_id` that have `arn` attached (`attached`) or as
/// their permissions boundary (`boundary`), by kind then name.
pub async fn entities_for_policy(
    c: &mut Conn,
    account_id: &str,
    arn: &str,
    attached: bool,
    boundary: bool,
) -> Result<Vec<PolicyEntity>, sqlx::Error> {
    sqlx::query_as(
        "SELECT 0 AS kind, g.name, g.group_id AS id, g.path FROM groups g
           JOIN policy_attachments a ON a.owner_id = g.group_id
           WHERE ?3 AND g.account_id = ?1 AND a.policy_arn = ?2
         UNION
         SELECT 1, u.name, u.user_id, u.path FROM users u
           JOIN policy_attachments a ON a.owner_id = u.user_id
           WHERE ?3 AND u.account_id = ?1 AND a.policy_arn = ?2
         UNION
         SELECT 1, u.name, u.user_id, u.path FROM users u
           WHERE ?4 AND u.account_id = ?1 AND u.permissions_boundary = ?2
         UNION
         SELECT 2, r.name, r.role_id, r.path FROM roles r
           JOIN policy_attachments a ON a.owner_id = r.role_id
           WHERE ?3 AND r.account_id = ?1 AND a.policy_arn = ?2
         UNION
         SELECT 2, r.name, r.role_id, r.path FROM roles r
           WHERE ?4 AND r.account_id = ?1 AND r.permissions_boundary = ?2
         ORDER BY 1, 2",
    )
    .bind(account_id)
    .bind(arn)
    .bind(attached)
    .bind(boundary)
    .fetch_all(c)
    .await
}

/// How many users and roles of `account_id` use `arn` as their permissions boundary.
pub async fn boundary_usage_count(
    c: &mut Conn,
    account_id: &str,
    arn: &str,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users WHERE account_id = ?1 AND permissions_boundary = ?2)
              + (SELECT COUNT(*) FROM roles WHERE account_id = ?1 AND permissions_boundary = ?2)",
    )
    .bind(account_id)
    .bind(arn)
    .fetch_one(c)
    .await?;
    Ok(n)
}

/// How many users, groups and roles of `account_id` have `arn` attached.
pub async fn attachment_count(
    c: &mut Conn,
    account_id: &str,
    arn: &str,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM policy_attachments WHERE account_id = ? AND policy_arn = ?",
    )
    .bind(account_id)
    .bind(arn)
    .fetch_one(c)
    .await?;
    Ok(n)
}
