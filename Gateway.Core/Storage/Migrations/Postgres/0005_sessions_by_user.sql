-- PostgreSQL translation of Sqlite/0005_sessions_by_user.sql.
-- A user's sessions are counted at every login (MaxSessionsPerUser); the least recently used is found by LastActivity.
CREATE INDEX sessions_by_user ON sessions (UserId, LastActivity);
