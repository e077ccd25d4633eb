package httpapi_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Hide preferences belong to one supervisor: hidden for one, visible for
// another; ids outside the caller's bots are refused like unknown ones.
func TestMonitorPreferencesArePerSupervisor(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sd := storetest.NewSeed(t, w.db.Store)
		sup2 := sd.User(desk.User{Name: "Sia Supervisor", Email: "sup2@test.relevo", Role: desk.RoleSupervisor, BotIDs: []string{w.botA.ID}}, sd.Hash(password))
		teamB := sd.Team(desk.Team{Name: "B team", BotID: w.botB.ID, MemberIDs: storetest.IDs(w.agentB)})
		s := w.login(w.sup)
		if p := s.get("/api/v1/me/monitor-preferences").want(200).obj(); len(p["hidden_agent_ids"].([]any)) != 0 || len(p["hidden_team_ids"].([]any)) != 0 {
			t.Errorf("fresh preferences %v", p)
		}
		body := map[string]any{"hidden_agent_ids": []string{w.agent.ID, w.agent.ID}, "hidden_team_ids": []string{w.teamA.ID}}
		p := s.do("PUT", "/api/v1/me/monitor-preferences", body).want(200).obj()
		if got := p["hidden_agent_ids"].([]any); len(got) != 1 || got[0] != w.agent.ID {
			t.Errorf("hidden agents %v", got)
		}
		again := w.login(w.sup).get("/api/v1/me/monitor-preferences").want(200).obj()
		if got := again["hidden_team_ids"].([]any); len(got) != 1 || got[0] != w.teamA.ID {
			t.Errorf("another session of the same supervisor: %v", again)
		}
		if other := w.login(sup2).get("/api/v1/me/monitor-preferences").want(200).obj(); len(other["hidden_agent_ids"].([]any)) != 0 || len(other["hidden_team_ids"].([]any)) != 0 {
			t.Errorf("another supervisor's preferences changed: %v", other)
		}
		for name, bad := range map[string]map[string]any{
			"agent of bot B": {"hidden_agent_ids": []string{w.agentB.ID}, "hidden_team_ids": []string{}},
			"unknown agent":  {"hidden_agent_ids": []string{"nobody"}, "hidden_team_ids": []string{}},
			"team of bot B":  {"hidden_agent_ids": []string{}, "hidden_team_ids": []string{teamB.ID}},
			"no team list":   {"hidden_agent_ids": []string{}},
		} {
			if e := s.do("PUT", "/api/v1/me/monitor-preferences", bad).fails(422, "validation_failed"); e == nil {
				t.Errorf("%s accepted", name)
			}
		}
		if p := s.get("/api/v1/me/monitor-preferences").want(200).obj(); len(p["hidden_agent_ids"].([]any)) != 1 {
			t.Errorf("a refused PUT changed the preferences: %v", p)
		}
		w.login(w.agent).get("/api/v1/me/monitor-preferences").fails(403, "forbidden")
		w.adm().do("PUT", "/api/v1/me/monitor-preferences", map[string]any{"hidden_agent_ids": []string{w.agentB.ID}, "hidden_team_ids": []string{teamB.ID}}).want(200)
	})
}

// Queue health counts the caller's bots only; another bot is not found.
func TestQueueHealthIsScoped(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.waitingOn(w.apiB, "b1")
		w.db.Clock.Advance(10 * time.Minute)
		w.waitingConv("a1")
		w.db.Clock.Advance(2 * time.Minute)
		s := w.login(w.sup)
		h := s.get("/api/v1/monitor/health").want(200).obj()
		if num(h["longest_wait_seconds"]) != 120 || num(h["waiting_over_threshold"]) != 0 || num(h["threshold_seconds"]) != 300 {
			t.Errorf("bot A's health %v", h)
		}
		if h := s.get("/api/v1/monitor/health?threshold=60&bot=" + w.botA.ID).want(200).obj(); num(h["waiting_over_threshold"]) != 1 {
			t.Errorf("threshold 60 s: %v", h)
		}
		s.get("/api/v1/monitor/health?bot="+w.botB.ID).fails(404, "not_found")
		s.get("/api/v1/monitor/health?threshold=0").fails(422, "validation_failed")
		s.get("/api/v1/monitor/health?threshold=soon").fails(422, "validation_failed")
		w.login(w.agent).get("/api/v1/monitor/health").fails(403, "forbidden")
		if h := w.adm().get("/api/v1/monitor/health").want(200).obj(); num(h["longest_wait_seconds"]) != 720 {
			t.Errorf("admin's health %v", h)
		}
	})
}

// Silent supervision: reading a conversation (and the contact's earlier
// ones) never marks it read, and read state is per user, so a supervisor
// following an agent's conversation leaves the agent's unread untouched.
func TestSupervisorFollowsWithoutMarkingRead(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		earlier := w.humanConv("c1", w.agent)
		ag := w.login(w.agent)
		ag.post("/api/v1/conversations/"+earlier+"/resolve", nil).want(200)
		id := w.humanConv("c1", w.agent)
		ag.post("/api/v1/conversations/"+id+"/read", nil).want(200)
		w.convOn(w.apiA, "c1")
		before := ag.conv(id)
		if num(before["unread_count"]) != 1 {
			t.Fatalf("agent's unread before: %v", before["unread_count"])
		}
		s := w.login(w.sup)
		c := s.conv(id)
		s.timeline(id)
		contact := c["contact"].(map[string]any)["id"].(string)
		hist := s.get("/api/v1/contacts/" + contact + "/conversations").want(200).items()
		if got := ids(hist); !has(got, earlier) || !has(got, id) {
			t.Errorf("contact's conversations %v, want %s and %s", got, earlier, id)
		}
		for _, h := range hist {
			if h["id"] == earlier && str(h["protocol"]) == "" {
				t.Errorf("earlier conversation without protocol: %v", h)
			}
		}
		if after := ag.conv(id); num(after["unread_count"]) != 1 || after["marked_unread"] != before["marked_unread"] {
			t.Errorf("agent's unread after the supervisor followed: %v", after["unread_count"])
		}
		// Even the supervisor marking it read for itself leaves the agent's.
		s.post("/api/v1/conversations/"+id+"/read", nil).want(200)
		if after := ag.conv(id); num(after["unread_count"]) != 1 {
			t.Errorf("agent's unread after the supervisor's own read: %v", after["unread_count"])
		}
		// Bot B's contact is out of a bot A supervisor's sight.
		idB := w.waitingOn(w.apiB, "b1")
		cb := w.adm().conv(idB)["contact"].(map[string]any)["id"].(string)
		s.get("/api/v1/contacts/"+cb+"/conversations").fails(404, "not_found")
		s.get("/api/v1/conversations/"+idB+"/messages").fails(404, "not_found")
	})
}
