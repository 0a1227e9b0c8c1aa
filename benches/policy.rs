//! Policy engine benchmarks (TARGETS.md): one statement (≤ 200 ns), a user in 10 groups ×
//! 10 managed policies × 10 statements with conditions (p50 ≤ 10 µs), and parse + compile of
//! a typical 20-statement policy. Medians are in `target/criterion/*/new/estimates.json`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use iamlocal::policy::{
    evaluate, parse_policy, Policy, PolicyKind, PolicyRef, PolicySet, PolicyType, Principal,
    PrincipalKind, Request, RequestContext,
};

fn alice() -> Principal {
    Principal {
        arn: "arn:aws:iam::111111111111:user/alice".into(),
        account: "111111111111".into(),
        kind: PrincipalKind::User,
    }
}

fn context() -> RequestContext {
    let mut ctx = RequestContext::new();
    ctx.set("aws:username", "alice")
        .set("aws:userid", "AIDAEXAMPLEALICE00001")
        .set("aws:PrincipalArn", "arn:aws:iam::111111111111:user/alice")
        .set("aws:PrincipalAccount", "111111111111")
        .set("aws:PrincipalType", "User")
        .set("aws:SourceIp", "10.1.2.3")
        .set("aws:SecureTransport", "true")
        .set("aws:CurrentTime", "2025-06-01T12:00:00Z")
        .set("aws:EpochTime", "1748779200")
        .set("aws:RequestedRegion", "us-east-1")
        .set("aws:PrincipalTag/team", "blue")
        .set("aws:PrincipalTag/project", "p7");
    ctx
}

const SERVICES: [&str; 10] = [
    "s3",
    "ec2",
    "iam",
    "dynamodb",
    "sqs",
    "sns",
    "lambda",
    "logs",
    "kms",
    "cloudwatch",
];

/// A statement of policy `p`, number `s`: two or three actions of one service, an ARN
/// resource, and one of several condition shapes.
fn statement(p: usize, s: usize) -> String {
    let service = SERVICES[(p * 7 + s * 3) % SERVICES.len()];
    let actions = match s % 3 {
        0 => format!(r#"["{service}:Get*","{service}:List*"]"#),
        1 => format!(r#"["{service}:Describe*","{service}:Put*","{service}:Tag*"]"#),
        _ => format!(r#""{service}:*""#),
    };
    let resource = match service {
        "s3" => {
            format!(r#"["arn:aws:s3:::bucket-{p}","arn:aws:s3:::bucket-{p}/${{aws:username}}/*"]"#)
        }
        "iam" => r#""arn:aws:iam::111111111111:user/${aws:username}""#.to_string(),
        _ => format!(r#""arn:aws:{service}:us-east-1:111111111111:*/{p}-*""#),
    };
    let condition = match (p + s) % 5 {
        0 => r#"{"StringEquals":{"aws:PrincipalTag/team":["blue","green"]}}"#,
        1 => {
            r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]},"Bool":{"aws:SecureTransport":"true"}}"#
        }
        2 => r#"{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}"#,
        3 => {
            r#"{"StringLike":{"aws:PrincipalTag/project":"p*"},"StringEqualsIfExists":{"aws:RequestedRegion":"us-east-1"}}"#
        }
        _ => r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["team","project"]}}"#,
    };
    let effect = if s == 9 { "Deny" } else { "Allow" };
    format!(
        r#"{{"Sid":"S{p}x{s}","Effect":"{effect}","Action":{actions},"Resource":{resource},"Condition":{condition}}}"#
    )
}

fn managed_policy(p: usize) -> String {
    let statements: Vec<String> = (0..10).map(|s| statement(p, s)).collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}",
        statements.join(",\n    ")
    )
}

fn bench_single_statement(c: &mut Criterion) {
    let policy = parse_policy(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}"#,
        PolicyKind::Identity,
    )
    .expect("parses");
    let set = PolicySet {
        identity: vec![PolicyRef {
            id: "p".into(),
            policy_type: PolicyType::Inline,
            policy: &policy,
        }],
        ..PolicySet::default()
    };
    let who = alice();
    let ctx = RequestContext::new();
    let request = Request {
        principal: &who,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::bucket/key",
        context: &ctx,
    };
    assert!(evaluate(&request, &set).is_allowed());
    c.bench_function("evaluate/one_statement", |b| {
        b.iter(|| evaluate(black_box(&request), black_box(&set)))
    });
}

fn bench_hundred_policies(c: &mut Criterion) {
    let policies: Vec<Policy> = (0..100)
        .map(|p| parse_policy(&managed_policy(p), PolicyKind::Managed).expect("parses"))
        .collect();
    let names: Vec<String> = (0..100)
        .map(|p| format!("arn:aws:iam::111111111111:policy/group{}/policy{p}", p / 10))
        .collect();
    let set = PolicySet {
        identity: policies
            .iter()
            .zip(&names)
            .map(|(policy, id)| PolicyRef {
                id: id.as_str().into(),
                policy_type: PolicyType::Managed,
                policy,
            })
            .collect(),
        ..PolicySet::default()
    };
    let who = alice();
    let ctx = context();
    let allowed = Request {
        principal: &who,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::bucket-3/alice/report.csv",
        context: &ctx,
    };
    let denied = Request {
        action: "dynamodb:DeleteTable",
        resource: "arn:aws:dynamodb:us-east-1:111111111111:table/orders",
        ..allowed
    };
    assert!(evaluate(&allowed, &set).is_allowed());
    assert!(!evaluate(&denied, &set).is_allowed());
    c.bench_function("evaluate/100_policies_x_10_statements/allowed", |b| {
        b.iter(|| evaluate(black_box(&allowed), black_box(&set)))
    });
    c.bench_function("evaluate/100_policies_x_10_statements/implicit_deny", |b| {
        b.iter(|| evaluate(black_box(&denied), black_box(&set)))
    });
}

fn bench_parse(c: &mut Criterion) {
    let statements: Vec<String> = (0..20).map(|s| statement(s / 10, s % 10)).collect();
    let text = format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}",
        statements.join(",\n    ")
    );
    assert!(parse_policy(&text, PolicyKind::Managed).is_ok());
    c.bench_function("parse/20_statements", |b| {
        b.iter(|| parse_policy(black_box(&text), PolicyKind::Managed))
    });
}

criterion_group!(
    benches,
    bench_single_statement,
    bench_hundred_policies,
    bench_parse
);
criterion_main!(benches);
