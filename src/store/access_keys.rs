//! Long-term access keys of IAM users. Secrets are kept: verifying a SigV4 signature needs them.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessKeyRow {
    pub access_key_id: String,
    pub account_id: String,
    pub user_id: String,
    pub secret: String,
    pub status: String,
    pub create_date: i64,
    pub last_used_date: Option<i64>,
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
}

const COLUMNS: &str = "access_key_id, account_id, user_id, secret, status, create_date, last_used_date, last_used_service, last_used_region";

pub async fn insert(c: &mut Conn, k: &AccessKeyRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO access_keys ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&k.access_key_id)
    .bind(&k.account_id)
    .bind(&k.user_id)
    .bind(&k.secret)
    .bind(&k.status)
    .bind(k.create_date)
    .bind(k.last_used_date)
    .bind(&k.last_used_service)
    .bind(&k.last_used_region)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(c: &mut Conn, access_key_id: &str) -> Result<Option<AccessKeyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM access_keys WHERE access_key_id = ?"
    ))
    .bind(access_key_id)
    .fetch_optional(c)
    .await
}

pub async fn list_for_user(c: &mut Conn, user_id: &str) -> Result<Vec<AccessKeyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM access_keys WHERE user_id = ? ORDER BY create_date, access_key_id"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await
}

pub async fn set_status(
    c: &mut Conn,
    access_key_id: &str,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE access_keys SET status = ? WHERE access_key_id = ?")
        .bind(status)
        .bind(access_key_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, access_key_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM access_keys WHERE access_key_id = ?")
        .bind(access_key_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Records use of a key (flushed in batches by the server, not on every request).
pub async fn record_use(
    c: &mut Conn,
    access_key_id: &str,
    when: i64,
    service: &str,
    region: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE access_keys SET last_used_date = ?, last_used_service = ?, last_used_region = ?
         WHERE access_key_id = ? AND (last_used_date IS NULL OR last_used_date <= ?)",
    )
    .bind(when)
    .bind(service)
    .bind(region)
    .bind(access_key_id)
    .bind(when)
    .execute(c)
    .await?;
    Ok(())
}
