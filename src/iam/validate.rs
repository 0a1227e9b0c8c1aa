//! Input rules AWS checks beyond the model's constraints, with AWS's wording.

use std::collections::HashSet;

use crate::api::{errors, iam::Tag, ApiError};

/// Paths begin and end with `/` and hold printable ASCII (model pattern
/// `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`), reported with IAM's own sentence.
pub fn path(path: &str) -> Result<(), ApiError> {
    let ok = path == "/"
        || (path.len() >= 2
            && path.starts_with('/')
            && path.ends_with('/')
            && path.bytes().all(|b| (0x21..=0x7e).contains(&b)));
    if ok {
        Ok(())
    } else {
        Err(ApiError::validation(
            "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
        ))
    }
}

/// AWS allows at most 50 tags on an IAM entity.
pub const MAX_TAGS: i64 = 50;

/// Tag keys must be unique regardless of case within one request.
pub fn unique_tag_keys(tags: &[Tag]) -> Result<(), ApiError> {
    let mut seen = HashSet::new();
    for t in tags {
        if !seen.insert(t.key.to_lowercase()) {
            return Err(errors::invalid_input(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            ));
        }
    }
    Ok(())
}

/// Whether adding `new` keys to `existing` keys goes over the quota.
pub fn tag_quota(existing: &[String], new: &[Tag]) -> Result<(), ApiError> {
    let mut keys: HashSet<String> = existing.iter().map(|k| k.to_lowercase()).collect();
    for t in new {
        keys.insert(t.key.to_lowercase());
    }
    if keys.len() as i64 > MAX_TAGS {
        return Err(errors::limit_exceeded(
            "The number of tags has reached the maximum limit.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for ok in ["/", "/a/", "/division_abc/subdivision_xyz/"] {
            assert!(path(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a/", "/a", "//x y/", "/é/"] {
            assert!(path(bad).is_err(), "{bad}");
        }
    }
}
