-- Virtual MFA devices and each account's latest credential report.
-- A device is named by its serial number (its ARN); tags use the serial number as resource id.
CREATE TABLE mfa_devices (
    serial_number TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    -- the TOTP seed as Base32 text (RFC 4648), as Base32StringSeed shows it
    seed TEXT NOT NULL,
    create_date INTEGER NOT NULL,
    -- the user the device is enabled for; NULL while unassigned
    user_id TEXT REFERENCES users (user_id),
    enable_date INTEGER,
    -- the last TOTP time step accepted, so a code is never accepted twice
    last_used_step INTEGER,
    UNIQUE (account_id, name)
);
CREATE INDEX mfa_devices_by_user ON mfa_devices (user_id);

-- The last report GenerateCredentialReport made: a snapshot, as in AWS, served by
-- GetCredentialReport until it is four hours old.
CREATE TABLE credential_reports (
    account_id TEXT NOT NULL PRIMARY KEY,
    generated INTEGER NOT NULL,
    content TEXT NOT NULL
);
