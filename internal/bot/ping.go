package bot

import (
	"context"
	"encoding/json"

	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// Ping sends b's webhook a signed test event now, outside the outbox (an
// admin waits for the answer, and a test is never retried), and answers
// the logged attempt. A receiver that fails is an answer, not an error:
// the row says what happened. b needs a webhook_url.
func (s EventSender) Ping(ctx context.Context, b desk.Bot) (store.BotDelivery, error) {
	if b.WebhookURL == "" {
		return store.BotDelivery{}, desk.Invalid("webhook_url", "the bot has no webhook_url to test")
	}
	ev := botapi.Ping{ID: s.Store.NewID(), Type: botapi.EventPing, BotID: b.ID, CreatedAt: s.Store.Now()}
	body, err := json.Marshal(ev)
	if err != nil {
		return store.BotDelivery{}, err
	}
	row, _ := s.post(ctx, b, ev.ID, string(ev.Type), body, true)
	return row, nil
}
