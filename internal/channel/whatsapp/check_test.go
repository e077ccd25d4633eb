package whatsapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// session logs u (password "pw-check-1") into the env's router and
// returns a caller of its routes.
func (e *env) session(u desk.User) func(method, path string, body any) (int, []byte) {
	e.t.Helper()
	call := func(cookie *http.Cookie, method, path string, body any) *httptest.ResponseRecorder {
		var buf bytes.Buffer
		if body != nil {
			_ = json.NewEncoder(&buf).Encode(body)
		}
		r := httptest.NewRequest(method, path, &buf)
		r.Header.Set("Content-Type", "application/json")
		if cookie != nil {
			r.AddCookie(cookie)
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		return w
	}
	w := call(nil, "POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": "pw-check-1"})
	if w.Code != 200 || len(w.Result().Cookies()) == 0 {
		e.t.Fatalf("login %s: %d %s", u.Email, w.Code, w.Body)
	}
	cookie := w.Result().Cookies()[0]
	return func(method, path string, body any) (int, []byte) {
		w := call(cookie, method, path, body)
		return w.Code, w.Body.Bytes()
	}
}

func (e *env) user(name string, role desk.Role, bots ...string) desk.User {
	sd := storetest.NewSeed(e.t, e.s)
	return sd.User(desk.User{Name: name, Email: strings.ToLower(name) + "@check.test", Role: role, BotIDs: bots}, sd.Hash("pw-check-1"))
}

func TestCheckReadsTheNumberAndTheAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		admin := e.session(e.user("Ada", desk.RoleAdmin))
		code, body := admin("POST", "/api/v1/channels/"+e.ch.ID+"/check", nil)
		var got desk.ChannelCheck
		if err := json.Unmarshal(body, &got); code != 200 || err != nil {
			t.Fatalf("check: %d %s", code, body)
		}
		if !got.OK || len(got.Problems) != 0 || got.Phone == nil || got.Phone.DisplayNumber != "+1 555-078-3881" ||
			got.Phone.VerifiedName != "Lucky Shrub" || got.Phone.Quality != "GREEN" || got.WABA == nil || got.WABA.Name != "Lucky Shrub Support" {
			t.Fatalf("check of a good channel: %s", body)
		}
		for _, r := range append(e.graph.requests(pnid), e.graph.requests(waba)...) {
			if r.Auth != "Bearer "+token || r.Method != "GET" {
				t.Errorf("Graph call %s %s with %q", r.Method, r.Path, r.Auth)
			}
		}
	})
}

func TestCheckSaysWhatIsWrongNextToItsField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		admin := e.session(e.user("Ada", desk.RoleAdmin))
		ctx := context.Background()
		check := func(cfg map[string]any) desk.ChannelCheck {
			t.Helper()
			raw, _ := json.Marshal(cfg)
			if _, err := e.s.UpdateChannel(ctx, e.ch.ID, store.ChannelPatch{Config: (*json.RawMessage)(&raw)}); err != nil {
				t.Fatal(err)
			}
			code, body := admin("POST", "/api/v1/channels/"+e.ch.ID+"/check", nil)
			var got desk.ChannelCheck
			if err := json.Unmarshal(body, &got); code != 200 || err != nil {
				t.Fatalf("check: %d %s", code, body)
			}
			if strings.Contains(string(body), "wrong-token-XYZ") {
				t.Fatalf("the answer echoes the token: %s", body)
			}
			return got
		}
		base := func() map[string]any {
			return map[string]any{"phone_number_id": pnid, "waba_id": waba, "access_token": token, "graph_url": e.graph.api()}
		}
		// A wrong token: one problem, on the token, in words.
		cfg := base()
		cfg["access_token"] = "wrong-token-XYZ"
		got := check(cfg)
		if got.OK || len(got.Problems) != 1 || got.Problems[0].Field != "access_token" || got.Problems[0].Code != desk.ProblemTokenInvalid ||
			!strings.Contains(got.Problems[0].Message, "refused the access token") {
			t.Errorf("wrong token: %+v", got)
		}
		// A phone number id Meta does not know, a WABA the token may not read.
		e.graph.setObject(waba, 403, `{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200,"fbtrace_id":"Ab"}}`)
		cfg = base()
		cfg["phone_number_id"] = "999"
		got = check(cfg)
		if got.OK || len(got.Problems) != 2 || got.Problems[0].Field != "phone_number_id" || got.Problems[0].Code != desk.ProblemUnknownID ||
			got.Problems[1].Field != "access_token" || got.Problems[1].Code != desk.ProblemPermission ||
			!strings.Contains(got.Problems[1].Message, "whatsapp_business_management") {
			t.Errorf("unknown phone id and no permission on the WABA: %+v", got.Problems)
		}
		// Nothing answers at graph_url.
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		cfg = base()
		cfg["graph_url"] = dead.URL
		got = check(cfg)
		if len(got.Problems) != 1 || got.Problems[0].Field != "graph_url" || got.Problems[0].Code != desk.ProblemUnreachable {
			t.Errorf("unreachable graph_url: %+v", got.Problems)
		}
		// No WABA id: said, not called.
		cfg = base()
		delete(cfg, "waba_id")
		got = check(cfg)
		if len(got.Problems) != 1 || got.Problems[0].Field != "waba_id" || got.Problems[0].Code != desk.ProblemMissing {
			t.Errorf("no waba_id: %+v", got.Problems)
		}
	})
}

