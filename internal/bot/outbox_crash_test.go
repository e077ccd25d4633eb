package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The outbox promises at-least-once delivery across crashes: a worker
// killed mid-delivery leaves its claims to expire, a new node delivers
// them again, and the receiver, deduplicating by event id, sees every
// event exactly once.
func TestOutboxKilledMidDeliveryDeliversEverythingOnceAfterRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newExternal(t, db)
		hung, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		var hungID string
		e.rc.react = func(d delivery) int {
			first := false
			once.Do(func() { first = true })
			if first {
				hungID = d.HeaderID
				close(hung)
				<-release // the receiver has the event; Relevo never hears back
			}
			return http.StatusOK
		}
		defer func() {
			select {
			case <-release:
			default:
				close(release)
			}
		}()
		const conversations = 6
		for i := range conversations {
			res, err := e.s.Inbound(e.ctx, e.ch.ID, store.InboundContact{ExternalID: fmt.Sprintf("c%d", i)},
				store.InboundMessage{ExternalID: fmt.Sprintf("m%d", i), Text: "hello"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.s.Handover(e.ctx, desk.Actor{Integration: true, BotID: e.bot.ID}, res.ConversationID, store.HandoverInput{}); err != nil {
				t.Fatal(err)
			}
		}
		// Per conversation: message.created, conversation.handover and the
		// queued notice.
		const items = 3 * conversations

		// The first node's worker dies while a delivery hangs.
		ctx, kill := context.WithCancel(context.Background())
		first := outbox(e.s, db, e.rc)
		first.Concurrency, first.Poll, first.Lease = 3, 10*time.Millisecond, time.Minute
		done := make(chan struct{})
		go func() { first.Run(ctx); close(done) }()
		<-hung
		kill()
		<-done
		close(release)
		if err := e.s.Close(); err != nil {
			t.Fatal(err)
		}

		// A new node on the same database, once the dead worker's claims
		// have run out.
		s2, err := store.Open(context.Background(), store.Options{DatabaseURL: db.URL, DataDir: db.Dir, Clock: db.Clock, LockMax: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		db.Clock.Advance(2 * time.Minute)
		second := outbox(s2, db, e.rc)
		for range 3 {
			if err := second.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			db.Clock.Advance(10 * time.Minute)
		}

		if got := len(e.rc.unique()); got != items {
			t.Fatalf("%d distinct events delivered, want %d", got, items)
		}
		seen := map[string]int{}
		for _, d := range e.rc.deliveries() {
			seen[d.HeaderID]++
		}
		// Only what was in flight when the worker died may come twice.
		twice := 0
		for id, n := range seen {
			if n > 2 {
				t.Errorf("event %s delivered %d times", id, n)
			}
			if n == 2 {
				twice++
			}
		}
		if twice > first.Concurrency {
			t.Errorf("%d events delivered twice; only %d were in flight", twice, first.Concurrency)
		}
		if seen[hungID] != 2 {
			t.Errorf("the event in flight when the worker died was delivered %d times, want 2 (the receiver dedupes)", seen[hungID])
		}
		pending, err := s2.NextOutboxDue(context.Background())
		if err != nil || pending != nil {
			t.Fatalf("work left in the outbox (next due %v, %v)", pending, err)
		}
	})
}
