-- When a WhatsApp channel's templates were last read from its WhatsApp
-- Business Account (Unix ms; NULL: never synced), so admins can tell a
-- stale list from a fresh one.
ALTER TABLE channels ADD COLUMN templates_synced_at BIGINT;
