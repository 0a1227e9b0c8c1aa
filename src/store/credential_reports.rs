//! Each account's latest credential report (CSV text) and when it was generated.

use super::Conn;

/// The account's credential report: (generated at, CSV text).
pub async fn get(c: &mut Conn, account_id: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT generated, content FROM credential_reports WHERE account_id = ?")
        .bind(account_id)
        .fetch_optional(c)
        .await
}

pub async fn put(
    c: &mut Conn,
    account_id: &str,
    generated: i64,
    content: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR REPLACE INTO credential_reports (account_id, generated, content) VALUES (?, ?, ?)")
        .bind(account_id)
        .bind(generated)
        .bind(content)
        .execute(c)
        .await?;
    Ok(())
}
