-- When a user last had a console socket open on any node. Presence is a
-- deadline column like the others: the sweeper sets users offline whose
-- last socket has been gone longer than the grace period.
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;
CREATE INDEX users_last_seen ON users (last_seen_at) WHERE status <> 'offline';
