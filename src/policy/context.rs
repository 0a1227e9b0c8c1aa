//! The request context: condition keys and their values for one request.
//!
//! "Condition key names are not case-sensitive" (IAM User Guide, Condition element), and that
//! includes the tag-key suffix of `aws:PrincipalTag/…`, so keys are stored lowercased and
//! looked up lowercased. Values stay text: the server sets `aws:CurrentTime`, `aws:SourceIp`,
//! `aws:SecureTransport`, … as strings and each operator reads them as its type.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One context key's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key such as `aws:username`.
    Single(String),
    /// A multivalued key such as `aws:TagKeys`; plain operators never match it, only the
    /// `ForAnyValue:` / `ForAllValues:` qualifiers do.
    List(Vec<String>),
}

impl ContextValue {
    /// The values as a slice, whatever the shape.
    pub fn values(&self) -> &[String] {
        match self {
            ContextValue::Single(v) => std::slice::from_ref(v),
            ContextValue::List(v) => v,
        }
    }
}

/// FNV-1a: context keys are short and trusted to be few, so a cheap hash beats SipHash here
/// (lookups sit on the evaluation hot path).
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type KeyMap<V> = HashMap<Box<str>, V, BuildHasherDefault<KeyHasher>>;

/// Lowercases a condition key the way both the context and compiled policies store it.
pub fn normalize_key(key: &str) -> String {
    if key.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        key.to_string()
    } else {
        key.to_lowercase()
    }
}

/// Condition keys → values for one request. Build it with [`RequestContext::set`] and
/// friends; a later `set` of the same key (in any case) replaces the earlier value.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    entries: KeyMap<(Box<str>, ContextValue)>,
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a single-valued key, e.g. `ctx.set("aws:username", "alice")`.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.insert(key, ContextValue::Single(value.into()))
    }

    /// Sets a multivalued key, e.g. `ctx.set_list("aws:TagKeys", vec!["team".into()])`.
    pub fn set_list<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        self.insert(key, ContextValue::List(values))
    }

    /// Sets a boolean key as `true`/`false`, the text the `Bool` operator reads.
    pub fn set_bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.set(key, if value { "true" } else { "false" })
    }

    /// Sets a numeric key.
    pub fn set_number(&mut self, key: &str, value: i64) -> &mut Self {
        self.set(key, value.to_string())
    }

    /// Sets a date key in the ISO 8601 form AWS uses for `aws:CurrentTime`.
    pub fn set_date(&mut self, key: &str, value: chrono::DateTime<chrono::Utc>) -> &mut Self {
        self.set(
            key,
            value.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
    }

    /// Builder form of [`RequestContext::set`].
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.set(key, value);
        self
    }

    /// Builder form of [`RequestContext::set_list`].
    pub fn with_list<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set_list(key, values);
        self
    }

    pub fn insert(&mut self, key: &str, value: ContextValue) -> &mut Self {
        self.entries
            .insert(normalize_key(key).into(), (key.into(), value));
        self
    }

    pub fn remove(&mut self, key: &str) -> Option<ContextValue> {
        self.entries
            .remove(normalize_key(key).as_str())
            .map(|(_, v)| v)
    }

    /// Looks a key up, ignoring case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.get_normalized(&normalize_key(key))
    }

    /// Looks up a key that is already lowercased (compiled policies store keys that way).
    pub fn get_normalized(&self, key: &str) -> Option<&ContextValue> {
        self.entries.get(key).map(|(_, v)| v)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The keys as they were first spelled by the caller.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.values().map(|(k, _)| &**k)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Appends every key (lowercased) and value, sorted by key and length-prefixed, so that
    /// two contexts write the same text exactly when evaluation cannot tell them apart.
    pub fn write_canonical(&self, out: &mut String) {
        use std::fmt::Write;
        let mut entries: Vec<(&str, &ContextValue)> =
            self.entries.iter().map(|(k, (_, v))| (&**k, v)).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let field = |out: &mut String, text: &str| {
            let _ = write!(out, "{}:{text}", text.len());
        };
        for (key, value) in entries {
            field(out, key);
            match value {
                ContextValue::Single(v) => {
                    out.push('s');
                    field(out, v);
                }
                ContextValue::List(values) => {
                    let _ = write!(out, "l{}", values.len());
                    for v in values {
                        field(out, v);
                    }
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_ignores_order_and_key_case_but_not_values_or_shape() {
        let text = |ctx: &RequestContext| {
            let mut out = String::new();
            ctx.write_canonical(&mut out);
            out
        };
        let a = RequestContext::new()
            .with("aws:RequestedRegion", "us-east-1")
            .with("aws:username", "alice");
        let b = RequestContext::new()
            .with("aws:USERNAME", "alice")
            .with("aws:requestedregion", "us-east-1");
        assert_eq!(text(&a), text(&b));
        let other_value = RequestContext::new()
            .with("aws:RequestedRegion", "us-east-1")
            .with("aws:username", "alicf");
        assert_ne!(text(&a), text(&other_value));
        let list = RequestContext::new()
            .with("aws:RequestedRegion", "us-east-1")
            .with_list("aws:username", ["alice"]);
        assert_ne!(text(&a), text(&list));
        // Length prefixes keep a value from posing as a following key.
        let joined = RequestContext::new().with("a", "1:b1:c");
        let split = RequestContext::new().with("a", "").with("b", "c");
        assert_ne!(text(&joined), text(&split));
    }

    #[test]
    fn keys_are_case_insensitive_including_tag_suffix() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:PrincipalTag/Team", "blue");
        assert_eq!(
            ctx.get("AWS:principaltag/TEAM"),
            Some(&ContextValue::Single("blue".into()))
        );
        ctx.set("aws:principaltag/team", "red");
        assert_eq!(ctx.len(), 1);
        assert_eq!(
            ctx.get("aws:PrincipalTag/Team")
                .map(|v| v.values().to_vec()),
            Some(vec!["red".to_string()])
        );
    }

    #[test]
    fn typed_setters_write_the_text_operators_read() {
        let mut ctx = RequestContext::new();
        ctx.set_bool("aws:SecureTransport", true);
        ctx.set_number("s3:max-keys", 10);
        let when = chrono::DateTime::from_timestamp(1_376_654_400, 0).expect("time");
        ctx.set_date("aws:CurrentTime", when);
        ctx.set_list("aws:TagKeys", ["a", "b"]);
        assert_eq!(
            ctx.get("aws:securetransport"),
            Some(&ContextValue::Single("true".into()))
        );
        assert_eq!(
            ctx.get("s3:max-keys"),
            Some(&ContextValue::Single("10".into()))
        );
        assert_eq!(
            ctx.get("aws:currenttime"),
            Some(&ContextValue::Single("2013-08-16T12:00:00Z".into()))
        );
        assert_eq!(
            ctx.get("aws:tagkeys")
                .map(ContextValue::values)
                .map(<[String]>::len),
            Some(2)
        );
        assert!(ctx.remove("AWS:TagKeys").is_some());
        assert!(!ctx.contains("aws:TagKeys"));
    }
}
