//! Instance profiles and the role each holds.

use super::roles::RoleRow;
use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InstanceProfileRow {
    pub account_id: String,
    pub instance_profile_id: String,
    pub name: String,
    pub path: String,
    pub create_date: i64,
}

impl InstanceProfileRow {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:instance-profile{}{}",
            self.account_id, self.path, self.name
        )
    }
}

const COLUMNS: &str = "account_id, instance_profile_id, name, path, create_date";

pub async fn insert(c: &mut Conn, p: &InstanceProfileRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO instance_profiles ({COLUMNS}) VALUES (?, ?, ?, ?, ?)"
    ))
    .bind(&p.account_id)
    .bind(&p.instance_profile_id)
    .bind(&p.name)
    .bind(&p.path)
    .bind(p.create_date)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(
    c: &mut Conn,
    account_id: &str,
    name: &str,
) -> Result<Option<InstanceProfileRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM instance_profiles WHERE account_id = ? AND name = ?"
    ))
    .bind(account_id)
    .bind(name)
    .fetch_optional(c)
    .await
}

pub async fn list(
    c: &mut Conn,
    account_id: &str,
    path_prefix: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<InstanceProfileRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM instance_profiles
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

/// The instance profiles holding `role_id`, in name order.
pub async fn for_role(c: &mut Conn, role_id: &str) -> Result<Vec<InstanceProfileRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.account_id, p.instance_profile_id, p.name, p.path, p.create_date
         FROM instance_profiles p JOIN instance_profile_roles r USING (instance_profile_id)
         WHERE r.role_id = ? ORDER BY p.name",
    )
    .bind(role_id)
    .fetch_all(c)
    .await
}

/// The roles in an instance profile (at most one, by AWS's quota).
pub async fn roles(c: &mut Conn, instance_profile_id: &str) -> Result<Vec<RoleRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.account_id, r.role_id, r.name, r.path, r.assume_role_policy, r.description,
                r.max_session_duration, r.permissions_boundary, r.create_date, r.last_used_date,
                r.last_used_region
         FROM roles r JOIN instance_profile_roles ipr USING (role_id)
         WHERE ipr.instance_profile_id = ? ORDER BY r.name",
    )
    .bind(instance_profile_id)
    .fetch_all(c)
    .await
}

pub async fn add_role(
    c: &mut Conn,
    instance_profile_id: &str,
    role_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO instance_profile_roles (instance_profile_id, role_id) VALUES (?, ?)")
        .bind(instance_profile_id)
        .bind(role_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn remove_role(
    c: &mut Conn,
    instance_profile_id: &str,
    role_id: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM instance_profile_roles WHERE instance_profile_id = ? AND role_id = ?",
    )
    .bind(instance_profile_id)
    .bind(role_id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn delete(c: &mut Conn, instance_profile_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM instance_profiles WHERE instance_profile_id = ?")
        .bind(instance_profile_id)
        .execute(c)
        .await?;
    Ok(())
}
