//! Credentials people use besides access keys and passwords, through the AWS SDK for Rust: SSH
//! public keys (CodeCommit), X.509 signing certificates, server certificates and
//! service-specific credentials.

mod common;

use aws_sdk_iam::types::{EncodingType, StatusType};
use common::{error_of, user_with_key, TestServer};

const SSH_KEY: &str = include_str!("fixtures/ssh_rsa.pub");
const SSH_KEY_PEM: &str = include_str!("fixtures/ssh_rsa.pem");
const SSH_KEY_MD5: &str = include_str!("fixtures/ssh_rsa.md5");
const MORE_SSH_KEYS: &str = include_str!("fixtures/ssh_rsa_more.pub");
const SHORT_SSH_KEY: &str = include_str!("fixtures/ssh_rsa_1024.pub");

async fn create_user(iam: &aws_sdk_iam::Client, name: &str) {
    iam.create_user()
        .user_name(name)
        .send()
        .await
        .expect("create user");
}

async fn upload_ssh(iam: &aws_sdk_iam::Client, user: &str, body: &str) -> String {
    let out = iam
        .upload_ssh_public_key()
        .user_name(user)
        .ssh_public_key_body(body)
        .send()
        .await
        .expect("upload ssh key");
    out.ssh_public_key()
        .expect("key")
        .ssh_public_key_id()
        .to_string()
}

/// The body GetSSHPublicKey answers for `coder`'s key `id` in `encoding`.
async fn get_ssh_body(iam: &aws_sdk_iam::Client, id: &str, encoding: EncodingType) -> String {
    iam.get_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_id(id)
        .encoding(encoding)
        .send()
        .await
        .expect("get ssh key")
        .ssh_public_key()
        .expect("key")
        .ssh_public_key_body()
        .to_string()
}

#[tokio::test]
async fn ssh_public_keys_upload_get_list_update_delete() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "coder").await;

    let out = iam
        .upload_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_body(SSH_KEY)
        .send()
        .await
        .expect("upload");
    let key = out.ssh_public_key().expect("key");
    let id = key.ssh_public_key_id().to_string();
    assert!(id.starts_with("APKA") && id.len() == 21, "{id}");
    assert_eq!(key.user_name(), "coder");
    assert_eq!(key.fingerprint(), SSH_KEY_MD5.trim());
    assert_eq!(key.status(), &StatusType::Active);
    assert!(key.upload_date().is_some());
    // The key comes back without its comment, in ssh-rsa form.
    assert!(SSH_KEY.starts_with(key.ssh_public_key_body()));

    let pem = get_ssh_body(&iam, &id, EncodingType::Pem).await;
    assert_eq!(pem.trim(), SSH_KEY_PEM.trim());
    let ssh = get_ssh_body(&iam, &id, EncodingType::Ssh).await;
    assert_eq!(ssh, key.ssh_public_key_body());

    iam.update_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_id(&id)
        .status(StatusType::Inactive)
        .send()
        .await
        .expect("update");
    let listed = iam
        .list_ssh_public_keys()
        .user_name("coder")
        .send()
        .await
        .expect("list");
    let keys = listed.ssh_public_keys();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].ssh_public_key_id(), id);
    assert_eq!(keys[0].status(), &StatusType::Inactive);
    assert!(!listed.is_truncated());

    iam.delete_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_id(&id)
        .send()
        .await
        .expect("delete");
    let e = iam
        .get_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_id(&id)
        .encoding(EncodingType::Ssh)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".to_string(),
            format!("The Public Key with id {id} cannot be found.")
        )
    );
    s.stop().await;
}

