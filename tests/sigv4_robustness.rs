//! Hostile input never panics: deterministic, generated malformed Authorization headers,
//! presigned query strings, paths and header sets all end in `Ok` or a well-formed
//! `SigV4Error`.

use chrono::{DateTime, TimeZone, Utc};
use iamlocal::sigv4::{
    canonical_request, parse, string_to_sign, verify, AuthLocation, ParsedAuth, RequestParts,
    SigV4Error,
};

/// xorshift64*: a fixed sequence, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }

    fn junk(&mut self, max_len: usize) -> String {
        let len = self.below(max_len + 1);
        let bytes: Vec<u8> = (0..len).map(|_| (self.next() & 0xff) as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

const ALGORITHMS: &[&str] = &[
    "AWS4-HMAC-SHA256",
    "AWS4-HMAC-SHA256",
    "AWS4-HMAC-SHA512",
    "AWS4-",
    "AWS4-ECDSA-P256-SHA256",
    "",
];
const CREDENTIALS: &[&str] = &[
    "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
    "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request",
    "AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request/",
    "AKIDEXAMPLE/20150830/us-east-1/service",
    "/////",
    "//////////",
    "a/b/c/d/e",
    "AKID/2015083/us-east-1/iam/aws4_request",
    "AKID/20150830/US-EAST-1/iam/aws4_request",
    "AKID/20150830/us-east-1/iam/aws5_request",
    "%",
    "é/ü/ß/∂/ƒ",
    "",
];
const SIGNED_HEADERS: &[&str] = &[
    "host;x-amz-date",
    "host",
    "HOST;X-AMZ-DATE",
    ";;;",
    "",
    "x-amz-date",
    "host;host;host",
    "host;content-type;x-amz-security-token;x-amz-content-sha256",
    ":authority",
    "host;\u{0}",
];
const SIGNATURES: &[&str] = &[
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    "0",
    "",
    "zz",
    "5FA00FA31553B73EBF1942676E86291E8372FF2A2260956D9B8AAE1D763FBF31",
];
const DATES: &[&str] = &[
    "20150830T123600Z",
    "00000101T000000Z",
    "99991231T235959Z",
    "20150230T123600Z",
    "2015",
    "",
    "Sun, 30 Aug 2015 12:36:00 GMT",
    "Tue, 31 Dec 9999 23:59:59 +2359",
    "\u{fffd}",
];
const SEPARATORS: &[&str] = &[", ", ",", " ", ",,", "\t", "", " , "];
const KEYS: &[&str] = &[
    "Credential",
    "SignedHeaders",
    "Signature",
    "credential",
    "Foo",
    "",
    "=",
];

fn authorization(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        // Well-formed in shape, with every part drawn from the pools (mostly plausible).
        return format!(
            "{} Credential={}{}SignedHeaders={}{}Signature={}",
            rng.pick(&ALGORITHMS[..2]),
            rng.pick(CREDENTIALS),
            rng.pick(&SEPARATORS[..5]),
            rng.pick(SIGNED_HEADERS),
            rng.pick(&SEPARATORS[..5]),
            rng.pick(SIGNATURES)
        );
    }
    let mut out = rng.pick(ALGORITHMS).to_string();
    out.push_str(rng.pick(&[" ", "", "  ", ","]));
    for _ in 0..rng.below(6) {
        let key = rng.pick(KEYS);
        let value = match key {
            "Credential" => rng.pick(CREDENTIALS).to_string(),
            "SignedHeaders" => rng.pick(SIGNED_HEADERS).to_string(),
            "Signature" => rng.pick(SIGNATURES).to_string(),
            _ => rng.junk(12),
        };
        match rng.below(5) {
            0 => out.push_str(key),
            1 => out.push_str(&rng.junk(8)),
            _ => {
                out.push_str(key);
                out.push('=');
                out.push_str(&value);
            }
        }
        out.push_str(rng.pick(SEPARATORS));
    }
    out
}

const QUERY_KEYS: &[&str] = &[
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
    "X-Amz-Content-Sha256",
    "X-Amz-%41lgorithm",
    "Action",
    "%",
    "%zz",
    "",
    "+",
];
const EXPIRES: &[&str] = &[
    "60",
    "0",
    "-1",
    "604800",
    "604801",
    "18446744073709551616",
    "1e3",
    "",
];

fn query(rng: &mut Rng, allow_algorithm: bool) -> String {
    let keys = if allow_algorithm {
        QUERY_KEYS
    } else {
        &QUERY_KEYS[1..8]
    };
    let mut pieces = Vec::new();
    for _ in 0..rng.below(10) {
        let key = rng.pick(keys);
        let value = match key {
            "X-Amz-Algorithm" | "X-Amz-%41lgorithm" => rng.pick(ALGORITHMS).to_string(),
            "X-Amz-Credential" => rng
                .pick(CREDENTIALS)
                .replace('/', rng.pick(&["/", "%2F", "%2f"])),
            "X-Amz-Date" => rng.pick(DATES).to_string(),
            "X-Amz-Expires" => rng.pick(EXPIRES).to_string(),
            "X-Amz-SignedHeaders" => rng.pick(SIGNED_HEADERS).to_string(),
            "X-Amz-Signature" => rng.pick(SIGNATURES).to_string(),
            _ => rng.junk(10),
        };
        pieces.push(match rng.below(6) {
            0 => key.to_string(),
            1 => format!("{key}={value}={value}"),
            2 => format!("{}%", key),
            _ => format!("{key}={value}"),
        });
    }
    pieces.join(rng.pick(&["&", "&&", "&=&"]))
}

const PATHS: &[&str] = &[
    "/",
    "",
    "//",
    "/..",
    "/../../..",
    "/%",
    "/%zz/%2",
    "/a/./b/../c/",
    "*",
    "/\u{0}/é",
    "/ሴ",
];

fn extreme_times() -> Vec<DateTime<Utc>> {
    vec![
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        DateTime::<Utc>::UNIX_EPOCH,
        Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0)
            .single()
            .unwrap_or_default(),
    ]
}

