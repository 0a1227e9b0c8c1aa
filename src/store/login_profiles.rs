//! Login profiles (console passwords, as argon2 hashes), each user's password history for reuse
//! prevention, and the account password policy.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoginProfileRow {
    pub user_id: String,
    pub account_id: String,
    pub password_hash: String,
    pub password_reset_required: bool,
    pub max_signin_session_duration: Option<i32>,
    pub create_date: i64,
    pub password_changed: i64,
}

const COLUMNS: &str = "user_id, account_id, password_hash, password_reset_required, max_signin_session_duration, create_date, password_changed";

/// How many previous password hashes are kept per user: the largest PasswordReusePrevention
/// IAM allows, so raising the policy later still sees enough history.
pub const HISTORY_KEPT: i64 = 24;

pub async fn get(c: &mut Conn, user_id: &str) -> Result<Option<LoginProfileRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM login_profiles WHERE user_id = ?"
    ))
    .bind(user_id)
    .fetch_optional(c)
    .await
}

pub async fn insert(c: &mut Conn, p: &LoginProfileRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO login_profiles ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&p.user_id)
    .bind(&p.account_id)
    .bind(&p.password_hash)
    .bind(p.password_reset_required)
    .bind(p.max_signin_session_duration)
    .bind(p.create_date)
    .bind(p.password_changed)
    .execute(c)
    .await?;
    Ok(())
}

/// Writes every mutable field of the profile back.
pub async fn update(c: &mut Conn, p: &LoginProfileRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE login_profiles SET password_hash = ?, password_reset_required = ?,
         max_signin_session_duration = ?, password_changed = ? WHERE user_id = ?",
    )
    .bind(&p.password_hash)
    .bind(p.password_reset_required)
    .bind(p.max_signin_session_duration)
    .bind(p.password_changed)
    .bind(&p.user_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_profiles WHERE user_id = ?")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

/// The hashes of the user's last `n` passwords, newest first.
pub async fn recent_passwords(
    c: &mut Conn,
    user_id: &str,
    n: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY seq DESC LIMIT ?",
    )
    .bind(user_id)
    .bind(n)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(h,)| h).collect())
}

/// Records a new password of the user, keeping the last `HISTORY_KEPT`.
pub async fn push_password(c: &mut Conn, user_id: &str, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO password_history (user_id, seq, password_hash)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM password_history WHERE user_id = ?), ?)",
    )
    .bind(user_id)
    .bind(user_id)
    .bind(hash)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "DELETE FROM password_history WHERE user_id = ? AND seq <= (SELECT MAX(seq) FROM password_history WHERE user_id = ?) - ?",
    )
    .bind(user_id)
    .bind(user_id)
    .bind(HISTORY_KEPT)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PasswordPolicyRow {
    pub account_id: String,
    pub minimum_password_length: i32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub allow_users_to_change_password: bool,
    pub max_password_age: Option<i32>,
    pub password_reuse_prevention: Option<i32>,
    pub hard_expiry: Option<bool>,
}

const POLICY_COLUMNS: &str = "account_id, minimum_password_length, require_symbols, require_numbers, require_uppercase_characters, require_lowercase_characters, allow_users_to_change_password, max_password_age, password_reuse_prevention, hard_expiry";

pub async fn get_policy(
    c: &mut Conn,
    account_id: &str,
) -> Result<Option<PasswordPolicyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {POLICY_COLUMNS} FROM password_policies WHERE account_id = ?"
    ))
    .bind(account_id)
    .fetch_optional(c)
    .await
}

/// Creates or replaces the account's policy (UpdateAccountPasswordPolicy is never partial).
pub async fn put_policy(c: &mut Conn, p: &PasswordPolicyRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT OR REPLACE INTO password_policies ({POLICY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&p.account_id)
    .bind(p.minimum_password_length)
    .bind(p.require_symbols)
    .bind(p.require_numbers)
    .bind(p.require_uppercase_characters)
    .bind(p.require_lowercase_characters)
    .bind(p.allow_users_to_change_password)
    .bind(p.max_password_age)
    .bind(p.password_reuse_prevention)
    .bind(p.hard_expiry)
    .execute(c)
    .await?;
    Ok(())
}

/// Whether there was a policy to delete.
pub async fn delete_policy(c: &mut Conn, account_id: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM password_policies WHERE account_id = ?")
        .bind(account_id)
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}
