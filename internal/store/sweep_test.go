package store_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// sweep runs the sweeper once and checks how many conversations it closed.
func sweep(t *testing.T, w *World, wantClosed int) {
	t.Helper()
	closed, _, err := w.S.Sweep(w.Ctx)
	if err != nil || closed != wantClosed {
		t.Fatalf("sweep closed %d, %v; want %d", closed, err, wantClosed)
	}
}

func TestAutoCloseAfterSilenceEitherWay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{AutoCloseAfter: 3600})
		c := w.InPhase(desk.PhaseHuman) // the customer wrote at T0
		bot := w.InPhase(desk.PhaseBot)
		queued := w.InPhase(desk.PhaseWaiting)

		// The agent answers at T0+50m: the hour counts from there.
		db.Clock.Advance(50 * time.Minute)
		if _, err := w.S.Send(w.Ctx, w.As(w.Agent), c.ID, store.SendInput{Text: "Looking into it"}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(11 * time.Minute) // T0+61m: the others are due
		sweep(t, w, 2)
		for _, id := range []string{bot.ID, queued.ID} {
			got := w.Get(id)
			if got.Phase != desk.PhaseClosed || deref(got.ClosedReason) != "auto_closed" || !got.ClosedAt.Equal(db.Clock.Now()) {
				t.Fatalf("silent conversation after the sweep: %+v", got)
			}
			wantEvent(t, w.Last(id, 1)[0], desk.EventAutoClosed, nil, "", "", nil, "")
		}
		if got := w.Get(c.ID); got.Phase != desk.PhaseHuman {
			t.Fatalf("the agent's message did not push the deadline: %+v", got)
		}

		// The customer writes at T0+100m: another hour from there.
		db.Clock.Advance(39 * time.Minute)
		w.CustomerSays(c, "any news?")
		db.Clock.Advance(59 * time.Minute)
		sweep(t, w, 0)
		db.Clock.Advance(time.Minute)
		before := len(w.Messages(c.ID))
		sweep(t, w, 1)
		got := w.Get(c.ID)
		if got.Phase != desk.PhaseClosed || deref(got.ClosedReason) != "auto_closed" {
			t.Fatalf("after an hour of silence: %+v", got)
		}
		last := w.Messages(c.ID)
		if len(last) != before+1 {
			t.Fatalf("auto-close wrote %d messages, want only its event (nothing to the customer)", len(last)-before)
		}
		wantEvent(t, last[len(last)-1], desk.EventAutoClosed, nil, w.Agent.ID, "", nil, "")
		if last[len(last)-1].Author.Type != desk.AuthorSystem {
			t.Fatalf("auto-close written by %+v, want the system", last[len(last)-1].Author)
		}

		// Idempotent: a second sweep (another node) finds nothing to do.
		seq := w.Get(c.ID).Seq
		sweep(t, w, 0)
		if got := w.Get(c.ID); got.Seq != seq {
			t.Fatalf("a second sweep changed the conversation: seq %d → %d", seq, got.Seq)
		}
		// A customer message after that opens a new conversation.
		if res := w.CustomerSays(c, "hello again"); !res.Opened || res.ConversationID == c.ID {
			t.Fatalf("message after auto-close: %+v", res)
		}
	})
}

func TestAutoCloseDefaultsToADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseBot)
		db.Clock.Advance(24*time.Hour - time.Millisecond)
		sweep(t, w, 0)
		db.Clock.Advance(time.Millisecond)
		sweep(t, w, 1)
		if got := w.Get(c.ID); got.Phase != desk.PhaseClosed {
			t.Fatalf("after a day: %+v", got)
		}
	})
}

