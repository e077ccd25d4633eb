package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
)

// With --demo, /demo embeds the widget of the demo's web channel, whose
// visitor session works end to end through the app's wiring.
func TestDemoPageEmbedsTheWebsiteChatWidget(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), Demo: true})
	chans, err := a.Store.ListChannels(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var web desk.Channel
	for _, ch := range chans {
		if ch.Type == desk.ChannelWeb && ch.Name == "Website chat" {
			web = ch
		}
	}
	if web.ID == "" {
		t.Fatal("the demo has no Website chat channel")
	}
	code, body := get(t, http.DefaultClient, a.URL()+"/demo")
	if code != 200 || !strings.Contains(body, `<script src="/widget.js" data-channel="`+web.ID+`" async>`) {
		t.Fatalf("GET /demo: %d\n%s", code, body)
	}
	res, err := http.Post(a.URL()+"/widget/v1/sessions", "application/json", strings.NewReader(`{"channel_id":"`+web.ID+`","name":"Demo visitor"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("POST /widget/v1/sessions on the demo channel: %d", res.StatusCode)
	}
	var sess struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&sess); err != nil {
		t.Fatal(err)
	}

	// Through the app's wiring (the bus, the flow runner, the web sender):
	// the visitor writes and hears the bot's menu on its socket.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(a.URL(), "http")+"/widget/v1/ws?token="+sess.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	req, _ := http.NewRequest("POST", a.URL()+"/widget/v1/messages", strings.NewReader(`{"id":"1","text":"Hello"}`))
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	req.Header.Set("Content-Type", "application/json")
	sent, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	sent.Body.Close()
	if sent.StatusCode != 200 {
		t.Fatalf("POST /widget/v1/messages: %d", sent.StatusCode)
	}
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatalf("no bot menu on the socket: %v", err)
		}
		var f struct {
			Type string
			Data struct {
				Author  struct{ Type, Name string }
				Buttons []struct{ ID, Title string }
			}
		}
		_ = json.Unmarshal(data, &f)
		if f.Type == "message.created" && f.Data.Author.Type == "bot" {
			if f.Data.Author.Name != "Acme Support" || len(f.Data.Buttons) == 0 {
				t.Fatalf("bot frame %s", data)
			}
			return
		}
	}
}

func TestDemoPageNeedsDemo(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir()})
	if _, body := get(t, http.DefaultClient, a.URL()+"/demo"); strings.Contains(body, "widget.js") {
		t.Fatalf("GET /demo without --demo embeds the widget:\n%s", body)
	}
}
