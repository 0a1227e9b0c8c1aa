//! Parse + validate a policy document with AWS's messages, then compile it.
//!
//! AWS does not document the order of its checks. The order below is the one reverse-engineered
//! against live IAM by the moto and LocalStack projects (their validators are snapshot-tested
//! against AWS; we follow their ordering, not their code):
//!
//! 1. JSON syntax — `Syntax errors in policy.` for identity policies, `This policy contains
//!    invalid Json` for trust and resource policies (the newer policy parser they go through).
//! 2. Grammar (element names, types, `Effect` in any case, known condition operators) —
//!    `Syntax errors in policy.`
//! 3. Elements the policy kind forbids (`Principal` in identity policies, `Resource` in trust
//!    policies).
//! 4. Managed policies only: `Version` must be 2012-10-17.
//! 5. "Legacy parsing": exact-case `Effect`, readable dates, ARN shapes.
//! 6. `Sid` format and uniqueness.
//! 7. Every statement has actions.
//! 8. The last ARN-format problem found in step 5 (resources are visited in reverse sorted
//!    order within a statement, as AWS reports them).
//! 9. Action vendors and colons (`Action` first, then `NotAction`).
//! 10. Every statement has resources (identity and resource policies).
//! 11. Trust policies: only `sts:AssumeRole*` actions; trust and resource policies: a valid
//!     principal in every statement.

use super::arn_pattern::ArnPattern;
use super::condition::{Condition, ConditionOperator};
use super::document::{
    context_keys_of, ActionIndex, ActionPattern, ActionSpec, Effect, KeyRef, Policy, PolicyKind,
    PolicyVersion, ResourceEntry, ResourceSpec, Statement,
};
use super::error::PolicyError;
use super::json::{self, Node, Value};
use super::principal::{is_partition, PrincipalSpec};
use super::values::parse_date;
use super::variables::Template;

const TOP_LEVEL_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

