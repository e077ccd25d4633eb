package httpapi_test

import (
	"testing"
)

// An object outside the caller's scope answers 404, exactly like one that
// does not exist, on every route that names it.
func TestAgentOfOtherBotGets404(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		idB := w.convOn(w.apiB, "b1") // waiting in bot B's queue
		w.online(w.agent)
		a := w.login(w.agent)
		base := "/api/v1/conversations/" + idB
		a.get(base).fails(404, "not_found")
		a.get(base+"/messages").fails(404, "not_found")
		for _, p := range []string{"/assign", "/notes", "/resolve", "/read", "/unread", "/messages", "/transfer"} {
			w.refused(t, idB, 404, "not_found", func() *resp {
				return a.post(base+p, map[string]any{"text": "x", "agent_id": w.agent2.ID, "reason_id": w.reason.ID})
			})
		}
		w.refused(t, idB, 404, "not_found", func() *resp { return a.do("PUT", base+"/tags/"+w.tag.ID, nil) })
		if got := a.listIDs("?phase=all"); has(got, idB) {
			t.Errorf("agent of bot A lists bot B's conversation: %v", got)
		}
		cid := str(w.adm().conv(idB)["contact"].(map[string]any)["id"])
		a.get("/api/v1/contacts/"+cid).fails(404, "not_found")
		a.do("PATCH", "/api/v1/contacts/"+cid, map[string]any{"name": "hijacked"}).fails(404, "not_found")
		a.get("/api/v1/contacts/"+cid+"/conversations").fails(404, "not_found")
		a.post("/api/v1/contacts/"+cid+"/notes", map[string]any{"text": "x"}).fails(404, "not_found")
		a.get("/api/v1/bots/"+w.botB.ID).fails(404, "not_found")
		a.get("/api/v1/templates?channel_id="+w.apiB.ID).fails(404, "not_found")
		if got := ids(a.get("/api/v1/bots").want(200).items()); len(got) != 1 || got[0] != w.botA.ID {
			t.Errorf("agent of bot A lists bots %v", got)
		}
		w.login(w.sup).get(base).fails(404, "not_found") // a supervisor of bot A too
		w.adm().get(base).want(200)
		w.login(w.agentB).get(base).want(200)
	})
}

func TestAgentDoesNotSeeAnotherAgentsConversation(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.humanConv("c1", w.agent)
		w.online(w.agent2)
		other := w.login(w.agent2)
		other.get("/api/v1/conversations/"+id).fails(404, "not_found")
		other.get("/api/v1/conversations/"+id+"/messages").fails(404, "not_found")
		w.refused(t, id, 404, "not_found", func() *resp {
			return other.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "let me in"})
		})
		w.refused(t, id, 404, "not_found", func() *resp { return other.post("/api/v1/conversations/"+id+"/resolve", nil) })
		if got := other.listIDs("?phase=all"); has(got, id) {
			t.Errorf("agent2 lists agent's conversation: %v", got)
		}
		for _, u := range []struct {
			name string
			c    *client
		}{{"owner", w.login(w.agent)}, {"supervisor", w.login(w.sup)}, {"admin", w.adm()}, {"auditor", w.login(w.auditor)}} {
			if c := u.c.conv(id); c["assignee_id"] != w.agent.ID {
				t.Errorf("%s reads %v", u.name, c)
			}
			if !has(u.c.listIDs("?phase=human"), id) {
				t.Errorf("%s does not list the conversation", u.name)
			}
			u.c.get("/api/v1/conversations/" + id + "/messages").want(200)
		}
	})
}

// Losing the race for a waiting conversation is a 409, not a 404, even
// though the winner's conversation is out of the loser's sight from then
// on (DESIGN.md: "Two agents, two nodes, one winner; the loser gets 409").
func TestSecondAgentToAssignGetsAlreadyAssigned(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.waitingConv("c1")
		w.online(w.agent)
		w.online(w.agent2)
		first, second := w.login(w.agent), w.login(w.agent2)
		first.post("/api/v1/conversations/"+id+"/assign", nil).want(200)
		w.refused(t, id, 409, "already_assigned", func() *resp { return second.post("/api/v1/conversations/"+id+"/assign", nil) })
		second.get("/api/v1/conversations/"+id).fails(404, "not_found")
	})
}

