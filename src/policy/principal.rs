//! The `Principal` / `NotPrincipal` element of resource-based and trust policies.
//!
//! Values are exact: "You cannot use a wildcard to match part of a principal name or ARN"
//! (IAM User Guide, Principal element); only `"*"` (alone) means everyone. An account id and
//! `arn:aws:iam::ACCT:root` both name the account; a role ARN covers every session of the
//! role; a session ARN names one session.

use super::arn::parse_arn;
use super::request::{Principal, PrincipalKind};

/// How a resource policy named the caller; the order is the strength of the grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    /// The caller's account (id or `:root` ARN): the account delegates to its own
    /// identity policies, which must still allow.
    Account,
    /// The role of a role session: counts as an identity-based allow, but the role's
    /// permissions boundary and the session policy still apply.
    Role,
    /// The caller itself (user ARN, session ARN, federated-user ARN, service, provider) or
    /// everyone (`*`): allowed without any identity-based allow in the same account.
    Direct,
}

/// One `"AWS"` value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AwsValue {
    Everyone,
    Account(Box<str>),
    Arn(Box<str>),
    /// A unique id (`AIDA…`, `AROA…`) left behind when the named principal was deleted; it
    /// matches nobody.
    UniqueId(Box<str>),
}

/// A compiled `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrincipalSpec {
    negated: bool,
    everyone: bool,
    aws: Vec<AwsValue>,
    service: Vec<Box<str>>,
    federated: Vec<Box<str>>,
    canonical_user: Vec<Box<str>>,
}

/// The partitions AWS knows; an ARN in another one is not a principal.
const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

pub fn is_partition(name: &str) -> bool {
    PARTITIONS.contains(&name)
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// IAM unique ids: four-letter type prefix (AIDA user, AROA role, AGPA group, …) plus
/// upper-case letters and digits.
fn is_unique_id(text: &str) -> bool {
    text.len() >= 16
        && text.starts_with('A')
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn parse_aws_value(value: &str) -> Option<AwsValue> {
    if value == "*" {
        return Some(AwsValue::Everyone);
    }
    if is_account_id(value) {
        return Some(AwsValue::Account(value.into()));
    }
    if is_unique_id(value) {
        return Some(AwsValue::UniqueId(value.into()));
    }
    if value.contains(['*', '?']) {
        return None;
    }
    let arn = parse_arn(value).ok()?;
    if !is_partition(arn.partition) || !arn.region.is_empty() || !is_account_id(arn.account) {
        return None;
    }
    let resource = arn.resource;
    let named = |prefix: &str| {
        resource
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty())
    };
    match arn.service {
        "iam" if resource == "root" => Some(AwsValue::Account(arn.account.into())),
        "iam" if named("user/") || named("role/") => Some(AwsValue::Arn(value.into())),
        "sts" if named("assumed-role/") || named("federated-user/") => {
            Some(AwsValue::Arn(value.into()))
        }
        _ => None,
    }
}

/// Whether a `Federated` principal is one IAM accepts: a web identity provider's domain
/// (`cognito-identity.amazonaws.com`, `accounts.google.com`), an IAM provider ARN
/// (`arn:aws:iam::ACCT:saml-provider/NAME`, `arn:aws:iam::ACCT:oidc-provider/HOST/PATH`,
/// without a URL scheme), or `*`.
pub fn valid_federated(value: &str) -> bool {
    if value == "*" {
        return true;
    }
    if let Some(rest) = value.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let [partition, service, region, account, resource] = parts[..] else {
            return false;
        };
        let provider = resource
            .strip_prefix("saml-provider/")
            .or_else(|| resource.strip_prefix("oidc-provider/"));
        return ["aws", "aws-cn", "aws-us-gov"].contains(&partition)
            && service == "iam"
            && region.is_empty()
            && account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && provider.is_some_and(|p| !p.is_empty() && !p.contains("://"));
    }
    let labels: Vec<&str> = value.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Why a principal value was refused; displayed by the caller as AWS's
/// `Invalid principal in policy: "AWS":"…"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPrincipal {
    pub kind: &'static str,
    pub value: String,
}

