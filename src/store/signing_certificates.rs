//! X.509 signing certificates of IAM users and root.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SigningCertificateRow {
    pub certificate_id: String,
    pub account_id: String,
    /// The owning user's id, or the account id for root.
    pub user_id: String,
    pub body: String,
    pub fingerprint: String,
    pub status: String,
    pub upload_date: i64,
}

const COLUMNS: &str = "certificate_id, account_id, user_id, body, fingerprint, status, upload_date";

pub async fn insert(c: &mut Conn, r: &SigningCertificateRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO signing_certificates ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&r.certificate_id)
    .bind(&r.account_id)
    .bind(&r.user_id)
    .bind(&r.body)
    .bind(&r.fingerprint)
    .bind(&r.status)
    .bind(r.upload_date)
    .execute(c)
    .await?;
    Ok(())
}

/// Whether any certificate of the account has this fingerprint.
pub async fn exists_in_account(
    c: &mut Conn,
    account_id: &str,
    fingerprint: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM signing_certificates WHERE account_id = ? AND fingerprint = ?",
    )
    .bind(account_id)
    .bind(fingerprint)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// A user's certificates, ordered by id (the paging key).
pub async fn list_for_user(
    c: &mut Conn,
    user_id: &str,
) -> Result<Vec<SigningCertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM signing_certificates WHERE user_id = ? ORDER BY certificate_id"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await
}

pub async fn set_status(c: &mut Conn, id: &str, status: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_certificates SET status = ? WHERE certificate_id = ?")
        .bind(status)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM signing_certificates WHERE certificate_id = ?")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
