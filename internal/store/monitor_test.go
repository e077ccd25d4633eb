package store_test

import (
	"reflect"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestMonitorCountsOpenConversationsByPhaseAgentAndTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		chA, chB := w.channel(a, "api A"), w.channel(b, "api B")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		bob, adm := w.user("Bob", desk.RoleAgent, b), w.user("Adm", desk.RoleAdmin)
		sales, support, bTeam := w.team("Sales", a, ana), w.team("Support", a, bea), w.team("B team", b, bob)
		w.open(chA, "a1", desk.PhaseBot, ana, nil)
		w.open(chA, "a2", desk.PhaseWaiting, ana, &sales)
		w.open(chA, "a3", desk.PhaseWaiting, ana, nil)
		w.open(chA, "a4", desk.PhaseHuman, ana, &sales)
		w.open(chA, "a5", desk.PhaseHuman, bea, nil)
		w.open(chA, "a6", desk.PhaseHuman, ana, nil)
		w.open(chA, "a7", desk.PhaseClosed, ana, &sales)
		w.open(chB, "b1", desk.PhaseWaiting, bob, &bTeam)
		w.open(chB, "b2", desk.PhaseHuman, bob, &bTeam)

		m, err := w.s.Monitor(w.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.Counters{Total: 8, Bot: 1, Waiting: 3, Human: 4}); m.Counters != want {
			t.Errorf("counters = %+v, want %+v", m.Counters, want)
		}
		open := map[string]int{}
		for _, ag := range m.Agents {
			open[ag.Name] = ag.Open
		}
		if want := map[string]int{"Adm": 0, "Ana": 2, "Bea": 1, "Bob": 1}; !reflect.DeepEqual(open, want) {
			t.Errorf("agents' open = %v, want %v", open, want)
		}
		teams := map[string][2]int{}
		for _, tm := range m.Teams {
			teams[tm.Name] = [2]int{tm.Waiting, tm.Human}
		}
		if want := map[string][2]int{"Sales": {1, 1}, "Support": {0, 0}, "B team": {1, 1}}; !reflect.DeepEqual(teams, want) {
			t.Errorf("teams' waiting, human = %v, want %v", teams, want)
		}

		// A supervisor of bot A sees bot A only: its members (admins belong
		// to every bot) and its teams.
		m, err = w.s.Monitor(w.ctx, []string{a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.Counters{Total: 6, Bot: 1, Waiting: 2, Human: 3}); m.Counters != want {
			t.Errorf("bot A counters = %+v, want %+v", m.Counters, want)
		}
		var agents, teamIDs []string
		for _, ag := range m.Agents {
			agents = append(agents, ag.ID)
		}
		for _, tm := range m.Teams {
			teamIDs = append(teamIDs, tm.ID)
		}
		qSameSet(t, "bot A agents", nil, agents, adm.ID, ana.ID, bea.ID)
		qSameSet(t, "bot A teams", nil, teamIDs, sales.ID, support.ID)

		m, err = w.s.Monitor(w.ctx, []string{})
		if err != nil || m.Counters != (store.Counters{}) || len(m.Agents) != 0 || len(m.Teams) != 0 {
			t.Errorf("Monitor of no bot = %+v, %v; want empty", m, err)
		}
	})
}

func TestWaitingByBotCountsTheQueueOfEachBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b, empty := w.bot("A"), w.bot("B"), w.bot("C")
		chA, chB := w.channel(a, "api A"), w.channel(b, "api B")
		ana, bob := w.user("Ana", desk.RoleAgent, a), w.user("Bob", desk.RoleAgent, b)
		for i, p := range []desk.Phase{desk.PhaseWaiting, desk.PhaseWaiting, desk.PhaseBot, desk.PhaseHuman, desk.PhaseClosed} {
			w.open(chA, "a"+string(rune('0'+i)), p, ana, nil)
		}
		w.open(chB, "b1", desk.PhaseWaiting, bob, nil)
		w.open(chB, "b2", desk.PhaseHuman, bob, nil)
		got, err := w.s.WaitingByBot(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{a.ID: 2, b.ID: 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("WaitingByBot = %v, want %v (bot C %s has none)", got, want, empty.ID)
		}
	})
}
