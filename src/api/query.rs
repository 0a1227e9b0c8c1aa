//! AWS Query input: flat `Tags.member.1.Key=v` parameters as a tree, and the validator the
//! generated decoders call, which checks the model's constraints and words violations the way
//! AWS does (`1 validation error detected: Value at 'path' failed to satisfy constraint: …`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use super::{ApiError, Blob, Timestamp};

/// One node of the parameter tree: `Tags.member.1.Key` is `Tags` → `member` → `1` → `Key`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct QueryNode {
    pub value: Option<String>,
    pub children: BTreeMap<String, QueryNode>,
}

impl QueryNode {
    /// Builds the tree from decoded `(key, value)` pairs; a repeated key keeps its last value.
    pub fn from_pairs<I, K, V>(pairs: I) -> QueryNode
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut root = QueryNode::default();
        for (k, v) in pairs {
            let key = k.as_ref();
            if key.is_empty() {
                continue;
            }
            let mut node = &mut root;
            for part in key.split('.') {
                node = node.children.entry(part.to_string()).or_default();
            }
            node.value = Some(v.into());
        }
        root
    }

    pub fn child(&self, name: &str) -> Option<&QueryNode> {
        self.children.get(name)
    }

    /// The value of a top-level parameter such as `Action`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.children.get(name).and_then(|n| n.value.as_deref())
    }

    /// Children whose names are 1-based indexes, in numeric order (`member.1`, `member.2`, …).
    fn indexed(&self) -> Vec<(usize, &QueryNode)> {
        let mut items: Vec<(usize, &QueryNode)> = self
            .children
            .iter()
            .filter_map(|(k, n)| k.parse::<usize>().ok().map(|i| (i, n)))
            .collect();
        items.sort_by_key(|(i, _)| *i);
        items
    }
}

/// Where a value sits, rendered only when a message needs it: `tags.1.member.key`.
#[derive(Debug, Clone, Copy)]
pub enum FieldPath<'a> {
    Root,
    Field(&'a FieldPath<'a>, &'static str),
    Index(&'a FieldPath<'a>, usize),
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Root => Ok(()),
            FieldPath::Field(parent, name) => {
                if matches!(parent, FieldPath::Root) {
                    write!(f, "{name}")
                } else {
                    write!(f, "{parent}.{name}")
                }
            }
            // AWS names list elements `tags.1.member`.
            FieldPath::Index(parent, i) => write!(f, "{parent}.{i}.member"),
        }
    }
}

/// A model pattern: the Java regex as AWS quotes it, and its Rust translation, compiled once.
pub struct Pattern {
    source: &'static str,
    rust: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str, rust: &'static str) -> Self {
        Pattern {
            source,
            rust,
            compiled: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether the pattern compiles (tested for every pattern of the model).
    pub fn compiles(&self) -> bool {
        self.regex().is_some()
    }

    fn regex(&self) -> Option<&regex::Regex> {
        self.compiled
            .get_or_init(|| regex::Regex::new(self.rust).ok())
            .as_ref()
    }

    pub fn is_match(&self, s: &str) -> bool {
        // A pattern that does not compile constrains nothing (a test keeps that from happening).
        self.regex().is_none_or(|r| r.is_match(s))
    }
}

/// Constraints of a string (or blob) shape.
pub struct StrRules {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub pattern: Option<&'static Pattern>,
    pub enum_values: Option<&'static [&'static str]>,
}

impl StrRules {
    /// The violated constraints of `s`, in AWS's order and words.
    fn violations(&self, s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let len = s.chars().count() as i64;
        if let Some(values) = self.enum_values {
            if !values.contains(&s) {
                out.push("Member must satisfy enum value set".to_string());
            }
        }
        if let Some(max) = self.max {
            if len > max {
                out.push(format!(
                    "Member must have length less than or equal to {max}"
                ));
            }
        }
        if let Some(min) = self.min {
            if len < min {
                out.push(format!(
                    "Member must have length greater than or equal to {min}"
                ));
            }
        }
        if let Some(p) = self.pattern {
            if !p.is_match(s) {
                out.push(format!(
                    "Member must satisfy regular expression pattern: {}",
                    p.source()
                ));
            }
        }
        out
    }

    /// All constraints, listed as AWS lists them for elements of a list.
    fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(max) = self.max {
            out.push(format!(
                "Member must have length less than or equal to {max}"
            ));
        }
        if let Some(min) = self.min {
            out.push(format!(
                "Member must have length greater than or equal to {min}"
            ));
        }
        if let Some(p) = self.pattern {
            out.push(format!(
                "Member must satisfy regular expression pattern: {}",
                p.source()
            ));
        }
        if self.enum_values.is_some() {
            out.push("Member must satisfy enum value set".to_string());
        }
        out
    }
}

