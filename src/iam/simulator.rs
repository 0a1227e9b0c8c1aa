//! The policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy and the two
//! GetContextKeysFor… operations, answered by the same engine that enforces every call.

use std::sync::Arc;

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::gather::{boundary_policy, owner_policies, Compiled};
use crate::authz::policy_ref;
use crate::authz::{authorize, Call};
use crate::policy::{
    self, ContextValue, Decision, MatchedStatement, Policy, PolicyKind, PolicySet, PolicyType,
    PrincipalKind, RequestContext,
};
use crate::store;

use super::pagination::Page;

/// A policy taking part in a simulation, with the `SourcePolicyType` AWS reports for it.
struct Source {
    compiled: Compiled,
    /// `user`, `group`, `role`, `aws-managed`, `user-managed`, `resource` or `none`.
    kind: &'static str,
}

/// What a simulation evaluates: the entity's (or the caller's custom) policies.
#[derive(Default)]
struct Subject {
    identity: Vec<Source>,
    boundary: Option<Source>,
    principal_arn: String,
    principal_kind: Option<PrincipalKind>,
}

fn managed_kind(t: PolicyType) -> &'static str {
    match t {
        PolicyType::AwsManaged => "aws-managed",
        _ => "user-managed",
    }
}

fn tag_sources(list: Vec<Compiled>, inline_kind: &'static str) -> Vec<Source> {
    list.into_iter()
        .map(|c| Source {
            kind: match c.policy_type {
                PolicyType::Inline => inline_kind,
                t => managed_kind(t),
            },
            compiled: c,
        })
        .collect()
}

/// Parses simulator input documents (`PolicyInputList.N` and the like).
fn inputs(
    app: &App,
    list: &[String],
    prefix: &str,
    kind: PolicyKind,
) -> Result<Vec<Source>, ApiError> {
    list.iter()
        .enumerate()
        .map(|(i, doc)| {
            let policy = app
                .compiled_policy(doc, kind)
                .map_err(|e| errors::invalid_input(e.to_string()))?;
            Ok(Source {
                compiled: Compiled {
                    id: format!("{prefix}.{}", i + 1).into(),
                    policy_type: PolicyType::Custom,
                    policy,
                },
                kind: "none",
            })
        })
        .collect()
}

/// `arn:aws:iam::ACCOUNT:TYPE/PATH/NAME` → (account, type, name).
fn parse_entity_arn(arn: &str) -> Result<(&str, &str, &str), ApiError> {
    let invalid = || errors::invalid_input(format!("Invalid ARN: {arn}"));
    let rest = arn.strip_prefix("arn:aws:iam::").ok_or_else(invalid)?;
    let (account, resource) = rest.split_once(':').ok_or_else(invalid)?;
    let (kind, path_and_name) = resource.split_once('/').ok_or_else(invalid)?;
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    if name.is_empty() || !matches!(kind, "user" | "group" | "role") {
        return Err(invalid());
    }
    Ok((account, kind, name))
}

/// The policies of the user, group or role `arn` names.
async fn entity_subject(app: &App, arn: &str) -> Result<Subject, ApiError> {
    let (account, kind, name) = parse_entity_arn(arn)?;
    let mut c = app.store.read().await?;
    let mut subject = Subject {
        principal_arn: arn.to_string(),
        ..Subject::default()
    };
    let boundary = match kind {
        "user" => {
            let u = store::users::get(&mut c, account, name)
                .await?
                .ok_or_else(|| super::users::no_such_user(name))?;
            subject.identity = tag_sources(
                owner_policies(app, &mut c, &u.user_id, account).await?,
                "user",
            );
            for g in store::groups::for_user(&mut c, &u.user_id).await? {
                subject.identity.extend(tag_sources(
                    owner_policies(app, &mut c, &g.group_id, account).await?,
                    "group",
                ));
            }
            subject.principal_kind = Some(PrincipalKind::User);
            u.permissions_boundary
        }
        "group" => {
            let g = store::groups::get(&mut c, account, name)
                .await?
                .ok_or_else(|| super::groups::no_such_group(name))?;
            subject.identity = tag_sources(
                owner_policies(app, &mut c, &g.group_id, account).await?,
                "group",
            );
            subject.principal_kind = Some(PrincipalKind::User);
            None
        }
        _ => {
            let r = store::roles::get(&mut c, account, name)
                .await?
                .ok_or_else(|| super::roles::no_such_role(name))?;
            subject.identity = tag_sources(
                owner_policies(app, &mut c, &r.role_id, account).await?,
                "role",
            );
            subject.principal_kind = Some(PrincipalKind::AssumedRole { role_arn: r.arn() });
            r.permissions_boundary
        }
    };
    if let Some(b) = boundary {
        subject.boundary = boundary_policy(app, &mut c, account, b)
            .await?
            .map(|compiled| Source {
                kind: managed_kind(compiled.policy_type),
                compiled,
            });
    }
    Ok(subject)
}