#[tokio::test]
async fn ssh_public_keys_accept_pem_and_refuse_bad_duplicate_and_sixth_keys() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "coder").await;

    // A PEM upload is the same key as its ssh-rsa form: a duplicate.
    upload_ssh(&iam, "coder", SSH_KEY_PEM).await;
    let e = iam
        .upload_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_body(SSH_KEY)
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(error_of(&e).0, "DuplicateSSHPublicKey");

    for body in ["ssh-rsa AAAAnot-base64", "hello", SHORT_SSH_KEY] {
        let e = iam
            .upload_ssh_public_key()
            .user_name("coder")
            .ssh_public_key_body(body)
            .send()
            .await
            .expect_err(body);
        assert_eq!(error_of(&e).0, "InvalidPublicKey", "{body}");
    }
    let e = iam
        .upload_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_body(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzvfE+qS09w+okgrO0gY7jryF0lSCxdEO/O0UaUhuZe x",
        )
        .send()
        .await
        .expect_err("ed25519");
    assert_eq!(error_of(&e).0, "UnrecognizedPublicKeyEncoding");

    let more: Vec<&str> = MORE_SSH_KEYS.lines().collect();
    for body in &more[..4] {
        upload_ssh(&iam, "coder", body).await;
    }
    let e = iam
        .upload_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_body(more[4])
        .send()
        .await
        .expect_err("sixth");
    assert_eq!(
        error_of(&e),
        (
            "LimitExceeded".to_string(),
            "Cannot exceed quota for SSHPublicKeysPerUser: 5".to_string()
        )
    );

    let e = iam
        .upload_ssh_public_key()
        .user_name("nobody")
        .ssh_public_key_body(SSH_KEY)
        .send()
        .await
        .expect_err("no user");
    assert_eq!(error_of(&e).0, "NoSuchEntity");
    s.stop().await;
}

#[tokio::test]
async fn ssh_public_keys_page_with_max_items_one() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "coder").await;
    let mut ids = vec![upload_ssh(&iam, "coder", SSH_KEY).await];
    for body in MORE_SSH_KEYS.lines().take(2) {
        ids.push(upload_ssh(&iam, "coder", body).await);
    }
    ids.sort();
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = iam
            .list_ssh_public_keys()
            .user_name("coder")
            .max_items(1)
            .set_marker(marker.clone())
            .send()
            .await
            .expect("page");
        assert!(page.ssh_public_keys().len() <= 1);
        seen.extend(
            page.ssh_public_keys()
                .iter()
                .map(|k| k.ssh_public_key_id().to_string()),
        );
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(seen, ids);
    s.stop().await;
}

#[tokio::test]
async fn delete_user_refuses_while_ssh_keys_remain() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "coder").await;
    let id = upload_ssh(&iam, "coder", SSH_KEY).await;
    let e = iam
        .delete_user()
        .user_name("coder")
        .send()
        .await
        .expect_err("conflict");
    assert_eq!(
        error_of(&e),
        (
            "DeleteConflict".to_string(),
            "Cannot delete entity, must remove referenced objects first.".to_string()
        )
    );
    iam.delete_ssh_public_key()
        .user_name("coder")
        .ssh_public_key_id(&id)
        .send()
        .await
        .expect("delete key");
    iam.delete_user()
        .user_name("coder")
        .send()
        .await
        .expect("delete user");
    s.stop().await;
}

#[tokio::test]
async fn users_without_policy_are_denied_and_list_their_own_with_one() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "dev").await;
    let dev = s.iam_as(&key, &secret);
    let e = dev
        .upload_ssh_public_key()
        .user_name("dev")
        .ssh_public_key_body(SSH_KEY)
        .send()
        .await
        .expect_err("denied");
    let (code, message) = error_of(&e);
    assert_eq!(code, "AccessDenied");
    assert!(
        message.contains("iam:UploadSSHPublicKey") && message.contains(":user/dev"),
        "{message}"
    );
    let e = dev.list_ssh_public_keys().send().await.expect_err("denied");
    assert_eq!(error_of(&e).0, "AccessDenied");

    s.iam()
        .put_user_policy()
        .user_name("dev")
        .policy_name("own-ssh")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*SSHPublicKey*"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#,
        )
        .send()
        .await
        .expect("policy");
    let id = upload_ssh(&dev, "dev", SSH_KEY).await;
    // Without UserName the caller's own keys are listed.
    let listed = dev.list_ssh_public_keys().send().await.expect("list own");
    assert_eq!(listed.ssh_public_keys()[0].ssh_public_key_id(), id);
    s.stop().await;
}

const CERT: &str = include_str!("fixtures/cert.pem");
const CERT2: &str = include_str!("fixtures/cert2.pem");
const CERT3: &str = include_str!("fixtures/cert3.pem");

