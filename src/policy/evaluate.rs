//! The decision procedure (IAM User Guide, "Policy evaluation logic" and "Cross-account
//! policy evaluation logic"; condensed in POLICY-EVALUATION.md):
//!
//! 1. `sts:GetCallerIdentity` is always allowed.
//! 2. A matching `Deny` in any applicable policy → explicit deny.
//! 3. A resource-based policy that names the caller itself (user, role session, federated
//!    session, or `*`) allows, in the same account, without identity, boundary or session
//!    allows; naming the role counts as an identity allow; naming the account delegates.
//!    A role trust policy must always allow, even in the same account.
//! 4. No identity allow → implicit deny (root passes this step).
//! 5. A permissions boundary that does not allow → implicit deny.
//! 6. Session policies that do not allow → implicit deny; a federated-user session without
//!    a session policy is denied.
//! 7. Cross-account: the resource policy must also allow (naming the caller or its account).

use super::context::RequestContext;
use super::document::{service_hash, Effect, Policy, PolicyKind, Statement};
use super::json::Position;
use super::principal::PrincipalMatch;
use super::request::{PrincipalKind, Request};
use std::sync::Arc;

/// Where a policy came from; reported back as the simulator's `SourcePolicyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    Inline,
    Managed,
    AwsManaged,
    Boundary,
    Session,
    ResourceBased,
    /// Simulator input (`PolicyInputList.N`).
    Custom,
}

/// A policy plus the identity the simulator reports for it.
#[derive(Debug, Clone)]
pub struct PolicyRef<'a> {
    /// Policy name, ARN, or `PolicyInputList.1` (shared: every matched statement names it).
    pub id: Arc<str>,
    pub policy_type: PolicyType,
    pub policy: &'a Policy,
}

/// Every policy that applies to one request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    /// The user's inline and attached policies and its groups', or the role's.
    pub identity: Vec<PolicyRef<'a>>,
    pub boundary: Option<PolicyRef<'a>>,
    /// `Some` when the session was created with session policies (even if they are all
    /// empty of allows); `None` when it was not.
    pub session: Option<Vec<PolicyRef<'a>>>,
    /// The target's resource-based policy; for `sts:AssumeRole*` the role's trust policy.
    pub resource: Option<PolicyRef<'a>>,
    /// The account that owns the resource; `None` means the caller's own account.
    pub resource_account: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    /// The simulator's `EvalDecision` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// Why access was denied; picks the `AccessDenied` message variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DenyReason {
    NoIdentityAllow,
    ExplicitDenyIdentity,
    NoBoundaryAllow,
    NoSessionAllow,
    ExplicitDenyResource,
    ExplicitDenyBoundary,
    ExplicitDenySession,
    /// Cross-account without a resource-policy allow, or a trust policy that does not allow.
    NoResourceAllow,
}

/// A statement that decided, with its place in its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    pub source_id: Arc<str>,
    pub source_type: PolicyType,
    pub sid: Option<Arc<str>>,
    /// 1-based line and column of the statement's `{`.
    pub start: Position,
    /// 1-based line and column just after the statement's `}`.
    pub end: Position,
}

/// The decision and its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub reason: Option<DenyReason>,
    /// On an explicit deny, the matching `Deny` statements; on allow, the `Allow` statements
    /// that matched; empty on an implicit deny.
    pub matched: Vec<MatchedStatement>,
    /// Context keys read by the statements that matched the action and resource but absent
    /// from the request context (the simulator's `MissingContextValues`), as written in the
    /// policies.
    pub missing_context_keys: Vec<String>,
    /// `Some(allowed?)` when a permissions boundary was set.
    pub boundary_allowed: Option<bool>,
}

impl Evaluation {
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allowed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Identity,
    Boundary,
    Session,
    Resource,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    group: Group,
    policy: usize,
    statement: usize,
    effect: Effect,
    principal: Option<PrincipalMatch>,
}

/// The request's action lowercased without touching the heap in the common case (action
/// names are short ASCII), since evaluation is on every request's hot path.
enum LoweredAction {
    Inline([u8; 128], usize),
    Heap(String),
}

