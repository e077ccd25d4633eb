package web_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/widgetapi"
)

// syncBuffer collects log lines from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A config stored before configs were checked on save (here written
// behind the store's back) that cannot be used: every public route says
// 503 channel_misconfigured, shows nothing of the config, and the problem
// is logged once, not on every request.
func TestMisconfiguredChannelAnswers503WithoutLeakingIt(t *testing.T) {
	logs := &syncBuffer{}
	withLog := func(o *web.Options) { o.Log = slog.New(slog.NewTextHandler(logs, nil)) }
	eachDB(t, func(t *testing.T, e *env) {
		for _, cfg := range []string{
			`{"allowed_origins": ["not an origin"], "secret": "leaky-secret"}`,
			`{"allowed_origins": "https://shop.example", "secret": "leaky-secret"}`,
			`{"prechat": 5, "secret": "leaky-secret"}`,
		} {
			e.db.Exec(t, `UPDATE channels SET config = $1 WHERE id = $2`, cfg, e.shop.ID)
			before := strings.Count(logs.String(), e.shop.ID)
			for range 2 {
				for _, r := range []resp{
					e.do(call{method: "GET", path: "/widget/v1/channels/" + e.shop.ID + "/config"}),
					e.do(call{method: "POST", path: "/widget/v1/sessions", body: widgetapi.WidgetSessionRequest{ChannelID: e.shop.ID, Name: "Ana"}}),
					e.do(call{method: "OPTIONS", path: "/widget/v1/channels/" + e.shop.ID + "/config", origin: shopOrigin}),
				} {
					if r.Status != 503 || r.code() != "channel_misconfigured" {
						t.Fatalf("config %s: status %d: %s", cfg, r.Status, r.Body)
					}
					if body := string(r.Body); strings.Contains(body, "leaky-secret") || strings.Contains(body, "origin") || strings.Contains(body, "prechat") {
						t.Fatalf("the answer shows the config: %s", body)
					}
				}
			}
			if n := strings.Count(logs.String(), e.shop.ID) - before; n != 1 {
				t.Fatalf("config %s: logged %d times, want once:\n%s", cfg, n, logs.String())
			}
			if strings.Contains(logs.String(), "leaky-secret") {
				t.Fatalf("the log shows the secret:\n%s", logs.String())
			}
			// The panel's page: no foreign site may frame a channel whose
			// allowed origins cannot be read.
			r := e.do(call{method: "GET", path: "/widget/?channel=" + e.shop.ID}).want(200)
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || strings.Contains(csp, "frame-ancestors *") {
				t.Fatalf("CSP %q", csp)
			}
		}
		// The other channels are untouched.
		e.do(call{method: "GET", path: "/widget/v1/channels/" + e.open.ID + "/config"}).want(200)
	}, withLog)
}

// A config saved before the checks that is merely untidy (an unknown key,
// a language or pre-chat field the widget does not know, a colour name)
// keeps working as it did: what is unknown is ignored.
func TestOldUntidyConfigKeepsWorking(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.db.Exec(t, `UPDATE channels SET config = $1 WHERE id = $2`,
			`{"title": "Shop", "theme": "dark", "color": "blue", "languages": ["es", "xx"],
			  "prechat": [{"name": "name", "required": true}, {"name": "phone"}], "allowed_origins": ["https://shop.example/"]}`, e.shop.ID)
		var c widgetapi.WidgetConfig
		e.do(call{method: "GET", path: "/widget/v1/channels/" + e.shop.ID + "/config", origin: shopOrigin}).want(200).decode(&c)
		if c.Name != "Shop" || c.Color != "#2f6fed" || len(c.Languages) != 1 || c.Languages[0] != "es" ||
			len(c.Prechat) != 1 || c.Prechat[0].Name != "name" {
			t.Fatalf("config %+v", c)
		}
		e.do(call{method: "GET", path: "/widget/v1/channels/" + e.shop.ID + "/config", origin: "https://evil.example"}).want(403)
	})
}
