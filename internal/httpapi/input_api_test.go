package httpapi_test

import (
	"strings"
	"testing"
)

// Input the server must refuse rather than store: channel configs, control
// characters, and the one message-text limit. Each runs on SQLite and, when
// configured, PostgreSQL, where a NUL in a text column is a driver error.

// wantField checks a refusal names the JSON path of the bad value.
func wantField(t *testing.T, r *resp, status int, code, field string) {
	t.Helper()
	d, ok := r.check(t, status, code)
	if ok && d["field"] != field {
		t.Errorf("%s: details %v, want field %q", r.what, d, field)
	}
}

func TestChannelConfigIsCheckedWhenSaved(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		create := func(typ string, cfg any) *resp {
			return a.post("/api/v1/channels", map[string]any{"bot_id": w.botA.ID, "type": typ, "name": "New", "config": cfg})
		}
		for _, tc := range []struct {
			typ, field string
			cfg        any
		}{
			{"web", "config.allowed_origins[0]", map[string]any{"allowed_origins": []string{"not an origin"}}},
			{"web", "config.allowed_origins", map[string]any{"allowed_origins": "https://shop.example"}},
			{"web", "config.prechat", map[string]any{"prechat": 5}},
			{"web", "config.allowed_origin", map[string]any{"allowed_origin": []string{"https://shop.example"}}},
			{"web", "config.secret", map[string]any{"secret": "a\x00b"}},
			{"api", "config.secret", map[string]any{"secret": "x"}},
			{"whatsapp", "config.graph_url", map[string]any{"phone_number_id": "1", "graph_url": "file:///etc/passwd"}},
			{"whatsapp", "config.verify_tokn", map[string]any{"phone_number_id": "1", "verify_tokn": "x"}},
		} {
			wantField(t, create(tc.typ, tc.cfg), 422, "validation_failed", tc.field)
		}
		before := string(a.get("/api/v1/channels/" + w.waA.ID).want(200).Body)
		wantField(t, a.do("PATCH", "/api/v1/channels/"+w.waA.ID, map[string]any{"config": map[string]any{"phone_number_id": "123", "graph_url": "file:///etc/passwd"}}),
			422, "validation_failed", "config.graph_url")
		wantField(t, a.do("PATCH", "/api/v1/channels/"+w.apiA.ID, map[string]any{"config": map[string]any{"allowed_origins": []string{}}}),
			422, "validation_failed", "config.allowed_origins")
		if after := string(a.get("/api/v1/channels/" + w.waA.ID).want(200).Body); after != before {
			t.Errorf("a refused PATCH changed the channel: %s → %s", before, after)
		}
		create("web", map[string]any{"allowed_origins": []string{"https://shop.example"}, "prechat": []map[string]any{{"name": "email", "required": true}},
			"languages": []string{"es"}, "color": "#123", "greeting": "Hi!\nHow can we help?"}).want(200)
		create("whatsapp", map[string]any{"phone_number_id": "1", "graph_url": "http://127.0.0.1:9/v21.0"}).want(200)
		create("api", map[string]any{}).want(200)
	})
}

