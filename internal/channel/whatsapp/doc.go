// Package whatsapp is the WhatsApp Cloud API channel: it answers Meta's
// webhook (verification handshake, signed message and status
// notifications), turns every inbound message type into a stored customer
// message (fetching media into Relevo's uploads), delivers outbound
// messages through the Graph API as an outbox sender (text, media,
// templates, interactive menus) within a per-number rate limit, maps Graph
// errors to retries or clear permanent failures, and syncs the WABA's
// message templates.
//
// It must never trust a body whose X-Hub-Signature-256 does not match the
// exact bytes received (never a re-marshalled copy), never answer a webhook
// 200 before what it carries is stored (Meta retries anything else, and
// storing is idempotent on the wamid), never let an unknown field or
// message type break parsing, and never send the access token anywhere but
// the channel's graph_url and the media URLs it returns.
package whatsapp
