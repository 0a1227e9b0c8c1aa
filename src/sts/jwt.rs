//! OpenID Connect ID tokens (JWTs): decoding, and RS256 signature checks against the signing
//! keys (JWKS) iamlocal was given — it cannot fetch a provider's keys from the network.

use std::collections::HashMap;
use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde::Deserialize;
use sha2::Sha256;

/// One key of a JSON Web Key Set (RFC 7517); only RSA keys are used.
#[derive(Debug, Clone, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub e: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// Signing keys by issuer (`host/path`, without `https://`).
#[derive(Debug, Default)]
pub struct IssuerKeys {
    keys: HashMap<String, Vec<Jwk>>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0} is not a JSON object of issuer URL to JWKS: {1}")]
    Parse(String, serde_json::Error),
}

impl IssuerKeys {
    /// Reads a JSON object mapping each issuer URL to its JWKS
    /// (`{"https://issuer.example": {"keys": [...]}}`).
    pub fn load(path: &Path) -> Result<IssuerKeys, KeysError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| KeysError::Read(name.clone(), e))?;
        let map: HashMap<String, Jwks> =
            serde_json::from_str(&text).map_err(|e| KeysError::Parse(name, e))?;
        Ok(IssuerKeys {
            keys: map
                .into_iter()
                .map(|(iss, jwks)| (normalize_issuer(&iss), jwks.keys))
                .collect(),
        })
    }

    pub fn for_issuer(&self, issuer: &str) -> Option<&[Jwk]> {
        self.keys.get(&normalize_issuer(issuer)).map(Vec::as_slice)
    }
}

/// `https://host/path/` → `host/path`: how issuers and provider URLs are compared.
pub fn normalize_issuer(iss: &str) -> String {
    iss.trim_start_matches("https://")
        .trim_end_matches('/')
        .to_string()
}

#[derive(Debug, Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// `aud` is a string or an array of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    pub fn values(&self) -> Vec<String> {
        match self {
            Audience::One(a) => vec![a.clone()],
            Audience::Many(v) => v.clone(),
        }
    }
}

/// The claims AssumeRoleWithWebIdentity reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: Audience,
    pub exp: i64,
    #[serde(default)]
    pub azp: Option<String>,
    #[serde(default)]
    pub amr: Option<serde_json::Value>,
}

/// A decoded token: its claims, and what its signature must be checked against.
pub struct Token {
    pub claims: Claims,
    alg: String,
    kid: Option<String>,
    signed: Vec<u8>,
    signature: Vec<u8>,
}

/// Why a token was refused; the handler words each as AWS does.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    Signature,
}

pub fn decode(token: &str) -> Result<Token, TokenError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let json = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| TokenError::Malformed)
    };
    let header: Header = serde_json::from_slice(&json(h)?).map_err(|_| TokenError::Malformed)?;
    let claims: Claims = serde_json::from_slice(&json(p)?).map_err(|_| TokenError::Malformed)?;
    Ok(Token {
        claims,
        alg: header.alg,
        kid: header.kid,
        signed: format!("{h}.{p}").into_bytes(),
        signature: json(s)?,
    })
}

impl Token {
    /// Checks the RS256 signature against `keys` (the key named by `kid`, else any).
    pub fn verify(&self, keys: &[Jwk]) -> Result<(), TokenError> {
        if self.alg != "RS256" {
            return Err(TokenError::Signature);
        }
        let signature =
            Signature::try_from(self.signature.as_slice()).map_err(|_| TokenError::Signature)?;
        let candidates = keys
            .iter()
            .filter(|k| k.kty == "RSA")
            .filter(|k| self.kid.is_none() || k.kid.is_none() || k.kid == self.kid);
        for k in candidates {
            let Some(key) = rsa_key(k) else { continue };
            if VerifyingKey::<Sha256>::new(key)
                .verify(&self.signed, &signature)
                .is_ok()
            {
                return Ok(());
            }
        }
        Err(TokenError::Signature)
    }
}

fn rsa_key(k: &Jwk) -> Option<RsaPublicKey> {
    let n = URL_SAFE_NO_PAD.decode(k.n.as_deref()?).ok()?;
    let e = URL_SAFE_NO_PAD.decode(k.e.as_deref()?).ok()?;
    RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_tokens_are_refused() {
        assert!(matches!(decode("abc"), Err(TokenError::Malformed)));
        assert!(matches!(decode("a.b.c"), Err(TokenError::Malformed)));
    }

    #[test]
    fn issuers_compare_without_scheme_or_trailing_slash() {
        assert_eq!(
            normalize_issuer("https://token.actions.githubusercontent.com/"),
            "token.actions.githubusercontent.com"
        );
    }
}
