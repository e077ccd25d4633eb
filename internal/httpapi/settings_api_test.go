package httpapi_test

import (
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

// happySettings walks every settings route as the admin, and the reads
// as the supervisor.
func happySettings(t *testing.T, w *world) {
	a := w.adm()
	for _, it := range a.get("/api/v1/users").want(200).items() {
		checkUser(t, "GET /users", it)
	}
	u := a.post("/api/v1/users", map[string]any{"name": "Nina New", "email": "nina@test.relevo", "role": "agent",
		"password": "nina-password", "max_chats": 3, "bot_ids": []string{w.botA.ID}}).want(200).obj()
	checkUser(t, "POST /users", u)
	uid := str(u["id"])
	if u["role"] != "agent" || num(u["max_chats"]) != 3 || !has(strs(u["bot_ids"]), w.botA.ID) {
		t.Errorf("POST /users: %v", u)
	}
	checkUser(t, "GET /users/{id}", a.get("/api/v1/users/"+uid).want(200).obj())
	u = a.do("PATCH", "/api/v1/users/"+uid, map[string]any{"name": "Nina Renamed", "password": "another-password"}).want(200).obj()
	if u["name"] != "Nina Renamed" || u["email"] != "nina@test.relevo" {
		t.Errorf("PATCH /users/{id}: %v", u)
	}
	w.anon().post("/api/v1/auth/login", map[string]string{"email": "nina@test.relevo", "password": "another-password"}).want(200)
	a.do("DELETE", "/api/v1/users/"+uid, nil).want(204)
	a.get("/api/v1/users/"+uid).fails(404, "not_found")

	tm := a.post("/api/v1/teams", map[string]any{"name": "Night shift", "bot_id": w.botA.ID, "member_ids": []string{w.agent.ID}}).want(200).obj()
	checkFields(t, "POST /teams", tm, map[string]string{"id": "string", "name": "string", "bot_id": "string", "member_ids": "array"})
	tid := str(tm["id"])
	tm = a.do("PATCH", "/api/v1/teams/"+tid, map[string]any{"name": "Late shift", "member_ids": []string{w.agent2.ID}}).want(200).obj()
	if tm["name"] != "Late shift" || !has(strs(tm["member_ids"]), w.agent2.ID) || has(strs(tm["member_ids"]), w.agent.ID) {
		t.Errorf("PATCH /teams/{id}: %v", tm)
	}
	if !has(ids(a.get("/api/v1/teams").want(200).items()), tid) {
		t.Error("GET /teams misses the new team")
	}
	a.do("DELETE", "/api/v1/teams/"+tid, nil).want(204)
	if has(ids(a.get("/api/v1/teams").want(200).items()), tid) {
		t.Error("GET /teams still lists a deleted team")
	}

	b := a.post("/api/v1/bots", map[string]any{"name": "Bot C", "member_ids": []string{w.agent.ID}, "auto_close_after": 3600,
		"notices": map[string]string{"queued": "Hold on", "assigned": "Now with {agent}", "resolved": "Bye"},
		"flow":    map[string]any{"start": "x", "nodes": map[string]any{"x": map[string]string{"type": "end"}}}, "webhook_url": "https://bot.example/hook"}).want(200).obj()
	botSpec := map[string]string{"id": "string", "name": "string", "member_ids": "array", "auto_close_after": "number",
		"notices": "object", "flow": "object|null", "webhook_url": "string"}
	checkFields(t, "POST /bots", b, botSpec)
	bid := str(b["id"])
	if num(b["auto_close_after"]) != 3600 || b["notices"].(map[string]any)["queued"] != "Hold on" {
		t.Errorf("POST /bots: %v", b)
	}
	b = a.do("PATCH", "/api/v1/bots/"+bid, map[string]any{"name": "Bot C2", "auto_close_after": 7200}).want(200).obj()
	if b["name"] != "Bot C2" || num(b["auto_close_after"]) != 7200 || b["webhook_url"] != "https://bot.example/hook" {
		t.Errorf("PATCH /bots/{id}: %v", b)
	}
	checkFields(t, "GET /bots/{id}", a.get("/api/v1/bots/"+bid).want(200).obj(), botSpec)
	if !has(ids(a.get("/api/v1/bots").want(200).items()), bid) {
		t.Error("GET /bots misses the new bot")
	}
	a.post("/api/v1/bots/"+w.botA.ID+"/flow/simulate", map[string]any{"input": map[string]string{"text": "hi"}}).want(200)

	ch := a.post("/api/v1/channels", map[string]any{"bot_id": bid, "type": "whatsapp", "name": "C whatsapp",
		"config": map[string]string{"phone_number_id": "555", "waba_id": "1", "access_token": "tok", "app_secret": "s",
			"verify_token": "v", "graph_url": "http://127.0.0.1:1"}}).want(200).obj()
	chSpec := map[string]string{"id": "string", "bot_id": "string", "type": "string", "name": "string", "config": "object"}
	checkFields(t, "POST /channels", ch, chSpec)
	cid := str(ch["id"])
	ch = a.do("PATCH", "/api/v1/channels/"+cid, map[string]any{"name": "C wa"}).want(200).obj()
	if ch["name"] != "C wa" || ch["config"].(map[string]any)["phone_number_id"] != "555" {
		t.Errorf("PATCH /channels/{id}: %v", ch)
	}
	checkFields(t, "GET /channels/{id}", a.get("/api/v1/channels/"+cid).want(200).obj(), chSpec)
	if !has(ids(a.get("/api/v1/channels").want(200).items()), cid) {
		t.Error("GET /channels misses the new channel")
	}
	web := a.post("/api/v1/channels", map[string]any{"bot_id": bid, "type": "web", "name": "C web"}).want(200).obj()
	checkFields(t, "POST /channels/{id}/secret", a.post("/api/v1/channels/"+str(web["id"])+"/secret", nil).want(200).obj(), map[string]string{"secret": "string"})

	rs := a.post("/api/v1/reasons", map[string]any{"name": "Refund"}).want(200).obj()
	checkFields(t, "POST /reasons", rs, map[string]string{"id": "string", "name": "string"})
	if !has(ids(a.get("/api/v1/reasons").want(200).items()), str(rs["id"])) {
		t.Error("GET /reasons misses the new reason")
	}
	tg := a.post("/api/v1/tags", map[string]any{"name": "Urgent", "color": "#FF0000"}).want(200).obj()
	checkFields(t, "POST /tags", tg, map[string]string{"id": "string", "name": "string", "color": "string"})
	if tg["color"] != "#ff0000" {
		t.Errorf("POST /tags: color %v, want #ff0000", tg["color"])
	}
	// A tag's colour is #rrggbb and nothing else, refused on its field.
	for _, c := range []string{"#f00", "#ff000080", "red"} {
		if d := a.post("/api/v1/tags", map[string]any{"name": "Bad " + c, "color": c}).fails(422, "validation_failed"); d["field"] != "color" {
			t.Errorf("POST /tags color %q: details %v, want field color", c, d)
		}
	}
	if !has(ids(a.get("/api/v1/tags").want(200).items()), str(tg["id"])) {
		t.Error("GET /tags misses the new tag")
	}
	a.do("PATCH", "/api/v1/reasons/"+str(rs["id"]), map[string]any{"name": "Refunds"}).want(200)
	a.do("DELETE", "/api/v1/reasons/"+str(rs["id"]), nil).want(204)
	a.do("PATCH", "/api/v1/tags/"+str(tg["id"]), map[string]any{"name": "Very urgent"}).want(200)
	a.do("DELETE", "/api/v1/tags/"+str(tg["id"]), nil).want(204)
	a.get("/api/v1/me/onboarding").want(200)
	a.do("PUT", "/api/v1/me/onboarding", map[string]any{"dismissed": true}).want(200)
	tp := a.post("/api/v1/templates", map[string]any{"channel_id": w.waA.ID, "name": "followup", "language": "en",
		"category": "UTILITY", "body": "Hi {{1}}", "roles": []string{"agent"}}).want(200).obj()
	checkFields(t, "POST /templates", tp, map[string]string{"id": "string", "channel_id": "string", "name": "string",
		"language": "string", "category": "string", "body": "string", "roles": "array"})
	if !has(ids(a.get("/api/v1/templates?channel_id="+w.waA.ID).want(200).items()), str(tp["id"])) {
		t.Error("GET /templates misses the new template")
	}
	tok := a.post("/api/v1/tokens", map[string]any{"name": "crm", "bot_id": w.botA.ID}).want(200).obj()
	checkFields(t, "POST /tokens", tok, map[string]string{"id": "string", "token": "string"})
	if got := a.do("PATCH", "/api/v1/tokens/"+str(tok["id"]), map[string]any{"rate_limit": 50}).want(200).obj(); got["rate_limit"] != float64(50) {
		t.Errorf("PATCH /tokens/{id}: %v, want rate_limit 50", got)
	}
	for _, it := range a.get("/api/v1/tokens").want(200).items() {
		if _, ok := it["token"]; ok {
			t.Errorf("GET /tokens shows a secret: %v", it)
		}
	}
	a.do("DELETE", "/api/v1/tokens/"+str(tok["id"]), nil).want(204)

	w.online(w.agent2)
	w.online(w.agentB)
	mates := ids(w.login(w.agent).get("/api/v1/bots/" + w.botA.ID + "/agents").want(200).items())
	if !has(mates, w.agent2.ID) || has(mates, w.agentB.ID) {
		t.Errorf("GET /bots/{id}/agents: %v, want bot A's online members only", mates)
	}
	w.login(w.agent).get("/api/v1/bots/"+w.botB.ID+"/agents").fails(404, "not_found")

	s := w.login(w.sup)
	for _, p := range []string{"/api/v1/users", "/api/v1/users/" + w.agent.ID, "/api/v1/channels", "/api/v1/channels/" + w.waA.ID} {
		s.get(p).want(200)
	}
}

func strs(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		out = append(out, str(x))
	}
	return out
}

