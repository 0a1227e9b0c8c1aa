-- Service last accessed: when each IAM user or role last attempted each action, written in
-- batches from memory (like access-key last use). entity_id is the user's or role's id;
-- service is the namespace (iam, sts), action the action name (ListUsers).
CREATE TABLE service_last_accessed (
    account_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    service TEXT NOT NULL,
    action TEXT NOT NULL,
    last_accessed INTEGER NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (entity_id, service, action)
);

-- GenerateServiceLastAccessedDetails jobs: the report is a snapshot (JSON) taken when the job
-- ran, readable only by the principal that generated it.
CREATE TABLE service_last_accessed_jobs (
    job_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    requester TEXT NOT NULL,
    job_type TEXT NOT NULL,
    created INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    report TEXT NOT NULL
);
