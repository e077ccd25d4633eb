package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/bot"
	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/channel/api"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpapi"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
	"github.com/relevo/relevo/internal/webhook"
)

// delivery is one POST an external bot received.
type delivery struct {
	HeaderID, ID, Type, ConversationID, Text string
	Signed, Fresh                            bool
}

// receiver is an external bot's webhook. It records every POST, verifies
// its signature with the bot's secret, and answers with react's status
// (200 when react is nil).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	secret []byte
	now    func() time.Time
	got    []delivery
	react  func(d delivery) int
}

func newReceiver(t *testing.T, now func() time.Time) *receiver {
	rc := &receiver{now: now}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev struct {
			ID             string `json:"id"`
			Type           string `json:"type"`
			ConversationID string `json:"conversation_id"`
			Message        *struct {
				Text string `json:"text"`
			} `json:"message"`
		}
		_ = json.Unmarshal(body, &ev)
		ts, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderTimestamp), 10, 64)
		rc.mu.Lock()
		d := delivery{HeaderID: r.Header.Get(webhook.HeaderEventID), ID: ev.ID, Type: ev.Type, ConversationID: ev.ConversationID,
			Signed: auth.VerifySignature(rc.secret, ts, body, r.Header.Get(webhook.HeaderSignature)),
			Fresh:  rc.now().Unix()-ts < 300}
		if ev.Message != nil {
			d.Text = ev.Message.Text
		}
		rc.got = append(rc.got, d)
		react := rc.react
		rc.mu.Unlock()
		status := http.StatusOK
		if react != nil {
			status = react(d)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

// unique drops repeats of an event id, as a receiver must.
func (rc *receiver) unique() []delivery {
	seen := map[string]bool{}
	var out []delivery
	for _, d := range rc.deliveries() {
		if !seen[d.HeaderID] {
			seen[d.HeaderID] = true
			out = append(out, d)
		}
	}
	return out
}

// external is a desk whose bot is external, served through the real
// router, with the production outbox senders posting to the receiver.
type external struct {
	s     *store.Store
	db    *storetest.DB
	ctx   context.Context
	world *storetest.World
	bot   desk.Bot
	ch    desk.Channel
	api   *httptest.Server
	token string
	rc    *receiver
	out   *jobs.Outbox
}

func newExternal(t *testing.T, db *storetest.DB) *external {
	t.Helper()
	e := &external{s: db.Store, db: db, ctx: context.Background(), rc: newReceiver(t, db.Clock.Now)}
	// The world's bot is external: its webhook is the receiver.
	e.world = storetest.NewWorld(t, db, storetest.WorldOptions{WebhookURL: e.rc.URL})
	e.bot, e.ch = e.world.Bot, e.world.API
	e.rc.secret = []byte(e.bot.WebhookSecret)
	plain, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.CreateToken(e.ctx, "rasa bridge", e.bot.ID, "", hash); err != nil {
		t.Fatal(err)
	}
	e.token = plain
	log := slog.New(slog.DiscardHandler)
	srv, err := httpapi.New(httpapi.Config{UploadDir: t.TempDir()}, httpapi.Deps{Store: e.s, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	e.api = httptest.NewServer(srv)
	t.Cleanup(e.api.Close)
	e.out = outbox(e.s, db, e.rc)
	return e
}

// outbox is the production wiring of bot events and API-channel messages.
func outbox(s *store.Store, db *storetest.DB, rc *receiver) *jobs.Outbox {
	p := webhook.Poster{HTTP: rc.Client(), Now: db.Clock.Now}
	return &jobs.Outbox{Store: s, Log: slog.New(slog.DiscardHandler), Routes: jobs.Routes{
		Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: api.Sender{Poster: p}},
		BotEvent: bot.EventSender{Poster: p, Store: s}}}
}

// call is the bot calling Relevo's API with its token.
func (e *external) call(path string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, e.api.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := e.api.Client().Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// drain delivers what is due, then moves the clock past any retry.
func (e *external) drain(t *testing.T) {
	t.Helper()
	for range 3 {
		if err := e.out.Drain(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.db.Clock.Advance(10 * time.Minute)
	}
}

func TestExternalBotConversesThroughSignedWebhooksAndItsToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newExternal(t, db)
		var mu sync.Mutex
		failedOnce, replies := false, map[int]int{}
		e.rc.react = func(d delivery) int {
			if d.Type != string(botapi.EventMessage) {
				return http.StatusOK
			}
			mu.Lock()
			defer mu.Unlock()
			if !failedOnce {
				failedOnce = true
				return http.StatusServiceUnavailable // the outbox must come back
			}
			// The bot's logic: talk back, or hand over when it gives up.
			path := "/api/v1/conversations/" + d.ConversationID
			if d.Text == "transfer me" {
				code, _ := e.call(path+"/handover", map[string]string{"note": "the bot could not help"})
				replies[code]++
				return http.StatusOK
			}
			code, _ := e.call(path+"/messages", map[string]any{"text": "You said: " + d.Text, "client_id": d.HeaderID,
				"buttons": []desk.Button{{ID: "more", Title: "Tell me more"}}})
			replies[code]++
			return http.StatusOK
		}
		code, res := e.call("/api/v1/channels/"+e.ch.ID+"/inbound", map[string]any{
			"contact": map[string]string{"external_id": "u1", "name": "Ana"}, "message": map[string]string{"id": "in-1", "text": "hello"}})
		if code != http.StatusOK {
			t.Fatalf("inbound: %d %v", code, res)
		}
		convID := res["conversation_id"].(string)
		e.drain(t)
		e.call("/api/v1/channels/"+e.ch.ID+"/inbound", map[string]any{
			"contact": map[string]string{"external_id": "u1"}, "message": map[string]string{"id": "in-2", "text": "transfer me"}})
		e.drain(t)
		c, err := e.s.GetConversation(e.ctx, desk.SystemActor, convID)
		if err != nil || c.Phase != desk.PhaseWaiting {
			t.Fatalf("after the bot's handover: %+v, %v", c, err)
		}
		msgs, _ := e.s.ListMessages(e.ctx, desk.SystemActor, convID, store.MessagePage{Limit: 100})
		if m := botReply(msgs); m == nil || len(m.Buttons) != 1 || m.Buttons[0].ID != "more" || m.Status != desk.StatusSent {
			t.Fatalf("the bot's reply: %+v", m)
		}
		// Once people own the conversation the bot may not write.
		if code, _ := e.call("/api/v1/conversations/"+convID+"/messages", map[string]string{"text": "still here"}); code != http.StatusConflict {
			t.Fatalf("a bot writing in phase waiting: %d", code)
		}
		e.peopleTakeOver(t, convID)

		all := e.rc.deliveries()
		for _, d := range all {
			if !d.Signed || !d.Fresh || d.HeaderID != d.ID || d.ConversationID != convID {
				t.Fatalf("delivery %+v: want signed, fresh, with its id in the header", d)
			}
		}
		var got []string
		for _, d := range e.rc.unique() {
			got = append(got, d.Type+" "+d.Text)
		}
		want := []string{"message.created hello", "message.outbound You said: hello", "message.created transfer me",
			"conversation.handover ", "message.outbound An agent will be with you shortly.",
			"conversation.assigned ", "message.outbound You are being transferred to Agent Ana",
			"conversation.transferred ", "message.outbound An agent will be with you shortly.", "conversation.assigned ", "message.outbound You are being transferred to Agent Ana",
			"conversation.resolved ", "message.outbound Resolved"}
		if strings.Join(sortedPairs(got), "\n") != strings.Join(sortedPairs(want), "\n") {
			t.Fatalf("the bot was told:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(all) != len(got)+1 || all[0].HeaderID != all[1].HeaderID {
			t.Fatalf("want exactly one retry (of the first event), got %d deliveries for %d events", len(all), len(got))
		}
		if replies[http.StatusOK] != 2 || len(replies) != 1 {
			t.Fatalf("the bot's API calls answered %v", replies)
		}
	})
}

func botReply(msgs []desk.Message) *desk.Message {
	for i := range msgs {
		if msgs[i].Author.Type == desk.AuthorBot && msgs[i].Kind == desk.KindText {
			return &msgs[i]
		}
	}
	return nil
}

// sortedPairs orders what the bot was told by type and text: events of
// one moment (an event and its notice) may arrive in either order.
func sortedPairs(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return out
}

// peopleTakeOver has an agent take the conversation, pass it to a team,
// take it again and resolve it, delivering after each step (which ends
// its processing lock).
func (e *external) peopleTakeOver(t *testing.T, convID string) {
	t.Helper()
	// Ana, an online agent of the bot, is in team Sales.
	team, reason := e.world.Sales, e.world.Reason
	agent := e.world.As(e.world.Agent)
	for i, step := range []func() (desk.Conversation, error){
		func() (desk.Conversation, error) { return e.s.Assign(e.ctx, agent, convID, store.AssignInput{}) },
		func() (desk.Conversation, error) {
			return e.s.Transfer(e.ctx, agent, convID, store.TransferInput{TeamID: team.ID, ReasonID: reason.ID})
		},
		func() (desk.Conversation, error) { return e.s.Assign(e.ctx, agent, convID, store.AssignInput{}) },
		func() (desk.Conversation, error) { return e.s.Resolve(e.ctx, agent, convID) },
	} {
		if _, err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		e.drain(t)
	}
}
