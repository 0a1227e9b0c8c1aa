//! The account as a whole: its alias (Create/Delete/ListAccountAliases), GetAccountSummary,
//! ListEntitiesForPolicy and GetAccountAuthorizationDetails.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::api::iam::*;
use crate::api::{errors, ApiError, NoInput};
use crate::app::App;
use crate::authz::{authorize, Call};
use crate::store::account::{self, EntityKind};
use crate::store::groups::GroupRow;
use crate::store::policies::ManagedPolicyRow;
use crate::store::roles::RoleRow;
use crate::store::users::UserRow;
use crate::store::{self, groups, instance_profiles, policies, roles, tags, users};

use super::aws_managed::AwsManagedPolicy;
use super::instance_profiles::profile_with_roles;
use super::pagination::Page;
use super::policies::{find, not_found, usage_counts};
use super::policy_documents::{parse_policy_arn, url_encode};
use super::tagging;
use super::users::boundary_out;

// --- account alias ----------------------------------------------------------------------------

pub async fn create_account_alias(
    app: &App,
    call: &Call,
    input: CreateAccountAliasRequest,
) -> Result<(), ApiError> {
    authorize(app, call, "*").await?;
    let mut tx = app.store.write().await?;
    match account::alias_owner(&mut tx, &input.account_alias).await? {
        Some(owner) if owner == call.account_id() => return Ok(()),
        Some(_) => {
            // Aliases are unique across all accounts of the partition (IAM User Guide, "Your
            // AWS account ID and its alias").
            return Err(errors::entity_already_exists(format!(
                "The account alias {} already exists.",
                input.account_alias
            )));
        }
        None => {}
    }
    // An account has one alias; a new one replaces the old (IAM User Guide, same page).
    account::set_alias(&mut tx, call.account_id(), &input.account_alias).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_account_alias(
    app: &App,
    call: &Call,
    input: DeleteAccountAliasRequest,
) -> Result<(), ApiError> {
    authorize(app, call, "*").await?;
    let mut tx = app.store.write().await?;
    if !account::delete_alias(&mut tx, call.account_id(), &input.account_alias).await? {
        return Err(errors::no_such_entity(format!(
            "The account alias {} cannot be found.",
            input.account_alias
        )));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn list_account_aliases(
    app: &App,
    call: &Call,
    input: ListAccountAliasesRequest,
) -> Result<ListAccountAliasesResponse, ApiError> {
    authorize(app, call, "*").await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut aliases: Vec<String> = {
        let mut c = app.store.read().await?;
        account::alias(&mut c, call.account_id()).await?
    }
    .into_iter()
    .filter(|a| page.after.as_deref().is_none_or(|m| a.as_str() > m))
    .collect();
    let (truncated, marker) = page.finish(&mut aliases, |a| a);
    Ok(ListAccountAliasesResponse {
        account_aliases: aliases,
        is_truncated: Some(truncated),
        marker,
    })
}

// --- GetAccountSummary ------------------------------------------------------------------------

/// IAM's default quotas as GetAccountSummary reports them (IAM User Guide, "IAM and AWS STS
/// quotas"; API reference GetAccountSummary for the keys).
const QUOTAS: &[(&str, i32)] = &[
    ("AccessKeysPerUserQuota", 2),
    ("AssumeRolePolicySizeQuota", 2048),
    ("AttachedPoliciesPerGroupQuota", 10),
    ("AttachedPoliciesPerRoleQuota", 10),
    ("AttachedPoliciesPerUserQuota", 10),
    ("GroupPolicySizeQuota", 5120),
    ("GroupsPerUserQuota", 10),
    ("GroupsQuota", 300),
    ("InstanceProfilesQuota", 1000),
    ("PoliciesQuota", 1500),
    ("PolicySizeQuota", 6144),
    ("PolicyVersionsInUseQuota", 10000),
    ("RolePolicySizeQuota", 10240),
    ("RolesQuota", 1000),
    ("ServerCertificatesQuota", 20),
    ("SigningCertificatesPerUserQuota", 2),
    ("UserPolicySizeQuota", 2048),
    ("UsersQuota", 5000),
    ("VersionsPerPolicyQuota", 5),
];

pub async fn get_account_summary(
    app: &App,
    call: &Call,
    _input: NoInput,
) -> Result<GetAccountSummaryResponse, ApiError> {
    authorize(app, call, "*").await?;
    let (usage, token_version) = {
        let mut c = app.store.read().await?;
        (
            account::usage(&mut c, call.account_id()).await?,
            account::global_endpoint_token_version(&mut c, call.account_id()).await?,
        )
    };
    let count = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    let mut map: BTreeMap<String, i32> = QUOTAS.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    for (key, value) in [
        ("Users", count(usage.users)),
        ("Groups", count(usage.groups)),
        ("Roles", count(usage.roles)),
        ("InstanceProfiles", count(usage.instance_profiles)),
        ("Policies", count(usage.policies)),
        ("PolicyVersionsInUse", count(usage.policy_versions)),
        // Every root here can sign with its 12-digit account id as access key.
        ("AccountAccessKeysPresent", 1),
        ("MFADevices", count(usage.mfa_devices)),
        ("MFADevicesInUse", count(usage.mfa_devices_in_use)),
        ("Providers", count(usage.providers)),
        // Root cannot enroll an MFA device here: this stays 0.
        ("AccountMFAEnabled", 0),
        (
            "AccountSigningCertificatesPresent",
            i32::from(usage.root_signing_certificates > 0),
        ),
        ("ServerCertificates", count(usage.server_certificates)),
        // AWS: API reference, SetSecurityTokenServicePreferences: the version set there is
        // the GlobalEndpointTokenVersion entry of the summary (1 until set).
        (
            "GlobalEndpointTokenVersion",
            count(token_version.unwrap_or(1)),
        ),
    ] {
        map.insert(key.to_string(), value);
    }
    Ok(GetAccountSummaryResponse {
        summary_map: Some(map),
    })
}

// --- SetSecurityTokenServicePreferences ------------------------------------------------------

pub async fn set_security_token_service_preferences(
    app: &App,
    call: &Call,
    input: SetSecurityTokenServicePreferencesRequest,
) -> Result<(), ApiError> {
    // The Service Authorization Reference lists no resource type for this action.
    authorize(app, call, "*").await?;
    // The model's enum has already refused any other value.
    let version = match input.global_endpoint_token_version.as_str() {
        "v2Token" => 2,
        _ => 1,
    };
    let mut tx = app.store.write().await?;
    account::set_global_endpoint_token_version(&mut tx, call.account_id(), version).await?;
    tx.commit().await?;
    Ok(())
}

// --- ListEntitiesForPolicy --------------------------------------------------------------------

pub async fn list_entities_for_policy(
    app: &App,
    call: &Call,
    input: ListEntitiesForPolicyRequest,
) -> Result<ListEntitiesForPolicyResponse, ApiError> {
    parse_policy_arn(&input.policy_arn)?;
    authorize(app, call, &input.policy_arn).await?;
    if find(app, call.account_id(), &input.policy_arn)
        .await?
        .is_none()
    {
        return Err(not_found(&input.policy_arn));
    }
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let prefix = input.path_prefix.as_deref().unwrap_or("/");
    let kind = match input.entity_filter.as_deref() {
        None => None,
        Some("Group") => Some(EntityKind::Group),
        Some("User") => Some(EntityKind::User),
        Some("Role") => Some(EntityKind::Role),
        // A policy is used by identities only; the policy filters select nothing.
        Some(_) => {
            return Ok(ListEntitiesForPolicyResponse {
                policy_groups: Some(Vec::new()),
                policy_users: Some(Vec::new()),
                policy_roles: Some(Vec::new()),
                is_truncated: Some(false),
                marker: None,
            })
        }
    };
    // Without PolicyUsageFilter both uses are listed (API reference, ListEntitiesForPolicy).
    let usage = input.policy_usage_filter.as_deref();
    let attached = usage != Some("PermissionsBoundary");
    let boundary = usage != Some("PermissionsPolicy");
    let mut entities: Vec<(String, account::PolicyEntity)> = {
        let mut c = app.store.read().await?;
        account::entities_for_policy(
            &mut c,
            call.account_id(),
            &input.policy_arn,
            attached,
            boundary,
        )
        .await?
    }
    .into_iter()
    .filter(|e| kind.is_none_or(|k| e.kind == k) && e.path.starts_with(prefix))
    .map(|e| (format!("{}{}", e.kind as i64, e.name), e))
    .filter(|(key, _)| page.after.as_deref().is_none_or(|m| key.as_str() > m))
    .collect();
    let (truncated, marker) = page.finish(&mut entities, |(k, _)| k);
    let mut out = ListEntitiesForPolicyResponse {
        policy_groups: Some(Vec::new()),
        policy_users: Some(Vec::new()),
        policy_roles: Some(Vec::new()),
        is_truncated: Some(truncated),
        marker,
    };
    for (_, e) in entities {
        match e.kind {
            EntityKind::Group => out.policy_groups.get_or_insert_default().push(PolicyGroup {
                group_name: Some(e.name),
                group_id: Some(e.id),
            }),
            EntityKind::User => out.policy_users.get_or_insert_default().push(PolicyUser {
                user_name: Some(e.name),
                user_id: Some(e.id),
            }),
            EntityKind::Role => out.policy_roles.get_or_insert_default().push(PolicyRole {
                role_name: Some(e.name),
                role_id: Some(e.id),
            }),
        }
    }
    Ok(out)
}

// --- GetAccountAuthorizationDetails -----------------------------------------------------------

/// One entry of the combined listing; the marker is the sort key of the last one returned:
/// a section digit (users, groups, roles, AWS policies, local policies) and a name.
enum Entry {
    User(UserRow),
    Group(GroupRow),
    Role(RoleRow),
    Aws(Arc<AwsManagedPolicy>),
    Local(ManagedPolicyRow),
}

/// Where section `tag` starts given the marker: `None` if the marker is past it, else the name
/// to continue after.
fn section_start(after: Option<&str>, tag: &str) -> Option<Option<String>> {
    let Some(after) = after else {
        return Some(None);
    };
    let (section, name) = (after.get(..1).unwrap_or(""), after.get(1..).unwrap_or(""));
    match section.cmp(tag) {
        std::cmp::Ordering::Less => Some(None),
        std::cmp::Ordering::Equal => Some(Some(name.to_string())),
        std::cmp::Ordering::Greater => None,
    }
}

pub async fn get_account_authorization_details(
    app: &App,
    call: &Call,
    input: GetAccountAuthorizationDetailsRequest,
) -> Result<GetAccountAuthorizationDetailsResponse, ApiError> {
    authorize(app, call, "*").await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let filter = input.filter.unwrap_or_default();
    let wants = |kind: &str| filter.is_empty() || filter.iter().any(|f| f == kind);
    let account_id = call.account_id();
    let limit = page.fetch_limit();
    let after = page.after.as_deref();
    let mut c = app.store.read().await?;

    let mut entries: Vec<(String, Entry)> = Vec::new();
    if let (true, Some(start)) = (wants("User"), section_start(after, "0")) {
        for u in users::list(&mut c, account_id, "/", start.as_deref(), limit).await? {
            entries.push((format!("0{}", u.name), Entry::User(u)));
        }
    }
    if let (true, Some(start)) = (wants("Group"), section_start(after, "1")) {
        for g in groups::list(&mut c, account_id, "/", start.as_deref(), limit).await? {
            entries.push((format!("1{}", g.name), Entry::Group(g)));
        }
    }
    if let (true, Some(start)) = (wants("Role"), section_start(after, "2")) {
        for r in roles::list(&mut c, account_id, "/", start.as_deref(), limit).await? {
            entries.push((format!("2{}", r.name), Entry::Role(r)));
        }
    }
    if let (true, Some(start)) = (wants("AWSManagedPolicy"), section_start(after, "3")) {
        // AWS managed policies are listed only while something in the account uses them.
        for p in app.aws_policies.all() {
            let arn = p.arn();
            if start.as_deref().is_none_or(|s| p.name.as_str() > s)
                && usage_counts(&mut c, account_id, &arn).await? != (0, 0)
            {
                entries.push((format!("3{}", p.name), Entry::Aws(p.clone())));
            }
        }
    }
    if let (true, Some(start)) = (wants("LocalManagedPolicy"), section_start(after, "4")) {
        for p in policies::list(
            &mut c,
            account_id,
            "/",
            policies::UsageFilter::default(),
            start.as_deref(),
            limit,
        )
        .await?
        {
            entries.push((format!("4{}", p.name), Entry::Local(p)));
        }
    }
    let (truncated, marker) = page.finish(&mut entries, |(k, _)| k);

    let mut out = GetAccountAuthorizationDetailsResponse {
        user_detail_list: Some(Vec::new()),
        group_detail_list: Some(Vec::new()),
        role_detail_list: Some(Vec::new()),
        policies: Some(Vec::new()),
        is_truncated: Some(truncated),
        marker,
    };
    for (_, entry) in entries {
        match entry {
            Entry::User(u) => out
                .user_detail_list
                .get_or_insert_default()
                .push(user_detail(&mut c, u).await?),
            Entry::Group(g) => out
                .group_detail_list
                .get_or_insert_default()
                .push(group_detail(&mut c, g).await?),
            Entry::Role(r) => out
                .role_detail_list
                .get_or_insert_default()
                .push(role_detail(&mut c, r).await?),
            Entry::Aws(p) => out
                .policies
                .get_or_insert_default()
                .push(aws_policy_detail(&mut c, account_id, &p).await?),
            Entry::Local(p) => out
                .policies
                .get_or_insert_default()
                .push(local_policy_detail(&mut c, p).await?),
        }
    }
    Ok(out)
}

async fn inline_details(
    c: &mut store::Conn,
    owner_id: &str,
) -> Result<Vec<PolicyDetail>, ApiError> {
    Ok(policies::list_inline(c, owner_id)
        .await?
        .into_iter()
        .map(|(name, document)| PolicyDetail {
            policy_name: Some(name),
            policy_document: Some(url_encode(&document)),
        })
        .collect())
}

async fn attached_policies(
    c: &mut store::Conn,
    owner_id: &str,
) -> Result<Vec<AttachedPolicy>, ApiError> {
    Ok(policies::attached(c, owner_id)
        .await?
        .into_iter()
        .map(|arn| AttachedPolicy {
            policy_name: parse_policy_arn(&arn).ok().map(|(_, _, name)| name),
            policy_arn: Some(arn),
        })
        .collect())
}

async fn tags_of(c: &mut store::Conn, resource_id: &str) -> Result<Vec<Tag>, ApiError> {
    Ok(tagging::out(tags::list(c, resource_id).await?))
}

async fn user_detail(c: &mut store::Conn, u: UserRow) -> Result<UserDetail, ApiError> {
    let group_list = groups::for_user(c, &u.user_id)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    let tags = tags_of(c, &u.user_id).await?;
    Ok(UserDetail {
        arn: Some(u.arn()),
        user_policy_list: Some(inline_details(c, &u.user_id).await?),
        group_list: Some(group_list),
        attached_managed_policies: Some(attached_policies(c, &u.user_id).await?),
        permissions_boundary: boundary_out(u.permissions_boundary.as_ref()),
        tags: (!tags.is_empty()).then_some(tags),
        create_date: Some(store::from_epoch(u.create_date)),
        path: Some(u.path),
        user_name: Some(u.name),
        user_id: Some(u.user_id),
    })
}

async fn group_detail(c: &mut store::Conn, g: GroupRow) -> Result<GroupDetail, ApiError> {
    Ok(GroupDetail {
        arn: Some(g.arn()),
        group_policy_list: Some(inline_details(c, &g.group_id).await?),
        attached_managed_policies: Some(attached_policies(c, &g.group_id).await?),
        create_date: Some(store::from_epoch(g.create_date)),
        path: Some(g.path),
        group_name: Some(g.name),
        group_id: Some(g.group_id),
    })
}

async fn role_detail(c: &mut store::Conn, r: RoleRow) -> Result<RoleDetail, ApiError> {
    let mut profiles = Vec::new();
    for p in instance_profiles::for_role(c, &r.role_id).await? {
        let roles = instance_profiles::roles(c, &p.instance_profile_id).await?;
        let tags = tags_of(c, &p.instance_profile_id).await?;
        profiles.push(profile_with_roles(&p, &roles, tags));
    }
    let tags = tags_of(c, &r.role_id).await?;
    Ok(RoleDetail {
        arn: Some(r.arn()),
        assume_role_policy_document: Some(url_encode(&r.assume_role_policy)),
        instance_profile_list: Some(profiles),
        role_policy_list: Some(inline_details(c, &r.role_id).await?),
        attached_managed_policies: Some(attached_policies(c, &r.role_id).await?),
        permissions_boundary: boundary_out(r.permissions_boundary.as_ref()),
        tags: (!tags.is_empty()).then_some(tags),
        role_last_used: Some(RoleLastUsed {
            last_used_date: r.last_used_date.map(store::from_epoch),
            region: r.last_used_region.clone(),
        }),
        create_date: Some(store::from_epoch(r.create_date)),
        path: Some(r.path),
        role_name: Some(r.name),
        role_id: Some(r.role_id),
    })
}

async fn aws_policy_detail(
    c: &mut store::Conn,
    account_id: &str,
    p: &AwsManagedPolicy,
) -> Result<ManagedPolicyDetail, ApiError> {
    let arn = p.arn();
    let (count, boundary_count) = usage_counts(c, account_id, &arn).await?;
    Ok(ManagedPolicyDetail {
        policy_name: Some(p.name.clone()),
        policy_id: Some(p.policy_id.clone()),
        path: Some(p.path.clone()),
        default_version_id: Some(p.version_id.clone()),
        attachment_count: Some(count),
        permissions_boundary_usage_count: Some(boundary_count),
        is_attachable: Some(true),
        description: None,
        create_date: None,
        update_date: None,
        policy_version_list: Some(vec![PolicyVersion {
            document: Some(url_encode(&p.document)),
            version_id: Some(p.version_id.clone()),
            is_default_version: Some(true),
            create_date: None,
        }]),
        arn: Some(arn),
    })
}

async fn local_policy_detail(
    c: &mut store::Conn,
    p: ManagedPolicyRow,
) -> Result<ManagedPolicyDetail, ApiError> {
    let (count, boundary_count) = usage_counts(c, &p.account_id, &p.arn).await?;
    let versions = policies::versions(c, &p.policy_id)
        .await?
        .into_iter()
        .map(|v| PolicyVersion {
            document: Some(url_encode(&v.document)),
            is_default_version: Some(v.version_id == p.default_version),
            version_id: Some(v.version_id),
            create_date: Some(store::from_epoch(v.create_date)),
        })
        .collect();
    Ok(ManagedPolicyDetail {
        attachment_count: Some(count),
        permissions_boundary_usage_count: Some(boundary_count),
        is_attachable: Some(true),
        create_date: Some(store::from_epoch(p.create_date)),
        update_date: Some(store::from_epoch(p.update_date)),
        policy_version_list: Some(versions),
        policy_name: Some(p.name),
        policy_id: Some(p.policy_id),
        arn: Some(p.arn),
        path: Some(p.path),
        default_version_id: Some(p.default_version),
        description: p.description,
    })
}
