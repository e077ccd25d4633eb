// Package botapi is the contract Relevo keeps with bots and integrations
// over their webhook_url: the JSON bodies it POSTs (docs/bots.md, "What
// Relevo POSTs") and their event types. The store writes them into the
// outbox; the bot and API-channel senders post them.
//
// It holds wire shapes only: no rules, no I/O. It imports only the domain
// package, so every layer may use it. A field renamed here breaks every
// deployed bot: add fields, never change or drop one.
package botapi

import (
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// EventType is what a bot is told; it is the body's "type".
type EventType string

// Events sent to a bot's webhook_url.
const (
	EventMessage     EventType = "message.created"
	EventHandover    EventType = "conversation.handover"
	EventAssigned    EventType = "conversation.assigned"
	EventTransferred EventType = "conversation.transferred"
	EventResolved    EventType = "conversation.resolved"
	// EventCSAT is the customer's rating of a resolved conversation (CSAT).
	EventCSAT EventType = "conversation.csat"
	// EventCall is a call's change (started, answered, declined, missed,
	// cancelled, ended with its duration).
	EventCall EventType = "conversation.call"
	// EventOutbound is sent for API channels only: a message for the
	// integration to deliver to the customer (Outbound).
	EventOutbound EventType = "message.outbound"
	// EventPing is the test event an admin sends from the bot's settings
	// (Ping): it belongs to no conversation and needs no answer but a 2xx.
	EventPing EventType = "ping"
)

// Ping is the body of EventPing, signed like every event.
type Ping struct {
	ID        string    `json:"id"`
	Type      EventType `json:"type"`
	BotID     string    `json:"bot_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Event is the body POSTed to a bot's webhook for a conversation event or
// a customer message. ID is unique per event, so a bot that sees one twice
// (delivery is at-least-once) can drop it.
type Event struct {
	ID             string        `json:"id"`
	Type           EventType     `json:"type"`
	BotID          string        `json:"bot_id"`
	ConversationID string        `json:"conversation_id"`
	Phase          desk.Phase    `json:"phase"`
	AssigneeID     *string       `json:"assignee_id"`
	TeamID         *string       `json:"team_id"`
	Message        *desk.Message `json:"message,omitempty"`
	// CSAT is the rating, on conversation.csat.
	CSAT *desk.CSATAnswer `json:"csat,omitempty"`
	// Call is the call, on conversation.call.
	Call      *desk.CallInfo `json:"call,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
}

// OutboundContact is who an outbound message is for.
type OutboundContact struct {
	ID         string `json:"id"`
	ExternalID string `json:"external_id"`
	Name       string `json:"name"`
	Phone      string `json:"phone"`
}

// Outbound is the body of EventOutbound: a message to deliver to the
// customer of an API channel.
type Outbound struct {
	ID             string          `json:"id"`
	Type           EventType       `json:"type"`
	BotID          string          `json:"bot_id"`
	ChannelID      string          `json:"channel_id"`
	ConversationID string          `json:"conversation_id"`
	Contact        OutboundContact `json:"contact"`
	Message        desk.Message    `json:"message"`
	CreatedAt      time.Time       `json:"created_at"`
}
