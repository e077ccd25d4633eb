-- Canned replies: saved answers agents insert with "/shortcut". A reply
-- belongs to a bot (bot_id) or to one user (owner_id), never both; the
-- shortcut is unique within its bot or within its owner's own replies,
-- and the two partial indexes say so without mixing the scopes.
CREATE TABLE canned_replies (
    id TEXT PRIMARY KEY,
    bot_id TEXT REFERENCES bots (id),
    owner_id TEXT REFERENCES users (id),
    shortcut TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((bot_id IS NULL) <> (owner_id IS NULL))
);
CREATE UNIQUE INDEX canned_replies_bot_shortcut ON canned_replies (bot_id, shortcut) WHERE bot_id IS NOT NULL;
CREATE UNIQUE INDEX canned_replies_owner_shortcut ON canned_replies (owner_id, shortcut) WHERE owner_id IS NOT NULL;