/// The path prefixes IAM accepts after the account in an IAM resource ARN (recorded message).
const IAM_RESOURCE_PREFIXES: [&str; 13] = [
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// The actions a trust policy may name: the `sts:AssumeRole*` family and the session
/// permissions evaluated against the trust policy with them (IAM User Guide, "Role trust
/// policy": `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext`).
const TRUST_ACTIONS: [&str; 6] = [
    "assumerole",
    "assumerolewithsaml",
    "assumerolewithwebidentity",
    "tagsession",
    "setsourceidentity",
    "setcontext",
];

/// A statement as read from JSON, before compilation.
struct RawStatement<'a> {
    node: &'a Node<'a>,
    sid: Option<&'a str>,
    effect: &'a str,
    /// (`NotPrincipal`?, value)
    principal: Option<(bool, &'a Node<'a>)>,
    /// (`NotAction`?, values)
    actions: Option<(bool, Vec<&'a str>)>,
    /// (`NotResource`?, values)
    resources: Option<(bool, Vec<&'a str>)>,
    conditions: Vec<RawCondition<'a>>,
}

struct RawCondition<'a> {
    operator: ConditionOperator,
    entries: Vec<(&'a str, Vec<String>)>,
}

struct RawDocument<'a> {
    version: Option<&'a str>,
    id: Option<&'a str>,
    statements: Vec<RawStatement<'a>>,
}

/// Parses, validates and compiles a policy document of the given kind. The error displays
/// AWS's `MalformedPolicyDocument` message.
pub fn parse_policy(text: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
    let root = json::parse(text).map_err(|_| match kind {
        PolicyKind::Trust | PolicyKind::Resource => PolicyError::InvalidJson,
        PolicyKind::Identity | PolicyKind::Managed => PolicyError::SyntaxErrors,
    })?;
    let doc = read_document(&root).ok_or(PolicyError::SyntaxErrors)?;

    check_forbidden_elements(&doc, kind)?;
    if kind == PolicyKind::Managed && doc.version != Some("2012-10-17") {
        return Err(PolicyError::VersionTooOld);
    }
    let resource_error = legacy_parse(&doc)?;
    check_sids(&doc, kind)?;
    if doc
        .statements
        .iter()
        .any(|s| s.actions.as_ref().is_none_or(|(_, a)| a.is_empty()))
    {
        return Err(PolicyError::MissingActions);
    }
    if let Some(error) = resource_error {
        return Err(error);
    }
    for negated in [false, true] {
        for statement in &doc.statements {
            match &statement.actions {
                Some((n, actions)) if *n == negated => {
                    actions.iter().try_for_each(|a| check_action(a))?;
                }
                _ => {}
            }
        }
    }
    if kind != PolicyKind::Trust
        && doc
            .statements
            .iter()
            .any(|s| s.resources.as_ref().is_none_or(|(_, r)| r.is_empty()))
    {
        return Err(PolicyError::MissingResources);
    }
    if kind == PolicyKind::Trust {
        for statement in &doc.statements {
            if let Some((negated, actions)) = &statement.actions {
                if *negated || !actions.iter().all(|a| is_trust_action(a)) {
                    return Err(PolicyError::NotAssumeRoleAction);
                }
            }
        }
    }
    compile(&doc, kind)
}

fn string_list<'a>(node: &'a Node<'a>) -> Option<Vec<&'a str>> {
    match &node.value {
        Value::String(s) => Some(vec![s.as_ref()]),
        Value::Array(items) => items.iter().map(Node::as_str).collect(),
        _ => None,
    }
}

/// A condition value as text: strings as they are, numbers as written, booleans as
/// `true`/`false` ("Quotation marks are optional for numeric and Boolean values").
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn condition_values(node: &Node) -> Option<Vec<String>> {
    match &node.value {
        Value::Array(items) => items.iter().map(scalar_text).collect(),
        _ => scalar_text(node).map(|v| vec![v]),
    }
}

/// Reads the document against the policy grammar; `None` means "Syntax errors in policy."
fn read_document<'a>(root: &'a Node<'a>) -> Option<RawDocument<'a>> {
    let members = root.as_object()?;
    if members
        .iter()
        .any(|(k, _)| !TOP_LEVEL_ELEMENTS.contains(&k.as_ref()))
    {
        return None;
    }
    let version = match root.get("Version") {
        Some(v) => {
            let v = v.as_str()?;
            // "The only allowed values are these: 2012-10-17, 2008-10-17" (Version element).
            (v == "2012-10-17" || v == "2008-10-17").then_some(v)?;
            Some(v)
        }
        None => None,
    };
    let id = match root.get("Id") {
        Some(v) => Some(v.as_str()?),
        None => None,
    };
    let statement_nodes: Vec<&Node> = match &root.get("Statement")?.value {
        Value::Object(_) => vec![root.get("Statement")?],
        Value::Array(items) if !items.is_empty() => items.iter().collect(),
        _ => return None,
    };
    let statements = statement_nodes
        .into_iter()
        .map(read_statement)
        .collect::<Option<Vec<_>>>()?;
    Some(RawDocument {
        version,
        id,
        statements,
    })
}

/// Reads `X` or `NotX`; both present is a grammar error.
fn either<'a>(
    node: &'a Node<'a>,
    name: &str,
    not_name: &str,
) -> Option<Option<(bool, &'a Node<'a>)>> {
    match (node.get(name), node.get(not_name)) {
        (Some(_), Some(_)) => None,
        (Some(v), None) => Some(Some((false, v))),
        (None, Some(v)) => Some(Some((true, v))),
        (None, None) => Some(None),
    }
}

fn read_statement<'a>(node: &'a Node<'a>) -> Option<RawStatement<'a>> {
    let members = node.as_object()?;
    if members
        .iter()
        .any(|(k, _)| !STATEMENT_ELEMENTS.contains(&k.as_ref()))
    {
        return None;
    }
    let effect = node.get("Effect")?.as_str()?;
    if !effect.eq_ignore_ascii_case("allow") && !effect.eq_ignore_ascii_case("deny") {
        return None;
    }
    let sid = match node.get("Sid") {
        Some(s) => Some(s.as_str()?),
        None => None,
    };
    let actions = match either(node, "Action", "NotAction")? {
        Some((negated, v)) => Some((negated, string_list(v)?)),
        None => None,
    };
    let resources = match either(node, "Resource", "NotResource")? {
        Some((negated, v)) => Some((negated, string_list(v)?)),
        None => None,
    };
    let principal = either(node, "Principal", "NotPrincipal")?;
    if let Some((_, p)) = principal {
        check_principal_grammar(p)?;
    }
    let conditions = match node.get("Condition") {
        Some(c) => read_conditions(c)?,
        None => Vec::new(),
    };
    Some(RawStatement {
        node,
        sid,
        effect,
        principal,
        actions,
        resources,
        conditions,
    })
}

