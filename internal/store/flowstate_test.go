package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// askFlow asks one question forever: conversations stay with the bot.
var askFlow = json.RawMessage(`{"start":"ask","nodes":{"ask":{"type":"question","text":"Your name?","attribute":"name","next":"ask"}}}`)

// flowDesk is one bot with an API channel, for the flow and keyword tests.
type flowDesk struct {
	s   *store.Store
	ctx context.Context
	bot desk.Bot
	ch  desk.Channel
	n   int
}

func newFlowDesk(t *testing.T, db *storetest.DB, b desk.Bot) *flowDesk {
	t.Helper()
	d := &flowDesk{s: db.Store, ctx: context.Background()}
	var err error
	if b.Name == "" {
		b.Name = "Acme"
	}
	if d.bot, err = d.s.CreateBot(d.ctx, b); err != nil {
		t.Fatalf("CreateBot: %v", err)
	}
	if d.ch, err = d.s.CreateChannel(d.ctx, desk.Channel{BotID: d.bot.ID, Type: desk.ChannelAPI, Name: "API"}); err != nil {
		t.Fatalf("CreateChannel: %v", err)
	}
	return d
}

// says stores a customer message from contact.
func (d *flowDesk) says(t *testing.T, contact, text string) store.InboundResult {
	t.Helper()
	d.n++
	res, err := d.s.Inbound(d.ctx, d.ch.ID, store.InboundContact{ExternalID: contact, Name: contact},
		store.InboundMessage{ExternalID: fmt.Sprintf("m%d", d.n), Text: text})
	if err != nil {
		t.Fatalf("Inbound %q: %v", text, err)
	}
	return res
}

// claimAll takes every due outbox item.
func (d *flowDesk) claimAll(t *testing.T) []store.OutboxItem {
	t.Helper()
	items, err := d.s.ClaimOutbox(d.ctx, 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func kindsOf(items []store.OutboxItem) string {
	var ks []string
	for _, it := range items {
		ks = append(ks, it.Kind)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

func TestCreateBotRefusesAnInvalidFlowNamingThePath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		bad := json.RawMessage(`{"start":"a","nodes":{"a":{"type":"message","text":"hi","next":"x"}}}`)
		_, err := s.CreateBot(ctx, desk.Bot{Name: "B", Flow: bad})
		var de *desk.Error
		if !errors.As(err, &de) || de.Code != desk.CodeValidationFailed || de.Details["field"] != "flow" || de.Details["path"] != "nodes.a.next" {
			t.Fatalf("CreateBot with a dangling next = %v", err)
		}
		b, err := s.CreateBot(ctx, desk.Bot{Name: "B", Flow: askFlow})
		if err != nil || !b.HasFlow() {
			t.Fatalf("CreateBot with a valid flow = %+v, %v", b, err)
		}
		if _, err := s.UpdateBot(ctx, b.ID, store.BotPatch{Flow: &bad}); !desk.IsCode(err, desk.CodeValidationFailed) {
			t.Fatalf("UpdateBot with a dangling next = %v", err)
		}
		if got, _ := s.GetBot(ctx, b.ID); string(got.Flow) != string(b.Flow) {
			t.Fatalf("a refused update changed the flow to %s", got.Flow)
		}
		empty := json.RawMessage(`{}`)
		if got, err := s.UpdateBot(ctx, b.ID, store.BotPatch{Flow: &empty}); err != nil || got.HasFlow() || string(got.Flow) != "null" {
			t.Fatalf("flow {} = %s, %v; want no flow", got.Flow, err)
		}
	})
}

func TestBotHandoverKeywordsAreStoredCleanAndEmptyMeansDefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b, err := s.CreateBot(ctx, desk.Bot{Name: "B"})
		if err != nil || b.HandoverKeywords == nil || len(b.HandoverKeywords) != 0 {
			t.Fatalf("new bot keywords = %#v, %v", b.HandoverKeywords, err)
		}
		if out, _ := json.Marshal(b); !strings.Contains(string(out), `"handover_keywords":[]`) {
			t.Fatalf("json = %s", out)
		}
		kw := []string{" Operador ", "operador", "falar com alguém"}
		got, err := s.UpdateBot(ctx, b.ID, store.BotPatch{HandoverKeywords: &kw})
		if err != nil || strings.Join(got.HandoverKeywords, "|") != "Operador|falar com alguém" {
			t.Fatalf("keywords = %q, %v", got.HandoverKeywords, err)
		}
		if again, _ := s.GetBot(ctx, b.ID); strings.Join(again.HandoverKeywords, "|") != "Operador|falar com alguém" {
			t.Fatalf("read back = %q", again.HandoverKeywords)
		}
		name := "B2"
		if got, _ = s.UpdateBot(ctx, b.ID, store.BotPatch{Name: &name}); len(got.HandoverKeywords) != 2 {
			t.Fatalf("a patch without keywords dropped them: %q", got.HandoverKeywords)
		}
		bad := []string{"?"}
		_, err = s.UpdateBot(ctx, b.ID, store.BotPatch{HandoverKeywords: &bad})
		wantInvalid(t, err, "handover_keywords")
		none := []string{}
		if got, err = s.UpdateBot(ctx, b.ID, store.BotPatch{HandoverKeywords: &none}); err != nil || len(got.HandoverKeywords) != 0 {
			t.Fatalf("cleared keywords = %q, %v", got.HandoverKeywords, err)
		}
	})
}

