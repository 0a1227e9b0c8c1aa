//! IAM users.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub account_id: String,
    pub user_id: String,
    pub name: String,
    pub path: String,
    pub create_date: i64,
    pub password_last_used: Option<i64>,
    pub permissions_boundary: Option<String>,
}

impl UserRow {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:user{}{}",
            self.account_id, self.path, self.name
        )
    }
}

const COLUMNS: &str =
    "account_id, user_id, name, path, create_date, password_last_used, permissions_boundary";

pub async fn insert(c: &mut Conn, u: &UserRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO users ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&u.account_id)
    .bind(&u.user_id)
    .bind(&u.name)
    .bind(&u.path)
    .bind(u.create_date)
    .bind(u.password_last_used)
    .bind(&u.permissions_boundary)
    .execute(c)
    .await?;
    Ok(())
}

/// By name, case-insensitively (IAM names are unique regardless of case).
pub async fn get(
    c: &mut Conn,
    account_id: &str,
    name: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE account_id = ? AND name = ?"
    ))
    .bind(account_id)
    .bind(name)
    .fetch_optional(c)
    .await
}

pub async fn get_by_id(c: &mut Conn, user_id: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE user_id = ?"))
        .bind(user_id)
        .fetch_optional(c)
        .await
}

/// One page of users whose path starts with `path_prefix`, after `after` (a name), in name order.
pub async fn list(
    c: &mut Conn,
    account_id: &str,
    path_prefix: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users
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

pub async fn update(
    c: &mut Conn,
    user_id: &str,
    name: &str,
    path: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET name = ?, path = ? WHERE user_id = ?")
        .bind(name)
        .bind(path)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM users WHERE user_id = ?")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn count(c: &mut Conn, account_id: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE account_id = ?")
        .bind(account_id)
        .fetch_one(c)
        .await?;
    Ok(n)
}

pub async fn set_boundary(
    c: &mut Conn,
    user_id: &str,
    boundary: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET permissions_boundary = ? WHERE user_id = ?")
        .bind(boundary)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}
