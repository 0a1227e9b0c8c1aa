-- SAML 2.0 identity providers (`arn:aws:iam::ACCOUNT:saml-provider/NAME`). The metadata
-- document is kept as uploaded; `entity_id` and `valid_until` are read from it (or, without a
-- validUntil, set as AWS does) so lookups need not parse it again.
CREATE TABLE saml_providers (
    arn TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    uuid TEXT NOT NULL,
    metadata TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    valid_until INTEGER NOT NULL,
    create_date INTEGER NOT NULL
);
CREATE INDEX saml_providers_account ON saml_providers (account_id, arn);
