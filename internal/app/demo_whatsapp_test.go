package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// client is a logged-in console user of a running demo.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func loggedIn(t *testing.T, base, email string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	if code := c.do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": app.DemoPassword}, nil); code != 200 {
		t.Fatalf("login %s: %d", email, code)
	}
	return c
}

// do sends a JSON request (cookie routes need a same-origin Origin) and
// decodes the answer into out.
func (c *client) do(method, path string, in, out any) int {
	c.t.Helper()
	var body bytes.Buffer
	if in != nil {
		_ = json.NewEncoder(&body).Encode(in)
	}
	req, _ := http.NewRequest(method, c.base+path, &body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.base)
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if out != nil {
		_ = json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

type page[T any] struct {
	Items []T `json:"items"`
}

// TestDemoWhatsAppShowsTheClosedWindowAndSendsTemplatesToTheStandIn walks
// what a newcomer does with the demo's WhatsApp conversation: its window is
// closed, free text is refused, a template goes out through the demo's
// Graph stand-in and is marked sent, and a template sync reads the same
// templates back from the stand-in.
func TestDemoWhatsAppShowsTheClosedWindowAndSendsTemplatesToTheStandIn(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), Demo: true})
	admin := loggedIn(t, a.URL(), "admin@demo.relevo")
	var chans page[desk.Channel]
	admin.do("GET", "/api/v1/channels", nil, &chans)
	var wa desk.Channel
	for _, ch := range chans.Items {
		if ch.Type == desk.ChannelWhatsApp {
			wa = ch
		}
	}
	if wa.ID == "" || !strings.Contains(wa.Name, "demo stand-in") {
		t.Fatalf("the demo has no WhatsApp channel labelled as a stand-in: %+v", chans.Items)
	}
	var synced page[desk.Template]
	if code := admin.do("POST", "/api/v1/channels/"+wa.ID+"/templates/sync", nil, &synced); code != 200 || len(synced.Items) != 3 {
		t.Fatalf("template sync against the stand-in: %d, %d templates", code, len(synced.Items))
	}

	agent := loggedIn(t, a.URL(), "agent@demo.relevo")
	agent.do("PUT", "/api/v1/me/status", map[string]string{"status": "online"}, nil)
	var queue page[desk.Conversation]
	agent.do("GET", "/api/v1/conversations?phase=waiting", nil, &queue)
	var conv desk.Conversation
	for _, c := range queue.Items {
		if c.ChannelID == wa.ID {
			conv = c
		}
	}
	if conv.ID == "" || conv.WindowOpen(time.Now()) {
		t.Fatalf("no waiting WhatsApp conversation with a closed window in the demo queue: %+v", conv)
	}
	if code := agent.do("POST", "/api/v1/conversations/"+conv.ID+"/assign", map[string]any{}, nil); code != 200 {
		t.Fatalf("assign: %d", code)
	}
	var refused struct{ Error struct{ Code string } }
	if code := agent.do("POST", "/api/v1/conversations/"+conv.ID+"/messages", map[string]string{"text": "hello"}, &refused); code == 200 || refused.Error.Code != string(desk.CodeWindowClosed) {
		t.Fatalf("free text outside the window: %d %q", code, refused.Error.Code)
	}
	var tpls page[desk.Template]
	agent.do("GET", "/api/v1/templates?channel_id="+wa.ID, nil, &tpls)
	var tplID string
	for _, tp := range tpls.Items {
		if tp.Name == "satisfaction_follow_up" {
			t.Errorf("an agent is offered %q, a template the demo gives to supervisors and auditors only", tp.Name)
		}
		if tp.Name == "order_update" {
			tplID = tp.ID
		}
	}
	if tplID == "" {
		t.Fatalf("the agent is not offered order_update: %+v", tpls.Items)
	}
	send := map[string]any{"template": map[string]any{"id": tplID, "params": []string{"Rafael", "#4411"}}, "client_id": "t1"}
	var m desk.Message
	// The hand-over notice holds the lock for a moment; a send waits it out.
	deadline := time.Now().Add(20 * time.Second)
	for code := 0; code != 200; {
		if code = agent.do("POST", "/api/v1/conversations/"+conv.ID+"/messages", send, &m); code != 200 && code != http.StatusLocked {
			t.Fatalf("template send: %d", code)
		}
		if time.Now().After(deadline) {
			t.Fatal("the conversation stayed locked")
		}
	}
	for m.Status != desk.StatusSent {
		if m.Status == desk.StatusFailed || time.Now().After(deadline) {
			t.Fatalf("the template did not reach the stand-in: %+v", m)
		}
		time.Sleep(50 * time.Millisecond)
		var msgs page[desk.Message]
		agent.do("GET", "/api/v1/conversations/"+conv.ID+"/messages", nil, &msgs)
		for _, x := range msgs.Items {
			if x.ID == m.ID {
				m = x
			}
		}
	}
}

// TestDemoBotOffersAMenuOfSeveralChoices: a newcomer writing to the demo bot
// gets a menu with more than one way forward, and a choice the bot answers
// itself keeps the conversation with the bot.
func TestDemoBotOffersAMenuOfSeveralChoices(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), Demo: true})
	ctx := context.Background()
	chans, err := a.Store.ListChannels(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var apiCh desk.Channel
	for _, ch := range chans {
		if ch.Type == desk.ChannelAPI && ch.Name == "Support API" {
			apiCh = ch
		}
	}
	contact := store.InboundContact{ExternalID: "menu-test", Name: "Menu Tester"}
	res, err := a.Store.Inbound(ctx, apiCh.ID, contact, store.InboundMessage{ExternalID: "menu-1", Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	// botSays waits for the bot's n-th message in the conversation.
	botSays := func(n int) desk.Message {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			msgs, err := a.Store.ListMessages(ctx, desk.SystemActor, res.ConversationID, store.MessagePage{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var bot []desk.Message
			for _, m := range msgs {
				if m.Author.Type == desk.AuthorBot {
					bot = append(bot, m)
				}
			}
			if len(bot) >= n {
				return bot[n-1]
			}
		}
		t.Fatalf("the demo bot did not send message %d", n)
		return desk.Message{}
	}
	menu := botSays(1)
	if len(menu.Buttons) < 3 {
		t.Fatalf("the demo bot's menu offers %d choices: %+v", len(menu.Buttons), menu.Buttons)
	}
	if _, err := a.Store.Inbound(ctx, apiCh.ID, contact, store.InboundMessage{ExternalID: "menu-2", Text: menu.Buttons[1].Title,
		Extra: desk.MessageExtra{Payload: menu.Buttons[1].ID}}); err != nil {
		t.Fatal(err)
	}
	if answer := botSays(2); !strings.Contains(answer.Text, "Monday to Friday") {
		t.Errorf("choosing %q: the bot answered %q", menu.Buttons[1].Title, answer.Text)
	}
	c, err := a.Store.GetConversation(ctx, desk.SystemActor, res.ConversationID)
	if err != nil || c.Phase != desk.PhaseBot {
		t.Errorf("after a choice the bot answers itself, phase %s (%v)", c.Phase, err)
	}
}
