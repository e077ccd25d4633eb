package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
	"github.com/relevo/relevo/internal/webhook"
)

// receipt is one POST the fake bot received.
type receipt struct {
	EventID string
	Type    string // the body's "type"
	Body    []byte
	Signed  bool // the signature verified with the bot's secret
	Stamp   int64
}

// fakeBot is an external bot's webhook: it records every POST, checks its
// signature against the bot's secret, and answers with status.
type fakeBot struct {
	*httptest.Server
	mu     sync.Mutex
	secret []byte
	got    []receipt
	status int
}

func newFakeBot(t *testing.T) *fakeBot {
	f := &fakeBot{status: http.StatusOK}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderTimestamp), 10, 64)
		var typ struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(body, &typ)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.got = append(f.got, receipt{EventID: r.Header.Get(webhook.HeaderEventID), Type: typ.Type, Body: body, Stamp: ts,
			Signed: auth.VerifySignature(f.secret, ts, body, r.Header.Get(webhook.HeaderSignature))})
		w.WriteHeader(f.status)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeBot) answer(status int) { f.mu.Lock(); f.status = status; f.mu.Unlock() }

func (f *fakeBot) receipts() []receipt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]receipt(nil), f.got...)
}

// perEvent counts receipts by event id.
func (f *fakeBot) perEvent() map[string]int {
	n := map[string]int{}
	for _, r := range f.receipts() {
		n[r.EventID]++
	}
	return n
}

// deskSetup is an external bot (its webhook at the fake bot's URL) with an
// API channel, on db.
type deskSetup struct {
	db      *storetest.DB
	s       *store.Store
	bot     desk.Bot
	channel desk.Channel
	ctx     context.Context
}

func newDesk(t *testing.T, db *storetest.DB, f *fakeBot) *deskSetup {
	ctx := context.Background()
	// The world's bot is external: its webhook is the fake bot.
	w := storetest.NewWorld(t, db, storetest.WorldOptions{WebhookURL: f.URL})
	b, ch := w.Bot, w.API
	f.mu.Lock()
	f.secret = []byte(b.WebhookSecret)
	f.mu.Unlock()
	return &deskSetup{db: db, s: db.Store, bot: b, channel: ch, ctx: ctx}
}

// queue opens a conversation and hands it over: the outbox then holds the
// bot's message.created and conversation.handover events and the
// customer's "queued" notice. It returns the conversation and the notice.
func (d *deskSetup) queue(t *testing.T, n int) (string, desk.Message) {
	t.Helper()
	res := storetest.NewSeed(t, d.s).Inbound(d.channel.ID, store.InboundContact{ExternalID: fmt.Sprintf("c%d", n), Name: "Xu"},
		store.InboundMessage{ExternalID: fmt.Sprintf("m%d", n), Text: "I have a question"})
	if _, err := d.s.Handover(d.ctx, desk.Actor{Integration: true, BotID: d.bot.ID}, res.ConversationID, store.HandoverInput{}); err != nil {
		t.Fatal(err)
	}
	return res.ConversationID, d.last(t, res.ConversationID)
}

func (d *deskSetup) last(t *testing.T, convID string) desk.Message {
	t.Helper()
	list, err := d.s.ListMessages(d.ctx, desk.SystemActor, convID, store.MessagePage{Limit: 100})
	if err != nil || len(list) == 0 {
		t.Fatalf("messages: %v", err)
	}
	return list[len(list)-1]
}

// worker is the production outbox wiring: the API channel's sender and the
// bot event sender, both POSTing signed webhooks, on the fake clock.
func worker(s *store.Store, db *storetest.DB, f *fakeBot) *jobs.Outbox {
	p := webhook.Poster{HTTP: f.Client(), Now: db.Clock.Now}
	return &jobs.Outbox{Store: s, Log: slog.New(slog.DiscardHandler), Routes: jobs.Routes{
		Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: api.Sender{Poster: p}},
		BotEvent: bot.EventSender{Poster: p},
	}}
}