func TestAgentOnAdminRoutesIsForbidden(t *testing.T) {
	w := sqliteWorld(t)
	c := w.login(w.agent)
	for _, p := range []string{"/api/v1/users", "/api/v1/users/" + w.agent2.ID, "/api/v1/channels", "/api/v1/channels/" + w.apiA.ID,
		"/api/v1/tokens", "/api/v1/monitor", "/api/v1/reports/conversations", "/api/v1/reports/agents"} {
		c.get(p).fails(403, "forbidden")
	}
	c.post("/api/v1/bots", map[string]any{"name": "Mine"}).fails(403, "forbidden")
	c.post("/api/v1/tokens", map[string]any{"name": "mine"}).fails(403, "forbidden")
	c.do("PATCH", "/api/v1/users/"+w.agent.ID, map[string]any{"role": "admin"}).fails(403, "forbidden")
	c.post("/api/v1/agents/"+w.agent2.ID+"/pause", nil).fails(403, "forbidden")
	if u, _ := w.db.Store.GetUser(t.Context(), w.agent.ID); u.Role != "agent" {
		t.Errorf("an agent made itself %s", u.Role)
	}
	if bots, _ := w.db.Store.ListBots(t.Context(), nil); len(bots) != 2 {
		t.Errorf("%d bots after a refused create, want 2", len(bots))
	}
}

