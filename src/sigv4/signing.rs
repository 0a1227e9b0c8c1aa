//! The cryptographic half: hashing the canonical request, the string to sign, the derived
//! signing key and the constant-time comparison of signatures.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The only algorithm SigV4 (as opposed to SigV4a) defines.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The last element of every SigV4 credential scope.
pub const TERMINATOR: &str = "aws4_request";

/// Payload hash a presigned request uses when its body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so this never fails; the fallback keeps it panic-free.
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0u8; 32],
    }
}

/// The key for one day, region and service: `AWS4`+secret → date → region → service →
/// `aws4_request`, each step an HMAC-SHA256.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut seed = Vec::with_capacity(4 + secret_access_key.len());
    seed.extend_from_slice(b"AWS4");
    seed.extend_from_slice(secret_access_key.as_bytes());
    let k_date = hmac(&seed, date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, TERMINATOR.as_bytes())
}

/// How many derived keys each thread remembers.
const CACHED_KEYS: usize = 16;

struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    key: [u8; 32],
}

thread_local! {
    static KEYS: std::cell::RefCell<Vec<CachedKey>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [`signing_key`], remembered per thread: a client signs every request of a day with the same
/// key, and deriving it costs four HMACs (~2 % of a simple call's CPU).
pub fn cached_signing_key(
    secret_access_key: &str,
    date: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    KEYS.with(|cell| {
        let mut keys = cell.borrow_mut();
        if let Some(k) = keys.iter().find(|k| {
            k.secret == secret_access_key
                && k.date == date
                && k.region == region
                && k.service == service
        }) {
            return k.key;
        }
        let key = signing_key(secret_access_key, date, region, service);
        if keys.len() == CACHED_KEYS {
            keys.remove(0);
        }
        keys.push(CachedKey {
            secret: secret_access_key.to_string(),
            date: date.to_string(),
            region: region.to_string(),
            service: service.to_string(),
            key,
        });
        key
    })
}

/// Hex SHA-256 of the canonical request given as its prefix plus payload hash, without
/// concatenating the two.
pub(super) fn canonical_request_hash(prefix: &str, payload_hash: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prefix.as_bytes());
    hasher.update(payload_hash.as_bytes());
    hex::encode(hasher.finalize())
}

/// The string to sign: algorithm, timestamp, credential scope and canonical request hash.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request_hash: &str) -> String {
    let mut out = String::with_capacity(
        ALGORITHM.len() + amz_date.len() + scope.len() + canonical_request_hash.len() + 3,
    );
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(amz_date);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    out.push_str(canonical_request_hash);
    out
}

/// Lower-case hex HMAC-SHA256 of the string to sign under the signing key.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac(signing_key, string_to_sign.as_bytes()))
}

/// Compares the signature we computed with the one the client sent, in time that does not
/// depend on where they first differ.
pub(super) fn signatures_equal(expected: &str, provided: &str) -> bool {
    expected.as_bytes().ct_eq(provided.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_keys_are_the_derived_keys_of_their_own_inputs() {
        // More distinct inputs than the cache holds, asked twice: every answer must be the
        // key derived from exactly those inputs, whether remembered or evicted.
        for round in 0..2 {
            for i in 0..(CACHED_KEYS + 4) {
                let secret = format!("secret{i}");
                let date = if i % 2 == 0 { "20150830" } else { "20150831" };
                assert_eq!(
                    cached_signing_key(&secret, date, "us-east-1", "iam"),
                    signing_key(&secret, date, "us-east-1", "iam"),
                    "round {round}, input {i}"
                );
            }
        }
        assert_ne!(
            cached_signing_key("a", "20150830", "us-east-1", "iam"),
            cached_signing_key("a", "20150830", "us-east-1", "sts")
        );
    }

    #[test]
    fn empty_body_hash() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// The worked example of AWS's SigV4 documentation (IAM ListUsers, 20150830T123600Z).
    #[test]
    fn documented_iam_example() {
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex::encode(key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
        let sts = string_to_sign(
            "20150830T123600Z",
            "20150830/us-east-1/iam/aws4_request",
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
        );
        assert_eq!(
            signature(&key, &sts),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    #[test]
    fn comparison() {
        assert!(signatures_equal("abc", "abc"));
        assert!(!signatures_equal("abc", "abd"));
        assert!(!signatures_equal("abc", "ab"));
        assert!(!signatures_equal("abc", ""));
    }
}
