//! The compiled policy: everything evaluation needs, pre-parsed so that evaluating a request
//! does no parsing of the policy.

use super::arn_pattern::{elems_match_arn, ArnPattern};
use super::condition::Condition;
use super::context::{normalize_key, RequestContext};
use super::json::Position;
use super::principal::PrincipalSpec;
use super::variables::Template;
use super::wildcard::Glob;

/// Which rules a document is validated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Inline, boundary and session policies: no `Principal`; `Version` may be absent or
    /// 2008-10-17.
    Identity,
    /// A managed policy document (`CreatePolicy`, `CreatePolicyVersion`): the identity rules
    /// plus "Policy document must be version 2012-10-17 or greater."
    Managed,
    /// A role's trust policy: `Principal` required, only `sts:AssumeRole*` actions, no
    /// `Resource`.
    Trust,
    /// A generic resource-based policy: `Principal` and `Resource` required.
    Resource,
}

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyVersion {
    /// `2008-10-17`, also the meaning of a missing `Version`: policy variables stay literal.
    V2008,
    /// `2012-10-17`.
    V2012,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

/// One `service:name` pattern from `Action`/`NotAction`, lowercased because action names
/// are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    service: Glob,
    name: Glob,
}

impl ActionPattern {
    pub fn new(action: &str) -> Self {
        let lowered = action.to_ascii_lowercase();
        match lowered.split_once(':') {
            Some((service, name)) => Self {
                service: Glob::new(service),
                name: Glob::new(name),
            },
            None => Self {
                service: Glob::new(&lowered),
                name: Glob::new("*"),
            },
        }
    }

    /// `service` and `name` must already be lowercased.
    pub fn matches(&self, service: &str, name: &str) -> bool {
        self.service.matches(service) && self.name.matches(name)
    }

    /// Whether the pattern names every action of `service` (`*`, `s3:*`, `s*:*`).
    fn covers_service(&self, service: &str) -> bool {
        self.name.is_any() && self.service.matches(service)
    }

