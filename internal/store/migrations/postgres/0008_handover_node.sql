-- The flow node a built-in flow handed over at, next to the event type
-- it belongs to, so the bots report can count handovers per step in SQL.
ALTER TABLE messages ADD COLUMN event_node TEXT;
