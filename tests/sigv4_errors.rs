//! What `parse` and `verify` answer to malformed or incomplete signatures: AWS's codes,
//! statuses and exact messages.

use chrono::{TimeZone, Utc};
use iamlocal::sigv4::{parse, verify, AuthLocation, RequestParts, SigV4Error};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const GOOD_AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn get(
    query: &str,
    headers: &[(String, String)],
) -> Result<Option<iamlocal::sigv4::ParsedAuth>, SigV4Error> {
    parse(&RequestParts {
        method: "GET",
        path: "/",
        query,
        headers,
        body: b"",
    })
}

/// The suite's get-vanilla request with its Authorization header replaced.
fn with_authorization(value: &str) -> Vec<(String, String)> {
    headers(&[
        ("host", "example.amazonaws.com"),
        ("x-amz-date", "20150830T123600Z"),
        ("authorization", value),
    ])
}

fn incomplete(message: &str) -> Result<Option<iamlocal::sigv4::ParsedAuth>, SigV4Error> {
    Err(SigV4Error::IncompleteSignature(message.to_string()))
}

fn mismatch(message: &str) -> Result<Option<iamlocal::sigv4::ParsedAuth>, SigV4Error> {
    Err(SigV4Error::SignatureDoesNotMatch(message.to_string()))
}

