package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
	"github.com/relevo/relevo/internal/widgetapi"
)

func TestSameClientIDStoresOneMessage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		first := v.say("m-1", "Where is my order?")
		again := v.say("m-1", "Where is my order?")
		if first.ID != again.ID || first.ClientID != "m-1" || first.Author.Type != desk.AuthorContact {
			t.Fatalf("first %+v, again %+v", first, again)
		}
		// Another visitor may use the same client id: its own message.
		other := e.anon().say("m-1", "Mine")
		if other.ID == first.ID || other.ConversationID == first.ConversationID {
			t.Fatal("client ids of two visitors collide")
		}
		n := 0
		for _, m := range v.messages("").Items {
			if m.Author.Type == desk.AuthorContact {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d customer messages, want 1", n)
		}
	})
}

func TestSendValidatesTheMessage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		for name, in := range map[string]widgetapi.WidgetSendRequest{
			"no id":        {Text: "hi"},
			"long id":      {ID: strings.Repeat("x", 101), Text: "hi"},
			"nothing":      {ID: "1", Text: "  "},
			"long text":    {ID: "1", Text: strings.Repeat("é", desk.MaxTextLen+1)},
			"long payload": {ID: "1", Text: "a", Payload: strings.Repeat("p", 201)},
			"no upload":    {ID: "1", AttachmentIDs: []string{"nope"}},
		} {
			if r := v.post("/widget/v1/messages", in); r.Status != 422 {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		if r := v.post("/widget/v1/messages", []byte(`{"id": 1}`)); r.Status != 400 {
			t.Errorf("wrong type: %d", r.Status)
		}
	})
}

// The customer sees its messages, the bot's and agents' and the notices,
// never internal notes or the timeline's events; staff ids never appear.
func TestCustomerNeverSeesNotesOrEvents(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		v := e.anon()
		m := v.say("1", "Hello")
		a := desk.UserActor(e.agent)
		reply := e.assignAndReply(m.ConversationID, "Hi, Alice here")
		if _, err := e.s.AddNote(ctx, a, m.ConversationID, "INTERNAL: customer seems upset"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Resolve(ctx, a, m.ConversationID); err != nil {
			t.Fatal(err)
		}
		e.drain()
		got := v.messages("")
		var texts []string
		for _, it := range got.Items {
			if it.Kind == desk.KindNote || it.Kind == desk.KindEvent || strings.Contains(it.Text, "INTERNAL") {
				t.Errorf("customer sees %+v", it)
			}
			texts = append(texts, it.Text)
		}
		want := []string{"Hello", "An agent will be with you shortly.", "You are being transferred to Agent Alice Agent", "Hi, Alice here", "Resolved"}
		if strings.Join(texts, "|") != strings.Join(want, "|") {
			t.Fatalf("customer sees %q, want %q", texts, want)
		}
		r := v.get("/widget/v1/messages")
		if strings.Contains(string(r.Body), e.agent.ID) || strings.Contains(string(r.Body), e.agent.Email) {
			t.Fatalf("staff id leaks: %s", r.Body)
		}
		if got.Conversation == nil || got.Conversation.Phase != desk.PhaseClosed || got.Conversation.ID != reply.ConversationID {
			t.Fatalf("conversation %+v", got.Conversation)
		}
		// Catch-up after a seq returns only what came later.
		later := v.messages("?after_seq=" + itoa(reply.Seq))
		if len(later.Items) != 1 || later.Items[0].Text != "Resolved" {
			t.Fatalf("after_seq: %+v", later.Items)
		}
		if r := v.get("/widget/v1/messages?after_seq=-1"); r.Status != 422 {
			t.Fatalf("after_seq=-1: %d", r.Status)
		}
	})
}

