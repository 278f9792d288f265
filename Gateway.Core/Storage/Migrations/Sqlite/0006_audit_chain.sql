-- The audit record's targets, the changed entity before and after, and the hash chain. Rows written before this get
-- null targets and states and join the chain in Id order: the C# step of this migration (AuditChain.BackfillAsync)
-- fills their Hash in the same transaction.
ALTER TABLE audit_log ADD COLUMN TargetUserId INTEGER;
ALTER TABLE audit_log ADD COLUMN TargetAccountId INTEGER;
ALTER TABLE audit_log ADD COLUMN Before TEXT;
ALTER TABLE audit_log ADD COLUMN After TEXT;
ALTER TABLE audit_log ADD COLUMN Hash TEXT;
