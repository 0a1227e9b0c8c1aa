//! Service last accessed: GenerateServiceLastAccessedDetails,
//! GetServiceLastAccessedDetails and GetServiceLastAccessedDetailsWithEntities.
//!
//! The server notes every call a user or role makes (`App::record_service_use`, flushed in
//! batches). Generating a report runs the job at once and stores its result as a snapshot:
//! the services the entity's permissions policies allow, each with the latest attempt by the
//! entities the report covers (a user, a role, a group's members, or the users and roles a
//! managed policy is attached to, directly or through a group).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::gather::compiled;
use crate::authz::{authorize, Call};
use crate::policy::{Policy, PolicyKind, PolicyType};
use crate::store::service_last_accessed::{self as records, AccessRow, JobRow};
use crate::store::{self, account, groups, roles, users, Conn};

use super::service_grants::{granted_services, identity_policies, parse_target, Identity, Target};

use super::pagination::Page;
use super::policies::{default_document, not_found, ManagedPolicy};

/// AWS: IAM User Guide, "IAM action last accessed information services and actions": action
/// level information exists for Amazon EC2, IAM, Lambda and Amazon S3 ...
const ACTION_LEVEL_SERVICES: &[&str] = &["ec2", "iam", "lambda", "s3"];

/// ... and covers their management actions ("creation, deletion, and modification actions"),
/// not reads.
fn is_tracked_action(service: &str, action: &str) -> bool {
    ACTION_LEVEL_SERVICES.contains(&service)
        && !["Get", "List", "Describe", "Simulate", "Generate"]
            .iter()
            .any(|read| action.starts_with(read))
}

/// The stored result of a job.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Report {
    services: Vec<ServiceReport>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ServiceReport {
    namespace: String,
    name: String,
    last: Option<Attempt>,
    total: i32,
    /// ACTION_LEVEL jobs on the services tracked by action.
    actions: Option<Vec<(String, Attempt)>>,
    entities: Vec<EntityReport>,
}

/// The latest attempt: when, by whom (ARN), from which region.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Attempt {
    when: i64,
    entity: String,
    region: String,
}

