package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestPauseAgentRefusedWhileItHasHumanConversations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana := w.user("Ana", desk.RoleAgent, a)
		sales := w.team("Sales", a, ana)
		id := w.open(ch, "Carla", desk.PhaseHuman, ana, nil)
		// Waiting work for its team does not hold an agent back.
		w.open(ch, "Dora", desk.PhaseWaiting, ana, &sales)
		_, err := w.s.PauseAgent(w.ctx, ana.ID, "lunch")
		wantCode(t, err, desk.CodeAgentHasOpenSessions)
		if u, _ := w.s.GetUser(w.ctx, ana.ID); u.Status != desk.StatusOnline || u.PauseReason != "" {
			t.Fatalf("after a refused pause: status %s reason %q", u.Status, u.PauseReason)
		}
		w.resolve(ana, id)
		u, err := w.s.PauseAgent(w.ctx, ana.ID, " lunch ")
		if err != nil || u.Status != desk.StatusPaused || u.PauseReason != "lunch" {
			t.Fatalf("PauseAgent = %s %q, %v", u.Status, u.PauseReason, err)
		}
		_, err = w.s.PauseAgent(w.ctx, "missing", "")
		wantCode(t, err, desk.CodeNotFound)
		_, err = w.s.PauseAgent(w.ctx, ana.ID, strings.Repeat("x", 201))
		wantInvalid(t, err, "pause_reason")
	})
}

func TestSetStatusKeepsPauseReasonOnlyWhilePaused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		ana := w.user("Ana", desk.RoleAgent, w.bot("A"))
		u, err := w.s.SetStatus(w.ctx, ana.ID, desk.StatusPaused, " Training ")
		if err != nil || u.Status != desk.StatusPaused || u.PauseReason != "Training" {
			t.Fatalf("SetStatus paused = %s %q, %v", u.Status, u.PauseReason, err)
		}
		if u, err = w.s.SetStatus(w.ctx, ana.ID, desk.StatusOnline, "ignored"); err != nil || u.Status != desk.StatusOnline || u.PauseReason != "" {
			t.Fatalf("SetStatus online = %s %q, %v", u.Status, u.PauseReason, err)
		}
		_, err = w.s.SetStatus(w.ctx, ana.ID, "away", "")
		wantInvalid(t, err, "status")
		_, err = w.s.SetStatus(w.ctx, ana.ID, desk.StatusPaused, strings.Repeat("é", 201))
		wantInvalid(t, err, "pause_reason")
		_, err = w.s.SetStatus(w.ctx, "missing", desk.StatusOnline, "")
		wantCode(t, err, desk.CodeNotFound)
		if u, _ := w.s.GetUser(w.ctx, ana.ID); u.Status != desk.StatusOnline {
			t.Errorf("refused changes left status %s", u.Status)
		}
	})
}

func TestLogoutAgentEndsItsSessionsAndSetsItOffline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		// At any time: even with a conversation open.
		w.open(w.channel(a, "api"), "Carla", desk.PhaseHuman, ana, nil)
		for _, s := range []struct{ user, hash string }{{ana.ID, "ana-1"}, {ana.ID, "ana-2"}, {bea.ID, "bea-1"}} {
			if err := w.s.CreateSession(w.ctx, s.user, s.hash, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		u, err := w.s.LogoutAgent(w.ctx, ana.ID)
		if err != nil || u.Status != desk.StatusOffline {
			t.Fatalf("LogoutAgent = %s, %v", u.Status, err)
		}
		for _, h := range []string{"ana-1", "ana-2"} {
			_, err := w.s.UserBySession(w.ctx, h)
			wantCode(t, err, desk.CodeUnauthenticated)
		}
		if got, err := w.s.UserBySession(w.ctx, "bea-1"); err != nil || got.ID != bea.ID {
			t.Errorf("Bea's session = %v, %v", got.ID, err)
		}
		_, err = w.s.LogoutAgent(w.ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}
