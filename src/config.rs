//! Command-line flags, each also readable from an `IAMLOCAL_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// What the server does with the policy engine's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Enforcement {
    /// Deny what AWS would deny.
    On,
    /// Evaluate and log the would-be decision, but allow.
    Audit,
    /// Do not evaluate.
    Off,
}

#[derive(Debug, Clone, Parser)]
#[command(
    name = "iamlocal",
    version,
    about = "A local AWS IAM + STS emulator that enforces policies"
)]
pub struct Config {
    /// Address to listen on; a port of 0 picks a free one.
    #[arg(long, env = "IAMLOCAL_LISTEN", default_value = "127.0.0.1:4590")]
    pub listen: SocketAddr,

    /// SQLite database file, or `:memory:` for a throwaway run. Default: iamlocal.db in the data dir.
    #[arg(long, env = "IAMLOCAL_DB")]
    pub db: Option<String>,

    /// Directory for the default database file.
    #[arg(long, env = "IAMLOCAL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// The default account: the one the root credentials belong to.
    #[arg(long, env = "IAMLOCAL_ACCOUNT_ID", default_value = "000000000000", value_parser = parse_account_id)]
    pub account_id: String,

    /// Region reported by the server (STS regional answers, aws:RequestedRegion default).
    #[arg(long, env = "IAMLOCAL_REGION", default_value = "us-east-1")]
    pub region: String,

    /// Access key id of the default account's root user.
    #[arg(long, env = "IAMLOCAL_ROOT_ACCESS_KEY_ID", default_value = "test")]
    pub root_access_key_id: String,

    /// Secret of the root user; with a 12-digit access key id it is the root of that account.
    #[arg(long, env = "IAMLOCAL_ROOT_SECRET_ACCESS_KEY", default_value = "test")]
    pub root_secret_access_key: String,

    /// Policy enforcement: on (deny as AWS would), audit (log only) or off.
    #[arg(long, env = "IAMLOCAL_ENFORCE", value_enum, default_value = "on")]
    pub enforce: Enforcement,

    /// JSON file mapping OpenID Connect issuer URLs to their signing keys (JWKS), for
    /// AssumeRoleWithWebIdentity signature checks: `{"https://issuer": {"keys": [...]}}`.
    #[arg(long, env = "IAMLOCAL_OIDC_JWKS")]
    pub oidc_jwks: Option<PathBuf>,
    /// A directory of extra AWS-managed policies, one `*.json` file each
    /// (`{"PolicyName", "Path", "DefaultVersionId"?, "PolicyDocument"}`), added to the built-in set.
    #[arg(long, env = "IAMLOCAL_AWS_MANAGED_POLICIES")]
    pub aws_managed_policies: Option<PathBuf>,
}

fn parse_account_id(s: &str) -> Result<String, String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err("an account id is 12 digits".into())
    }
}

impl Config {
    /// A configuration for tests: in-memory database, port 0, defaults otherwise.
    pub fn for_tests() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            db: Some(":memory:".into()),
            data_dir: None,
            account_id: "000000000000".into(),
            region: "us-east-1".into(),
            root_access_key_id: "test".into(),
            root_secret_access_key: "test".into(),
            enforce: Enforcement::On,
            oidc_jwks: None,
            aws_managed_policies: None,
        }
    }

    /// The database location: `--db`, else `iamlocal.db` in the data dir
    /// (`--data-dir`, else `$XDG_DATA_HOME/iamlocal`, else `~/.local/share/iamlocal`, else `./.iamlocal`).
    pub fn database(&self) -> String {
        if let Some(db) = &self.db {
            return db.clone();
        }
        let dir = self.data_dir.clone().unwrap_or_else(|| {
            std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
                .map(|d| d.join("iamlocal"))
                .unwrap_or_else(|| PathBuf::from(".iamlocal"))
        });
        dir.join("iamlocal.db").to_string_lossy().into_owned()
    }
}
