//! Service last accessed: per user or role and action, the latest attempt; and the stored
//! report snapshots of GenerateServiceLastAccessedDetails jobs.

use super::Conn;

/// One entity's latest attempt at one action.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessRow {
    pub entity_id: String,
    pub service: String,
    pub action: String,
    pub last_accessed: i64,
    pub region: String,
}

/// Records an attempt, keeping the latest per (entity, action).
pub async fn record(c: &mut Conn, account_id: &str, row: &AccessRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_last_accessed
           (account_id, entity_id, service, action, last_accessed, region)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (entity_id, service, action) DO UPDATE
           SET last_accessed = excluded.last_accessed, region = excluded.region
           WHERE excluded.last_accessed >= service_last_accessed.last_accessed",
    )
    .bind(account_id)
    .bind(&row.entity_id)
    .bind(&row.service)
    .bind(&row.action)
    .bind(row.last_accessed)
    .bind(&row.region)
    .execute(c)
    .await?;
    Ok(())
}

/// Every recorded attempt of one user or role.
pub async fn for_entity(c: &mut Conn, entity_id: &str) -> Result<Vec<AccessRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT entity_id, service, action, last_accessed, region FROM service_last_accessed
         WHERE entity_id = ?",
    )
    .bind(entity_id)
    .fetch_all(c)
    .await
}

/// A generated report.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub job_id: String,
    pub account_id: String,
    /// ARN of the user or role that generated it (only it may read it).
    pub requester: String,
    pub job_type: String,
    pub created: i64,
    pub completed: i64,
    /// The report, JSON.
    pub report: String,
}

pub async fn insert_job(c: &mut Conn, job: &JobRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_last_accessed_jobs
           (job_id, account_id, requester, job_type, created, completed, report)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&job.job_id)
    .bind(&job.account_id)
    .bind(&job.requester)
    .bind(&job.job_type)
    .bind(job.created)
    .bind(job.completed)
    .bind(&job.report)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get_job(c: &mut Conn, job_id: &str) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT job_id, account_id, requester, job_type, created, completed, report
         FROM service_last_accessed_jobs WHERE job_id = ?",
    )
    .bind(job_id)
    .fetch_optional(c)
    .await
}
