-- The waiting-sorted lists at a million conversations (docs/PERFORMANCE.md,
-- "Lists at a million conversations, explained").
--
-- "Mine" (and any list filtered by assignee) found the agent's rows through
-- conversations_assignee (assignee_id, phase), which cannot skip the closed
-- ones: an agent's history is mostly closed, so each page read every
-- conversation the agent ever had (3,500 rows, 3,400 table pages, twice: once
-- per part of the waiting sort). This one holds the open ones only, in the
-- order of the sort's first key for a conversation never opened.
CREATE INDEX conversations_open_assignee ON conversations (assignee_id, first_contact_at) WHERE phase <> 'closed';
