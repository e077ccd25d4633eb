// Package bot connects bots to the desk: it tells external bots what
// happened to their conversations (this file: handover, assignment,
// transfer, resolution, customer messages while the bot owns the
// conversation), and runs built-in flows (flowrunner.go). Both are outbox
// senders; neither touches the database except through the store.
package bot

import (
	"context"
	"encoding/json"

	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/webhook"
)

// EventSender delivers queued bot events to the bot's webhook_url.
type EventSender struct {
	Poster webhook.Poster
}

// Send posts the stored event body; its own id is the event id.
func (s EventSender) Send(ctx context.Context, d store.Delivery) (string, error) {
	if d.Bot.WebhookURL == "" {
		return "", nil // the bot dropped its webhook since: nobody to tell
	}
	var ev struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(d.Item.Payload, &ev); err != nil || ev.ID == "" {
		return "", jobs.Permanent(err)
	}
	return "", s.Poster.Post(ctx, d.Bot.WebhookURL, []byte(d.Bot.WebhookSecret), ev.ID, d.Item.Payload)
}
