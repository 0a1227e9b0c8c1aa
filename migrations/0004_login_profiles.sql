-- Console passwords (login profiles) of users, the hashes of their previous passwords for reuse
-- prevention, and each account's password policy. Passwords are stored only as argon2 hashes.
CREATE TABLE login_profiles (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    password_reset_required INTEGER NOT NULL,
    max_signin_session_duration INTEGER,
    create_date INTEGER NOT NULL,
    -- when the current password was set (for password age and the credential report)
    password_changed INTEGER NOT NULL
);

-- Every password a user was given, newest last; the newest is the current one while a login
-- profile exists. Kept after DeleteLoginProfile (AWS remembers), removed with the user.
CREATE TABLE password_history (
    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, seq)
);

CREATE TABLE password_policies (
    account_id TEXT NOT NULL PRIMARY KEY,
    minimum_password_length INTEGER NOT NULL,
    require_symbols INTEGER NOT NULL,
    require_numbers INTEGER NOT NULL,
    require_uppercase_characters INTEGER NOT NULL,
    require_lowercase_characters INTEGER NOT NULL,
    allow_users_to_change_password INTEGER NOT NULL,
    max_password_age INTEGER,
    password_reuse_prevention INTEGER,
    hard_expiry INTEGER
);
