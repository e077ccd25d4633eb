// Package api is the generic API channel: customers' messages arrive through
// POST /api/v1/channels/{id}/inbound, and what agents and notices send back
// is POSTed, signed, to the bot's webhook_url (or marked sent when the bot
// has none: the integration then reads the timeline itself).
package api

import (
	"context"
	"encoding/json"

	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/webhook"
)

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
	body, err := json.Marshal(botapi.Outbound{
		ID: d.Item.ID, Type: botapi.EventOutbound, BotID: d.Bot.ID, ChannelID: d.Channel.ID, ConversationID: d.Conversation.ID,
		Contact: botapi.OutboundContact{ID: d.Contact.ID, ExternalID: d.Contact.ExternalID, Name: d.Contact.Name, Phone: d.Contact.Phone},
		Message: *d.Message, CreatedAt: d.Message.CreatedAt,
	})
	if err != nil {
		return "", err
	}
	return "", s.Poster.Post(ctx, d.Bot.WebhookURL, []byte(d.Bot.WebhookSecret), d.Item.ID, body)
}