/// `"*"` or a map of the four principal types to a string or a list of strings.
fn check_principal_grammar(node: &Node) -> Option<()> {
    match &node.value {
        Value::String(s) if s == "*" => Some(()),
        Value::Object(members) => members.iter().try_for_each(|(k, v)| {
            PRINCIPAL_TYPES.contains(&k.as_ref()).then_some(())?;
            string_list(v).map(|_| ())
        }),
        _ => None,
    }
}

/// The members of an object with duplicated names removed, keeping the last (the reading
/// `Node::get` gives single elements).
fn last_members<'n, 'a>(
    members: &'n [(std::borrow::Cow<'a, str>, Node<'a>)],
) -> impl Iterator<Item = &'n (std::borrow::Cow<'a, str>, Node<'a>)> {
    members
        .iter()
        .enumerate()
        .filter(move |(i, (k, _))| !members[i + 1..].iter().any(|(later, _)| later == k))
        .map(|(_, member)| member)
}

fn read_conditions<'a>(node: &'a Node<'a>) -> Option<Vec<RawCondition<'a>>> {
    let mut out = Vec::new();
    for (name, block) in last_members(node.as_object()?) {
        let entries = block.as_object()?;
        let Some(operator) = ConditionOperator::parse(name) else {
            // An unknown operator passes only with an empty block (moto/LocalStack, matched
            // against AWS); it then has no effect.
            if entries.is_empty() {
                continue;
            }
            return None;
        };
        let entries = last_members(entries)
            .map(|(key, values)| Some((key.as_ref(), condition_values(values)?)))
            .collect::<Option<Vec<_>>>()?;
        out.push(RawCondition { operator, entries });
    }
    Some(out)
}

fn check_forbidden_elements(doc: &RawDocument<'_>, kind: PolicyKind) -> Result<(), PolicyError> {
    for statement in &doc.statements {
        match kind {
            PolicyKind::Identity | PolicyKind::Managed if statement.principal.is_some() => {
                return Err(PolicyError::PrincipalNotAllowed);
            }
            PolicyKind::Trust => match statement.resources {
                Some((false, _)) => return Err(PolicyError::ProhibitedField("Resource")),
                Some((true, _)) => return Err(PolicyError::ProhibitedField("NotResource")),
                None => {}
            },
            _ => {}
        }
    }
    Ok(())
}

/// AWS's "legacy parsing" pass. Fails outright on a lower-case `Effect`, an unreadable date
/// or a malformed ARN shape; returns the last resource-format problem, which AWS reports
/// later in its order.
fn legacy_parse(doc: &RawDocument<'_>) -> Result<Option<PolicyError>, PolicyError> {
    for statement in &doc.statements {
        if statement.effect != "Allow" && statement.effect != "Deny" {
            return Err(PolicyError::LegacyParsing);
        }
        for condition in &statement.conditions {
            if condition.operator.operator.is_date()
                && condition
                    .entries
                    .iter()
                    .flat_map(|(_, values)| values)
                    .any(|v| parse_date(v).is_none())
            {
                return Err(PolicyError::LegacyParsing);
            }
        }
    }
    let mut resource_error: Option<PolicyError> = None;
    for negated in [false, true] {
        for statement in &doc.statements {
            let Some((n, resources)) = &statement.resources else {
                continue;
            };
            if *n != negated {
                continue;
            }
            let mut ordered = resources.clone();
            if ordered.len() > 1 {
                ordered.sort_unstable_by(|a, b| b.cmp(a));
            }
            for resource in &ordered {
                if let Some(error) = resource_format_error(resource) {
                    resource_error = Some(error);
                }
            }
            if resource_error.is_none() && !resources.iter().all(|r| legacy_resource_ok(r)) {
                return Err(PolicyError::LegacyParsing);
            }
        }
    }
    Ok(resource_error)
}