impl LoweredAction {
    fn new(action: &str) -> Self {
        let bytes = action.as_bytes();
        if bytes.len() <= 128 {
            let mut buf = [0u8; 128];
            for (out, b) in buf.iter_mut().zip(bytes) {
                *out = b.to_ascii_lowercase();
            }
            LoweredAction::Inline(buf, bytes.len())
        } else {
            LoweredAction::Heap(action.to_ascii_lowercase())
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // ASCII lowercasing keeps UTF-8 valid, so this never falls back.
            LoweredAction::Inline(buf, len) => std::str::from_utf8(&buf[..*len]).unwrap_or(""),
            LoweredAction::Heap(s) => s,
        }
    }
}

/// The statements that applied, kept on the stack while there are few (the usual case) so
/// that a simple allow costs no allocation for bookkeeping.
struct Hits {
    inline: [Hit; 8],
    len: usize,
    spilled: Vec<Hit>,
}

const NO_HIT: Hit = Hit {
    group: Group::Identity,
    policy: 0,
    statement: 0,
    effect: Effect::Allow,
    principal: None,
};

impl Hits {
    fn new() -> Self {
        Self {
            inline: [NO_HIT; 8],
            len: 0,
            spilled: Vec::new(),
        }
    }

    fn push(&mut self, hit: Hit) {
        if self.spilled.is_empty() && self.len < self.inline.len() {
            self.inline[self.len] = hit;
            self.len += 1;
        } else {
            if self.spilled.is_empty() {
                self.spilled.extend_from_slice(&self.inline[..self.len]);
            }
            self.spilled.push(hit);
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Hit] {
        if self.spilled.is_empty() {
            &mut self.inline[..self.len]
        } else {
            &mut self.spilled
        }
    }
}

/// Per-request state shared by every policy scan: the action split and lowercased once,
/// a scratch buffer for policy-variable patterns, and the missing keys found so far.
struct Scanner<'r> {
    request: &'r Request<'r>,
    service: &'r str,
    name: &'r str,
    hash: u64,
    /// The caller has a permissions boundary (changes how `Deny` + `NotPrincipal` applies).
    has_boundary: bool,
    scratch: Vec<u16>,
    missing: Vec<String>,
}

fn note_missing(missing: &mut Vec<String>, key: &str) {
    if !missing.iter().any(|m| m.eq_ignore_ascii_case(key)) {
        missing.push(key.to_string());
    }
}

