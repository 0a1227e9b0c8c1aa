//! Evaluation tables: one row = policies + request + expected decision (and deciding Sid),
//! each with the AWS documentation rule it checks.

use iamlocal::policy::{
    context_keys, evaluate, parse_policy, ContextValue, Decision, DenyReason, Evaluation,
    PolicyKind, PolicyRef, PolicySet, PolicyType, Position, Principal, PrincipalKind, Request,
    RequestContext,
};

use Decision::{Allowed, ExplicitDeny, ImplicitDeny};

const ACCT: &str = "111111111111";
const OTHER: &str = "222222222222";

#[derive(Clone, Copy, Debug)]
enum Who {
    Alice,
    Root,
    /// Session `s1` of role `Dev`.
    Session,
    Federated,
    Anonymous,
    /// `bob` in the other account.
    Bob,
    Ec2,
    Google,
}

fn principal(who: Who) -> Principal {
    let p = |arn: &str, account: &str, kind| Principal {
        arn: arn.to_string(),
        account: account.to_string(),
        kind,
    };
    match who {
        Who::Alice => p(
            "arn:aws:iam::111111111111:user/alice",
            ACCT,
            PrincipalKind::User,
        ),
        Who::Root => p("arn:aws:iam::111111111111:root", ACCT, PrincipalKind::Root),
        Who::Session => p(
            "arn:aws:sts::111111111111:assumed-role/Dev/s1",
            ACCT,
            PrincipalKind::AssumedRole {
                role_arn: "arn:aws:iam::111111111111:role/Dev".into(),
            },
        ),
        Who::Federated => p(
            "arn:aws:sts::111111111111:federated-user/fed",
            ACCT,
            PrincipalKind::FederatedUser,
        ),
        Who::Anonymous => p("", "", PrincipalKind::Anonymous),
        Who::Bob => p(
            "arn:aws:iam::222222222222:user/bob",
            OTHER,
            PrincipalKind::User,
        ),
        Who::Ec2 => p(
            "ec2.amazonaws.com",
            "",
            PrincipalKind::Service {
                service: "ec2.amazonaws.com".into(),
            },
        ),
        Who::Google => p(
            "accounts.google.com",
            "",
            PrincipalKind::WebIdentity {
                provider: "accounts.google.com".into(),
            },
        ),
    }
}

