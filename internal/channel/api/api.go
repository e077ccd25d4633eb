// Package api is the generic API channel: customers' messages arrive through
// POST /api/v1/channels/{id}/inbound, and what agents and notices send back
// is POSTed, signed, to the bot's webhook_url (or marked sent when the bot
// has none: the integration then reads the timeline itself).
package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/webhook"
)

// EventOutbound is the type of the webhook body for customer messages.
const EventOutbound = "message.outbound"

// OutboundContact is who the message is for.
type OutboundContact struct {
	ID         string `json:"id"`
	ExternalID string `json:"external_id"`
	Name       string `json:"name"`
	Phone      string `json:"phone"`
}

// Outbound is the webhook body for a message to deliver to the customer.
type Outbound struct {
	ID             string          `json:"id"`
	Type           string          `json:"type"`
	BotID          string          `json:"bot_id"`
	ChannelID      string          `json:"channel_id"`
	ConversationID string          `json:"conversation_id"`
	Contact        OutboundContact `json:"contact"`
	Message        desk.Message    `json:"message"`
	CreatedAt      time.Time       `json:"created_at"`
}

// Sender delivers API-channel messages.
type Sender struct {
	Poster webhook.Poster
}

// Send posts the message to the bot's webhook, keyed by the outbox item so
// retries carry the same event id.
func (s Sender) Send(ctx context.Context, d store.Delivery) (string, error) {
	if d.Bot.WebhookURL == "" || d.Message == nil {
		return "", nil
	}
	body, err := json.Marshal(Outbound{
		ID: d.Item.ID, Type: EventOutbound, BotID: d.Bot.ID, ChannelID: d.Channel.ID, ConversationID: d.Conversation.ID,
		Contact: OutboundContact{ID: d.Contact.ID, ExternalID: d.Contact.ExternalID, Name: d.Contact.Name, Phone: d.Contact.Phone},
		Message: *d.Message, CreatedAt: d.Message.CreatedAt,
	})
	if err != nil {
		return "", err
	}
	return "", s.Poster.Post(ctx, d.Bot.WebhookURL, []byte(d.Bot.WebhookSecret), d.Item.ID, body)
}
