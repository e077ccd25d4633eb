package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// A bot's delivery log keeps its last 50 attempts, trimmed as each is
// written (no sweeper), newest first, and one bot's rows never count
// against another's.
func TestBotDeliveryLogKeepsTheLast50(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		s := db.Store
		w := storetest.NewWorld(t, db, storetest.WorldOptions{})
		a, b := w.Bot, w.OtherBot
		if _, err := s.RecordBotDelivery(ctx, store.BotDelivery{BotID: b.ID, EventID: "b0", EventType: "ping", URL: "b.example/x"}); err != nil {
			t.Fatal(err)
		}
		ok := 200
		for i := range 55 {
			// A receiver's bytes may be anything: invalid UTF-8 and NUL are stored as text.
			d := store.BotDelivery{BotID: a.ID, EventID: fmt.Sprintf("e%02d", i), EventType: "message.created",
				URL: "bot.example/relevo", Status: &ok, LatencyMS: int64(i), Response: "ok\x00\xff" + strings.Repeat("x", 3)}
			if _, err := s.RecordBotDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := w.Raw().QueryRowContext(ctx, `SELECT COUNT(*) FROM bot_deliveries WHERE bot_id = $1`, a.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != store.KeptDeliveries {
			t.Fatalf("bot A keeps %d rows, want %d", n, store.KeptDeliveries)
		}
		list, err := s.ListBotDeliveries(ctx, a.ID)
		if err != nil || len(list) != 50 || list[0].EventID != "e54" || list[49].EventID != "e05" {
			t.Fatalf("list = %d rows (%v), first %q", len(list), err, list[0].EventID)
		}
		if *list[0].Status != 200 || list[0].Response != "ok\uFFFDxxx" {
			t.Fatalf("row = %+v", list[0])
		}
		if other, _ := s.ListBotDeliveries(ctx, b.ID); len(other) != 1 || other[0].EventID != "b0" || other[0].Status != nil {
			t.Fatalf("bot B's log = %+v", other)
		}
	})
}

// Rotating answers a new secret once; the store keeps it for signing.
func TestRotateBotSecret(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		b := fxBot(t, db.Store, "A")
		secret, err := db.Store.RotateBotSecret(ctx, b.ID)
		if err != nil || len(secret) != 64 || secret == b.WebhookSecret {
			t.Fatalf("rotate = %q, %v", secret, err)
		}
		if got, _ := db.Store.GetBot(ctx, b.ID); got.WebhookSecret != secret {
			t.Fatal("the new secret is not the one stored")
		}
		if _, err := db.Store.RotateBotSecret(ctx, "nope"); err == nil {
			t.Fatal("rotated a missing bot")
		}
	})
}