/// A 2012-10-17 document from statement bodies.
fn doc(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn allow(sid: &str, action: &str, resource: &str) -> String {
    format!(r#"{{"Sid":"{sid}","Effect":"Allow","Action":"{action}","Resource":"{resource}"}}"#)
}

fn deny(sid: &str, action: &str, resource: &str) -> String {
    format!(r#"{{"Sid":"{sid}","Effect":"Deny","Action":"{action}","Resource":"{resource}"}}"#)
}

fn resource_stmt(sid: &str, effect: &str, principal: &str, action: &str, resource: &str) -> String {
    format!(
        r#"{{"Sid":"{sid}","Effect":"{effect}","Principal":{principal},"Action":"{action}","Resource":"{resource}"}}"#
    )
}

fn trust_stmt(sid: &str, principal: &str, action: &str) -> String {
    format!(r#"{{"Sid":"{sid}","Effect":"Allow","Principal":{principal},"Action":"{action}"}}"#)
}

#[derive(Clone)]
struct Case {
    rule: &'static str,
    identity: Vec<String>,
    boundary: Option<String>,
    session: Option<Vec<String>>,
    resource: Option<(String, PolicyKind)>,
    resource_account: Option<&'static str>,
    who: Who,
    action: &'static str,
    arn: &'static str,
    context: RequestContext,
    expect: Decision,
    reason: Option<DenyReason>,
    sid: Option<&'static str>,
}

impl Case {
    fn new(rule: &'static str, action: &'static str, arn: &'static str) -> Self {
        Self {
            rule,
            identity: Vec::new(),
            boundary: None,
            session: None,
            resource: None,
            resource_account: None,
            who: Who::Alice,
            action,
            arn,
            context: RequestContext::new(),
            expect: ImplicitDeny,
            reason: None,
            sid: None,
        }
    }
    fn identity(mut self, document: String) -> Self {
        self.identity.push(document);
        self
    }
    fn boundary(mut self, document: String) -> Self {
        self.boundary = Some(document);
        self
    }
    fn session(mut self, documents: Vec<String>) -> Self {
        self.session = Some(documents);
        self
    }
    fn resource(mut self, document: String) -> Self {
        self.resource = Some((document, PolicyKind::Resource));
        self
    }
    fn trust(mut self, document: String) -> Self {
        self.resource = Some((document, PolicyKind::Trust));
        self
    }
    fn owner(mut self, account: &'static str) -> Self {
        self.resource_account = Some(account);
        self
    }
    fn who(mut self, who: Who) -> Self {
        self.who = who;
        self
    }
    fn ctx(mut self, key: &str, value: &str) -> Self {
        self.context.set(key, value);
        self
    }
    fn ctx_list(mut self, key: &str, values: &[&str]) -> Self {
        self.context.set_list(key, values.iter().copied());
        self
    }
    fn allowed(mut self, sid: &'static str) -> Self {
        self.expect = Allowed;
        self.sid = Some(sid);
        self
    }
    fn allowed_without_statement(mut self) -> Self {
        self.expect = Allowed;
        self
    }
    fn explicit(mut self, reason: DenyReason, sid: &'static str) -> Self {
        self.expect = ExplicitDeny;
        self.reason = Some(reason);
        self.sid = Some(sid);
        self
    }
    fn implicit(mut self, reason: DenyReason) -> Self {
        self.expect = ImplicitDeny;
        self.reason = Some(reason);
        self
    }

    fn run(&self) -> Evaluation {
        let parse = |text: &str, kind| {
            parse_policy(text, kind)
                .unwrap_or_else(|e| panic!("{}: policy does not parse: {e}\n{text}", self.rule))
        };
        let identity: Vec<_> = self
            .identity
            .iter()
            .map(|d| parse(d, PolicyKind::Identity))
            .collect();
        let boundary = self
            .boundary
            .as_ref()
            .map(|d| parse(d, PolicyKind::Identity));
        let session: Option<Vec<_>> = self.session.as_ref().map(|list| {
            list.iter()
                .map(|d| parse(d, PolicyKind::Identity))
                .collect()
        });
        let resource = self.resource.as_ref().map(|(d, kind)| parse(d, *kind));
        let names: Vec<String> = (1..=identity.len()).map(|i| format!("policy{i}")).collect();
        let set = PolicySet {
            identity: identity
                .iter()
                .zip(&names)
                .map(|(policy, id)| PolicyRef {
                    id: id.as_str().into(),
                    policy_type: PolicyType::Inline,
                    policy,
                })
                .collect(),
            boundary: boundary.as_ref().map(|policy| PolicyRef {
                id: "boundary".into(),
                policy_type: PolicyType::Boundary,
                policy,
            }),
            session: session.as_ref().map(|list| {
                list.iter()
                    .map(|policy| PolicyRef {
                        id: "session".into(),
                        policy_type: PolicyType::Session,
                        policy,
                    })
                    .collect()
            }),
            resource: resource.as_ref().map(|policy| PolicyRef {
                id: "resource".into(),
                policy_type: PolicyType::ResourceBased,
                policy,
            }),
            resource_account: self.resource_account,
        };
        let who = principal(self.who);
        let request = Request {
            principal: &who,
            action: self.action,
            resource: self.arn,
            context: &self.context,
        };
        evaluate(&request, &set)
    }

    fn check(&self) -> Option<String> {
        let result = self.run();
        let sid = result.matched.first().and_then(|m| m.sid.as_deref());
        let reason_ok = self.reason.is_none() || result.reason == self.reason;
        let sid_ok = self.sid.is_none() || sid == self.sid;
        (result.decision != self.expect || !reason_ok || !sid_ok).then(|| {
            format!(
                "{}\n  expected {:?} {:?} sid {:?}\n  got      {:?} {:?} sid {:?}",
                self.rule, self.expect, self.reason, self.sid, result.decision, result.reason, sid
            )
        })
    }
}

/// Runs a table and reports every failing row at once.
fn run_table(cases: &[Case]) -> usize {
    let failures: Vec<String> = cases.iter().filter_map(Case::check).collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    cases.len()
}

/// A condition row: one Allow statement with one condition, the request context, and
/// whether the condition should hold.
struct Cond {
    rule: &'static str,
    operator: &'static str,
    key: &'static str,
    values: &'static str,
    context: Vec<(&'static str, ContextValue)>,
    holds: bool,
}

fn s(v: &str) -> ContextValue {
    ContextValue::Single(v.to_string())
}

fn l(v: &[&str]) -> ContextValue {
    ContextValue::List(v.iter().map(|x| x.to_string()).collect())
}

fn cond(
    rule: &'static str,
    operator: &'static str,
    key: &'static str,
    values: &'static str,
    context: Vec<(&'static str, ContextValue)>,
    holds: bool,
) -> Cond {
    Cond {
        rule,
        operator,
        key,
        values,
        context,
        holds,
    }
}

fn condition_rows() -> Vec<Cond> {
    let u = |v: &str| vec![("aws:username", s(v))];
    let tags = |v: &[&str]| vec![("aws:TagKeys", l(v))];
    let now = |v: &str| vec![("aws:CurrentTime", s(v))];
    let ip = |v: &str| vec![("aws:SourceIp", s(v))];
    let arn = |v: &str| vec![("aws:SourceArn", s(v))];
    let none = Vec::new;
    vec![
        // String operators (IAM User Guide, "String condition operators").
        cond(
            "StringEquals exact match",
            "StringEquals",
            "aws:username",
            r#""alice""#,
            u("alice"),
            true,
        ),
        cond(
            "StringEquals is case-sensitive",
            "StringEquals",
            "aws:username",
            r#""Alice""#,
            u("alice"),
            false,
        ),
        cond(
            "several values for one key are OR'd",
            "StringEquals",
            "aws:username",
            r#"["bob","alice"]"#,
            u("alice"),
            true,
        ),
        cond(
            "missing key: positive operator is false",
            "StringEquals",
            "aws:username",
            r#""alice""#,
            none(),
            false,
        ),
        cond(
            "StringNotEquals with another value",
            "StringNotEquals",
            "aws:username",
            r#""bob""#,
            u("alice"),
            true,
        ),
        cond(
            "negated operator: none of the values may match",
            "StringNotEquals",
            "aws:username",
            r#"["bob","alice"]"#,
            u("alice"),
            false,
        ),
        cond(
            "missing key: negated operator is true",
            "StringNotEquals",
            "aws:username",
            r#""bob""#,
            none(),
            true,
        ),
        cond(
            "StringEqualsIgnoreCase",
            "StringEqualsIgnoreCase",
            "aws:username",
            r#""ALICE""#,
            u("alice"),
            true,
        ),
        cond(
            "StringNotEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "aws:username",
            r#""ALICE""#,
            u("alice"),
            false,
        ),
        cond(
            "StringNotEqualsIgnoreCase other value",
            "StringNotEqualsIgnoreCase",
            "aws:username",
            r#""BOB""#,
            u("alice"),
            true,
        ),
        cond(
            "StringLike with *",
            "StringLike",
            "aws:username",
            r#""al*""#,
            u("alice"),
            true,
        ),
        cond(
            "StringLike with ?",
            "StringLike",
            "aws:username",
            r#""a?ice""#,
            u("alice"),
            true,
        ),
        cond(
            "StringLike * crosses / and :",
            "StringLike",
            "s3:prefix",
            r#""home/*""#,
            vec![("s3:prefix", s("home/a/b:c"))],
            true,
        ),
        cond(
            "StringLike no match",
            "StringLike",
            "aws:username",
            r#""b*""#,
            u("alice"),
            false,
        ),
        cond(
            "StringLike is case-sensitive",
            "StringLike",
            "aws:username",
            r#""AL*""#,
            u("alice"),
            false,
        ),
        cond(
            "StringNotLike",
            "StringNotLike",
            "aws:username",
            r#""b*""#,
            u("alice"),
            true,
        ),
        cond(
            "StringNotLike matching value",
            "StringNotLike",
            "aws:username",
            r#"["b*","a*"]"#,
            u("alice"),
            false,
        ),
        cond(
            "StringNotLike missing key",
            "StringNotLike",
            "aws:username",
            r#""b*""#,
            none(),
            true,
        ),
        // …IfExists (IAM User Guide, "...IfExists condition operators").
        cond(
            "IfExists: missing key is true",
            "StringEqualsIfExists",
            "aws:username",
            r#""alice""#,
            none(),
            true,
        ),
        cond(
            "IfExists: present key is tested",
            "StringEqualsIfExists",
            "aws:username",
            r#""bob""#,
            u("alice"),
            false,
        ),
        cond(
            "IfExists on a negated operator, missing key",
            "StringNotEqualsIfExists",
            "aws:username",
            r#""bob""#,
            none(),
            true,
        ),
        cond(
            "IfExists on a negated operator, matching value",
            "StringNotLikeIfExists",
            "aws:username",
            r#""a*""#,
            u("alice"),
            false,
        ),
        // Settled in live simulator runs: a list never satisfies a plain operator.
        cond(
            "list value never satisfies StringLike",
            "StringLike",
            "aws:TagKeys",
            r#""*""#,
            tags(&["a"]),
            false,
        ),
        cond(
            "one-element list never satisfies StringEquals",
            "StringEquals",
            "aws:TagKeys",
            r#""a""#,
            tags(&["a"]),
            false,
        ),
        cond(
            "list value: negated plain operator finds no match, so it holds",
            "StringNotEquals",
            "aws:TagKeys",
            r#""a""#,
            tags(&["a"]),
            true,
        ),
        // Numeric (IAM User Guide, "Numeric condition operators").
        cond(
            "NumericEquals",
            "NumericEquals",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("10"))],
            true,
        ),
        cond(
            "NumericEquals compares numbers, not text",
            "NumericEquals",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("10.0"))],
            true,
        ),
        cond(
            "NumericEquals with an unquoted number",
            "NumericEquals",
            "s3:max-keys",
            "10",
            vec![("s3:max-keys", s("10"))],
            true,
        ),
        cond(
            "NumericNotEquals",
            "NumericNotEquals",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("11"))],
            true,
        ),
        cond(
            "NumericLessThan true",
            "NumericLessThan",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("9"))],
            true,
        ),
        cond(
            "NumericLessThan equal is false",
            "NumericLessThan",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("10"))],
            false,
        ),
        cond(
            "NumericLessThanEquals equal",
            "NumericLessThanEquals",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("10"))],
            true,
        ),
        cond(
            "NumericGreaterThan",
            "NumericGreaterThan",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("11"))],
            true,
        ),
        cond(
            "NumericGreaterThanEquals smaller is false",
            "NumericGreaterThanEquals",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("9"))],
            false,
        ),
        cond(
            "NumericGreaterThanEquals decimals",
            "NumericGreaterThanEquals",
            "s3:max-keys",
            r#""1.5""#,
            vec![("s3:max-keys", s("1.5"))],
            true,
        ),
        cond(
            "non-numeric request value does not match",
            "NumericEquals",
            "s3:max-keys",
            r#""10""#,
            vec![("s3:max-keys", s("ten"))],
            false,
        ),
        cond(
            "numeric missing key",
            "NumericLessThan",
            "s3:max-keys",
            r#""10""#,
            none(),
            false,
        ),
        cond(
            "numeric IfExists missing key",
            "NumericLessThanIfExists",
            "s3:max-keys",
            r#""10""#,
            none(),
            true,
        ),
        // Date (IAM User Guide, "Date condition operators": ISO 8601 or epoch).
        cond(
            "DateLessThan",
            "DateLessThan",
            "aws:CurrentTime",
            r#""2030-01-01T00:00:00Z""#,
            now("2024-05-01T00:00:00Z"),
            true,
        ),
        cond(
            "DateGreaterThan",
            "DateGreaterThan",
            "aws:CurrentTime",
            r#""2030-01-01T00:00:00Z""#,
            now("2024-05-01T00:00:00Z"),
            false,
        ),
        cond(
            "DateEquals epoch vs ISO",
            "DateEquals",
            "aws:CurrentTime",
            r#""1376654400""#,
            now("2013-08-16T12:00:00Z"),
            true,
        ),
        cond(
            "DateNotEquals same instant",
            "DateNotEquals",
            "aws:CurrentTime",
            r#""2013-08-16T12:00:00Z""#,
            now("2013-08-16T12:00:00Z"),
            false,
        ),
        cond(
            "DateLessThanEquals same instant",
            "DateLessThanEquals",
            "aws:CurrentTime",
            r#""2013-08-16T12:00:00Z""#,
            now("2013-08-16T12:00:00Z"),
            true,
        ),
        cond(
            "DateGreaterThanEquals across time zones",
            "DateGreaterThanEquals",
            "aws:CurrentTime",
            r#""2013-08-16T14:00:00+02:00""#,
            now("2013-08-16T12:00:00Z"),
            true,
        ),
        cond(
            "Date with epoch request value",
            "DateGreaterThan",
            "aws:EpochTime",
            r#""2023-01-01T00:00:00Z""#,
            vec![("aws:EpochTime", s("1700000000"))],
            true,
        ),
        cond(
            "date-only value is midnight UTC",
            "DateLessThan",
            "aws:CurrentTime",
            r#""2024-05-02""#,
            now("2024-05-01T23:59:59Z"),
            true,
        ),
        cond(
            "date missing key",
            "DateLessThan",
            "aws:CurrentTime",
            r#""2030-01-01T00:00:00Z""#,
            none(),
            false,
        ),
        // Bool (IAM User Guide, "Boolean condition operators").
        cond(
            "Bool true",
            "Bool",
            "aws:SecureTransport",
            r#""true""#,
            vec![("aws:SecureTransport", s("true"))],
            true,
        ),
        cond(
            "Bool mismatch",
            "Bool",
            "aws:SecureTransport",
            r#""false""#,
            vec![("aws:SecureTransport", s("true"))],
            false,
        ),
        cond(
            "Bool with an unquoted boolean",
            "Bool",
            "aws:SecureTransport",
            "true",
            vec![("aws:SecureTransport", s("true"))],
            true,
        ),
        cond(
            "Bool ignores case",
            "Bool",
            "aws:SecureTransport",
            r#""TRUE""#,
            vec![("aws:SecureTransport", s("true"))],
            true,
        ),
        cond(
            "BoolIfExists on long-term keys (no MFA key)",
            "BoolIfExists",
            "aws:MultiFactorAuthPresent",
            r#""false""#,
            none(),
            true,
        ),
        cond(
            "Bool missing key",
            "Bool",
            "aws:MultiFactorAuthPresent",
            r#""false""#,
            none(),
            false,
        ),
        // Binary (IAM User Guide, "Binary condition operators": base-64).
        cond(
            "BinaryEquals",
            "BinaryEquals",
            "key",
            r#""QmluYXJ5VmFsdWU=""#,
            vec![("key", s("QmluYXJ5VmFsdWU="))],
            true,
        ),
        cond(
            "BinaryEquals other bytes",
            "BinaryEquals",
            "key",
            r#""QmluYXJ5VmFsdWU=""#,
            vec![("key", s("QQ=="))],
            false,
        ),
        // IP (IAM User Guide, "IP address condition operators").
        cond(
            "IpAddress in range",
            "IpAddress",
            "aws:SourceIp",
            r#""203.0.113.0/24""#,
            ip("203.0.113.5"),
            true,
        ),
        cond(
            "IpAddress out of range",
            "IpAddress",
            "aws:SourceIp",
            r#""203.0.113.0/24""#,
            ip("198.51.100.1"),
            false,
        ),
        cond(
            "NotIpAddress out of range",
            "NotIpAddress",
            "aws:SourceIp",
            r#""203.0.113.0/24""#,
            ip("198.51.100.1"),
            true,
        ),
        cond(
            "bare address is a /32",
            "IpAddress",
            "aws:SourceIp",
            r#""10.0.0.1""#,
            ip("10.0.0.1"),
            true,
        ),
        cond(
            "IPv6 range",
            "IpAddress",
            "aws:SourceIp",
            r#""2001:DB8::/32""#,
            ip("2001:db8::1"),
            true,
        ),
        cond(
            "mixed v4/v6 list",
            "IpAddress",
            "aws:SourceIp",
            r#"["10.0.0.0/8","2001:DB8::/32"]"#,
            ip("2001:db8:1::5"),
            true,
        ),
        cond(
            "v4 range never matches a v6 address",
            "IpAddress",
            "aws:SourceIp",
            r#""0.0.0.0/0""#,
            ip("2001:db8::1"),
            false,
        ),
        cond(
            "NotIpAddress missing key",
            "NotIpAddress",
            "aws:SourceIp",
            r#""10.0.0.0/8""#,
            none(),
            true,
        ),
        // ARN (IAM User Guide, "Amazon Resource Name (ARN) condition operators").
        cond(
            "ArnEquals",
            "ArnEquals",
            "aws:SourceArn",
            r#""arn:aws:iam::111111111111:role/R""#,
            arn("arn:aws:iam::111111111111:role/R"),
            true,
        ),
        cond(
            "ArnEquals is case-sensitive",
            "ArnEquals",
            "aws:SourceArn",
            r#""arn:aws:iam::111111111111:role/r""#,
            arn("arn:aws:iam::111111111111:role/R"),
            false,
        ),
        cond(
            "ArnLike with wildcards per part",
            "ArnLike",
            "aws:SourceArn",
            r#""arn:aws:iam::*:role/*""#,
            arn("arn:aws:iam::111111111111:role/R"),
            true,
        ),
        cond(
            "ArnEquals also takes wildcards",
            "ArnEquals",
            "aws:SourceArn",
            r#""arn:aws:sqs:us-east-1:*:*""#,
            arn("arn:aws:sqs:us-east-1:111111111111:q"),
            true,
        ),
        cond(
            "ArnLike region part mismatch",
            "ArnLike",
            "aws:SourceArn",
            r#""arn:aws:*:us-east-1:*:*""#,
            arn("arn:aws:sqs:eu-west-1:111111111111:q"),
            false,
        ),
        cond(
            "ArnLike: * in the account part does not swallow a colon",
            "ArnLike",
            "aws:SourceArn",
            r#""arn:aws:s3:::*:x""#,
            arn("arn:aws:s3:::b:x"),
            true,
        ),
        cond(
            "ArnNotEquals other ARN",
            "ArnNotEquals",
            "aws:SourceArn",
            r#""arn:aws:iam::111111111111:role/R""#,
            arn("arn:aws:iam::111111111111:role/Other"),
            true,
        ),
        cond(
            "ArnNotLike missing key",
            "ArnNotLike",
            "aws:SourceArn",
            r#""arn:aws:iam::*:role/*""#,
            none(),
            true,
        ),
        cond(
            "ArnLike with a non-ARN request value",
            "ArnLike",
            "aws:SourceArn",
            r#""arn:aws:iam::*:role/*""#,
            arn("role/R"),
            false,
        ),
        // Null (IAM User Guide, "Condition operator to check existence of condition keys").
        cond(
            "Null true on a missing key",
            "Null",
            "aws:TokenIssueTime",
            r#""true""#,
            none(),
            true,
        ),
        cond(
            "Null true on a present key",
            "Null",
            "aws:TokenIssueTime",
            r#""true""#,
            now("x")
                .into_iter()
                .map(|(_, v)| ("aws:TokenIssueTime", v))
                .collect(),
            false,
        ),
        cond(
            "Null false on a present key",
            "Null",
            "aws:username",
            r#""false""#,
            u("alice"),
            true,
        ),
        cond(
            "Null false on a missing key",
            "Null",
            "aws:username",
            r#""false""#,
            none(),
            false,
        ),
        cond(
            "Null true on an empty list",
            "Null",
            "aws:TagKeys",
            r#""true""#,
            tags(&[]),
            true,
        ),
        // Set qualifiers (IAM User Guide, "Set operators for multivalued context keys").
        cond(
            "ForAnyValue: one request value matches",
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            r#"["a","b"]"#,
            tags(&["b", "c"]),
            true,
        ),
        cond(
            "ForAnyValue: no request value matches",
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            tags(&["b", "c"]),
            false,
        ),
        cond(
            "ForAnyValue: missing key is false",
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            none(),
            false,
        ),
        cond(
            "ForAnyValue: empty list is false",
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            tags(&[]),
            false,
        ),
        cond(
            "ForAnyValue with IfExists: missing key is true",
            "ForAnyValue:StringEqualsIfExists",
            "aws:TagKeys",
            r#"["a"]"#,
            none(),
            true,
        ),
        cond(
            "ForAllValues: every request value matches",
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            r#"["a","b","c"]"#,
            tags(&["a", "b"]),
            true,
        ),
        cond(
            "ForAllValues: one request value does not",
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            r#"["a","b"]"#,
            tags(&["a", "c"]),
            false,
        ),
        cond(
            "ForAllValues: missing key is true",
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            none(),
            true,
        ),
        cond(
            "ForAllValues: empty list is true",
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            tags(&[]),
            true,
        ),
        cond(
            "ForAllValues:StringNotEquals on an absent key (settled: true)",
            "ForAllValues:StringNotEquals",
            "aws:CalledVia",
            r#""athena.amazonaws.com""#,
            none(),
            true,
        ),
        cond(
            "ForAllValues:StringNotEquals, no value listed",
            "ForAllValues:StringNotEquals",
            "aws:CalledVia",
            r#""athena.amazonaws.com""#,
            vec![("aws:CalledVia", l(&["glue.amazonaws.com"]))],
            true,
        ),
        cond(
            "ForAllValues:StringNotEquals, one value listed",
            "ForAllValues:StringNotEquals",
            "aws:CalledVia",
            r#""athena.amazonaws.com""#,
            vec![(
                "aws:CalledVia",
                l(&["glue.amazonaws.com", "athena.amazonaws.com"]),
            )],
            false,
        ),
        cond(
            "ForAnyValue:StringNotEquals, some value not listed",
            "ForAnyValue:StringNotEquals",
            "aws:TagKeys",
            r#""x""#,
            tags(&["x", "y"]),
            true,
        ),
        cond(
            "ForAnyValue:StringNotEquals, every value listed",
            "ForAnyValue:StringNotEquals",
            "aws:TagKeys",
            r#""x""#,
            tags(&["x"]),
            false,
        ),
        cond(
            "ForAnyValue:StringLike",
            "ForAnyValue:StringLike",
            "aws:TagKeys",
            r#""team*""#,
            tags(&["teamA", "other"]),
            true,
        ),
        cond(
            "ForAllValues:StringLike",
            "ForAllValues:StringLike",
            "aws:TagKeys",
            r#""t*""#,
            tags(&["ta", "tb"]),
            true,
        ),
        cond(
            "ForAnyValue on a single-valued key",
            "ForAnyValue:StringEquals",
            "aws:username",
            r#""alice""#,
            u("alice"),
            true,
        ),
        cond(
            "ForAnyValue:NumericLessThan",
            "ForAnyValue:NumericLessThan",
            "key",
            r#""5""#,
            vec![("key", l(&["10", "3"]))],
            true,
        ),
        cond(
            "ForAllValues:StringEqualsIgnoreCase",
            "ForAllValues:StringEqualsIgnoreCase",
            "aws:TagKeys",
            r#"["A","B"]"#,
            tags(&["a", "b"]),
            true,
        ),
        // Key names are case-insensitive, tag-key suffixes too; values keep their case.
        cond(
            "condition key name ignores case",
            "StringEquals",
            "AWS:UserName",
            r#""alice""#,
            u("alice"),
            true,
        ),
        cond(
            "tag-key suffix ignores case",
            "StringEquals",
            "aws:PrincipalTag/TEAM",
            r#""blue""#,
            vec![("aws:principaltag/team", s("blue"))],
            true,
        ),
        cond(
            "tag value keeps its case",
            "StringEquals",
            "aws:PrincipalTag/team",
            r#""Blue""#,
            vec![("aws:PrincipalTag/team", s("blue"))],
            false,
        ),
        // Policy variables in condition values (IAM User Guide, "Policy variables").
        cond(
            "variable in StringEquals",
            "StringEquals",
            "s3:prefix",
            r#""${aws:username}""#,
            vec![("s3:prefix", s("alice")), ("aws:username", s("alice"))],
            true,
        ),
        cond(
            "variable in StringLike",
            "StringLike",
            "s3:prefix",
            r#""home/${aws:username}/*""#,
            vec![
                ("s3:prefix", s("home/alice/docs")),
                ("aws:username", s("alice")),
            ],
            true,
        ),
        cond(
            "variable in StringLike, other user",
            "StringLike",
            "s3:prefix",
            r#""home/${aws:username}/*""#,
            vec![
                ("s3:prefix", s("home/bob/docs")),
                ("aws:username", s("alice")),
            ],
            false,
        ),
        cond(
            "unresolvable variable: positive operator fails",
            "StringEquals",
            "s3:prefix",
            r#""${aws:userid}""#,
            vec![("s3:prefix", s(""))],
            false,
        ),
        cond(
            "unresolvable variable: negated operator passes",
            "StringNotEquals",
            "s3:prefix",
            r#""${aws:userid}""#,
            vec![("s3:prefix", s("x"))],
            true,
        ),
        cond(
            "variable default value",
            "StringEquals",
            "s3:prefix",
            r#""${aws:PrincipalTag/team, 'none'}""#,
            vec![("s3:prefix", s("none"))],
            true,
        ),
        cond(
            "variable value is used over its default",
            "StringEquals",
            "s3:prefix",
            r#""${aws:PrincipalTag/team, 'none'}""#,
            vec![
                ("s3:prefix", s("none")),
                ("aws:PrincipalTag/team", s("blue")),
            ],
            false,
        ),
        cond(
            "${*} is a literal star",
            "StringEquals",
            "s3:prefix",
            r#""a${*}b""#,
            vec![("s3:prefix", s("a*b"))],
            true,
        ),
        cond(
            "${*} is not a wildcard in StringLike",
            "StringLike",
            "s3:prefix",
            r#""a${*}""#,
            vec![("s3:prefix", s("ab"))],
            false,
        ),
        cond(
            "${?} and ${$} escapes",
            "StringEquals",
            "s3:prefix",
            r#""${?}${$}""#,
            vec![("s3:prefix", s("?$"))],
            true,
        ),
        cond(
            "a substituted value is literal in StringLike",
            "StringLike",
            "s3:prefix",
            r#""${aws:username}""#,
            vec![("s3:prefix", s("anything")), ("aws:username", s("*"))],
            false,
        ),
        cond(
            "variable in ArnLike",
            "ArnLike",
            "aws:SourceArn",
            r#""arn:aws:iam::111111111111:user/${aws:username}""#,
            vec![
                ("aws:SourceArn", s("arn:aws:iam::111111111111:user/alice")),
                ("aws:username", s("alice")),
            ],
            true,
        ),
        cond(
            "open question 2: variables resolve in Bool (we follow the operators page)",
            "Bool",
            "aws:MultiFactorAuthPresent",
            r#""${aws:PrincipalTag/mfa}""#,
            vec![
                ("aws:MultiFactorAuthPresent", s("true")),
                ("aws:PrincipalTag/mfa", s("true")),
            ],
            true,
        ),
        cond(
            "variables are not resolved in Numeric values",
            "NumericEquals",
            "s3:max-keys",
            r#""${aws:username}""#,
            vec![("s3:max-keys", s("5")), ("aws:username", s("5"))],
            false,
        ),
        cond(
            "multivalued keys are not variables (default used)",
            "StringEquals",
            "s3:prefix",
            r#""${aws:TagKeys, 'd'}""#,
            vec![("s3:prefix", s("d")), ("aws:TagKeys", l(&["x"]))],
            true,
        ),
    ]
}

