-- User config and account config: key/value strings for front-ends (calls-next.md). A key is unique per owner ignoring
-- case (keys are printable ASCII, so NOCASE folds every letter a key can hold) and keeps the spelling of its last Set.
CREATE TABLE user_config (
    UserId INTEGER NOT NULL REFERENCES users (UserId),
    Key TEXT NOT NULL COLLATE NOCASE,
    Value TEXT NOT NULL,
    PRIMARY KEY (UserId, Key)
) WITHOUT ROWID;

CREATE TABLE account_config (
    AccountId INTEGER NOT NULL REFERENCES accounts (AccountId),
    Key TEXT NOT NULL COLLATE NOCASE,
    Value TEXT NOT NULL,
    PRIMARY KEY (AccountId, Key)
) WITHOUT ROWID;
