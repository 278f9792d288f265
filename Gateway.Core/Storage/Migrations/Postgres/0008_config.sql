-- PostgreSQL translation of Sqlite/0008_config.sql (types and collations: see 0001_initial.sql).
-- User config and account config: key/value strings for front-ends (calls-next.md). A key is unique per owner ignoring
-- case (nocase; keys are printable ASCII, where nocase and SQLite's NOCASE agree) and keeps the spelling of its last Set.
CREATE TABLE user_config (
    UserId bigint NOT NULL REFERENCES users (UserId),
    Key text COLLATE nocase NOT NULL,
    Value text COLLATE "C" NOT NULL,
    PRIMARY KEY (UserId, Key)
);

CREATE TABLE account_config (
    AccountId bigint NOT NULL REFERENCES accounts (AccountId),
    Key text COLLATE nocase NOT NULL,
    Value text COLLATE "C" NOT NULL,
    PRIMARY KEY (AccountId, Key)
);