#[test]
fn condition_operator_table() {
    let rows = condition_rows();
    let cases: Vec<Case> = rows
        .iter()
        .map(|row| {
            let statement = format!(
                r#"{{"Sid":"C","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"{}":{{"{}":{}}}}}}}"#,
                row.operator, row.key, row.values
            );
            let mut case = Case::new(row.rule, "s3:GetObject", "arn:aws:s3:::b/k").identity(doc(&[&statement]));
            for (key, value) in &row.context {
                case.context.insert(key, value.clone());
            }
            if row.holds {
                case.allowed("C")
            } else {
                case.implicit(DenyReason::NoIdentityAllow)
            }
        })
        .collect();
    eprintln!("condition rows: {}", run_table(&cases));
}

#[test]
fn several_conditions_are_anded() {
    let both = r#"{"Sid":"C","Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice","aws:PrincipalTag/team":"blue"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#;
    let cases = vec![
        // "If your policy has multiple condition operators … evaluated using a logical AND."
        Case::new("all operators and keys hold", "s3:GetObject", "*")
            .identity(doc(&[both]))
            .ctx("aws:username", "alice")
            .ctx("aws:PrincipalTag/team", "blue")
            .ctx("aws:SourceIp", "10.1.2.3")
            .allowed("C"),
        Case::new("one key of one operator fails", "s3:GetObject", "*")
            .identity(doc(&[both]))
            .ctx("aws:username", "alice")
            .ctx("aws:PrincipalTag/team", "red")
            .ctx("aws:SourceIp", "10.1.2.3")
            .implicit(DenyReason::NoIdentityAllow),
        Case::new("the other operator fails", "s3:GetObject", "*")
            .identity(doc(&[both]))
            .ctx("aws:username", "alice")
            .ctx("aws:PrincipalTag/team", "blue")
            .ctx("aws:SourceIp", "192.0.2.1")
            .implicit(DenyReason::NoIdentityAllow),
    ];
    run_table(&cases);
}