impl<'r> Scanner<'r> {
    fn new(request: &'r Request<'r>, lowered: &'r LoweredAction, has_boundary: bool) -> Self {
        let lowered = lowered.as_str();
        let (service, name) = lowered.split_once(':').unwrap_or((lowered, ""));
        Self {
            request,
            service,
            name,
            hash: service_hash(service),
            has_boundary,
            scratch: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Calls `hit` for each statement of `policy` that applies to the request.
    fn scan(
        &mut self,
        policy: &Policy,
        check_principal: bool,
        mut hit: impl FnMut(usize, Effect, Option<PrincipalMatch>),
    ) {
        let statements = &policy.statements;
        let Self {
            request,
            service,
            name,
            hash,
            has_boundary,
            scratch,
            missing,
        } = self;
        policy.index.candidates(service, *hash, |i| {
            let Some(statement) = statements.get(i) else {
                return;
            };
            let target = Target {
                request,
                service,
                name,
                has_boundary: *has_boundary,
            };
            if let Some(found) =
                statement_applies(statement, &target, check_principal, scratch, missing)
            {
                hit(i, statement.effect, found);
            }
        });
    }
}

/// What one statement is matched against.
struct Target<'t> {
    request: &'t Request<'t>,
    service: &'t str,
    name: &'t str,
    has_boundary: bool,
}

/// Whether one statement applies; `Some(principal match)` when it does (`None` inside for
/// identity policies, which have no principal). Records the condition keys it reads that the
/// request lacks once its action and resource match.
fn statement_applies(
    statement: &Statement,
    target: &Target<'_>,
    check_principal: bool,
    scratch: &mut Vec<u16>,
    missing: &mut Vec<String>,
) -> Option<Option<PrincipalMatch>> {
    let Target {
        request,
        service,
        name,
        has_boundary,
    } = *target;
    if !statement.actions.matches(service, name) {
        return None;
    }
    let principal = match (check_principal, &statement.principal) {
        (false, _) => None,
        // "The NotPrincipal element with a Deny effect will always deny any IAM principal
        // that has a permissions boundary policy attached, regardless of the values
        // specified in the NotPrincipal element" (IAM User Guide, Permissions boundaries).
        (true, Some(spec))
            if has_boundary && spec.is_not_principal() && statement.effect == Effect::Deny =>
        {
            Some(PrincipalMatch::Direct)
        }
        // A resource policy statement applies only to the principals it names.
        (true, spec) => Some(spec.as_ref()?.matches(request.principal)?),
    };
    if let Some(resources) = &statement.resources {
        let mut unresolved = |key: &str| note_missing(missing, key);
        if !resources.matches(request.resource, request.context, scratch, &mut unresolved) {
            return None;
        }
    }
    record_missing_keys(statement, request.context, missing);
    statement
        .conditions
        .iter()
        .all(|c| c.evaluate(request.context))
        .then_some(principal)
}

fn record_missing_keys(statement: &Statement, ctx: &RequestContext, missing: &mut Vec<String>) {
    for key in &statement.condition_keys {
        if ctx.get_normalized(&key.normalized).is_none() {
            note_missing(missing, &key.spelled);
        }
    }
}

/// `sts:GetCallerIdentity` needs no permission: "No permissions are required to perform
/// this operation" (STS API reference), and even an explicit deny does not stop it.
fn is_get_caller_identity(action: &str) -> bool {
    action.eq_ignore_ascii_case("sts:GetCallerIdentity")
}

/// Decides one request against the policies that apply to it.
pub fn evaluate(request: &Request<'_>, set: &PolicySet<'_>) -> Evaluation {
    if is_get_caller_identity(request.action) {
        return Evaluation {
            decision: Decision::Allowed,
            reason: None,
            matched: Vec::new(),
            missing_context_keys: Vec::new(),
            boundary_allowed: None,
        };
    }
    let lowered = LoweredAction::new(request.action);
    let mut scanner = Scanner::new(request, &lowered, set.boundary.is_some());
    let mut hits = Hits::new();
    let mut scan_group = |scanner: &mut Scanner<'_>, group: Group, refs: &[PolicyRef<'_>]| {
        for (policy, r) in refs.iter().enumerate() {
            scanner.scan(
                r.policy,
                group == Group::Resource,
                |statement, effect, principal| {
                    hits.push(Hit {
                        group,
                        policy,
                        statement,
                        effect,
                        principal,
                    })
                },
            );
        }
    };
    scan_group(&mut scanner, Group::Identity, &set.identity);
    if let Some(boundary) = &set.boundary {
        scan_group(
            &mut scanner,
            Group::Boundary,
            std::slice::from_ref(boundary),
        );
    }
    if let Some(session) = &set.session {
        scan_group(&mut scanner, Group::Session, session);
    }
    if let Some(resource) = &set.resource {
        scan_group(
            &mut scanner,
            Group::Resource,
            std::slice::from_ref(resource),
        );
    }
    let hits = hits.as_mut_slice();
    hits.sort_by_key(|h| (h.group, h.policy, h.statement));
    let hits: &[Hit] = hits;

    let denied_in = |g: Group| {
        hits.iter()
            .any(|h| h.group == g && h.effect == Effect::Deny)
    };
    let allowed_in = |g: Group| {
        hits.iter()
            .any(|h| h.group == g && h.effect == Effect::Allow)
    };
    let boundary_allowed = set.boundary.as_ref().map(|_| allowed_in(Group::Boundary));

