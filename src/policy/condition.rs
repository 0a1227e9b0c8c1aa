//! Condition operators: their names, compiled values and evaluation against a request.
//!
//! Rules implemented here (IAM User Guide, "Condition operators" and "Condition keys with
//! multiple values"; settled points from live simulator runs in POLICY-EVALUATION.md):
//! - several values for one key are OR'd; a negated operator (`…Not…`) is true only when
//!   none of its values match;
//! - a key missing from the request makes positive operators false and negated ones true,
//!   `…IfExists` makes it true, and `Null` tests presence itself;
//! - a multivalued (list) request value never satisfies an operator without a set
//!   qualifier, not even a one-element list: the result is "no match";
//! - `ForAnyValue:` is true when at least one request value matches (false when the key is
//!   absent or empty); `ForAllValues:` is true when every request value matches (true when
//!   the key is absent or empty).

use std::net::IpAddr;

use super::arn_pattern::{elems_match_arn, ArnPattern};
use super::context::{normalize_key, ContextValue, RequestContext};
use super::values::{parse_base64, parse_bool, parse_date, parse_ip, parse_number, Cidr, Instant};
use super::variables::Template;
use super::wildcard::{elems_match, Glob};

/// The condition operators IAM accepts (IAM User Guide, "IAM JSON policy elements:
/// Condition operators"), without their `IfExists` suffix or set qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const ALL_OPERATORS: [Operator; 27] = [
    Operator::StringEquals,
    Operator::StringNotEquals,
    Operator::StringEqualsIgnoreCase,
    Operator::StringNotEqualsIgnoreCase,
    Operator::StringLike,
    Operator::StringNotLike,
    Operator::NumericEquals,
    Operator::NumericNotEquals,
    Operator::NumericLessThan,
    Operator::NumericLessThanEquals,
    Operator::NumericGreaterThan,
    Operator::NumericGreaterThanEquals,
    Operator::DateEquals,
    Operator::DateNotEquals,
    Operator::DateLessThan,
    Operator::DateLessThanEquals,
    Operator::DateGreaterThan,
    Operator::DateGreaterThanEquals,
    Operator::Bool,
    Operator::BinaryEquals,
    Operator::IpAddress,
    Operator::NotIpAddress,
    Operator::ArnEquals,
    Operator::ArnLike,
    Operator::ArnNotEquals,
    Operator::ArnNotLike,
    Operator::Null,
];

/// How a comparison operator orders the request value against the policy value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    fn holds<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Comparison::Equal => request == policy,
            Comparison::Less => request < policy,
            Comparison::LessOrEqual => request <= policy,
            Comparison::Greater => request > policy,
            Comparison::GreaterOrEqual => request >= policy,
        }
    }
}

