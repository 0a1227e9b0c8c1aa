//! Which operations iamlocal implements: the generated `Handlers` trait, its methods routed to
//! the handler files. Every operation not listed answers AWS-style `NotImplemented`.

use crate::api::{iam, sts, ApiError, Handlers};
use crate::app::App;
use crate::authz::Call;

macro_rules! route {
    ($($method:ident: $module:path, $input:ty => $output:ty;)*) => {
        impl Handlers for App {
            type Ctx = Call;
            $(
                async fn $method(&self, ctx: &Call, input: $input) -> Result<$output, ApiError> {
                    use $module as m;
                    m::$method(self, ctx, input).await
                }
            )*
        }
    };
}

route! {
    create_user: crate::iam::users, iam::CreateUserRequest => iam::CreateUserResponse;
    get_user: crate::iam::users, iam::GetUserRequest => iam::GetUserResponse;
    list_users: crate::iam::users, iam::ListUsersRequest => iam::ListUsersResponse;
    update_user: crate::iam::users, iam::UpdateUserRequest => ();
    delete_user: crate::iam::users, iam::DeleteUserRequest => ();
    tag_user: crate::iam::users, iam::TagUserRequest => ();
    untag_user: crate::iam::users, iam::UntagUserRequest => ();
    list_user_tags: crate::iam::users, iam::ListUserTagsRequest => iam::ListUserTagsResponse;
    create_access_key: crate::iam::access_keys, iam::CreateAccessKeyRequest => iam::CreateAccessKeyResponse;
    list_access_keys: crate::iam::access_keys, iam::ListAccessKeysRequest => iam::ListAccessKeysResponse;
    update_access_key: crate::iam::access_keys, iam::UpdateAccessKeyRequest => ();
    delete_access_key: crate::iam::access_keys, iam::DeleteAccessKeyRequest => ();
    get_access_key_last_used: crate::iam::access_keys, iam::GetAccessKeyLastUsedRequest => iam::GetAccessKeyLastUsedResponse;
    put_user_permissions_boundary: crate::iam::users, iam::PutUserPermissionsBoundaryRequest => ();
    delete_user_permissions_boundary: crate::iam::users, iam::DeleteUserPermissionsBoundaryRequest => ();
    create_policy: crate::iam::policies, iam::CreatePolicyRequest => iam::CreatePolicyResponse;
    get_policy: crate::iam::policies, iam::GetPolicyRequest => iam::GetPolicyResponse;
    list_policies: crate::iam::policies, iam::ListPoliciesRequest => iam::ListPoliciesResponse;
    delete_policy: crate::iam::policies, iam::DeletePolicyRequest => ();
    create_policy_version: crate::iam::policies, iam::CreatePolicyVersionRequest => iam::CreatePolicyVersionResponse;
    get_policy_version: crate::iam::policies, iam::GetPolicyVersionRequest => iam::GetPolicyVersionResponse;
    list_policy_versions: crate::iam::policies, iam::ListPolicyVersionsRequest => iam::ListPolicyVersionsResponse;
    delete_policy_version: crate::iam::policies, iam::DeletePolicyVersionRequest => ();
    set_default_policy_version: crate::iam::policies, iam::SetDefaultPolicyVersionRequest => ();
    put_user_policy: crate::iam::identity_policies, iam::PutUserPolicyRequest => ();
    get_user_policy: crate::iam::identity_policies, iam::GetUserPolicyRequest => iam::GetUserPolicyResponse;
    list_user_policies: crate::iam::identity_policies, iam::ListUserPoliciesRequest => iam::ListUserPoliciesResponse;
    delete_user_policy: crate::iam::identity_policies, iam::DeleteUserPolicyRequest => ();
    attach_user_policy: crate::iam::identity_policies, iam::AttachUserPolicyRequest => ();
    detach_user_policy: crate::iam::identity_policies, iam::DetachUserPolicyRequest => ();
    list_attached_user_policies: crate::iam::identity_policies, iam::ListAttachedUserPoliciesRequest => iam::ListAttachedUserPoliciesResponse;
    put_group_policy: crate::iam::identity_policies, iam::PutGroupPolicyRequest => ();
    get_group_policy: crate::iam::identity_policies, iam::GetGroupPolicyRequest => iam::GetGroupPolicyResponse;
    list_group_policies: crate::iam::identity_policies, iam::ListGroupPoliciesRequest => iam::ListGroupPoliciesResponse;
    delete_group_policy: crate::iam::identity_policies, iam::DeleteGroupPolicyRequest => ();
    attach_group_policy: crate::iam::identity_policies, iam::AttachGroupPolicyRequest => ();
    detach_group_policy: crate::iam::identity_policies, iam::DetachGroupPolicyRequest => ();
    list_attached_group_policies: crate::iam::identity_policies, iam::ListAttachedGroupPoliciesRequest => iam::ListAttachedGroupPoliciesResponse;
    create_group: crate::iam::groups, iam::CreateGroupRequest => iam::CreateGroupResponse;
    get_group: crate::iam::groups, iam::GetGroupRequest => iam::GetGroupResponse;
    list_groups: crate::iam::groups, iam::ListGroupsRequest => iam::ListGroupsResponse;
    update_group: crate::iam::groups, iam::UpdateGroupRequest => ();
    delete_group: crate::iam::groups, iam::DeleteGroupRequest => ();
    add_user_to_group: crate::iam::groups, iam::AddUserToGroupRequest => ();
    remove_user_from_group: crate::iam::groups, iam::RemoveUserFromGroupRequest => ();
    list_groups_for_user: crate::iam::groups, iam::ListGroupsForUserRequest => iam::ListGroupsForUserResponse;
    put_role_policy: crate::iam::identity_policies, iam::PutRolePolicyRequest => ();
    get_role_policy: crate::iam::identity_policies, iam::GetRolePolicyRequest => iam::GetRolePolicyResponse;
    list_role_policies: crate::iam::identity_policies, iam::ListRolePoliciesRequest => iam::ListRolePoliciesResponse;
    delete_role_policy: crate::iam::identity_policies, iam::DeleteRolePolicyRequest => ();
    attach_role_policy: crate::iam::identity_policies, iam::AttachRolePolicyRequest => ();
    detach_role_policy: crate::iam::identity_policies, iam::DetachRolePolicyRequest => ();
    list_attached_role_policies: crate::iam::identity_policies, iam::ListAttachedRolePoliciesRequest => iam::ListAttachedRolePoliciesResponse;
    create_role: crate::iam::roles, iam::CreateRoleRequest => iam::CreateRoleResponse;
    get_role: crate::iam::roles, iam::GetRoleRequest => iam::GetRoleResponse;
    list_roles: crate::iam::roles, iam::ListRolesRequest => iam::ListRolesResponse;
    update_role: crate::iam::roles, iam::UpdateRoleRequest => iam::UpdateRoleResponse;
    update_role_description: crate::iam::roles, iam::UpdateRoleDescriptionRequest => iam::UpdateRoleDescriptionResponse;
    update_assume_role_policy: crate::iam::roles, iam::UpdateAssumeRolePolicyRequest => ();
    delete_role: crate::iam::roles, iam::DeleteRoleRequest => ();
    tag_role: crate::iam::roles, iam::TagRoleRequest => ();
    untag_role: crate::iam::roles, iam::UntagRoleRequest => ();
    list_role_tags: crate::iam::roles, iam::ListRoleTagsRequest => iam::ListRoleTagsResponse;
    put_role_permissions_boundary: crate::iam::roles, iam::PutRolePermissionsBoundaryRequest => ();
    delete_role_permissions_boundary: crate::iam::roles, iam::DeleteRolePermissionsBoundaryRequest => ();
    create_service_linked_role: crate::iam::roles, iam::CreateServiceLinkedRoleRequest => iam::CreateServiceLinkedRoleResponse;
    delete_service_linked_role: crate::iam::roles, iam::DeleteServiceLinkedRoleRequest => iam::DeleteServiceLinkedRoleResponse;
    get_service_linked_role_deletion_status: crate::iam::roles, iam::GetServiceLinkedRoleDeletionStatusRequest => iam::GetServiceLinkedRoleDeletionStatusResponse;
    create_instance_profile: crate::iam::instance_profiles, iam::CreateInstanceProfileRequest => iam::CreateInstanceProfileResponse;
    get_instance_profile: crate::iam::instance_profiles, iam::GetInstanceProfileRequest => iam::GetInstanceProfileResponse;
    list_instance_profiles: crate::iam::instance_profiles, iam::ListInstanceProfilesRequest => iam::ListInstanceProfilesResponse;
    list_instance_profiles_for_role: crate::iam::instance_profiles, iam::ListInstanceProfilesForRoleRequest => iam::ListInstanceProfilesForRoleResponse;
    delete_instance_profile: crate::iam::instance_profiles, iam::DeleteInstanceProfileRequest => ();
    add_role_to_instance_profile: crate::iam::instance_profiles, iam::AddRoleToInstanceProfileRequest => ();
    remove_role_from_instance_profile: crate::iam::instance_profiles, iam::RemoveRoleFromInstanceProfileRequest => ();
    tag_instance_profile: crate::iam::instance_profiles, iam::TagInstanceProfileRequest => ();
    untag_instance_profile: crate::iam::instance_profiles, iam::UntagInstanceProfileRequest => ();
    list_instance_profile_tags: crate::iam::instance_profiles, iam::ListInstanceProfileTagsRequest => iam::ListInstanceProfileTagsResponse;
    create_login_profile: crate::iam::login_profiles, iam::CreateLoginProfileRequest => iam::CreateLoginProfileResponse;
    get_login_profile: crate::iam::login_profiles, iam::GetLoginProfileRequest => iam::GetLoginProfileResponse;
    update_login_profile: crate::iam::login_profiles, iam::UpdateLoginProfileRequest => ();
    delete_login_profile: crate::iam::login_profiles, iam::DeleteLoginProfileRequest => ();
    change_password: crate::iam::login_profiles, iam::ChangePasswordRequest => ();
    update_account_password_policy: crate::iam::password_policy, iam::UpdateAccountPasswordPolicyRequest => ();
    get_account_password_policy: crate::iam::password_policy, crate::api::NoInput => iam::GetAccountPasswordPolicyResponse;
    delete_account_password_policy: crate::iam::password_policy, crate::api::NoInput => ();
    simulate_principal_policy: crate::iam::simulator, iam::SimulatePrincipalPolicyRequest => iam::SimulatePolicyResponse;
    simulate_custom_policy: crate::iam::simulator, iam::SimulateCustomPolicyRequest => iam::SimulatePolicyResponse;
    get_context_keys_for_principal_policy: crate::iam::simulator, iam::GetContextKeysForPrincipalPolicyRequest => iam::GetContextKeysForPolicyResponse;
    get_context_keys_for_custom_policy: crate::iam::simulator, iam::GetContextKeysForCustomPolicyRequest => iam::GetContextKeysForPolicyResponse;
    create_open_id_connect_provider: crate::iam::oidc_providers, iam::CreateOpenIDConnectProviderRequest => iam::CreateOpenIDConnectProviderResponse;
    get_open_id_connect_provider: crate::iam::oidc_providers, iam::GetOpenIDConnectProviderRequest => iam::GetOpenIDConnectProviderResponse;
    list_open_id_connect_providers: crate::iam::oidc_providers, iam::ListOpenIDConnectProvidersRequest => iam::ListOpenIDConnectProvidersResponse;
    delete_open_id_connect_provider: crate::iam::oidc_providers, iam::DeleteOpenIDConnectProviderRequest => ();
    add_client_id_to_open_id_connect_provider: crate::iam::oidc_providers, iam::AddClientIDToOpenIDConnectProviderRequest => ();
    remove_client_id_from_open_id_connect_provider: crate::iam::oidc_providers, iam::RemoveClientIDFromOpenIDConnectProviderRequest => ();
    update_open_id_connect_provider_thumbprint: crate::iam::oidc_providers, iam::UpdateOpenIDConnectProviderThumbprintRequest => ();
    tag_open_id_connect_provider: crate::iam::oidc_providers, iam::TagOpenIDConnectProviderRequest => ();
    untag_open_id_connect_provider: crate::iam::oidc_providers, iam::UntagOpenIDConnectProviderRequest => ();
    list_open_id_connect_provider_tags: crate::iam::oidc_providers, iam::ListOpenIDConnectProviderTagsRequest => iam::ListOpenIDConnectProviderTagsResponse;
    create_virtual_mfa_device: crate::iam::mfa, iam::CreateVirtualMFADeviceRequest => iam::CreateVirtualMFADeviceResponse;
    enable_mfa_device: crate::iam::mfa, iam::EnableMFADeviceRequest => ();
    resync_mfa_device: crate::iam::mfa, iam::ResyncMFADeviceRequest => ();
    deactivate_mfa_device: crate::iam::mfa, iam::DeactivateMFADeviceRequest => ();
    delete_virtual_mfa_device: crate::iam::mfa, iam::DeleteVirtualMFADeviceRequest => ();
    list_mfa_devices: crate::iam::mfa, iam::ListMFADevicesRequest => iam::ListMFADevicesResponse;
    list_virtual_mfa_devices: crate::iam::mfa, iam::ListVirtualMFADevicesRequest => iam::ListVirtualMFADevicesResponse;
    get_mfa_device: crate::iam::mfa, iam::GetMFADeviceRequest => iam::GetMFADeviceResponse;
    tag_mfa_device: crate::iam::mfa, iam::TagMFADeviceRequest => ();
    untag_mfa_device: crate::iam::mfa, iam::UntagMFADeviceRequest => ();
    list_mfa_device_tags: crate::iam::mfa, iam::ListMFADeviceTagsRequest => iam::ListMFADeviceTagsResponse;
    upload_ssh_public_key: crate::iam::ssh_keys, iam::UploadSSHPublicKeyRequest => iam::UploadSSHPublicKeyResponse;
    get_ssh_public_key: crate::iam::ssh_keys, iam::GetSSHPublicKeyRequest => iam::GetSSHPublicKeyResponse;
    list_ssh_public_keys: crate::iam::ssh_keys, iam::ListSSHPublicKeysRequest => iam::ListSSHPublicKeysResponse;
    update_ssh_public_key: crate::iam::ssh_keys, iam::UpdateSSHPublicKeyRequest => ();
    delete_ssh_public_key: crate::iam::ssh_keys, iam::DeleteSSHPublicKeyRequest => ();
    upload_signing_certificate: crate::iam::signing_certificates, iam::UploadSigningCertificateRequest => iam::UploadSigningCertificateResponse;
    list_signing_certificates: crate::iam::signing_certificates, iam::ListSigningCertificatesRequest => iam::ListSigningCertificatesResponse;
    update_signing_certificate: crate::iam::signing_certificates, iam::UpdateSigningCertificateRequest => ();
    delete_signing_certificate: crate::iam::signing_certificates, iam::DeleteSigningCertificateRequest => ();
    upload_server_certificate: crate::iam::server_certificates, iam::UploadServerCertificateRequest => iam::UploadServerCertificateResponse;
    get_server_certificate: crate::iam::server_certificates, iam::GetServerCertificateRequest => iam::GetServerCertificateResponse;
    list_server_certificates: crate::iam::server_certificates, iam::ListServerCertificatesRequest => iam::ListServerCertificatesResponse;
    update_server_certificate: crate::iam::server_certificates, iam::UpdateServerCertificateRequest => ();
    delete_server_certificate: crate::iam::server_certificates, iam::DeleteServerCertificateRequest => ();
    tag_server_certificate: crate::iam::server_certificates, iam::TagServerCertificateRequest => ();
    untag_server_certificate: crate::iam::server_certificates, iam::UntagServerCertificateRequest => ();
    list_server_certificate_tags: crate::iam::server_certificates, iam::ListServerCertificateTagsRequest => iam::ListServerCertificateTagsResponse;
    create_service_specific_credential: crate::iam::service_credentials, iam::CreateServiceSpecificCredentialRequest => iam::CreateServiceSpecificCredentialResponse;
    list_service_specific_credentials: crate::iam::service_credentials, iam::ListServiceSpecificCredentialsRequest => iam::ListServiceSpecificCredentialsResponse;
    reset_service_specific_credential: crate::iam::service_credentials, iam::ResetServiceSpecificCredentialRequest => iam::ResetServiceSpecificCredentialResponse;
    update_service_specific_credential: crate::iam::service_credentials, iam::UpdateServiceSpecificCredentialRequest => ();
    delete_service_specific_credential: crate::iam::service_credentials, iam::DeleteServiceSpecificCredentialRequest => ();
    generate_credential_report: crate::iam::credential_report, crate::api::NoInput => iam::GenerateCredentialReportResponse;
    get_credential_report: crate::iam::credential_report, crate::api::NoInput => iam::GetCredentialReportResponse;
    generate_service_last_accessed_details: crate::iam::last_accessed, iam::GenerateServiceLastAccessedDetailsRequest => iam::GenerateServiceLastAccessedDetailsResponse;
    get_service_last_accessed_details: crate::iam::last_accessed, iam::GetServiceLastAccessedDetailsRequest => iam::GetServiceLastAccessedDetailsResponse;
    get_service_last_accessed_details_with_entities: crate::iam::last_accessed, iam::GetServiceLastAccessedDetailsWithEntitiesRequest => iam::GetServiceLastAccessedDetailsWithEntitiesResponse;
    create_account_alias: crate::iam::account, iam::CreateAccountAliasRequest => ();
    delete_account_alias: crate::iam::account, iam::DeleteAccountAliasRequest => ();
    list_account_aliases: crate::iam::account, iam::ListAccountAliasesRequest => iam::ListAccountAliasesResponse;
    get_account_summary: crate::iam::account, crate::api::NoInput => iam::GetAccountSummaryResponse;
    list_entities_for_policy: crate::iam::account, iam::ListEntitiesForPolicyRequest => iam::ListEntitiesForPolicyResponse;
    get_account_authorization_details: crate::iam::account, iam::GetAccountAuthorizationDetailsRequest => iam::GetAccountAuthorizationDetailsResponse;
    tag_policy: crate::iam::policies, iam::TagPolicyRequest => ();
    untag_policy: crate::iam::policies, iam::UntagPolicyRequest => ();
    list_policy_tags: crate::iam::policies, iam::ListPolicyTagsRequest => iam::ListPolicyTagsResponse;
    get_caller_identity: crate::sts, sts::GetCallerIdentityRequest => sts::GetCallerIdentityResponse;
    get_access_key_info: crate::sts, sts::GetAccessKeyInfoRequest => sts::GetAccessKeyInfoResponse;
    assume_role_with_web_identity: crate::sts, sts::AssumeRoleWithWebIdentityRequest => sts::AssumeRoleWithWebIdentityResponse;
    assume_role: crate::sts, sts::AssumeRoleRequest => sts::AssumeRoleResponse;
    get_session_token: crate::sts, sts::GetSessionTokenRequest => sts::GetSessionTokenResponse;
    get_federation_token: crate::sts, sts::GetFederationTokenRequest => sts::GetFederationTokenResponse;
    decode_authorization_message: crate::sts, sts::DecodeAuthorizationMessageRequest => sts::DecodeAuthorizationMessageResponse;
}
