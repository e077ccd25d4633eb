-- Business hours: a bot's weekly schedule (JSON of desk.BusinessHours, ""
-- for none), and on each conversation whether it was queued outside them
-- (set once, at handover, so reports and the queue need no schedule).
ALTER TABLE bots ADD COLUMN business_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN out_of_hours INTEGER NOT NULL DEFAULT 0;
