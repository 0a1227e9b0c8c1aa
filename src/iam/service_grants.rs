//! Which services an identity's permissions policies grant: the question both service last
//! accessed and ListPoliciesGrantingServiceAccess ask. Here: the ARN of the user, group, role
//! (or, for last accessed, managed policy) asked about, the permissions policies that identity
//! has with the entity each is attached to, and the service table.

use std::sync::OnceLock;

use crate::api::ApiError;
use crate::app::App;
use crate::authz::gather::{owner_policies, Compiled};
use crate::policy::{Policy, PolicyType};
use crate::store::groups::GroupRow;
use crate::store::roles::RoleRow;
use crate::store::users::UserRow;
use crate::store::{groups, roles, users, Conn};

/// Namespaces and service names, as data (`data/service-names.tsv`).
const SERVICE_NAMES: &str = include_str!("../../data/service-names.tsv");

/// (namespace, service name), sorted by namespace.
pub(super) fn service_names() -> &'static [(&'static str, &'static str)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows: Vec<(&str, &str)> = SERVICE_NAMES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .skip(1)
            .filter_map(|l| l.split_once('\t'))
            .collect();
        rows.sort_unstable();
        rows
    })
}

/// Whether `policy` grants some action of the service `namespace` (any case): an `Allow`
/// statement whose `Action` names it or whose `NotAction` leaves some of it, whatever its
/// resources and conditions — AWS: API reference, ListPoliciesGrantingServiceAccess: "It only
/// applies permissions policy logic".
pub(super) fn grants_service(policy: &Policy, namespace: &str) -> bool {
    policy.allows_service(&namespace.to_ascii_lowercase())
}

/// The services of the table that some policy of `policies` grants, sorted by namespace.
pub(super) fn granted_services<'p>(
    policies: &'p [std::sync::Arc<Policy>],
) -> impl Iterator<Item = &'static (&'static str, &'static str)> + 'p {
    service_names()
        .iter()
        .filter(|(namespace, _)| policies.iter().any(|p| grants_service(p, namespace)))
}

/// Why an ARN does not name something these operations report on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum TargetArnError {
    /// Not an IAM ARN at all.
    #[error("ARN {0} is not valid.")]
    Malformed(String),
    /// An IAM ARN, but not of a user, group, role or managed policy (or of one without a name).
    #[error("ARN {0} is not valid.")]
    WrongKind(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IdentityKind {
    User,
    Group,
    Role,
}

/// A user, group or role by ARN: its account, kind, path (without the leading `/`) and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct IdentityRef<'a> {
    pub account: &'a str,
    pub kind: IdentityKind,
    pub path: &'a str,
    pub name: &'a str,
}

/// What an ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target<'a> {
    Identity(IdentityRef<'a>),
    /// A managed policy of `account` (`aws` for AWS's own).
    Policy {
        account: &'a str,
    },
}

pub(super) fn parse_target(arn: &str) -> Result<Target<'_>, TargetArnError> {
    let malformed = || TargetArnError::Malformed(arn.to_string());
    let wrong_kind = || TargetArnError::WrongKind(arn.to_string());
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(malformed());
    };
    if prefix != "arn" || partition.is_empty() || service != "iam" || !region.is_empty() {
        return Err(malformed());
    }
    let (kind, rest) = resource.split_once('/').ok_or_else(wrong_kind)?;
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, name) = rest.split_at(slash);
    if name.is_empty() {
        return Err(wrong_kind());
    }
    let kind = match kind {
        "user" => IdentityKind::User,
        "group" => IdentityKind::Group,
        "role" => IdentityKind::Role,
        "policy" => return Ok(Target::Policy { account }),
        _ => return Err(wrong_kind()),
    };
    Ok(Target::Identity(IdentityRef {
        account,
        kind,
        path,
        name,
    }))
}

/// The user, group or role an ARN names.
pub(super) enum Identity {
    User(UserRow),
    Group(GroupRow),
    Role(RoleRow),
}

/// A permissions policy of an identity, with the entity it is attached to (the identity
/// itself, or for a user one of its groups).
pub(super) struct OwnedPolicy {
    pub policy: Compiled,
    /// `USER`, `GROUP` or `ROLE`.
    pub entity_type: &'static str,
    pub entity_name: String,
}

impl OwnedPolicy {
    /// The policy's name: an inline policy's own, a managed policy's last ARN segment.
    pub fn name(&self) -> &str {
        let id = &*self.policy.id;
        match self.policy.policy_type {
            PolicyType::Inline => id,
            _ => id.rsplit('/').next().unwrap_or(id),
        }
    }

