-- Temporary credentials issued by STS (AssumeRole, GetSessionToken, GetFederationToken).
-- `kind` is 'role', 'user' (GetSessionToken) or 'federated'; `owner_id` is the role id or the
-- calling user's id (the account id for root). Lists are JSON arrays.
CREATE TABLE sessions (
    access_key_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    session_token TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expiration INTEGER NOT NULL,
    mfa_time INTEGER,
    source_identity TEXT,
    session_policy TEXT,
    policy_arns TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    transitive_tag_keys TEXT NOT NULL DEFAULT '[]',
    chained INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_owner ON sessions (owner_id);
