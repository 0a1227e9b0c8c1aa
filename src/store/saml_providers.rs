//! SAML identity providers, keyed by ARN.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SamlProviderRow {
    pub arn: String,
    pub account_id: String,
    pub name: String,
    pub uuid: String,
    /// The metadata document as uploaded.
    pub metadata: String,
    pub entity_id: String,
    pub valid_until: i64,
    pub create_date: i64,
}

const COLUMNS: &str = "arn, account_id, name, uuid, metadata, entity_id, valid_until, create_date";

pub async fn insert(c: &mut Conn, p: &SamlProviderRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO saml_providers ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&p.arn)
    .bind(&p.account_id)
    .bind(&p.name)
    .bind(&p.uuid)
    .bind(&p.metadata)
    .bind(&p.entity_id)
    .bind(p.valid_until)
    .bind(p.create_date)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(c: &mut Conn, arn: &str) -> Result<Option<SamlProviderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM saml_providers WHERE arn = ?"
    ))
    .bind(arn)
    .fetch_optional(c)
    .await
}

pub async fn list(c: &mut Conn, account_id: &str) -> Result<Vec<SamlProviderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM saml_providers WHERE account_id = ? ORDER BY arn"
    ))
    .bind(account_id)
    .fetch_all(c)
    .await
}

pub async fn count(c: &mut Conn, account_id: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM saml_providers WHERE account_id = ?")
        .bind(account_id)
        .fetch_one(c)
        .await?;
    Ok(n)
}

pub async fn set_metadata(
    c: &mut Conn,
    arn: &str,
    metadata: &str,
    entity_id: &str,
    valid_until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE saml_providers SET metadata = ?, entity_id = ?, valid_until = ? WHERE arn = ?",
    )
    .bind(metadata)
    .bind(entity_id)
    .bind(valid_until)
    .bind(arn)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, arn: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM saml_providers WHERE arn = ?")
        .bind(arn)
        .execute(c)
        .await?;
    Ok(())
}
