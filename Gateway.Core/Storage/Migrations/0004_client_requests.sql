-- The replies of write calls made with a ClientRequestId (protocol.md 9.1), kept so that a repeat answers the first
-- reply; swept after Gateway:Safety:ClientRequestIdHours. The reply is sealed with a key derived from the master key
-- (it may hold an API secret shown once), and the request is kept only as a keyed hash of its canonical JSON.
CREATE TABLE client_requests (
    UserId INTEGER NOT NULL,
    RequestId TEXT NOT NULL,
    Function TEXT NOT NULL,
    RequestHash BLOB NOT NULL,
    ErrorCode INTEGER NOT NULL,
    Reply BLOB NOT NULL,
    CreatedAt TEXT NOT NULL,
    PRIMARY KEY (UserId, RequestId)
) WITHOUT ROWID;
CREATE INDEX client_requests_by_time ON client_requests (CreatedAt);