#[test]
fn duplicate_json_members_last_one_wins() {
    // JSON leaves duplicate names undefined; IAM's parser keeps the last one, like ours.
    let dup = r#"{"Sid":"C","Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"bob"},"StringEquals":{"aws:username":"carol","aws:username":"alice"}}}"#;
    let cases = vec![
        Case::new(
            "last duplicate operator block and key win",
            "s3:GetObject",
            "*",
        )
        .identity(doc(&[dup]))
        .ctx("aws:username", "alice")
        .allowed("C"),
        Case::new("earlier duplicates are ignored", "s3:GetObject", "*")
            .identity(doc(&[dup]))
            .ctx("aws:username", "bob")
            .implicit(DenyReason::NoIdentityAllow),
    ];
    run_table(&cases);
}

fn decision_rows() -> Vec<Case> {
    use DenyReason::*;
    let get = "s3:GetObject";
    let obj = "arn:aws:s3:::bucket/key";
    let alice_p = r#"{"AWS":"arn:aws:iam::111111111111:user/alice"}"#;
    let account_p = r#"{"AWS":"111111111111"}"#;
    let root_p = r#"{"AWS":"arn:aws:iam::111111111111:root"}"#;
    let role_p = r#"{"AWS":"arn:aws:iam::111111111111:role/Dev"}"#;
    let session_p = r#"{"AWS":"arn:aws:sts::111111111111:assumed-role/Dev/s1"}"#;
    let fed_p = r#"{"AWS":"arn:aws:sts::111111111111:federated-user/fed"}"#;
    let bob_p = r#"{"AWS":"arn:aws:iam::222222222222:user/bob"}"#;
    let other_root_p = r#"{"AWS":"arn:aws:iam::222222222222:root"}"#;
    let allow_get = || doc(&[&allow("A", get, "*")]);
    vec![
        // Policy evaluation logic: default deny, allow, explicit deny.
        Case::new("no policy allows: implicit deny", get, obj).implicit(NoIdentityAllow),
        Case::new("an identity policy allows", get, obj).identity(allow_get()).allowed("A"),
        Case::new("action names are case-insensitive", "s3:GetObject", obj).identity(doc(&[&allow("A", "S3:getobject", "*")])).allowed("A"),
        Case::new("action wildcard *", get, obj).identity(doc(&[&allow("A", "s3:Get*", "*")])).allowed("A"),
        Case::new("action wildcard does not match other actions", "s3:PutObject", obj).identity(doc(&[&allow("A", "s3:Get*", "*")])).implicit(NoIdentityAllow),
        Case::new("action wildcard ?", get, obj).identity(doc(&[&allow("A", "s3:GetObjec?", "*")])).allowed("A"),
        Case::new("Action \"*\" covers every service", "iam:CreateUser", "arn:aws:iam::111111111111:user/x").identity(doc(&[&allow("A", "*", "*")])).allowed("A"),
        Case::new("service part must match too", "ec2:GetObject", obj).identity(doc(&[&allow("A", "s3:GetObject", "*")])).implicit(NoIdentityAllow),
        Case::new("resource ARNs are case-sensitive", get, obj).identity(doc(&[&allow("A", get, "arn:aws:s3:::Bucket/*")])).implicit(NoIdentityAllow),
        Case::new("resource * crosses /", get, "arn:aws:s3:::bucket/a/b/c").identity(doc(&[&allow("A", get, "arn:aws:s3:::bucket/*")])).allowed("A"),
        Case::new("resource ? is one character", get, obj).identity(doc(&[&allow("A", get, "arn:aws:s3:::bucke?/key")])).allowed("A"),
        Case::new("resource wildcard in the region part", "ec2:StartInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1").identity(doc(&[&allow("A", "ec2:*", "arn:aws:ec2:*:111111111111:instance/*")])).allowed("A"),
        Case::new("resource of another account", "ec2:StartInstances", "arn:aws:ec2:us-east-1:333333333333:instance/i-1").identity(doc(&[&allow("A", "ec2:*", "arn:aws:ec2:*:111111111111:instance/*")])).implicit(NoIdentityAllow),
        Case::new("explicit deny beats allow in the same policy", get, obj).identity(doc(&[&allow("A", get, "*"), &deny("D", "s3:*", "*")])).explicit(ExplicitDenyIdentity, "D"),
        Case::new("explicit deny in another policy", get, obj).identity(allow_get()).identity(doc(&[&deny("D", "s3:Get*", "arn:aws:s3:::bucket/*")])).explicit(ExplicitDenyIdentity, "D"),
        Case::new("a deny on another resource does not apply", get, obj).identity(allow_get()).identity(doc(&[&deny("D", "s3:*", "arn:aws:s3:::other/*")])).allowed("A"),
        Case::new("a deny whose condition fails does not apply", get, obj).identity(allow_get()).identity(doc(&[r#"{"Sid":"D","Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#])).ctx("aws:SecureTransport", "true").allowed("A"),
        // NotAction / NotResource (IAM User Guide, NotAction and NotResource elements).
        Case::new("Allow NotAction iam:* allows S3", get, obj).identity(doc(&[r#"{"Sid":"N","Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#])).allowed("N"),
        Case::new("Allow NotAction iam:* does not allow IAM", "iam:CreateUser", "*").identity(doc(&[r#"{"Sid":"N","Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#])).implicit(NoIdentityAllow),
        Case::new("Deny NotAction denies everything else", "iam:CreateUser", "*").identity(doc(&[&allow("A", "*", "*"), r#"{"Sid":"N","Effect":"Deny","NotAction":["s3:*","sts:*"],"Resource":"*"}"#])).explicit(ExplicitDenyIdentity, "N"),
        Case::new("Deny NotAction leaves the listed actions", get, obj).identity(doc(&[&allow("A", "*", "*"), r#"{"Sid":"N","Effect":"Deny","NotAction":["s3:*","sts:*"],"Resource":"*"}"#])).allowed("A"),
        Case::new("Allow NotResource excludes the listed resource", get, "arn:aws:s3:::secret/x").identity(doc(&[r#"{"Sid":"R","Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}"#])).implicit(NoIdentityAllow),
        Case::new("Allow NotResource covers other resources", get, obj).identity(doc(&[r#"{"Sid":"R","Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}"#])).allowed("R"),
        Case::new("Deny NotResource denies outside the listed resource", get, obj).identity(doc(&[&allow("A", "s3:*", "*"), r#"{"Sid":"D","Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::allowed","arn:aws:s3:::allowed/*"]}"#])).explicit(ExplicitDenyIdentity, "D"),
        // sts:GetCallerIdentity (STS API reference: no permissions required).
        Case::new("GetCallerIdentity is allowed even under an explicit deny", "sts:GetCallerIdentity", "*").identity(doc(&[&deny("D", "*", "*")])).allowed_without_statement(),
        // Root (IAM User Guide: root has full access; explicit denies still apply).
        Case::new("root needs no identity policy", "iam:CreateUser", "*").who(Who::Root).allowed_without_statement(),
        Case::new("root is still subject to a resource-policy deny", get, obj).who(Who::Root).resource(doc(&[&resource_stmt("RD", "Deny", r#""*""#, "s3:*", "*")])).explicit(ExplicitDenyResource, "RD"),
        // Permissions boundaries (IAM User Guide, "Permissions boundaries for IAM entities").
        Case::new("identity and boundary both allow", get, obj).identity(allow_get()).boundary(doc(&[&allow("B", "s3:*", "*")])).allowed("A"),
        Case::new("boundary does not allow", get, obj).identity(allow_get()).boundary(doc(&[&allow("B", "ec2:*", "*")])).implicit(NoBoundaryAllow),
        Case::new("boundary alone grants nothing", get, obj).boundary(doc(&[&allow("B", "s3:*", "*")])).implicit(NoIdentityAllow),
        Case::new("explicit deny in the boundary", get, obj).identity(allow_get()).boundary(doc(&[&allow("B", "*", "*"), &deny("BD", "s3:GetObject", "*")])).explicit(ExplicitDenyBoundary, "BD"),
        // Session policies (IAM User Guide, "Session policies").
        Case::new("role session: identity and session policy allow", get, obj).who(Who::Session).identity(allow_get()).session(vec![doc(&[&allow("S", "s3:*", "*")])]).allowed("A"),
        Case::new("role session: session policy does not allow", get, obj).who(Who::Session).identity(allow_get()).session(vec![doc(&[&allow("S", "ec2:*", "*")])]).implicit(NoSessionAllow),
        Case::new("role session: session policy alone grants nothing", get, obj).who(Who::Session).session(vec![doc(&[&allow("S", "s3:*", "*")])]).implicit(NoIdentityAllow),
        Case::new("role session: one of several session policies allows", get, obj).who(Who::Session).identity(allow_get()).session(vec![doc(&[&allow("S1", "ec2:*", "*")]), doc(&[&allow("S2", "s3:*", "*")])]).allowed("A"),
        Case::new("role session: explicit deny in a session policy", get, obj).who(Who::Session).identity(allow_get()).session(vec![doc(&[&deny("SD", "*", "*")])]).explicit(ExplicitDenySession, "SD"),
        Case::new("role session without session policy is limited by identity only", get, obj).who(Who::Session).identity(allow_get()).allowed("A"),
        Case::new("role session: boundary applies", get, obj).who(Who::Session).identity(allow_get()).boundary(doc(&[&allow("B", "ec2:*", "*")])).implicit(NoBoundaryAllow),
        Case::new("federated user without a session policy is denied", get, obj).who(Who::Federated).identity(allow_get()).implicit(NoSessionAllow),
        Case::new("federated user with a session policy", get, obj).who(Who::Federated).identity(allow_get()).session(vec![doc(&[&allow("S", "s3:GetObject", "*")])]).allowed("A"),
        // Resource-based policies, same account (IAM User Guide, "Policy evaluation logic":
        // identity-based and resource-based policies).
        Case::new("resource policy naming the user allows without identity policy", get, obj).resource(doc(&[&resource_stmt("R", "Allow", alice_p, get, obj)])).allowed("R"),
        Case::new("resource policy naming the user is not limited by the boundary", get, obj).boundary(doc(&[&allow("B", "ec2:*", "*")])).resource(doc(&[&resource_stmt("R", "Allow", alice_p, get, obj)])).allowed("R"),
        Case::new("resource policy naming the account only delegates (settled)", get, obj).resource(doc(&[&resource_stmt("R", "Allow", account_p, get, obj)])).implicit(NoIdentityAllow),
        Case::new("resource policy naming account root delegates to an identity allow", get, obj).identity(allow_get()).resource(doc(&[&resource_stmt("R", "Allow", root_p, get, obj)])).allowed("A"),
        Case::new("resource policy naming the role counts as an identity allow", get, obj).who(Who::Session).resource(doc(&[&resource_stmt("R", "Allow", role_p, get, obj)])).allowed("R"),
        Case::new("resource policy naming the role: boundary still applies", get, obj).who(Who::Session).boundary(doc(&[&allow("B", "ec2:*", "*")])).resource(doc(&[&resource_stmt("R", "Allow", role_p, get, obj)])).implicit(NoBoundaryAllow),
        Case::new("resource policy naming the role: session policy still applies", get, obj).who(Who::Session).session(vec![doc(&[&allow("S", "ec2:*", "*")])]).resource(doc(&[&resource_stmt("R", "Allow", role_p, get, obj)])).implicit(NoSessionAllow),
        Case::new("open question 1: session ARN in a resource policy beats a session policy that does not allow", get, obj).who(Who::Session).session(vec![doc(&[&allow("S", "ec2:*", "*")])]).resource(doc(&[&resource_stmt("R", "Allow", session_p, get, obj)])).allowed("R"),
        Case::new("resource policy naming the federated session allows without session policy", get, obj).who(Who::Federated).resource(doc(&[&resource_stmt("R", "Allow", fed_p, get, obj)])).allowed("R"),
        Case::new("resource policy with Principal \"*\" lets anonymous in", get, obj).who(Who::Anonymous).resource(doc(&[&resource_stmt("R", "Allow", r#""*""#, get, obj)])).allowed("R"),
        Case::new("anonymous without a resource policy", get, obj).who(Who::Anonymous).identity(allow_get()).implicit(NoResourceAllow),
        Case::new("resource policy {\"AWS\":\"*\"} is everyone", get, obj).resource(doc(&[&resource_stmt("R", "Allow", r#"{"AWS":"*"}"#, get, obj)])).allowed("R"),
        Case::new("resource policy deny beats an identity allow", get, obj).identity(allow_get()).resource(doc(&[&resource_stmt("RD", "Deny", alice_p, "s3:*", "*")])).explicit(ExplicitDenyResource, "RD"),
        Case::new("resource policy deny for someone else does not apply", get, obj).identity(allow_get()).resource(doc(&[&resource_stmt("RD", "Deny", bob_p, "s3:*", "*")])).allowed("A"),
        Case::new("resource policy allow for someone else does not apply", get, obj).resource(doc(&[&resource_stmt("R", "Allow", bob_p, get, obj)])).implicit(NoIdentityAllow),
        Case::new("resource policy for a service does not cover users", get, obj).resource(doc(&[&resource_stmt("R", "Allow", r#"{"Service":"ec2.amazonaws.com"}"#, get, obj)])).implicit(NoIdentityAllow),
        Case::new("resource policy for a service allows that service", get, obj).who(Who::Ec2).resource(doc(&[&resource_stmt("R", "Allow", r#"{"Service":"ec2.amazonaws.com"}"#, get, obj)])).allowed("R"),
        Case::new("resource policy conditions apply", get, obj).resource(doc(&[r#"{"Sid":"R","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#])).ctx("aws:SourceIp", "192.0.2.1").implicit(NoIdentityAllow),
        // NotPrincipal (IAM User Guide, NotPrincipal: list the account as well).
        Case::new("Deny NotPrincipal exempts a listed user when its account is listed too", get, obj).identity(allow_get()).resource(doc(&[r#"{"Sid":"NP","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111111111111:user/alice","arn:aws:iam::111111111111:root"]},"Action":"s3:*","Resource":"*"}"#])).allowed("A"),
        Case::new("Deny NotPrincipal listing only the user still denies it", get, obj).identity(allow_get()).resource(doc(&[r#"{"Sid":"NP","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111111111111:user/alice"]},"Action":"s3:*","Resource":"*"}"#])).explicit(ExplicitDenyResource, "NP"),
        Case::new("Deny NotPrincipal applies to unlisted principals", get, obj).who(Who::Session).identity(allow_get()).resource(doc(&[r#"{"Sid":"NP","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111111111111:user/alice","arn:aws:iam::111111111111:root"]},"Action":"s3:*","Resource":"*"}"#])).explicit(ExplicitDenyResource, "NP"),
        Case::new("Deny NotPrincipal exempts a role session listed with role and account", get, obj).who(Who::Session).identity(allow_get()).resource(doc(&[r#"{"Sid":"NP","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111111111111:assumed-role/Dev/s1","arn:aws:iam::111111111111:role/Dev","111111111111"]},"Action":"s3:*","Resource":"*"}"#])).allowed("A"),
        // "The NotPrincipal element with a Deny effect will always deny any IAM principal that
        // has a permissions boundary policy attached" (IAM User Guide, Permissions boundaries).
        Case::new("Deny NotPrincipal always applies to a principal with a boundary", get, obj)
            .identity(allow_get())
            .boundary(doc(&[&allow("B", "*", "*")]))
            .resource(doc(&[r#"{"Sid":"NP","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111111111111:user/alice","arn:aws:iam::111111111111:root"]},"Action":"s3:*","Resource":"*"}"#]))
            .explicit(ExplicitDenyResource, "NP"),
        // Cross-account (IAM User Guide, "Cross-account policy evaluation logic").
        Case::new("cross-account: identity allows but no resource policy", get, obj).who(Who::Bob).identity(allow_get()).owner(ACCT).implicit(NoResourceAllow),
        Case::new("cross-account: resource policy names the caller's account and identity allows", get, obj).who(Who::Bob).identity(allow_get()).resource(doc(&[&resource_stmt("R", "Allow", other_root_p, get, obj)])).owner(ACCT).allowed("A"),
        Case::new("cross-account: resource policy names the user but its identity does not allow", get, obj).who(Who::Bob).resource(doc(&[&resource_stmt("R", "Allow", bob_p, get, obj)])).owner(ACCT).implicit(NoIdentityAllow),
        Case::new("cross-account: both sides allow", get, obj).who(Who::Bob).identity(allow_get()).resource(doc(&[&resource_stmt("R", "Allow", bob_p, get, obj)])).owner(ACCT).allowed("A"),
        Case::new("cross-account: resource policy names another account", get, obj).who(Who::Bob).identity(allow_get()).resource(doc(&[&resource_stmt("R", "Allow", account_p, get, obj)])).owner(ACCT).implicit(NoResourceAllow),
        Case::new("cross-account: caller's boundary still applies", get, obj).who(Who::Bob).identity(allow_get()).boundary(doc(&[&allow("B", "ec2:*", "*")])).resource(doc(&[&resource_stmt("R", "Allow", bob_p, get, obj)])).owner(ACCT).implicit(NoBoundaryAllow),
        Case::new("same account named explicitly behaves as same account", get, obj).identity(allow_get()).owner(ACCT).allowed("A"),
        // Trust policies (IAM User Guide, "Role trust policy"; cross-account role access).
        Case::new("trust naming the user lets it assume without an identity policy", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").trust(doc(&[&trust_stmt("T", alice_p, "sts:AssumeRole")])).allowed("T"),
        Case::new("trust naming the account needs an identity allow", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").trust(doc(&[&trust_stmt("T", account_p, "sts:AssumeRole")])).implicit(NoIdentityAllow),
        Case::new("trust naming the account plus identity allow", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").identity(doc(&[&allow("I", "sts:AssumeRole", "arn:aws:iam::111111111111:role/*")])).trust(doc(&[&trust_stmt("T", account_p, "sts:AssumeRole")])).allowed("I"),
        Case::new("trust must allow even in the same account", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").identity(doc(&[&allow("I", "sts:AssumeRole", "*")])).trust(doc(&[&trust_stmt("T", bob_p, "sts:AssumeRole")])).implicit(NoResourceAllow),
        Case::new("trust action must match", "sts:AssumeRoleWithSAML", "arn:aws:iam::111111111111:role/Dev").identity(doc(&[&allow("I", "sts:*", "*")])).trust(doc(&[&trust_stmt("T", account_p, "sts:AssumeRole")])).implicit(NoResourceAllow),
        Case::new("cross-account assume: trust names the other account, identity allows", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").who(Who::Bob).identity(doc(&[&allow("I", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev")])).trust(doc(&[&trust_stmt("T", other_root_p, "sts:AssumeRole")])).owner(ACCT).allowed("I"),
        Case::new("cross-account assume: trust allows but identity does not", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").who(Who::Bob).trust(doc(&[&trust_stmt("T", other_root_p, "sts:AssumeRole")])).owner(ACCT).implicit(NoIdentityAllow),
        Case::new("trust with a service principal", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").who(Who::Ec2).trust(doc(&[&trust_stmt("T", r#"{"Service":"ec2.amazonaws.com"}"#, "sts:AssumeRole")])).allowed("T"),
        Case::new("trust for web identity with an audience condition", "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111111111111:role/Dev").who(Who::Google).trust(doc(&[r#"{"Sid":"W","Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"my-app"}}}"#])).ctx("accounts.google.com:aud", "my-app").allowed("W"),
        Case::new("trust for web identity, wrong audience", "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111111111111:role/Dev").who(Who::Google).trust(doc(&[r#"{"Sid":"W","Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"my-app"}}}"#])).ctx("accounts.google.com:aud", "other").implicit(NoResourceAllow),
        Case::new("trust with an explicit deny", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").trust(doc(&[&trust_stmt("T", alice_p, "sts:AssumeRole"), r#"{"Sid":"TD","Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#])).ctx("aws:MultiFactorAuthPresent", "false").explicit(ExplicitDenyResource, "TD"),
        Case::new("trust with an external-id condition", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Dev").who(Who::Bob).identity(doc(&[&allow("I", "sts:AssumeRole", "*")])).trust(doc(&[r#"{"Sid":"T","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x-1"}}}"#])).owner(ACCT).ctx("sts:ExternalId", "x-1").allowed("I"),
        // Policy variables in Resource (IAM User Guide, "Policy variables").
        Case::new("variable in Resource", "s3:GetObject", "arn:aws:s3:::home/alice/notes").identity(doc(&[&allow("V", get, "arn:aws:s3:::home/${aws:username}/*")])).ctx("aws:username", "alice").allowed("V"),
        Case::new("variable in Resource, another user's folder", "s3:GetObject", "arn:aws:s3:::home/bob/notes").identity(doc(&[&allow("V", get, "arn:aws:s3:::home/${aws:username}/*")])).ctx("aws:username", "alice").implicit(NoIdentityAllow),
        Case::new("unresolvable variable: the Resource matches nothing", "s3:GetObject", "arn:aws:s3:::home/alice/notes").who(Who::Session).identity(doc(&[&allow("V", get, "arn:aws:s3:::home/${aws:username}/*")])).implicit(NoIdentityAllow),
        Case::new("variable default in Resource", "s3:GetObject", "arn:aws:s3:::team/none/x").identity(doc(&[&allow("V", get, "arn:aws:s3:::team/${aws:PrincipalTag/team, 'none'}/*")])).allowed("V"),
        Case::new("tag variable in Resource", "s3:GetObject", "arn:aws:s3:::team/blue/x").identity(doc(&[&allow("V", get, "arn:aws:s3:::team/${aws:PrincipalTag/team}/*")])).ctx("aws:PrincipalTag/Team", "blue").allowed("V"),
        Case::new("escape in Resource is literal", "s3:GetObject", "arn:aws:s3:::b/*").identity(doc(&[&allow("V", get, "arn:aws:s3:::b/${*}")])).allowed("V"),
        Case::new("escape in Resource is not a wildcard", "s3:GetObject", "arn:aws:s3:::b/x").identity(doc(&[&allow("V", get, "arn:aws:s3:::b/${*}")])).implicit(NoIdentityAllow),
        Case::new("2008-10-17 leaves variables literal", "s3:GetObject", "arn:aws:s3:::home/alice/x").identity(r#"{"Version":"2008-10-17","Statement":[{"Sid":"V","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#.to_string()).ctx("aws:username", "alice").implicit(NoIdentityAllow),
        Case::new("2008-10-17 literal variable text matches itself", "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x").identity(r#"{"Statement":[{"Sid":"V","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#.to_string()).ctx("aws:username", "alice").allowed("V"),
        Case::new("NotResource with a variable", "s3:GetObject", "arn:aws:s3:::home/alice/x").identity(doc(&[&allow("A", "s3:*", "*"), r#"{"Sid":"D","Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::home/${aws:username}/*"}"#])).ctx("aws:username", "alice").allowed("A"),
        Case::new("NotResource with a variable denies other folders", "s3:GetObject", "arn:aws:s3:::home/bob/x").identity(doc(&[&allow("A", "s3:*", "*"), r#"{"Sid":"D","Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::home/${aws:username}/*"}"#])).ctx("aws:username", "alice").explicit(ExplicitDenyIdentity, "D"),
        // Multivalued context keys in real policies.
        Case::new("tag-on-create guard: only allowed tag keys", "iam:TagUser", "arn:aws:iam::111111111111:user/x").identity(doc(&[r#"{"Sid":"T","Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost-center"]}}}"#])).ctx_list("aws:TagKeys", &["team"]).allowed("T"),
        Case::new("tag-on-create guard: an extra tag key", "iam:TagUser", "arn:aws:iam::111111111111:user/x").identity(doc(&[r#"{"Sid":"T","Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost-center"]}}}"#])).ctx_list("aws:TagKeys", &["team", "admin"]).implicit(NoIdentityAllow),
        Case::new("MFA guard with BoolIfExists: long-term keys are denied", "iam:DeleteUser", "arn:aws:iam::111111111111:user/x").identity(doc(&[&allow("A", "iam:*", "*"), r#"{"Sid":"MFA","Effect":"Deny","Action":"iam:Delete*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#])).explicit(ExplicitDenyIdentity, "MFA"),
        Case::new("MFA guard with BoolIfExists: MFA session passes", "iam:DeleteUser", "arn:aws:iam::111111111111:user/x").identity(doc(&[&allow("A", "iam:*", "*"), r#"{"Sid":"MFA","Effect":"Deny","Action":"iam:Delete*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#])).ctx("aws:MultiFactorAuthPresent", "true").allowed("A"),
    ]
}

#[test]
fn decision_table() {
    eprintln!("decision rows: {}", run_table(&decision_rows()));
}

#[test]
fn matched_statements_and_missing_keys() {
    let identity = parse_policy(
        &doc(&[
            r#"{"Sid":"A1","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}"#,
            r#"{"Sid":"A2","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIfExists":{"s3:ExistingObjectTag/class":"open"}}}"#,
            r#"{"Sid":"X","Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"ec2:Region":"x"}}}"#,
        ]),
        PolicyKind::Identity,
    )
    .expect("parses");
    let second =
        parse_policy(&doc(&[&allow("B1", "s3:Get*", "*")]), PolicyKind::Identity).expect("parses");
    let set = PolicySet {
        identity: vec![
            PolicyRef {
                id: "PolicyInputList.1".into(),
                policy_type: PolicyType::Custom,
                policy: &identity,
            },
            PolicyRef {
                id: "arn:aws:iam::111111111111:policy/second".into(),
                policy_type: PolicyType::Managed,
                policy: &second,
            },
        ],
        ..PolicySet::default()
    };
    let who = principal(Who::Alice);
    let ctx = RequestContext::new();
    let request = Request {
        principal: &who,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/k",
        context: &ctx,
    };
    let result = evaluate(&request, &set);
    assert_eq!(result.decision, Allowed);
    // Both Allow statements that allowed, in policy order; not A1, whose condition failed.
    let sids: Vec<_> = result
        .matched
        .iter()
        .map(|m| (&*m.source_id, m.sid.as_deref()))
        .collect();
    assert_eq!(
        sids,
        [
            ("PolicyInputList.1", Some("A2")),
            ("arn:aws:iam::111111111111:policy/second", Some("B1"))
        ]
    );
    // Keys of statements that matched action and resource, not of the ec2 statement.
    assert_eq!(
        result.missing_context_keys,
        ["aws:PrincipalTag/team", "s3:ExistingObjectTag/class"]
    );

    let deny = parse_policy(
        &doc(&[
            &deny("D1", "s3:*", "*"),
            &deny("D2", "*", "*"),
            &allow("A", "*", "*"),
        ]),
        PolicyKind::Identity,
    )
    .expect("parses");
    let set = PolicySet {
        identity: vec![PolicyRef {
            id: "deny".into(),
            policy_type: PolicyType::Inline,
            policy: &deny,
        }],
        ..PolicySet::default()
    };
    let result = evaluate(&request, &set);
    assert_eq!(result.decision, ExplicitDeny);
    let sids: Vec<_> = result
        .matched
        .iter()
        .filter_map(|m| m.sid.as_deref())
        .collect();
    assert_eq!(
        sids,
        ["D1", "D2"],
        "on a deny only the Deny statements are listed"
    );
}

#[test]
fn statement_positions_are_line_and_column_spans() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"First\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    },\n    {\"Sid\": \"Second\", \"Effect\": \"Deny\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}\n  ]\n}\n";
    let policy = parse_policy(text, PolicyKind::Identity).expect("parses");
    let spans: Vec<_> = policy
        .statements()
        .iter()
        .map(|s| (s.sid(), s.start(), s.end()))
        .collect();
    assert_eq!(
        spans,
        [
            (Some("First"), Position::new(4, 5), Position::new(9, 6)),
            (Some("Second"), Position::new(10, 5), Position::new(10, 83)),
        ]
    );
    let who = principal(Who::Alice);
    let ctx = RequestContext::new();
    let set = PolicySet {
        identity: vec![PolicyRef {
            id: "p".into(),
            policy_type: PolicyType::Inline,
            policy: &policy,
        }],
        ..PolicySet::default()
    };
    let request = Request {
        principal: &who,
        action: "s3:PutObject",
        resource: "*",
        context: &ctx,
    };
    let result = evaluate(&request, &set);
    assert_eq!(result.matched.len(), 1);
    assert_eq!(
        (result.matched[0].start, result.matched[0].end),
        (Position::new(10, 5), Position::new(10, 83))
    );

    // A single-statement object spans from its own brace, in a one-line document.
    let inline = parse_policy(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        PolicyKind::Identity,
    )
    .expect("parses");
    let s = &inline.statements()[0];
    assert_eq!(
        (s.start(), s.end()),
        (Position::new(1, 14), Position::new(1, 60))
    );
}

#[test]
fn context_keys_lists_condition_and_variable_keys_once() {
    let policy = parse_policy(
        &doc(&[
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":"${aws:PrincipalTag/project}"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#,
            r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"AWS:MultiFactorAuthPresent":"false"},"StringNotEquals":{"aws:principaltag/team":"x"}}}"#,
        ]),
        PolicyKind::Identity,
    )
    .expect("parses");
    assert_eq!(
        context_keys(&policy),
        [
            "aws:PrincipalTag/Team",
            "aws:PrincipalTag/project",
            "aws:SourceIp",
            "aws:username",
            "AWS:MultiFactorAuthPresent",
        ]
    );
}

#[test]
fn boundary_detail_is_reported() {
    let identity =
        parse_policy(&doc(&[&allow("A", "*", "*")]), PolicyKind::Identity).expect("parses");
    let boundary =
        parse_policy(&doc(&[&allow("B", "ec2:*", "*")]), PolicyKind::Identity).expect("parses");
    let who = principal(Who::Alice);
    let ctx = RequestContext::new();
    let set = PolicySet {
        identity: vec![PolicyRef {
            id: "a".into(),
            policy_type: PolicyType::Inline,
            policy: &identity,
        }],
        boundary: Some(PolicyRef {
            id: "b".into(),
            policy_type: PolicyType::Boundary,
            policy: &boundary,
        }),
        ..PolicySet::default()
    };
    for (action, allowed) in [("ec2:RunInstances", true), ("s3:GetObject", false)] {
        let request = Request {
            principal: &who,
            action,
            resource: "*",
            context: &ctx,
        };
        let result = evaluate(&request, &set);
        assert_eq!(result.boundary_allowed, Some(allowed), "{action}");
        assert_eq!(result.is_allowed(), allowed, "{action}");
    }
}

#[test]
fn many_matching_statements_are_all_reported_in_document_order() {
    // More hits than the evaluator keeps on the stack: every Allow statement that matched is
    // listed, in policy and statement order.
    let statements: Vec<String> = (0..12)
        .map(|i| allow(&format!("S{i}"), "s3:*", "*"))
        .collect();
    let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
    let first = parse_policy(&doc(&refs), PolicyKind::Identity).expect("parses");
    let second =
        parse_policy(&doc(&[&allow("T0", "s3:Get*", "*")]), PolicyKind::Identity).expect("parses");
    let set = PolicySet {
        identity: vec![
            PolicyRef {
                id: "first".into(),
                policy_type: PolicyType::Inline,
                policy: &first,
            },
            PolicyRef {
                id: "second".into(),
                policy_type: PolicyType::AwsManaged,
                policy: &second,
            },
        ],
        session: Some(vec![PolicyRef {
            id: "session".into(),
            policy_type: PolicyType::Session,
            policy: &second,
        }]),
        ..PolicySet::default()
    };
    let who = principal(Who::Session);
    let ctx = RequestContext::new();
    let request = Request {
        principal: &who,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/k",
        context: &ctx,
    };
    let result = evaluate(&request, &set);
    assert!(result.is_allowed());
    let got: Vec<String> = result
        .matched
        .iter()
        .map(|m| format!("{}:{}", m.source_id, m.sid.as_deref().unwrap_or("")))
        .collect();
    let mut expected: Vec<String> = (0..12).map(|i| format!("first:S{i}")).collect();
    expected.push("second:T0".into());
    expected.push("session:T0".into());
    assert_eq!(got, expected);
    assert_eq!(result.matched[13].source_type, PolicyType::Session);
}

#[test]
fn an_empty_session_policy_list_still_limits_the_session() {
    let identity =
        parse_policy(&doc(&[&allow("A", "*", "*")]), PolicyKind::Identity).expect("parses");
    let set = PolicySet {
        identity: vec![PolicyRef {
            id: "a".into(),
            policy_type: PolicyType::Inline,
            policy: &identity,
        }],
        session: Some(Vec::new()),
        ..PolicySet::default()
    };
    let who = principal(Who::Session);
    let ctx = RequestContext::new();
    let request = Request {
        principal: &who,
        action: "s3:GetObject",
        resource: "*",
        context: &ctx,
    };
    let result = evaluate(&request, &set);
    assert_eq!(
        (result.decision, result.reason),
        (ImplicitDeny, Some(DenyReason::NoSessionAllow))
    );
}