    pub fn is_inline(&self) -> bool {
        self.policy.policy_type == PolicyType::Inline
    }
}

async fn owned(
    app: &App,
    c: &mut Conn,
    account_id: &str,
    owner_id: &str,
    entity_type: &'static str,
    entity_name: &str,
) -> Result<Vec<OwnedPolicy>, ApiError> {
    Ok(owner_policies(app, c, owner_id, account_id)
        .await?
        .into_iter()
        .map(|policy| OwnedPolicy {
            policy,
            entity_type,
            entity_name: entity_name.to_string(),
        })
        .collect())
}

/// The user, group or role `target` names in `account_id` and its permissions policies —
/// AWS: API reference, ListPoliciesGrantingServiceAccess: a user's own and its groups', a
/// group's or role's own; never a permissions boundary. NoSuchEntity as the entity's own Get
/// call words it (also for another account's ARN or a wrong path).
pub(super) async fn identity_policies(
    app: &App,
    c: &mut Conn,
    account_id: &str,
    target: &IdentityRef<'_>,
) -> Result<(Identity, Vec<OwnedPolicy>), ApiError> {
    let path = format!("/{}", target.path);
    let ours = target.account == account_id;
    let name = target.name;
    let identity = match target.kind {
        IdentityKind::User => Identity::User(
            users::get(c, account_id, name)
                .await?
                .filter(|u| ours && u.path == path)
                .ok_or_else(|| super::users::no_such_user(name))?,
        ),
        IdentityKind::Role => Identity::Role(
            roles::get(c, account_id, name)
                .await?
                .filter(|r| ours && r.path == path)
                .ok_or_else(|| super::roles::no_such_role(name))?,
        ),
        IdentityKind::Group => Identity::Group(
            groups::get(c, account_id, name)
                .await?
                .filter(|g| ours && g.path == path)
                .ok_or_else(|| super::groups::no_such_group(name))?,
        ),
    };
    let (owner_id, entity_type, entity_name) = match &identity {
        Identity::User(u) => (&u.user_id, "USER", &u.name),
        Identity::Role(r) => (&r.role_id, "ROLE", &r.name),
        Identity::Group(g) => (&g.group_id, "GROUP", &g.name),
    };
    let mut policies = owned(app, c, account_id, owner_id, entity_type, entity_name).await?;
    if let Identity::User(user) = &identity {
        for g in groups::for_user(c, &user.user_id).await? {
            policies.extend(owned(app, c, account_id, &g.group_id, "GROUP", &g.name).await?);
        }
    }
    Ok((identity, policies))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets() {
        assert_eq!(
            parse_target("arn:aws:iam::111111111111:user/dev/alice").ok(),
            Some(Target::Identity(IdentityRef {
                account: "111111111111",
                kind: IdentityKind::User,
                path: "dev/",
                name: "alice"
            }))
        );
        assert_eq!(
            parse_target("arn:aws:iam::aws:policy/ReadOnlyAccess").ok(),
            Some(Target::Policy { account: "aws" })
        );
        // (ARN, malformed rather than of the wrong kind)
        for (bad, malformed) in [
            ("arn:aws:s3:::bucket/key/name", true),
            ("not-an-arn-at-all-really", true),
            ("arn:aws:iam:us-east-1:111111111111:user/a", true),
            ("arn:aws:iam::111111111111:mfa/device", false),
            ("arn:aws:iam::111111111111:user/", false),
            ("arn:aws:iam::111111111111:root", false),
        ] {
            let err = parse_target(bad).expect_err(bad);
            assert_eq!(err.to_string(), format!("ARN {bad} is not valid."), "{bad}");
            assert_eq!(
                matches!(err, TargetArnError::Malformed(_)),
                malformed,
                "{bad}"
            );
        }
    }

    #[test]
    fn service_table_is_sorted_and_names_iam() {
        let table = service_names();
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(table.contains(&("iam", "AWS Identity and Access Management")));
        assert!(table.contains(&("sts", "AWS Security Token Service")));
    }

    #[test]
    fn grants_services_in_any_case() {
        let policy = crate::policy::parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#,
            crate::policy::PolicyKind::Identity,
        )
        .expect("policy");
        assert!(grants_service(&policy, "S3"));
        assert!(!grants_service(&policy, "iam"));
        let policies = [std::sync::Arc::new(policy)];
        let granted: Vec<&str> = granted_services(&policies).map(|(ns, _)| *ns).collect();
        assert_eq!(granted, ["s3"]);
    }
}
