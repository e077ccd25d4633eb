package store_test

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The monitor's filters narrow the counters and the per-agent and
// per-team counts exactly like the conversation list narrows its rows.
func TestMonitorFiltersNarrowTheCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		chA, chA2, chB := w.channel(a, "api A"), w.channel(a, "api A2"), w.channel(b, "api B")
		ana, bea, bob := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a), w.user("Bob", desk.RoleAgent, b)
		sales, support := w.team("Sales", a, ana), w.team("Support", a, bea)
		bTeam := w.team("B team", b, bob)
		w.open(chA, "a1", desk.PhaseBot, ana, nil)
		w.open(chA, "a2", desk.PhaseWaiting, ana, &sales)
		w.open(chA2, "a3", desk.PhaseWaiting, ana, &support)
		a4 := w.open(chA, "a4", desk.PhaseHuman, ana, &sales)
		w.open(chA2, "a5", desk.PhaseHuman, bea, &support)
		w.open(chA, "a6", desk.PhaseClosed, ana, &sales)
		w.say(chA2, store.InboundContact{ExternalID: "maria", Name: "Maria Luiza de Santos Reis", Phone: "5535998765432"}, "oi")
		w.open(chB, "b1", desk.PhaseWaiting, bob, &bTeam)
		w.open(chB, "b2", desk.PhaseHuman, bob, &bTeam)
		c4, err := w.s.GetConversation(w.ctx, desk.SystemActor, a4)
		if err != nil || c4.Protocol == nil {
			t.Fatalf("a4 = %+v, %v; want a protocol", c4, err)
		}

		botA := []string{a.ID}
		for name, tc := range map[string]struct {
			scope []string
			f     desk.MonitorFilter
			want  store.Counters
		}{
			"none":               {botA, desk.MonitorFilter{}, store.Counters{Total: 6, Bot: 2, Waiting: 2, Human: 2}},
			"team Sales":         {botA, desk.MonitorFilter{TeamIDs: []string{sales.ID}}, store.Counters{Total: 2, Waiting: 1, Human: 1}},
			"two teams":          {botA, desk.MonitorFilter{TeamIDs: []string{sales.ID, support.ID}}, store.Counters{Total: 4, Waiting: 2, Human: 2}},
			"channel A2":         {botA, desk.MonitorFilter{ChannelIDs: []string{chA2.ID}}, store.Counters{Total: 3, Bot: 1, Waiting: 1, Human: 1}},
			"agent Ana":          {botA, desk.MonitorFilter{AssigneeIDs: []string{ana.ID}}, store.Counters{Total: 1, Human: 1}},
			"agents Ana and Bea": {botA, desk.MonitorFilter{AssigneeIDs: []string{ana.ID, bea.ID}}, store.Counters{Total: 2, Human: 2}},
			"contact by name":    {botA, desk.MonitorFilter{Contact: "Maria Luiza de Santos Reis"}, store.Counters{Total: 1, Bot: 1}},
			"contact by phone":   {botA, desk.MonitorFilter{Contact: "5535998765432"}, store.Counters{Total: 1, Bot: 1}},
			"contact not exact":  {botA, desk.MonitorFilter{Contact: "Maria"}, store.Counters{}},
			"protocol":           {botA, desk.MonitorFilter{Protocol: *c4.Protocol}, store.Counters{Total: 1, Human: 1}},
			"team and channel":   {botA, desk.MonitorFilter{TeamIDs: []string{support.ID}, ChannelIDs: []string{chA.ID}}, store.Counters{}},
			// A team of another bot matches nothing inside bot A's scope.
			"B's team in A":   {botA, desk.MonitorFilter{TeamIDs: []string{bTeam.ID}}, store.Counters{}},
			"every bot, team": {nil, desk.MonitorFilter{TeamIDs: []string{bTeam.ID, sales.ID}}, store.Counters{Total: 4, Waiting: 2, Human: 2}},
		} {
			m, err := w.s.MonitorFiltered(w.ctx, tc.scope, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if m.Counters != tc.want {
				t.Errorf("%s: counters = %+v, want %+v", name, m.Counters, tc.want)
			}
		}

		// The per-agent and per-team counts follow the filter; every agent
		// and team of the scope is still listed.
		m, err := w.s.MonitorFiltered(w.ctx, botA, desk.MonitorFilter{ChannelIDs: []string{chA2.ID}})
		if err != nil {
			t.Fatal(err)
		}
		open := map[string]int{}
		for _, ag := range m.Agents {
			open[ag.Name] = ag.Open
		}
		if open["Ana"] != 0 || open["Bea"] != 1 || len(m.Teams) != 2 {
			t.Errorf("channel A2: agents' open %v, teams %+v", open, m.Teams)
		}
		for _, tm := range m.Teams {
			if tm.ID == sales.ID && (tm.Waiting != 0 || tm.Human != 0) || tm.ID == support.ID && (tm.Waiting != 1 || tm.Human != 1) {
				t.Errorf("channel A2: team %+v", tm)
			}
		}
	})
}
