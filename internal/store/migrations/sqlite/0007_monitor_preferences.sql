-- What each supervisor hides from its own monitor (agents and teams): a
-- preference of that user only, kept on the server so it survives reloads
-- and other browsers.
CREATE TABLE monitor_hidden (
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, item_id)
);