/// A `ContextEntries.N` value set into the request context (list types as lists).
fn context_of(entries: &[ContextEntry]) -> RequestContext {
    let mut ctx = RequestContext::new();
    for e in entries {
        let (Some(key), Some(values)) = (&e.context_key_name, &e.context_key_values) else {
            continue;
        };
        let list = e
            .context_key_type
            .as_deref()
            .is_some_and(|t| t.ends_with("List"));
        match (list, values.as_slice()) {
            (false, [one]) => {
                ctx.set(key, one.clone());
            }
            _ => {
                ctx.insert(key, ContextValue::List(values.clone()));
            }
        }
    }
    ctx
}

fn position(p: policy::Position) -> Position {
    Position {
        line: i32::try_from(p.line).ok(),
        column: i32::try_from(p.column).ok(),
    }
}

/// Everything one simulation call shares across its actions and resources.
struct Simulation<'a> {
    subject: &'a Subject,
    resource_policy: Option<Source>,
    resource_owner: Option<String>,
    caller_arn: Option<String>,
    context: RequestContext,
    account_id: &'a str,
}

impl<'a> Simulation<'a> {
    fn source_kind(&self, m: &MatchedStatement) -> &'static str {
        self.subject
            .identity
            .iter()
            .chain(self.subject.boundary.iter())
            .chain(self.resource_policy.iter())
            .find(|s| s.compiled.id == m.source_id)
            .map_or("none", |s| s.kind)
    }

    fn run(&'a self, action: &str, resource: &str) -> EvaluationResult {
        let as_ref = |s: &'a Source| policy_ref(&s.compiled);
        let set = PolicySet {
            identity: self.subject.identity.iter().map(as_ref).collect(),
            boundary: self.subject.boundary.as_ref().map(as_ref),
            session: None,
            resource: self.resource_policy.as_ref().map(as_ref),
            resource_account: self.resource_owner.as_deref(),
        };
        let arn = self
            .caller_arn
            .clone()
            .unwrap_or_else(|| self.subject.principal_arn.clone());
        let principal = policy::Principal {
            account: arn
                .split(':')
                .nth(4)
                .filter(|a| !a.is_empty())
                .unwrap_or(self.account_id)
                .to_string(),
            arn,
            kind: self
                .subject
                .principal_kind
                .clone()
                .unwrap_or(PrincipalKind::User),
        };
        let evaluation = policy::evaluate(
            &policy::Request {
                principal: &principal,
                action,
                resource,
                context: &self.context,
            },
            &set,
        );
        let statements: Vec<Statement> = evaluation
            .matched
            .iter()
            .map(|m| Statement {
                source_policy_id: Some(m.source_id.to_string()),
                source_policy_type: Some(self.source_kind(m).to_string()),
                start_position: Some(position(m.start)),
                end_position: Some(position(m.end)),
            })
            .collect();
        let boundary =
            evaluation
                .boundary_allowed
                .map(|allowed| PermissionsBoundaryDecisionDetail {
                    allowed_by_permissions_boundary: Some(allowed),
                });
        let decision = match evaluation.decision {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        };
        EvaluationResult {
            eval_action_name: action.to_string(),
            eval_resource_name: Some(resource.to_string()),
            eval_decision: decision.to_string(),
            matched_statements: Some(statements.clone()),
            missing_context_values: Some(evaluation.missing_context_keys.clone()),
            permissions_boundary_decision_detail: boundary.clone(),
            resource_specific_results: Some(vec![ResourceSpecificResult {
                eval_resource_name: resource.to_string(),
                eval_resource_decision: decision.to_string(),
                matched_statements: Some(statements),
                missing_context_values: Some(evaluation.missing_context_keys),
                permissions_boundary_decision_detail: boundary,
                ..ResourceSpecificResult::default()
            }]),
            ..EvaluationResult::default()
        }
    }

    /// One result per action and resource (`*` when none is given), paged.
    fn results(
        &self,
        actions: &[String],
        resources: Option<&[String]>,
        marker: Option<&str>,
        max_items: Option<i32>,
    ) -> Result<SimulatePolicyResponse, ApiError> {
        let page = Page::new(marker, max_items)?;
        let star = ["*".to_string()];
        let resources = resources.filter(|r| !r.is_empty()).unwrap_or(&star);
        let skip = match &page.after {
            Some(a) => a
                .parse::<usize>()
                .map_err(|_| ApiError::validation("Invalid Marker."))?,
            None => 0,
        };
        let mut rows: Vec<(String, EvaluationResult)> = actions
            .iter()
            .flat_map(|a| resources.iter().map(move |r| (a, r)))
            .enumerate()
            .skip(skip)
            .take(usize::try_from(page.fetch_limit()).unwrap_or(usize::MAX))
            .map(|(i, (a, r))| ((i + 1).to_string(), self.run(a, r)))
            .collect();
        let (truncated, marker) = page.finish(&mut rows, |(k, _)| k);
        Ok(SimulatePolicyResponse {
            evaluation_results: Some(rows.into_iter().map(|(_, r)| r).collect()),
            is_truncated: Some(truncated),
            marker,
        })
    }
}

