-- Groups and their members; managed policies with versions; inline policies and attachments
-- of any identity (user, group, later role), keyed by the identity's unique id.
CREATE TABLE groups (
    account_id TEXT NOT NULL,
    group_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    create_date INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE managed_policies (
    account_id TEXT NOT NULL,
    policy_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    arn TEXT NOT NULL UNIQUE,
    description TEXT,
    default_version TEXT NOT NULL,
    next_version INTEGER NOT NULL,
    create_date INTEGER NOT NULL,
    update_date INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE policy_versions (
    policy_id TEXT NOT NULL,
    version_id TEXT NOT NULL,
    document TEXT NOT NULL,
    create_date INTEGER NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);

CREATE TABLE inline_policies (
    account_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (owner_id, name)
);

CREATE TABLE policy_attachments (
    account_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (owner_id, policy_arn)
);
CREATE INDEX policy_attachments_by_arn ON policy_attachments (policy_arn);
