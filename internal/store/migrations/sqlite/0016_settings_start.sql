-- When a token was last used, in Unix milliseconds (NULL: never). Written
-- at most once a minute per token: the request that reads the token sees
-- this value and only updates it when it is a minute old.
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;

-- A deleted transfer reason keeps its row, so past transfers and the
-- reports that join it keep their reason's name; it is no longer offered.
ALTER TABLE reasons ADD COLUMN deleted_at BIGINT;

-- The guided start, per admin: whether they put the checklist away, and
-- whether they said they copied the snippet or opened the test page.
ALTER TABLE users ADD COLUMN onboarding_dismissed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN onboarding_snippet_done INTEGER NOT NULL DEFAULT 0;
