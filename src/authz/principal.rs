//! Who is calling: the principal behind a verified access key.

/// A caller, as resolved from its access key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The root user of an account.
    Root { account_id: String },
    /// An IAM user (long-term keys or a GetSessionToken session).
    User {
        account_id: String,
        user_id: String,
        name: String,
        path: String,
    },
    /// A role session from AssumeRole.
    AssumedRole {
        account_id: String,
        role_id: String,
        role_name: String,
        role_path: String,
        session_name: String,
        /// `AROA…:session-name`, the session's `aws:userid`.
        unique_id: String,
    },
    /// An unsigned call (AssumeRoleWithWebIdentity, AssumeRoleWithSAML) before the handler
    /// has checked the token it carries; `account_id` is the server's default account.
    Anonymous { account_id: String },
    /// A GetFederationToken session of an IAM user (or root).
    FederatedUser {
        account_id: String,
        /// The id of the user who asked for the token (the account id for root).
        parent_id: String,
        name: String,
        /// `ACCOUNT:name`, the session's `aws:userid`.
        unique_id: String,
    },
}

impl Principal {
    pub fn account_id(&self) -> &str {
        match self {
            Principal::Root { account_id }
            | Principal::Anonymous { account_id }
            | Principal::User { account_id, .. }
            | Principal::AssumedRole { account_id, .. }
            | Principal::FederatedUser { account_id, .. } => account_id,
        }
    }

    /// The principal's ARN as AWS shows it in GetCallerIdentity and AccessDenied messages.
    pub fn arn(&self) -> String {
        match self {
            Principal::Root { account_id } => format!("arn:aws:iam::{account_id}:root"),
            Principal::Anonymous { .. } => "anonymous".into(),
            Principal::User {
                account_id,
                name,
                path,
                ..
            } => format!("arn:aws:iam::{account_id}:user{path}{name}"),
            // Session ARNs carry no role path (IAM User Guide, "IAM identifiers").
            Principal::AssumedRole {
                account_id,
                role_name,
                session_name,
                ..
            } => format!("arn:aws:sts::{account_id}:assumed-role/{role_name}/{session_name}"),
            Principal::FederatedUser {
                account_id, name, ..
            } => format!("arn:aws:sts::{account_id}:federated-user/{name}"),
        }
    }

    /// The role's own ARN for a role session (`aws:PrincipalArn`); otherwise `arn()`.
    pub fn principal_arn(&self) -> String {
        match self {
            Principal::AssumedRole {
                account_id,
                role_name,
                role_path,
                ..
            } => format!("arn:aws:iam::{account_id}:role{role_path}{role_name}"),
            _ => self.arn(),
        }
    }

    /// `aws:userid`: the user's unique id, `ROLEID:session` for role sessions,
    /// `ACCOUNT:name` for federated users, the account id for root.
    pub fn user_id(&self) -> &str {
        match self {
            Principal::Root { account_id } => account_id,
            Principal::Anonymous { .. } => "anonymous",
            Principal::User { user_id, .. } => user_id,
            Principal::AssumedRole { unique_id, .. }
            | Principal::FederatedUser { unique_id, .. } => unique_id,
        }
    }

    pub fn user_name(&self) -> Option<&str> {
        match self {
            Principal::User { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self, Principal::Root { .. })
    }
}
