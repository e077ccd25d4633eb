-- Calls' connectivity (issue 13): the server-wide ICE settings, one row
-- (id 1) of typed columns, read and saved whole (the admin form is one
-- form, validated as a whole). URL lists are JSON arrays. relay_secret is
-- the built-in TURN relay's key when turn_secret is empty: generated once
-- by the first node that needs it, so every node's relay accepts every
-- node's credentials. Secrets never leave the server through the API.
CREATE TABLE ice_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stun_urls TEXT NOT NULL DEFAULT '[]',
    turn_urls TEXT NOT NULL DEFAULT '[]',
    turn_secret TEXT NOT NULL DEFAULT '',
    turn_username TEXT NOT NULL DEFAULT '',
    turn_password TEXT NOT NULL DEFAULT '',
    credential_ttl_seconds BIGINT NOT NULL DEFAULT 3600,
    relay_only INTEGER NOT NULL DEFAULT 0,
    relay_secret TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO ice_settings (id) VALUES (1);
