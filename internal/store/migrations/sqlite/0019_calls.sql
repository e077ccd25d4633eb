-- Calls (issue 13): a bot's call setting (JSON of desk.CallSettings, ""
-- for off) and every call's state. Call state lives here, not in a node's
-- memory, so a node that restarts ends its calls for both parties instead
-- of leaving a ghost. Times are milliseconds like the rest of the schema.
ALTER TABLE bots ADD COLUMN calls TEXT NOT NULL DEFAULT '';
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    bot_id TEXT NOT NULL REFERENCES bots (id),
    started_by TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    media TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- ring_until is the ring timeout's deadline, swept like auto-close.
    ring_until BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at BIGINT,
    end_reason TEXT NOT NULL DEFAULT '',
    node_id TEXT NOT NULL DEFAULT '',
    -- alive_at is renewed by the node while it runs: a call whose node
    -- stopped renewing it (restarted, died) is ended by the sweeper.
    alive_at BIGINT NOT NULL
);
-- At most one live call per conversation: two starts racing, one wins.
CREATE UNIQUE INDEX calls_live ON calls (conversation_id) WHERE state IN ('ringing', 'accepted');
CREATE INDEX calls_ringing ON calls (ring_until) WHERE state = 'ringing';
CREATE INDEX calls_node ON calls (node_id, alive_at) WHERE state IN ('ringing', 'accepted');
