-- Users, their access keys, and tags of every taggable entity (keyed by the entity's unique id).
-- Names are unique per account regardless of case, as in IAM.
CREATE TABLE users (
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    create_date INTEGER NOT NULL,
    password_last_used INTEGER,
    permissions_boundary TEXT,
    UNIQUE (account_id, name)
);

CREATE TABLE tags (
    account_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    key TEXT NOT NULL COLLATE NOCASE,
    value TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (resource_id, key)
);

CREATE TABLE access_keys (
    access_key_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    -- the owning user's id, or the account id for a root access key
    user_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    status TEXT NOT NULL,
    create_date INTEGER NOT NULL,
    last_used_date INTEGER,
    last_used_service TEXT,
    last_used_region TEXT
);
CREATE INDEX access_keys_by_user ON access_keys (user_id);