// windowWorld gives Agent a WhatsApp conversation whose customer last
// wrote at T0, with its hand-over delivered, and two templates.
func windowWorld(t *testing.T, db *storetest.DB) (w *World, c desk.Conversation, forAgents, forAuditors desk.Template) {
	w = NewWorld(t, db, WorldOptions{})
	c = w.InPhaseOn(w.WhatsApp, desk.PhaseHuman)
	mk := func(name string, roles ...desk.Role) desk.Template {
		tpl, err := w.S.CreateTemplate(w.Ctx, desk.Template{ChannelID: w.WhatsApp.ID, Name: name, Language: "en",
			Category: "UTILITY", Body: "Hi {{1}}, any news?", Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return tpl
	}
	return w, c, mk("follow_up", desk.RoleAgent), mk("audit_check", desk.RoleAuditor)
}

func TestWindowClosesFreeTextAfter24Hours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, c, forAgents, forAuditors := windowWorld(t, db)
		ana := w.As(w.Agent)
		want := db.Clock.Now().Add(24 * time.Hour)
		if c.WindowExpiresAt == nil || !c.WindowExpiresAt.Equal(want) {
			t.Fatalf("window_expires_at = %v, want %v", c.WindowExpiresAt, want)
		}
		db.Clock.Advance(24*time.Hour - time.Second)
		if _, err := w.S.Send(w.Ctx, ana, c.ID, store.SendInput{Text: "still in time"}); err != nil {
			t.Fatalf("send inside the window: %v", err)
		}

		db.Clock.Advance(time.Second)
		before := w.snapshot(c.ID)
		_, err := w.S.Send(w.Ctx, ana, c.ID, store.SendInput{Text: "too late"})
		wantCode(t, err, desk.CodeWindowClosed)
		// Templates offered to other roles are refused; nothing changes.
		_, err = w.S.Send(w.Ctx, ana, c.ID, store.SendInput{Template: &store.TemplateSend{ID: forAuditors.ID, Params: []string{"x"}}})
		wantInvalid(t, err, "template.id")
		if after := w.snapshot(c.ID); len(after.Messages) != len(before.Messages) || after.Events != before.Events {
			t.Fatal("refused sends changed the timeline")
		}

		m, err := w.S.Send(w.Ctx, ana, c.ID, store.SendInput{Template: &store.TemplateSend{ID: forAgents.ID, Params: []string{"Ana"}}})
		if err != nil || m.Kind != desk.KindTemplate || m.Text != "Hi Ana, any news?" || m.Status != desk.StatusPending {
			t.Fatalf("template send = %+v, %v", m, err)
		}
		// A template does not reopen the window.
		_, err = w.S.Send(w.Ctx, ana, c.ID, store.SendInput{Text: "too late still"})
		wantCode(t, err, desk.CodeWindowClosed)

		// The customer's reply does.
		db.Clock.Advance(time.Hour)
		w.CustomerSays(c, "here I am")
		if got := w.Get(c.ID); got.WindowExpiresAt == nil || !got.WindowExpiresAt.Equal(db.Clock.Now().Add(24*time.Hour)) {
			t.Fatalf("window after the reply: %v", got.WindowExpiresAt)
		}
		if _, err := w.S.Send(w.Ctx, ana, c.ID, store.SendInput{Text: "great"}); err != nil {
			t.Fatalf("send after the customer's reply: %v", err)
		}
	})
}

func TestLateWebhookDoesNotOpenTheWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		send := func(contact, id string, sentAt time.Time) desk.Conversation {
			t.Helper()
			res, err := w.S.Inbound(w.Ctx, w.WhatsApp.ID, store.InboundContact{ExternalID: contact},
				store.InboundMessage{ExternalID: id, Text: "hi", SentAt: sentAt})
			if err != nil {
				t.Fatal(err)
			}
			return w.Get(res.ConversationID)
		}
		now := db.Clock.Now()
		// Sent 25 hours ago, delivered now: the window it opened has passed.
		c := send("5511", "wamid.old", now.Add(-25*time.Hour))
		if c.WindowExpiresAt == nil || !c.WindowExpiresAt.Equal(now.Add(-time.Hour)) || c.WindowOpen(now) {
			t.Fatalf("window after a late message: %v", c.WindowExpiresAt)
		}
		w.Check(w.S.Handover(w.Ctx, w.BotActor(), c.ID, store.HandoverInput{}))
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		w.Deliver()
		_, err := w.S.Send(w.Ctx, w.As(w.Agent), c.ID, store.SendInput{Text: "hello"})
		wantCode(t, err, desk.CodeWindowClosed)

		// A late message never shortens a window a newer one opened.
		send("5512", "wamid.new", now)
		c = send("5512", "wamid.older", now.Add(-25*time.Hour))
		if !c.WindowExpiresAt.Equal(now.Add(24 * time.Hour)) {
			t.Fatalf("window shortened to %v by a late message", c.WindowExpiresAt)
		}
	})
}

func TestAPIChannelHasNoWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{AutoCloseAfter: 30 * 24 * 3600})
		c := w.InPhase(desk.PhaseHuman)
		if c.WindowExpiresAt != nil {
			t.Fatalf("an API conversation has window_expires_at %v", c.WindowExpiresAt)
		}
		db.Clock.Advance(72 * time.Hour)
		if _, err := w.S.Send(w.Ctx, w.As(w.Agent), c.ID, store.SendInput{Text: "three days later"}); err != nil {
			t.Fatalf("free text on the API channel after 72 h: %v", err)
		}
	})
}