async fn upload_signing(iam: &aws_sdk_iam::Client, user: &str, body: &str) -> String {
    iam.upload_signing_certificate()
        .user_name(user)
        .certificate_body(body)
        .send()
        .await
        .expect("upload signing certificate")
        .certificate()
        .expect("certificate")
        .certificate_id()
        .to_string()
}

#[tokio::test]
async fn signing_certificates_upload_list_update_delete() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "signer").await;
    let out = iam
        .upload_signing_certificate()
        .user_name("signer")
        .certificate_body(CERT)
        .send()
        .await
        .expect("upload");
    let cert = out.certificate().expect("certificate");
    let id = cert.certificate_id().to_string();
    assert_eq!(id.len(), 32, "{id}");
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    assert_eq!(cert.user_name(), "signer");
    assert_eq!(cert.certificate_body(), CERT.trim());
    assert_eq!(cert.status(), &StatusType::Active);

    iam.update_signing_certificate()
        .user_name("signer")
        .certificate_id(&id)
        .status(StatusType::Inactive)
        .send()
        .await
        .expect("update");
    let listed = iam
        .list_signing_certificates()
        .user_name("signer")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.certificates().len(), 1);
    assert_eq!(listed.certificates()[0].status(), &StatusType::Inactive);

    let e = iam
        .update_signing_certificate()
        .user_name("signer")
        .certificate_id("NONEXISTENTCERTID12345678901")
        .status(StatusType::Active)
        .send()
        .await
        .expect_err("unknown");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".to_string(),
            "The Certificate with id NONEXISTENTCERTID12345678901 cannot be found.".to_string()
        )
    );
    iam.delete_signing_certificate()
        .user_name("signer")
        .certificate_id(&id)
        .send()
        .await
        .expect("delete");
    let listed = iam
        .list_signing_certificates()
        .user_name("signer")
        .send()
        .await
        .expect("list");
    assert!(listed.certificates().is_empty());
    s.stop().await;
}

#[tokio::test]
async fn signing_certificates_refuse_malformed_duplicate_and_third_and_page() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "signer").await;
    create_user(&iam, "other").await;
    let e = iam
        .upload_signing_certificate()
        .user_name("signer")
        .certificate_body("invalid-certificate-body")
        .send()
        .await
        .expect_err("malformed");
    assert_eq!(
        error_of(&e),
        (
            "MalformedCertificate".to_string(),
            "Certificate invalid-certificate-body is malformed.".to_string()
        )
    );
    let mut ids = vec![
        upload_signing(&iam, "signer", CERT).await,
        upload_signing(&iam, "signer", CERT2).await,
    ];
    // One certificate belongs to one user of the account.
    let e = iam
        .upload_signing_certificate()
        .user_name("other")
        .certificate_body(CERT)
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(error_of(&e).0, "DuplicateCertificate");
    let e = iam
        .upload_signing_certificate()
        .user_name("signer")
        .certificate_body(CERT3)
        .send()
        .await
        .expect_err("third");
    assert_eq!(
        error_of(&e),
        (
            "LimitExceeded".to_string(),
            "Cannot exceed quota for CertificatesPerUser: 2".to_string()
        )
    );

    ids.sort();
    let first = iam
        .list_signing_certificates()
        .user_name("signer")
        .max_items(1)
        .send()
        .await
        .expect("page 1");
    assert!(first.is_truncated());
    let second = iam
        .list_signing_certificates()
        .user_name("signer")
        .max_items(1)
        .marker(first.marker().expect("marker"))
        .send()
        .await
        .expect("page 2");
    assert!(!second.is_truncated());
    let seen: Vec<&str> = first
        .certificates()
        .iter()
        .chain(second.certificates())
        .map(|c| c.certificate_id())
        .collect();
    assert_eq!(seen, ids);

    let e = iam
        .delete_user()
        .user_name("signer")
        .send()
        .await
        .expect_err("conflict");
    assert_eq!(error_of(&e).0, "DeleteConflict");

    // A deleted certificate may be uploaded again; root's own certificates take no UserName.
    let root_cert = upload_signing(&iam, "other", CERT3).await;
    iam.delete_signing_certificate()
        .user_name("other")
        .certificate_id(&root_cert)
        .send()
        .await
        .expect("delete");
    let id = iam
        .upload_signing_certificate()
        .certificate_body(CERT3)
        .send()
        .await
        .expect("root upload")
        .certificate()
        .expect("certificate")
        .certificate_id()
        .to_string();
    let listed = iam.list_signing_certificates().send().await.expect("list");
    assert_eq!(listed.certificates()[0].certificate_id(), id);
    s.stop().await;
}

