//! SSH public keys for CodeCommit: UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys,
//! UpdateSSHPublicKey, DeleteSSHPublicKey.
//!
//! A key is parsed for real (RSA only, at least 2048 bits, as AWS documents for
//! SSHPublicKeyBody), kept in `ssh-rsa` form and handed back in either encoding.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use md5::{Digest, Md5};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{Call, Principal};
use crate::ids::{self, IdKind};
use crate::store::{self, ssh_keys, ssh_keys::SshKeyRow, users::UserRow};

use super::pagination::Page;
use super::users::authorized_user;

/// IAM quota: five SSH public keys per user.
const SSH_KEYS_PER_USER: usize = 5;

/// "The minimum bit-length of the public key is 2048 bits" (UploadSSHPublicKey reference).
const MIN_BITS: usize = 2048;

const SSH_RSA: &str = "ssh-rsa";

/// Key types OpenSSH knows that IAM does not take: their encoding is recognised as SSH, but
/// unsupported.
const OTHER_SSH_TYPES: &[&str] = &["ssh-ed25519", "ssh-dss", "ecdsa-sha2-", "sk-"];

/// Not recorded from AWS: wording in AWS's style.
fn invalid_key() -> ApiError {
    errors::invalid_public_key("The public key is malformed or otherwise invalid.")
}

/// Not recorded from AWS: wording in AWS's style.
fn unsupported_encoding() -> ApiError {
    errors::unrecognized_public_key_encoding(
        "The public key encoding format is unsupported or unrecognized.",
    )
}

/// As recorded from AWS (GetSSHPublicKey of an unknown id).
fn no_such_key(id: &str) -> ApiError {
    errors::no_such_entity(format!("The Public Key with id {id} cannot be found."))
}

/// Reads one SSH wire-format `string` (u32 length + bytes) off the front of `buf`.
fn read_string<'a>(buf: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(u32::from_be_bytes(buf.get(..4)?.try_into().ok()?)).ok()?;
    let s = buf.get(4..4 + len)?;
    *buf = &buf[4 + len..];
    Some(s)
}

fn write_string(out: &mut Vec<u8>, s: &[u8]) {
    // Lengths here are key sizes, far below u32::MAX.
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s);
}

/// An SSH `mpint` of a non-negative number: big-endian, with a zero byte in front when the top
/// bit is set (RFC 4251 §5).
fn write_mpint(out: &mut Vec<u8>, n: &BigUint) {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    write_string(out, &bytes);
}

/// The RFC 4253 §6.6 `ssh-rsa` blob of a key.
fn ssh_blob(key: &RsaPublicKey) -> Vec<u8> {
    let mut out = Vec::new();
    write_string(&mut out, SSH_RSA.as_bytes());
    write_mpint(&mut out, key.e());
    write_mpint(&mut out, key.n());
    out
}

fn parse_ssh_rsa(b64: &str) -> Result<RsaPublicKey, ApiError> {
    let blob = STANDARD.decode(b64).map_err(|_| invalid_key())?;
    let mut rest = blob.as_slice();
    let kind = read_string(&mut rest).ok_or_else(invalid_key)?;
    if kind != SSH_RSA.as_bytes() {
        return Err(invalid_key());
    }
    let e = read_string(&mut rest).ok_or_else(invalid_key)?;
    let n = read_string(&mut rest).ok_or_else(invalid_key)?;
    if !rest.is_empty() {
        return Err(invalid_key());
    }
    RsaPublicKey::new(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e))
        .map_err(|_| invalid_key())
}

/// Parses an `ssh-rsa AAAA… [comment]` line or a PEM RSA public key (SubjectPublicKeyInfo or
/// PKCS#1).
pub fn parse_public_key(body: &str) -> Result<RsaPublicKey, ApiError> {
    let body = body.trim();
    let key = if body.starts_with("-----BEGIN") {
        RsaPublicKey::from_public_key_pem(body)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(body))
            .map_err(|_| invalid_key())?
    } else {
        let mut words = body.split_whitespace();
        match (words.next(), words.next()) {
            (Some(SSH_RSA), Some(b64)) => parse_ssh_rsa(b64)?,
            (Some(kind), _) if OTHER_SSH_TYPES.iter().any(|t| kind.starts_with(t)) => {
                return Err(unsupported_encoding())
            }
            _ => return Err(invalid_key()),
        }
    };
    if key.n().bits() < MIN_BITS {
        return Err(invalid_key());
    }
    Ok(key)
}

/// The key as an `ssh-rsa` line.
pub fn ssh_encoding(key: &RsaPublicKey) -> String {
    format!("{SSH_RSA} {}", STANDARD.encode(ssh_blob(key)))
}

/// AWS's Fingerprint: the MD5 of the key blob as colon-separated hex, as `ssh-keygen -l -E md5`
/// prints it.
pub fn fingerprint(key: &RsaPublicKey) -> String {
    let digest = Md5::digest(ssh_blob(key));
    digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn pem_encoding(key: &RsaPublicKey) -> Result<String, ApiError> {
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|_| ApiError::internal("We encountered an internal error. Please try again."))
}

fn key_out(user: &UserRow, row: SshKeyRow, encoding: &str) -> Result<SSHPublicKey, ApiError> {
    let body = if encoding == "PEM" {
        let key = parse_public_key(&row.body)?;
        pem_encoding(&key)?
    } else {
        row.body
    };
    Ok(SSHPublicKey {
        user_name: user.name.clone(),
        ssh_public_key_id: row.ssh_public_key_id,
        fingerprint: row.fingerprint,
        ssh_public_key_body: body,
        status: row.status,
        upload_date: Some(store::from_epoch(row.upload_date)),
    })
}

