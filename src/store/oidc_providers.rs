//! OpenID Connect identity providers, keyed by ARN.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OidcProviderRow {
    pub arn: String,
    pub account_id: String,
    /// The issuer URL without `https://`.
    pub url: String,
    /// JSON array of client ids (audiences).
    pub client_ids: String,
    /// JSON array of certificate thumbprints.
    pub thumbprints: String,
    pub create_date: i64,
}

impl OidcProviderRow {
    pub fn client_id_list(&self) -> Vec<String> {
        serde_json::from_str(&self.client_ids).unwrap_or_default()
    }

    pub fn thumbprint_list(&self) -> Vec<String> {
        serde_json::from_str(&self.thumbprints).unwrap_or_default()
    }
}

const COLUMNS: &str = "arn, account_id, url, client_ids, thumbprints, create_date";

pub async fn insert(c: &mut Conn, p: &OidcProviderRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO oidc_providers ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
    ))
    .bind(&p.arn)
    .bind(&p.account_id)
    .bind(&p.url)
    .bind(&p.client_ids)
    .bind(&p.thumbprints)
    .bind(p.create_date)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(c: &mut Conn, arn: &str) -> Result<Option<OidcProviderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM oidc_providers WHERE arn = ?"
    ))
    .bind(arn)
    .fetch_optional(c)
    .await
}

pub async fn list(c: &mut Conn, account_id: &str) -> Result<Vec<OidcProviderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM oidc_providers WHERE account_id = ? ORDER BY arn"
    ))
    .bind(account_id)
    .fetch_all(c)
    .await
}

pub async fn set_lists(
    c: &mut Conn,
    arn: &str,
    client_ids: &str,
    thumbprints: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE oidc_providers SET client_ids = ?, thumbprints = ? WHERE arn = ?")
        .bind(client_ids)
        .bind(thumbprints)
        .bind(arn)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, arn: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM oidc_providers WHERE arn = ?")
        .bind(arn)
        .execute(c)
        .await?;
    Ok(())
}
