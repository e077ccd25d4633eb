-- Message search grouped by conversation (docs/PERFORMANCE.md, "SQLite search
-- grouped by conversation"). message_fts was keyed by the messages' rowid,
-- so its doclists ran in arrival order and testing one conversation meant
-- one FTS seek per message of it. message_words is keyed by
-- (search_key << 32) | seq: a conversation's messages are one rowid range,
-- tested with one seek per word, and a match names its conversation
-- without reading a content row.

-- A stable integer per conversation. Not the implicit rowid: VACUUM may
-- renumber the rowids of a table without an INTEGER PRIMARY KEY. Given at
-- insert by the trigger (the next after the largest), never changed.
ALTER TABLE conversations ADD COLUMN search_key INTEGER;
UPDATE conversations SET search_key = rowid;
CREATE UNIQUE INDEX conversations_search_key ON conversations (search_key);
CREATE TRIGGER conversations_search_key_ai AFTER INSERT ON conversations WHEN new.search_key IS NULL BEGIN
    UPDATE conversations SET search_key = (SELECT COALESCE(MAX(search_key), 0) + 1 FROM conversations)
    WHERE rowid = new.rowid;
END;

-- Contentless: search reads rowids only, and the text is in messages.
-- columnsize=0: no per-row sizes (they serve ranking, which search does
-- not do), one write less per message. Messages are never deleted and
-- their text never changes, so an insert trigger is all it needs (as
-- message_fts had).
CREATE VIRTUAL TABLE message_words USING fts5 (body, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
-- Backfill in rowid order (conversation, then seq): FTS5 writes a segment
-- each time a rowid goes backwards within a transaction.
INSERT INTO message_words (rowid, body)
    SELECT (c.search_key << 32) | m.seq, m.text
    FROM conversations c CROSS JOIN messages m
    WHERE m.conversation_id = c.id AND m.text <> '' AND m.kind <> 'event'
    ORDER BY c.search_key, m.seq;
-- One segment: the backfill leaves a dozen, and a per-conversation test
-- seeks each word in every segment (3x the CPU at 100k).
INSERT INTO message_words (message_words) VALUES ('optimize');
CREATE TRIGGER messages_words_ai AFTER INSERT ON messages WHEN new.text <> '' AND new.kind <> 'event' BEGIN
    INSERT INTO message_words (rowid, body)
    VALUES (((SELECT search_key FROM conversations WHERE id = new.conversation_id) << 32) | new.seq, new.text);
END;

DROP TRIGGER messages_fts_ai;
DROP TABLE message_fts;
