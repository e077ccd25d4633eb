-- Keep message_words in few segments (docs/PERFORMANCE.md, "Keeping the
-- index in few segments"). A per-conversation search seeks each word once
-- per FTS5 segment, and every small write transaction flushes a segment.
-- A background step (store.MergeSearchIndex, 'merge' with a positive page
-- count) merges a level only once it holds usermerge segments: 2 instead of
-- FTS5's default 4, so the index settles at about one segment per level.
-- Stored once here, in message_words_config.
INSERT INTO message_words (message_words, rank) VALUES ('usermerge', 2);
