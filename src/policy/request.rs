//! What is being asked: who, which action, on which resource, in which context.

use super::context::RequestContext;

/// The kind of caller, as far as policy evaluation cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    /// The account's root user: allowed at the identity step.
    Root,
    /// An IAM user with long-term or `GetSessionToken` credentials.
    User,
    /// A role session (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`); `role_arn` is the
    /// role's own ARN (`arn:aws:iam::ACCT:role/path/ROLE`), which a resource policy may name
    /// to cover every session of the role.
    AssumedRole { role_arn: String },
    /// A `GetFederationToken` session (`arn:aws:sts::ACCT:federated-user/NAME`).
    FederatedUser,
    /// An unsigned request; only resource policies that grant `*` apply.
    Anonymous,
    /// An AWS service acting under its service principal, e.g. `ec2.amazonaws.com`.
    Service { service: String },
    /// A web-identity or SAML caller of `AssumeRoleWithWebIdentity`/`AssumeRoleWithSAML`:
    /// `provider` is what a trust policy names under `"Federated"` (an OIDC provider host
    /// such as `accounts.google.com`, or an `oidc-provider/…` / `saml-provider/…` ARN).
    WebIdentity { provider: String },
}

/// The caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The caller's ARN (for a role session, the session ARN).
    pub arn: String,
    /// The caller's account id; empty for anonymous, service and web-identity callers.
    pub account: String,
    pub kind: PrincipalKind,
}

impl Principal {
    /// Principals that have no identity policies of their own: only a resource policy can
    /// let them in.
    pub(super) fn has_identity_side(&self) -> bool {
        !matches!(
            self.kind,
            PrincipalKind::Anonymous
                | PrincipalKind::Service { .. }
                | PrincipalKind::WebIdentity { .. }
        )
    }
}

/// One authorization question.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub principal: &'a Principal,
    /// `service:Action`, any case.
    pub action: &'a str,
    /// The resource ARN, or `*` for actions that take no resource.
    pub resource: &'a str,
    pub context: &'a RequestContext,
}