#[tokio::test]
async fn signing_certificates_need_permission() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "dev").await;
    let dev = s.iam_as(&key, &secret);
    let e = dev
        .upload_signing_certificate()
        .certificate_body(CERT)
        .send()
        .await
        .expect_err("denied");
    let (code, message) = error_of(&e);
    assert_eq!(code, "AccessDenied");
    assert!(
        message.contains("iam:UploadSigningCertificate"),
        "{message}"
    );
    s.stop().await;
}

const CERT_KEY: &str = include_str!("fixtures/cert.key");
const CERT2_KEY: &str = include_str!("fixtures/cert2.key");

async fn upload_server(iam: &aws_sdk_iam::Client, name: &str, path: &str) {
    iam.upload_server_certificate()
        .server_certificate_name(name)
        .path(path)
        .certificate_body(CERT)
        .private_key(CERT_KEY)
        .send()
        .await
        .expect("upload server certificate");
}

#[tokio::test]
async fn server_certificates_upload_get_list_update_tag_delete() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let out = iam
        .upload_server_certificate()
        .server_certificate_name("web")
        .path("/lb/")
        .certificate_body(CERT)
        .private_key(CERT_KEY)
        .certificate_chain(CERT2)
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("team")
                .value("web")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("upload");
    let meta = out.server_certificate_metadata().expect("metadata");
    assert!(meta.server_certificate_id().starts_with("ASCA"));
    assert_eq!(
        meta.arn(),
        "arn:aws:iam::000000000000:server-certificate/lb/web"
    );
    // The fixture is valid for 100 years from when it was made.
    let expiration = meta.expiration().expect("expiration").secs();
    assert!(expiration > chrono::Utc::now().timestamp() + 90 * 365 * 86_400);
    assert_eq!(out.tags().len(), 1);

    let got = iam
        .get_server_certificate()
        .server_certificate_name("web")
        .send()
        .await
        .expect("get");
    let cert = got.server_certificate().expect("certificate");
    assert_eq!(cert.certificate_body(), CERT.trim());
    assert_eq!(cert.certificate_chain(), Some(CERT2.trim()));
    assert_eq!(cert.tags().len(), 1);

    upload_server(&iam, "api", "/lb/internal/").await;
    upload_server(&iam, "cdn", "/cf/").await;
    let lb = iam
        .list_server_certificates()
        .path_prefix("/lb/")
        .send()
        .await
        .expect("list");
    let names: Vec<&str> = lb
        .server_certificate_metadata_list()
        .iter()
        .map(|m| m.server_certificate_name())
        .collect();
    assert_eq!(names, ["api", "web"]);
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = iam
            .list_server_certificates()
            .max_items(1)
            .set_marker(marker.clone())
            .send()
            .await
            .expect("page");
        seen.extend(
            page.server_certificate_metadata_list()
                .iter()
                .map(|m| m.server_certificate_name().to_string()),
        );
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(seen, ["api", "cdn", "web"]);

    iam.update_server_certificate()
        .server_certificate_name("web")
        .new_server_certificate_name("www")
        .new_path("/edge/")
        .send()
        .await
        .expect("rename");
    let e = iam
        .get_server_certificate()
        .server_certificate_name("web")
        .send()
        .await
        .expect_err("renamed");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".to_string(),
            "The Server Certificate with name web cannot be found.".to_string()
        )
    );
    iam.tag_server_certificate()
        .server_certificate_name("www")
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("env")
                .value("prod")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("tag");
    iam.untag_server_certificate()
        .server_certificate_name("www")
        .tag_keys("team")
        .send()
        .await
        .expect("untag");
    let tags = iam
        .list_server_certificate_tags()
        .server_certificate_name("www")
        .send()
        .await
        .expect("tags");
    assert_eq!(tags.tags().len(), 1);
    assert_eq!(tags.tags()[0].key(), "env");

    iam.delete_server_certificate()
        .server_certificate_name("www")
        .send()
        .await
        .expect("delete");
    let left = iam.list_server_certificates().send().await.expect("list");
    assert_eq!(left.server_certificate_metadata_list().len(), 2);
    s.stop().await;
}

