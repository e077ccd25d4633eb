package store_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

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

func TestChatBetweenTwoUsersListsInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ana, sup, bea := w.user("Ana", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a), w.user("Bea", desk.RoleAgent, a)
		send := func(from, to desk.User, text string) {
			t.Helper()
			w.advance(time.Second)
			if _, err := w.s.SendChat(w.ctx, from.ID, to.ID, text); err != nil {
				t.Fatal(err)
			}
		}
		send(ana, sup, "can you take Carla?")
		send(sup, bea, "not for you, Ana")
		send(sup, ana, "on it")
		send(ana, sup, " thanks ")
		texts := func(a, b desk.User, limit int) []string {
			t.Helper()
			ms, err := w.s.ListChat(w.ctx, a.ID, b.ID, limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range ms {
				out = append(out, qName(m.FromID, ana, sup, bea)+": "+m.Text)
			}
			return out
		}
		want := []string{"Ana: can you take Carla?", "Sup: on it", "Ana: thanks"}
		if got := texts(ana, sup, 50); !reflect.DeepEqual(got, want) {
			t.Errorf("Ana and Sup = %q, want %q", got, want)
		}
		if got := texts(sup, ana, 50); !reflect.DeepEqual(got, want) {
			t.Errorf("Sup and Ana = %q, want %q", got, want)
		}
		if got := texts(ana, sup, 2); !reflect.DeepEqual(got, want[1:]) {
			t.Errorf("latest 2 = %q, want %q", got, want[1:])
		}
		for _, text := range []string{"", "  \n "} {
			_, err := w.s.SendChat(w.ctx, ana.ID, sup.ID, text)
			wantInvalid(t, err, "text")
		}
		_, err := w.s.SendChat(w.ctx, ana.ID, "missing", "hello?")
		wantCode(t, err, desk.CodeNotFound)
		if got := texts(ana, sup, 50); len(got) != 3 {
			t.Errorf("refused chats were stored: %q", got)
		}
	})
}

// qName is the name of the user with id among us.
func qName(id string, us ...desk.User) string {
	for _, u := range us {
		if u.ID == id {
			return u.Name
		}
	}
	return id
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

// qPhases reads the phase of each id as an admin sees it.
func qPhases(w *qWorld, adm desk.User, ids []string) []desk.Phase {
	w.t.Helper()
	out := make([]desk.Phase, len(ids))
	for i, id := range ids {
		out[i] = w.get(adm, id).Phase
	}
	return out
}

func TestBulkTakesAtMostFiveAndAnswersPerID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana, sup, adm := w.user("Ana", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a), w.user("Adm", desk.RoleAdmin)
		support, why := w.team("Support", a), w.reason("Billing")
		var ids []string
		for i, p := range []desk.Phase{desk.PhaseHuman, desk.PhaseWaiting, desk.PhaseBot, desk.PhaseHuman, desk.PhaseWaiting, desk.PhaseHuman} {
			ids = append(ids, w.open(ch, "c"+string(rune('0'+i)), p, ana, nil))
		}
		before := qPhases(w, adm, ids)
		actor := desk.UserActor(sup)
		transfer := store.TransferInput{TeamID: support.ID, ReasonID: why.ID}
		for _, tc := range []struct {
			name string
			in   store.BulkInput
			code desk.Code
		}{
			{"six ids", store.BulkInput{Action: "resolve", IDs: ids}, desk.CodeBulkLimitExceeded},
			{"six ids to transfer", store.BulkInput{Action: "transfer", IDs: ids, Transfer: transfer}, desk.CodeBulkLimitExceeded},
			{"transfer without reason", store.BulkInput{Action: "transfer", IDs: ids[:1], Transfer: store.TransferInput{TeamID: support.ID}}, desk.CodeReasonRequired},
			{"transfer without target", store.BulkInput{Action: "transfer", IDs: ids[:1], Transfer: store.TransferInput{ReasonID: why.ID}}, desk.CodeValidationFailed},
			{"duplicate id", store.BulkInput{Action: "resolve", IDs: []string{ids[0], ids[1], ids[0]}}, desk.CodeValidationFailed},
			{"no ids", store.BulkInput{Action: "resolve"}, desk.CodeValidationFailed},
			{"unknown action", store.BulkInput{Action: "delete", IDs: ids[:1]}, desk.CodeValidationFailed},
		} {
			res, err := w.s.Bulk(w.ctx, actor, tc.in)
			if !desk.IsCode(err, tc.code) || res != nil {
				t.Errorf("%s: %v, %v; want %s and no results", tc.name, res, err, tc.code)
			}
		}
		if got := qPhases(w, adm, ids); !reflect.DeepEqual(got, before) {
			t.Fatalf("refused bulk actions changed phases: %v, want %v", got, before)
		}

		// Five, one of them still with the bot: four resolved, one refused.
		res, err := w.s.Bulk(w.ctx, actor, store.BulkInput{Action: "resolve", IDs: ids[:5]})
		if err != nil || len(res) != 5 {
			t.Fatalf("Bulk resolve = %v, %v", res, err)
		}
		for i, r := range res {
			wantOK := i != 2
			if r.ID != ids[i] || r.OK != wantOK || (r.Conversation != nil) != wantOK || (r.Error == nil) != wantOK {
				t.Errorf("result %d = %+v", i, r)
			}
			if wantOK && r.Conversation.Phase != desk.PhaseClosed {
				t.Errorf("result %d phase %s", i, r.Conversation.Phase)
			}
		}
		if r := res[2]; r.Error == nil || r.Error.Code != desk.CodeInvalidPhase {
			t.Errorf("bot-phase result = %+v, want invalid_phase", r.Error)
		}
		want := []desk.Phase{desk.PhaseClosed, desk.PhaseClosed, desk.PhaseBot, desk.PhaseClosed, desk.PhaseClosed, desk.PhaseHuman}
		if got := qPhases(w, adm, ids); !reflect.DeepEqual(got, want) {
			t.Errorf("after bulk resolve: %v, want %v", got, want)
		}

		// Transfer with a reason queues the human one for the team; the
		// closed one is refused on its own.
		res, err = w.s.Bulk(w.ctx, actor, store.BulkInput{Action: "transfer", IDs: []string{ids[5], ids[0]}, Transfer: transfer})
		if err != nil || len(res) != 2 || !res[0].OK || res[1].OK || res[1].Error.Code != desk.CodeInvalidPhase {
			t.Fatalf("Bulk transfer = %+v, %v", res, err)
		}
		if c := w.get(adm, ids[5]); c.Phase != desk.PhaseWaiting || c.TeamID == nil || *c.TeamID != support.ID {
			t.Errorf("transferred: phase %s team %v", c.Phase, c.TeamID)
		}
		// An agent may not bulk-act on what is not its own.
		res, err = w.s.Bulk(w.ctx, desk.UserActor(ana), store.BulkInput{Action: "resolve", IDs: ids[5:]})
		if err != nil || res[0].OK || res[0].Error.Code != desk.CodeForbidden {
			t.Errorf("agent's bulk resolve of the queue = %+v, %v", res, err)
		}
	})
}
