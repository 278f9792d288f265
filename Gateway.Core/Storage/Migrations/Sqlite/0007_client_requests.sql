-- The replies of write calls made with a ClientRequestId (protocol.md 9.1), kept so that a repeat answers the first
-- reply; swept after Gateway:Safety:ClientRequestIdHours. The reply is sealed with a key derived from the master key
-- (it may hold an API secret shown once), and the request is kept only as a keyed hash of its canonical JSON.
-- Rows are appended in time order (Seq), so a commit writes a few table pages however random the ids; the unique
-- index is the only structure an id lands in at random, and the sweep deletes a prefix of Seq.
CREATE TABLE client_requests (
    Seq INTEGER PRIMARY KEY,
    UserId INTEGER NOT NULL,
    RequestId TEXT NOT NULL,
    Function TEXT NOT NULL,
    RequestHash BLOB NOT NULL,
    ErrorCode INTEGER NOT NULL,
    Reply BLOB NOT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX client_requests_by_id ON client_requests (UserId, RequestId);
