package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// race runs every fn at once (released together from a barrier) and
// returns their errors in order.
func race(fns ...func() error) []error {
	errs := make([]error, len(fns))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// TestFiftyAgentsRaceForHundredConversations is the compare-and-set under
// fire: for each of 100 queued conversations, 50 online agents press
// "assign to me" at once. Exactly one wins each; the 49 others get a clean
// already_assigned, never another error, never a second assignee.
func TestFiftyAgentsRaceForHundredConversations(t *testing.T) {
	const agents, convs, batch = 50, 100, 10
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{NoFlow: true})
		actors := make([]desk.Actor, agents)
		for i := range actors {
			actors[i] = w.As(w.NewUser(fmt.Sprintf("Agent %02d", i), desk.RoleAgent, desk.StatusOnline, w.Bot.ID))
		}
		ids := make([]string, convs)
		for i := range ids {
			ids[i] = w.InPhase(desk.PhaseWaiting).ID
		}
		// Conversations race in batches: every goroutine of a batch waits at
		// one barrier, 50 per conversation, so each conversation sees all 50
		// at once while the batch keeps the connection pool busy.
		for b := 0; b < convs; b += batch {
			var fns []func() error
			for _, id := range ids[b : b+batch] {
				for _, a := range actors {
					fns = append(fns, func() error { _, err := w.S.Assign(w.Ctx, a, id, store.AssignInput{}); return err })
				}
			}
			errs := race(fns...)
			for k, id := range ids[b : b+batch] {
				checkOneWinner(t, w, id, actors, errs[k*agents:(k+1)*agents])
			}
		}
	})
}

// checkOneWinner checks the outcome of agents racing to assign id: errs[i]
// is what actors[i] got.
func checkOneWinner(t *testing.T, w *World, id string, actors []desk.Actor, errs []error) {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("conversation %s assigned to %d and %d", id, winner, i)
		case err == nil:
			winner = i
		case desk.ErrorCode(err) != desk.CodeAlreadyAssigned:
			t.Fatalf("conversation %s: loser %d got %v, want already_assigned", id, i, err)
		}
	}
	if winner < 0 {
		t.Fatalf("conversation %s: nobody won", id)
	}
	c := w.Get(id)
	if c.Phase != desk.PhaseHuman || deref(c.AssigneeID) != actors[winner].User.ID {
		t.Fatalf("conversation %s: %+v, want assigned to %s", id, c, actors[winner].User.Name)
	}
	assigned := 0
	for _, m := range w.Messages(id) {
		if m.Event != nil && m.Event.Type == desk.EventAssigned {
			assigned++
		}
	}
	if assigned != 1 {
		t.Fatalf("conversation %s has %d assigned events", id, assigned)
	}
}

// TestRacingLifecycleActionsHaveOneWinner races two actions on one
// conversation many times over: exactly one succeeds, and the other is
// refused with a clean code of the state that won, never an internal
// error. Winning transfers start the processing lock, so a loser that
// arrives after one is refused with conversation_locked (423), as the lock
// promises; every other loser gets a 409.
func TestRacingLifecycleActionsHaveOneWinner(t *testing.T) {
	const rounds = 10
	clean := map[desk.Code]bool{desk.CodeConflict: true, desk.CodeInvalidPhase: true, desk.CodeConversationLocked: true}
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		sup, admin := w.As(w.Supervisor), w.As(w.Admin)
		transferTo := func(a desk.Actor, in store.TransferInput) func(id string) func() error {
			return func(id string) func() error {
				return func() error { _, err := w.S.Transfer(w.Ctx, a, id, in); return err }
			}
		}
		resolveBy := func(a desk.Actor) func(id string) func() error {
			return func(id string) func() error {
				return func() error { _, err := w.S.Resolve(w.Ctx, a, id); return err }
			}
		}
		for _, tc := range []struct {
			name string
			a, b func(id string) func() error
		}{
			{"resolve against resolve", resolveBy(sup), resolveBy(admin)},
			{"transfer against resolve", transferTo(sup, store.TransferInput{TeamID: w.Support.ID, ReasonID: w.Reason.ID}), resolveBy(admin)},
			{"transfer against transfer", transferTo(sup, store.TransferInput{AgentID: w.Agent2.ID, ReasonID: w.Reason.ID}),
				transferTo(admin, store.TransferInput{TeamID: w.Sales.ID, ReasonID: w.Reason.ID})},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w.T = t
				for range rounds {
					id := w.InPhase(desk.PhaseHuman).ID
					before := w.Get(id)
					errs := race(tc.a(id), tc.b(id))
					if (errs[0] == nil) == (errs[1] == nil) {
						t.Fatalf("results %v: want exactly one winner", errs)
					}
					lost := errs[0]
					if lost == nil {
						lost = errs[1]
					}
					if !clean[desk.ErrorCode(lost)] {
						t.Fatalf("loser got %v, want a 409 (or 423 behind a winning transfer)", lost)
					}
					if after := w.Get(id); after.Phase == before.Phase && deref(after.AssigneeID) == deref(before.AssigneeID) {
						t.Fatalf("nobody's change stuck: %+v", after)
					}
				}
			})
		}
	})
}
