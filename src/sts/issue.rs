//! What every STS operation that hands out temporary credentials shares: checking session
//! policies and tags, the packed size, and storing the new session.

use chrono::{DateTime, Duration, Utc};

use crate::api::sts::{AssumedRoleUser, Credentials, PolicyDescriptorType, Tag};
use crate::api::ApiError;
use crate::iam::policy_documents;
use crate::policy::PolicyKind;
use crate::store::{self, sessions::SessionRow};
use crate::{ids, policy};

/// Session policies and tags as a request passed them, checked.
#[derive(Default)]
pub struct SessionInputs {
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub transitive_tag_keys: Vec<String>,
}

impl SessionInputs {
    pub fn new(
        policy: Option<String>,
        policy_arns: Option<Vec<PolicyDescriptorType>>,
        tags: Option<Vec<Tag>>,
        transitive_tag_keys: Option<Vec<String>>,
    ) -> Result<SessionInputs, ApiError> {
        if let Some(doc) = &policy {
            policy_documents::validate(doc, PolicyKind::Identity)?;
        }
        let policy_arns: Vec<String> = policy_arns
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.arn)
            .collect();
        for arn in &policy_arns {
            policy_documents::parse_policy_arn(arn)?;
        }
        let tags: Vec<(String, String)> = tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect();
        for (i, (k, _)) in tags.iter().enumerate() {
            if tags[..i].iter().any(|(o, _)| o.eq_ignore_ascii_case(k)) {
                return Err(invalid_parameter(
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
                ));
            }
        }
        let transitive_tag_keys = transitive_tag_keys.unwrap_or_default();
        for key in &transitive_tag_keys {
            if !tags.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                return Err(invalid_parameter(
                    "The specified transitive tag key must be included in the requested tags.",
                ));
            }
        }
        Ok(SessionInputs {
            policy,
            policy_arns,
            tags,
            transitive_tag_keys,
        })
    }

    /// Adds the transitive tags of the calling session (role chaining); a new tag may not
    /// reuse one of their keys.
    pub fn inherit(&mut self, inherited: Vec<(String, String)>) -> Result<(), ApiError> {
        for (k, v) in inherited {
            if self.tags.iter().any(|(t, _)| t.eq_ignore_ascii_case(&k)) {
                return Err(invalid_parameter(
                    "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
                ));
            }
            self.transitive_tag_keys.push(k.clone());
            self.tags.push((k, v));
        }
        Ok(())
    }

    pub fn has_policies(&self) -> bool {
        self.policy.is_some() || !self.policy_arns.is_empty()
    }

    /// The request context keys of the session tags (`aws:RequestTag/*`, `aws:TagKeys`,
    /// `sts:TransitiveTagKeys`).
    pub fn tag_context(&self, ctx: &mut policy::RequestContext) {
        for (k, v) in &self.tags {
            ctx.set(&format!("aws:RequestTag/{k}"), v.clone());
        }
        if !self.tags.is_empty() {
            ctx.set_list("aws:TagKeys", self.tags.iter().map(|(k, _)| k.clone()));
        }
        if !self.transitive_tag_keys.is_empty() {
            ctx.set_list("sts:TransitiveTagKeys", self.transitive_tag_keys.clone());
        }
    }

    /// `PackedPolicySize`, a percentage of the space AWS allows session policies and tags
    /// together. AWS packs them in a compressed binary form it does not document; iamlocal
    /// counts their characters (policy without whitespace, ARNs, tag keys and values) against
    /// a budget of 4,096, so the answer is an estimate of the same kind.
    pub fn packed_size(&self) -> Result<Option<i32>, ApiError> {
        if !self.has_policies() && self.tags.is_empty() {
            return Ok(None);
        }
        const BUDGET: usize = 4096;
        let chars = self
            .policy
            .as_deref()
            .map_or(0, policy_documents::size_without_whitespace)
            + self.policy_arns.iter().map(String::len).sum::<usize>()
            + self
                .tags
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>();
        let percent = (chars * 100).div_ceil(BUDGET);
        if percent > 100 {
            return Err(ApiError::new(
                "PackedPolicyTooLarge",
                400,
                true,
                format!(
                    "Packed policy consumes {percent}% of allotted space, please use smaller policy for this session."
                ),
            ));
        }
        Ok(Some(i32::try_from(percent).unwrap_or(100)))
    }
}

