-- API keys (the secret is derived from the server's master key, never stored), used nonces, and TOTP state.
CREATE TABLE api_keys (
    APIKey TEXT PRIMARY KEY,
    UserId INTEGER NOT NULL REFERENCES users (UserId),
    Permissions TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_keys_by_user ON api_keys (UserId);

CREATE TABLE api_nonces (
    APIKey TEXT NOT NULL,
    Nonce TEXT NOT NULL,
    SeenAt TEXT NOT NULL,
    PRIMARY KEY (APIKey, Nonce)
) WITHOUT ROWID;
CREATE INDEX api_nonces_by_time ON api_nonces (SeenAt);

CREATE TABLE totp (
    UserId INTEGER PRIMARY KEY REFERENCES users (UserId),
    Salt BLOB NOT NULL,
    LastStep INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE sessions ADD COLUMN APIKey TEXT;