#[tokio::test]
async fn server_certificates_refuse_duplicates_mismatched_keys_and_garbage() {
    let s = TestServer::start().await;
    let iam = s.iam();
    upload_server(&iam, "web", "/").await;
    let e = iam
        .upload_server_certificate()
        .server_certificate_name("WEB")
        .certificate_body(CERT)
        .private_key(CERT_KEY)
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(
        error_of(&e),
        (
            "EntityAlreadyExists".to_string(),
            "The Server Certificate with name WEB already exists.".to_string()
        )
    );
    let e = iam
        .upload_server_certificate()
        .server_certificate_name("other")
        .certificate_body(CERT)
        .private_key(CERT2_KEY)
        .send()
        .await
        .expect_err("mismatch");
    assert_eq!(error_of(&e).0, "KeyPairMismatch");
    for (body, key, chain) in [
        ("invalid-certificate-body", CERT_KEY, None),
        (CERT, "not a key", None),
        (CERT, CERT_KEY, Some("garbage")),
    ] {
        let e = iam
            .upload_server_certificate()
            .server_certificate_name("other")
            .certificate_body(body)
            .private_key(key)
            .set_certificate_chain(chain.map(str::to_string))
            .send()
            .await
            .expect_err("malformed");
        assert_eq!(error_of(&e).0, "MalformedCertificate", "{body} {key}");
    }
    let (key, secret) = user_with_key(&s, "dev").await;
    let e = s
        .iam_as(&key, &secret)
        .get_server_certificate()
        .server_certificate_name("web")
        .send()
        .await
        .expect_err("denied");
    let (code, message) = error_of(&e);
    assert_eq!(code, "AccessDenied");
    assert!(
        message.contains("iam:GetServerCertificate on resource: arn:aws:iam::000000000000:server-certificate/web"),
        "{message}"
    );
    s.stop().await;
}

#[tokio::test]
async fn service_specific_credentials_create_list_reset_update_delete() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "git").await;
    let out = iam
        .create_service_specific_credential()
        .user_name("git")
        .service_name("codecommit.amazonaws.com")
        .send()
        .await
        .expect("create");
    let cred = out.service_specific_credential().expect("credential");
    let id = cred.service_specific_credential_id().to_string();
    assert!(id.starts_with("ACCA") && id.len() == 21, "{id}");
    assert_eq!(cred.service_user_name(), "git-at-000000000000");
    let password = cred.service_password().to_string();
    assert_eq!(password.len(), 44);
    assert_eq!(cred.status(), &StatusType::Active);

    let second = iam
        .create_service_specific_credential()
        .user_name("git")
        .service_name("codecommit.amazonaws.com")
        .send()
        .await
        .expect("second");
    let e = iam
        .create_service_specific_credential()
        .user_name("git")
        .service_name("codecommit.amazonaws.com")
        .send()
        .await
        .expect_err("third");
    assert_eq!(error_of(&e).0, "LimitExceeded");
    iam.create_service_specific_credential()
        .user_name("git")
        .service_name("cassandra.amazonaws.com")
        .send()
        .await
        .expect("other service");
    let e = iam
        .create_service_specific_credential()
        .user_name("git")
        .service_name("lambda.amazonaws.com")
        .send()
        .await
        .expect_err("unsupported");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".to_string(),
            "No such service lambda.amazonaws.com is supported for Service Specific Credentials"
                .to_string()
        )
    );

    let codecommit = iam
        .list_service_specific_credentials()
        .user_name("git")
        .service_name("codecommit.amazonaws.com")
        .send()
        .await
        .expect("list");
    assert_eq!(codecommit.service_specific_credentials().len(), 2);
    let first = iam
        .list_service_specific_credentials()
        .user_name("git")
        .max_items(1)
        .send()
        .await
        .expect("page");
    assert!(first.is_truncated());
    assert_eq!(first.service_specific_credentials().len(), 1);

    let reset = iam
        .reset_service_specific_credential()
        .user_name("git")
        .service_specific_credential_id(&id)
        .send()
        .await
        .expect("reset");
    let new_password = reset
        .service_specific_credential()
        .expect("credential")
        .service_password();
    assert_ne!(new_password, password);

    iam.update_service_specific_credential()
        .user_name("git")
        .service_specific_credential_id(&id)
        .status(StatusType::Inactive)
        .send()
        .await
        .expect("update");
    let e = iam
        .update_service_specific_credential()
        .user_name("git")
        .service_specific_credential_id("satisfiesregexbutstillinvalid")
        .status(StatusType::Active)
        .send()
        .await
        .expect_err("unknown");
    assert_eq!(
        error_of(&e),
        (
            "NoSuchEntity".to_string(),
            "No such credential satisfiesregexbutstillinvalid exists".to_string()
        )
    );

    let e = iam
        .delete_user()
        .user_name("git")
        .send()
        .await
        .expect_err("conflict");
    assert_eq!(error_of(&e).0, "DeleteConflict");
    for cred_id in [
        id.as_str(),
        second
            .service_specific_credential()
            .expect("credential")
            .service_specific_credential_id(),
    ] {
        iam.delete_service_specific_credential()
            .user_name("git")
            .service_specific_credential_id(cred_id)
            .send()
            .await
            .expect("delete");
    }
    let left = iam
        .list_service_specific_credentials()
        .user_name("git")
        .send()
        .await
        .expect("list");
    assert_eq!(left.service_specific_credentials().len(), 1);

    let (key, secret) = user_with_key(&s, "dev").await;
    let e = s
        .iam_as(&key, &secret)
        .create_service_specific_credential()
        .user_name("dev")
        .service_name("codecommit.amazonaws.com")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.stop().await;
}

