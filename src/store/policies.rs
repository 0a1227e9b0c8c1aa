//! Managed policies with their versions, inline policies and attachments. Inline policies and
//! attachments belong to an identity by its unique id (user, group, role).

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ManagedPolicyRow {
    pub account_id: String,
    pub policy_id: String,
    pub name: String,
    pub path: String,
    pub arn: String,
    pub description: Option<String>,
    pub default_version: String,
    pub next_version: i64,
    pub create_date: i64,
    pub update_date: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VersionRow {
    pub version_id: String,
    pub document: String,
    pub create_date: i64,
}

const COLUMNS: &str = "account_id, policy_id, name, path, arn, description, default_version, next_version, create_date, update_date";

pub async fn insert(c: &mut Conn, p: &ManagedPolicyRow, document: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO managed_policies ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&p.account_id)
    .bind(&p.policy_id)
    .bind(&p.name)
    .bind(&p.path)
    .bind(&p.arn)
    .bind(&p.description)
    .bind(&p.default_version)
    .bind(p.next_version)
    .bind(p.create_date)
    .bind(p.update_date)
    .execute(&mut *c)
    .await?;
    insert_version(c, &p.policy_id, &p.default_version, document, p.create_date).await
}

pub async fn insert_version(
    c: &mut Conn,
    policy_id: &str,
    version_id: &str,
    document: &str,
    create_date: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO policy_versions (policy_id, version_id, document, create_date) VALUES (?, ?, ?, ?)")
        .bind(policy_id)
        .bind(version_id)
        .bind(document)
        .bind(create_date)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn get_by_arn(c: &mut Conn, arn: &str) -> Result<Option<ManagedPolicyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM managed_policies WHERE arn = ?"
    ))
    .bind(arn)
    .fetch_optional(c)
    .await
}

pub async fn get_by_name(
    c: &mut Conn,
    account_id: &str,
    name: &str,
) -> Result<Option<ManagedPolicyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM managed_policies WHERE account_id = ? AND name = ?"
    ))
    .bind(account_id)
    .bind(name)
    .fetch_optional(c)
    .await
}

/// Which use of a managed policy `list` keeps (ListPolicies `OnlyAttached`/`PolicyUsageFilter`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageFilter {
    /// Attached to a user, group or role as a permissions policy.
    pub attached: bool,
    /// Set as a user's or role's permissions boundary.
    pub boundary: bool,
}

pub async fn list(
    c: &mut Conn,
    account_id: &str,
    path_prefix: &str,
    usage: UsageFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ManagedPolicyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM managed_policies p
         WHERE account_id = ? AND substr(path, 1, length(?)) = ? AND (? IS NULL OR name > ?)
           AND (? = 0 OR EXISTS (SELECT 1 FROM policy_attachments a WHERE a.policy_arn = p.arn))
           AND (? = 0 OR EXISTS (SELECT 1 FROM users u WHERE u.permissions_boundary = p.arn)
                      OR EXISTS (SELECT 1 FROM roles r WHERE r.permissions_boundary = p.arn))
         ORDER BY name LIMIT ?"
    ))
    .bind(account_id)
    .bind(path_prefix)
    .bind(path_prefix)
    .bind(after)
    .bind(after)
    .bind(usage.attached)
    .bind(usage.boundary)
    .bind(limit)
    .fetch_all(c)
    .await
}

pub async fn versions(c: &mut Conn, policy_id: &str) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version_id, document, create_date FROM policy_versions WHERE policy_id = ?
         ORDER BY CAST(substr(version_id, 2) AS INTEGER) DESC",
    )
    .bind(policy_id)
    .fetch_all(c)
    .await
}

pub async fn version(
    c: &mut Conn,
    policy_id: &str,
    version_id: &str,
) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as("SELECT version_id, document, create_date FROM policy_versions WHERE policy_id = ? AND version_id = ?")
        .bind(policy_id)
        .bind(version_id)
        .fetch_optional(c)
        .await
}

pub async fn delete_version(
    c: &mut Conn,
    policy_id: &str,
    version_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM policy_versions WHERE policy_id = ? AND version_id = ?")
        .bind(policy_id)
        .bind(version_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_versions(
    c: &mut Conn,
    policy_id: &str,
    default_version: &str,
    next_version: i64,
    update_date: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE managed_policies SET default_version = ?, next_version = ?, update_date = ? WHERE policy_id = ?")
        .bind(default_version)
        .bind(next_version)
        .bind(update_date)
        .bind(policy_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, policy_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM policy_versions WHERE policy_id = ?")
        .bind(policy_id)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM managed_policies WHERE policy_id = ?")
        .bind(policy_id)
        .execute(c)
        .await?;
    Ok(())
}

// --- inline policies -------------------------------------------------------------------------

pub async fn put_inline(
    c: &mut Conn,
    account_id: &str,
    owner_id: &str,
    name: &str,
    document: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO inline_policies (account_id, owner_id, name, document) VALUES (?, ?, ?, ?)
         ON CONFLICT (owner_id, name) DO UPDATE SET document = excluded.document",
    )
    .bind(account_id)
    .bind(owner_id)
    .bind(name)
    .bind(document)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get_inline(
    c: &mut Conn,
    owner_id: &str,
    name: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT document FROM inline_policies WHERE owner_id = ? AND name = ?")
            .bind(owner_id)
            .bind(name)
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(d,)| d))
}

/// (name, document) of every inline policy of `owner_id`, in name order.
pub async fn list_inline(
    c: &mut Conn,
    owner_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT name, document FROM inline_policies WHERE owner_id = ? ORDER BY name")
        .bind(owner_id)
        .fetch_all(c)
        .await
}

pub async fn delete_inline(c: &mut Conn, owner_id: &str, name: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM inline_policies WHERE owner_id = ? AND name = ?")
        .bind(owner_id)
        .bind(name)
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}

// --- attachments -----------------------------------------------------------------------------

/// Attached policy ARNs of `owner_id`, in attachment order.
pub async fn attached(c: &mut Conn, owner_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT policy_arn FROM policy_attachments WHERE owner_id = ? ORDER BY seq")
            .bind(owner_id)
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

pub async fn attach(
    c: &mut Conn,
    account_id: &str,
    owner_id: &str,
    arn: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT OR IGNORE INTO policy_attachments (account_id, owner_id, policy_arn, seq)
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM policy_attachments WHERE owner_id = ?))",
    )
    .bind(account_id)
    .bind(owner_id)
    .bind(arn)
    .bind(owner_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn detach(c: &mut Conn, owner_id: &str, arn: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM policy_attachments WHERE owner_id = ? AND policy_arn = ?")
        .bind(owner_id)
        .bind(arn)
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}
