//! IAM handlers, one file per resource family. Each reads its typed input, authorizes,
//! opens one transaction, calls the store and returns its typed output.

pub mod access_keys;
pub mod account;
pub mod aws_managed;
pub mod credential_report;
pub mod groups;
pub mod identity_policies;
pub mod instance_profiles;
pub mod last_accessed;
pub mod login_profiles;
pub mod mfa;
pub mod oidc_providers;
pub mod pagination;
pub mod password_policy;
pub mod policies;
pub mod policy_documents;
pub mod roles;
pub mod saml_providers;
pub mod server_certificates;
pub mod service_access;
pub mod service_credentials;
pub mod service_grants;
pub mod signing_certificates;
pub mod simulator;
pub mod ssh_keys;
pub mod tagging;
pub mod users;
pub mod validate;
pub mod x509;
