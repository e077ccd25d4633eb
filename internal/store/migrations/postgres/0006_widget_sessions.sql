-- Web widget sessions: a visitor's browser keeps an opaque token; only its
-- hash is stored, with the contact it speaks for on one web channel.
-- external_id is the contact's identity on the channel ("v:<visitor>" for
-- an anonymous visitor, "u:<identifier>" for a verified one).
CREATE TABLE widget_sessions (
    token_hash TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels (id),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    external_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX widget_sessions_contact ON widget_sessions (contact_id);
CREATE INDEX widget_sessions_expires ON widget_sessions (expires_at);
