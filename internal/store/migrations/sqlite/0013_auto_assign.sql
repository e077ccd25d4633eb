-- Automatic assignment by capacity. A team's queue, and a bot's
-- conversations without a team, are served by hand ('manual', as before)
-- or by the drainer ('automatic'). reoffer_after (milliseconds, 0 = off)
-- sends back to the queue a conversation whose agent has not written
-- within it.
ALTER TABLE teams ADD COLUMN assignment TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE teams ADD COLUMN reoffer_after BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bots ADD COLUMN assignment TEXT NOT NULL DEFAULT 'manual';
-- The tie-break: among agents with as much room, whoever has waited
-- longest since their last assignment gets the next one.
ALTER TABLE users ADD COLUMN last_assigned_at BIGINT;
-- The re-offer deadline, a column swept like auto_close_at: set by an
-- automatic assignment in a team with reoffer_after, cleared by the
-- agent's first message. reoffered_from is the agent it was taken back
-- from, who is not offered it again.
ALTER TABLE conversations ADD COLUMN reoffer_at BIGINT;
ALTER TABLE conversations ADD COLUMN reoffered_from TEXT;
CREATE INDEX conversations_reoffer_at ON conversations (reoffer_at) WHERE reoffer_at IS NOT NULL;
-- The drainer reads each automatic queue's longest-waiting conversation.
CREATE INDEX conversations_waiting_queue ON conversations (bot_id, team_id, waiting_since) WHERE phase = 'waiting';
