-- Built-in flows: where each conversation stands in its bot's flow (JSON,
-- NULL before the flow first runs), and each bot's handover keywords (a
-- JSON array; '' means the defaults).
ALTER TABLE conversations ADD COLUMN flow_state TEXT;
ALTER TABLE bots ADD COLUMN handover_keywords TEXT NOT NULL DEFAULT '';
