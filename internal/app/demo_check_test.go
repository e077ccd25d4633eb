package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
)

// The demo's WhatsApp channel passes "check connection" against the
// in-process stand-in, and a wrong access token is told in words, the way
// Meta's code 190 is, so a newcomer can see both.
func TestDemoWhatsAppCheckConnection(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), Demo: true, PublicURL: "https://relevo.example"})
	admin := loggedIn(t, a.URL(), "admin@demo.relevo")
	var chans page[desk.Channel]
	admin.do("GET", "/api/v1/channels", nil, &chans)
	var wa desk.Channel
	for _, ch := range chans.Items {
		if ch.Type == desk.ChannelWhatsApp {
			wa = ch
		}
	}
	var got desk.ChannelCheck
	if code := admin.do("POST", "/api/v1/channels/"+wa.ID+"/check", nil, &got); code != 200 || !got.OK || got.Phone == nil || got.WABA == nil {
		t.Fatalf("check of the demo channel: %d %+v", code, got)
	}
	var cfg map[string]any
	_ = json.Unmarshal(wa.Config, &cfg)
	cfg["access_token"] = "not-the-demo-token"
	if code := admin.do("PATCH", "/api/v1/channels/"+wa.ID, map[string]any{"config": cfg}, nil); code != 200 {
		t.Fatalf("PATCH the token: %d", code)
	}
	got = desk.ChannelCheck{}
	admin.do("POST", "/api/v1/channels/"+wa.ID+"/check", nil, &got)
	if got.OK || len(got.Problems) != 1 || got.Problems[0].Field != "access_token" || !strings.Contains(got.Problems[0].Message, "refused the access token") {
		t.Fatalf("check with a wrong token: %+v", got)
	}
	var info struct {
		PublicURL string `json:"public_url"`
	}
	if admin.do("GET", "/api/v1/server", nil, &info); info.PublicURL != "https://relevo.example" {
		t.Errorf("GET /api/v1/server public_url %q, want --public-url", info.PublicURL)
	}
}
