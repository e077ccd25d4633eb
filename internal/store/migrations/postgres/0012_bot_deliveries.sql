-- The external bot's delivery log: one row per webhook POST (real events
-- and test pings), the last 50 per bot (older rows are deleted in the
-- transaction that adds one). url is the host and path only, so a query
-- string holding a credential is never kept; neither are the secret nor
-- the signature. status is the receiver's HTTP status, or NULL with
-- error_kind saying why no answer came (connection_refused, timeout, ...).
CREATE TABLE bot_deliveries (
    id TEXT PRIMARY KEY,
    bot_id TEXT NOT NULL REFERENCES bots (id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    error_kind TEXT NOT NULL DEFAULT '',
    latency_ms BIGINT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    test INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX bot_deliveries_bot ON bot_deliveries (bot_id, id);
