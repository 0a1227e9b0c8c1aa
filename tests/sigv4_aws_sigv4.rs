//! Requests signed by the `aws-sigv4` crate (what the Rust SDK sends) verify; tampered ones,
//! ones under another secret and ones outside the clock window do not.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use chrono::{DateTime, TimeZone, Utc};
use iamlocal::sigv4::{
    parse, verify, AuthLocation, ParsedAuth, RequestParts, SigV4Error, MISMATCH_MESSAGE,
};

const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEEXAMPLE+token/with=chars&more";
/// 2024-05-01T10:00:00Z, the signing time of every request here.
const SIGNED_AT: u64 = 1_714_557_600;

/// A request as the server would split it.
#[derive(Clone, Debug)]
struct Received {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn parts(&self) -> RequestParts<'_> {
        RequestParts {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        }
    }

    fn auth(&self) -> ParsedAuth {
        match parse(&self.parts()) {
            Ok(Some(auth)) => auth,
            other => panic!("parse gave {other:?} for {self:?}"),
        }
    }

    fn verify_at(&self, now: DateTime<Utc>) -> Result<(), SigV4Error> {
        verify(&self.parts(), &self.auth(), SECRET, now)
    }
}

#[derive(Clone, Copy)]
struct Opts<'a> {
    service: &'a str,
    token: Option<&'a str>,
    presign: Option<Duration>,
    unsigned_payload: bool,
}

const IAM_HEADER: Opts<'static> = Opts {
    service: "iam",
    token: None,
    presign: None,
    unsigned_payload: false,
};

fn signed_at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(SIGNED_AT)
}

fn at(offset_secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(SIGNED_AT as i64 + offset_secs, 0)
        .single()
        .unwrap_or_default()
}

