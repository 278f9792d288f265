-- Affiliate tags: at most one per user, unique per OMS ignoring case. AUTOINCREMENT keeps AffiliateIds from being reused.
CREATE TABLE affiliate_tags (
    AffiliateId INTEGER PRIMARY KEY AUTOINCREMENT,
    OMSId INTEGER NOT NULL DEFAULT 1,
    UserId INTEGER NOT NULL UNIQUE REFERENCES users (UserId),
    AffiliateTag TEXT NOT NULL COLLATE NOCASE,
    UNIQUE (OMSId, AffiliateTag)
);
CREATE INDEX users_by_referer ON users (RefererId);