#[test]
fn codes_statuses_and_fixed_messages() {
    let cases = [
        (
            SigV4Error::MissingAuthenticationToken,
            "MissingAuthenticationToken",
            403,
            "Request is missing Authentication Token",
        ),
        (
            SigV4Error::InvalidClientTokenId,
            "InvalidClientTokenId",
            403,
            "The security token included in the request is invalid.",
        ),
        (SigV4Error::RequestExpired, "RequestExpired", 400, "Request has expired."),
        (
            SigV4Error::mismatch(),
            "SignatureDoesNotMatch",
            403,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ),
        (
            SigV4Error::IncompleteSignature("x".to_string()),
            "IncompleteSignature",
            400,
            "x",
        ),
    ];
    for (error, code, status, message) in cases {
        assert_eq!(error.code(), code);
        assert_eq!(error.http_status(), status);
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn no_sigv4_at_all_is_none() {
    assert_eq!(get("", &headers(&[("host", "h")])), Ok(None));
    assert_eq!(
        get("Action=GetCallerIdentity&Version=2011-06-15", &[]),
        Ok(None)
    );
    for other_scheme in [
        "Basic dXNlcjpwYXNz",
        "Bearer abc",
        "AWS AKID:c2lnbmF0dXJl",
        "",
        "aws4-hmac-sha256 x",
    ] {
        assert_eq!(
            get("", &with_authorization(other_scheme)),
            Ok(None),
            "{other_scheme}"
        );
    }
}

#[test]
fn tolerated_separators() {
    let now = Utc
        .with_ymd_and_hms(2015, 8, 30, 12, 36, 0)
        .single()
        .unwrap_or_default();
    for variant in [
        GOOD_AUTH.to_string(),
        GOOD_AUTH.replace(", ", ","),
        GOOD_AUTH.replace(", ", " "),
        GOOD_AUTH.replace(", ", " ,  "),
        format!("  {GOOD_AUTH}  "),
        GOOD_AUTH.replace("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256\t"),
        // Parameters in another order, and one AWS does not know, are fine.
        "AWS4-HMAC-SHA256 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31, Foo=bar, SignedHeaders=host;x-amz-date, Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request".to_string(),
        // Trailing slashes after the credential are ignored.
        GOOD_AUTH.replace("aws4_request,", "aws4_request//,"),
    ] {
        let h = with_authorization(&variant);
        let req = RequestParts { method: "GET", path: "/", query: "", headers: &h, body: b"" };
        let auth = match parse(&req) {
            Ok(Some(auth)) => auth,
            other => panic!("{variant:?}: {other:?}"),
        };
        assert_eq!(verify(&req, &auth, SECRET, now), Ok(()), "{variant:?}");
    }
}

#[test]
fn missing_header_parameters() {
    assert_eq!(
        get("", &headers(&[("host", "h"), ("authorization", "AWS4-HMAC-SHA256")])),
        incomplete("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256")
    );
    let no_signature = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date";
    assert_eq!(
        get("", &with_authorization(no_signature)),
        incomplete(&format!(
            "Authorization header requires 'Signature' parameter. Authorization={no_signature}"
        ))
    );
    let empty_values = "AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=abc";
    assert_eq!(
        get("", &with_authorization(empty_values)),
        incomplete(&format!(
            "Authorization header requires 'Credential' parameter. Authorization={empty_values}"
        ))
    );
    // Neither X-Amz-Date nor Date.
    assert_eq!(
        get("", &headers(&[("host", "h"), ("authorization", GOOD_AUTH)])),
        incomplete(&format!("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={GOOD_AUTH}"))
    );
}

#[test]
fn pair_without_equal_sign() {
    let raw = "AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders";
    assert_eq!(
        get("", &with_authorization(raw)),
        incomplete(&format!("'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: '{raw}'."))
    );
}

#[test]
fn bad_dates() {
    for bad in [
        "201",
        "2015-08-30T12:36:00Z",
        "20150830T123600",
        "20151399T000000Z",
        "",
    ] {
        let h = headers(&[
            ("host", "h"),
            ("x-amz-date", bad),
            ("authorization", GOOD_AUTH),
        ]);
        let expected = format!(
            "Date must be in ISO-8601 'basic format'. Got '{bad}'. See http://en.wikipedia.org/wiki/ISO_8601"
        );
        assert_eq!(get("", &h), incomplete(&expected), "{bad}");
    }
}

#[test]
fn date_header_instead_of_x_amz_date() {
    let h = headers(&[
        ("host", "h"),
        ("date", "Sun, 30 Aug 2015 12:36:00 GMT"),
        (
            "authorization",
            &GOOD_AUTH.replace("host;x-amz-date", "date;host"),
        ),
    ]);
    let auth = get("", &h).ok().flatten();
    assert_eq!(
        auth.map(|a| a.request_time),
        Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0).single()
    );
}

#[test]
fn host_must_be_signed() {
    assert_eq!(
        get(
            "",
            &with_authorization(&GOOD_AUTH.replace("host;x-amz-date", "x-amz-date"))
        ),
        mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    );
    // Case does not matter.
    assert!(get(
        "",
        &with_authorization(&GOOD_AUTH.replace("host;", "Host;"))
    )
    .is_ok());
}

#[test]
fn unsupported_algorithm() {
    assert_eq!(
        get(
            "",
            &with_authorization(&GOOD_AUTH.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"))
        ),
        incomplete(
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "
        )
    );
    assert_eq!(
        get("", &with_authorization(&GOOD_AUTH.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"))),
        incomplete("Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). ")
    );
}

#[test]
fn credential_shape() {
    for credential in ["AKIDEXAMPLE", "a/b/c/d", "a/b/c/d/e/f", ""] {
        let raw = GOOD_AUTH.replace(
            "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
            credential,
        );
        let expected = if credential.is_empty() {
            incomplete(&format!(
                "Authorization header requires 'Credential' parameter. Authorization={raw}"
            ))
        } else {
            incomplete(&format!("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"))
        };
        assert_eq!(get("", &with_authorization(&raw)), expected, "{credential}");
    }
}

#[test]
fn credential_scope_errors_are_reported_together() {
    let raw = GOOD_AUTH.replace(
        "20150830/us-east-1/service/aws4_request",
        "foobar/US_EAST/service/aws5_request",
    );
    assert_eq!(
        get("", &with_authorization(&raw)),
        mismatch("Credential should be scoped to a valid region. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'foobar' != '20150830', from '20150830T123600Z'.")
    );
    // The scope's day must be X-Amz-Date's day.
    let raw = GOOD_AUTH.replace("20150830/", "20150831/");
    assert_eq!(
        get("", &with_authorization(&raw)),
        mismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'.")
    );
    let raw = GOOD_AUTH.replace("/us-east-1/", "//");
    assert_eq!(
        get("", &with_authorization(&raw)),
        mismatch("Credential should be scoped to a valid region. ")
    );
}

#[test]
fn presigned_missing_parameters() {
    assert_eq!(
        get("X-Amz-Algorithm=AWS4-HMAC-SHA256", &[]),
        incomplete("AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.")
    );
    assert_eq!(
        get("X-Amz-Algorithm=&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d", &[]),
        incomplete("AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.")
    );
}

const PRESIGNED: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d";

#[test]
fn presigned_parameter_errors() {
    let h = headers(&[("host", "example.amazonaws.com")]);
    let auth = get(PRESIGNED, &h).ok().flatten();
    assert_eq!(
        auth.as_ref().map(|a| a.location),
        Some(AuthLocation::QueryString)
    );
    assert_eq!(auth.as_ref().and_then(|a| a.expires_secs), Some(3600));

    for (expires, message) in [
        ("abc", "X-Amz-Expires should be a number"),
        ("-1", "X-Amz-Expires must be non-negative"),
        ("604801", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"),
    ] {
        let query = PRESIGNED.replace("X-Amz-Expires=3600", &format!("X-Amz-Expires={expires}"));
        assert_eq!(get(&query, &h), incomplete(message), "{expires}");
    }
    let query = PRESIGNED.replace("X-Amz-Date=20150830T123600Z", "X-Amz-Date=2015-08-30");
    assert_eq!(
        get(&query, &h),
        incomplete("Date must be in ISO-8601 'basic format'. Got '2015-08-30'. See http://en.wikipedia.org/wiki/ISO_8601")
    );
    let query = PRESIGNED.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-amz-date");
    assert_eq!(
        get(&query, &h),
        mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    );
    let query = PRESIGNED.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=HMAC");
    assert_eq!(
        get(&query, &h),
        incomplete("Unsupported AWS 'algorithm': 'HMAC' (only AWS4-HMAC-SHA256 for now). ")
    );

    // Both forms at once.
    let both = headers(&[
        ("host", "example.amazonaws.com"),
        ("authorization", GOOD_AUTH),
    ]);
    assert_eq!(
        get(PRESIGNED, &both),
        incomplete("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
    );
}

#[test]
fn content_sha256_must_match_the_body() {
    let body_hash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
    let now = Utc
        .with_ymd_and_hms(2015, 8, 30, 12, 36, 0)
        .single()
        .unwrap_or_default();
    let h = headers(&[
        ("content-length", "13"),
        ("content-type", "application/x-www-form-urlencoded"),
        ("host", "example.amazonaws.com"),
        ("x-amz-date", "20150830T123600Z"),
        ("x-amz-content-sha256", body_hash),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"),
    ]);
    let req = |body: &'static [u8]| RequestParts {
        method: "POST",
        path: "/",
        query: "",
        headers: &h,
        body,
    };
    let auth = parse(&req(b"Param1=value1")).ok().flatten();
    let auth = auth.as_ref();
    assert_eq!(
        auth.map(|a| verify(&req(b"Param1=value1"), a, SECRET, now)),
        Some(Ok(()))
    );
    // Same length, another body: the signed hash no longer describes it.
    assert_eq!(
        auth.map(|a| verify(&req(b"Param1=value2"), a, SECRET, now)),
        Some(Err(SigV4Error::SignatureDoesNotMatch(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
                .to_string()
        )))
    );
}
