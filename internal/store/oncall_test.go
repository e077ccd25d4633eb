package store_test

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The floor's "on a call" is an accepted call only: not while it rings,
// not once it ended, and never for an agent who is not on it.
func TestMonitorShowsWhoIsOnACall(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := callWorld(t, db)
		onCall := func(when string, want bool) {
			t.Helper()
			m, err := w.S.Monitor(w.Ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range m.Agents {
				if got := a.OnCall; a.ID == w.Agent.ID && got != want || a.ID != w.Agent.ID && got {
					t.Errorf("%s: %s on_call = %v", when, a.Name, got)
				}
			}
		}
		onCall("no call", false)
		conv := w.InPhase(desk.PhaseHuman)
		c, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: conv.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio, Node: "n1"})
		if err != nil {
			t.Fatal(err)
		}
		onCall("ringing", false)
		party := store.CallMove{CallID: c.ID, By: desk.PartyCustomer, ConversationID: conv.ID}
		accept, hangup := party, party
		accept.Act, hangup.Act = desk.ActAccept, desk.ActHangup
		if _, err := w.S.MoveCall(w.Ctx, accept); err != nil {
			t.Fatal(err)
		}
		onCall("accepted", true)
		if _, err := w.S.MoveCall(w.Ctx, hangup); err != nil {
			t.Fatal(err)
		}
		onCall("ended", false)
	})
}
