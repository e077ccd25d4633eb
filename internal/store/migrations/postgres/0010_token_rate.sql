-- A token's own request rate (requests per second; its burst is twice
-- that): NULL means the server's default (--token-rate, --token-burst).
-- Read with the token on every request, so a change holds on every node
-- from the next request on.
ALTER TABLE tokens ADD COLUMN rate_limit INTEGER;
