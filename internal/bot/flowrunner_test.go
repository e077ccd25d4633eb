package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/bot"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/flow"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// billingFlow greets, asks for an email, offers a menu and hands billing
// questions to a team (TEAM is replaced by its id).
const billingFlow = `{"start":"welcome","nodes":{
	"welcome":{"type":"message","text":"Hi! I'm Acme's assistant.","next":"ask_email"},
	"ask_email":{"type":"question","text":"Your email?","attribute":"email","validate":"email","retry_text":"Please type a valid email.","next":"menu"},
	"menu":{"type":"menu","text":"How can we help?","options":[{"id":"billing","label":"Billing","next":"to_billing"},{"label":"Something else","next":"bye"}]},
	"to_billing":{"type":"handover","team_id":"TEAM","note":"Billing question"},
	"bye":{"type":"end","text":"Bye!"}}}`

// flowWorld is a bot running billingFlow on an API channel, with an
// outbox whose channel sender accepts everything and whose flow sender is
// the real runner.
type flowWorld struct {
	s      *store.Store
	ctx    context.Context
	bot    desk.Bot
	team   desk.Team
	ch     desk.Channel
	runner bot.FlowRunner
	out    *jobs.Outbox
	logs   *syncBuffer
	n      int
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newFlowWorld(t *testing.T, db *storetest.DB, teamID string) *flowWorld {
	t.Helper()
	w := &flowWorld{s: db.Store, ctx: context.Background(), logs: &syncBuffer{}}
	sd := storetest.NewSeed(t, w.s)
	w.bot = sd.Bot(desk.Bot{Name: "Acme"})
	w.team = sd.Team(desk.Team{Name: "Billing", BotID: w.bot.ID})
	if teamID == "" {
		teamID = w.team.ID
	}
	raw := json.RawMessage(strings.ReplaceAll(billingFlow, "TEAM", teamID))
	w.bot = storetest.Must[desk.Bot](t)(w.s.UpdateBot(w.ctx, w.bot.ID, store.BotPatch{Flow: &raw}))
	w.ch = sd.APIChannel(w.bot, "API")
	log := slog.New(slog.NewTextHandler(w.logs, nil))
	w.runner = bot.FlowRunner{Store: w.s, Log: log}
	ok := jobs.SenderFunc(func(context.Context, store.Delivery) (string, error) { return "", nil })
	w.out = &jobs.Outbox{Store: w.s, Log: log, Routes: jobs.Routes{
		Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: ok}, Flow: w.runner}}
	return w
}

// says stores a customer message (payload: a pressed button) without
// running anything.
func (w *flowWorld) says(t *testing.T, text, payload string) store.InboundResult {
	t.Helper()
	w.n++
	return storetest.NewSeed(t, w.s).Inbound(w.ch.ID, store.InboundContact{ExternalID: "ana", Name: "Ana"},
		store.InboundMessage{ExternalID: fmt.Sprintf("m%d", w.n), Text: text, Extra: desk.MessageExtra{Payload: payload}})
}

