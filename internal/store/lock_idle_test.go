package store_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Outside the WhatsApp window no free-text notice can go out, so an
// assignment queues nothing to wait for: the lock must not hold for
// lock-max with nothing to process.
func TestAssignOutsideTheWindowSendsNoNoticeAndHoldsNoLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		now := db.Clock.Now()
		res, err := w.S.Inbound(w.Ctx, w.WhatsApp.ID, store.InboundContact{ExternalID: "5599"},
			store.InboundMessage{ExternalID: "wamid.late", Text: "hi", SentAt: now.Add(-25 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		w.Check(w.S.Handover(w.Ctx, w.BotActor(), res.ConversationID, store.HandoverInput{}))
		c := w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), res.ConversationID, store.AssignInput{}))
		if c.LockedUntil != nil {
			t.Fatalf("locked until %v with nothing to deliver", c.LockedUntil)
		}
		msgs, err := w.S.ListMessages(w.Ctx, w.As(w.Agent), c.ID, store.MessagePage{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Author.Type == desk.AuthorSystem && m.Kind == desk.KindText {
				t.Fatalf("a free-text notice was queued outside the window: %q", m.Text)
			}
		}
		// Free text stays refused until the customer writes again.
		_, err = w.S.Send(w.Ctx, w.As(w.Agent), c.ID, store.SendInput{Text: "hello"})
		wantCode(t, err, desk.CodeWindowClosed)
	})
}