/// The key `id` of `user`, or NoSuchEntity.
async fn owned_key(app: &App, user: &UserRow, id: &str) -> Result<SshKeyRow, ApiError> {
    let mut c = app.store.read().await?;
    ssh_keys::get(&mut c, &user.user_id, id)
        .await?
        .ok_or_else(|| no_such_key(id))
}

pub async fn upload_ssh_public_key(
    app: &App,
    call: &Call,
    input: UploadSSHPublicKeyRequest,
) -> Result<UploadSSHPublicKeyResponse, ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let key = parse_public_key(&input.ssh_public_key_body)?;
    let row = SshKeyRow {
        ssh_public_key_id: ids::unique_id(IdKind::SshKey),
        account_id: user.account_id.clone(),
        user_id: user.user_id.clone(),
        body: ssh_encoding(&key),
        fingerprint: fingerprint(&key),
        status: "Active".into(),
        upload_date: store::to_epoch(call.now),
    };
    let mut tx = app.store.write().await?;
    let existing = ssh_keys::list_for_user(&mut tx, &user.user_id).await?;
    if existing.iter().any(|k| k.fingerprint == row.fingerprint) {
        // Not recorded from AWS: wording in AWS's style.
        return Err(errors::duplicate_ssh_public_key(
            "The SSH public key is already associated with the specified IAM user.",
        ));
    }
    if existing.len() >= SSH_KEYS_PER_USER {
        return Err(errors::limit_exceeded(format!(
            "Cannot exceed quota for SSHPublicKeysPerUser: {SSH_KEYS_PER_USER}"
        )));
    }
    ssh_keys::insert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(UploadSSHPublicKeyResponse {
        ssh_public_key: Some(key_out(&user, row, "SSH")?),
    })
}

pub async fn get_ssh_public_key(
    app: &App,
    call: &Call,
    input: GetSSHPublicKeyRequest,
) -> Result<GetSSHPublicKeyResponse, ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let row = owned_key(app, &user, &input.ssh_public_key_id).await?;
    Ok(GetSSHPublicKeyResponse {
        ssh_public_key: Some(key_out(&user, row, &input.encoding)?),
    })
}

pub async fn list_ssh_public_keys(
    app: &App,
    call: &Call,
    input: ListSSHPublicKeysRequest,
) -> Result<ListSSHPublicKeysResponse, ApiError> {
    let name = match (input.user_name, &call.principal) {
        (Some(n), _) => n,
        (None, Principal::User { name, .. }) => name.clone(),
        (None, Principal::Root { .. }) => {
            crate::authz::authorize(app, call, &call.principal.arn()).await?;
            // Root has no SSH keys of its own.
            return Ok(ListSSHPublicKeysResponse {
                ssh_public_keys: Some(Vec::new()),
                is_truncated: Some(false),
                marker: None,
            });
        }
        (None, _) => return Err(super::users::non_user_credentials()),
    };
    let user = authorized_user(app, call, &name).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let mut rows = {
        let mut c = app.store.read().await?;
        ssh_keys::list_for_user(&mut c, &user.user_id).await?
    };
    if let Some(after) = &page.after {
        rows.retain(|k| k.ssh_public_key_id.as_str() > after.as_str());
    }
    let (truncated, marker) = page.finish(&mut rows, |k| &k.ssh_public_key_id);
    Ok(ListSSHPublicKeysResponse {
        ssh_public_keys: Some(
            rows.into_iter()
                .map(|k| SSHPublicKeyMetadata {
                    user_name: user.name.clone(),
                    ssh_public_key_id: k.ssh_public_key_id,
                    status: k.status,
                    upload_date: store::from_epoch(k.upload_date),
                })
                .collect(),
        ),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn update_ssh_public_key(
    app: &App,
    call: &Call,
    input: UpdateSSHPublicKeyRequest,
) -> Result<(), ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let row = owned_key(app, &user, &input.ssh_public_key_id).await?;
    let mut tx = app.store.write().await?;
    ssh_keys::set_status(&mut tx, &row.ssh_public_key_id, &input.status).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_ssh_public_key(
    app: &App,
    call: &Call,
    input: DeleteSSHPublicKeyRequest,
) -> Result<(), ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let row = owned_key(app, &user, &input.ssh_public_key_id).await?;
    let mut tx = app.store.write().await?;
    ssh_keys::delete(&mut tx, &row.ssh_public_key_id).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/ssh_rsa.pub");
    /// `ssh-keygen -l -E md5 -f tests/fixtures/ssh_rsa.pub`
    const FIXTURE_MD5: &str = include_str!("../../tests/fixtures/ssh_rsa.md5");

    #[test]
    fn ssh_and_pem_round_trip_with_the_ssh_keygen_fingerprint() {
        let key = parse_public_key(FIXTURE).expect("fixture parses");
        assert_eq!(fingerprint(&key), FIXTURE_MD5.trim());
        let pem = pem_encoding(&key).expect("pem");
        let again = parse_public_key(&pem).expect("pem parses");
        assert_eq!(ssh_encoding(&again), ssh_encoding(&key));
        assert!(FIXTURE.starts_with(&ssh_encoding(&key)));
    }

    #[test]
    fn bad_keys_are_refused_without_panicking() {
        for body in [
            "",
            "ssh-rsa",
            "ssh-rsa !!!",
            "ssh-rsa AAAA",
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            "not a key at all",
        ] {
            let e = parse_public_key(body).expect_err(body);
            assert_eq!(e.code, "InvalidPublicKey", "{body}");
        }
        let e = parse_public_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA x").expect_err("ed25519");
        assert_eq!(e.code, "UnrecognizedPublicKeyEncoding");
    }
}
