//! Virtual MFA devices: their seeds, assignment to users, and last used TOTP step.

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MfaDeviceRow {
    pub serial_number: String,
    pub account_id: String,
    pub name: String,
    pub path: String,
    pub seed: String,
    pub create_date: i64,
    pub user_id: Option<String>,
    pub enable_date: Option<i64>,
    pub last_used_step: Option<i64>,
}

const COLUMNS: &str = "serial_number, account_id, name, path, seed, create_date, user_id, enable_date, last_used_step";

/// Which devices ListVirtualMFADevices shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    Assigned,
    Unassigned,
    Any,
}

pub async fn insert(c: &mut Conn, d: &MfaDeviceRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO mfa_devices ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&d.serial_number)
    .bind(&d.account_id)
    .bind(&d.name)
    .bind(&d.path)
    .bind(&d.seed)
    .bind(d.create_date)
    .bind(&d.user_id)
    .bind(d.enable_date)
    .bind(d.last_used_step)
    .execute(c)
    .await?;
    Ok(())
}

/// The device with this serial number in the account.
pub async fn get(
    c: &mut Conn,
    account_id: &str,
    serial_number: &str,
) -> Result<Option<MfaDeviceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM mfa_devices WHERE account_id = ? AND serial_number = ?"
    ))
    .bind(account_id)
    .bind(serial_number)
    .fetch_optional(c)
    .await
}

pub async fn get_by_name(
    c: &mut Conn,
    account_id: &str,
    name: &str,
) -> Result<Option<MfaDeviceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM mfa_devices WHERE account_id = ? AND name = ?"
    ))
    .bind(account_id)
    .bind(name)
    .fetch_optional(c)
    .await
}

/// The account's devices after `after` (a serial number), in serial-number order.
pub async fn list(
    c: &mut Conn,
    account_id: &str,
    assignment: Assignment,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<MfaDeviceRow>, sqlx::Error> {
    let filter = match assignment {
        Assignment::Assigned => "AND user_id IS NOT NULL",
        Assignment::Unassigned => "AND user_id IS NULL",
        Assignment::Any => "",
    };
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM mfa_devices
         WHERE account_id = ? {filter} AND (? IS NULL OR serial_number > ?)
         ORDER BY serial_number LIMIT ?"
    ))
    .bind(account_id)
    .bind(after)
    .bind(after)
    .bind(limit)
    .fetch_all(c)
    .await
}

/// The devices enabled for a user, in serial-number order.
pub async fn list_for_user(c: &mut Conn, user_id: &str) -> Result<Vec<MfaDeviceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM mfa_devices WHERE user_id = ? ORDER BY serial_number"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await
}

/// Enables the device for a user, remembering the last step its codes used.
pub async fn assign(
    c: &mut Conn,
    serial_number: &str,
    user_id: &str,
    enable_date: i64,
    last_used_step: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mfa_devices SET user_id = ?, enable_date = ?, last_used_step = ? WHERE serial_number = ?",
    )
    .bind(user_id)
    .bind(enable_date)
    .bind(last_used_step)
    .bind(serial_number)
    .execute(c)
    .await?;
    Ok(())
}

/// Frees the device. Its last used step stays, so a code used before is still refused.
pub async fn unassign(c: &mut Conn, serial_number: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mfa_devices SET user_id = NULL, enable_date = NULL WHERE serial_number = ?",
    )
    .bind(serial_number)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn set_last_used_step(
    c: &mut Conn,
    serial_number: &str,
    step: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mfa_devices SET last_used_step = ? WHERE serial_number = ?")
        .bind(step)
        .bind(serial_number)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, serial_number: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mfa_devices WHERE serial_number = ?")
        .bind(serial_number)
        .execute(c)
        .await?;
    Ok(())
}