impl PrincipalSpec {
    /// `"Principal": "*"`.
    pub fn everyone(negated: bool) -> Self {
        Self {
            negated,
            everyone: true,
            ..Self::default()
        }
    }

    pub fn new(negated: bool) -> Self {
        Self {
            negated,
            ..Self::default()
        }
    }

    /// Adds one value under `kind` (`AWS`, `Service`, `Federated`, `CanonicalUser`).
    pub fn add(&mut self, kind: &'static str, value: &str) -> Result<(), InvalidPrincipal> {
        let invalid = || InvalidPrincipal {
            kind,
            value: value.to_string(),
        };
        if value.is_empty() {
            return Err(invalid());
        }
        match kind {
            "AWS" => {
                let parsed = parse_aws_value(value).ok_or_else(invalid)?;
                if parsed == AwsValue::Everyone {
                    self.everyone = true;
                }
                self.aws.push(parsed);
            }
            "Service" => {
                if value == "*" {
                    self.everyone = true;
                }
                self.service.push(value.into());
            }
            "Federated" => self.federated.push(value.into()),
            _ => self.canonical_user.push(value.into()),
        }
        Ok(())
    }

    /// The user and role ARNs named under `"AWS"` (IAM checks that they exist when a trust
    /// policy is stored).
    pub fn aws_arns(&self) -> impl Iterator<Item = &str> {
        self.aws.iter().filter_map(|v| match v {
            AwsValue::Arn(a) => Some(&**a),
            _ => None,
        })
    }

    /// Whether this is a `NotPrincipal` element.
    pub fn is_not_principal(&self) -> bool {
        self.negated
    }

    /// Whether this statement applies to `principal`, and how strongly it was named.
    pub fn matches(&self, principal: &Principal) -> Option<PrincipalMatch> {
        if self.negated {
            // NotPrincipal: the statement applies unless every level of the caller — its
            // account, its role, its session — is listed (IAM User Guide, NotPrincipal:
            // "you must also include the account ARN", and role ARN + session ARN for a
            // role session).
            return (!self.excludes(principal)).then_some(PrincipalMatch::Direct);
        }
        if self.everyone {
            return Some(PrincipalMatch::Direct);
        }
        match &principal.kind {
            PrincipalKind::Service { service } => self
                .service
                .iter()
                .any(|s| **s == **service)
                .then_some(PrincipalMatch::Direct),
            PrincipalKind::WebIdentity { provider } => self
                .federated
                .iter()
                .any(|f| **f == **provider)
                .then_some(PrincipalMatch::Direct),
            PrincipalKind::Anonymous => None,
            kind => {
                let role_arn = match kind {
                    PrincipalKind::AssumedRole { role_arn } => Some(role_arn.as_str()),
                    _ => None,
                };
                let mut best = None;
                for value in &self.aws {
                    let found = match value {
                        AwsValue::Arn(a) if **a == *principal.arn => Some(PrincipalMatch::Direct),
                        AwsValue::Arn(a) if Some(&**a) == role_arn => Some(PrincipalMatch::Role),
                        AwsValue::Account(a) if **a == *principal.account => {
                            Some(PrincipalMatch::Account)
                        }
                        _ => None,
                    };
                    best = best.max(found);
                }
                best
            }
        }
    }

    fn lists_account(&self, account: &str) -> bool {
        self.aws
            .iter()
            .any(|v| matches!(v, AwsValue::Account(a) if **a == *account))
    }

    fn lists_arn(&self, arn: &str) -> bool {
        self.aws
            .iter()
            .any(|v| matches!(v, AwsValue::Arn(a) if **a == *arn))
    }