func drain(t *testing.T, o *jobs.Outbox) {
	t.Helper()
	if err := o.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxPostsSignedNoticesAndBotEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		f := newFakeBot(t)
		d := newDesk(t, db, f)
		convID, notice := d.queue(t, 1)
		if notice.Status != desk.StatusPending || notice.Text != "An agent will be with you shortly." {
			t.Fatalf("notice before delivery: %+v", notice)
		}
		drain(t, worker(d.s, db, f))

		got := f.receipts()
		types := map[string]receipt{}
		for _, r := range got {
			if !r.Signed || r.Stamp != db.Clock.Now().Unix() || r.EventID == "" {
				t.Fatalf("receipt %+v: want signed with the bot's secret at the store's time", r)
			}
			if auth.VerifySignature([]byte("not the secret"), r.Stamp, r.Body, auth.Sign(f.secret, r.Stamp, r.Body)) {
				t.Fatal("a wrong secret verifies")
			}
			types[r.Type] = r
		}
		if len(got) != 3 || len(types) != 3 {
			t.Fatalf("receipts %+v, want the customer message, handover and notice once each", types)
		}
		var out botapi.Outbound
		if err := json.Unmarshal(types[string(botapi.EventOutbound)].Body, &out); err != nil || out.ConversationID != convID ||
			out.Message.ID != notice.ID || out.Message.Text != notice.Text || out.Contact.ExternalID != "c1" || out.ChannelID != d.channel.ID {
			t.Fatalf("outbound body %s (%v)", types[string(botapi.EventOutbound)].Body, err)
		}
		var ev botapi.Event
		if err := json.Unmarshal(types[string(botapi.EventHandover)].Body, &ev); err != nil || ev.ConversationID != convID ||
			ev.Phase != desk.PhaseWaiting || ev.BotID != d.bot.ID || ev.ID != types[string(botapi.EventHandover)].EventID {
			t.Fatalf("handover event %s (%v)", types[string(botapi.EventHandover)].Body, err)
		}
		if _, ok := types[string(botapi.EventMessage)]; !ok {
			t.Fatalf("the bot was not told of the customer's message: %+v", types)
		}
		if m := d.last(t, convID); m.ID != notice.ID || m.Status != desk.StatusSent || m.Error != nil {
			t.Fatalf("notice after delivery: %+v", m)
		}
		// Nothing is delivered twice.
		drain(t, worker(d.s, db, f))
		if n := len(f.receipts()); n != 3 {
			t.Fatalf("%d receipts after a second drain, want 3", n)
		}
	})
}

func TestOutboxRetriesServerErrorsWithGrowingBackoff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		f := newFakeBot(t)
		d := newDesk(t, db, f)
		convID, notice := d.queue(t, 1)
		o := worker(d.s, db, f)
		f.answer(http.StatusInternalServerError)
		attempts := func(want int) {
			t.Helper()
			per := f.perEvent()
			if len(per) != 3 {
				t.Fatalf("receipts by event %v, want 3 events", per)
			}
			for id, n := range per {
				if n != want {
					t.Fatalf("event %s tried %d times, want %d", id, n, want)
				}
			}
		}
		drain(t, o)
		attempts(1)
		drain(t, o) // not due yet
		attempts(1)
		if m := d.last(t, convID); m.Status != desk.StatusPending {
			t.Fatalf("notice after a 500: %+v, want still pending", m)
		}
		db.Clock.Advance(1300 * time.Millisecond) // past the first backoff (≤ 1.2 s)
		drain(t, o)
		attempts(2)
		db.Clock.Advance(1500 * time.Millisecond) // the second backoff is ≥ 1.6 s
		drain(t, o)
		attempts(2)
		f.answer(http.StatusOK)
		db.Clock.Advance(time.Second) // 2.5 s > 2.4 s
		drain(t, o)
		attempts(3)
		if m := d.last(t, convID); m.ID != notice.ID || m.Status != desk.StatusSent {
			t.Fatalf("notice after the retry: %+v", m)
		}
	})
}

