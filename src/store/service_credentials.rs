//! Service-specific credentials of IAM users. Passwords are kept only as SHA-256 hashes: IAM
//! shows them once, and nothing here signs in with them.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ServiceCredentialRow {
    pub credential_id: String,
    pub account_id: String,
    pub user_id: String,
    pub service_name: String,
    pub service_user_name: String,
    pub password_hash: String,
    pub status: String,
    pub create_date: i64,
}

const COLUMNS: &str = "credential_id, account_id, user_id, service_name, service_user_name, password_hash, status, create_date";

pub async fn insert(c: &mut Conn, r: &ServiceCredentialRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO service_specific_credentials ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&r.credential_id)
    .bind(&r.account_id)
    .bind(&r.user_id)
    .bind(&r.service_name)
    .bind(&r.service_user_name)
    .bind(&r.password_hash)
    .bind(&r.status)
    .bind(r.create_date)
    .execute(c)
    .await?;
    Ok(())
}

/// A user's credentials, ordered by id (the paging key).
pub async fn list_for_user(
    c: &mut Conn,
    user_id: &str,
) -> Result<Vec<ServiceCredentialRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM service_specific_credentials WHERE user_id = ? ORDER BY credential_id"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await
}

pub async fn set_status(c: &mut Conn, id: &str, status: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE service_specific_credentials SET status = ? WHERE credential_id = ?")
        .bind(status)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_password_hash(c: &mut Conn, id: &str, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE service_specific_credentials SET password_hash = ? WHERE credential_id = ?",
    )
    .bind(hash)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM service_specific_credentials WHERE credential_id = ?")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