/// Every outcome is either success or one of our errors with a status and a message.
fn assert_well_formed(result: &Result<(), SigV4Error>) {
    if let Err(e) = result {
        assert!(
            matches!(
                e.code(),
                "IncompleteSignature"
                    | "SignatureDoesNotMatch"
                    | "RequestExpired"
                    | "MissingAuthenticationToken"
                    | "InvalidClientTokenId"
            ),
            "{e:?}"
        );
        assert!(matches!(e.http_status(), 400 | 403), "{e:?}");
        assert!(!e.to_string().is_empty(), "{e:?}");
    }
}

#[derive(Default, Debug)]
struct Tally {
    none: usize,
    parse_errors: usize,
    parsed: usize,
}

fn exercise(req: &RequestParts<'_>, tally: &mut Tally) {
    match parse(req) {
        Ok(None) => tally.none += 1,
        Err(e) => {
            tally.parse_errors += 1;
            assert_well_formed(&Err(e));
        }
        Ok(Some(auth)) => {
            tally.parsed += 1;
            for now in extreme_times().into_iter().chain([auth.request_time]) {
                assert_well_formed(&verify(req, &auth, "secret", now));
            }
            assert!(canonical_request(req, &auth).starts_with(req.method));
            assert!(string_to_sign(req, &auth).starts_with("AWS4-HMAC-SHA256\n"));
        }
    }
}

#[test]
fn generated_authorization_headers_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut tally = Tally::default();
    for _ in 0..600 {
        let mut headers = vec![("authorization".to_string(), authorization(&mut rng))];
        match rng.below(4) {
            0 => {}
            1 => headers.push(("x-amz-date".to_string(), rng.pick(DATES).to_string())),
            // Mostly the credential pool's day, so that many requests get past the scope checks.
            _ => headers.push(("x-amz-date".to_string(), DATES[0].to_string())),
        }
        if rng.below(3) == 0 {
            headers.push(("date".to_string(), rng.pick(DATES).to_string()));
        }
        if rng.below(2) == 0 {
            headers.push(("host".to_string(), rng.junk(20)));
        }
        if rng.below(4) == 0 {
            headers.push((
                "x-amz-content-sha256".to_string(),
                rng.pick(&[
                    "UNSIGNED-PAYLOAD",
                    "abc",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                    &"f".repeat(64),
                ])
                .to_string(),
            ));
        }
        let path = rng.pick(PATHS);
        let with_algorithm = rng.below(8) == 0;
        let query = query(&mut rng, with_algorithm);
        let body = rng.junk(32).into_bytes();
        let req = RequestParts {
            method: "POST",
            path,
            query: &query,
            headers: &headers,
            body: &body,
        };
        exercise(&req, &mut tally);
    }
    // The generator reaches every outcome, so the deep paths ran too.
    assert!(tally.parsed > 10, "{tally:?}");
    assert!(tally.parse_errors > 100, "{tally:?}");
    assert!(tally.none > 10, "{tally:?}");
}

