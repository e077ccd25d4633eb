-- The conversation list at 100k conversations (docs/PERFORMANCE.md).
--
-- Sort "waiting" orders by each viewer's oldest unread customer message.
-- Computing that per row for every open conversation costs a second at
-- 100k; these columns make it a plain column, kept up to date where
-- customer messages are stored (timeline.go) and read state changes
-- (tags.go):
--   conversations.first_contact_at  oldest customer message (the oldest
--                                   unread one for whoever never opened it)
--   reads.unread_since              oldest customer message after
--                                   last_read_seq, NULL when none
-- The list then walks an index in sort order and stops after the page.
ALTER TABLE conversations ADD COLUMN first_contact_at BIGINT;
UPDATE conversations SET first_contact_at = (SELECT MIN(m.created_at) FROM messages m
    WHERE m.conversation_id = conversations.id AND m.author_type = 'contact');
ALTER TABLE reads ADD COLUMN unread_since BIGINT;
UPDATE reads SET unread_since = (SELECT MIN(m.created_at) FROM messages m
    WHERE m.conversation_id = reads.conversation_id AND m.author_type = 'contact' AND m.seq > reads.last_read_seq);
CREATE INDEX conversations_open_first_contact ON conversations (first_contact_at) WHERE phase <> 'closed';
-- Sort "updated" (latest exchange first) walks this one.
CREATE INDEX conversations_last_message ON conversations (last_message_at, id);
-- A customer message moves unread_since of the conversation's readers.
CREATE INDEX reads_conversation ON reads (conversation_id);
-- A viewer's conversations that have unread messages or are marked unread
-- (covering: the list reads nothing else of these rows).
CREATE INDEX reads_unread ON reads (user_id, conversation_id, unread_since, marked_unread)
    WHERE unread_since IS NOT NULL OR marked_unread = 1;
