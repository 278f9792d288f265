-- PostgreSQL translation of Sqlite/0003_api_keys_and_2fa.sql (types and collations: see 0001_initial.sql).
-- API keys (the secret is derived from the server's master key, never stored), used nonces, and TOTP state.
CREATE TABLE api_keys (
    APIKey text COLLATE "C" PRIMARY KEY,
    UserId bigint NOT NULL REFERENCES users (UserId),
    Permissions text COLLATE "C" NOT NULL,
    CreatedAt text COLLATE "C" NOT NULL
);
CREATE INDEX api_keys_by_user ON api_keys (UserId);

CREATE TABLE api_nonces (
    APIKey text COLLATE "C" NOT NULL,
    Nonce text COLLATE "C" NOT NULL,
    SeenAt text COLLATE "C" NOT NULL,
    PRIMARY KEY (APIKey, Nonce)
);
CREATE INDEX api_nonces_by_time ON api_nonces (SeenAt);

-- UserId is always given (in SQLite an INTEGER PRIMARY KEY would number itself, in PostgreSQL it would not).
CREATE TABLE totp (
    UserId bigint PRIMARY KEY REFERENCES users (UserId),
    Salt bytea NOT NULL,
    LastStep bigint NOT NULL DEFAULT 0
);

ALTER TABLE sessions ADD COLUMN APIKey text COLLATE "C";
