//! The SigV4 verifier against the AWS SigV4 test suite's published signatures and against
//! requests signed by the aws-sigv4 crate (header and presigned forms).

use std::time::{Duration as StdDuration, SystemTime};

use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use chrono::{DateTime, Duration, TimeZone, Utc};
use iamlocal::sigv4::{parse, verify, RequestParts, SigV4Error};

const SUITE_KEY: &str = "AKIDEXAMPLE";
const SUITE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn suite_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0)
        .single()
        .expect("time")
}

struct Owned {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Owned {
    fn parts(&self) -> RequestParts<'_> {
        RequestParts {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        }
    }
}

fn check(req: &Owned, secret: &str, now: DateTime<Utc>) -> Result<(), SigV4Error> {
    let parts = req.parts();
    let auth = parse(&parts)?.ok_or(SigV4Error::MissingAuthenticationToken)?;
    verify(&parts, &auth, secret, now)
}

/// Rows of the AWS SigV4 test suite (service `service`, region us-east-1, 20150830T123600Z):
/// (name, method, path, query, extra headers, body, signed headers, published signature).
#[allow(clippy::type_complexity)]
const SUITE: &[(&str, &str, &str, &str, &[(&str, &str)], &str, &str, &str)] = &[
    (
        "get-vanilla",
        "GET",
        "/",
        "",
        &[],
        "",
        "host;x-amz-date",
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    ),
    (
        "get-vanilla-query-order-key-case",
        "GET",
        "/",
        "Param2=value2&Param1=value1",
        &[],
        "",
        "host;x-amz-date",
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    ),
    (
        "post-vanilla",
        "POST",
        "/",
        "",
        &[],
        "",
        "host;x-amz-date",
        "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
    ),
    (
        "post-x-www-form-urlencoded",
        "POST",
        "/",
        "",
        &[("content-type", "application/x-www-form-urlencoded")],
        "Param1=value1",
        "content-type;host;x-amz-date",
        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
    ),
];

#[test]
fn aws_test_suite_signatures_verify() {
    for (name, method, path, query, extra, body, signed, signature) in SUITE {
        let mut headers = vec![
            ("host".to_string(), "example.amazonaws.com".to_string()),
            ("x-amz-date".to_string(), "20150830T123600Z".to_string()),
        ];
        headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        headers.push((
            "authorization".into(),
            format!("AWS4-HMAC-SHA256 Credential={SUITE_KEY}/20150830/us-east-1/service/aws4_request, SignedHeaders={signed}, Signature={signature}"),
        ));
        let req = Owned {
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            headers,
            body: body.as_bytes().to_vec(),
        };
        assert_eq!(check(&req, SUITE_SECRET, suite_time()), Ok(()), "{name}");
        assert_eq!(
            check(&req, "wrong", suite_time()),
            Err(SigV4Error::mismatch()),
            "{name} with a wrong secret"
        );
    }
}