impl Operator {
    pub fn name(self) -> &'static str {
        match self {
            Operator::StringEquals => "StringEquals",
            Operator::StringNotEquals => "StringNotEquals",
            Operator::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            Operator::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            Operator::StringLike => "StringLike",
            Operator::StringNotLike => "StringNotLike",
            Operator::NumericEquals => "NumericEquals",
            Operator::NumericNotEquals => "NumericNotEquals",
            Operator::NumericLessThan => "NumericLessThan",
            Operator::NumericLessThanEquals => "NumericLessThanEquals",
            Operator::NumericGreaterThan => "NumericGreaterThan",
            Operator::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            Operator::DateEquals => "DateEquals",
            Operator::DateNotEquals => "DateNotEquals",
            Operator::DateLessThan => "DateLessThan",
            Operator::DateLessThanEquals => "DateLessThanEquals",
            Operator::DateGreaterThan => "DateGreaterThan",
            Operator::DateGreaterThanEquals => "DateGreaterThanEquals",
            Operator::Bool => "Bool",
            Operator::BinaryEquals => "BinaryEquals",
            Operator::IpAddress => "IpAddress",
            Operator::NotIpAddress => "NotIpAddress",
            Operator::ArnEquals => "ArnEquals",
            Operator::ArnLike => "ArnLike",
            Operator::ArnNotEquals => "ArnNotEquals",
            Operator::ArnNotLike => "ArnNotLike",
            Operator::Null => "Null",
        }
    }

    /// Operator names are case-sensitive, like every element name in the policy grammar.
    pub fn from_name(name: &str) -> Option<Self> {
        ALL_OPERATORS.into_iter().find(|op| op.name() == name)
    }

    /// Negated operators pass when no policy value matches, and pass on a missing key.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Operator::StringNotEquals
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringNotLike
                | Operator::NumericNotEquals
                | Operator::DateNotEquals
                | Operator::NotIpAddress
                | Operator::ArnNotEquals
                | Operator::ArnNotLike
        )
    }

    fn comparison(self) -> Comparison {
        match self {
            Operator::NumericLessThan | Operator::DateLessThan => Comparison::Less,
            Operator::NumericLessThanEquals | Operator::DateLessThanEquals => {
                Comparison::LessOrEqual
            }
            Operator::NumericGreaterThan | Operator::DateGreaterThan => Comparison::Greater,
            Operator::NumericGreaterThanEquals | Operator::DateGreaterThanEquals => {
                Comparison::GreaterOrEqual
            }
            _ => Comparison::Equal,
        }
    }

    /// Whether values of this operator may hold policy variables. The policy-variables page
    /// allows them with string and ARN operators; the condition-operators page also lists
    /// `Bool` as supporting them. The pages disagree, so we follow the more permissive one:
    /// a variable in a `Bool` value is resolved and then read as true/false.
    fn takes_variables(self) -> bool {
        matches!(
            self,
            Operator::StringEquals
                | Operator::StringNotEquals
                | Operator::StringEqualsIgnoreCase
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringLike
                | Operator::StringNotLike
                | Operator::ArnEquals
                | Operator::ArnLike
                | Operator::ArnNotEquals
                | Operator::ArnNotLike
                | Operator::Bool
        )
    }

    /// Date operators whose values AWS checks while parsing the policy; a bad date fails
    /// the document with "The policy failed legacy parsing".
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Operator::DateEquals
                | Operator::DateNotEquals
                | Operator::DateLessThan
                | Operator::DateLessThanEquals
                | Operator::DateGreaterThan
                | Operator::DateGreaterThanEquals
        )
    }
}

/// `ForAnyValue:` / `ForAllValues:` (IAM User Guide, "Set operators for multivalued context
/// keys").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

/// A full operator name as written in a policy, e.g. `ForAllValues:StringLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    pub qualifier: Option<SetQualifier>,
    pub operator: Operator,
    pub if_exists: bool,
}