#[test]
fn generated_presigned_queries_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut tally = Tally::default();
    for _ in 0..600 {
        let mut query = format!("X-Amz-Algorithm={}&", rng.pick(ALGORITHMS));
        query.push_str(&self::query(&mut rng, true));
        let mut headers = vec![("host".to_string(), "sts.amazonaws.com".to_string())];
        if rng.below(5) == 0 {
            headers.push(("x-amz-security-token".to_string(), rng.junk(16)));
        }
        let path = rng.pick(PATHS);
        let req = RequestParts {
            method: "GET",
            path,
            query: &query,
            headers: &headers,
            body: b"",
        };
        exercise(&req, &mut tally);
    }
    assert!(tally.parse_errors > 100, "{tally:?}");
    // Most generated queries miss something; make sure complete ones get through as well.
    let complete = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
    let headers = vec![("host".to_string(), "sts.amazonaws.com".to_string())];
    let req = RequestParts {
        method: "GET",
        path: "/",
        query: complete,
        headers: &headers,
        body: b"",
    };
    exercise(&req, &mut tally);
    assert!(tally.parsed >= 1, "{tally:?}");
}

#[test]
fn huge_and_binary_values_never_panic() {
    let big = "A".repeat(1 << 20);
    let many_params = (0..20_000)
        .map(|i| format!("k{}=%{:02X}", i % 7, i % 256))
        .collect::<Vec<_>>()
        .join("&");
    let binary: String = String::from_utf8_lossy(&(0..=255u8).collect::<Vec<_>>()).into_owned();
    let auth_values = [
        format!("AWS4-HMAC-SHA256 Credential={big}"),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders={big}, Signature={big}"),
        format!("AWS4-{binary}"),
        format!("AWS4-HMAC-SHA256 {}", ",".repeat(100_000)),
        format!("AWS4-HMAC-SHA256 {}", "=".repeat(100_000)),
    ];
    for value in &auth_values {
        let headers = vec![
            ("authorization".to_string(), value.clone()),
            ("x-amz-date".to_string(), "20150830T123600Z".to_string()),
            ("host".to_string(), big.clone()),
        ];
        for query in ["", many_params.as_str()] {
            let req = RequestParts {
                method: "GET",
                path: "/",
                query,
                headers: &headers,
                body: big.as_bytes(),
            };
            let mut tally = Tally::default();
            exercise(&req, &mut tally);
        }
    }
    let mut tally = Tally::default();
    let headers = vec![("host".to_string(), binary.clone())];
    let query = format!("X-Amz-Algorithm=AWS4-HMAC-SHA256&{many_params}");
    exercise(
        &RequestParts {
            method: &binary,
            path: &binary,
            query: &query,
            headers: &headers,
            body: b"",
        },
        &mut tally,
    );
    assert_eq!(tally.parse_errors, 1);
}

/// `verify` gets a `ParsedAuth` the server may have built or altered itself; out-of-range
/// fields must not panic either.
#[test]
fn adversarial_parsed_auth_never_panics() {
    let headers = vec![("host".to_string(), "h".to_string())];
    let req = RequestParts {
        method: "GET",
        path: "/",
        query: "",
        headers: &headers,
        body: b"",
    };
    for request_time in extreme_times() {
        for expires_secs in [None, Some(0), Some(u64::MAX), Some(i64::MAX as u64)] {
            for location in [AuthLocation::Header, AuthLocation::QueryString] {
                let auth = ParsedAuth {
                    access_key_id: String::new(),
                    scope_date: "\u{0}".to_string(),
                    region: String::new(),
                    service: "é".repeat(1000),
                    signed_headers: vec![String::new(), "host".to_string(), "x".repeat(10_000)],
                    signature: String::new(),
                    request_time,
                    expires_secs,
                    session_token: None,
                    location,
                };
                for now in extreme_times() {
                    assert_well_formed(&verify(&req, &auth, "", now));
                }
                let _ = canonical_request(&req, &auth);
                let _ = string_to_sign(&req, &auth);
            }
        }
    }
}