/// Signs with aws-sigv4 and returns the request as the server would see it.
fn signed(
    method: &str,
    uri: &str,
    body: &str,
    token: Option<&str>,
    location: SignatureLocation,
    at: SystemTime,
) -> Owned {
    let creds = aws_credential_types_shim(token);
    let mut settings = SigningSettings::default();
    settings.signature_location = location;
    settings.expires_in = Some(StdDuration::from_secs(300));
    let params = v4::SigningParams::builder()
        .identity(&creds)
        .region("us-east-1")
        .name("iam")
        .time(at)
        .settings(settings)
        .build()
        .expect("params")
        .into();
    let headers = [
        ("host", "127.0.0.1:4590"),
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
    ];
    let signable = SignableRequest::new(
        method,
        uri,
        headers.into_iter(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let mut req = http::Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let mut req = req.body(()).expect("request");
    instructions.apply_to_request_http1x(&mut req);
    Owned {
        method: method.to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().unwrap_or("").to_string(),
        headers: req
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn aws_credential_types_shim(token: Option<&str>) -> Identity {
    aws_sdk_iam::config::Credentials::new(
        "AKIAEXAMPLE000000000",
        "secret/key+1",
        token.map(String::from),
        None,
        "test",
    )
    .into()
}

const SECRET: &str = "secret/key+1";

#[test]
fn requests_signed_by_aws_sigv4_verify() {
    let at = SystemTime::now();
    let now: DateTime<Utc> = at.into();
    let cases = [
        signed(
            "POST",
            "http://127.0.0.1:4590/",
            "Action=GetUser&Version=2010-05-08",
            None,
            SignatureLocation::Headers,
            at,
        ),
        signed(
            "POST",
            "http://127.0.0.1:4590/",
            "Action=GetUser&Version=2010-05-08",
            Some("session-token"),
            SignatureLocation::Headers,
            at,
        ),
        signed(
            "GET",
            "http://127.0.0.1:4590/?Action=ListUsers&Tag=b&Tag=a&Version=2010-05-08",
            "",
            None,
            SignatureLocation::Headers,
            at,
        ),
        signed(
            "GET",
            "http://127.0.0.1:4590/?Action=GetCallerIdentity&Version=2011-06-15",
            "",
            None,
            SignatureLocation::QueryParams,
            at,
        ),
        signed(
            "GET",
            "http://127.0.0.1:4590/?Action=GetCallerIdentity&Version=2011-06-15",
            "",
            Some("tok"),
            SignatureLocation::QueryParams,
            at,
        ),
    ];
    for (i, req) in cases.iter().enumerate() {
        assert_eq!(check(req, SECRET, now), Ok(()), "case {i}");
        assert_eq!(
            check(req, "other", now),
            Err(SigV4Error::mismatch()),
            "case {i} wrong secret"
        );
    }
    let with_token = parse(&cases[1].parts())
        .ok()
        .flatten()
        .and_then(|a| a.session_token);
    assert_eq!(with_token.as_deref(), Some("session-token"));
}

#[test]
fn tampering_is_detected() {
    let at = SystemTime::now();
    let now: DateTime<Utc> = at.into();
    let base = signed(
        "POST",
        "http://127.0.0.1:4590/",
        "Action=GetUser&Version=2010-05-08",
        None,
        SignatureLocation::Headers,
        at,
    );
    let mut body = base.body.clone();
    body[7] ^= 1;
    let tampered_body = Owned {
        body,
        ..clone(&base)
    };
    assert_eq!(
        check(&tampered_body, SECRET, now),
        Err(SigV4Error::mismatch())
    );
    let mut headers = base.headers.clone();
    for (k, v) in headers.iter_mut() {
        if k == "host" {
            *v = "127.0.0.1:4591".into();
        }
    }
    assert_eq!(
        check(
            &Owned {
                headers,
                ..clone(&base)
            },
            SECRET,
            now
        ),
        Err(SigV4Error::mismatch())
    );
    let q = Owned {
        query: "Action=DeleteUser".into(),
        ..clone(&base)
    };
    assert_eq!(check(&q, SECRET, now), Err(SigV4Error::mismatch()));
}

fn clone(o: &Owned) -> Owned {
    Owned {
        method: o.method.clone(),
        path: o.path.clone(),
        query: o.query.clone(),
        headers: o.headers.clone(),
        body: o.body.clone(),
    }
}

#[test]
fn clock_skew_window_is_fifteen_minutes() {
    let at = SystemTime::now();
    let signed_at: DateTime<Utc> = at.into();
    let req = signed(
        "POST",
        "http://127.0.0.1:4590/",
        "Action=GetUser",
        None,
        SignatureLocation::Headers,
        at,
    );
    assert_eq!(
        check(&req, SECRET, signed_at + Duration::minutes(14)),
        Ok(())
    );
    assert_eq!(
        check(&req, SECRET, signed_at - Duration::minutes(14)),
        Ok(())
    );
    let late = check(&req, SECRET, signed_at + Duration::minutes(16)).expect_err("expired");
    assert_eq!(late.code(), "SignatureDoesNotMatch");
    assert!(
        late.to_string().starts_with("Signature expired: "),
        "{late}"
    );
    assert!(late.to_string().ends_with(" - 15 min.)"), "{late}");
    let early = check(&req, SECRET, signed_at - Duration::minutes(16)).expect_err("future");
    assert!(
        early.to_string().starts_with("Signature not yet current: "),
        "{early}"
    );
    // A presigned URL lives for its X-Amz-Expires (300 s here).
    let pre = signed(
        "GET",
        "http://127.0.0.1:4590/?Action=GetCallerIdentity",
        "",
        None,
        SignatureLocation::QueryParams,
        at,
    );
    assert_eq!(
        check(&pre, SECRET, signed_at + Duration::seconds(299)),
        Ok(())
    );
    assert!(check(&pre, SECRET, signed_at + Duration::seconds(301)).is_err());
}

#[test]
fn malformed_authorization_never_panics() {
    let pieces = [
        "AWS4-HMAC-SHA256",
        " ",
        "Credential=",
        "AKID/2015/us-east-1/iam/aws4_request",
        "AKID/20150830/us-east-1/iam/aws4_requesx",
        ",",
        "SignedHeaders=",
        "host;x-amz-date",
        "Signature=",
        "zz",
        "=",
        "%",
        "\u{0}",
        "é",
        "//////",
        ";;;",
    ];
    let mut n = 0u32;
    for a in 0..pieces.len() {
        for b in 0..pieces.len() {
            for c in 0..pieces.len() {
                let value = format!(
                    "{}{}{}{}",
                    pieces[a],
                    pieces[b],
                    pieces[c],
                    pieces[(a + b + c) % pieces.len()]
                );
                let req = Owned {
                    method: "POST".into(),
                    path: "/".into(),
                    query: format!("X-Amz-Credential={}&X-Amz-Date={}", pieces[a], pieces[b]),
                    headers: vec![
                        ("host".into(), "h".into()),
                        ("x-amz-date".into(), pieces[c].into()),
                        ("authorization".into(), value),
                    ],
                    body: Vec::new(),
                };
                let _ = check(&req, SECRET, Utc::now());
                n += 1;
            }
        }
    }
    assert_eq!(n, 16 * 16 * 16);
    let missing = Owned {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers: vec![("authorization".into(), "AWS4-HMAC-SHA256 ".into())],
        body: Vec::new(),
    };
    let e = check(&missing, SECRET, Utc::now()).expect_err("incomplete");
    assert_eq!(e.code(), "IncompleteSignature");
    assert_eq!(e.http_status(), 400);
    assert!(e.to_string().starts_with("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."));
}