impl ConditionOperator {
    pub fn parse(name: &str) -> Option<Self> {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else {
            (None, name)
        };
        let (if_exists, base) = match rest.strip_suffix("IfExists") {
            Some(base) => (true, base),
            None => (false, rest),
        };
        Some(Self {
            qualifier,
            operator: Operator::from_name(base)?,
            if_exists,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Text {
    Plain(Box<str>),
    Template(Template),
}

#[derive(Debug, Clone, PartialEq)]
enum Pattern {
    Plain(Glob),
    Template(Template),
}

#[derive(Debug, Clone, PartialEq)]
enum ArnValue {
    Plain(ArnPattern),
    Template(Template),
}

#[derive(Debug, Clone, PartialEq)]
enum BoolValue {
    Plain(Option<bool>),
    Template(Template),
}

/// Policy values, parsed for their operator. `None` entries were unparseable and match no
/// request value.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    Exact(Vec<Text>),
    /// Lowercased when plain; templates are lowercased after resolution.
    IgnoreCase(Vec<Text>),
    Like(Vec<Pattern>),
    Number(Vec<Option<f64>>),
    Date(Vec<Option<Instant>>),
    Bool(Vec<BoolValue>),
    Binary(Vec<Option<Vec<u8>>>),
    Ip(Vec<Option<Cidr>>),
    Arn(Vec<ArnValue>),
    Null(Vec<Option<bool>>),
}

/// One compiled `"Operator": { "key": values }` pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    op: ConditionOperator,
    /// Lowercased key, for context lookups.
    normalized: Box<str>,
    /// The key as written.
    key: Box<str>,
    values: Values,
}

fn text_value(value: &str, variables: bool) -> Text {
    match variables.then(|| Template::parse(value)).flatten() {
        Some(t) => Text::Template(t),
        None => Text::Plain(value.into()),
    }
}

impl Condition {
    /// Compiles a condition; `variables` is true for `Version: 2012-10-17` documents.
    pub fn compile(op: ConditionOperator, key: &str, raw: &[String], variables: bool) -> Self {
        let variables = variables && op.operator.takes_variables();
        let values = match op.operator {
            Operator::StringEquals | Operator::StringNotEquals => {
                Values::Exact(raw.iter().map(|v| text_value(v, variables)).collect())
            }
            Operator::StringEqualsIgnoreCase | Operator::StringNotEqualsIgnoreCase => {
                Values::IgnoreCase(
                    raw.iter()
                        .map(|v| match text_value(v, variables) {
                            Text::Plain(p) => Text::Plain(p.to_lowercase().into()),
                            t => t,
                        })
                        .collect(),
                )
            }
            Operator::StringLike | Operator::StringNotLike => Values::Like(
                raw.iter()
                    .map(|v| match variables.then(|| Template::parse(v)).flatten() {
                        Some(t) => Pattern::Template(t),
                        None => Pattern::Plain(Glob::new(v)),
                    })
                    .collect(),
            ),
            Operator::NumericEquals
            | Operator::NumericNotEquals
            | Operator::NumericLessThan
            | Operator::NumericLessThanEquals
            | Operator::NumericGreaterThan
            | Operator::NumericGreaterThanEquals => {
                Values::Number(raw.iter().map(|v| parse_number(v)).collect())
            }
            Operator::DateEquals
            | Operator::DateNotEquals
            | Operator::DateLessThan
            | Operator::DateLessThanEquals
            | Operator::DateGreaterThan
            | Operator::DateGreaterThanEquals => {
                Values::Date(raw.iter().map(|v| parse_date(v)).collect())
            }
            Operator::Bool => Values::Bool(
                raw.iter()
                    .map(|v| match variables.then(|| Template::parse(v)).flatten() {
                        Some(t) => BoolValue::Template(t),
                        None => BoolValue::Plain(parse_bool(v)),
                    })
                    .collect(),
            ),
            Operator::BinaryEquals => Values::Binary(raw.iter().map(|v| parse_base64(v)).collect()),
            Operator::IpAddress | Operator::NotIpAddress => {
                Values::Ip(raw.iter().map(|v| Cidr::parse(v)).collect())
            }
            Operator::ArnEquals
            | Operator::ArnLike
            | Operator::ArnNotEquals
            | Operator::ArnNotLike => Values::Arn(
                raw.iter()
                    .map(|v| match variables.then(|| Template::parse(v)).flatten() {
                        Some(t) => ArnValue::Template(t),
                        None => ArnValue::Plain(ArnPattern::new(v)),
                    })
                    .collect(),
            ),
            Operator::Null => Values::Null(raw.iter().map(|v| parse_bool(v)).collect()),
        };
        Self {
            op,
            normalized: normalize_key(key).into(),
            key: key.into(),
            values,
        }
    }

    pub fn operator(&self) -> ConditionOperator {
        self.op
    }

    /// The condition key as written in the policy.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The lowercased key used for lookups.
    pub fn normalized_key(&self) -> &str {
        &self.normalized
    }

    /// Context keys read by policy variables inside the values, as written.
    pub fn variable_keys(&self) -> Vec<&str> {
        let templates: Vec<&Template> = match &self.values {
            Values::Exact(v) | Values::IgnoreCase(v) => v
                .iter()
                .filter_map(|t| match t {
                    Text::Template(t) => Some(t),
                    Text::Plain(_) => None,
                })
                .collect(),
            Values::Like(v) => v
                .iter()
                .filter_map(|t| match t {
                    Pattern::Template(t) => Some(t),
                    Pattern::Plain(_) => None,
                })
                .collect(),
            Values::Arn(v) => v
                .iter()
                .filter_map(|t| match t {
                    ArnValue::Template(t) => Some(t),
                    ArnValue::Plain(_) => None,
                })
                .collect(),
            Values::Bool(v) => v
                .iter()
                .filter_map(|t| match t {
                    BoolValue::Template(t) => Some(t),
                    BoolValue::Plain(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        templates.into_iter().flat_map(Template::keys).collect()
    }

    /// Evaluates this condition against the request context.
    pub fn evaluate(&self, ctx: &RequestContext) -> bool {
        let found = ctx.get_normalized(&self.normalized);
        if let Values::Null(expected) = &self.values {
            // "true" means the key is absent; an empty list carries no value either.
            let absent = found.is_none_or(|v| v.values().is_empty());
            return expected.contains(&Some(absent));
        }
        let negated = self.op.operator.is_negated();
        let single = |value: &str| self.any_value_matches(value, ctx) != negated;
        match self.op.qualifier {
            None => match found {
                None => self.op.if_exists || negated,
                Some(ContextValue::List(_)) => negated,
                Some(ContextValue::Single(v)) => single(v),
            },
            Some(SetQualifier::ForAnyValue) => match found {
                None => self.op.if_exists,
                Some(v) => v.values().iter().any(|v| single(v)),
            },
            Some(SetQualifier::ForAllValues) => match found {
                None => true,
                Some(v) => v.values().iter().all(|v| single(v)),
            },
        }
    }

    /// Whether any policy value matches one request value under the positive form of the
    /// operator.
    fn any_value_matches(&self, request: &str, ctx: &RequestContext) -> bool {
        match &self.values {
            Values::Exact(values) => values.iter().any(|v| match v {
                Text::Plain(p) => **p == *request,
                Text::Template(t) => t.resolve_text(ctx).is_ok_and(|p| p == request),
            }),
            Values::IgnoreCase(values) => {
                let lowered = request.to_lowercase();
                values.iter().any(|v| match v {
                    Text::Plain(p) => **p == *lowered,
                    Text::Template(t) => t
                        .resolve_text(ctx)
                        .is_ok_and(|p| p.to_lowercase() == lowered),
                })
            }
            Values::Like(values) => {
                let mut elems = Vec::new();
                values.iter().any(|v| match v {
                    Pattern::Plain(g) => g.matches(request),
                    Pattern::Template(t) => {
                        if !request.starts_with(t.literal_prefix()) {
                            return false;
                        }
                        elems.clear();
                        t.resolve_pattern(ctx, &mut elems).is_ok()
                            && elems_match(&elems, request.as_bytes())
                    }
                })
            }
            Values::Number(values) => {
                let Some(number) = parse_number(request) else {
                    return false;
                };
                let cmp = self.op.operator.comparison();
                values.iter().flatten().any(|&p| cmp.holds(number, p))
            }
            Values::Date(values) => {
                let Some(date) = parse_date(request) else {
                    return false;
                };
                let cmp = self.op.operator.comparison();
                values.iter().flatten().any(|&p| cmp.holds(date, p))
            }
            Values::Bool(values) => {
                let Some(flag) = parse_bool(request) else {
                    return false;
                };
                values.iter().any(|v| match v {
                    BoolValue::Plain(p) => *p == Some(flag),
                    BoolValue::Template(t) => t
                        .resolve_text(ctx)
                        .is_ok_and(|p| parse_bool(&p) == Some(flag)),
                })
            }
            Values::Binary(values) => {
                let Some(bytes) = parse_base64(request) else {
                    return false;
                };
                values.iter().flatten().any(|p| *p == bytes)
            }
            Values::Ip(values) => {
                let Some(ip): Option<IpAddr> = parse_ip(request) else {
                    return false;
                };
                values.iter().flatten().any(|c| c.contains(ip))
            }
            Values::Arn(values) => {
                let mut elems = Vec::new();
                values.iter().any(|v| match v {
                    ArnValue::Plain(p) => p.matches(request),
                    ArnValue::Template(t) => {
                        if !request.starts_with(t.literal_prefix()) {
                            return false;
                        }
                        elems.clear();
                        t.resolve_pattern(ctx, &mut elems).is_ok()
                            && elems_match_arn(&elems, request)
                    }
                })
            }
            Values::Null(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operator_names_with_qualifiers_and_suffix() {
        let op = ConditionOperator::parse("ForAllValues:StringLikeIfExists").expect("valid");
        assert_eq!(op.qualifier, Some(SetQualifier::ForAllValues));
        assert_eq!(op.operator, Operator::StringLike);
        assert!(op.if_exists);
        assert_eq!(ConditionOperator::parse("stringequals"), None);
        assert_eq!(ConditionOperator::parse("ForAnyValue:Nope"), None);
        for op in ALL_OPERATORS {
            assert_eq!(Operator::from_name(op.name()), Some(op));
        }
    }
}
