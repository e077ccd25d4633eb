-- WhatsApp calls (issue 13): where the customer calls from (web or
-- whatsapp), WhatsApp's own call id, and Meta's SDP offer, kept until the
-- agent accepts (the offer arrives in the webhook, before anyone answers).
ALTER TABLE calls ADD COLUMN via TEXT NOT NULL DEFAULT 'web';
ALTER TABLE calls ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN offer_sdp TEXT NOT NULL DEFAULT '';
-- Meta retries a webhook until it is answered: one call row per WhatsApp call.
CREATE UNIQUE INDEX calls_external ON calls (via, external_id) WHERE external_id <> '';
