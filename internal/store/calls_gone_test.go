package store_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// A customer gone ends its conversation's live call as desk's gone action
// says; an agent gone ends the calls no node renewed since it left, and
// not those another node renewed (a tab still open there, or a reconnect).
func TestCallsEndWhenAPartyGoesAway(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := callWorld(t, db)
		talk := w.InPhase(desk.PhaseHuman)
		c, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: talk.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.S.MoveCall(w.Ctx, store.CallMove{CallID: c.ID, Act: desk.ActAccept, By: desk.PartyCustomer, ConversationID: talk.ID}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(20 * time.Second)
		if n, err := w.S.EndCustomerGoneCall(w.Ctx, talk.ID); err != nil || n != 1 {
			t.Fatalf("customer gone: %d %v", n, err)
		}
		got, _ := w.S.GetCall(w.Ctx, c.ID)
		if got.State != desk.CallEnded || got.EndReason != desk.EndHangupCustomer || got.Duration() != 20 {
			t.Fatalf("call %+v, want ended by the customer after 20 s", got)
		}
		if evs := callEvents(t, w, talk.ID); evs[len(evs)-1].Type != desk.EventCallEnded {
			t.Fatalf("events %+v, want call_ended last", evs)
		}
		if n, err := w.S.EndCustomerGoneCall(w.Ctx, talk.ID); err != nil || n != 0 {
			t.Fatalf("nothing live: %d %v", n, err)
		}

		// The customer calls; the agent's tab closes at goneAt.
		ring, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: talk.ID, By: desk.PartyCustomer, Media: desk.MediaAudio})
		if err != nil {
			t.Fatal(err)
		}
		goneAt := db.Clock.Now()
		db.Clock.Advance(time.Second)
		// Another node still holds a tab of the agent and renews the call.
		if err := w.S.KeepCallsAlive(w.Ctx, []string{w.Agent.ID}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(25 * time.Second)
		if n, err := w.S.EndAgentGoneCalls(w.Ctx, w.Agent.ID, goneAt); err != nil || n != 0 {
			t.Fatalf("renewed call ended: %d %v", n, err)
		}
		// Now no node renews it.
		goneAt = db.Clock.Now()
		db.Clock.Advance(25 * time.Second)
		if n, err := w.S.EndAgentGoneCalls(w.Ctx, w.Agent2.ID, goneAt); err != nil || n != 0 {
			t.Fatalf("another agent's leaving ended the call: %d %v", n, err)
		}
		if n, err := w.S.EndAgentGoneCalls(w.Ctx, w.Agent.ID, goneAt); err != nil || n != 1 {
			t.Fatalf("agent gone: %d %v", n, err)
		}
		if got, _ := w.S.GetCall(w.Ctx, ring.ID); got.State != desk.CallMissed {
			t.Fatalf("call %+v, want missed: it rang for an agent who left", got)
		}
	})
}