/// Collects violations while the generated decoders walk the input.
pub struct Validator {
    /// STS quotes the offending value (`Value 'x' at 'roleSessionName'`), IAM does not
    /// (`Value at 'path'`), as recorded from real AWS in shared/reference/aws-iam-errors.tsv.
    show_values: bool,
    errors: Vec<String>,
}

impl Validator {
    pub fn new(show_values: bool) -> Self {
        Validator {
            show_values,
            errors: Vec::new(),
        }
    }

    fn fail(&mut self, value: Option<&str>, p: &FieldPath, constraint: &str) {
        let value = match value {
            Some(v) if self.show_values => format!("Value '{v}' at"),
            _ => "Value at".to_string(),
        };
        self.errors.push(format!(
            "{value} '{p}' failed to satisfy constraint: {constraint}"
        ));
    }

    /// Ends validation: AWS's `ValidationError` listing every violation.
    pub fn finish(self) -> Result<(), ApiError> {
        match self.errors.len() {
            0 => Ok(()),
            1 => Err(ApiError::validation(format!(
                "1 validation error detected: {}",
                self.errors[0]
            ))),
            n => Err(ApiError::validation(format!(
                "{n} validation errors detected: {}",
                self.errors.join("; ")
            ))),
        }
    }

    pub fn required<T: Default>(&mut self, v: Option<T>, p: &FieldPath) -> T {
        match v {
            Some(v) => v,
            None => {
                self.errors.push(format!(
                    "Value null at '{p}' failed to satisfy constraint: Member must not be null"
                ));
                T::default()
            }
        }
    }

    pub fn string(
        &mut self,
        n: Option<&QueryNode>,
        p: &FieldPath,
        rules: &StrRules,
    ) -> Option<String> {
        let s = n?.value.as_ref()?;
        for v in rules.violations(s) {
            self.fail(Some(s), p, &v);
        }
        Some(s.clone())
    }

    pub fn blob(&mut self, n: Option<&QueryNode>, p: &FieldPath, rules: &StrRules) -> Option<Blob> {
        use base64::Engine;
        let s = n?.value.as_ref()?;
        match base64::engine::general_purpose::STANDARD.decode(s.trim()) {
            Ok(bytes) => Some(Blob(bytes)),
            Err(_) => {
                self.fail(Some(s), p, "Member must be valid base64");
                None
            }
        }
        .inspect(|b| {
            let len = b.0.len() as i64;
            if rules.max.is_some_and(|m| len > m) || rules.min.is_some_and(|m| len < m) {
                for v in rules.describe() {
                    self.fail(None, p, &v);
                }
            }
        })
    }