func TestAgentNameShowsWhileAgentTalks(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		m := v.say("1", "Hello")
		if c := v.messages("").Conversation; c.Phase != desk.PhaseWaiting || c.Agent != "" {
			t.Fatalf("waiting: %+v", c)
		}
		e.assignAndReply(m.ConversationID, "Hi")
		if c := v.messages("").Conversation; c.Phase != desk.PhaseHuman || c.Agent != "Alice Agent" {
			t.Fatalf("human: %+v", c)
		}
	})
}

// A quick reply carries the button's id as payload and its title as text.
func TestQuickReplySendsItsPayload(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		v := e.anon()
		first := v.say("1", "Hi")
		// The bot's menu, as a flow sends it.
		if _, err := e.s.Assign(ctx, desk.UserActor(e.agent), first.ConversationID, store.AssignInput{}); err != nil {
			t.Fatal(err)
		}
		e.drain()
		menu, err := e.s.Send(ctx, desk.UserActor(e.agent), first.ConversationID, store.SendInput{Text: "Pick one",
			Buttons: []desk.Button{{ID: "talk", Title: "Talk to a person"}}})
		if err != nil {
			t.Fatal(err)
		}
		var seen widgetapi.WidgetMessage
		for _, m := range v.messages("").Items {
			if m.ID == menu.ID {
				seen = m
			}
		}
		if len(seen.Buttons) != 1 || seen.Buttons[0] != (desk.Button{ID: "talk", Title: "Talk to a person"}) {
			t.Fatalf("menu as the customer sees it: %+v", seen)
		}
		var m widgetapi.WidgetMessage
		v.post("/widget/v1/messages", widgetapi.WidgetSendRequest{ID: "2", Text: "Talk to a person", Payload: "talk"}).want(200).decode(&m)
		stored, err := e.s.GetMessage(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Payload != "talk" || stored.Text != "Talk to a person" || stored.ExternalID != "w:"+v.contactID+":2" {
			t.Fatalf("stored %+v", stored)
		}
	})
}

// Web messages are delivered once stored: the outbox marks them sent and
// ends the processing lock without calling anything.
func TestWebSenderMarksMessagesSent(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		m := e.anon().say("1", "Hi")
		reply := e.assignAndReply(m.ConversationID, "Hello!")
		got, err := e.s.GetMessage(context.Background(), reply.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != desk.StatusSent {
			t.Fatalf("status %s, want sent", got.Status)
		}
		c, _ := e.s.GetConversation(context.Background(), desk.SystemActor, m.ConversationID)
		if c.Locked(e.db.Clock.Now()) {
			t.Fatal("the lock still holds after the notice was delivered")
		}
	})
}

func TestUploadsHaveTheWidgetsOwnLimit(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		if r := v.upload("big.txt", []byte(strings.Repeat("a", 2000))); r.Status != 413 || r.code() != "payload_too_large" {
			t.Fatalf("over the limit: %d %s", r.Status, r.Body)
		}
		v.upload("small.txt", []byte("a")).want(200)
	}, func(o *web.Options) { o.MaxUpload = 1000 })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Bot messages are stored under a generic name; customers see the bot's.
func TestBotMessagesShowTheBotsName(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		sd := storetest.NewSeed(t, e.s)
		bot := sd.Bot(desk.Bot{Name: "Lucky Shrub", WebhookURL: "https://bot.example/hook"})
		ch := sd.Channel(desk.Channel{BotID: bot.ID, Type: desk.ChannelWeb, Name: "Shrub site"})
		v, r := e.session(ch, "", widgetapi.WidgetSessionRequest{})
		r.want(200)
		m := v.say("1", "Hi")
		if _, err := e.s.Send(ctx, desk.Actor{Integration: true, BotID: bot.ID}, m.ConversationID, store.SendInput{Text: "Hello from the bot"}); err != nil {
			t.Fatal(err)
		}
		items := v.messages("").Items
		last := items[len(items)-1]
		if last.Author != (widgetapi.WidgetAuthor{Type: desk.AuthorBot, Name: "Lucky Shrub"}) {
			t.Fatalf("bot message as the customer sees it: %+v", last)
		}
	})
}