func TestOutboxFailsForGood(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		maxAttempts int
		tries       int
		reason      string
	}{
		{"on a 400", http.StatusBadRequest, 8, 1, "400"},
		{"after the last attempt", http.StatusServiceUnavailable, 2, 2, "503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *storetest.DB) {
				f := newFakeBot(t)
				d := newDesk(t, db, f)
				convID, notice := d.queue(t, 1)
				f.answer(tc.status)
				o := worker(d.s, db, f)
				o.MaxAttempts = tc.maxAttempts
				for range 5 {
					drain(t, o)
					db.Clock.Advance(time.Minute)
				}
				m := d.last(t, convID)
				if m.ID != notice.ID || m.Status != desk.StatusFailed || m.Error == nil || !strings.Contains(*m.Error, tc.reason) {
					t.Fatalf("notice %+v (error %v), want failed with %s", m, m.Error, tc.reason)
				}
				for id, n := range f.perEvent() {
					if n != tc.tries {
						t.Fatalf("event %s tried %d times, want %d", id, n, tc.tries)
					}
				}
			})
		})
	}
}

func TestAPIChannelWithoutWebhookMarksMessagesSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		f := newFakeBot(t)
		d := newDesk(t, db, f)
		empty := ""
		if _, err := d.s.UpdateBot(d.ctx, d.bot.ID, store.BotPatch{WebhookURL: &empty}); err != nil {
			t.Fatal(err)
		}
		res, err := d.s.Inbound(d.ctx, d.channel.ID, store.InboundContact{ExternalID: "c1"}, store.InboundMessage{ExternalID: "m1", Text: "hi"})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, worker(d.s, db, f))
		if m := d.last(t, res.ConversationID); m.Author.Type != desk.AuthorSystem || m.Status != desk.StatusSent {
			t.Fatalf("queued notice %+v, want sent", m)
		}
		if n := len(f.receipts()); n != 0 {
			t.Fatalf("%d POSTs with no webhook_url", n)
		}
	})
}

// TestTwoWorkersNeverDeliverOneItemTwice runs two nodes' workers, each
// with its own store handle on one database, at once over the same queue.
func TestTwoWorkersNeverDeliverOneItemTwice(t *testing.T) {
	const convs = 30
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		f := newFakeBot(t)
		d := newDesk(t, db, f)
		for i := range convs {
			d.queue(t, i)
		}
		other, err := store.Open(d.ctx, store.Options{DatabaseURL: db.URL, DataDir: db.Dir, Clock: db.Clock})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		workers := []*jobs.Outbox{worker(d.s, db, f), worker(other, db, f)}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, o := range workers {
			o.Concurrency = 4
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if err := o.Drain(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		per := f.perEvent()
		if len(per) != 3*convs {
			t.Fatalf("%d events delivered, want %d", len(per), 3*convs)
		}
		for id, n := range per {
			if n != 1 {
				t.Fatalf("event %s delivered %d times", id, n)
			}
		}
	})
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	prevMax := time.Duration(0)
	for attempt := 0; attempt <= 20; attempt++ {
		base := time.Second << min(max(attempt, 1)-1, 20)
		base = min(base, 5*time.Minute)
		lo, hi := time.Duration(float64(base)*0.8), time.Duration(float64(base)*1.2)
		seen := map[time.Duration]bool{}
		for range 200 {
			d := jobs.Backoff(attempt)
			if d < lo || d > hi {
				t.Fatalf("Backoff(%d) = %v, want within [%v, %v]", attempt, d, lo, hi)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Fatalf("Backoff(%d) has no jitter: %v", attempt, seen)
		}
		if hi < prevMax {
			t.Fatalf("Backoff(%d) shrinks", attempt)
		}
		prevMax = hi
	}
	if hi := jobs.Backoff(1000); hi > 6*time.Minute {
		t.Fatalf("Backoff(1000) = %v, want capped at 5 min ± 20 %%", hi)
	}
}
