package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
)

// The test page works on a channel that admits only its real site: the
// widget on it calls from this server's own (public) origin, which the
// channel's origin check admits, while other sites stay refused.
func TestTryPageWidgetIsAdmittedFromTheServersOrigin(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), PublicURL: "https://chat.example"})
	ctx := context.Background()
	bot, err := a.Store.CreateBot(ctx, desk.Bot{Name: "Shop"})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := a.Store.CreateChannel(ctx, desk.Channel{BotID: bot.ID, Type: desk.ChannelWeb, Name: "Shop chat",
		Config: json.RawMessage(`{"allowed_origins":["https://shop.example"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(t, http.DefaultClient, a.URL()+"/widget/try/"+ch.ID)
	if code != 200 || !strings.Contains(body, `data-channel="`+ch.ID+`"`) || !strings.Contains(body, `https://chat.example/widget.js`) {
		t.Fatalf("GET /widget/try: %d\n%s", code, body)
	}
	session := func(origin string) int {
		req, _ := http.NewRequest("POST", a.URL()+"/widget/v1/sessions", strings.NewReader(`{"channel_id":"`+ch.ID+`","name":"Tester"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for origin, want := range map[string]int{a.URL(): 200, "https://chat.example": 200, "https://shop.example": 200, "https://evil.example": 403} {
		if got := session(origin); got != want {
			t.Errorf("a session from %s: %d, want %d", origin, got, want)
		}
	}
}
