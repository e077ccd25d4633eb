package httpapi_test

import (
	"net/url"
	"strings"
	"testing"
)

// Canned replies through the API, on both databases: who sees which,
// who may write, duplicates, bad input, and another bot's replies as 404.
func TestCannedReplies(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sup, agent, agent2, agentB, admin := w.login(w.sup), w.login(w.agent), w.login(w.agent2), w.login(w.agentB), w.adm()
		const list = "/api/v1/canned-replies"

		// A supervisor writes the bot's reply; the text keeps its variables.
		hi := sup.post(list, map[string]any{"bot_id": w.botA.ID, "shortcut": "hi", "text": "Hi {contact.name}, this is {agent.name} (protocol {protocol})"}).want(200).obj()
		if hi["owner_id"] != nil || str(hi["bot_id"]) != w.botA.ID || str(hi["text"]) != "Hi {contact.name}, this is {agent.name} (protocol {protocol})" {
			t.Fatalf("created: %v", hi)
		}
		refund := admin.post(list, map[string]any{"bot_id": w.botA.ID, "shortcut": "refund", "text": "Your refund of {contact.order} is on its way."}).want(200).obj()
		bOnly := admin.post(list, map[string]any{"bot_id": w.botB.ID, "shortcut": "hi", "text": "Bot B says hi"}).want(200).obj()
		// Personal replies: each agent their own, the same shortcut allowed.
		mine := agent.post(list, map[string]any{"personal": true, "shortcut": "hi-me", "text": "Hello from Alice"}).want(200).obj()
		theirs := agent2.post(list, map[string]any{"personal": true, "shortcut": "hi-me", "text": "Hello from Bruno"}).want(200).obj()
		if str(mine["owner_id"]) != w.agent.ID || mine["bot_id"] != nil {
			t.Fatalf("personal: %v", mine)
		}

		// Visibility: own personal ones plus those of the caller's bots.
		seen := func(c *client, q string) []string { return ids(c.get(list + q).want(200).items()) }
		eq := func(who string, got []string, want ...any) {
			t.Helper()
			var ws []string
			for _, m := range want {
				ws = append(ws, str(m.(map[string]any)["id"]))
			}
			if strings.Join(got, ",") != strings.Join(ws, ",") {
				t.Errorf("%s sees %v, want %v", who, got, ws)
			}
		}
		eq("agent", seen(agent, ""), hi, mine, refund)
		eq("agent2", seen(agent2, ""), hi, theirs, refund)
		eq("agent of bot B", seen(agentB, ""), bOnly)
		eq("admin (every bot, nobody's personal)", seen(admin, ""), hi, bOnly, refund)
		eq("admin, bot B only", seen(admin, "?bot="+w.botB.ID), bOnly)
		// Search over shortcut and text, case-insensitive, prefix first.
		eq("agent /ref", seen(agent, "?q=ref"), refund)
		eq("agent 'ALICE'", seen(agent, "?q=ALICE"), mine)
		eq("agent /hi", seen(agent, "?q=hi"), hi, mine)
		eq("a LIKE wildcard is a character", seen(agent, "?q="+url.QueryEscape("%")))

		// Scope: another bot is 404, in the list and in every write.
		agent.get(list+"?bot="+w.botB.ID).fails(404, "not_found")
		sup.post(list, map[string]any{"bot_id": w.botB.ID, "shortcut": "x", "text": "x"}).fails(404, "not_found")
		sup.do("PATCH", list+"/"+str(bOnly["id"]), map[string]any{"text": "mine now"}).fails(404, "not_found")
		sup.do("DELETE", list+"/"+str(bOnly["id"]), nil).fails(404, "not_found")
		// Another user's personal reply is 404 even to an admin.
		admin.do("PATCH", list+"/"+str(mine["id"]), map[string]any{"text": "x"}).fails(404, "not_found")
		agent2.do("DELETE", list+"/"+str(mine["id"]), nil).fails(404, "not_found")
		// Agents use the bot's replies but do not manage them.
		agent.post(list, map[string]any{"bot_id": w.botA.ID, "shortcut": "new", "text": "x"}).fails(403, "forbidden")
		agent.do("PATCH", list+"/"+str(hi["id"]), map[string]any{"text": "x"}).fails(403, "forbidden")
		w.login(w.auditor).do("DELETE", list+"/"+str(hi["id"]), nil).fails(403, "forbidden")

		// Duplicates: 409 on the shortcut, within a bot and within an owner.
		if d := sup.post(list, map[string]any{"bot_id": w.botA.ID, "shortcut": "hi", "text": "again"}).fails(409, "conflict"); d["field"] != "shortcut" {
			t.Errorf("duplicate details: %v", d)
		}
		if d := agent.post(list, map[string]any{"personal": true, "shortcut": "hi-me", "text": "again"}).fails(409, "conflict"); d["field"] != "shortcut" {
			t.Errorf("duplicate personal details: %v", d)
		}
		if d := sup.do("PATCH", list+"/"+str(refund["id"]), map[string]any{"shortcut": "hi"}).fails(409, "conflict"); d["field"] != "shortcut" {
			t.Errorf("duplicate on rename: %v", d)
		}

		// Bad input: 422 naming the field.
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"shortcut": "a", "text": "x"}, "bot_id"},
			{map[string]any{"bot_id": w.botA.ID, "personal": true, "shortcut": "a", "text": "x"}, "bot_id"},
			{map[string]any{"personal": true, "text": "x"}, "shortcut"},
			{map[string]any{"personal": true, "shortcut": "Hi There", "text": "x"}, "shortcut"},
			{map[string]any{"personal": true, "shortcut": strings.Repeat("a", 33), "text": "x"}, "shortcut"},
			{map[string]any{"personal": true, "shortcut": "a"}, "text"},
			{map[string]any{"personal": true, "shortcut": "a", "text": "  "}, "text"},
			{map[string]any{"personal": true, "shortcut": "a", "text": strings.Repeat("x", 4001)}, "text"},
			{map[string]any{"personal": true, "shortcut": "a", "text": "bad \u0007 bell"}, "text"},
			{map[string]any{"personal": true, "shortcut": "a", "text": "Dear {typo}"}, "text"},
		} {
			if d := agent.post(list, tc.body).fails(422, "validation_failed"); d["field"] != tc.field {
				t.Errorf("%v: details %v, want field %s", tc.body, d, tc.field)
			}
		}
		if d := agent.do("PATCH", list+"/"+str(mine["id"]), map[string]any{"text": "{agent.phone}"}).fails(422, "validation_failed"); d["field"] != "text" {
			t.Errorf("patch with an unknown variable: %v", d)
		}
		agent.get(list+"?q="+strings.Repeat("q", 201)).fails(422, "validation_failed")

		// The owner changes and deletes their own; the supervisor the bot's.
		got := agent.do("PATCH", list+"/"+str(mine["id"]), map[string]any{"shortcut": "hello", "text": "Hello {contact.name}"}).want(200).obj()
		if got["shortcut"] != "hello" || got["text"] != "Hello {contact.name}" || str(got["updated_at"]) == "" {
			t.Errorf("patched: %v", got)
		}
		agent.do("DELETE", list+"/"+str(mine["id"]), nil).want(204)
		sup.do("DELETE", list+"/"+str(refund["id"]), nil).want(204)
		eq("agent after deletes", seen(agent, ""), hi)
		agent.do("DELETE", list+"/"+str(mine["id"]), nil).fails(404, "not_found")
	})
}

// happyCanned walks each canned-reply route once (TestEveryRouteAnswersItsHappyPath).
func happyCanned(t *testing.T, w *world) {
	sup := w.login(w.sup)
	c := sup.post("/api/v1/canned-replies", map[string]any{"bot_id": w.botA.ID, "shortcut": "thanks", "text": "Thanks, {contact.name}!"}).want(200).obj()
	if len(sup.get("/api/v1/canned-replies?q=thank").want(200).items()) != 1 {
		t.Errorf("GET /canned-replies?q=thank: the new reply is missing")
	}
	sup.do("PATCH", "/api/v1/canned-replies/"+str(c["id"]), map[string]any{"text": "Thank you!"}).want(200)
	sup.do("DELETE", "/api/v1/canned-replies/"+str(c["id"]), nil).want(204)
}
