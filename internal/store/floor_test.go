package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The queue health figures on the fake clock: longest wait, waits over
// the threshold, agents online against their max_chats, and each team's
// median wait over the last hour; bot B's queue never counts for bot A.
func TestQueueHealthFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		chA, chB := w.channel(a, "api A"), w.channel(b, "api B")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		sue := w.user("Sue", desk.RoleSupervisor, a)
		bob := w.user("Bob", desk.RoleAgent, b)
		w.seed().Status(bea, desk.StatusPaused, "lunch")
		sales, support, bTeam := w.team("Sales", a, ana), w.team("Support", a, bea), w.team("B team", b, bob)

		// 80 minutes before the figures: a wait that ended too long ago to count.
		w.open(chA, "old", desk.PhaseHuman, ana, &sales)
		w.advance(40 * time.Minute)
		// Sales: waits of 60 s and 180 s, both assigned within the hour.
		s1 := w.sayAs(chA, "s1", "hi")
		w.handover(s1, &sales)
		w.advance(60 * time.Second)
		w.assign(ana, s1)
		s2 := w.sayAs(chA, "s2", "hi")
		w.handover(s2, &sales)
		w.advance(180 * time.Second)
		w.assign(ana, s2)
		// A takeover from the bot never queued: no sample.
		w.assign(sue, w.sayAs(chA, "bot", "hi"))
		w.advance(20 * time.Minute)
		// Waiting now: 400 s, 100 s on bot A; 1000 s on bot B.
		w.open(chB, "b1", desk.PhaseWaiting, bob, &bTeam)
		w.advance(600 * time.Second)
		w.open(chA, "w1", desk.PhaseWaiting, ana, &support)
		w.advance(300 * time.Second)
		w.open(chA, "w2", desk.PhaseWaiting, ana, nil)
		w.advance(100 * time.Second)

		h, err := w.s.QueueHealth(w.ctx, []string{a.ID}, 300*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		ag, err := w.s.GetUser(w.ctx, ana.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h.LongestWaitSeconds != 400 || h.WaitingOverThreshold != 1 || h.ThresholdSeconds != 300 {
			t.Errorf("longest %d, over %d of %d s; want 400, 1 of 300", h.LongestWaitSeconds, h.WaitingOverThreshold, h.ThresholdSeconds)
		}
		if h.AgentsOnline != 1 || h.OnlineCapacity != ag.MaxChats {
			t.Errorf("online %d with capacity %d; want Ana alone with %d", h.AgentsOnline, h.OnlineCapacity, ag.MaxChats)
		}
		got := map[string]any{}
		for _, tw := range h.Teams {
			if tw.MedianWaitSeconds == nil {
				got[tw.Name] = tw.Samples
			} else {
				got[tw.Name] = *tw.MedianWaitSeconds
			}
		}
		if want := map[string]any{"Sales": 120.0, "Support": 0}; !reflect.DeepEqual(got, want) {
			t.Errorf("teams' median waits %v, want %v", got, want)
		}

		all, err := w.s.QueueHealth(w.ctx, nil, 500*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if all.LongestWaitSeconds != 1000 || all.WaitingOverThreshold != 1 || all.AgentsOnline != 2 || len(all.Teams) != 3 {
			t.Errorf("every bot: %+v", all)
		}
		none, err := w.s.QueueHealth(w.ctx, []string{}, time.Minute)
		if err != nil || none.LongestWaitSeconds != 0 || len(none.Teams) != 0 {
			t.Errorf("no bots: %+v, %v", none, err)
		}
	})
}

// Preferences are per user: one supervisor's hidden list leaves another's
// empty, and a PUT replaces the whole list.
func TestMonitorPreferencesArePerUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ana, sue, sam := w.user("Ana", desk.RoleAgent, a), w.user("Sue", desk.RoleSupervisor, a), w.user("Sam", desk.RoleSupervisor, a)
		sales := w.team("Sales", a, ana)
		p := desk.MonitorPreferences{HiddenAgentIDs: []string{ana.ID}, HiddenTeamIDs: []string{sales.ID}, WaitingThresholdSeconds: 60}
		if got, err := w.s.SetMonitorPreferences(w.ctx, sue.ID, p); err != nil || !reflect.DeepEqual(got, p) {
			t.Fatalf("set: %+v, %v", got, err)
		}
		empty := desk.MonitorPreferences{HiddenAgentIDs: []string{}, HiddenTeamIDs: []string{}, WaitingThresholdSeconds: desk.DefaultWaitingThreshold}
		if got, err := w.s.MonitorPreferences(w.ctx, sam.ID); err != nil || !reflect.DeepEqual(got, empty) {
			t.Errorf("another supervisor's preferences: %+v, %v", got, err)
		}
		p2 := desk.MonitorPreferences{HiddenAgentIDs: []string{}, HiddenTeamIDs: []string{sales.ID}, WaitingThresholdSeconds: 60}
		if got, err := w.s.SetMonitorPreferences(w.ctx, sue.ID, p2); err != nil || !reflect.DeepEqual(got, p2) {
			t.Errorf("replace: %+v, %v", got, err)
		}
	})
}
