//! Server certificates. The private key is checked against the certificate on upload and not
//! kept: IAM never hands it back.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ServerCertificateRow {
    pub server_certificate_id: String,
    pub account_id: String,
    pub name: String,
    pub path: String,
    pub body: String,
    pub chain: Option<String>,
    pub upload_date: i64,
    pub expiration: i64,
}

const COLUMNS: &str =
    "server_certificate_id, account_id, name, path, body, chain, upload_date, expiration";

pub async fn insert(c: &mut Conn, r: &ServerCertificateRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO server_certificates ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&r.server_certificate_id)
    .bind(&r.account_id)
    .bind(&r.name)
    .bind(&r.path)
    .bind(&r.body)
    .bind(&r.chain)
    .bind(r.upload_date)
    .bind(r.expiration)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(
    c: &mut Conn,
    account_id: &str,
    name: &str,
) -> Result<Option<ServerCertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM server_certificates WHERE account_id = ? AND name = ?"
    ))
    .bind(account_id)
    .bind(name)
    .fetch_optional(c)
    .await
}

/// Certificates whose path starts with `path_prefix`, in name order, after `after`.
pub async fn list(
    c: &mut Conn,
    account_id: &str,
    path_prefix: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ServerCertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM server_certificates
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

pub async fn rename(c: &mut Conn, id: &str, name: &str, path: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE server_certificates SET name = ?, path = ? WHERE server_certificate_id = ?",
    )
    .bind(name)
    .bind(path)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM server_certificates WHERE server_certificate_id = ?")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
