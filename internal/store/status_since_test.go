package store_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// status_since moves with every status change, in the same write: set
// status, pause and unpause, a taker going online, a supervisor's log-out,
// the presence sweeper; and stays put when the status does not change.
func TestStatusSinceMovesWithEveryStatusChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana := w.user("Ana", desk.RoleAgent, a)
		sup := w.user("Sol", desk.RoleSupervisor, a)
		since := func(id string) time.Time {
			t.Helper()
			u, err := w.s.GetUser(w.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return u.StatusSince
		}
		step := func(name, id string, change func() error, moves bool) {
			t.Helper()
			w.advance(time.Minute)
			before := since(id)
			if err := change(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got := since(id)
			if want := db.Clock.Now(); moves && !got.Equal(want) {
				t.Errorf("%s: status_since %v, want %v", name, got, want)
			}
			if !moves && !got.Equal(before) {
				t.Errorf("%s: status_since moved from %v to %v", name, before, got)
			}
		}
		if got := since(ana.ID); !got.Equal(db.Clock.Now()) {
			t.Errorf("a new user's status_since %v, want %v", got, db.Clock.Now())
		}
		set := func(id string, s desk.UserStatus, reason string) func() error {
			return func() error { _, err := w.s.SetStatus(w.ctx, id, s, reason); return err }
		}
		step("set paused", ana.ID, set(ana.ID, desk.StatusPaused, "lunch"), true)
		step("new pause reason", ana.ID, set(ana.ID, desk.StatusPaused, "training"), false)
		step("set online", ana.ID, set(ana.ID, desk.StatusOnline, ""), true)
		step("online again", ana.ID, set(ana.ID, desk.StatusOnline, ""), false)
		step("supervisor's pause", ana.ID, func() error { _, err := w.s.PauseAgent(w.ctx, ana.ID, ""); return err }, true)
		step("unpause", ana.ID, set(ana.ID, desk.StatusOnline, ""), true)
		step("supervisor's log-out", ana.ID, func() error { _, err := w.s.LogoutAgent(w.ctx, ana.ID); return err }, true)
		// A paused supervisor taking a conversation goes online with it.
		step("pause the supervisor", sup.ID, set(sup.ID, desk.StatusPaused, ""), true)
		id := w.open(ch, "Carla", desk.PhaseWaiting, ana, nil)
		step("taker goes online", sup.ID, func() error { w.assign(sup, id); return nil }, true)
		// The sweeper sets offline who has had no socket for the grace time.
		if err := w.s.TouchPresence(w.ctx, []string{sup.ID}); err != nil {
			t.Fatal(err)
		}
		step("presence sweep", sup.ID, func() error {
			n, err := w.s.SweepPresence(w.ctx, 30*time.Second)
			if err == nil && n != 1 {
				t.Errorf("swept %d users, want 1", n)
			}
			return err
		}, true)
		if u, _ := w.s.GetUser(w.ctx, sup.ID); u.Status != desk.StatusOffline {
			t.Errorf("after the sweep %s is %s", u.Name, u.Status)
		}
		// The monitor's agents carry it.
		m, err := w.s.Monitor(w.ctx, []string{a.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, al := range m.Agents {
			if al.ID == ana.ID && !al.StatusSince.Equal(since(ana.ID)) {
				t.Errorf("monitor's status_since %v, want %v", al.StatusSince, since(ana.ID))
			}
		}
	})
}
