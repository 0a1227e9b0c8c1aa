//! Tags of any entity, keyed by the entity's unique id; keys compare case-insensitively.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TagRow {
    pub key: String,
    pub value: String,
}

pub async fn list(c: &mut Conn, resource_id: &str) -> Result<Vec<TagRow>, sqlx::Error> {
    sqlx::query_as("SELECT key, value FROM tags WHERE resource_id = ? ORDER BY seq")
        .bind(resource_id)
        .fetch_all(c)
        .await
}

/// Adds or overwrites tags (a key differing only in case overwrites, keeping AWS's behaviour
/// of one key per case-insensitive name).
pub async fn put(
    c: &mut Conn,
    account_id: &str,
    resource_id: &str,
    tags: &[(String, String)],
) -> Result<(), sqlx::Error> {
    let (next,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM tags WHERE resource_id = ?")
            .bind(resource_id)
            .fetch_one(&mut *c)
            .await?;
    for (i, (k, v)) in tags.iter().enumerate() {
        sqlx::query(
            "INSERT INTO tags (account_id, resource_id, key, value, seq) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (resource_id, key) DO UPDATE SET key = excluded.key, value = excluded.value",
        )
        .bind(account_id)
        .bind(resource_id)
        .bind(k)
        .bind(v)
        .bind(next + i as i64)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

pub async fn remove(c: &mut Conn, resource_id: &str, keys: &[String]) -> Result<(), sqlx::Error> {
    for k in keys {
        sqlx::query("DELETE FROM tags WHERE resource_id = ? AND key = ?")
            .bind(resource_id)
            .bind(k)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn count(c: &mut Conn, resource_id: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tags WHERE resource_id = ?")
        .bind(resource_id)
        .fetch_one(c)
        .await?;
    Ok(n)
}

pub async fn remove_all(c: &mut Conn, resource_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tags WHERE resource_id = ?")
        .bind(resource_id)
        .execute(c)
        .await?;
    Ok(())
}
