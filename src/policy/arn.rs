//! Amazon Resource Names: parsing for the server (the compiled patterns of `Resource` and
//! the `Arn*` operators live in `arn_pattern`).
//!
//! An ARN is `arn:partition:service:region:account-id:resource`; the resource part may itself
//! contain colons, so only the first five colons delimit (AWS General Reference, "Amazon
//! Resource Names (ARNs)").

/// The six parts of an ARN, borrowed from the text they were parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// The error IAM gives for an ARN parameter that does not parse, e.g. `arn:a:::x is invalid`
/// (recorded from AWS: no partition, no service, too few colons, no resource).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is invalid")]
pub struct ArnError(pub String);

/// Parses a concrete ARN. Requires the `arn` prefix, six parts, and a non-empty partition,
/// service and resource; region and account may be empty (IAM and S3 ARNs leave them out).
pub fn parse_arn(text: &str) -> Result<Arn<'_>, ArnError> {
    let invalid = || ArnError(text.to_string());
    let [prefix, partition, service, region, account, resource] =
        split_six(text).ok_or_else(invalid)?;
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return Err(invalid());
    }
    Ok(Arn {
        partition,
        service,
        region,
        account,
        resource,
    })
}

/// Splits at the first five colons; `None` when there are fewer than five.
pub fn split_six(text: &str) -> Option<[&str; 6]> {
    let mut parts = [""; 6];
    let mut rest = text;
    for part in parts.iter_mut().take(5) {
        let (head, tail) = rest.split_once(':')?;
        *part = head;
        rest = tail;
    }
    parts[5] = rest;
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arns_and_reports_aws_wording() {
        let arn = parse_arn("arn:aws:iam::123456789012:role/path/name").expect("valid");
        assert_eq!(arn.partition, "aws");
        assert_eq!(arn.service, "iam");
        assert_eq!(arn.region, "");
        assert_eq!(arn.account, "123456789012");
        assert_eq!(arn.resource, "role/path/name");
        let arn = parse_arn("arn:aws:logs:us-east-1:1:log-group:a:*").expect("valid");
        assert_eq!(arn.resource, "log-group:a:*");
        for bad in [
            "arn::b:::something/test-role",
            "arn:a::::something/test-role",
            "arn:a:::something/test-role",
            "arn:a:a::aaaaaaaaaa:",
            "nothing-valid-in-here",
        ] {
            let err = parse_arn(bad).expect_err(bad);
            assert_eq!(err.to_string(), format!("{bad} is invalid"));
        }
    }
}
