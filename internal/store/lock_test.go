package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// restricted are DESIGN.md's five actions the processing lock refuses,
// each tried by the conversation's new assignee (or a supervisor).
func restricted(w *World) map[string]func(id string) error {
	ana, sup := w.As(w.Agent), w.As(w.Supervisor)
	return map[string]func(id string) error{
		"send": func(id string) error { _, err := w.S.Send(w.Ctx, ana, id, store.SendInput{Text: "hi"}); return err },
		"transfer to agent": func(id string) error {
			_, err := w.S.Transfer(w.Ctx, ana, id, store.TransferInput{AgentID: w.Agent2.ID, ReasonID: w.Reason.ID})
			return err
		},
		"transfer to team": func(id string) error {
			_, err := w.S.Transfer(w.Ctx, sup, id, store.TransferInput{TeamID: w.Support.ID, ReasonID: w.Reason.ID})
			return err
		},
		"block":      func(id string) error { _, err := w.S.BlockContact(w.Ctx, ana, id); return err },
		"resolve":    func(id string) error { _, err := w.S.Resolve(w.Ctx, sup, id); return err },
		"add tag":    func(id string) error { _, err := w.S.AddTag(w.Ctx, ana, id, w.Tag.ID); return err },
		"remove tag": func(id string) error { _, err := w.S.RemoveTag(w.Ctx, ana, id, w.Tag.ID); return err },
	}
}

// wantAllLocked fails unless every restricted action is refused on id with
// conversation_locked, changing nothing.
func wantAllLocked(t *testing.T, w *World, id string, retry time.Duration) {
	t.Helper()
	before := w.snapshot(id)
	for name, do := range restricted(w) {
		if de := wantLocked(t, do(id)); de.RetryAfter != retry {
			t.Fatalf("%s: retry after %v, want %v", name, de.RetryAfter, retry)
		}
	}
	if after := w.snapshot(id); after.Events != before.Events || len(after.Messages) != len(before.Messages) {
		t.Fatalf("refused actions changed the conversation")
	}
}

// heldSender blocks every delivery for one conversation ("" for all)
// until released, telling started about each one it holds; it delivers
// the others at once.
type heldSender struct {
	conv    string
	started chan store.Delivery
	release chan struct{}
	once    sync.Once
}

func newHeldSender(convID string) *heldSender {
	return &heldSender{conv: convID, started: make(chan store.Delivery, 16), release: make(chan struct{})}
}

// Release lets every held and later delivery through.
func (h *heldSender) Release() { h.once.Do(func() { close(h.release) }) }

func (h *heldSender) Send(ctx context.Context, d store.Delivery) (string, error) {
	if h.conv != "" && d.Conversation.ID != h.conv {
		return "ext-" + d.Item.ID, nil
	}
	h.started <- d
	select {
	case <-h.release:
		return "ext-" + d.Item.ID, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// drainInBackground runs an outbox worker with sender; the returned
// channel closes when it has delivered everything due. release, run at
// cleanup before waiting for the worker, unblocks the sender so a failing
// test never leaves the worker on a closed store.
func drainInBackground(t *testing.T, w *World, sender jobs.Sender, release func()) <-chan struct{} {
	done := make(chan struct{})
	t.Cleanup(func() { release(); <-done })
	go func() {
		defer close(done)
		if err := NewOutbox(w.S, sender).Drain(context.Background()); err != nil {
			t.Errorf("drain: %v", err)
		}
	}()
	return done
}

func TestLockRefusesRestrictedActionsUntilTheNoticeIsDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		others := map[string]string{} // action → a conversation of its own
		for name := range restricted(w) {
			others[name] = w.InPhase(desk.PhaseHuman).ID
		}
		c := w.InPhase(desk.PhaseWaiting)
		w.Deliver() // the queued notice: only the hand-over's work is left
		got := w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		if got.LockedUntil == nil || !got.LockedUntil.Equal(db.Clock.Now().Add(30*time.Second)) {
			t.Fatalf("locked until %v, want now + 30 s", got.LockedUntil)
		}
		db.Clock.Advance(2 * time.Second)
		wantAllLocked(t, w, c.ID, 28*time.Second)

		// Reading, notes, read state and every other conversation stay free.
		ana := w.As(w.Agent)
		if _, err := w.S.AddNote(w.Ctx, ana, c.ID, "customer is upset"); err != nil {
			t.Fatalf("note during the lock: %v", err)
		}
		if _, err := w.S.MarkRead(w.Ctx, ana, c.ID); err != nil {
			t.Fatalf("mark read during the lock: %v", err)
		}
		if _, err := w.S.ListMessages(w.Ctx, ana, c.ID, store.MessagePage{Limit: 50}); err != nil {
			t.Fatalf("read during the lock: %v", err)
		}
		for name, do := range restricted(w) {
			if err := do(others[name]); err != nil {
				t.Fatalf("%s on another conversation: %v", name, err)
			}
		}

		// The notice is on its way: held back, the lock holds.
		h := newHeldSender(c.ID)
		done := drainInBackground(t, w, h, h.Release)
		d := <-h.started
		if d.Message == nil || d.Message.Text != "You are being transferred to Agent Ana" {
			t.Fatalf("delivering %+v, want the assigned notice", d.Message)
		}
		wantAllLocked(t, w, c.ID, 28*time.Second)
		seq := w.Get(c.ID).Seq

		// Delivered: the lock ends at once, not at its deadline.
		h.Release()
		<-done
		after := w.Get(c.ID)
		if after.LockedUntil != nil {
			t.Fatalf("locked until %v after the notice was delivered", after.LockedUntil)
		}
		evs := w.Events(c.ID)
		if last := evs[len(evs)-1]; last.Type != desk.ChangeConversation || last.Seq <= seq || last.Seq != after.Seq {
			t.Fatalf("last feed entry %+v (seq before %d), want conversation.updated", last, seq)
		}
		for _, name := range []string{"add tag", "remove tag", "send", "transfer to agent"} {
			if err := restricted(w)[name](c.ID); err != nil {
				t.Fatalf("%s after the lock: %v", name, err)
			}
		}
	})
}

