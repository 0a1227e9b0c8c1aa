//! Who is calling: the principal behind a verified access key.

/// A caller, as resolved from its access key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The root user of an account.
    Root { account_id: String },
    /// An IAM user.
    User {
        account_id: String,
        user_id: String,
        name: String,
        path: String,
    },
}

impl Principal {
    pub fn account_id(&self) -> &str {
        match self {
            Principal::Root { account_id } | Principal::User { account_id, .. } => account_id,
        }
    }

    /// The principal's ARN as AWS shows it in GetCallerIdentity and AccessDenied messages.
    pub fn arn(&self) -> String {
        match self {
            Principal::Root { account_id } => format!("arn:aws:iam::{account_id}:root"),
            Principal::User {
                account_id,
                name,
                path,
                ..
            } => format!("arn:aws:iam::{account_id}:user{path}{name}"),
        }
    }

    /// `aws:userid`: the user's unique id, or the account id for root.
    pub fn user_id(&self) -> &str {
        match self {
            Principal::Root { account_id } => account_id,
            Principal::User { user_id, .. } => user_id,
        }
    }

    pub fn user_name(&self) -> Option<&str> {
        match self {
            Principal::User { name, .. } => Some(name),
            Principal::Root { .. } => None,
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self, Principal::Root { .. })
    }
}
