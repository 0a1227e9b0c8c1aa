//! Identifiers in AWS's formats: unique ids (`AIDA…`, 21 characters), access key ids
//! (`AKIA…`/`ASIA…`, 20 characters, carrying the account id the way AWS's newer keys do, so
//! GetAccessKeyInfo can read it back), secrets (40 characters).

use rand::Rng;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Prefixes AWS gives each kind of unique id.
#[derive(Debug, Clone, Copy)]
pub enum IdKind {
    User,
    Group,
    Role,
    Policy,
    InstanceProfile,
    ServerCertificate,
    SshKey,
    ServiceSpecificCredential,
}

impl IdKind {
    fn prefix(self) -> &'static str {
        match self {
            IdKind::User => "AIDA",
            IdKind::Group => "AGPA",
            IdKind::Role => "AROA",
            IdKind::Policy => "ANPA",
            IdKind::InstanceProfile => "AIPA",
            IdKind::ServerCertificate => "ASCA",
            IdKind::SshKey => "APKA",
            IdKind::ServiceSpecificCredential => "ACCA",
        }
    }
}

/// RFC 4648 Base32 (upper case, no padding): ids use it, and so do TOTP seeds.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The bytes of unpadded RFC 4648 Base32 text; `None` for a character outside the alphabet.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = BASE32.iter().position(|&x| x == c)? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// A new unique id: prefix + 17 base32 characters.
pub fn unique_id(kind: IdKind) -> String {
    let bytes: [u8; 11] = rand::thread_rng().gen();
    let mut s = String::from(kind.prefix());
    s.push_str(&base32(&bytes)[..17]);
    s
}

/// An id in the format of `kind` that is always the same for `seed` (for data that exists
/// before any call, such as AWS-managed policies).
pub fn stable_id(kind: IdKind, seed: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(seed.as_bytes());
    let mut s = String::from(kind.prefix());
    s.push_str(&base32(&digest[..11])[..17]);
    s
}

/// A signing certificate id: 32 upper-case Base32 characters (160 random bits); AWS's ids are
/// upper-case alphanumerics of this length.
pub fn certificate_id() -> String {
    let bytes: [u8; 20] = rand::thread_rng().gen();
    base32(&bytes)
}

/// A new access key id for `account_id`: `AKIA` (long-term) or `ASIA` (temporary), then 16
/// characters encoding 80 bits whose first 48 hold the account id shifted left by 7.
pub fn access_key_id(account_id: &str, temporary: bool) -> String {
    let account: u64 = account_id.parse().unwrap_or(0);
    let mut rng = rand::thread_rng();
    let head: u64 = ((account & 0xFF_FFFF_FFFF) << 7) | u64::from(rng.gen::<u8>() & 0x7F);
    let mut bytes = [0u8; 10];
    bytes[..6].copy_from_slice(&head.to_be_bytes()[2..]);
    rng.fill(&mut bytes[6..]);
    let prefix = if temporary { "ASIA" } else { "AKIA" };
    format!("{prefix}{}", base32(&bytes))
}

/// The account an access key id was issued to, as AWS's GetAccessKeyInfo reads it.
pub fn account_of_access_key(key_id: &str) -> Option<String> {
    let body = key_id.get(4..)?;
    let bytes = base32_decode(body)?;
    if bytes.len() < 6 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[2..].copy_from_slice(&bytes[..6]);
    let account = (u64::from_be_bytes(buf) & 0x7FFF_FFFF_FF80) >> 7;
    Some(format!("{account:012}"))
}

/// A 40-character secret access key.
pub fn secret_access_key() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut rng = rand::thread_rng();
    (0..40)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A session token: opaque base64 text of the length AWS's tokens usually have.
pub fn session_token() -> String {
    use base64::Engine;
    let bytes: Vec<u8> = (0..300).map(|_| rand::random::<u8>()).collect();
    format!(
        "IQoJb3JpZ2luX2VjE{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A request id in AWS's format (a UUID).
pub fn request_id() -> String {
    // A version-4 UUID from the thread's generator: no system call per request.
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_have_aws_shape() {
        let id = unique_id(IdKind::User);
        assert_eq!(id.len(), 21);
        assert!(id.starts_with("AIDA"));
        assert!(id.bytes().all(|b| BASE32.contains(&b)));
    }

    #[test]
    fn access_keys_carry_their_account() {
        for account in ["000000000000", "123456789012", "999999999999"] {
            let key = access_key_id(account, false);
            assert_eq!(key.len(), 20);
            assert!(key.starts_with("AKIA"));
            assert_eq!(account_of_access_key(&key).as_deref(), Some(account));
        }
        // AWS's documented example key decodes to its documented account.
        assert_eq!(
            account_of_access_key("ASIAQNZGKIQY56JQ7WML").as_deref(),
            Some("029608264753")
        );
    }

    #[test]
    fn secrets_are_40_chars() {
        assert_eq!(secret_access_key().len(), 40);
    }
}
