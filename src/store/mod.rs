//! SQLite through sqlx: one writer connection (every write is one `BEGIN IMMEDIATE`
//! transaction), a pool of readers, WAL, migrations from `migrations/`. Repositories are plain
//! functions over a connection, one file per entity family.

pub mod access_keys;
pub mod account;
pub mod cache;
pub mod credential_reports;
pub mod groups;
pub mod instance_profiles;
pub mod login_profiles;
pub mod mfa;
pub mod oidc_providers;
pub mod policies;
pub mod roles;
pub mod saml_providers;
pub mod server_certificates;
pub mod service_credentials;
pub mod service_last_accessed;
pub mod sessions;
pub mod signing_certificates;
pub mod ssh_keys;
pub mod tags;
pub mod users;

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub use sqlx::SqliteConnection as Conn;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database directory {path}: {source}")]
    Dir {
        path: String,
        source: std::io::Error,
    },
}

impl From<StoreError> for crate::api::ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store failure");
        crate::api::ApiError::internal("We encountered an internal error. Please try again.")
    }
}

impl From<sqlx::Error> for crate::api::ApiError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::from(e).into()
    }
}

#[derive(Clone)]
pub struct Store {
    reader: SqlitePool,
    writer: SqlitePool,
    /// Bumped by every committed write, so caches of derived data know when they are stale.
    generation: Arc<AtomicU64>,
}

/// A write transaction (`BEGIN IMMEDIATE`); dropped without `commit` it rolls back.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    generation: Arc<AtomicU64>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        self.generation.fetch_add(1, Ordering::Release);
        Ok(())
    }

    /// Commits bookkeeping that no cache derives anything from (access-key last use), so the
    /// caches stay valid.
    pub async fn commit_bookkeeping(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

impl Store {
    /// Opens (creating if needed) the database at `db`, or an in-memory one for `:memory:`.
    pub async fn open(db: &str) -> Result<Store, StoreError> {
        let store = if db == ":memory:" {
            // One connection owns an in-memory database; readers and the writer share it.
            let opts = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .test_before_acquire(false)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(opts)
                .await?;
            Store {
                reader: pool.clone(),
                writer: pool,
                generation: Arc::default(),
            }
        } else {
            if let Some(dir) = std::path::Path::new(db).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
                        path: dir.display().to_string(),
                        source,
                    })?;
                }
            }
            // WAL + synchronous=NORMAL: a committed transaction survives the process being
            // killed (the WAL is written before commit returns); only an OS crash can lose it.
            let opts = SqliteConnectOptions::new()
                .filename(db)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            // Local files do not go stale like network connections: no ping on every acquire
            // (a round trip to the connection's worker thread per query).
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .idle_timeout(None)
                .connect_with(opts.clone())
                .await?;
            let reader = SqlitePoolOptions::new()
                .max_connections(4)
                .test_before_acquire(false)
                .idle_timeout(None)
                .connect_with(opts.read_only(true))
                .await?;
            Store {
                reader,
                writer,
                generation: Arc::default(),
            }
        };
        sqlx::migrate!("./migrations").run(&store.writer).await?;
        Ok(store)
    }

    /// Starts the one write transaction of a call.
    pub async fn write(&self) -> Result<WriteTx, StoreError> {
        Ok(WriteTx {
            tx: self.writer.begin_with("BEGIN IMMEDIATE").await?,
            generation: self.generation.clone(),
        })
    }

    /// Changes with every committed write.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<PoolConnection<Sqlite>, StoreError> {
        Ok(self.reader.acquire().await?)
    }

    /// Empties every table (every account), keeping the schema.
    pub async fn reset(&self) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let tables: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'",
        )
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("PRAGMA defer_foreign_keys = ON")
            .execute(&mut *tx)
            .await?;
        for (t,) in tables {
            sqlx::query(&format!("DELETE FROM \"{t}\""))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// Seconds since the epoch, as dates are stored.
pub fn to_epoch(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp()
}

pub fn from_epoch(s: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(s, 0).unwrap_or_default()
}
