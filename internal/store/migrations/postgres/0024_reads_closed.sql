-- The read state of closed conversations (docs/PERFORMANCE.md, "Lists at a
-- million conversations, explained").
--
-- The waiting sort's opened part (list.go) reads the viewer's unread or
-- marked-unread reads rows through reads_unread and looks each conversation
-- up to test its phase. Most of those rows belong to closed conversations
-- (a supervisor's marks pile up for years), and lists of open conversations
-- dropped them only after the look-up: 762 of the seeded supervisor's
-- 1,023 at a million conversations. reads.closed copies "the conversation
-- is closed" onto its read marks, so the index seeks past them. It is set
-- where a conversation closes, in the same transaction (readstate.go,
-- closedReads); closed is final, so it is never cleared.
ALTER TABLE reads ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
-- Dropped before the backfill so the update does not maintain it.
DROP INDEX reads_unread;
UPDATE reads SET closed = 1 WHERE conversation_id IN (SELECT id FROM conversations WHERE phase = 'closed');
CREATE INDEX reads_unread ON reads (user_id, closed, conversation_id, unread_since, marked_unread)
    WHERE unread_since IS NOT NULL OR marked_unread = 1;
