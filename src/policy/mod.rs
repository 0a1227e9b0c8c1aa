//! The IAM policy language as a pure library: parse and validate documents with AWS's
//! `MalformedPolicyDocument` messages, compile them once, evaluate requests many times, and
//! explain each decision with the statements that made it.
//!
//! No I/O lives here. The server parses a document with [`parse_policy`] when it is stored
//! (or loaded), caches the [`Policy`] behind an `Arc`, and calls [`evaluate`] per request
//! with a [`PolicySet`] and a [`Request`].
//!
//! ```
//! use iamlocal::policy::{
//!     evaluate, parse_policy, Decision, PolicyKind, PolicyRef, PolicySet, PolicyType,
//!     Principal, PrincipalKind, Request, RequestContext,
//! };
//!
//! let policy = parse_policy(
//!     r#"{"Version":"2012-10-17","Statement":{"Sid":"Home","Effect":"Allow",
//!         "Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#,
//!     PolicyKind::Managed,
//! )?;
//! let alice = Principal {
//!     arn: "arn:aws:iam::111111111111:user/alice".into(),
//!     account: "111111111111".into(),
//!     kind: PrincipalKind::User,
//! };
//! let context = RequestContext::new().with("aws:username", "alice");
//! let set = PolicySet {
//!     identity: vec![PolicyRef { id: "home".into(), policy_type: PolicyType::Managed, policy: &policy }],
//!     ..PolicySet::default()
//! };
//! let request = Request {
//!     principal: &alice,
//!     action: "s3:GetObject",
//!     resource: "arn:aws:s3:::home/alice/notes.txt",
//!     context: &context,
//! };
//! let result = evaluate(&request, &set);
//! assert_eq!(result.decision, Decision::Allowed);
//! assert_eq!(result.matched[0].sid.as_deref(), Some("Home"));
//!
//! // Validation errors display AWS's MalformedPolicyDocument message.
//! let error = parse_policy(r#"{"Statement":{"Effect":"Allow","Action":"s3GetObject","Resource":"*"}}"#, PolicyKind::Identity)
//!     .unwrap_err();
//! assert_eq!(error.to_string(), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
//! # Ok::<(), iamlocal::policy::PolicyError>(())
//! ```

pub mod arn;
mod arn_pattern;
mod condition;
mod context;
mod document;
mod error;
mod evaluate;
mod json;
mod principal;
mod request;
mod validate;
mod values;
mod variables;
mod wildcard;

pub use condition::{Condition, ConditionOperator, Operator, SetQualifier};
pub use context::{ContextValue, RequestContext};
pub use document::{context_keys, Effect, Policy, PolicyKind, PolicyVersion, Statement};
pub use error::PolicyError;
pub use evaluate::{
    evaluate, Decision, DenyReason, Evaluation, MatchedStatement, PolicyRef, PolicySet, PolicyType,
};
pub use json::Position;
pub use request::{Principal, PrincipalKind, Request};
pub use validate::parse_policy;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn compiled_policies_can_be_shared_across_threads() {
        assert_send_sync::<Policy>();
        assert_send_sync::<RequestContext>();
        assert_send_sync::<Evaluation>();
    }
}