func TestSupervisorReadsSettingsButCannotWriteThem(t *testing.T) {
	w := sqliteWorld(t)
	s := w.login(w.sup)
	s.get("/api/v1/users").want(200)
	s.get("/api/v1/channels").want(200)
	s.post("/api/v1/users", map[string]any{"name": "X", "email": "x@test.relevo", "password": "12345678"}).fails(403, "forbidden")
	s.do("PATCH", "/api/v1/users/"+w.agent.ID, map[string]any{"name": "Renamed"}).fails(403, "forbidden")
	s.do("DELETE", "/api/v1/users/"+w.agent.ID, nil).fails(403, "forbidden")
	s.do("PATCH", "/api/v1/bots/"+w.botA.ID, map[string]any{"name": "Renamed"}).fails(403, "forbidden")
	s.post("/api/v1/channels", map[string]any{"bot_id": w.botA.ID, "type": "api", "name": "x"}).fails(403, "forbidden")
	s.do("PATCH", "/api/v1/channels/"+w.apiA.ID, map[string]any{"name": "Renamed"}).fails(403, "forbidden")
	s.post("/api/v1/teams", map[string]any{"name": "T", "bot_id": w.botA.ID}).fails(403, "forbidden")
	s.post("/api/v1/reasons", map[string]any{"name": "R"}).fails(403, "forbidden")
	s.post("/api/v1/tags", map[string]any{"name": "T"}).fails(403, "forbidden")
	s.post("/api/v1/templates", map[string]any{"channel_id": w.waA.ID, "name": "t", "language": "en", "body": "b"}).fails(403, "forbidden")
	s.get("/api/v1/tokens").fails(403, "forbidden")
	if u, _ := w.db.Store.GetUser(t.Context(), w.agent.ID); u.Name != w.agent.Name {
		t.Errorf("refused PATCH renamed the agent to %q", u.Name)
	}
	if b, _ := w.db.Store.GetBot(t.Context(), w.botA.ID); b.Name != "Bot A" {
		t.Errorf("refused PATCH renamed the bot to %q", b.Name)
	}
}