fn invalid_parameter(message: &str) -> ApiError {
    ApiError::new("InvalidParameterValue", 400, true, message)
}

/// A session about to be stored: who it is for and what it carries.
pub struct NewSession<'a> {
    pub account_id: &'a str,
    pub kind: &'static str,
    pub owner_id: &'a str,
    pub name: &'a str,
    pub now: DateTime<Utc>,
    pub duration_seconds: i64,
    pub mfa_time: Option<DateTime<Utc>>,
    pub source_identity: Option<String>,
    pub chained: bool,
}

/// A new `ASIA…` key, secret and session token for `s`, stored inside the caller's transaction.
pub async fn store_session(
    c: &mut store::Conn,
    s: NewSession<'_>,
    inputs: &SessionInputs,
) -> Result<Credentials, ApiError> {
    let now = DateTime::from_timestamp(s.now.timestamp(), 0).unwrap_or(s.now);
    let expiration = now + Duration::seconds(s.duration_seconds);
    let row = SessionRow {
        access_key_id: ids::access_key_id(s.account_id, true),
        account_id: s.account_id.to_string(),
        secret: ids::secret_access_key(),
        session_token: ids::session_token(),
        kind: s.kind.to_string(),
        owner_id: s.owner_id.to_string(),
        name: s.name.to_string(),
        issued_at: store::to_epoch(now),
        expiration: store::to_epoch(expiration),
        mfa_time: s.mfa_time.map(store::to_epoch),
        source_identity: s.source_identity,
        session_policy: inputs.policy.clone(),
        policy_arns: to_json(&inputs.policy_arns),
        tags: to_json(&inputs.tags),
        transitive_tag_keys: to_json(&inputs.transitive_tag_keys),
        chained: s.chained,
    };
    store::sessions::insert(c, &row).await?;
    Ok(Credentials {
        access_key_id: row.access_key_id,
        secret_access_key: row.secret,
        session_token: row.session_token,
        expiration,
    })
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// A role session's extras: MFA, source identity, chaining.
#[derive(Default)]
pub struct RoleSessionOptions {
    pub mfa_time: Option<DateTime<Utc>>,
    pub source_identity: Option<String>,
    pub chained: bool,
}

/// Stores a new session of `role` and records the role's use, in one transaction; returns
/// the credentials and the AssumedRoleUser of the answer.
pub async fn issue_role_session(
    app: &crate::app::App,
    call: &crate::authz::Call,
    role: &store::roles::RoleRow,
    session_name: &str,
    duration_seconds: i64,
    options: RoleSessionOptions,
    inputs: &SessionInputs,
) -> Result<(Credentials, AssumedRoleUser), ApiError> {
    let mut tx = app.store.write().await?;
    let credentials = store_session(
        &mut tx,
        NewSession {
            account_id: &role.account_id,
            kind: "role",
            owner_id: &role.role_id,
            name: session_name,
            now: call.now,
            duration_seconds,
            mfa_time: options.mfa_time,
            source_identity: options.source_identity,
            chained: options.chained,
        },
        inputs,
    )
    .await?;
    store::roles::record_use(
        &mut tx,
        &role.role_id,
        store::to_epoch(call.now),
        &call.region,
    )
    .await?;
    // Nothing cached derives from sessions or a role's last use.
    tx.commit_bookkeeping().await?;
    let user = AssumedRoleUser {
        assumed_role_id: format!("{}:{session_name}", role.role_id),
        arn: format!(
            "arn:aws:sts::{}:assumed-role/{}/{session_name}",
            role.account_id, role.name
        ),
    };
    Ok((credentials, user))
}

/// AccessDenied for an STS operation that temporary credentials may not call.
pub fn not_with_session_credentials(operation: &str) -> ApiError {
    ApiError::access_denied(format!("Cannot call {operation} with session credentials"))
}