    pub fn integer(
        &mut self,
        n: Option<&QueryNode>,
        p: &FieldPath,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Option<i32> {
        let s = n?.value.as_ref()?;
        let Ok(v) = s.trim().parse::<i64>() else {
            // Coral-style wording for a number that does not parse; AWS documents none.
            self.fail(Some(s), p, "Member must be a number");
            return None;
        };
        if let Some(max) = max {
            if v > max {
                self.fail(
                    Some(s),
                    p,
                    &format!("Member must have value less than or equal to {max}"),
                );
            }
        }
        if let Some(min) = min {
            if v < min {
                self.fail(
                    Some(s),
                    p,
                    &format!("Member must have value greater than or equal to {min}"),
                );
            }
        }
        match i32::try_from(v) {
            Ok(v) => Some(v),
            Err(_) => {
                self.fail(Some(s), p, "Member must be a 32-bit integer");
                None
            }
        }
    }

    pub fn boolean(&mut self, n: Option<&QueryNode>, p: &FieldPath) -> Option<bool> {
        let s = n?.value.as_ref()?;
        match s.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.fail(Some(s), p, "Member must be a boolean");
                None
            }
        }
    }

    pub fn timestamp(&mut self, n: Option<&QueryNode>, p: &FieldPath) -> Option<Timestamp> {
        let s = n?.value.as_ref()?;
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
            return Some(t.with_timezone(&chrono::Utc));
        }
        if let Ok(secs) = s.trim().parse::<f64>() {
            if let Some(t) = chrono::DateTime::from_timestamp(secs as i64, 0) {
                return Some(t);
            }
        }
        self.fail(Some(s), p, "Member must be a timestamp");
        None
    }

    /// A list of strings: AWS reports element violations once, at the list, listing all the
    /// element constraints (`Member must satisfy constraint: [...]`).
    pub fn string_list(
        &mut self,
        n: Option<&QueryNode>,
        p: &FieldPath,
        min: Option<i64>,
        max: Option<i64>,
        rules: &StrRules,
    ) -> Option<Vec<String>> {
        let n = n?;
        let items: Vec<String> = n
            .child("member")
            .map(|m| {
                m.indexed()
                    .into_iter()
                    .map(|(_, e)| e.value.clone().unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
        self.check_count(&items, p, min, max);
        if items.iter().any(|s| !rules.violations(s).is_empty()) {
            let shown = format!("[{}]", items.join(", "));
            self.fail(
                Some(&shown),
                p,
                &format!(
                    "Member must satisfy constraint: [{}]",
                    rules.describe().join(", ")
                ),
            );
        }
        Some(items)
    }

    fn check_count<T>(&mut self, items: &[T], p: &FieldPath, min: Option<i64>, max: Option<i64>) {
        let len = items.len() as i64;
        if let Some(max) = max {
            if len > max {
                self.fail(
                    None,
                    p,
                    &format!("Member must have length less than or equal to {max}"),
                );
            }
        }
        if let Some(min) = min {
            if len < min {
                self.fail(
                    None,
                    p,
                    &format!("Member must have length greater than or equal to {min}"),
                );
            }
        }
    }

    /// A list of structures (or lists): each element decoded at `path.N.member`.
    pub fn list<T>(
        &mut self,
        n: Option<&QueryNode>,
        p: &FieldPath,
        min: Option<i64>,
        max: Option<i64>,
        mut element: impl FnMut(&mut Self, Option<&QueryNode>, &FieldPath) -> Option<T>,
    ) -> Option<Vec<T>> {
        let n = n?;
        let mut items = Vec::new();
        if let Some(m) = n.child("member") {
            for (i, e) in m.indexed() {
                let ep = FieldPath::Index(p, i);
                if let Some(v) = element(self, Some(e), &ep) {
                    items.push(v);
                }
            }
        }
        self.check_count(&items, p, min, max);
        Some(items)
    }

    /// A map: `path.entry.N.key` / `path.entry.N.value`.
    pub fn map<V>(
        &mut self,
        n: Option<&QueryNode>,
        p: &FieldPath,
        min: Option<i64>,
        max: Option<i64>,
        key_rules: &StrRules,
        mut value: impl FnMut(&mut Self, Option<&QueryNode>, &FieldPath) -> Option<V>,
    ) -> Option<BTreeMap<String, V>> {
        let n = n?;
        let mut out = BTreeMap::new();
        if let Some(entries) = n.child("entry") {
            for (i, e) in entries.indexed() {
                let ep = FieldPath::Index(p, i);
                let kp = FieldPath::Field(&ep, "key");
                let vp = FieldPath::Field(&ep, "value");
                let key = self.string(e.child("key"), &kp, key_rules);
                let key = self.required(key, &kp);
                if let Some(v) = value(self, e.child("value"), &vp) {
                    out.insert(key, v);
                }
            }
        }
        let len = out.len() as i64;
        if max.is_some_and(|m| len > m) || min.is_some_and(|m| len < m) {
            let items: Vec<()> = out.keys().map(|_| ()).collect();
            self.check_count(&items, p, min, max);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_nested_tree() {
        let q = QueryNode::from_pairs([
            ("Action", "CreateUser"),
            ("Tags.member.1.Key", "team"),
            ("Tags.member.1.Value", "a"),
            ("Tags.member.2.Key", "env"),
        ]);
        assert_eq!(q.param("Action"), Some("CreateUser"));
        let tags = q
            .child("Tags")
            .and_then(|t| t.child("member"))
            .map(|m| m.indexed().len());
        assert_eq!(tags, Some(2));
    }

    #[test]
    fn paths_render_like_aws() {
        let root = FieldPath::Root;
        let tags = FieldPath::Field(&root, "tags");
        let one = FieldPath::Index(&tags, 1);
        let key = FieldPath::Field(&one, "key");
        assert_eq!(key.to_string(), "tags.1.member.key");
    }

    #[test]
    fn every_model_pattern_compiles() {
        for p in crate::api::iam::ALL_PATTERNS
            .iter()
            .chain(crate::api::sts::ALL_PATTERNS)
        {
            assert!(p.compiles(), "pattern {} does not compile", p.source());
        }
    }
}
