// Package bot connects bots to the desk: it tells external bots what
// happened to their conversations (this file: handover, assignment,
// transfer, resolution, customer messages while the bot owns the
// conversation; ping.go: the test event), and runs built-in flows
// (flowrunner.go). Both are outbox senders; neither touches the database
// except through the store.
package bot

import (
	"context"
	"encoding/json"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/webhook"
)

// EventSender delivers queued bot events to the bot's webhook_url and,
// when Store is set, writes each attempt to the bot's delivery log.
type EventSender struct {
	Poster webhook.Poster
	Store  *store.Store
}

// Send posts the stored event body; its own id is the event id.
func (s EventSender) Send(ctx context.Context, d store.Delivery) (string, error) {
	if d.Bot.WebhookURL == "" {
		return "", nil // the bot dropped its webhook since: nobody to tell
	}
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(d.Item.Payload, &ev); err != nil || ev.ID == "" {
		return "", jobs.Permanent(err)
	}
	_, err := s.post(ctx, d.Bot, ev.ID, ev.Type, d.Item.Payload, false)
	return "", err
}

// post sends one signed body and logs the attempt. A log that cannot be
// written does not fail the delivery: the bot got its event, and retrying
// would send it again only to write a diary line.
func (s EventSender) post(ctx context.Context, b desk.Bot, eventID, eventType string, body []byte, test bool) (store.BotDelivery, error) {
	res, err := s.Poster.PostResult(ctx, b.WebhookURL, []byte(b.WebhookSecret), eventID, body)
	row := store.BotDelivery{BotID: b.ID, EventID: eventID, EventType: eventType, URL: webhook.LogURL(b.WebhookURL),
		ErrorKind: res.ErrorKind, LatencyMS: res.Latency.Milliseconds(), Response: string(res.Body), Test: test}
	if res.Status != 0 {
		row.Status = &res.Status
	}
	if s.Store == nil {
		return row, err
	}
	if saved, lerr := s.Store.RecordBotDelivery(context.WithoutCancel(ctx), row); lerr == nil {
		row = saved
	}
	return row, err
}
