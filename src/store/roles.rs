//! IAM roles: trust policy, session limit, boundary and last use.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoleRow {
    pub account_id: String,
    pub role_id: String,
    pub name: String,
    pub path: String,
    pub assume_role_policy: String,
    pub description: Option<String>,
    pub max_session_duration: i64,
    pub permissions_boundary: Option<String>,
    pub create_date: i64,
    pub last_used_date: Option<i64>,
    pub last_used_region: Option<String>,
}

impl RoleRow {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role{}{}",
            self.account_id, self.path, self.name
        )
    }
}

const COLUMNS: &str = "account_id, role_id, name, path, assume_role_policy, description, max_session_duration, permissions_boundary, create_date, last_used_date, last_used_region";

pub async fn insert(c: &mut Conn, r: &RoleRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO roles ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&r.account_id)
    .bind(&r.role_id)
    .bind(&r.name)
    .bind(&r.path)
    .bind(&r.assume_role_policy)
    .bind(&r.description)
    .bind(r.max_session_duration)
    .bind(&r.permissions_boundary)
    .bind(r.create_date)
    .bind(r.last_used_date)
    .bind(&r.last_used_region)
    .execute(c)
    .await?;
    Ok(())
}

/// By name, case-insensitively.
pub async fn get(
    c: &mut Conn,
    account_id: &str,
    name: &str,
) -> Result<Option<RoleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM roles WHERE account_id = ? AND name = ?"
    ))
    .bind(account_id)
    .bind(name)
    .fetch_optional(c)
    .await
}

pub async fn get_by_id(c: &mut Conn, role_id: &str) -> Result<Option<RoleRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM roles WHERE role_id = ?"))
        .bind(role_id)
        .fetch_optional(c)
        .await
}

/// One page of roles whose path starts with `path_prefix`, after `after` (a name).
pub async fn list(
    c: &mut Conn,
    account_id: &str,
    path_prefix: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<RoleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM roles
         WHERE account_id = ? AND substr(path, 1, length(?)) = ? AND (? IS NULL OR name > ?)
         ORDER BY name LIMIT ?"
    ))
    .bind(account_id)
    .bind(path_prefix)
    .bind(path_prefix)
    .bind(after)
    .bind(after)
    .bind(limit)
    .fetch_all(c)
    .await
}

pub async fn update(
    c: &mut Conn,
    role_id: &str,
    description: Option<&str>,
    max_session_duration: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE roles SET description = ?, max_session_duration = ? WHERE role_id = ?")
        .bind(description)
        .bind(max_session_duration)
        .bind(role_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_trust_policy(
    c: &mut Conn,
    role_id: &str,
    document: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE roles SET assume_role_policy = ? WHERE role_id = ?")
        .bind(document)
        .bind(role_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_boundary(
    c: &mut Conn,
    role_id: &str,
    boundary: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE roles SET permissions_boundary = ? WHERE role_id = ?")
        .bind(boundary)
        .bind(role_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn record_use(
    c: &mut Conn,
    role_id: &str,
    when: i64,
    region: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE roles SET last_used_date = ?, last_used_region = ? WHERE role_id = ?")
        .bind(when)
        .bind(region)
        .bind(role_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, role_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM roles WHERE role_id = ?")
        .bind(role_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn record_deletion_task(
    c: &mut Conn,
    account_id: &str,
    task_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO deletion_tasks (task_id, account_id) VALUES (?, ?)")
        .bind(task_id)
        .bind(account_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn deletion_task_exists(
    c: &mut Conn,
    account_id: &str,
    task_id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM deletion_tasks WHERE account_id = ? AND task_id = ?")
            .bind(account_id)
            .bind(task_id)
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}
