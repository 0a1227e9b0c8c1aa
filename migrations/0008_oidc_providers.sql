-- OpenID Connect identity providers. `url` is kept without its `https://` scheme, as it
-- appears in the provider's ARN (`arn:aws:iam::ACCOUNT:oidc-provider/URL`). Lists are JSON.
CREATE TABLE oidc_providers (
    arn TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    url TEXT NOT NULL,
    client_ids TEXT NOT NULL DEFAULT '[]',
    thumbprints TEXT NOT NULL DEFAULT '[]',
    create_date INTEGER NOT NULL
);
CREATE INDEX oidc_providers_account ON oidc_providers (account_id, arn);