func TestLockEndsAtLockMaxWhenTheSenderIsStuck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseWaiting)
		w.Deliver()
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		h := newHeldSender("")
		drainInBackground(t, w, h, h.Release)
		<-h.started // and never released while the test runs

		db.Clock.Advance(29 * time.Second)
		wantAllLocked(t, w, c.ID, time.Second)
		if closed, unlocked, err := w.S.Sweep(w.Ctx); err != nil || closed+unlocked != 0 {
			t.Fatalf("sweep before the deadline: %d closed, %d unlocked, %v", closed, unlocked, err)
		}

		db.Clock.Advance(1001 * time.Millisecond)
		if got := w.Get(c.ID); got.LockedUntil != nil {
			t.Fatalf("locked until %v past --lock-max", got.LockedUntil)
		}
		if err := restricted(w)["add tag"](c.ID); err != nil {
			t.Fatalf("tag past --lock-max: %v", err)
		}
		// The sweeper clears the column too, once, and announces it.
		seq := w.Get(c.ID).Seq
		if closed, unlocked, err := w.S.Sweep(w.Ctx); err != nil || closed != 0 || unlocked != 1 {
			t.Fatalf("sweep: %d closed, %d unlocked, %v; want 1 unlocked", closed, unlocked, err)
		}
		evs := w.Events(c.ID)
		if last := evs[len(evs)-1]; last.Type != desk.ChangeConversation || last.Seq != seq+1 {
			t.Fatalf("last feed entry %+v, want conversation.updated at %d", last, seq+1)
		}
		if _, unlocked, _ := w.S.Sweep(w.Ctx); unlocked != 0 {
			t.Fatalf("second sweep unlocked %d again", unlocked)
		}
	})
}

func TestLockEndsAtLockMaxWhenDeliveryKeepsFailing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseWaiting)
		w.Deliver()
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		down := jobs.SenderFunc(func(context.Context, store.Delivery) (string, error) {
			return "", errors.New("503 from the channel")
		})
		for range 3 { // retried, never delivered
			if err := NewOutbox(w.S, down).Drain(w.Ctx); err != nil {
				t.Fatal(err)
			}
			db.Clock.Advance(9 * time.Second)
		}
		wantAllLocked(t, w, c.ID, 3*time.Second)
		notice := w.Last(c.ID, 1)[0]
		if notice.Status != desk.StatusPending {
			t.Fatalf("notice %+v, want still pending while retried", notice)
		}
		db.Clock.Advance(3 * time.Second)
		if err := restricted(w)["send"](c.ID); err != nil {
			t.Fatalf("send past --lock-max: %v", err)
		}
	})
}

