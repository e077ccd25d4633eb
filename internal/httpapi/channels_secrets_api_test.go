package httpapi_test

import (
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/httpapi"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Channel secrets never come back after saving, to anyone; admins alone
// read the verify token; saving a channel as it was read keeps them.
func TestChannelSecretsAreNeverReadBack(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		ch := a.post("/api/v1/channels", map[string]any{"bot_id": w.botA.ID, "type": "whatsapp", "name": "WA",
			"config": map[string]string{"phone_number_id": "555", "access_token": "tok-1", "app_secret": "app-1", "verify_token": "ver-1"}}).want(200)
		if body := string(ch.Body); strings.Contains(body, "tok-1") || strings.Contains(body, "app-1") || !strings.Contains(body, "ver-1") {
			t.Fatalf("POST /channels answers %s", body)
		}
		id := str(ch.obj()["id"])
		read := a.get("/api/v1/channels/" + id).want(200).obj()
		cfg := read["config"].(map[string]any)
		if cfg["access_token"] != "********" || cfg["app_secret"] != "********" || cfg["verify_token"] != "ver-1" {
			t.Fatalf("admin reads %v", cfg)
		}
		supC := w.login(w.sup)
		sup := supC.get("/api/v1/channels/" + id).want(200)
		if strings.Contains(string(sup.Body), "ver-1") {
			t.Fatalf("supervisor reads %s", sup.Body)
		}
		// bot A's supervisor sees nothing of bot B's channels
		if has(ids(supC.get("/api/v1/channels").want(200).items()), w.apiB.ID) {
			t.Error("a supervisor of bot A lists bot B's channel")
		}
		supC.get("/api/v1/channels/"+w.apiB.ID).fails(404, "not_found")
		// the config as read, saved back with a change: nothing secret changes
		cfg["phone_number_id"] = "556"
		a.do("PATCH", "/api/v1/channels/"+id, map[string]any{"config": cfg}).want(200)
		stored, err := w.db.Store.GetChannel(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"access_token":"tok-1"`, `"app_secret":"app-1"`, `"verify_token":"ver-1"`, `"phone_number_id":"556"`} {
			if !strings.Contains(string(stored.Config), want) {
				t.Errorf("stored config %s lacks %s", stored.Config, want)
			}
		}
		for _, it := range a.get("/api/v1/channels").want(200).items() {
			if strings.Contains(str(it["config"].(map[string]any)["access_token"]), "tok") {
				t.Errorf("the list shows %v", it)
			}
		}
	})
}

// The identity secret is answered once, by the route that makes it; web
// channels only; admins only.
func TestChannelIdentitySecretShownOnce(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		web := a.post("/api/v1/channels", map[string]any{"bot_id": w.botA.ID, "type": "web", "name": "Site"}).want(200).obj()
		id := str(web["id"])
		var first, second struct{ Secret string }
		a.post("/api/v1/channels/"+id+"/secret", nil).want(200).into(&first)
		a.post("/api/v1/channels/"+id+"/secret", nil).want(200).into(&second)
		if !strings.HasPrefix(first.Secret, "rlv_w_") || first.Secret == second.Secret {
			t.Fatalf("secrets %q then %q", first.Secret, second.Secret)
		}
		stored, _ := w.db.Store.GetChannel(t.Context(), id)
		if !strings.Contains(string(stored.Config), second.Secret) {
			t.Fatalf("stored %s", stored.Config)
		}
		if got := a.get("/api/v1/channels/" + id).want(200); strings.Contains(string(got.Body), "rlv_w_") {
			t.Fatalf("read back: %s", got.Body)
		}
		if d := a.post("/api/v1/channels/"+w.apiA.ID+"/secret", nil).fails(422, "validation_failed"); d["field"] != "type" {
			t.Errorf("API channel: %v", d)
		}
		a.post("/api/v1/channels/missing/secret", nil).fails(404, "not_found")
		w.login(w.sup).post("/api/v1/channels/"+id+"/secret", nil).fails(403, "forbidden")
	})
}

// The test page carries the channel's widget, named in words, with no
// inline script; other channels have none.
func TestChannelTestPage(t *testing.T) {
	w := sqliteWorld(t)
	a := w.adm()
	web := a.post("/api/v1/channels", map[string]any{"bot_id": w.botA.ID, "type": "web", "name": "Shop <chat>",
		"config": map[string]any{"allowed_origins": []string{"https://shop.example"}}}).want(200).obj()
	id := str(web["id"])
	page := w.anon().get("/widget/try/" + id).want(200)
	body := string(page.Body)
	if !strings.Contains(body, "<title>Test page for Shop &lt;chat&gt;</title>") ||
		!strings.Contains(body, `<script src="/widget.js" data-channel="`+id+`" async></script>`) {
		t.Fatalf("test page:\n%s", body)
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "script-src 'self' 'unsafe") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Count(body, "<script") != 1 {
		t.Errorf("an inline script on the test page:\n%s", body)
	}
	w.anon().get("/widget/try/"+w.apiA.ID).fails(404, "not_found")
	w.anon().get("/widget/try/missing").fails(404, "not_found")
}

// GET /api/v1/server tells the console the public URL its snippets use.
func TestServerInfoCarriesThePublicURL(t *testing.T) {
	w := newWorld(t, storetest.Open(t, "sqlite", nil), func(c *httpapi.Config) { c.PublicURL = "https://chat.example" })
	if got := w.anon().get("/api/v1/server").want(200).obj(); got["public_url"] != "https://chat.example" {
		t.Fatalf("server info %v", got)
	}
}
