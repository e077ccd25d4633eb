-- Customer satisfaction (CSAT). bots.csat is the survey setting as JSON
-- ('' = off). On a conversation: when the customer was asked, and the
-- answer, set once (csat_score IS NULL is the compare-and-set guard).
ALTER TABLE bots ADD COLUMN csat TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN csat_asked_at BIGINT;
ALTER TABLE conversations ADD COLUMN csat_score INTEGER;
ALTER TABLE conversations ADD COLUMN csat_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN csat_at BIGINT;
-- Reports read answered and asked conversations by their answer time.
CREATE INDEX conversations_csat_asked ON conversations (bot_id, csat_asked_at) WHERE csat_asked_at IS NOT NULL;