func TestInboundQueuesAFlowStepWithEachCustomerMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d := newFlowDesk(t, db, desk.Bot{Flow: askFlow})
		first := d.says(t, "ana", "hello")
		second := d.says(t, "ana", "Ana Lima")
		if first.Phase != desk.PhaseBot || second.ConversationID != first.ConversationID {
			t.Fatalf("inbound = %+v then %+v", first, second)
		}
		items := d.claimAll(t)
		if kindsOf(items) != "flow,flow" {
			t.Fatalf("outbox = %s, want one flow step per message", kindsOf(items))
		}
		got := map[string]bool{items[0].MessageID: true, items[1].MessageID: true}
		if !got[first.MessageID] || !got[second.MessageID] || items[0].ConversationID != first.ConversationID {
			t.Fatalf("flow items %+v do not carry the customer's messages", items)
		}
	})
}

func TestAnExternalBotWinsOverAFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d := newFlowDesk(t, db, desk.Bot{Flow: askFlow, WebhookURL: "http://bot.invalid/hook"})
		d.says(t, "ana", "hello")
		if k := kindsOf(d.claimAll(t)); k != "bot_event" {
			t.Fatalf("outbox = %s, want only the webhook's message.created", k)
		}
	})
}

func TestHandoverKeywordHandsOverFromAnyBot(t *testing.T) {
	for _, tc := range []struct {
		name     string
		bot      desk.Bot
		text     string
		handover bool
		outbox   string // kinds queued by the message, sorted
	}{
		{"flow bot, default keyword", desk.Bot{Flow: askFlow}, "Quiero hablar con un ASESOR", true, "message"},
		{"flow bot, accented keyword", desk.Bot{Flow: askFlow}, "humáno!", true, "message"},
		{"flow bot, no keyword", desk.Bot{Flow: askFlow}, "my agents are fine", false, "flow"},
		{"webhook bot, default keyword", desk.Bot{WebhookURL: "http://bot.invalid/hook"}, "agent please", true, "bot_event,message"},
		{"webhook bot, no keyword", desk.Bot{WebhookURL: "http://bot.invalid/hook"}, "hello", false, "bot_event"},
		{"own keywords replace the defaults", desk.Bot{Flow: askFlow, HandoverKeywords: []string{"operador"}}, "agent", false, "flow"},
		{"own keyword", desk.Bot{Flow: askFlow, HandoverKeywords: []string{"operador"}}, "um OPERADOR", true, "message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *storetest.DB) {
				d := newFlowDesk(t, db, tc.bot)
				d.says(t, "ana", "hi")
				d.claimAll(t)
				res := d.says(t, "ana", tc.text)
				if k := kindsOf(d.claimAll(t)); k != tc.outbox {
					t.Errorf("outbox = %s, want %s", k, tc.outbox)
				}
				want := desk.PhaseBot
				if tc.handover {
					want = desk.PhaseWaiting
				}
				c, err := d.s.GetConversation(d.ctx, desk.SystemActor, res.ConversationID)
				if err != nil || c.Phase != want || res.Phase != want {
					t.Fatalf("phase = %s (result %s), %v; want %s", c.Phase, res.Phase, err, want)
				}
				if !tc.handover {
					return
				}
				if c.Protocol == nil {
					t.Error("a keyword handover gave no protocol")
				}
				msgs, _ := d.s.ListMessages(d.ctx, desk.SystemActor, c.ID, store.MessagePage{Limit: 50})
				var ev *desk.Event
				for _, m := range msgs {
					if m.Event != nil && m.Event.Type == desk.EventHandover {
						ev = m.Event
					}
				}
				if ev == nil || ev.Note != store.KeywordHandoverNote {
					t.Fatalf("handover event = %+v", ev)
				}
				// Waiting for people, another keyword changes nothing.
				again := d.says(t, "ana", tc.text)
				if again.Phase != desk.PhaseWaiting || kindsOf(d.claimAll(t)) != "" {
					t.Fatalf("a keyword while waiting: %+v", again)
				}
			})
		})
	}
}

func TestSetFlowStateIsACompareAndSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d := newFlowDesk(t, db, desk.Bot{Flow: askFlow})
		id := d.says(t, "ana", "hi").ConversationID
		if st, err := d.s.FlowState(d.ctx, id); err != nil || st != nil {
			t.Fatalf("fresh state = %q, %v", st, err)
		}
		a, b := []byte(`{"node":"a"}`), []byte(`{"node":"b"}`)
		if err := d.s.SetFlowState(d.ctx, id, nil, a); err != nil {
			t.Fatal(err)
		}
		wantCode(t, d.s.SetFlowState(d.ctx, id, nil, b), desk.CodeConflict)
		if err := d.s.SetFlowState(d.ctx, id, a, b); err != nil {
			t.Fatal(err)
		}
		if st, _ := d.s.FlowState(d.ctx, id); string(st) != string(b) {
			t.Fatalf("state = %s", st)
		}
		wantCode(t, d.s.SetFlowState(d.ctx, "missing", nil, a), desk.CodeNotFound)
		_, err := d.s.FlowState(d.ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestSaveAttributeMergesOneAttribute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d := newFlowDesk(t, db, desk.Bot{Flow: askFlow})
		c, _ := d.s.GetConversation(d.ctx, desk.SystemActor, d.says(t, "ana", "hi").ConversationID)
		ctID := c.Contact.ID
		if _, err := d.s.UpdateContact(d.ctx, ctID, store.ContactPatch{Attributes: &map[string]string{"plan": "vip"}}); err != nil {
			t.Fatal(err)
		}
		got, err := d.s.SaveAttribute(d.ctx, ctID, "email", "ana@example.com")
		if err != nil || got.Attributes["plan"] != "vip" || got.Attributes["email"] != "ana@example.com" {
			t.Fatalf("SaveAttribute = %+v, %v", got.Attributes, err)
		}
		if read, _ := d.s.GetContact(d.ctx, ctID); len(read.Attributes) != 2 || read.Attributes["email"] != "ana@example.com" {
			t.Fatalf("read back %v", read.Attributes)
		}
		_, err = d.s.SaveAttribute(d.ctx, ctID, "bio", strings.Repeat("x", 1001))
		wantInvalid(t, err, "attributes")
		_, err = d.s.SaveAttribute(d.ctx, "missing", "a", "b")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestBotSendCarriesQuickReplies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d := newFlowDesk(t, db, desk.Bot{Flow: askFlow})
		id := d.says(t, "ana", "hi").ConversationID
		bot := desk.Actor{Integration: true, BotID: d.bot.ID}
		buttons := []desk.Button{{ID: "yes", Title: "Yes"}, {ID: "no", Title: "No"}}
		m, err := d.s.Send(d.ctx, bot, id, store.SendInput{Text: "Ready?", Buttons: buttons, ClientID: "flow:x:0"})
		if err != nil || len(m.Buttons) != 2 {
			t.Fatalf("Send = %+v, %v", m, err)
		}
		msgs, _ := d.s.ListMessages(d.ctx, desk.SystemActor, id, store.MessagePage{Limit: 50})
		last := msgs[len(msgs)-1]
		if last.ID != m.ID || len(last.Buttons) != 2 || last.Buttons[1] != buttons[1] || last.Author.Type != desk.AuthorBot {
			t.Fatalf("stored %+v", last)
		}
		for _, bad := range [][]desk.Button{make([]desk.Button, 11), {{ID: "a", Title: " "}}, {{Title: "No id"}},
			{{ID: "a", Title: strings.Repeat("x", 25)}}} {
			_, err = d.s.Send(d.ctx, bot, id, store.SendInput{Text: "x", Buttons: bad})
			wantInvalid(t, err, "buttons")
		}
	})
}

func TestAFailedFlowStepLeavesTheCustomerMessageReceived(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d := newFlowDesk(t, db, desk.Bot{Flow: askFlow})
		res := d.says(t, "ana", "hi")
		items := d.claimAll(t)
		if err := d.s.FailOutbox(d.ctx, items[0], "flow broke", nil); err != nil {
			t.Fatal(err)
		}
		msgs, _ := d.s.ListMessages(d.ctx, desk.SystemActor, res.ConversationID, store.MessagePage{Limit: 50})
		for _, m := range msgs {
			if m.ID == res.MessageID && (m.Status != desk.StatusReceived || m.Error != nil) {
				t.Fatalf("customer message after a failed flow step: %+v", m)
			}
		}
	})
}
