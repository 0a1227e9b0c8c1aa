//! ARN patterns for the `Resource` element and the `Arn*` condition operators.

use super::arn::split_six;
use super::wildcard::{elems_match, Glob, ELEM_STAR};

/// A compiled ARN pattern (a `Resource` entry or an `ArnLike` value).
///
/// "You can use wildcard characters (* and ?) within any ARN segment (the parts separated by
/// colons)" (IAM User Guide, Resource element), and for `ArnLike` "each of the six
/// colon-delimited components of the ARN is checked separately" — so a six-part pattern is
/// matched part by part and a `*` in the partition, service, region or account never
/// swallows a colon. Patterns with fewer parts (`arn:aws:*`) are matched as a whole, which
/// is how AWS lets a trailing `*` "expand to match beyond the colon boundaries".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnPattern {
    /// `*`
    Any,
    /// The first five parts have no wildcard: compare that prefix (with its five colons)
    /// directly, then match the resource part.
    FixedHead { head: Box<str>, resource: Glob },
    /// Wildcards in the head: match each part separately.
    Parts {
        head: Box<[Glob; 5]>,
        resource: Glob,
    },
    /// Fewer than six parts: one wildcard pattern over the whole ARN.
    Whole(Glob),
}

impl ArnPattern {
    pub fn new(pattern: &str) -> Self {
        if pattern == "*" {
            return ArnPattern::Any;
        }
        let Some(parts) = split_six(pattern) else {
            return ArnPattern::Whole(Glob::new(pattern));
        };
        let resource = Glob::new(parts[5]);
        if parts[..5].iter().all(|p| !p.contains(['*', '?'])) {
            let head_len = pattern.len() - parts[5].len();
            return ArnPattern::FixedHead {
                head: pattern[..head_len].into(),
                resource,
            };
        }
        let head = [
            Glob::new(parts[0]),
            Glob::new(parts[1]),
            Glob::new(parts[2]),
            Glob::new(parts[3]),
            Glob::new(parts[4]),
        ];
        ArnPattern::Parts {
            head: Box::new(head),
            resource,
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        match self {
            ArnPattern::Any => true,
            ArnPattern::FixedHead { head, resource } => {
                text.len() >= head.len()
                    && text.is_char_boundary(head.len())
                    && text.as_bytes()[..head.len()] == *head.as_bytes()
                    && resource.matches(&text[head.len()..])
            }
            ArnPattern::Parts { head, resource } => match split_six(text) {
                Some(parts) => {
                    head.iter().zip(parts.iter()).all(|(g, p)| g.matches(p))
                        && resource.matches(parts[5])
                }
                None => false,
            },
            ArnPattern::Whole(glob) => glob.matches(text),
        }
    }
}

/// Matches an assembled pattern against a concrete ARN with the same part-by-part rule as
/// [`ArnPattern`].
pub fn elems_match_arn(pattern: &[u16], text: &str) -> bool {
    if pattern == [ELEM_STAR] {
        return true;
    }
    // Split the pattern at its first five literal colons.
    let mut cuts = [0usize; 5];
    let mut found = 0;
    for (i, &e) in pattern.iter().enumerate() {
        if e == u16::from(b':') {
            cuts[found] = i;
            found += 1;
            if found == 5 {
                break;
            }
        }
    }
    if found < 5 {
        return elems_match(pattern, text.as_bytes());
    }
    let Some(parts) = split_six(text) else {
        return false;
    };
    let mut start = 0;
    for (i, cut) in cuts.iter().enumerate() {
        if !elems_match(&pattern[start..*cut], parts[i].as_bytes()) {
            return false;
        }
        start = cut + 1;
    }
    elems_match(&pattern[start..], parts[5].as_bytes())
}

#[cfg(test)]
mod tests {
    use super::super::wildcard::{push_literal_elems, push_pattern_elems};
    use super::*;

    #[test]
    fn patterns_match_part_by_part() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "arn:aws:s3:::b", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a", false),
            (
                "arn:aws:iam::*:role/*",
                "arn:aws:iam::123456789012:role/x",
                true,
            ),
            (
                "arn:aws:iam::*:role/*",
                "arn:aws:iam::123456789012:user/x",
                false,
            ),
            (
                "arn:aws:ec2:*:*:instance/*",
                "arn:aws:ec2:us-east-1:1:instance/i-1",
                true,
            ),
            ("arn:*:s3:::b", "arn:aws-cn:s3:::b", true),
            ("arn:aws:s?:::b", "arn:aws:s3:::b", true),
            // A `*` inside the service part cannot swallow the colon after it.
            ("arn:aws:s*:::b", "arn:aws:s3:x:::b", false),
            // Fewer than six parts: the trailing `*` crosses colons.
            ("arn:aws:*", "arn:aws:s3:::b", true),
            ("arn:aws:iam::1:role/A", "arn:aws:iam::1:role/a", false),
            ("arn:aws:iam::1:role/A", "arn:aws:iam::1:role/A", true),
            ("arn:aws:iam::1:role/A", "arn:aws:iam::1", false),
        ];
        for &(pattern, text, expected) in cases {
            assert_eq!(
                ArnPattern::new(pattern).matches(text),
                expected,
                "{pattern} vs {text}"
            );
            let mut elems = Vec::new();
            push_pattern_elems(&mut elems, pattern);
            assert_eq!(
                elems_match_arn(&elems, text),
                expected,
                "elems {pattern} vs {text}"
            );
        }
    }

    #[test]
    fn literal_elements_do_not_act_as_wildcards() {
        let mut elems = Vec::new();
        push_pattern_elems(&mut elems, "arn:aws:s3:::b/");
        push_literal_elems(&mut elems, "*");
        assert!(elems_match_arn(&elems, "arn:aws:s3:::b/*"));
        assert!(!elems_match_arn(&elems, "arn:aws:s3:::b/x"));
    }
}
