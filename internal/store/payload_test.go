package store_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// A change carries what its transaction wrote: the conversation equals a
// read of it right after the commit (per-user read state aside, which
// frames leave out) and the message a read of the message. Writes here are
// mostly one at a time; a read that a later commit overtook is skipped.
func TestChangesCarryWhatTheTransactionWrote(t *testing.T) {
	var mu sync.Mutex
	var s *store.Store
	var got []desk.Change
	storetest.EachWithOptions(t, func(o *store.Options) {
		o.OnCommit = func(cs []desk.Change) {
			mu.Lock()
			defer mu.Unlock()
			if s == nil {
				return
			}
			for _, c := range cs {
				if c.ConversationID == "" {
					continue
				}
				if c.Conversation == nil {
					t.Errorf("%s of %s: no conversation attached", c.Type, c.ConversationID)
					continue
				}
				read, err := s.GetConversation(context.Background(), desk.SystemActor, c.ConversationID)
				if err != nil {
					t.Fatal(err)
				}
				if read.Seq != c.Conversation.Seq {
					// A later write (an outbox delivery on PostgreSQL, which
					// has no single committer) committed before this read.
					continue
				}
				read.UnreadCount, read.MarkedUnread = 0, false
				if a, b := jsonOf(t, *c.Conversation), jsonOf(t, read); a != b {
					t.Errorf("%s: conversation attached\n%s\nread back\n%s", c.Type, a, b)
				}
				if c.Type == desk.ChangeMessageCreated {
					m, err := s.GetMessage(context.Background(), c.MessageID)
					if err != nil {
						t.Fatal(err)
					}
					if c.Message == nil {
						t.Errorf("message.created %s: no message attached", c.MessageID)
					} else if a, b := jsonOf(t, *c.Message), jsonOf(t, m); a != b {
						t.Errorf("message attached\n%s\nread back\n%s", a, b)
					}
				}
				got = append(got, c)
			}
		}
	}, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		mu.Lock()
		s, got = db.Store, nil
		mu.Unlock()
		defer func() { mu.Lock(); s = nil; mu.Unlock() }()
		w := storetest.NewWorld(t, db, storetest.WorldOptions{})
		late := w.Seed().Tag(desk.Tag{Name: "late"})
		res := w.Inbound(w.API, "dana", "hello") // the flow answers from the outbox
		w.Deliver()
		w.Check(w.S.Handover(ctx, w.BotActor(), res.ConversationID, store.HandoverInput{}))
		as := w.As(w.Agent)
		w.Check(w.S.Assign(ctx, as, res.ConversationID, store.AssignInput{}))
		w.Deliver()
		w.Check(w.S.AddTag(ctx, as, res.ConversationID, w.Tag.ID))
		w.Check(w.S.AddTag(ctx, as, res.ConversationID, late.ID))
		if _, err := w.S.Send(ctx, as, res.ConversationID, store.SendInput{Text: "on it", ClientID: "c1",
			Buttons: []desk.Button{{ID: "y", Title: "Yes"}}}); err != nil {
			t.Fatal(err)
		}
		w.Deliver() // message.updated: sent
		w.Inbound(w.API, "dana", "thanks")
		if _, err := w.S.AddNote(ctx, as, res.ConversationID, "regular"); err != nil {
			t.Fatal(err)
		}
		w.Check(w.S.Transfer(ctx, as, res.ConversationID, store.TransferInput{TeamID: w.Support.ID, ReasonID: w.Reason.ID}))
		w.Check(w.S.Assign(ctx, w.As(w.Agent2), res.ConversationID, store.AssignInput{}))
		w.Deliver()
		w.Check(w.S.Resolve(ctx, w.As(w.Agent2), res.ConversationID))
		mu.Lock()
		defer mu.Unlock()
		if len(got) < 12 {
			t.Fatalf("%d conversation changes checked, want every write's", len(got))
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
