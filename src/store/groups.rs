//! IAM groups and their members.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GroupRow {
    pub account_id: String,
    pub group_id: String,
    pub name: String,
    pub path: String,
    pub create_date: i64,
}

impl GroupRow {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:group{}{}",
            self.account_id, self.path, self.name
        )
    }
}

const COLUMNS: &str = "account_id, group_id, name, path, create_date";

pub async fn insert(c: &mut Conn, g: &GroupRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO groups ({COLUMNS}) VALUES (?, ?, ?, ?, ?)"
    ))
    .bind(&g.account_id)
    .bind(&g.group_id)
    .bind(&g.name)
    .bind(&g.path)
    .bind(g.create_date)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(
    c: &mut Conn,
    account_id: &str,
    name: &str,
) -> Result<Option<GroupRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM groups WHERE account_id = ? AND name = ?"
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
) -> Result<Vec<GroupRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM groups
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

/// Groups `user_id` belongs to, in name order.
pub async fn for_user(c: &mut Conn, user_id: &str) -> Result<Vec<GroupRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.account_id, g.group_id, g.name, g.path, g.create_date FROM groups g
         JOIN group_members m ON m.group_id = g.group_id WHERE m.user_id = ? ORDER BY g.name",
    )
    .bind(user_id)
    .fetch_all(c)
    .await
}

/// Member user ids in the order they were added.
pub async fn member_ids(c: &mut Conn, group_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT user_id FROM group_members WHERE group_id = ? ORDER BY seq")
            .bind(group_id)
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(|(u,)| u).collect())
}

pub async fn add_member(c: &mut Conn, group_id: &str, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT OR IGNORE INTO group_members (group_id, user_id, seq)
         VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM group_members WHERE group_id = ?))",
    )
    .bind(group_id)
    .bind(user_id)
    .bind(group_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn remove_member(
    c: &mut Conn,
    group_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
        .bind(group_id)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn update(
    c: &mut Conn,
    group_id: &str,
    name: &str,
    path: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE groups SET name = ?, path = ? WHERE group_id = ?")
        .bind(name)
        .bind(path)
        .bind(group_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, group_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM groups WHERE group_id = ?")
        .bind(group_id)
        .execute(c)
        .await?;
    Ok(())
}