/// The legacy parser's ARN shape rule: enough colons when `::` appears, and a service part.
fn legacy_resource_ok(resource: &str) -> bool {
    resource == "*"
        || ((resource.matches(':').count() >= 5 || !resource.contains("::"))
            && resource.split(':').nth(2).is_some_and(|s| !s.is_empty()))
}

/// Rebuilds `arn:{partition}:…` with `*` for missing parts, the way AWS quotes a resource
/// in its partition error (recorded: `arn:bsdfdsafsad` → `arn:bsdfdsafsad:*:*:*:*`,
/// `arn:s3:::example_bucket` → `arn:s3:::example_bucket:*`).
fn partition_error_resource(partition: &str, rest: &str) -> String {
    let parts: Vec<&str> = rest.split(':').collect();
    let first = if !parts[0].is_empty() || parts.len() > 1 {
        parts[0]
    } else {
        "*"
    };
    let second = parts.get(1).copied().unwrap_or("*");
    let third = parts.get(2).copied().unwrap_or("*");
    let tail = if parts.len() > 3 {
        parts[3..].join(":")
    } else {
        "*".to_string()
    };
    format!("arn:{partition}:{first}:{second}:{third}:{tail}")
}

/// The resource-format checks, in AWS's order.
fn resource_format_error(resource: &str) -> Option<PolicyError> {
    if resource == "*" {
        return None;
    }
    let Some(("arn", after_prefix)) = resource.split_once(':') else {
        return Some(PolicyError::ResourceNotArn(resource.to_string()));
    };
    let (partition, rest) = match after_prefix.split_once(':') {
        Some((p, r)) => (p, Some(r)),
        None => (after_prefix, None),
    };
    if partition != "*" && !is_partition(partition) {
        return Some(PolicyError::InvalidPartition {
            partition: partition.to_string(),
            resource: partition_error_resource(partition, rest.unwrap_or("")),
        });
    }
    let Some(rest) = rest else {
        return Some(PolicyError::ResourceVendorNotQualified);
    };
    let (service, after_service) = rest.split_once(':').unwrap_or((rest, ""));
    // Region-less services: "IAM resource … cannot contain region information." and
    // "Resource … can not contain region information." (S3 access points excepted).
    let after_region = after_service.split_once(':').map_or("", |(_, r)| r);
    let path = after_region.split_once(':').map_or("", |(_, r)| r);
    if !after_service.starts_with(':') {
        match service {
            "iam" => return Some(PolicyError::IamResourceRegion(resource.to_string())),
            "s3" if !path.starts_with("accesspoint/") => {
                return Some(PolicyError::S3ResourceRegion(resource.to_string()));
            }
            _ => {}
        }
    }
    if service == "iam"
        && path != "*"
        && path != "root"
        && !IAM_RESOURCE_PREFIXES.iter().any(|p| path.starts_with(p))
    {
        return Some(PolicyError::IamResourcePath);
    }
    None
}

fn check_sids(doc: &RawDocument<'_>, kind: PolicyKind) -> Result<(), PolicyError> {
    if matches!(kind, PolicyKind::Identity | PolicyKind::Managed)
        && doc
            .statements
            .iter()
            .filter_map(|s| s.sid)
            .any(|sid| !sid.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err(PolicyError::SidNotAlphanumeric);
    }
    let mut seen: Vec<&str> = Vec::new();
    for sid in doc.statements.iter().filter_map(|s| s.sid) {
        if sid.is_empty() {
            continue;
        }
        if seen.contains(&sid) {
            return Err(PolicyError::DuplicateSid);
        }
        seen.push(sid);
    }
    Ok(())
}

