-- Password reset codes (ResetPassword, ResetPassword2): at most one outstanding code per user, kept only as its
-- SHA-256; a new code replaces the old one, a used or voided one is deleted. Row 0 is a decoy: a request for an unknown
-- or ineligible name writes it with the same statement, so every request costs the same work.
CREATE TABLE password_resets (
    UserId INTEGER PRIMARY KEY,
    CodeHash BLOB NOT NULL,
    ExpiresAt TEXT NOT NULL
);
-- User config as RegisterNewUser stores it. The config calls (GetUserConfig, SetUserConfig, RemoveUserConfig) own this
-- table; IF NOT EXISTS keeps this migration harmless beside theirs until the two are reconciled.
CREATE TABLE IF NOT EXISTS user_config (
    UserId INTEGER NOT NULL REFERENCES users (UserId),
    "Key" TEXT NOT NULL COLLATE NOCASE,
    Value TEXT NOT NULL,
    PRIMARY KEY (UserId, "Key")
) WITHOUT ROWID;