// run delivers everything due, flow steps and the messages they send.
func (w *flowWorld) run(t *testing.T) {
	t.Helper()
	if err := w.out.Drain(w.ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(w.logs.String(), "delivery failed") {
		t.Fatalf("a delivery failed:\n%s", w.logs)
	}
}

// botSaid lists the texts the bot wrote, in order.
func (w *flowWorld) botSaid(t *testing.T, convID string) []desk.Message {
	t.Helper()
	msgs, err := w.s.ListMessages(w.ctx, desk.SystemActor, convID, store.MessagePage{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.Message
	for _, m := range msgs {
		if m.Author.Type == desk.AuthorBot && m.Kind == desk.KindText {
			out = append(out, m)
		}
	}
	return out
}

func texts(ms []desk.Message) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return strings.Join(out, " | ")
}

func (w *flowWorld) state(t *testing.T, convID string) flow.State {
	t.Helper()
	raw, err := w.s.FlowState(w.ctx, convID)
	if err != nil {
		t.Fatal(err)
	}
	var st flow.State
	if raw != nil && json.Unmarshal(raw, &st) != nil {
		t.Fatalf("state %s", raw)
	}
	return st
}

func (w *flowWorld) conversation(t *testing.T, id string) desk.Conversation {
	t.Helper()
	c, err := w.s.GetConversation(w.ctx, desk.SystemActor, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFlowTakesACustomerFromHelloToTheBillingTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "")
		id := w.says(t, "hi", "").ConversationID
		w.run(t)
		if got := texts(w.botSaid(t, id)); got != "Hi! I'm Acme's assistant. | Your email?" {
			t.Fatalf("bot said %q", got)
		}
		w.says(t, "ana at example", "")
		w.run(t)
		w.says(t, "ana@example.com", "")
		w.run(t)
		said := w.botSaid(t, id)
		if got := texts(said[2:]); got != "Please type a valid email. | How can we help?" {
			t.Fatalf("bot said %q", got)
		}
		menu := said[len(said)-1]
		if len(menu.Buttons) != 2 || menu.Buttons[0] != (desk.Button{ID: "billing", Title: "Billing"}) || menu.Status != desk.StatusSent {
			t.Fatalf("menu = %+v", menu)
		}
		c := w.conversation(t, id)
		if ct, _ := w.s.GetContact(w.ctx, c.Contact.ID); ct.Attributes["email"] != "ana@example.com" {
			t.Fatalf("contact attributes = %v", ct.Attributes)
		}
		last := w.says(t, "Billing", "billing")
		w.run(t)
		c = w.conversation(t, id)
		if c.Phase != desk.PhaseWaiting || c.TeamID == nil || *c.TeamID != w.team.ID || c.Protocol == nil {
			t.Fatalf("after the menu: %+v", c)
		}
		msgs, _ := w.s.ListMessages(w.ctx, desk.SystemActor, id, store.MessagePage{Limit: 200})
		var ev *desk.Event
		for _, m := range msgs {
			if m.Event != nil && m.Event.Type == desk.EventHandover {
				ev = m.Event
			}
		}
		// The node it handed over at is kept for the bots report.
		if ev == nil || ev.Note != "Billing question" || ev.To != w.team.ID || ev.NodeID != "to_billing" {
			t.Fatalf("handover event = %+v", ev)
		}
		if st := w.state(t, id); !st.Done || st.LastMessageID != last.MessageID {
			t.Fatalf("state = %+v", st)
		}
	})
}

func TestFlowRunnerSendsNothingTwiceWhenRunAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "")
		id := w.says(t, "hi", "").ConversationID
		items, err := w.s.ClaimOutbox(w.ctx, 10, time.Minute)
		if err != nil || len(items) != 1 {
			t.Fatalf("claimed %v, %v", items, err)
		}
		d, err := w.s.LoadDelivery(w.ctx, items[0])
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // a retry after the worker lost track of its success
			if _, err := w.runner.Send(w.ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		// A crash after the replies but before the state was stored.
		cur, _ := w.s.FlowState(w.ctx, id)
		if err := w.s.SetFlowState(w.ctx, id, cur, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := w.runner.Send(w.ctx, d); err != nil {
			t.Fatal(err)
		}
		if got := texts(w.botSaid(t, id)); got != "Hi! I'm Acme's assistant. | Your email?" {
			t.Fatalf("bot said %q", got)
		}
		if st := w.state(t, id); st.Node != "ask_email" || st.LastMessageID != d.Message.ID {
			t.Fatalf("state = %+v", st)
		}
	})
}

func TestFlowRunnerRunsWaitingMessagesInTheirOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "")
		id := w.says(t, "hi", "").ConversationID
		w.run(t)
		w.says(t, "oops", "")
		w.says(t, "ana@example.com", "")
		items, err := w.s.ClaimOutbox(w.ctx, 10, time.Minute)
		if err != nil || len(items) != 2 {
			t.Fatalf("claimed %v, %v", items, err)
		}
		// The later message's step runs first: it runs the earlier one
		// before its own, and the earlier step then has nothing to do.
		ds := make([]store.Delivery, 2)
		for i, it := range items {
			if ds[i], err = w.s.LoadDelivery(w.ctx, it); err != nil {
				t.Fatal(err)
			}
		}
		if ds[0].Message.Seq < ds[1].Message.Seq {
			ds[0], ds[1] = ds[1], ds[0]
		}
		for _, d := range ds {
			if _, err := w.runner.Send(w.ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		if got := texts(w.botSaid(t, id)[2:]); got != "Please type a valid email. | How can we help?" {
			t.Fatalf("bot said %q", got)
		}
		if st := w.state(t, id); st.Node != "menu" || st.LastMessageID != ds[0].Message.ID {
			t.Fatalf("state = %+v", st)
		}
	})
}

