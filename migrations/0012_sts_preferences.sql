-- SetSecurityTokenServicePreferences: the version of the session tokens the global STS
-- endpoint issues for the account (1 or 2), as GetAccountSummary reports it. No row: AWS's
-- default, 1.
CREATE TABLE sts_preferences (
    account_id TEXT NOT NULL PRIMARY KEY,
    global_endpoint_token_version INTEGER NOT NULL
);
