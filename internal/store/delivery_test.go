package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// deliveryDesk is a WhatsApp channel with one open conversation: a customer
// message (external id "wamid.in") and a bot reply the channel accepted
// as "wamid.out".
type deliveryDesk struct {
	s        *store.Store
	ch       desk.Channel
	conv     string
	in, out  string // message ids
	customer string // the customer's external id
}

func newDeliveryDesk(t *testing.T, db *storetest.DB) deliveryDesk {
	t.Helper()
	s, ctx := db.Store, context.Background()
	bot, err := s.CreateBot(ctx, desk.Bot{Name: "Shop", WebhookURL: "https://bot.example.com/hook"})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.CreateChannel(ctx, desk.Channel{BotID: bot.ID, Type: desk.ChannelWhatsApp, Name: "WA",
		Config: json.RawMessage(`{"phone_number_id": "106540352242922"}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := deliveryDesk{s: s, ch: ch, customer: "16505551234"}
	res, err := s.Inbound(ctx, ch.ID, store.InboundContact{ExternalID: d.customer, Name: "Sheena", Phone: "+16505551234"},
		store.InboundMessage{ExternalID: "wamid.in", Text: "Hi", SentAt: db.Clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	d.conv, d.in = res.ConversationID, res.MessageID
	m, err := s.Send(ctx, desk.Actor{Integration: true, BotID: bot.ID}, d.conv, store.SendInput{Text: "Hello!"})
	if err != nil {
		t.Fatal(err)
	}
	d.out = m.ID
	items, err := s.ClaimOutbox(ctx, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		ext := ""
		if it.MessageID == m.ID {
			ext = "wamid.out"
		}
		if err := s.CompleteOutbox(ctx, it, ext); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func (d deliveryDesk) message(t *testing.T, id string) desk.Message {
	t.Helper()
	ms, err := d.s.ListMessages(context.Background(), desk.SystemActor, d.conv, store.MessagePage{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("no message %s", id)
	return desk.Message{}
}

func (d deliveryDesk) conversation(t *testing.T) desk.Conversation {
	t.Helper()
	c, err := d.s.GetConversation(context.Background(), desk.SystemActor, d.conv)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSetStatusByExternalIDOnlyMovesForward(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d, ctx := newDeliveryDesk(t, db), context.Background()
		for _, step := range []struct {
			status, want desk.MessageStatus
		}{
			{desk.StatusRead, desk.StatusRead}, // read without delivered
			{desk.StatusDelivered, desk.StatusRead},
			{desk.StatusSent, desk.StatusRead},
		} {
			if err := d.s.SetStatusByExternalID(ctx, d.ch.ID, "wamid.out", step.status, nil, false); err != nil {
				t.Fatal(err)
			}
			if m := d.message(t, d.out); m.Status != step.want {
				t.Fatalf("after %s: %s, want %s", step.status, m.Status, step.want)
			}
		}
		// The customer's own message has no ticks to move.
		if err := d.s.SetStatusByExternalID(ctx, d.ch.ID, "wamid.in", desk.StatusFailed, nil, false); err != nil {
			t.Fatal(err)
		}
		if m := d.message(t, d.in); m.Status != desk.StatusReceived {
			t.Fatalf("customer message became %s", m.Status)
		}
		wantCode(t, d.s.SetStatusByExternalID(ctx, d.ch.ID, "wamid.unknown", desk.StatusRead, nil, false), desk.CodeNotFound)
		wantCode(t, d.s.SetStatusByExternalID(ctx, "other-channel", "wamid.out", desk.StatusRead, nil, false), desk.CodeNotFound)
		wantInvalid(t, d.s.SetStatusByExternalID(ctx, d.ch.ID, "wamid.out", desk.StatusPending, nil, false), "status")
	})
}

func TestSetStatusFailedWithCloseWindowEndsTheWindowNow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d, ctx := newDeliveryDesk(t, db), context.Background()
		if c := d.conversation(t); !c.WindowOpen(db.Clock.Now()) {
			t.Fatal("window should be open after the customer's message")
		}
		seq := d.conversation(t).Seq
		db.Clock.Advance(time.Hour)
		reason := "WhatsApp: the 24-hour window is closed (code 131047)"
		if err := d.s.SetStatusByExternalID(ctx, d.ch.ID, "wamid.out", desk.StatusFailed, &reason, true); err != nil {
			t.Fatal(err)
		}
		m := d.message(t, d.out)
		if m.Status != desk.StatusFailed || m.Error == nil || *m.Error != reason {
			t.Fatalf("%s %v", m.Status, m.Error)
		}
		c := d.conversation(t)
		if c.WindowOpen(db.Clock.Now()) || c.WindowExpiresAt == nil || !c.WindowExpiresAt.Equal(db.Clock.Now()) {
			t.Fatalf("window_expires_at %v, want now (%s)", c.WindowExpiresAt, db.Clock.Now())
		}
		if c.Seq != seq+2 {
			t.Errorf("seq %d, want %d: message.updated and conversation.updated announced", c.Seq, seq+2)
		}
		// Meta's retry of the same report changes nothing.
		if err := d.s.SetStatusByExternalID(ctx, d.ch.ID, "wamid.out", desk.StatusFailed, &reason, true); err != nil {
			t.Fatal(err)
		}
		if c2 := d.conversation(t); c2.Seq != c.Seq {
			t.Errorf("a repeated failure announced again (seq %d → %d)", c.Seq, c2.Seq)
		}
	})
}

func TestCloseWindowKeepsAWindowTheCustomerOpenedLater(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d, ctx := newDeliveryDesk(t, db), context.Background()
		queued := db.Clock.Now()
		db.Clock.Advance(time.Minute)
		if _, err := d.s.Inbound(ctx, d.ch.ID, store.InboundContact{ExternalID: d.customer},
			store.InboundMessage{ExternalID: "wamid.in2", Text: "still here", SentAt: db.Clock.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := d.s.CloseWindow(ctx, d.conv, queued); err != nil {
			t.Fatal(err)
		}
		if c := d.conversation(t); !c.WindowOpen(db.Clock.Now()) {
			t.Fatalf("window closed (%v) although the customer wrote after the failed message", c.WindowExpiresAt)
		}
		if err := d.s.CloseWindow(ctx, d.conv, db.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if c := d.conversation(t); c.WindowOpen(db.Clock.Now()) {
			t.Fatalf("window still open until %v", c.WindowExpiresAt)
		}
	})
}

func TestReactKeepsOneReactionOfTheCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d, ctx := newDeliveryDesk(t, db), context.Background()
		for _, step := range []struct {
			emoji string
			want  []desk.Reaction
		}{
			{"👍", []desk.Reaction{{Emoji: "👍", Author: desk.AuthorContact}}},
			{"👍", []desk.Reaction{{Emoji: "👍", Author: desk.AuthorContact}}}, // a retried webhook
			{"❤️", []desk.Reaction{{Emoji: "❤️", Author: desk.AuthorContact}}},
			{"", nil},
		} {
			if err := d.s.React(ctx, d.ch.ID, "wamid.out", step.emoji); err != nil {
				t.Fatal(err)
			}
			m := d.message(t, d.out)
			if len(m.Reactions) != len(step.want) || len(step.want) > 0 && m.Reactions[0] != step.want[0] {
				t.Fatalf("after %q: %+v, want %+v", step.emoji, m.Reactions, step.want)
			}
			if m.Text != "Hello!" || m.Status != desk.StatusSent {
				t.Fatalf("the reaction changed the message: %q %s", m.Text, m.Status)
			}
		}
		wantCode(t, d.s.React(ctx, d.ch.ID, "wamid.nope", "👍"), desk.CodeNotFound)
	})
}

func TestChangeIdentityFollowsTheCustomersNewNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d, ctx := newDeliveryDesk(t, db), context.Background()
		if err := d.s.ChangeIdentity(ctx, d.ch.ID, d.customer, "16505559999"); err != nil {
			t.Fatal(err)
		}
		res, err := d.s.Inbound(ctx, d.ch.ID, store.InboundContact{ExternalID: "16505559999"},
			store.InboundMessage{ExternalID: "wamid.new", Text: "new phone", SentAt: db.Clock.Now()})
		if err != nil || res.ConversationID != d.conv {
			t.Fatalf("the new number opened %s (%v), want the same conversation %s", res.ConversationID, err, d.conv)
		}
		k, err := d.s.GetContact(ctx, d.conversation(t).Contact.ID)
		if err != nil || k.ExternalID != "16505559999" || k.Phone != "+16505559999" {
			t.Fatalf("contact %+v, %v", k, err)
		}
		if err := d.s.ChangeIdentity(ctx, d.ch.ID, "unknown", "1"); err != nil {
			t.Fatalf("unknown old id: %v", err)
		}
	})
}

func TestHasExternalMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		d, ctx := newDeliveryDesk(t, db), context.Background()
		for id, want := range map[string]bool{"wamid.in": true, "wamid.out": true, "wamid.nope": false} {
			if got, err := d.s.HasExternalMessage(ctx, d.ch.ID, id); err != nil || got != want {
				t.Errorf("%s: %v, %v; want %v", id, got, err, want)
			}
		}
	})
}