    /// The service when it has no wildcard (used to index statements by service).
    pub fn exact_service(&self) -> Option<&str> {
        self.service.as_exact()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSpec {
    pub negated: bool,
    pub patterns: Vec<ActionPattern>,
}

impl ActionSpec {
    pub fn matches(&self, service: &str, name: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(service, name)) != self.negated
    }

    /// Whether some action of `service` (lowercase) is named: by a pattern of `Action`, or,
    /// for `NotAction`, unless a pattern excludes the whole service.
    pub fn names_service(&self, service: &str) -> bool {
        if self.negated {
            !self.patterns.iter().any(|p| p.covers_service(service))
        } else {
            self.patterns.iter().any(|p| p.service.matches(service))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResourceEntry {
    Plain(ArnPattern),
    /// Holds policy variables (2012-10-17 only).
    Template(Template),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceSpec {
    pub negated: bool,
    pub entries: Vec<ResourceEntry>,
}

impl ResourceSpec {
    /// `unresolved` receives the key of each variable that could not be resolved; such an
    /// entry matches nothing ("an unresolvable variable makes the Resource match nothing").
    pub fn matches(
        &self,
        resource: &str,
        ctx: &RequestContext,
        scratch: &mut Vec<u16>,
        unresolved: &mut dyn FnMut(&str),
    ) -> bool {
        let mut any = false;
        for entry in &self.entries {
            let hit = match entry {
                ResourceEntry::Plain(p) => p.matches(resource),
                ResourceEntry::Template(t) => {
                    if !resource.starts_with(t.literal_prefix()) {
                        continue;
                    }
                    scratch.clear();
                    match t.resolve_pattern(ctx, scratch) {
                        Ok(()) => elems_match_arn(scratch, resource),
                        Err(key) => {
                            unresolved(key);
                            false
                        }
                    }
                }
            };
            if hit {
                any = true;
                break;
            }
        }
        any != self.negated
    }
}

/// A condition key a statement reads: lowercased for lookup, and as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRef {
    pub normalized: Box<str>,
    pub spelled: Box<str>,
}

impl KeyRef {
    pub fn new(spelled: &str) -> Self {
        Self {
            normalized: normalize_key(spelled).into(),
            spelled: spelled.into(),
        }
    }
}

/// One compiled statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub(super) sid: Option<std::sync::Arc<str>>,
    pub(super) effect: Effect,
    pub(super) principal: Option<PrincipalSpec>,
    pub(super) actions: ActionSpec,
    pub(super) resources: Option<ResourceSpec>,
    pub(super) conditions: Vec<Condition>,
    /// Keys read by the conditions (operator keys and variables in values), deduplicated.
    pub(super) condition_keys: Vec<KeyRef>,
    pub(super) start: Position,
    pub(super) end: Position,
}

impl Statement {
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// Position of the statement's opening `{`.
    pub fn start(&self) -> Position {
        self.start
    }

    /// Position just after the statement's closing `}`.
    pub fn end(&self) -> Position {
        self.end
    }

    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }

    /// The IAM user and role ARNs the statement's `Principal`/`NotPrincipal` names.
    pub fn principal_arns(&self) -> impl Iterator<Item = &str> {
        self.principal.iter().flat_map(|p| p.aws_arns())
    }
}

/// Statements grouped by the exact service their actions name, so a request only looks at
/// statements that can match its service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionIndex {
    /// Bit `hash(service) % 64` is set for every indexed service: a cheap "certainly not
    /// here" test before any string comparison.
    bloom: u64,
    by_service: Vec<(u64, Box<str>, Vec<u32>)>,
    /// `NotAction` statements and those with a wildcard in a service.
    always: Vec<u32>,
}

/// FNV-1a of a lowercased service name; the same value indexes the bloom filter.
pub fn service_hash(service: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in service.as_bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

impl ActionIndex {
    pub fn build(statements: &[Statement]) -> Self {
        let mut index = Self::default();
        for (i, statement) in statements.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let services: Option<Vec<&str>> = if statement.actions.negated {
                None
            } else {
                statement
                    .actions
                    .patterns
                    .iter()
                    .map(ActionPattern::exact_service)
                    .collect()
            };
            let Some(mut services) = services else {
                index.always.push(i);
                continue;
            };
            services.sort_unstable();
            services.dedup();
            for service in services {
                let hash = service_hash(service);
                index.bloom |= 1u64 << (hash % 64);
                match index
                    .by_service
                    .iter_mut()
                    .find(|(h, s, _)| *h == hash && **s == *service)
                {
                    Some((_, _, list)) => list.push(i),
                    None => index.by_service.push((hash, service.into(), vec![i])),
                }
            }
        }
        index
    }

    /// Calls `visit` with the index of every statement whose actions may match `service`.
    pub fn candidates(&self, service: &str, hash: u64, mut visit: impl FnMut(usize)) {
        if self.bloom & (1u64 << (hash % 64)) != 0 {
            if let Some((_, _, list)) = self
                .by_service
                .iter()
                .find(|(h, s, _)| *h == hash && **s == *service)
            {
                list.iter().for_each(|&i| visit(i as usize));
            }
        }
        self.always.iter().for_each(|&i| visit(i as usize));
    }
}

/// A parsed, validated and compiled policy document. Immutable and `Send + Sync`, so the
/// server can cache it behind an `Arc` and evaluate it from any thread.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub(super) kind: PolicyKind,
    pub(super) version: PolicyVersion,
    pub(super) id: Option<String>,
    pub(super) statements: Vec<Statement>,
    pub(super) index: ActionIndex,
    /// Every context key the policy reads, as first written, deduplicated ignoring case.
    pub(super) context_keys: Vec<String>,
}