fn resource_policy(app: &App, doc: Option<&str>) -> Result<Option<Source>, ApiError> {
    let Some(doc) = doc else { return Ok(None) };
    let policy: Arc<Policy> = app
        .compiled_policy(doc, PolicyKind::Resource)
        .map_err(|e| errors::invalid_input(e.to_string()))?;
    Ok(Some(Source {
        compiled: Compiled {
            id: "ResourcePolicy".into(),
            policy_type: PolicyType::ResourceBased,
            policy,
        },
        kind: "resource",
    }))
}

/// The entity's policies plus the extra `PolicyInputList` ones, after authorizing the call on
/// the entity.
async fn principal_subject(
    app: &App,
    call: &Call,
    arn: &str,
    extra: Option<&[String]>,
) -> Result<Subject, ApiError> {
    authorize(app, call, arn).await?;
    let mut subject = entity_subject(app, arn).await?;
    subject.identity.extend(inputs(
        app,
        extra.unwrap_or_default(),
        "PolicyInputList",
        PolicyKind::Identity,
    )?);
    Ok(subject)
}

pub async fn simulate_principal_policy(
    app: &App,
    call: &Call,
    input: SimulatePrincipalPolicyRequest,
) -> Result<SimulatePolicyResponse, ApiError> {
    let mut subject = principal_subject(
        app,
        call,
        &input.policy_source_arn,
        input.policy_input_list.as_deref(),
    )
    .await?;
    if let Some(b) = inputs(
        app,
        input
            .permissions_boundary_policy_input_list
            .as_deref()
            .unwrap_or_default(),
        "PermissionsBoundaryPolicyInputList",
        PolicyKind::Identity,
    )?
    .into_iter()
    .next()
    {
        subject.boundary = Some(b);
    }
    let sim = Simulation {
        subject: &subject,
        resource_policy: resource_policy(app, input.resource_policy.as_deref())?,
        resource_owner: input.resource_owner,
        caller_arn: input.caller_arn,
        context: context_of(input.context_entries.as_deref().unwrap_or_default()),
        account_id: call.account_id(),
    };
    sim.results(
        &input.action_names,
        input.resource_arns.as_deref(),
        input.marker.as_deref(),
        input.max_items,
    )
}

pub async fn simulate_custom_policy(
    app: &App,
    call: &Call,
    input: SimulateCustomPolicyRequest,
) -> Result<SimulatePolicyResponse, ApiError> {
    authorize(app, call, "*").await?;
    let subject = Subject {
        identity: inputs(
            app,
            &input.policy_input_list,
            "PolicyInputList",
            PolicyKind::Identity,
        )?,
        boundary: inputs(
            app,
            input
                .permissions_boundary_policy_input_list
                .as_deref()
                .unwrap_or_default(),
            "PermissionsBoundaryPolicyInputList",
            PolicyKind::Identity,
        )?
        .into_iter()
        .next(),
        principal_arn: call.principal.arn(),
        principal_kind: None,
    };
    let sim = Simulation {
        subject: &subject,
        resource_policy: resource_policy(app, input.resource_policy.as_deref())?,
        resource_owner: input.resource_owner,
        caller_arn: input.caller_arn,
        context: context_of(input.context_entries.as_deref().unwrap_or_default()),
        account_id: call.account_id(),
    };
    sim.results(
        &input.action_names,
        input.resource_arns.as_deref(),
        input.marker.as_deref(),
        input.max_items,
    )
}

/// The context keys of a set of policies, deduplicated ignoring case, in first-seen order.
fn context_keys<'a>(policies: impl Iterator<Item = &'a Policy>) -> GetContextKeysForPolicyResponse {
    let mut keys: Vec<String> = Vec::new();
    for p in policies {
        for k in p.context_keys() {
            if !keys.iter().any(|e| e.eq_ignore_ascii_case(k)) {
                keys.push(k.to_string());
            }
        }
    }
    GetContextKeysForPolicyResponse {
        context_key_names: Some(keys),
    }
}

pub async fn get_context_keys_for_custom_policy(
    app: &App,
    call: &Call,
    input: GetContextKeysForCustomPolicyRequest,
) -> Result<GetContextKeysForPolicyResponse, ApiError> {
    authorize(app, call, "*").await?;
    let sources = inputs(
        app,
        &input.policy_input_list,
        "PolicyInputList",
        PolicyKind::Identity,
    )?;
    Ok(context_keys(sources.iter().map(|s| &*s.compiled.policy)))
}

pub async fn get_context_keys_for_principal_policy(
    app: &App,
    call: &Call,
    input: GetContextKeysForPrincipalPolicyRequest,
) -> Result<GetContextKeysForPolicyResponse, ApiError> {
    let subject = principal_subject(
        app,
        call,
        &input.policy_source_arn,
        input.policy_input_list.as_deref(),
    )
    .await?;
    Ok(context_keys(
        subject
            .identity
            .iter()
            .chain(subject.boundary.iter())
            .map(|s| &*s.compiled.policy),
    ))
}
