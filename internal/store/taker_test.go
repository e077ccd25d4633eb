package store_test

import (
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// An offline auditor (or paused supervisor) who takes a conversation holds
// a live customer: the take sets them online in the same transaction and
// announces it as agent.status, like any status change.
func TestTakingAConversationPutsTheTakerOnline(t *testing.T) {
	var mu sync.Mutex
	var got []desk.Change
	EachWithOptions(t, func(o *store.Options) {
		o.OnCommit = func(cs []desk.Change) {
			mu.Lock()
			got = append(got, cs...)
			mu.Unlock()
		}
	}, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		auditor := w.NewUser("Olga", desk.RoleAuditor, desk.StatusOffline, w.Bot.ID)
		boss := w.NewUser("Paz", desk.RoleSupervisor, desk.StatusPaused, w.Bot.ID)
		for _, tc := range []struct {
			who   desk.User
			phase desk.Phase
		}{{auditor, desk.PhaseBot}, {boss, desk.PhaseWaiting}} {
			c := w.InPhase(tc.phase)
			mu.Lock()
			got = nil
			mu.Unlock()
			w.Check(w.S.Assign(w.Ctx, w.As(tc.who), c.ID, store.AssignInput{}))
			u, err := w.S.GetUser(w.Ctx, tc.who.ID)
			if err != nil {
				t.Fatal(err)
			}
			if u.Status != desk.StatusOnline || u.PauseReason != "" {
				t.Fatalf("%s took a %s conversation and is %s (%q), want online", u.Name, tc.phase, u.Status, u.PauseReason)
			}
			mu.Lock()
			announced := 0
			for _, ch := range got {
				if ch.Type == desk.ChangeAgentStatus && ch.UserID == tc.who.ID {
					announced++
				}
			}
			mu.Unlock()
			if announced != 1 {
				t.Fatalf("%s: %d agent.status changes announced, want 1", u.Name, announced)
			}
		}

		// Already online: nothing to announce. Given by a supervisor: the
		// target must be online already, and stays as it is.
		c := w.InPhase(desk.PhaseWaiting)
		mu.Lock()
		got = nil
		mu.Unlock()
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		mu.Lock()
		for _, ch := range got {
			if ch.Type == desk.ChangeAgentStatus {
				t.Fatalf("an online agent's take announced %+v", ch)
			}
		}
		mu.Unlock()
		offline := w.NewUser("Rui", desk.RoleAuditor, desk.StatusOffline, w.Bot.ID)
		c = w.InPhase(desk.PhaseWaiting)
		_, err := w.S.Assign(w.Ctx, w.As(w.Supervisor), c.ID, store.AssignInput{AgentID: offline.ID})
		wantCode(t, err, desk.CodeAgentUnavailable)

		// A take that loses changes nobody's status: the status change is
		// part of the take's transaction.
		late := w.NewUser("Sol", desk.RoleAuditor, desk.StatusOffline, w.Bot.ID)
		_, err = w.S.Assign(w.Ctx, w.As(late), c.ID, store.AssignInput{})
		if err != nil {
			t.Fatalf("a free conversation: %v", err)
		}
		loser := w.NewUser("Tao", desk.RoleAuditor, desk.StatusOffline, w.Bot.ID)
		_, err = w.S.Assign(w.Ctx, w.As(loser), c.ID, store.AssignInput{})
		wantCode(t, err, desk.CodeAlreadyAssigned)
		if u, _ := w.S.GetUser(w.Ctx, loser.ID); u.Status != desk.StatusOffline {
			t.Fatalf("the loser of the take is %s, want offline", u.Status)
		}
	})
}