func TestCheckIsForAdminsAndWhatsAppChannels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		sup := e.session(e.user("Sam", desk.RoleSupervisor, e.bot.ID))
		if code, body := sup("POST", "/api/v1/channels/"+e.ch.ID+"/check", nil); code != 403 {
			t.Errorf("a supervisor checks: %d %s", code, body)
		}
		admin := e.session(e.user("Ada", desk.RoleAdmin))
		web := storetest.NewSeed(t, e.s).APIChannel(e.bot, "API")
		if code, body := admin("POST", "/api/v1/channels/"+web.ID+"/check", nil); code != 422 || !strings.Contains(string(body), "validation_failed") {
			t.Errorf("checking an API channel: %d %s", code, body)
		}
		if code, _ := admin("POST", "/api/v1/channels/nope/check", nil); code != 404 {
			t.Errorf("checking no channel: %d", code)
		}
	})
}

// A channel created without a verify token gets a random, URL-safe one,
// and Meta's handshake with it succeeds.
func TestNewChannelGetsAVerifyTokenForTheHandshake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		admin := e.session(e.user("Ada", desk.RoleAdmin))
		code, body := admin("POST", "/api/v1/channels", map[string]any{"bot_id": e.bot.ID, "type": "whatsapp", "name": "New number",
			"config": map[string]any{"phone_number_id": pnid, "waba_id": waba, "access_token": token, "app_secret": appSecret}})
		var ch desk.Channel
		if err := json.Unmarshal(body, &ch); code != 200 || err != nil {
			t.Fatalf("create: %d %s", code, body)
		}
		var cfg struct {
			VerifyToken string `json:"verify_token"`
		}
		_ = json.Unmarshal(ch.Config, &cfg)
		if len(cfg.VerifyToken) < 32 || url.QueryEscape(cfg.VerifyToken) != cfg.VerifyToken {
			t.Fatalf("verify token %q: want a long URL-safe random string", cfg.VerifyToken)
		}
		q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {cfg.VerifyToken}, "hub.challenge": {"1158201444"}}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, httptest.NewRequest("GET", "/webhooks/whatsapp/"+ch.ID+"?"+q.Encode(), nil))
		if w.Code != 200 || w.Body.String() != "1158201444" {
			t.Fatalf("handshake with the generated token: %d %q", w.Code, w.Body)
		}
		// One the admin chose is kept.
		_, body = admin("POST", "/api/v1/channels", map[string]any{"bot_id": e.bot.ID, "type": "whatsapp", "name": "Chosen",
			"config": map[string]any{"phone_number_id": pnid, "verify_token": "my-own-token"}})
		if !strings.Contains(string(body), `"verify_token":"my-own-token"`) {
			t.Errorf("a chosen verify token: %s", body)
		}
	})
}
