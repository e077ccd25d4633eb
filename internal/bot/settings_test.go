package bot_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// An admin sets a bot's flow and handover keywords through the API; a bad
// flow is refused with the path of the problem.
func TestBotSettingsTakeFlowsAndKeywordsThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newExternal(t, db)
		sd := storetest.NewSeed(t, e.s)
		sd.User(desk.User{Name: "Root", Email: "root@example.com", Role: desk.RoleAdmin}, sd.Hash("admin-password"))
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		send := func(method, path string, body any) (int, map[string]any) {
			b, _ := json.Marshal(body)
			req, _ := http.NewRequest(method, e.api.URL+path, bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out map[string]any
			_ = json.NewDecoder(res.Body).Decode(&out)
			return res.StatusCode, out
		}
		if code, _ := send("POST", "/api/v1/auth/login", map[string]string{"email": "root@example.com", "password": "admin-password"}); code != 200 {
			t.Fatalf("login: %d", code)
		}
		path := "/api/v1/bots/" + e.bot.ID
		bad := json.RawMessage(`{"start":"ask","nodes":{"ask":{"type":"question","text":"Email?","attribute":"email","next":"x"}}}`)
		code, out := send("PATCH", path, map[string]any{"flow": bad})
		errBody, _ := out["error"].(map[string]any)
		details, _ := errBody["details"].(map[string]any)
		if code != http.StatusUnprocessableEntity || errBody["code"] != "validation_failed" || details["path"] != "nodes.ask.next" ||
			!strings.Contains(errBody["message"].(string), `nodes.ask.next: unknown node "x"`) {
			t.Fatalf("PATCH with a dangling next: %d %v", code, out)
		}
		good := json.RawMessage(`{"start":"bye","nodes":{"bye":{"type":"end","text":"Bye"}}}`)
		code, out = send("PATCH", path, map[string]any{"flow": good, "handover_keywords": []string{"Operador", "falar com alguém"}})
		if code != 200 || out["flow"] == nil {
			t.Fatalf("PATCH with a good flow: %d %v", code, out)
		}
		if kw, _ := json.Marshal(out["handover_keywords"]); string(kw) != `["Operador","falar com alguém"]` {
			t.Fatalf("handover_keywords = %s", kw)
		}
		if code, out = send("PATCH", path, map[string]any{"handover_keywords": []string{"!!"}}); code != http.StatusUnprocessableEntity {
			t.Fatalf("PATCH with a keyword of punctuation: %d %v", code, out)
		}
	})
}
