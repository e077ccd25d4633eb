package httpapi_test

import (
	"testing"
)

// A supervisor supervises its bots only: users, agents, counters and
// reports of other bots are out of its sight.
func TestSupervisorSeesOnlyItsBots(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		idB := w.convOn(w.apiB, "b1")
		w.waitingConv("a1")
		s := w.login(w.sup)
		if got := ids(s.get("/api/v1/users").want(200).items()); has(got, w.agentB.ID) || !has(got, w.agent.ID) {
			t.Errorf("supervisor of bot A lists users %v", got)
		}
		s.get("/api/v1/users/"+w.agentB.ID).fails(404, "not_found")
		s.post("/api/v1/agents/"+w.agentB.ID+"/pause", nil).fails(404, "not_found")
		s.post("/api/v1/agents/"+w.agentB.ID+"/logout", nil).fails(404, "not_found")
		s.get("/api/v1/chats/"+w.agentB.ID+"/messages").fails(404, "not_found")
		s.post("/api/v1/chats/"+w.agentB.ID+"/messages", map[string]string{"text": "hi"}).fails(404, "not_found")
		if got := ids(s.get("/api/v1/channels").want(200).items()); has(got, w.apiB.ID) {
			t.Errorf("supervisor of bot A lists channels %v", got)
		}
		s.get("/api/v1/channels/"+w.apiB.ID).fails(404, "not_found")
		counters := s.get("/api/v1/monitor").want(200).obj()["counters"].(map[string]any)
		if num(counters["total"]) != 1 || num(counters["waiting"]) != 1 {
			t.Errorf("supervisor of bot A counts %v, want bot B's conversation left out", counters)
		}
		if got := ids(s.get("/api/v1/reports/conversations").want(200).items()); has(got, idB) || len(got) != 1 {
			t.Errorf("supervisor of bot A reports %v", got)
		}
		before := w.snapshot(idB)
		res := s.post("/api/v1/conversations/bulk", map[string]any{"action": "resolve", "ids": []string{idB}}).want(200).obj()
		if r := res["results"].([]any)[0].(map[string]any); r["ok"] != false || r["error"].(map[string]any)["code"] != "not_found" {
			t.Errorf("bulk on another bot's conversation: %v", r)
		}
		w.unchanged(t, idB, before, "bulk resolve")
		w.adm().get("/api/v1/monitor").want(200)
	})
}

// Force pause only with no open conversations; delete only with none.
func TestAgentWithOpenConversationsCannotBePausedOrDeleted(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.humanConv("c1", w.agent)
		s := w.login(w.sup)
		s.post("/api/v1/agents/"+w.agent.ID+"/pause", map[string]string{"reason": "meeting"}).fails(409, "agent_has_open_sessions")
		w.adm().do("DELETE", "/api/v1/users/"+w.agent.ID, nil).fails(409, "agent_has_open_sessions")
		if u := w.adm().get("/api/v1/users/" + w.agent.ID).want(200).obj(); u["status"] != "online" {
			t.Errorf("refused pause left the agent %v", u["status"])
		}
		w.login(w.agent).post("/api/v1/conversations/"+id+"/resolve", nil).want(200)
		if u := s.post("/api/v1/agents/"+w.agent.ID+"/pause", map[string]string{"reason": "meeting"}).want(200).obj(); u["status"] != "paused" {
			t.Errorf("pause after resolving: %v", u["status"])
		}
		s.post("/api/v1/agents/"+w.sup.ID+"/pause", nil).fails(409, "conflict") // its own status switch is PUT /me/status
		s.post("/api/v1/agents/"+w.agent2.ID+"/unpause", nil).fails(409, "conflict")
	})
}

// Bulk transfer gives each id its own result; a sixth id refuses all.
func TestBulkTransferToATeamWithAReason(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a, b := w.humanConv("c1", w.agent), w.humanConv("c2", w.agent2)
		s := w.login(w.sup)
		res := s.post("/api/v1/conversations/bulk", map[string]any{"action": "transfer", "ids": []string{a, b},
			"team_id": w.teamA.ID, "reason_id": w.reason.ID, "note": "end of shift"}).want(200).obj()
		for i, r := range res["results"].([]any) {
			r := r.(map[string]any)
			c, _ := r["conversation"].(map[string]any)
			if r["ok"] != true || c["phase"] != "waiting" || c["team_id"] != w.teamA.ID {
				t.Errorf("bulk transfer result %d: %v", i, r)
			}
		}
		evs := events(s.timeline(a))
		last := evs[len(evs)-1]
		if last["type"] != "transferred" || last["note"] != "end of shift" || last["actor_id"] != w.sup.ID || last["to"] != w.teamA.ID {
			t.Errorf("bulk transfer event %v", last)
		}
	})
}

// An admin's password reset ends the user's sessions; the new password
// works.
func TestPasswordResetEndsTheUsersSessions(t *testing.T) {
	w := sqliteWorld(t)
	old := w.login(w.agent)
	w.adm().do("PATCH", "/api/v1/users/"+w.agent.ID, map[string]string{"password": "brand-new-password"}).want(200)
	old.get("/api/v1/me").fails(401, "unauthenticated")
	w.anon().post("/api/v1/auth/login", map[string]string{"email": w.agent.Email, "password": password}).fails(401, "unauthenticated")
	w.anon().post("/api/v1/auth/login", map[string]string{"email": w.agent.Email, "password": "brand-new-password"}).want(200)
	w.adm().get("/api/v1/me").want(200) // the admin's own session stays
}

// A blocked contact's messages are kept, flagged, and open nothing.
func TestInboundFromABlockedContactOpensNothing(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.humanConv("c1", w.agent)
		ag := w.login(w.agent)
		ag.post("/api/v1/conversations/"+id+"/block", nil).want(200)
		tok := w.token(w.botA.ID)
		in := tok.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("c1", "late-1", "hello again")).want(200).obj()
		if in["conversation_id"] != id {
			t.Errorf("blocked contact's message went to %v, want its closed conversation %s", in["conversation_id"], id)
		}
		if c := w.adm().conv(id); c["phase"] != "closed" {
			t.Errorf("blocked contact reopened its conversation: %v", c["phase"])
		}
		msgs := w.adm().timeline(id)
		last := msgs[len(msgs)-1]
		if last["text"] != "hello again" || last["error"] != "contact_blocked" {
			t.Errorf("blocked contact's message: %v", last)
		}
		if got := w.adm().listIDs(""); len(got) != 0 {
			t.Errorf("open conversations after a blocked contact wrote: %v", got)
		}
		cid := str(w.adm().conv(id)["contact"].(map[string]any)["id"])
		ag.post("/api/v1/contacts/"+cid+"/unblock", nil).fails(403, "forbidden")
		w.login(w.sup).post("/api/v1/contacts/"+cid+"/unblock", nil).want(200)
		in = tok.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("c1", "late-2", "me again")).want(200).obj()
		if in["conversation_id"] == id {
			t.Error("after unblock a message still lands in the closed conversation")
		}
	})
}