/// Vendor prefix and colon rules for one action string.
fn check_action(action: &str) -> Result<(), PolicyError> {
    let mut parts = action.split(':');
    let vendor = parts.next().unwrap_or_default();
    let colons = action.matches(':').count();
    if colons == 0 && action != "*" {
        return Err(PolicyError::ActionWithoutVendor);
    }
    if colons > 1 {
        return Err(PolicyError::ActionTooManyColons);
    }
    if vendor != "*"
        && !vendor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(PolicyError::InvalidVendor(vendor.to_string()));
    }
    Ok(())
}

/// Whether a trust-policy action pattern names only `sts:AssumeRole*`-family actions: `*`,
/// or a pattern in the `sts` service that matches at least one of them.
fn is_trust_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let pattern = ActionPattern::new(action);
    pattern.exact_service() == Some("sts")
        && TRUST_ACTIONS.iter().any(|a| pattern.matches("sts", a))
}

fn compile_principal(node: &Node, negated: bool) -> Result<PrincipalSpec, PolicyError> {
    if node.as_str() == Some("*") {
        return Ok(PrincipalSpec::everyone(negated));
    }
    let mut spec = PrincipalSpec::new(negated);
    for (kind, values) in node.as_object().unwrap_or_default() {
        let kind = PRINCIPAL_TYPES
            .iter()
            .copied()
            .find(|t| *t == kind)
            .ok_or(PolicyError::SyntaxErrors)?;
        for value in string_list(values).unwrap_or_default() {
            if kind == "Federated" && !super::principal::valid_federated(value) {
                return Err(PolicyError::InvalidFederatedPrincipal);
            }
            spec.add(kind, value)
                .map_err(|e| PolicyError::InvalidPrincipal {
                    kind: e.kind,
                    value: e.value,
                })?;
        }
    }
    Ok(spec)
}

fn push_key(keys: &mut Vec<KeyRef>, spelled: &str) {
    let key = KeyRef::new(spelled);
    if !keys.iter().any(|k| k.normalized == key.normalized) {
        keys.push(key);
    }
}

fn compile(doc: &RawDocument<'_>, kind: PolicyKind) -> Result<Policy, PolicyError> {
    let version = if doc.version == Some("2012-10-17") {
        PolicyVersion::V2012
    } else {
        PolicyVersion::V2008
    };
    let variables = version == PolicyVersion::V2012;
    let mut statements = Vec::with_capacity(doc.statements.len());
    for raw in &doc.statements {
        let principal = match (kind, raw.principal) {
            (PolicyKind::Trust | PolicyKind::Resource, None) => {
                return Err(PolicyError::MissingPrincipal);
            }
            (_, Some((negated, node))) => Some(compile_principal(node, negated)?),
            (_, None) => None,
        };
        let (negated, actions) = raw.actions.clone().unwrap_or_default();
        let actions = ActionSpec {
            negated,
            patterns: actions.iter().map(|a| ActionPattern::new(a)).collect(),
        };
        let resources = raw
            .resources
            .as_ref()
            .map(|(negated, entries)| ResourceSpec {
                negated: *negated,
                entries: entries
                    .iter()
                    .map(|r| match variables.then(|| Template::parse(r)).flatten() {
                        Some(t) => ResourceEntry::Template(t),
                        None => ResourceEntry::Plain(ArnPattern::new(r)),
                    })
                    .collect(),
            });
        let mut conditions = Vec::new();
        let mut condition_keys = Vec::new();
        for raw_condition in &raw.conditions {
            for (key, values) in &raw_condition.entries {
                let condition = Condition::compile(raw_condition.operator, key, values, variables);
                push_key(&mut condition_keys, condition.key());
                for variable in condition.variable_keys() {
                    push_key(&mut condition_keys, variable);
                }
                conditions.push(condition);
            }
        }
        statements.push(Statement {
            sid: raw.sid.map(Into::into),
            effect: if raw.effect == "Deny" {
                Effect::Deny
            } else {
                Effect::Allow
            },
            principal,
            actions,
            resources,
            conditions,
            condition_keys,
            start: raw.node.start,
            end: raw.node.end,
        });
    }
    let index = ActionIndex::build(&statements);
    let context_keys = context_keys_of(&statements);
    Ok(Policy {
        kind,
        version,
        id: doc.id.map(str::to_string),
        statements,
        index,
        context_keys,
    })
}
