-- SSH public keys of IAM users (for CodeCommit). The key is kept in its SSH encoding; the
-- fingerprint is the MD5 of its wire-format blob, as AWS shows it.
CREATE TABLE ssh_public_keys (
    ssh_public_key_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (user_id),
    body TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    upload_date INTEGER NOT NULL,
    UNIQUE (user_id, fingerprint)
);
CREATE INDEX ssh_public_keys_by_user ON ssh_public_keys (user_id);

-- X.509 signing certificates of IAM users (or of root: user_id is then the account id).
-- fingerprint: SHA-256 of the DER, so one certificate is uploaded once per account.
CREATE TABLE signing_certificates (
    certificate_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    body TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    upload_date INTEGER NOT NULL,
    UNIQUE (account_id, fingerprint)
);
CREATE INDEX signing_certificates_by_user ON signing_certificates (user_id);

-- Server certificates (for load balancers and CloudFront). Names are unique per account
-- regardless of case; tags use the certificate's id as resource id, so a rename keeps them.
CREATE TABLE server_certificates (
    server_certificate_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    chain TEXT,
    upload_date INTEGER NOT NULL,
    expiration INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

-- Service-specific credentials (CodeCommit HTTPS Git, Amazon Keyspaces): a user name and a
-- generated password for one service. The password is shown on create and reset only.
CREATE TABLE service_specific_credentials (
    credential_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (user_id),
    service_name TEXT NOT NULL,
    service_user_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    create_date INTEGER NOT NULL
);
CREATE INDEX service_specific_credentials_by_user ON service_specific_credentials (user_id);
