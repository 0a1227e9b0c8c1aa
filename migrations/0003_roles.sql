-- Roles (with their trust policy and last use), instance profiles and the one role each may
-- hold, and the account alias.
CREATE TABLE roles (
    account_id TEXT NOT NULL,
    role_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    assume_role_policy TEXT NOT NULL,
    description TEXT,
    max_session_duration INTEGER NOT NULL,
    permissions_boundary TEXT,
    create_date INTEGER NOT NULL,
    last_used_date INTEGER,
    last_used_region TEXT,
    UNIQUE (account_id, name)
);

CREATE TABLE instance_profiles (
    account_id TEXT NOT NULL,
    instance_profile_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    create_date INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE instance_profile_roles (
    instance_profile_id TEXT NOT NULL,
    role_id TEXT NOT NULL,
    PRIMARY KEY (instance_profile_id, role_id)
);
CREATE INDEX instance_profile_roles_by_role ON instance_profile_roles (role_id);

CREATE TABLE account_aliases (
    account_id TEXT NOT NULL PRIMARY KEY,
    alias TEXT NOT NULL UNIQUE
);

-- DeleteServiceLinkedRole's tasks (deletion is immediate, so every task has succeeded).
CREATE TABLE deletion_tasks (
    task_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL
);
