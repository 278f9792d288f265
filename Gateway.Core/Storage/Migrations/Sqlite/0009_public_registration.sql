-- Password reset codes (ResetPassword, ResetPassword2): at most one outstanding code per user, kept only as its
-- SHA-256; a new code replaces the old one, a used or voided one is deleted. Row 0 is a decoy: a request for an unknown
-- or ineligible name writes it with the same statement, so every request costs the same work.
CREATE TABLE password_resets (
    UserId INTEGER PRIMARY KEY,
    CodeHash BLOB NOT NULL,
    ExpiresAt TEXT NOT NULL
);
