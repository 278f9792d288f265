-- PostgreSQL translation of Sqlite/0009_public_registration.sql (types and collations: see 0001_initial.sql).
-- Password reset codes: at most one outstanding code per user, kept only as its SHA-256. Row 0 is a decoy (a request
-- for an unknown name writes it), so UserId has no foreign key; it is always given, never numbered by the database.
CREATE TABLE password_resets (
    UserId bigint PRIMARY KEY,
    CodeHash bytea NOT NULL,
    ExpiresAt text COLLATE "C" NOT NULL
);