func TestAuditorSeesBotPhaseAndTakesOver(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.botConv("c1")
		au := w.login(w.auditor)
		if got := au.listIDs("?phase=bot"); len(got) != 1 || got[0] != id {
			t.Errorf("auditor lists bot phase %v", got)
		}
		if c := au.conv(id); c["phase"] != "bot" {
			t.Errorf("auditor reads phase %v", c["phase"])
		}
		au.get("/api/v1/conversations/" + id + "/messages").want(200)
		ag := w.login(w.agent)
		ag.get("/api/v1/conversations/"+id).fails(404, "not_found")
		if got := ag.listIDs("?phase=bot"); len(got) != 0 {
			t.Errorf("agent lists bot phase %v", got)
		}
		w.refused(t, id, 404, "not_found", func() *resp { return ag.post("/api/v1/conversations/"+id+"/assign", nil) })

		c := au.post("/api/v1/conversations/"+id+"/assign", nil).want(200).obj()
		if c["phase"] != "human" || c["assignee_id"] != w.auditor.ID || c["protocol"] == nil {
			t.Fatalf("takeover by the auditor: %v", c)
		}
		evs := events(au.timeline(id))
		if len(evs) == 0 || evs[len(evs)-1]["type"] != "assigned" || evs[len(evs)-1]["actor_id"] != w.auditor.ID || evs[len(evs)-1]["from"] != "bot" {
			t.Errorf("takeover event: %v", evs)
		}
		w.drain()
		au.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "Olga here"}).want(200)
		// The bot stops answering once people took over.
		w.refused(t, id, 409, "invalid_phase", func() *resp {
			return w.token(w.botA.ID).post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "bot again"})
		})
	})
}

func TestBotTokenActsAsItsBotOnly(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		idB := w.convOn(w.apiB, "b1")
		tokA := w.token(w.botA.ID)
		tokA.post("/api/v1/channels/"+w.apiB.ID+"/inbound", inboundBody("x1", "m1", "hi")).fails(404, "not_found")
		tokA.post("/api/v1/channels/"+w.waA.ID+"/inbound", inboundBody("x1", "m1", "hi")).fails(404, "not_found")
		tokA.post("/api/v1/channels/nope/inbound", inboundBody("x1", "m1", "hi")).fails(404, "not_found")
		tokA.get("/api/v1/conversations/"+idB).fails(404, "not_found")
		w.refused(t, idB, 404, "not_found", func() *resp {
			return tokA.post("/api/v1/conversations/"+idB+"/messages", map[string]any{"text": "not mine"})
		})
		idA := str(tokA.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("x2", "m1", "hi")).want(200).obj()["conversation_id"])
		if got := tokA.listIDs("?phase=all"); len(got) != 1 || got[0] != idA {
			t.Errorf("bot A's token lists %v, want only %s", got, idA)
		}
		// A token without a bot is an integration for every bot.
		all := w.token("")
		all.post("/api/v1/channels/"+w.apiB.ID+"/inbound", inboundBody("x3", "m1", "hi")).want(200)
		if got := all.listIDs("?phase=all"); len(got) != 3 {
			t.Errorf("integration token lists %v", got)
		}
		// Agents do not hand over for the bot: they do not even see the
		// bot phase, and a queued conversation is past handing over.
		ag := w.login(w.agent)
		w.refused(t, idA, 404, "not_found", func() *resp { return ag.post("/api/v1/conversations/"+idA+"/handover", nil) })
		queued := w.waitingConv("x4")
		w.refused(t, queued, 403, "forbidden", func() *resp { return ag.post("/api/v1/conversations/"+queued+"/handover", nil) })
	})
}

func TestTemplatesAreFilteredByRole(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		mk := func(name string, roles ...string) string {
			return str(a.post("/api/v1/templates", map[string]any{"channel_id": w.waA.ID, "name": name, "language": "en",
				"category": "UTILITY", "body": "Hello {{1}}", "roles": roles}).want(200).obj()["id"])
		}
		forAgents, forAuditors, forAll := mk("agents", "agent"), mk("auditors", "auditor"), mk("everyone")
		_, err := w.db.Store.CreateTemplate(t.Context(), templateDraft(w.waA.ID, "pending one", "PENDING"))
		if err != nil {
			t.Fatal(err)
		}
		list := func(c *client) []string {
			return ids(c.get("/api/v1/templates?channel_id=" + w.waA.ID).want(200).items())
		}
		for _, tc := range []struct {
			who  string
			c    *client
			want []string
		}{
			{"agent", w.login(w.agent), []string{forAgents, forAll}},
			{"auditor", w.login(w.auditor), []string{forAuditors, forAll}},
			{"supervisor", w.login(w.sup), []string{forAll}},
			{"admin", a, []string{forAgents, forAuditors, forAll}},
		} {
			got := list(tc.c)
			if len(got) != len(tc.want) {
				t.Errorf("%s sees templates %v, want %v", tc.who, got, tc.want)
				continue
			}
			for _, id := range tc.want {
				if !has(got, id) {
					t.Errorf("%s sees templates %v, want %v", tc.who, got, tc.want)
				}
			}
		}
		w.login(w.agent).get("/api/v1/templates").fails(422, "validation_failed")
		w.login(w.agentB).get("/api/v1/templates?channel_id="+w.waA.ID).fails(404, "not_found")
	})
}