func TestControlCharactersAreRefusedWhereTheyArrive(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		// The tag and the search answered 500 on PostgreSQL (a NUL in a
		// text parameter is a driver error).
		wantField(t, a.post("/api/v1/tags", map[string]any{"name": "vip\x00"}), 422, "validation_failed", "name")
		wantField(t, a.get("/api/v1/conversations?q=%00"), 400, "bad_request", "q")
		wantField(t, a.get("/api/v1/conversations?q=caf%E9"), 400, "bad_request", "q") // Latin-1, not UTF-8
		wantField(t, a.get("/api/v1/conversations/%00"), 400, "bad_request", "(path)")
		a.get("/api/v1/conversations?q=" + "caf%C3%A9").want(200)

		// One-line fields.
		user := map[string]any{"name": "Nul", "email": "nul\x00@x.test", "password": "long enough 1"}
		wantField(t, a.post("/api/v1/users", user), 422, "validation_failed", "email")
		user["email"], user["name"] = "bidi@x.test", "admin\u202e"
		wantField(t, a.post("/api/v1/users", user), 422, "validation_failed", "name")
		user["name"] = "Two\nLines"
		wantField(t, a.post("/api/v1/users", user), 422, "validation_failed", "name")
		wantField(t, a.post("/api/v1/reasons", map[string]any{"name": "bell\a"}), 422, "validation_failed", "name")

		id := w.humanConv("c1", w.agent)
		ag := w.login(w.agent)
		contact := str(ag.conv(id)["contact"].(map[string]any)["id"])
		wantField(t, ag.do("PATCH", "/api/v1/contacts/"+contact, map[string]any{"name": "esc\x1b[2J"}), 422, "validation_failed", "name")
		wantField(t, ag.do("PATCH", "/api/v1/contacts/"+contact, map[string]any{"attributes": map[string]string{"plan\u2066": "gold"}}),
			422, "validation_failed", "attributes.plan\u2066")

		// Multi-line texts: \r\n becomes \n, tabs and line breaks stay,
		// other controls are refused.
		note := ag.post("/api/v1/conversations/"+id+"/notes", map[string]any{"text": "line 1\r\nline 2\tend"}).want(200).obj()
		if note["text"] != "line 1\nline 2\tend" {
			t.Errorf("note text %q", note["text"])
		}
		wantField(t, ag.post("/api/v1/conversations/"+id+"/notes", map[string]any{"text": "nul\x00"}), 422, "validation_failed", "text")
		wantField(t, ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "\x1b[31mred"}), 422, "validation_failed", "text")
		wantField(t, ag.post("/api/v1/contacts/"+contact+"/notes", map[string]any{"text": "del\x7f"}), 422, "validation_failed", "text")
		ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "ok\r\nthanks"}).want(200)
	})
}

// A customer's message through the API channel is never lost for a stray
// control character: it is stripped. Ids are the integration's and are
// refused.
func TestInboundStripsCustomerText(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tok := w.token(w.botB.ID)
		path := "/api/v1/channels/" + w.apiB.ID + "/inbound"
		body := map[string]any{
			"contact": map[string]string{"external_id": "dana", "name": "Dana\u202e\x00 Costa", "email": "dana\x00@x.test"},
			"message": map[string]string{"id": "m1", "text": "hi\x00 there\a\r\nsecond line"},
		}
		var out struct {
			ConversationID string `json:"conversation_id"`
		}
		tok.post(path, body).want(200).into(&out)
		if got := w.adm().timeline(out.ConversationID)[0]["text"]; got != "hi there\nsecond line" {
			t.Errorf("stored text %q", got)
		}
		if c := w.adm().conv(out.ConversationID)["contact"].(map[string]any); c["name"] != "Dana Costa" {
			t.Errorf("stored contact %v", c)
		}
		body["message"] = map[string]string{"id": "m\x002", "text": "hi"}
		wantField(t, tok.post(path, body), 422, "validation_failed", "message.id")
	})
}

// One limit for every message text: 4,096 characters, counted in
// characters. The API channel's inbound used to take 16 KiB of bytes.
func TestInboundTextHasTheOneLimit(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tok := w.token(w.botB.ID)
		path := "/api/v1/channels/" + w.apiB.ID + "/inbound"
		tok.post(path, inboundBody("c1", "m1", strings.Repeat("é", 4096))).want(200) // 8 KiB of UTF-8
		d := tok.post(path, inboundBody("c1", "m2", strings.Repeat("a", 4097))).fails(422, "validation_failed")
		if d["field"] != "message.text" || num(d["max"]) != 4096 {
			t.Errorf("details %v", d)
		}
		tok.post(path, inboundBody("c1", "m3", strings.Repeat("a", 10000))).fails(422, "validation_failed")
		id := w.humanConv("c2", w.agent)
		w.login(w.agent).post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": strings.Repeat("a", 4097)}).fails(422, "validation_failed")
	})
}
