-- PostgreSQL translation of Sqlite/0004_user_name_keys.sql (types and collations: see 0001_initial.sql).
-- The key user names are unique and found by (UserNames.Key: NFKC, case-folded), computed in C#: the migrator's code
-- step for this version (UserStore.FillNameKeysAsync) fills it for the users already there, none on a new database.
-- The index is not UNIQUE, as in SQLite: users an older gateway stored with names of one key keep them.
ALTER TABLE users ADD COLUMN UserNameKey text COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX users_by_name_key ON users (UserNameKey);
