//! The canonical request: the exact bytes both sides hash, built from the request as received.
//!
//! Every function here is total: odd input (unbalanced `%`, non-UTF-8 bytes, empty pieces)
//! canonicalises to *something*, and a signature over something else simply fails to match.

use percent_encoding::{percent_decode, AsciiSet, NON_ALPHANUMERIC};

use super::RequestParts;

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX` (upper case).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The query parameter that carries a presigned request's signature and is left out of it.
pub(super) const SIGNATURE_PARAM: &[u8] = b"X-Amz-Signature";

/// Appends `bytes` URI-encoded the SigV4 way (unreserved kept, the rest `%XX`).
pub(super) fn encode_into(out: &mut String, bytes: &[u8]) {
    out.extend(percent_encoding::percent_encode(bytes, NOT_UNRESERVED));
}

/// URI-encodes `bytes` the SigV4 way.
pub(super) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    encode_into(&mut out, bytes);
    out
}

/// Decodes one query key or value: `+` is a space (form encoding, as the SDK signers read it)
/// and `%XX` a byte; a `%` not followed by two hex digits stays a literal `%`.
pub(super) fn decode_component(raw: &str) -> Vec<u8> {
    if raw.contains('+') {
        let spaced = raw.replace('+', " ");
        percent_decode(spaced.as_bytes()).collect()
    } else {
        percent_decode(raw.as_bytes()).collect()
    }
}

/// Splits a raw query string into raw `(key, value)` pieces; a piece without `=` has an empty
/// value and empty pieces (`a=1&&b=2`) are dropped.
pub(super) fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
}

/// The canonical URI: the path with `.`/`..` segments resolved and empty segments dropped
/// (RFC 3986 5.2.4, as AWS normalises paths for every service but S3), then each segment
/// URI-encoded. The path is taken as it came over the wire, still percent-encoded, so encoding
/// it again is the "double encoding" non-S3 services expect (`%3D` becomes `%253D`).
pub fn canonical_uri(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            other => kept.push(other),
        }
    }
    let ends_in_directory = path.ends_with('/')
        || path.ends_with("/.")
        || path.ends_with("/..")
        || path == "."
        || path == "..";
    let mut out = String::with_capacity(path.len() + 8);
    for segment in &kept {
        out.push('/');
        encode_into(&mut out, segment.as_bytes());
    }
    if out.is_empty() || ends_in_directory {
        out.push('/');
    }
    out
}

/// The canonical query string: every parameter decoded then re-encoded, sorted by key and then
/// value, repeated keys kept, `key=` for a missing value. A presigned request's own
/// `X-Amz-Signature` is left out (`skip_signature`).
pub fn canonical_query(query: &str, skip_signature: bool) -> String {
    let mut pairs: Vec<(String, String)> = query_pairs(query)
        .filter_map(|(key, value)| {
            let key = decode_component(key);
            if skip_signature && key == SIGNATURE_PARAM {
                return None;
            }
            Some((encode(&key), encode(&decode_component(value))))
        })
        .collect();
    pairs.sort_unstable();
    let mut out = String::with_capacity(query.len() + 16);
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Appends one header value with leading/trailing spaces removed and runs of spaces collapsed
/// to one, as SigV4 canonicalises values.
pub(super) fn push_trimmed(out: &mut String, value: &str) {
    let mut previous_space = false;
    for c in value.trim_matches(' ').chars() {
        if c == ' ' {
            if !previous_space {
                out.push(' ');
            }
            previous_space = true;
        } else {
            out.push(c);
            previous_space = false;
        }
    }
}

/// The canonical value of header `name`: every occurrence trimmed, joined with `,` in the
/// order received; empty when the header is absent.
pub fn canonical_header_value(headers: &[(String, String)], name: &str) -> String {
    let mut out = String::new();
    push_header_value(&mut out, headers, name);
    out
}

fn push_header_value(out: &mut String, headers: &[(String, String)], name: &str) {
    let mut first = true;
    for (_, value) in headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)) {
        if !first {
            out.push(',');
        }
        first = false;
        push_trimmed(out, value);
    }
}

/// Everything of the canonical request but its last line (the payload hash), so a presigned
/// request can be tried with more than one payload hash without rebuilding it.
pub(super) fn canonical_request_prefix(
    req: &RequestParts<'_>,
    signed_headers: &[String],
    presigned: bool,
) -> String {
    let mut out = String::with_capacity(
        req.method.len() + req.path.len() + req.query.len() + 64 * signed_headers.len() + 128,
    );
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_uri(req.path));
    out.push('\n');
    out.push_str(&canonical_query(req.query, presigned));
    out.push('\n');
    for name in signed_headers {
        out.push_str(name);
        out.push(':');
        push_header_value(&mut out, req.headers, name);
        out.push('\n');
    }
    out.push('\n');
    for (i, name) in signed_headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encoding_and_normalisation() {
        let cases: &[(&str, &str)] = &[
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/foo/bar/.", "/foo/bar/"),
            ("/foo/bar/..", "/foo/"),
            ("/../../x", "/x"),
            ("/a/./b/../c", "/a/c"),
            ("relative/path", "/relative/path"),
            ("/example space/", "/example%20space/"),
            ("/example%20space/", "/example%2520space/"),
            ("/ሴ", "/%E1%88%B4"),
            ("/%E1%88%B4", "/%25E1%2588%25B4"),
            (
                "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            ),
            (
                "/test/@connections/JBDvjfGEIAMCERw%3D",
                "/test/%40connections/JBDvjfGEIAMCERw%253D",
            ),
            ("/a+b=c&d", "/a%2Bb%3Dc%26d"),
            ("/%", "/%25"),
            ("/%zz/%4", "/%25zz/%254"),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical_uri(input), *expected, "path {input:?}");
        }
    }

    #[test]
    fn query_encoding_and_sorting() {
        let cases: &[(&str, bool, &str)] = &[
            ("", false, ""),
            ("Param2=value2&Param1=value1", false, "Param1=value1&Param2=value2"),
            // Sorted by key, then by value; repeated keys kept.
            ("a=2&b=1&a=1&a=10", false, "a=1&a=10&a=2&b=1"),
            // Upper case sorts before lower case (byte order).
            ("b=1&B=2&a=3", false, "B=2&a=3&b=1"),
            // Missing and empty values are both `key=`; empty pieces are dropped.
            ("flag&x=&&y=1", false, "flag=&x=&y=1"),
            // Decoded then re-encoded: lower-case escapes become upper case, needless
            // escapes are undone, reserved characters are escaped.
            ("k=%7e%41%2f", false, "k=~A%2F"),
            ("Param-3=Value3&Param=Value2&%E1%88%B4=Value1", false, "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"),
            ("ሴ=bar", false, "%E1%88%B4=bar"),
            ("a=b c", false, "a=b%20c"),
            ("a=b+c", false, "a=b%20c"),
            ("a=b%2Bc", false, "a=b%2Bc"),
            ("tok=a/b=c", false, "tok=a%2Fb%3Dc"),
            // Unbalanced escapes stay literal `%`, which is itself escaped.
            ("a=%&b=%4&c=%zz", false, "a=%25&b=%254&c=%25zz"),
            // Only the first `=` splits key from value.
            ("a=b=c", false, "a=b%3Dc"),
            // The presigned signature is left out, and only then.
            ("X-Amz-Signature=abc&b=1", true, "b=1"),
            ("X-Amz-Signature=abc&b=1", false, "X-Amz-Signature=abc&b=1"),
            ("X-Amz-%53ignature=abc&b=1", true, "b=1"),
            ("x-amz-signature=abc", true, "x-amz-signature=abc"),
            (
                "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                false,
                "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            ),
        ];
        for (query, skip, expected) in cases {
            assert_eq!(canonical_query(query, *skip), *expected, "query {query:?}");
        }
    }

    #[test]
    fn header_values_trimmed_and_joined() {
        let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        type Headers = Vec<(String, String)>;
        let cases: &[(Headers, &str, &str)] = &[
            (h(&[("my-header1", " value1")]), "my-header1", "value1"),
            (
                h(&[("my-header2", "\"a   b   c\"")]),
                "my-header2",
                "\"a b c\"",
            ),
            (h(&[("x", "  lead and trail  ")]), "x", "lead and trail"),
            (h(&[("x", "")]), "x", ""),
            (h(&[("x", "    ")]), "x", ""),
            (
                h(&[
                    ("my-header1", "value2"),
                    ("my-header1", "value2"),
                    ("my-header1", "value1"),
                ]),
                "my-header1",
                "value2,value2,value1",
            ),
            (
                h(&[("a", "1"), ("b", "x"), ("a", " 2 "), ("a", "3  4")]),
                "a",
                "1,2,3 4",
            ),
            // Tabs are not spaces: left as they are.
            (h(&[("x", "a\t\tb")]), "x", "a\t\tb"),
            // Absent header: empty value.
            (h(&[("x", "1")]), "y", ""),
            // Names compare without regard to case.
            (h(&[("Host", "example.com")]), "host", "example.com"),
        ];
        for (headers, name, expected) in cases {
            assert_eq!(
                canonical_header_value(headers, name),
                *expected,
                "{headers:?}"
            );
        }
    }

    #[test]
    fn decode_component_is_total() {
        assert_eq!(decode_component("a%20b+c"), b"a b c".to_vec());
        assert_eq!(decode_component("%"), b"%".to_vec());
        assert_eq!(decode_component("%F"), b"%F".to_vec());
        assert_eq!(decode_component("%ff%fe"), vec![0xff, 0xfe]);
        assert_eq!(encode(&[0xff, 0x00]), "%FF%00");
    }

    #[test]
    fn canonical_request_prefix_layout() {
        let headers = vec![
            ("host".to_string(), "example.amazonaws.com".to_string()),
            ("x-amz-date".to_string(), "20150830T123600Z".to_string()),
            ("user-agent".to_string(), "not signed".to_string()),
        ];
        let req = RequestParts {
            method: "GET",
            path: "/",
            query: "Param2=value2&Param1=value1",
            headers: &headers,
            body: b"",
        };
        let signed = vec!["host".to_string(), "x-amz-date".to_string()];
        assert_eq!(
            canonical_request_prefix(&req, &signed, false),
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        );
    }
}