/// Signs with aws-sigv4 and returns what the server would receive.
fn signed(method: &str, uri: &str, headers: &[(&str, &str)], body: &[u8], o: Opts<'_>) -> Received {
    let identity = Credentials::new(AKID, SECRET, o.token.map(str::to_string), None, "test").into();
    let mut settings = SigningSettings::default();
    if let Some(expires) = o.presign {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires);
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(o.service)
        .time(signed_at())
        .settings(settings)
        .build()
        .expect("signing params")
        .into();

    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(body.to_vec()).expect("request");
    let signable_body = if o.unsigned_payload {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(body)
    };
    let signable = SignableRequest::new(
        method,
        uri,
        headers.iter().map(|(n, v)| (*n, *v)),
        signable_body,
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    instructions.apply_to_request_http1x(&mut request);

    Received {
        method: request.method().as_str().to_string(),
        path: request.uri().path().to_string(),
        query: request.uri().query().unwrap_or("").to_string(),
        headers: request
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: request.body().clone(),
    }
}

fn iam_get_user(token: Option<&str>) -> Received {
    signed(
        "POST",
        "https://iam.amazonaws.com/",
        &[
            ("host", "iam.amazonaws.com"),
            (
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
        ],
        b"Action=GetUser&Version=2010-05-08",
        Opts {
            token,
            ..IAM_HEADER
        },
    )
}

/// `aws eks get-token`: a presigned STS GetCallerIdentity GET with the cluster id signed in.
fn eks_token_url(token: Option<&str>, unsigned_payload: bool) -> Received {
    signed(
        "GET",
        "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        &[
            ("host", "sts.amazonaws.com"),
            ("x-k8s-aws-id", "my-cluster"),
        ],
        b"",
        Opts {
            service: "sts",
            token,
            presign: Some(Duration::from_secs(60)),
            unsigned_payload,
        },
    )
}

fn mismatch() -> Result<(), SigV4Error> {
    Err(SigV4Error::SignatureDoesNotMatch(
        MISMATCH_MESSAGE.to_string(),
    ))
}

#[test]
fn header_signed_form_post_verifies() {
    let req = iam_get_user(None);
    let auth = req.auth();
    assert_eq!(auth.location, AuthLocation::Header);
    assert_eq!(auth.access_key_id, AKID);
    assert_eq!(auth.scope_date, "20240501");
    assert_eq!(
        (auth.region.as_str(), auth.service.as_str()),
        ("us-east-1", "iam")
    );
    assert_eq!(auth.request_time, at(0));
    assert_eq!(auth.session_token, None);
    assert_eq!(auth.expires_secs, None);
    assert!(auth.signed_headers.iter().any(|h| h == "content-type"));
    assert_eq!(req.verify_at(at(0)), Ok(()));
}

#[test]
fn header_signed_with_session_token_verifies() {
    let req = iam_get_user(Some(TOKEN));
    let auth = req.auth();
    assert_eq!(auth.session_token.as_deref(), Some(TOKEN));
    assert!(auth
        .signed_headers
        .iter()
        .any(|h| h == "x-amz-security-token"));
    assert_eq!(req.verify_at(at(0)), Ok(()));
}

#[test]
fn header_signed_get_with_repeated_query_keys_verifies() {
    let req = signed(
        "GET",
        "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08&Marker=b&Marker=a%2Fz&Marker=&PathPrefix=%2Fdivision_abc%2F",
        &[("host", "iam.amazonaws.com")],
        b"",
        IAM_HEADER,
    );
    assert!(req.query.contains("Marker=b&Marker=a%2Fz"));
    assert_eq!(req.verify_at(at(0)), Ok(()));
}

#[test]
fn presigned_get_caller_identity_verifies() {
    for token in [None, Some(TOKEN)] {
        // UNSIGNED-PAYLOAD is what botocore (and so `aws eks get-token`) signs; the Go and
        // Rust SDKs sign the empty body's hash instead. Both must verify.
        for unsigned_payload in [true, false] {
            let req = eks_token_url(token, unsigned_payload);
            let auth = req.auth();
            assert_eq!(auth.location, AuthLocation::QueryString);
            assert_eq!(auth.service, "sts");
            assert_eq!(auth.expires_secs, Some(60));
            assert_eq!(auth.session_token.as_deref(), token);
            assert_eq!(auth.signed_headers, ["host", "x-k8s-aws-id"]);
            assert_eq!(
                req.verify_at(at(30)),
                Ok(()),
                "{token:?} {unsigned_payload}"
            );
        }
    }
}

#[test]
fn presigned_post_with_body_verifies() {
    let req = signed(
        "POST",
        "https://sts.amazonaws.com/",
        &[
            ("host", "sts.amazonaws.com"),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        b"Action=GetCallerIdentity&Version=2011-06-15",
        Opts {
            service: "sts",
            token: Some(TOKEN),
            presign: Some(Duration::from_secs(900)),
            unsigned_payload: false,
        },
    );
    assert_eq!(req.verify_at(at(0)), Ok(()));
    let mut tampered = req.clone();
    tampered.body = b"Action=GetCallerIdentity&Version=2011-06-16".to_vec();
    assert_eq!(tampered.verify_at(at(0)), mismatch());
}

/// Flips one byte at `index` of `s`, keeping it ASCII.
fn flip(s: &str, index: usize) -> String {
    let mut bytes = s.as_bytes().to_vec();
    if let Some(b) = bytes.get_mut(index) {
        *b = if *b == b'a' { b'b' } else { b'a' };
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn one_flipped_byte_fails() {
    let req = iam_get_user(Some(TOKEN));
    assert_eq!(req.verify_at(at(0)), Ok(()));

    let mut body = req.clone();
    if let Some(b) = body.body.get_mut(7) {
        *b ^= 0x01;
    }
    assert_eq!(body.verify_at(at(0)), mismatch(), "body");

    for signed_header in ["content-type", "host", "x-amz-security-token"] {
        let mut header = req.clone();
        for (name, value) in &mut header.headers {
            if name == signed_header {
                *value = flip(value, 3);
            }
        }
        let result = verify(&header.parts(), &header.auth(), SECRET, at(0));
        assert_eq!(result, mismatch(), "{signed_header}");
    }

    let mut query = signed(
        "GET",
        "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
        &[("host", "iam.amazonaws.com")],
        b"",
        IAM_HEADER,
    );
    assert_eq!(query.verify_at(at(0)), Ok(()));
    query.query = query.query.replace("ListUsers", "ListUserz");
    assert_eq!(query.verify_at(at(0)), mismatch(), "query");

    let auth = req.auth();
    let wrong_secret = flip(SECRET, 10);
    assert_eq!(
        verify(&req.parts(), &auth, &wrong_secret, at(0)),
        mismatch(),
        "secret"
    );

    let mut method = req.clone();
    method.method = "PUT".to_string();
    assert_eq!(method.verify_at(at(0)), mismatch(), "method");

    let mut path = req.clone();
    path.path = "/x".to_string();
    assert_eq!(path.verify_at(at(0)), mismatch(), "path");

    let mut signature = req.auth();
    signature.signature = flip(&signature.signature, 0);
    assert_eq!(verify(&req.parts(), &signature, SECRET, at(0)), mismatch());
}

#[test]
fn presigned_tampering_fails() {
    let req = eks_token_url(Some(TOKEN), true);
    assert_eq!(req.verify_at(at(0)), Ok(()));

    let mut cluster = req.clone();
    for (name, value) in &mut cluster.headers {
        if name == "x-k8s-aws-id" {
            *value = "other-cluster".to_string();
        }
    }
    assert_eq!(cluster.verify_at(at(0)), mismatch(), "signed header");

    let mut action = req.clone();
    action.query = action.query.replace("GetCallerIdentity", "GetSessionToken");
    assert_eq!(action.verify_at(at(0)), mismatch(), "query");

    // An unsigned extra parameter changes the canonical query too.
    let mut extra = req.clone();
    extra.query.push_str("&Extra=1");
    assert_eq!(extra.verify_at(at(0)), mismatch(), "extra parameter");

    // Unsigned headers may change freely.
    let mut unsigned = req.clone();
    unsigned
        .headers
        .push(("user-agent".to_string(), "curl".to_string()));
    assert_eq!(unsigned.verify_at(at(0)), Ok(()), "unsigned header");
}

#[test]
fn clock_skew_window() {
    let req = iam_get_user(None);
    assert_eq!(req.verify_at(at(14 * 60)), Ok(()), "+14 min");
    assert_eq!(req.verify_at(at(-14 * 60)), Ok(()), "-14 min");
    assert_eq!(req.verify_at(at(15 * 60)), Ok(()), "+15 min exactly");

    // The server's clock 16 minutes after the request: expired.
    assert_eq!(
        req.verify_at(at(16 * 60)),
        Err(SigV4Error::SignatureDoesNotMatch(
            "Signature expired: 20240501T100000Z is now earlier than 20240501T100100Z (20240501T101600Z - 15 min.)"
                .to_string()
        ))
    );
    // The server's clock 16 minutes before the request: not yet current.
    assert_eq!(
        req.verify_at(at(-16 * 60)),
        Err(SigV4Error::SignatureDoesNotMatch(
            "Signature not yet current: 20240501T100000Z is still later than 20240501T095900Z (20240501T094400Z + 15 min.)"
                .to_string()
        ))
    );
    let err = req.verify_at(at(16 * 60)).err();
    assert_eq!(
        err.as_ref().map(SigV4Error::code),
        Some("SignatureDoesNotMatch")
    );
    assert_eq!(err.as_ref().map(SigV4Error::http_status), Some(403));
}

#[test]
fn presigned_expiry() {
    let req = eks_token_url(None, true);
    assert_eq!(req.verify_at(at(59)), Ok(()));
    assert_eq!(
        req.verify_at(at(60)),
        Ok(()),
        "the last second still counts"
    );
    assert_eq!(req.verify_at(at(61)), Err(SigV4Error::RequestExpired));
    assert_eq!(req.verify_at(at(3600)), Err(SigV4Error::RequestExpired));
    let err = SigV4Error::RequestExpired;
    assert_eq!((err.code(), err.http_status()), ("RequestExpired", 400));
    assert_eq!(err.to_string(), "Request has expired.");

    // A presigned URL may outlive the 15-minute skew when it asks to.
    let long = signed(
        "GET",
        "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        &[("host", "sts.amazonaws.com")],
        b"",
        Opts {
            service: "sts",
            token: None,
            presign: Some(Duration::from_secs(3600)),
            unsigned_payload: true,
        },
    );
    assert_eq!(long.verify_at(at(59 * 60)), Ok(()));
    assert_eq!(long.verify_at(at(61 * 60)), Err(SigV4Error::RequestExpired));

    // Dated in the future beyond the skew: refused whatever its lifetime.
    assert_eq!(
        long.verify_at(at(-16 * 60)),
        Err(SigV4Error::SignatureDoesNotMatch(
            "Signature not yet current: 20240501T100000Z is still later than 20240501T095900Z (20240501T094400Z + 15 min.)"
                .to_string()
        ))
    );
    assert_eq!(long.verify_at(at(-14 * 60)), Ok(()));
}

#[test]
fn service_check_helper() {
    let auth = eks_token_url(None, true).auth();
    assert_eq!(auth.check_service("sts"), Ok(()));
    assert_eq!(
        auth.check_service("iam"),
        Err(SigV4Error::SignatureDoesNotMatch(
            "Credential should be scoped to correct service: 'iam'. ".to_string()
        ))
    );
    assert_eq!(
        auth.credential_scope(),
        "20240501/us-east-1/sts/aws4_request"
    );
}
