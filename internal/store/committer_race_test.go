package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// TestConcurrentWritersKeepCompareAndSetAndSeq mixes, from many goroutines
// at once, customer messages and agents racing to assign the same
// conversations: whatever batches the writes share (SQLite group commit)
// or however they interleave (PostgreSQL), each conversation gets exactly
// one owner, every acknowledged message is in its timeline, and its feed's
// seq runs 1, 2, 3… without a gap.
func TestConcurrentWritersKeepCompareAndSetAndSeq(t *testing.T) {
	const writers, rounds, convs = 16, 8, 8
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{NoFlow: true})
		agents := make([]desk.Actor, writers)
		for i := range agents {
			agents[i] = w.As(w.NewUser(fmt.Sprintf("Agent %02d", i), desk.RoleAgent, desk.StatusOnline, w.Bot.ID))
		}
		ids, contacts := make([]string, convs), make([]string, convs)
		for i := range ids {
			c := w.InPhase(desk.PhaseWaiting)
			ct, err := w.S.GetContact(w.Ctx, c.Contact.ID)
			if err != nil {
				t.Fatal(err)
			}
			ids[i], contacts[i] = c.ID, ct.ExternalID
		}
		var mu sync.Mutex
		owner := map[string][]int{} // conversation → writers whose assign succeeded
		said := map[string]int{}    // conversation → acknowledged customer messages
		var unexpected []error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for k := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for j := range rounds {
					c := (k + j) % convs
					_, err := w.S.Inbound(w.Ctx, w.API.ID, store.InboundContact{ExternalID: contacts[c]},
						store.InboundMessage{ExternalID: fmt.Sprintf("race-%d-%d", k, j), Text: "still there?"})
					mu.Lock()
					if err != nil {
						unexpected = append(unexpected, err)
					} else {
						said[ids[c]]++
					}
					mu.Unlock()
					a := (k*3 + j) % convs
					_, err = w.S.Assign(w.Ctx, agents[k], ids[a], store.AssignInput{})
					mu.Lock()
					switch {
					case err == nil:
						owner[ids[a]] = append(owner[ids[a]], k)
					case desk.ErrorCode(err) != desk.CodeAlreadyAssigned:
						unexpected = append(unexpected, err)
					}
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range unexpected {
			t.Errorf("unexpected error: %v", err)
		}
		for _, id := range ids {
			if len(owner[id]) != 1 {
				t.Errorf("conversation %s: assigned to writers %v, want exactly one", id, owner[id])
				continue
			}
			if c := w.Get(id); deref(c.AssigneeID) != agents[owner[id][0]].User.ID {
				t.Errorf("conversation %s: assignee %s, want writer %d's agent", id, deref(c.AssigneeID), owner[id][0])
			}
			customer, assigned := 0, 0
			for _, m := range w.Messages(id) {
				if m.Author.Type == desk.AuthorContact {
					customer++
				}
				if m.Event != nil && m.Event.Type == desk.EventAssigned {
					assigned++
				}
			}
			if customer != 1+said[id] || assigned != 1 {
				t.Errorf("conversation %s: %d customer messages (want %d), %d assigned events", id, customer, 1+said[id], assigned)
			}
			for i, e := range w.Events(id) {
				if e.Seq != int64(i+1) {
					t.Fatalf("conversation %s: feed seq %d at position %d: a gap or a repeat", id, e.Seq, i+1)
				}
			}
		}
	})
}