func TestLockEndsWhenDeliveryFailsForGood(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseWaiting)
		w.Deliver()
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		refused := jobs.SenderFunc(func(context.Context, store.Delivery) (string, error) {
			return "", jobs.Permanent(errors.New("recipient unknown"))
		})
		if err := NewOutbox(w.S, refused).Drain(w.Ctx); err != nil {
			t.Fatal(err)
		}
		if got := w.Get(c.ID); got.LockedUntil != nil {
			t.Fatalf("locked until %v after the notice failed for good", got.LockedUntil)
		}
		for _, m := range w.Messages(c.ID) {
			if m.Text == "You are being transferred to Agent Ana" && (m.Status != desk.StatusFailed || deref(m.Error) != "recipient unknown") {
				t.Fatalf("notice %+v, want failed with the reason", m)
			}
		}
	})
}

func TestTransferAndTakeoverStartTheLockToo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		for name, start := range map[string]func() string{
			"takeover": func() string {
				c := w.InPhase(desk.PhaseBot)
				w.Deliver()
				w.Check(w.S.Assign(w.Ctx, w.As(w.Supervisor), c.ID, store.AssignInput{}))
				return c.ID
			},
			"transfer to agent": func() string {
				c := w.InPhase(desk.PhaseHuman)
				w.Check(w.S.Transfer(w.Ctx, w.As(w.Agent), c.ID, store.TransferInput{AgentID: w.Agent2.ID, ReasonID: w.Reason.ID}))
				return c.ID
			},
			"transfer to team": func() string {
				c := w.InPhase(desk.PhaseHuman)
				w.Check(w.S.Transfer(w.Ctx, w.As(w.Agent), c.ID, store.TransferInput{TeamID: w.Sales.ID, ReasonID: w.Reason.ID}))
				return c.ID
			},
		} {
			t.Run(name, func(t *testing.T) {
				w.T = t
				id := start()
				wantLocked(t, restricted(w)["resolve"](id))
				if n := w.Deliver(); n == 0 {
					t.Fatal("nothing to deliver")
				}
				if got := w.Get(id); got.LockedUntil != nil {
					t.Fatalf("still locked after delivery: %+v", got)
				}
			})
		}
	})
}

// TestLockWaitsForTheNoticeAndTheBotEvent: with an external bot, the
// hand-over is processed when the customer has been told AND the bot has.
func TestLockWaitsForTheNoticeAndTheBotEvent(t *testing.T) {
	var noticeSent chan struct{}
	var mu sync.Mutex
	var noticeID string
	opt := func(o *store.Options) {
		o.OnCommit = func(ch []desk.Change) {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range ch {
				if c.Type == desk.ChangeMessageUpdated && noticeID != "" && c.MessageID == noticeID {
					close(noticeSent)
					noticeID = ""
				}
			}
		}
	}
	EachWithOptions(t, opt, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{WebhookURL: "http://bot.invalid/hook"})
		c := w.InPhase(desk.PhaseWaiting)
		w.Deliver()
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		kinds, locks := map[string]int{}, map[string]bool{}
		for _, r := range w.Outbox(c.ID) {
			if r.Status == "pending" {
				kinds[r.Kind]++
				locks[r.LockID] = true
			}
		}
		if kinds[store.OutboxMessage] != 1 || kinds[store.OutboxBotEvent] != 1 || len(locks) != 1 || locks[""] {
			t.Fatalf("pending outbox %v with locks %v, want the notice and the bot event of one lock", kinds, locks)
		}
		mu.Lock()
		noticeSent, noticeID = make(chan struct{}), w.Last(c.ID, 1)[0].ID
		mu.Unlock()

		// The notice goes out; the bot's webhook hangs.
		h := newHeldSender(c.ID)
		sender := jobs.SenderFunc(func(ctx context.Context, d store.Delivery) (string, error) {
			if d.Item.Kind == store.OutboxBotEvent {
				return h.Send(ctx, d)
			}
			return "ok", nil
		})
		done := drainInBackground(t, w, sender, h.Release)
		<-noticeSent
		wantAllLocked(t, w, c.ID, 30*time.Second)
		h.Release()
		<-done
		if got := w.Get(c.ID); got.LockedUntil != nil {
			t.Fatalf("still locked after the notice and the bot event: %+v", got)
		}
	})
}