#[tokio::test]
async fn account_summary_counts_server_certificates_and_root_signing_certificates() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let summary = |iam: aws_sdk_iam::Client| async move {
        let out = iam.get_account_summary().send().await.expect("summary");
        let map = out.summary_map().expect("map").clone();
        let get = |k: &str| {
            map.iter()
                .find(|(key, _)| key.as_str() == k)
                .map(|(_, v)| *v)
                .expect("key")
        };
        (
            get("ServerCertificates"),
            get("AccountSigningCertificatesPresent"),
        )
    };
    assert_eq!(summary(iam.clone()).await, (0, 0));
    upload_server(&iam, "web", "/").await;
    upload_server(&iam, "api", "/cloudfront/").await;
    create_user(&iam, "signer").await;
    upload_signing(&iam, "signer", CERT2).await;
    // A user's certificate is not the account's (root's).
    assert_eq!(summary(iam.clone()).await, (2, 0));
    iam.upload_signing_certificate()
        .certificate_body(CERT)
        .send()
        .await
        .expect("root's own signing certificate");
    assert_eq!(summary(iam.clone()).await, (2, 1));
    s.stop().await;
}

#[tokio::test]
async fn the_credential_report_shows_signing_certificates() {
    let s = TestServer::start().await;
    let iam = s.iam();
    create_user(&iam, "signer").await;
    create_user(&iam, "plain").await;
    upload_signing(&iam, "signer", CERT).await;
    let second = upload_signing(&iam, "signer", CERT2).await;
    iam.update_signing_certificate()
        .user_name("signer")
        .certificate_id(&second)
        .status(StatusType::Inactive)
        .send()
        .await
        .expect("deactivate");
    iam.generate_credential_report()
        .send()
        .await
        .expect("generate");
    let report = iam.get_credential_report().send().await.expect("get");
    let csv =
        String::from_utf8(report.content().expect("content").as_ref().to_vec()).expect("utf-8");
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let cert_cols = |user: &str| -> Vec<String> {
        let row = rows.iter().find(|r| r[0] == user).expect("row");
        row[row.len() - 4..].iter().map(|c| c.to_string()).collect()
    };
    let signer = cert_cols("signer");
    // Both were uploaded within the same second: either may fill the first slot.
    let mut active = [signer[0].as_str(), signer[2].as_str()];
    active.sort();
    assert_eq!(active, ["false", "true"]);
    for date in [&signer[1], &signer[3]] {
        assert!(date.ends_with("+00:00") && date.len() == 25, "{date}");
    }
    assert_eq!(cert_cols("plain"), ["false", "N/A", "false", "N/A"]);
    assert_eq!(
        cert_cols("<root_account>"),
        ["false", "N/A", "false", "N/A"]
    );
    s.stop().await;
}