    let (decision, reason) = decide(request, set, hits, denied_in, allowed_in);
    let wanted = match decision {
        Decision::ExplicitDeny => Some(Effect::Deny),
        Decision::Allowed => Some(Effect::Allow),
        Decision::ImplicitDeny => None,
    };
    let matched = hits
        .iter()
        .filter(|h| Some(h.effect) == wanted)
        .filter_map(|h| matched_statement(set, h))
        .collect();
    Evaluation {
        decision,
        reason,
        matched,
        missing_context_keys: scanner.missing,
        boundary_allowed,
    }
}

fn decide(
    request: &Request<'_>,
    set: &PolicySet<'_>,
    hits: &[Hit],
    denied_in: impl Fn(Group) -> bool,
    allowed_in: impl Fn(Group) -> bool,
) -> (Decision, Option<DenyReason>) {
    let deny = |reason| (Decision::ImplicitDeny, Some(reason));
    // An explicit deny in any policy wins.
    for (group, reason) in [
        (Group::Identity, DenyReason::ExplicitDenyIdentity),
        (Group::Resource, DenyReason::ExplicitDenyResource),
        (Group::Boundary, DenyReason::ExplicitDenyBoundary),
        (Group::Session, DenyReason::ExplicitDenySession),
    ] {
        if denied_in(group) {
            return (Decision::ExplicitDeny, Some(reason));
        }
    }
    let principal = request.principal;
    let resource_match = hits
        .iter()
        .filter(|h| h.group == Group::Resource && h.effect == Effect::Allow)
        .filter_map(|h| h.principal)
        .max();
    let cross_account = set
        .resource_account
        .is_some_and(|account| account != principal.account);
    let trust = set
        .resource
        .as_ref()
        .is_some_and(|r| r.policy.kind == PolicyKind::Trust);

    // "A role trust policy must always allow explicitly" — even in the same account.
    if trust && resource_match.is_none() {
        return deny(DenyReason::NoResourceAllow);
    }
    // Anonymous callers, services and web identities have no identity policies: only the
    // resource policy can let them in.
    if !principal.has_identity_side() {
        return match resource_match {
            Some(_) => (Decision::Allowed, None),
            None => deny(DenyReason::NoResourceAllow),
        };
    }
    if cross_account && resource_match.is_none() {
        return deny(DenyReason::NoResourceAllow);
    }
    // Same account, the resource policy names this user / session / federated session (or
    // everyone): allowed even without identity, boundary or session allows. That includes a
    // session ARN against a session policy that does not allow — our answer to the first
    // open question: "If that policy specifically references the federated user session [role
    // session] in the Principal element …, the session has the permissions allowed by the
    // policy. These permissions are granted in addition to the permissions that are granted
    // by the session policies" (STS API reference, GetFederationToken / AssumeRole `Policy`).
    if !cross_account && resource_match == Some(PrincipalMatch::Direct) {
        return (Decision::Allowed, None);
    }
    let identity_allowed = principal.kind == PrincipalKind::Root
        || allowed_in(Group::Identity)
        || (!cross_account && resource_match == Some(PrincipalMatch::Role));
    if !identity_allowed {
        return deny(DenyReason::NoIdentityAllow);
    }
    if set.boundary.is_some() && !allowed_in(Group::Boundary) {
        return deny(DenyReason::NoBoundaryAllow);
    }
    match &set.session {
        Some(_) if !allowed_in(Group::Session) => return deny(DenyReason::NoSessionAllow),
        // GetFederationToken without a policy yields a session with no permissions.
        None if principal.kind == PrincipalKind::FederatedUser => {
            return deny(DenyReason::NoSessionAllow)
        }
        _ => {}
    }
    (Decision::Allowed, None)
}

fn matched_statement(set: &PolicySet<'_>, hit: &Hit) -> Option<MatchedStatement> {
    let r = match hit.group {
        Group::Identity => set.identity.get(hit.policy)?,
        Group::Boundary => set.boundary.as_ref()?,
        Group::Session => set.session.as_ref()?.get(hit.policy)?,
        Group::Resource => set.resource.as_ref()?,
    };
    let statement = r.policy.statements.get(hit.statement)?;
    Some(MatchedStatement {
        source_id: r.id.clone(),
        source_type: r.policy_type,
        sid: statement.sid.clone(),
        start: statement.start,
        end: statement.end,
    })
}
