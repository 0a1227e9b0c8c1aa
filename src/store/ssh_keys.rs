//! SSH public keys of IAM users.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SshKeyRow {
    pub ssh_public_key_id: String,
    pub account_id: String,
    pub user_id: String,
    /// The key in `ssh-rsa AAAA…` form.
    pub body: String,
    pub fingerprint: String,
    pub status: String,
    pub upload_date: i64,
}

const COLUMNS: &str =
    "ssh_public_key_id, account_id, user_id, body, fingerprint, status, upload_date";

pub async fn insert(c: &mut Conn, k: &SshKeyRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO ssh_public_keys ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&k.ssh_public_key_id)
    .bind(&k.account_id)
    .bind(&k.user_id)
    .bind(&k.body)
    .bind(&k.fingerprint)
    .bind(&k.status)
    .bind(k.upload_date)
    .execute(c)
    .await?;
    Ok(())
}

/// The key `id` if `user_id` owns it.
pub async fn get(c: &mut Conn, user_id: &str, id: &str) -> Result<Option<SshKeyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM ssh_public_keys WHERE user_id = ? AND ssh_public_key_id = ?"
    ))
    .bind(user_id)
    .bind(id)
    .fetch_optional(c)
    .await
}

/// A user's keys, ordered by id (the paging key).
pub async fn list_for_user(c: &mut Conn, user_id: &str) -> Result<Vec<SshKeyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM ssh_public_keys WHERE user_id = ? ORDER BY ssh_public_key_id"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await
}

pub async fn set_status(c: &mut Conn, id: &str, status: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE ssh_public_keys SET status = ? WHERE ssh_public_key_id = ?")
        .bind(status)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM ssh_public_keys WHERE ssh_public_key_id = ?")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
