//! `*` / `?` wildcard patterns, compiled once when the policy is parsed.
//!
//! IAM wildcards have no escape syntax and no character classes: `*` matches any run of
//! characters (including none) and `?` exactly one character (IAM User Guide, "IAM JSON
//! policy elements: Resource" and the `StringLike` operator). Matching is linear in the
//! common shapes (`*`, `abc`, `abc*`, `*abc`) and uses the classic single-backtrack
//! algorithm otherwise, which is O(n·m) at worst — no exponential blow-up on hostile
//! patterns such as `*a*a*a*a*b`.

/// A compiled wildcard pattern. Case-sensitivity is the caller's business: callers that
/// match case-insensitively lowercase both the pattern and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    shape: Shape,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// `*`
    Any,
    /// No wildcard at all.
    Exact(Box<str>),
    /// `abc*`
    Prefix(Box<str>),
    /// `*abc`
    Suffix(Box<str>),
    /// Anything else; kept as the original pattern text.
    General(Box<str>),
}

impl Glob {
    pub fn new(pattern: &str) -> Self {
        let shape = if pattern == "*" {
            Shape::Any
        } else if pattern.contains('?') {
            Shape::General(pattern.into())
        } else {
            let stars = pattern.bytes().filter(|&b| b == b'*').count();
            match stars {
                0 => Shape::Exact(pattern.into()),
                1 if pattern.ends_with('*') => Shape::Prefix(pattern[..pattern.len() - 1].into()),
                1 if pattern.starts_with('*') => Shape::Suffix(pattern[1..].into()),
                _ if pattern.bytes().all(|b| b == b'*') => Shape::Any,
                _ => Shape::General(pattern.into()),
            }
        };
        Self { shape }
    }

    /// The text this pattern matches when it has no wildcard.
    pub fn as_exact(&self) -> Option<&str> {
        match &self.shape {
            Shape::Exact(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this pattern matches every text (`*`).
    pub fn is_any(&self) -> bool {
        self.shape == Shape::Any
    }

    pub fn matches(&self, text: &str) -> bool {
        match &self.shape {
            Shape::Any => true,
            Shape::Exact(s) => text == &**s,
            Shape::Prefix(p) => text.starts_with(&**p),
            Shape::Suffix(s) => text.ends_with(&**s),
            Shape::General(p) => glob_match(p.as_bytes(), text.as_bytes()),
        }
    }
}

/// Length in bytes of the UTF-8 character that starts with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Matches a raw pattern against text. `?` consumes one whole UTF-8 character; literal bytes
/// of valid UTF-8 can only line up on character boundaries, so byte comparison is safe.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // Where to resume after the most recent `*`: (pattern index after it, text index).
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                resume = Some((p, t));
                continue;
            }
            Some(b'?') => {
                p += 1;
                t += char_len(text[t]);
                continue;
            }
            Some(&c) if c == text[t] => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match resume {
            Some((rp, rt)) => {
                // Let the last `*` swallow one more character and retry.
                let next = rt + char_len(text[rt]);
                resume = Some((rp, next));
                p = rp;
                t = next;
            }
            None => return false,
        }
    }
    // `?` may have stepped past the end on a truncated character; treat as no match.
    if t > text.len() {
        return false;
    }
    pattern[p.min(pattern.len())..].iter().all(|&b| b == b'*')
}

/// Marker values for a pattern assembled at evaluation time from policy text, policy
/// variables and escapes: bytes 0..=255 are literal, these two are wildcards. Values
/// substituted for variables are always literal, so `${aws:username}` = `a*` matches only
/// the text `a*`.
pub const ELEM_STAR: u16 = 0x100;
pub const ELEM_ONE: u16 = 0x101;

/// Wildcard matching over assembled pattern elements; same algorithm as
/// [`glob_match`], kept separate so literal `*` from variables stays literal.
pub fn elems_match(pattern: &[u16], text: &[u8]) -> bool {
    if !pattern.iter().any(|&e| e > 0xFF) {
        return pattern.len() == text.len()
            && pattern.iter().zip(text).all(|(&p, &t)| p == u16::from(t));
    }
    let (mut p, mut t) = (0usize, 0usize);
    let mut resume: Option<(usize, usize)> = None;
    let char_len = |lead: u8| match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    while t < text.len() {
        match pattern.get(p) {
            Some(&ELEM_STAR) => {
                p += 1;
                resume = Some((p, t));
                continue;
            }
            Some(&ELEM_ONE) => {
                p += 1;
                t += char_len(text[t]);
                continue;
            }
            Some(&c) if c == u16::from(text[t]) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match resume {
            Some((rp, rt)) => {
                let next = rt + char_len(text[rt]);
                resume = Some((rp, next));
                p = rp;
                t = next;
            }
            None => return false,
        }
    }
    if t > text.len() {
        return false;
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|&e| e == ELEM_STAR)
}

/// Converts policy text into pattern elements, `*` and `?` keeping their wildcard meaning.
pub fn push_pattern_elems(out: &mut Vec<u16>, text: &str) {
    out.extend(text.bytes().map(|b| match b {
        b'*' => ELEM_STAR,
        b'?' => ELEM_ONE,
        _ => u16::from(b),
    }));
}

/// Converts text into literal pattern elements (wildcard characters match only themselves).
pub fn push_literal_elems(out: &mut Vec<u16>, text: &str) {
    out.extend(text.bytes().map(u16::from));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_like_the_general_algorithm() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "", true),
            ("*", "anything:at/all", true),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("abc*", "abcd", true),
            ("abc*", "ab", false),
            ("*bcd", "abcd", true),
            ("*bcd", "bc", false),
            ("a*c", "abbbc", true),
            ("a*c", "abbbd", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a?c", "aéc", true),
            ("??", "é", false),
            ("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
            ("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true),
            ("**", "", true),
            ("*?", "", false),
            ("*?", "x", true),
            ("s3:Get*", "s3:GetObject", true),
            ("arn:aws:s3:::bucket/*/x", "arn:aws:s3:::bucket/a/b/x", true),
        ];
        for &(pattern, text, expected) in cases {
            assert_eq!(
                Glob::new(pattern).matches(text),
                expected,
                "{pattern} vs {text}"
            );
            assert_eq!(
                glob_match(pattern.as_bytes(), text.as_bytes()),
                expected,
                "raw {pattern} vs {text}"
            );
        }
    }
}
