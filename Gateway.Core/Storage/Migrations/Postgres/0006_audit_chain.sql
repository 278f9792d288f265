-- PostgreSQL translation of Sqlite/0006_audit_chain.sql (types and collations: see 0001_initial.sql).
-- The audit record's targets, the changed entity before and after, and the hash chain. The C# step of this migration
-- (AuditChain.BackfillAsync) gives rows written before it their Hash in Id order; a new database has none.
ALTER TABLE audit_log
    ADD COLUMN TargetUserId bigint,
    ADD COLUMN TargetAccountId bigint,
    ADD COLUMN Before text COLLATE "C",
    ADD COLUMN After text COLLATE "C",
    ADD COLUMN Hash text COLLATE "C";
