package whatsapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/channel/whatsapp"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpapi"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// env is a WhatsApp channel over a real store, served by the real router,
// talking to a fake Graph API.
type env struct {
	t       testing.TB
	db      *storetest.DB
	s       *store.Store
	graph   *fakeGraph
	wa      *whatsapp.Service
	srv     http.Handler
	outbox  *jobs.Outbox
	bot     desk.Bot
	ch      desk.Channel
	uploads string
}

// quiet drops the service's logs: tests provoke warnings on purpose.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newEnv(t testing.TB, db *storetest.DB) *env {
	t.Helper()
	e := &env{t: t, db: db, s: db.Store, graph: newFakeGraph(t), uploads: t.TempDir()}
	sd := storetest.NewSeed(t, e.s)
	// An external bot keeps conversations in phase bot, so the bot may send.
	e.bot = sd.Bot(desk.Bot{Name: "Lucky Shrub", WebhookURL: "https://bot.example.com/hook"})
	e.ch = sd.Channel(desk.Channel{BotID: e.bot.ID, Type: desk.ChannelWhatsApp, Name: "WhatsApp",
		Config: channelConfig(e.graph.api(), 0)})
	e.wa = whatsapp.New(whatsapp.Options{Store: e.s, UploadDir: e.uploads, Log: quiet, MediaTimeout: 5 * time.Second})
	srv, err := httpapi.New(httpapi.Config{UploadDir: e.uploads}, httpapi.Deps{Store: e.s, Log: quiet, WhatsApp: e.wa})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	noop := jobs.SenderFunc(func(context.Context, store.Delivery) (string, error) { return "", nil })
	e.outbox = &jobs.Outbox{Store: e.s, Log: quiet, Routes: jobs.Routes{
		Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelWhatsApp: e.wa}, BotEvent: noop, WhatsAppCall: e.wa.CallSender()}}
	return e
}

func channelConfig(graphURL string, perSecond float64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"phone_number_id": pnid, "waba_id": waba, "access_token": token,
		"app_secret": appSecret, "verify_token": verifyTok, "graph_url": graphURL, "max_per_second": perSecond})
	return b
}

// post delivers a webhook body signed with the channel's app secret.
func (e *env) post(body []byte) *httptest.ResponseRecorder {
	return e.postSigned(body, whatsapp.Sign(appSecret, body))
}

func (e *env) postSigned(body []byte, sig string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/webhooks/whatsapp/"+e.ch.ID, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if sig != "" {
		r.Header.Set("X-Hub-Signature-256", sig)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w
}

// deliver posts a fixture and wants 200.
func (e *env) deliver(name string) {
	e.t.Helper()
	if w := e.post(fixture(e.t, name)); w.Code != 200 {
		e.t.Fatalf("webhook %s: %d %s", name, w.Code, w.Body)
	}
}

// conversations lists every conversation of the channel, open or closed.
func (e *env) conversations() []desk.Conversation {
	e.t.Helper()
	list, _, err := e.s.ListConversations(context.Background(), desk.SystemActor,
		store.ConversationFilter{AllPhases: true, ChannelIDs: []string{e.ch.ID}, Limit: 50})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// only is the one conversation the tests expect.
func (e *env) only() desk.Conversation {
	e.t.Helper()
	list := e.conversations()
	if len(list) != 1 {
		e.t.Fatalf("%d conversations, want 1", len(list))
	}
	c, err := e.s.GetConversation(context.Background(), desk.SystemActor, list[0].ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// messages is the timeline.
func (e *env) messages(convID string) []desk.Message {
	e.t.Helper()
	ms, err := e.s.ListMessages(context.Background(), desk.SystemActor, convID, store.MessagePage{Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	return ms
}

// customerMessages are the timeline's messages written by the contact.
func (e *env) customerMessages(convID string) []desk.Message {
	var out []desk.Message
	for _, m := range e.messages(convID) {
		if m.Author.Type == desk.AuthorContact {
			out = append(out, m)
		}
	}
	return out
}

// send stores a bot message in the conversation and drains the outbox,
// returning the message as stored afterwards.
func (e *env) send(convID string, in store.SendInput) desk.Message {
	e.t.Helper()
	ctx := context.Background()
	m, err := e.s.Send(ctx, desk.Actor{Integration: true, BotID: e.bot.ID}, convID, in)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.outbox.Drain(ctx); err != nil {
		e.t.Fatal(err)
	}
	return e.message(convID, m.ID)
}

func (e *env) message(convID, id string) desk.Message {
	e.t.Helper()
	for _, m := range e.messages(convID) {
		if m.ID == id {
			return m
		}
	}
	e.t.Fatalf("message %s not in conversation %s", id, convID)
	return desk.Message{}
}

// opened delivers the text fixture and returns its conversation.
func (e *env) opened() desk.Conversation {
	e.t.Helper()
	e.deliver("text.json")
	return e.only()
}

func jsonEq(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: not JSON: %s", what, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad expectation: %v", what, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("%s body:\n got %s\nwant %s", what, gb, wb)
	}
}

func errText(m desk.Message) string {
	if m.Error == nil {
		return ""
	}
	return *m.Error
}

func sendText(text string) store.SendInput { return store.SendInput{Text: text} }
