-- When a user's status (online, paused, offline) last changed: the
-- monitor shows "online for 12 min". Set in the same statement as every
-- status change; for rows from before it the change is unknown, and the
-- user's creation stands in.
ALTER TABLE users ADD COLUMN status_since BIGINT;
UPDATE users SET status_since = created_at;

-- A supervisor's threshold for "waiting too long" on the monitor's queue
-- health strip (seconds); NULL means the default (desk.DefaultWaitingThreshold).
ALTER TABLE users ADD COLUMN monitor_waiting_threshold BIGINT;
