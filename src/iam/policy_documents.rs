//! What every operation that stores a policy document shares: validation through the policy
//! library, AWS's size rules, and the URL encoding IAM applies to documents in its answers.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::api::{errors, ApiError};
use crate::policy::{parse_policy, PolicyKind};

/// IAM encodes documents like Java's URLEncoder (`.`, `-`, `*`, `_` kept) but with `%20` for a
/// space, never `+` (IAM API reference: "The policy document returned in this structure is URL-encoded compliant with RFC 3986").
const DOCUMENT_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'*')
    .remove(b'_');

pub fn url_encode(document: &str) -> String {
    utf8_percent_encode(document, DOCUMENT_ENCODE).to_string()
}

/// Length as IAM counts it for quotas: without whitespace.
pub fn size_without_whitespace(document: &str) -> usize {
    document.chars().filter(|c| !c.is_whitespace()).count()
}

pub fn validate(document: &str, kind: PolicyKind) -> Result<(), ApiError> {
    parse_policy(document, kind)
        .map(|_| ())
        .map_err(|e| errors::malformed_policy_document(e.to_string()))
}

/// `arn:aws:iam::ACCOUNT:policy/PATH/NAME` → (account, path, name); ValidationError otherwise.
pub fn parse_policy_arn(arn: &str) -> Result<(String, String, String), ApiError> {
    let invalid = || ApiError::validation(format!("ARN {arn} is not valid."));
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[1].is_empty() {
        return Err(invalid());
    }
    let resource = parts[5].strip_prefix("policy").ok_or_else(invalid)?;
    if !resource.starts_with('/') {
        return Err(invalid());
    }
    let (path, name) = match resource.rfind('/') {
        Some(i) => (&resource[..=i], &resource[i + 1..]),
        None => return Err(invalid()),
    };
    if name.is_empty() {
        return Err(invalid());
    }
    Ok((parts[4].to_string(), path.to_string(), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_iam() {
        assert_eq!(
            url_encode(r#"{"Action": "s3:*"}"#),
            "%7B%22Action%22%3A%20%22s3%3A*%22%7D"
        );
    }

    #[test]
    fn policy_arns() {
        assert_eq!(
            parse_policy_arn("arn:aws:iam::123456789012:policy/a/b/P").ok(),
            Some(("123456789012".into(), "/a/b/".into(), "P".into()))
        );
        assert!(parse_policy_arn("P").is_err());
        assert!(parse_policy_arn("arn:aws:iam::123456789012:user/P").is_err());
    }
}
