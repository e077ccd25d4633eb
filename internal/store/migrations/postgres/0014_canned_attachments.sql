-- A canned reply may carry a file (an upload), sent with its text when an
-- agent uses it: JSON like messages.attachments.
ALTER TABLE canned_replies ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