impl Attempt {
    fn later(a: Option<Attempt>, b: Attempt) -> Option<Attempt> {
        match a {
            Some(a) if a.when >= b.when => Some(a),
            _ => Some(b),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EntityReport {
    arn: String,
    name: String,
    kind: String,
    id: String,
    path: String,
    last: Option<i64>,
}

/// A user or role whose attempts a report covers.
struct Entity {
    arn: String,
    name: String,
    kind: &'static str,
    id: String,
    path: String,
}

impl Entity {
    fn user(u: users::UserRow) -> Entity {
        Entity {
            arn: u.arn(),
            name: u.name,
            kind: "USER",
            id: u.user_id,
            path: u.path,
        }
    }

    fn role(r: roles::RoleRow) -> Entity {
        Entity {
            arn: r.arn(),
            name: r.name,
            kind: "ROLE",
            id: r.role_id,
            path: r.path,
        }
    }
}

/// Not recorded from AWS (its API reference lists only InvalidInput for a bad JobId).
fn no_such_job(job_id: &str) -> ApiError {
    errors::invalid_input(format!("Job with id {job_id} not found."))
}

/// The permissions policies and covered entities of the report's target; NoSuchEntity as the
/// target's own Get call words it.
async fn target(
    app: &App,
    c: &mut Conn,
    account_id: &str,
    arn: &str,
) -> Result<(Vec<std::sync::Arc<Policy>>, Vec<Entity>), ApiError> {
    let target = parse_target(arn).map_err(|e| errors::invalid_input(e.to_string()))?;
    let owner = match target {
        Target::Identity(identity) => {
            let (found, owned) = identity_policies(app, c, account_id, &identity).await?;
            let entities = match found {
                Identity::User(u) => vec![Entity::user(u)],
                Identity::Role(r) => vec![Entity::role(r)],
                Identity::Group(g) => {
                    let mut members = Vec::new();
                    for id in groups::member_ids(c, &g.group_id).await? {
                        if let Some(u) = users::get_by_id(c, &id).await? {
                            members.push(Entity::user(u));
                        }
                    }
                    members
                }
            };
            return Ok((
                owned.into_iter().map(|o| o.policy.policy).collect(),
                entities,
            ));
        }
        Target::Policy { account } => account,
    };
    // A managed policy: looked up on this transaction's connection (an in-memory store has
    // only one).
    let policy = if owner == "aws" {
        app.aws_policies.find(arn).map(ManagedPolicy::Aws)
    } else if owner != account_id {
        None
    } else {
        store::policies::get_by_arn(c, arn)
            .await?
            .map(ManagedPolicy::Local)
    }
    .ok_or_else(|| not_found(arn))?;
    let document = default_document(c, &policy)
        .await?
        .ok_or_else(|| not_found(arn))?;
    let policy = compiled(
        app,
        arn.to_string(),
        PolicyType::Managed,
        &document,
        PolicyKind::Managed,
    )?;
    Ok((
        vec![policy.policy],
        policy_entities(c, account_id, arn).await?,
    ))
}

/// The users and roles a managed policy is attached to, directly or through a group, once each.
async fn policy_entities(
    c: &mut Conn,
    account_id: &str,
    arn: &str,
) -> Result<Vec<Entity>, ApiError> {
    let mut out: Vec<Entity> = Vec::new();
    let mut user_ids = Vec::new();
    for e in account::entities_for_policy(c, account_id, arn, true, false).await? {
        match e.kind {
            account::EntityKind::User => user_ids.push(e.id),
            account::EntityKind::Group => user_ids.extend(groups::member_ids(c, &e.id).await?),
            account::EntityKind::Role => {
                if let Some(r) = roles::get_by_id(c, &e.id).await? {
                    out.push(Entity::role(r));
                }
            }
        }
    }
    user_ids.sort_unstable();
    user_ids.dedup();
    for id in user_ids {
        if let Some(u) = users::get_by_id(c, &id).await? {
            out.push(Entity::user(u));
        }
    }
    Ok(out)
}

/// Builds the report: one entry per service (from the table) the policies allow.
fn build_report(
    policies: &[std::sync::Arc<Policy>],
    entities: &[Entity],
    accesses: &HashMap<String, Vec<AccessRow>>,
    action_level: bool,
) -> Report {
    let mut services = Vec::new();
    for (namespace, name) in granted_services(policies) {
        let mut last: Option<Attempt> = None;
        let mut total = 0;
        let mut actions: HashMap<&str, Attempt> = HashMap::new();
        let mut entity_reports = Vec::with_capacity(entities.len());
        for e in entities {
            let mut entity_last: Option<Attempt> = None;
            for row in accesses.get(&e.id).into_iter().flatten() {
                if row.service != *namespace {
                    continue;
                }
                let attempt = Attempt {
                    when: row.last_accessed,
                    entity: e.arn.clone(),
                    region: row.region.clone(),
                };
                let lowered = row.action.to_ascii_lowercase();
                if action_level
                    && is_tracked_action(namespace, &row.action)
                    && policies
                        .iter()
                        .any(|p| p.allows_action(namespace, &lowered))
                {
                    let slot = actions.remove(row.action.as_str());
                    if let Some(a) = Attempt::later(slot, attempt.clone()) {
                        actions.insert(&row.action, a);
                    }
                }
                entity_last = Attempt::later(entity_last, attempt);
            }
            if let Some(a) = &entity_last {
                total += 1;
                last = Attempt::later(last, a.clone());
            }
            entity_reports.push(EntityReport {
                arn: e.arn.clone(),
                name: e.name.clone(),
                kind: e.kind.to_string(),
                id: e.id.clone(),
                path: e.path.clone(),
                last: entity_last.map(|a| a.when),
            });
        }
        // AWS: API reference, GetServiceLastAccessedDetailsWithEntities: "sorted by date, with
        // the most recent access listed first".
        entity_reports.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.name.cmp(&b.name)));
        let actions = (action_level && ACTION_LEVEL_SERVICES.contains(namespace)).then(|| {
            let mut list: Vec<(String, Attempt)> = actions
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            list.sort_by(|a, b| a.0.cmp(&b.0));
            list
        });
        services.push(ServiceReport {
            namespace: namespace.to_string(),
            name: name.to_string(),
            last,
            total,
            actions,
            entities: entity_reports,
        });
    }
    Report { services }
}

pub async fn generate_service_last_accessed_details(
    app: &App,
    call: &Call,
    input: GenerateServiceLastAccessedDetailsRequest,
) -> Result<GenerateServiceLastAccessedDetailsResponse, ApiError> {
    parse_target(&input.arn).map_err(|e| errors::invalid_input(e.to_string()))?;
    // AWS: Service Authorization Reference: the resource is the user, group, role or policy.
    authorize(app, call, &input.arn).await?;
    // Attempts are buffered; write them out so the report sees them.
    app.flush_last_used().await?;
    let account_id = call.account_id();
    let job_type = input
        .granularity
        .unwrap_or_else(|| "SERVICE_LEVEL".to_string());
    let mut tx = app.store.write().await?;
    let (policies, entities) = target(app, &mut tx, account_id, &input.arn).await?;
    let mut accesses = HashMap::new();
    for e in &entities {
        accesses.insert(e.id.clone(), records::for_entity(&mut tx, &e.id).await?);
    }
    let report = build_report(&policies, &entities, &accesses, job_type == "ACTION_LEVEL");
    let report = serde_json::to_string(&report)
        .map_err(|e| ApiError::internal(format!("The report could not be stored: {e}")))?;
    let now = store::to_epoch(call.now);
    let job = JobRow {
        job_id: uuid::Uuid::new_v4().to_string(),
        account_id: account_id.to_string(),
        requester: call.principal.arn(),
        job_type,
        created: now,
        completed: now,
        report,
    };
    records::insert_job(&mut tx, &job).await?;
    tx.commit().await?;
    Ok(GenerateServiceLastAccessedDetailsResponse {
        job_id: Some(job.job_id),
    })
}

/// The job and its report, for the principal that generated it only (AWS: API reference,
/// GenerateServiceLastAccessedDetails: the JobId "must be used by the same role within a
/// session, or by the same user").
async fn job(app: &App, call: &Call, job_id: &str) -> Result<(JobRow, Report), ApiError> {
    let row = {
        let mut c = app.store.read().await?;
        records::get_job(&mut c, job_id).await?
    }
    .filter(|j| j.account_id == call.account_id() && j.requester == call.principal.arn())
    .ok_or_else(|| no_such_job(job_id))?;
    let report: Report = serde_json::from_str(&row.report)
        .map_err(|e| ApiError::internal(format!("The stored report could not be read: {e}")))?;
    Ok((row, report))
}

pub async fn get_service_last_accessed_details(
    app: &App,
    call: &Call,
    input: GetServiceLastAccessedDetailsRequest,
) -> Result<GetServiceLastAccessedDetailsResponse, ApiError> {
    // The Service Authorization Reference lists no resource type for this action.
    authorize(app, call, "*").await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let (job, report) = job(app, call, &input.job_id).await?;
    // AWS: API reference: "By default, the list is sorted by service namespace."
    let mut services: Vec<ServiceReport> = report
        .services
        .into_iter()
        .filter(|s| {
            page.after
                .as_deref()
                .is_none_or(|m| s.namespace.as_str() > m)
        })
        .collect();
    let (truncated, marker) = page.finish(&mut services, |s| &s.namespace);
    Ok(GetServiceLastAccessedDetailsResponse {
        job_status: "COMPLETED".into(),
        job_type: Some(job.job_type),
        job_creation_date: store::from_epoch(job.created),
        job_completion_date: store::from_epoch(job.completed),
        services_last_accessed: services.into_iter().map(service_out).collect(),
        is_truncated: Some(truncated),
        marker,
        error: None,
    })
}

fn service_out(s: ServiceReport) -> ServiceLastAccessed {
    ServiceLastAccessed {
        service_name: s.name,
        last_authenticated: s.last.as_ref().map(|a| store::from_epoch(a.when)),
        service_namespace: s.namespace,
        last_authenticated_entity: s.last.as_ref().map(|a| a.entity.clone()),
        last_authenticated_region: s.last.as_ref().map(|a| a.region.clone()),
        total_authenticated_entities: Some(s.total),
        // AWS: API reference, ServiceLastAccessed: null when no tracked action was used.
        tracked_actions_last_accessed: s.actions.filter(|a| !a.is_empty()).map(|actions| {
            actions
                .into_iter()
                .map(|(name, a)| TrackedActionLastAccessed {
                    action_name: Some(name),
                    last_accessed_entity: Some(a.entity),
                    last_accessed_time: Some(store::from_epoch(a.when)),
                    last_accessed_region: Some(a.region),
                })
                .collect()
        }),
    }
}

pub async fn get_service_last_accessed_details_with_entities(
    app: &App,
    call: &Call,
    input: GetServiceLastAccessedDetailsWithEntitiesRequest,
) -> Result<GetServiceLastAccessedDetailsWithEntitiesResponse, ApiError> {
    // The Service Authorization Reference lists no resource type for this action.
    authorize(app, call, "*").await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let (job, report) = job(app, call, &input.job_id).await?;
    let entities = report
        .services
        .into_iter()
        .find(|s| s.namespace == input.service_namespace)
        .map(|s| s.entities)
        .unwrap_or_default();
    // Entities are in report order (latest first); the marker is a position.
    let mut rows: Vec<(String, EntityReport)> = entities
        .into_iter()
        .enumerate()
        .map(|(i, e)| (format!("{i:06}"), e))
        .filter(|(k, _)| page.after.as_deref().is_none_or(|m| k.as_str() > m))
        .collect();
    let (truncated, marker) = page.finish(&mut rows, |(k, _)| k);
    Ok(GetServiceLastAccessedDetailsWithEntitiesResponse {
        job_status: "COMPLETED".into(),
        job_creation_date: store::from_epoch(job.created),
        job_completion_date: store::from_epoch(job.completed),
        entity_details_list: rows
            .into_iter()
            .map(|(_, e)| EntityDetails {
                entity_info: EntityInfo {
                    arn: e.arn,
                    name: e.name,
                    r#type: e.kind,
                    id: e.id,
                    path: Some(e.path),
                },
                last_authenticated: e.last.map(store::from_epoch),
            })
            .collect(),
        is_truncated: Some(truncated),
        marker,
        error: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_management_actions_only() {
        assert!(is_tracked_action("iam", "CreateUser"));
        assert!(is_tracked_action("iam", "TagRole"));
        assert!(!is_tracked_action("iam", "ListUsers"));
        assert!(!is_tracked_action("sts", "AssumeRole"));
    }
}
