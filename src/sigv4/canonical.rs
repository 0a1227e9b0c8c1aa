//! The canonical request of SigV4: method, normalized and re-encoded path, sorted canonical
//! query, trimmed headers, signed header list, payload hash.

use sha2::{Digest, Sha256};

use super::{AuthLocation, ParsedAuth, RequestParts};

/// RFC 3986 unreserved characters stay; everything else is `%XX` (upper-case hex).
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decodes (no `+` rule: SigV4 query canonicalization keeps `+` literal).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Path for non-S3 services: dot segments and empty segments removed, then each segment
/// encoded again (the path as sent is already encoded, so `%` becomes `%25`).
pub fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    out.push_str(&segments.join("/"));
    if path.len() > 1 && path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    uri_encode(&out, true)
}

/// Query pairs decoded then re-encoded, sorted by key then value; `X-Amz-Signature` left out.
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                uri_encode(&percent_decode(k), false),
                uri_encode(&percent_decode(v), false),
            )
        })
        .filter(|(k, _)| k != "X-Amz-Signature")
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header value trimmed, with runs of spaces collapsed to one.
pub fn trim_all(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `name:value\n` for each signed header; repeated headers joined with `,`.
pub fn canonical_headers(req: &RequestParts, signed: &[String]) -> String {
    let mut out = String::new();
    for name in signed {
        let values: Vec<String> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| trim_all(v))
            .collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The payload hashes a signer may have used, most likely first.
pub fn payload_hashes(req: &RequestParts, auth: &ParsedAuth) -> Vec<String> {
    if let Some((_, v)) = req
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-content-sha256"))
    {
        return vec![v.trim().to_string()];
    }
    let body = sha256_hex(req.body);
    match auth.location {
        AuthLocation::Header => vec![body],
        // botocore presigns with the body's hash; S3-style signers use UNSIGNED-PAYLOAD.
        AuthLocation::QueryString => vec![body, "UNSIGNED-PAYLOAD".to_string()],
    }
}

pub fn canonical_request(req: &RequestParts, auth: &ParsedAuth, payload_hash: &str) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method.to_ascii_uppercase(),
        canonical_uri(req.path),
        canonical_query(req.query),
        canonical_headers(req, &auth.signed_headers),
        auth.signed_headers.join(";"),
        payload_hash
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/example/.."), "/");
        assert_eq!(canonical_uri("/./"), "/");
        assert_eq!(canonical_uri("//example//"), "/example/");
        assert_eq!(canonical_uri("/example space/"), "/example%20space/");
        assert_eq!(canonical_uri("/%E1%88%B4"), "/%25E1%2588%25B4");
    }

    #[test]
    fn queries() {
        assert_eq!(
            canonical_query("Param2=value2&Param1=value1"),
            "Param1=value1&Param2=value2"
        );
        assert_eq!(
            canonical_query("Param1=value2&Param1=Value1"),
            "Param1=Value1&Param1=value2"
        );
        assert_eq!(canonical_query("a=b c&flag"), "a=b%20c&flag=");
        assert_eq!(canonical_query("x=%7e&X-Amz-Signature=abc"), "x=~");
        assert_eq!(canonical_query("k=a+b"), "k=a%2Bb");
    }

    #[test]
    fn header_values_are_trimmed_and_joined() {
        let headers = vec![
            ("my-header1".to_string(), "  value1  ".to_string()),
            ("my-header2".to_string(), "\"a   b   c\"".to_string()),
            ("my-header1".to_string(), "value2".to_string()),
        ];
        let req = RequestParts {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        let c = canonical_headers(&req, &["my-header1".into(), "my-header2".into()]);
        assert_eq!(c, "my-header1:value1,value2\nmy-header2:\"a b c\"\n");
    }
}
