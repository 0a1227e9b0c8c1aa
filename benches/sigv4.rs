//! SigV4: parse + verify of one typical signed IAM POST (target ≤ 10 µs).

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use iamlocal::sigv4::{parse, verify, RequestParts};

fn bench(c: &mut Criterion) {
    // The AWS SigV4 test suite's post-x-www-form-urlencoded request, whose signature is published.
    let headers = vec![
        ("content-type".to_string(), "application/x-www-form-urlencoded".to_string()),
        ("host".to_string(), "example.amazonaws.com".to_string()),
        ("x-amz-date".to_string(), "20150830T123600Z".to_string()),
        ("authorization".to_string(), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a".to_string()),
    ];
    let req = RequestParts {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: b"Param1=value1",
    };
    let now = Utc
        .with_ymd_and_hms(2015, 8, 30, 12, 36, 0)
        .single()
        .unwrap_or_default();
    c.bench_function("sigv4 parse+verify", |b| {
        b.iter(|| {
            let auth = parse(&req).ok().flatten();
            let ok = auth
                .map(|a| verify(&req, &a, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", now).is_ok());
            assert_eq!(ok, Some(true));
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