func TestFlowStepsOfOneConversationOnManyWorkersRunOnceInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "")
		id := w.says(t, "hi", "").ConversationID
		w.says(t, "oops", "")
		w.says(t, "ana@example.com", "")
		w.says(t, "Something else", "")
		// Every step is claimed at once and runs concurrently: one runner
		// takes the conversation, the others come back later.
		for range 10 {
			if err := w.out.Drain(w.ctx); err != nil {
				t.Fatal(err)
			}
			db.Clock.Advance(10 * time.Minute)
		}
		want := "Hi! I'm Acme's assistant. | Your email? | Please type a valid email. | How can we help? | Bye!"
		if got := texts(w.botSaid(t, id)); got != want {
			t.Fatalf("bot said %q\nwant      %q", got, want)
		}
	})
}

func TestFlowRunnerStaysQuietOncePeopleOwnTheConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "")
		id := w.says(t, "hi", "").ConversationID
		if _, err := w.s.Handover(w.ctx, desk.Actor{Integration: true, BotID: w.bot.ID}, id, store.HandoverInput{}); err != nil {
			t.Fatal(err)
		}
		w.run(t)
		if said := w.botSaid(t, id); len(said) != 0 {
			t.Fatalf("the flow spoke after the handover: %q", texts(said))
		}
	})
}

func TestFlowHandsOverWithoutATeamThatNoLongerExists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "01deletedteam")
		id := w.says(t, "hi", "").ConversationID
		w.run(t)
		w.says(t, "ana@example.com", "")
		w.run(t)
		w.says(t, "1", "")
		w.run(t)
		c := w.conversation(t, id)
		if c.Phase != desk.PhaseWaiting || c.TeamID != nil {
			t.Fatalf("conversation = %+v", c)
		}
	})
}

func TestFlowHandsOverACustomerWhoCannotAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "")
		id := w.says(t, "hi", "").ConversationID
		w.run(t)
		for i := range flow.MaxRetries + 1 {
			if c := w.conversation(t, id); c.Phase != desk.PhaseBot {
				t.Fatalf("handed over after %d wrong answers", i)
			}
			w.says(t, "no idea", "")
			w.run(t)
		}
		if c := w.conversation(t, id); c.Phase != desk.PhaseWaiting {
			t.Fatalf("phase after %d wrong answers = %s", flow.MaxRetries+1, c.Phase)
		}
		// The step the customer was stuck at is the handover's step.
		if ev := w.handoverEvent(t, id); ev == nil || ev.NodeID != "ask_email" {
			t.Fatalf("handover event = %+v", ev)
		}
	})
}

func TestKeywordHandsOverMidFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := newFlowWorld(t, db, "")
		id := w.says(t, "hi", "").ConversationID
		w.run(t)
		if res := w.says(t, "quero um ATENDENTE", ""); res.Phase != desk.PhaseWaiting {
			t.Fatalf("phase after a keyword = %s", res.Phase)
		}
		w.run(t)
		if got := texts(w.botSaid(t, id)); got != "Hi! I'm Acme's assistant. | Your email?" {
			t.Fatalf("bot said %q", got)
		}
		// The customer asked, not the flow: no step is named.
		if ev := w.handoverEvent(t, id); ev == nil || ev.NodeID != "" {
			t.Fatalf("handover event = %+v", ev)
		}
	})
}

// handoverEvent is the conversation's handover event, if any.
func (w *flowWorld) handoverEvent(t *testing.T, convID string) *desk.Event {
	t.Helper()
	msgs, err := w.s.ListMessages(w.ctx, desk.SystemActor, convID, store.MessagePage{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Event != nil && m.Event.Type == desk.EventHandover {
			return m.Event
		}
	}
	return nil
}