impl Policy {
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    pub fn version(&self) -> PolicyVersion {
        self.version
    }

    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The context keys the policy reads (condition keys and policy variables), as first
    /// written.
    pub fn context_keys(&self) -> impl Iterator<Item = &str> {
        self.context_keys.iter().map(String::as_str)
    }

    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Whether an `Allow` statement grants some action of `service` (a lowercase namespace),
    /// whatever its resources and conditions — the question service last accessed asks of
    /// permissions policies.
    pub fn allows_service(&self, service: &str) -> bool {
        self.statements
            .iter()
            .any(|s| s.effect == Effect::Allow && s.actions.names_service(service))
    }

    /// Whether an `Allow` statement grants `service:name` (both lowercase), whatever its
    /// resources and conditions.
    pub fn allows_action(&self, service: &str, name: &str) -> bool {
        self.statements
            .iter()
            .any(|s| s.effect == Effect::Allow && s.actions.matches(service, name))
    }
}

/// Collects the context keys of compiled statements: condition keys, variables in condition
/// values and variables in `Resource`/`NotResource`.
pub(super) fn context_keys_of(statements: &[Statement]) -> Vec<String> {
    let mut keys: Vec<KeyRef> = Vec::new();
    let mut push = |spelled: &str| {
        let key = KeyRef::new(spelled);
        if !keys.iter().any(|k| k.normalized == key.normalized) {
            keys.push(key);
        }
    };
    for statement in statements {
        for key in &statement.condition_keys {
            push(&key.spelled);
        }
        if let Some(resources) = &statement.resources {
            for entry in &resources.entries {
                if let ResourceEntry::Template(t) = entry {
                    t.keys().for_each(&mut push);
                }
            }
        }
    }
    keys.into_iter().map(|k| k.spelled.into()).collect()
}

/// Every condition key a policy references (in `Condition` elements and in policy
/// variables), as first written, deduplicated ignoring case — what
/// `GetContextKeysForCustomPolicy` / `GetContextKeysForPrincipalPolicy` list.
pub fn context_keys(policy: &Policy) -> Vec<String> {
    policy.context_keys().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_case_insensitive_and_split_once() {
        let p = ActionPattern::new("S3:Get*");
        assert!(p.matches("s3", "getobject"));
        assert!(!p.matches("s3", "putobject"));
        let any = ActionPattern::new("*");
        assert!(any.matches("iam", "createuser"));
        let spec = ActionSpec {
            negated: true,
            patterns: vec![ActionPattern::new("iam:*")],
        };
        assert!(spec.matches("s3", "getobject"));
        assert!(!spec.matches("iam", "getuser"));
    }

    #[test]
    fn services_an_allow_grants() {
        // (Allow statement's action element, service, granted?)
        let rows: &[(&str, &str, bool)] = &[
            (r#""Action": "*""#, "lambda", true),
            (r#""Action": "iam:*""#, "iam", true),
            (r#""Action": "iam:*""#, "s3", false),
            (r#""Action": ["s3:Get*", "sqs:SendMessage"]"#, "s3", true),
            (r#""Action": ["s3:Get*", "sqs:SendMessage"]"#, "sqs", true),
            (r#""Action": "s3:Get*""#, "ec2", false),
            (r#""NotAction": "iam:*""#, "iam", false),
            (r#""NotAction": "iam:*""#, "s3", true),
            // Excluding some actions of a service leaves the others granted.
            (r#""NotAction": "iam:CreateUser""#, "iam", true),
        ];
        for (actions, service, granted) in rows {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",{actions},"Resource":"*"}}}}"#
            );
            let policy = crate::policy::parse_policy(&text, PolicyKind::Identity).expect(&text);
            assert_eq!(
                policy.allows_service(service),
                *granted,
                "{actions} / {service}"
            );
        }
        let deny = crate::policy::parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#,
            PolicyKind::Identity,
        )
        .expect("deny");
        assert!(!deny.allows_service("iam"));
        let some = crate::policy::parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:List*","Resource":"*"}}"#,
            PolicyKind::Identity,
        )
        .expect("some");
        assert!(some.allows_action("iam", "listusers"));
        assert!(!some.allows_action("iam", "createuser"));
    }
}
