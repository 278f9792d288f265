-- The key user names are unique and found by (UserNames.Key: NFKC, case-folded). SQLite cannot compute it, so the
-- migrator's code step for this version fills it for the users already there. The index is not UNIQUE: an older
-- gateway told 'émile' and 'ÉMILE' apart, and such users keep their names; the writer refuses any new name whose key
-- another user has.
ALTER TABLE users ADD COLUMN UserNameKey TEXT NOT NULL DEFAULT '';
CREATE INDEX users_by_name_key ON users (UserNameKey);
