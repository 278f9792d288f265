-- Users, their permissions, sessions, accounts and links, the audit log.
CREATE TABLE users (
    UserId INTEGER PRIMARY KEY AUTOINCREMENT,
    UserName TEXT NOT NULL COLLATE NOCASE UNIQUE,
    Email TEXT COLLATE NOCASE UNIQUE,
    EmailVerified INTEGER NOT NULL DEFAULT 0,
    AccountId INTEGER NOT NULL DEFAULT 0,
    OMSId INTEGER NOT NULL DEFAULT 1,
    Use2FA INTEGER NOT NULL DEFAULT 0,
    Locked INTEGER NOT NULL DEFAULT 0,
    LockedTime TEXT,
    NumberOfFailedAttempt INTEGER NOT NULL DEFAULT 0,
    DateTimeCreated TEXT NOT NULL,
    AffiliateId INTEGER NOT NULL DEFAULT 0,
    RefererId INTEGER NOT NULL DEFAULT 0,
    ExternalUserId TEXT UNIQUE,
    FederatedUserId TEXT,
    FirstName TEXT,
    LastName TEXT,
    DisplayName TEXT,
    EmailOn INTEGER NOT NULL DEFAULT 0,
    TFCNumber INTEGER NOT NULL DEFAULT 0,
    FOLAccountName TEXT,
    UserType INTEGER NOT NULL DEFAULT 0,
    RoleType INTEGER NOT NULL DEFAULT 0,
    DefaultSiteDashboardViewType INTEGER NOT NULL DEFAULT 0,
    DefaultDashboardVendorFilterType INTEGER NOT NULL DEFAULT 0,
    Active INTEGER NOT NULL DEFAULT 1,
    PasswordHash TEXT NOT NULL
);

CREATE TABLE user_permissions (
    UserId INTEGER NOT NULL REFERENCES users (UserId),
    Permission TEXT NOT NULL,
    PRIMARY KEY (UserId, Permission)
) WITHOUT ROWID;

CREATE TABLE login_failures (
    UserId INTEGER NOT NULL REFERENCES users (UserId),
    FailedAt TEXT NOT NULL
);
CREATE INDEX login_failures_by_user ON login_failures (UserId, FailedAt);

CREATE TABLE sessions (
    TokenHash BLOB PRIMARY KEY,
    UserId INTEGER NOT NULL REFERENCES users (UserId),
    CreatedAt TEXT NOT NULL,
    LastActivity TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE accounts (
    AccountId INTEGER PRIMARY KEY AUTOINCREMENT,
    OMSID INTEGER NOT NULL DEFAULT 1,
    AccountName TEXT NOT NULL DEFAULT '',
    AccountHandle TEXT COLLATE NOCASE UNIQUE,
    AccountType INTEGER NOT NULL DEFAULT 0,
    RiskType INTEGER NOT NULL DEFAULT 1,
    VerificationLevel INTEGER NOT NULL DEFAULT 0,
    FeeGroupID INTEGER NOT NULL DEFAULT 0,
    ParentID INTEGER NOT NULL DEFAULT 0,
    FirmId TEXT,
    FirmName TEXT,
    TFCNumber INTEGER NOT NULL DEFAULT 0,
    StreetAddress TEXT,
    City TEXT,
    State TEXT,
    ZipCode TEXT,
    Country TEXT,
    ViewLineItemPermissionFlag INTEGER NOT NULL DEFAULT 0,
    OrderLineItemPermissionFlag INTEGER NOT NULL DEFAULT 0,
    HidePricingInformation INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_accounts (
    Id INTEGER PRIMARY KEY AUTOINCREMENT,
    UserId INTEGER NOT NULL REFERENCES users (UserId),
    AccountId INTEGER NOT NULL REFERENCES accounts (AccountId),
    UNIQUE (UserId, AccountId)
);
CREATE INDEX user_accounts_by_account ON user_accounts (AccountId);

CREATE TABLE user_account_permissions (
    Id INTEGER PRIMARY KEY AUTOINCREMENT,
    AccountUserId INTEGER NOT NULL REFERENCES user_accounts (Id) ON DELETE CASCADE,
    Permission INTEGER NOT NULL,
    UNIQUE (AccountUserId, Permission)
);

CREATE TABLE audit_log (
    Id INTEGER PRIMARY KEY AUTOINCREMENT,
    At TEXT NOT NULL,
    UserId INTEGER NOT NULL,
    SessionId TEXT,
    Function TEXT NOT NULL,
    Payload TEXT NOT NULL,
    Change TEXT NOT NULL
);
CREATE INDEX audit_log_by_user ON audit_log (UserId, Id);
CREATE INDEX audit_log_by_function ON audit_log (Function, Id);