    fn excludes(&self, principal: &Principal) -> bool {
        if self.everyone {
            return true;
        }
        match &principal.kind {
            PrincipalKind::Root => self.lists_account(&principal.account),
            PrincipalKind::User | PrincipalKind::FederatedUser => {
                self.lists_account(&principal.account) && self.lists_arn(&principal.arn)
            }
            PrincipalKind::AssumedRole { role_arn } => {
                self.lists_account(&principal.account)
                    && self.lists_arn(role_arn)
                    && self.lists_arn(&principal.arn)
            }
            PrincipalKind::Service { service } => self.service.iter().any(|s| **s == **service),
            PrincipalKind::WebIdentity { provider } => {
                self.federated.iter().any(|f| **f == **provider)
            }
            PrincipalKind::Anonymous => false,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn federated_principals_are_provider_domains_or_provider_arns() {
        for ok in [
            "cognito-identity.amazonaws.com",
            "accounts.google.com",
            "arn:aws:iam::123456789012:saml-provider/Okta",
            "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
            "arn:aws-cn:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            "*",
        ] {
            assert!(valid_federated(ok), "{ok}");
        }
        for bad in [
            "arn:aws:iam::123456789012:role/eks",
            "arn:aws:iam::123456789012:oidc-provider/https://issuer.example",
            "arn:aws:iam::123456789012:saml-provider/",
            "arn:aws:sts::123456789012:saml-provider/Okta",
            "arn:aws:iam::12345:saml-provider/Okta",
            "localhost",
            "https://accounts.google.com",
            "",
        ] {
            assert!(!valid_federated(bad), "{bad}");
        }
    }

    use super::*;

    fn spec(values: &[(&'static str, &str)], negated: bool) -> PrincipalSpec {
        let mut spec = PrincipalSpec::new(negated);
        for (kind, value) in values {
            spec.add(kind, value).expect("valid principal");
        }
        spec
    }

    fn session() -> Principal {
        Principal {
            arn: "arn:aws:sts::111111111111:assumed-role/R/s".into(),
            account: "111111111111".into(),
            kind: PrincipalKind::AssumedRole {
                role_arn: "arn:aws:iam::111111111111:role/R".into(),
            },
        }
    }

    #[test]
    fn validates_aws_values() {
        let mut s = PrincipalSpec::new(false);
        for ok in [
            "*",
            "111111111111",
            "arn:aws:iam::111111111111:root",
            "arn:aws:iam::111111111111:user/path/bob",
            "arn:aws:iam::111111111111:role/R",
            "arn:aws:sts::111111111111:assumed-role/R/s",
            "arn:aws:sts::111111111111:federated-user/f",
            "AIDAJQABLZS4A3QDU576Q",
        ] {
            assert!(s.add("AWS", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "11111111111",
            "arn:aws:iam::111111111111:role/*",
            "arn:aws:iam::111111111111:group/g",
            "arn:aws:s3:::bucket",
            "arn:aws:iam:us-east-1:111111111111:root",
            "arn:aws:iam::*:root",
            "bob",
        ] {
            assert!(s.add("AWS", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_arn_covers_sessions_and_account_delegates() {
        let p = session();
        assert_eq!(
            spec(&[("AWS", "arn:aws:iam::111111111111:role/R")], false).matches(&p),
            Some(PrincipalMatch::Role)
        );
        assert_eq!(
            spec(
                &[("AWS", "arn:aws:sts::111111111111:assumed-role/R/s")],
                false
            )
            .matches(&p),
            Some(PrincipalMatch::Direct)
        );
        assert_eq!(
            spec(&[("AWS", "111111111111")], false).matches(&p),
            Some(PrincipalMatch::Account)
        );
        assert_eq!(spec(&[("AWS", "222222222222")], false).matches(&p), None);
    }

    #[test]
    fn not_principal_needs_every_level_listed() {
        let p = session();
        let partial = spec(
            &[("AWS", "arn:aws:sts::111111111111:assumed-role/R/s")],
            true,
        );
        assert_eq!(partial.matches(&p), Some(PrincipalMatch::Direct));
        let full = spec(
            &[
                ("AWS", "arn:aws:sts::111111111111:assumed-role/R/s"),
                ("AWS", "arn:aws:iam::111111111111:role/R"),
                ("AWS", "arn:aws:iam::111111111111:root"),
            ],
            true,
        );
        assert_eq!(full.matches(&p), None);
    }
}
