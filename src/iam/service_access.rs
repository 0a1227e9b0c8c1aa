//! ListPoliciesGrantingServiceAccess: for each service namespace asked about, the permissions
//! policies of a user, group or role that grant some action of that service.

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{authorize, Call};

use super::pagination::Page;
use super::service_grants::{
    grants_service, identity_policies, parse_target, OwnedPolicy, Target, TargetArnError,
};

/// Namespaces per page. The operation has no MaxItems; AWS does not document its page size, so
/// this is IAM's usual default.
const NAMESPACES_PER_PAGE: i32 = super::pagination::DEFAULT_MAX_ITEMS;

pub async fn list_policies_granting_service_access(
    app: &App,
    call: &Call,
    input: ListPoliciesGrantingServiceAccessRequest,
) -> Result<ListPoliciesGrantingServiceAccessResponse, ApiError> {
    // As recorded from AWS for ARN parameters: a string that is no IAM ARN is a
    // ValidationError, an IAM ARN of the wrong kind an InvalidInput, in the same words.
    let identity = match parse_target(&input.arn) {
        Ok(Target::Identity(identity)) => identity,
        Ok(Target::Policy { .. }) => {
            return Err(errors::invalid_input(
                TargetArnError::WrongKind(input.arn.clone()).to_string(),
            ))
        }
        Err(e @ TargetArnError::WrongKind(_)) => return Err(errors::invalid_input(e.to_string())),
        Err(e @ TargetArnError::Malformed(_)) => return Err(ApiError::validation(e.to_string())),
    };
    // AWS: Service Authorization Reference: the resource is the user, group or role.
    authorize(app, call, &input.arn).await?;
    let page = Page::new(input.marker.as_deref(), Some(NAMESPACES_PER_PAGE))?;
    let (_, owned) = {
        let mut c = app.store.read().await?;
        identity_policies(app, &mut c, call.account_id(), &identity).await?
    };
    // Every namespace asked about gets an entry, in request order; the marker is a position.
    let mut entries: Vec<(String, ListPoliciesGrantingServiceAccessEntry)> = input
        .service_namespaces
        .iter()
        .enumerate()
        .map(|(i, namespace)| (format!("{i:04}"), entry(namespace, &owned)))
        .filter(|(k, _)| page.after.as_deref().is_none_or(|m| k.as_str() > m))
        .collect();
    let (truncated, marker) = page.finish(&mut entries, |(k, _)| k);
    Ok(ListPoliciesGrantingServiceAccessResponse {
        policies_granting_service_access: entries.into_iter().map(|(_, e)| e).collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

/// The policies among `owned` that grant `namespace`. A managed policy attached both to a user
/// and to one of its groups is one policy: listed once.
fn entry(namespace: &str, owned: &[OwnedPolicy]) -> ListPoliciesGrantingServiceAccessEntry {
    let mut policies: Vec<PolicyGrantingServiceAccess> = Vec::new();
    for o in owned
        .iter()
        .filter(|o| grants_service(&o.policy.policy, namespace))
    {
        let inline = o.is_inline();
        let arn = (!inline).then(|| o.policy.id.to_string());
        if arn.is_some() && policies.iter().any(|p| p.policy_arn == arn) {
            continue;
        }
        // AWS: API reference, PolicyGrantingServiceAccess: EntityType and EntityName name the
        // entity an inline policy is attached to and are null for managed policies.
        policies.push(PolicyGrantingServiceAccess {
            policy_name: o.name().to_string(),
            policy_type: if inline { "INLINE" } else { "MANAGED" }.to_string(),
            policy_arn: arn,
            entity_type: inline.then(|| o.entity_type.to_string()),
            entity_name: inline.then(|| o.entity_name.clone()),
        });
    }
    ListPoliciesGrantingServiceAccessEntry {
        service_namespace: Some(namespace.to_string()),
        policies: Some(policies),
    }
}