// Secrets are for admins: supervisors see channel configs masked and no
// bot webhook secret.
func TestSettingsHideSecretsFromNonAdmins(t *testing.T) {
	w := sqliteWorld(t)
	s := w.login(w.sup)
	body := string(s.get("/api/v1/channels/" + w.waA.ID).want(200).Body)
	if strings.Contains(body, "sekret") || !strings.Contains(body, `"phone_number_id":"123"`) {
		t.Errorf("supervisor reads channel config %s", body)
	}
	if body := string(s.get("/api/v1/channels").want(200).Body); strings.Contains(body, "sekret") {
		t.Errorf("supervisor lists channel secrets: %s", body)
	}
	// Nobody reads the secret back, admins included: they see the mask.
	secret := w.botA.WebhookSecret
	if got := str(w.adm().get("/api/v1/bots/" + w.botA.ID).want(200).obj()["webhook_secret"]); secret == "" || got != desk.ChannelSecretMask {
		t.Fatalf("the admin reads webhook_secret %q", got)
	}
	for _, c := range []*client{w.adm(), s, w.login(w.agent)} {
		if b := string(c.get("/api/v1/bots/" + w.botA.ID).want(200).Body); strings.Contains(b, secret) {
			t.Errorf("non-admin reads the webhook secret: %s", b)
		}
		if b := string(c.get("/api/v1/bots").want(200).Body); strings.Contains(b, secret) {
			t.Errorf("non-admin lists the webhook secret: %s", b)
		}
	}
}

func TestSettingsConflictsAndValidation(t *testing.T) {
	w := sqliteWorld(t)
	a := w.adm()
	a.post("/api/v1/users", map[string]any{"name": "Dup", "email": "AGENT@test.relevo", "password": "12345678"}).fails(409, "conflict")
	a.post("/api/v1/tags", map[string]any{"name": "VIP"}).fails(409, "conflict")
	a.post("/api/v1/users", map[string]any{"name": "Short", "email": "short@test.relevo", "password": "1234"}).fails(422, "validation_failed")
	a.post("/api/v1/users", map[string]any{"name": "NoPw", "email": "nopw@test.relevo"}).fails(422, "validation_failed")
	a.post("/api/v1/users", map[string]any{"name": "Role", "email": "role@test.relevo", "password": "12345678", "role": "king"}).fails(422, "validation_failed")
	a.post("/api/v1/bots", map[string]any{"name": ""}).fails(422, "validation_failed")
	a.post("/api/v1/bots", map[string]any{"name": "B", "webhook_url": "ftp://x"}).fails(422, "validation_failed")
	a.post("/api/v1/channels", map[string]any{"bot_id": w.botA.ID, "type": "whatsapp", "name": "no id"}).fails(422, "validation_failed")
	a.post("/api/v1/channels", map[string]any{"bot_id": w.botA.ID, "type": "fax", "name": "fax"}).fails(422, "validation_failed")
	a.post("/api/v1/tokens", map[string]any{"name": "t", "bot_id": "nope"}).fails(422, "validation_failed")
	a.post("/api/v1/users", map[string]any{"name": 7}).fails(400, "bad_request")
	a.do("DELETE", "/api/v1/users/"+w.admin.ID, nil).fails(409, "conflict")
	for _, p := range []string{"/api/v1/users/nope", "/api/v1/bots/nope", "/api/v1/channels/nope"} {
		a.get(p).fails(404, "not_found")
	}
	a.do("PATCH", "/api/v1/teams/nope", map[string]any{"name": "x"}).fails(404, "not_found")
	a.do("DELETE", "/api/v1/teams/nope", nil).fails(404, "not_found")
	a.do("DELETE", "/api/v1/tokens/nope", nil).fails(404, "not_found")
	if n := len(a.get("/api/v1/users").want(200).items()); n != 6 {
		t.Errorf("%d users after refused creates, want 6", n)
	}
}
