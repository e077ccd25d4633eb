package store_test

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestInboundAfterCloseOpensANewConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		contact := w.NewContact()
		first := w.Inbound(w.API, contact, "hi")
		again := w.Inbound(w.API, contact, "still there?")
		if !first.Opened || again.Opened || again.ConversationID != first.ConversationID {
			t.Fatalf("second message of an open conversation: %+v then %+v", first, again)
		}
		w.Check(w.S.Handover(w.Ctx, w.BotActor(), first.ConversationID, store.HandoverInput{}))
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Supervisor), first.ConversationID))
		next := w.Inbound(w.API, contact, "one more thing")
		if !next.Opened || next.ConversationID == first.ConversationID || next.Phase != desk.PhaseBot {
			t.Fatalf("message after close: %+v", next)
		}
		if c := w.Get(first.ConversationID); c.Phase != desk.PhaseClosed {
			t.Fatalf("the old conversation reopened: %+v", c)
		}
		if c := w.Get(next.ConversationID); c.Protocol != nil || len(w.Messages(c.ID)) != 1 {
			t.Fatalf("new conversation %+v with %d messages", c, len(w.Messages(c.ID)))
		}
	})
}

func TestInboundIsIdempotentOnMessageID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		ic := store.InboundContact{ExternalID: "cust-x", Name: "Xu"}
		im := store.InboundMessage{ExternalID: "wamid.1", Text: "hello"}
		first, err := w.S.Inbound(w.Ctx, w.API.ID, ic, im)
		if err != nil || first.Duplicate {
			t.Fatalf("first = %+v, %v", first, err)
		}
		im.Text = "hello (retried)"
		second, err := w.S.Inbound(w.Ctx, w.API.ID, ic, im)
		if err != nil || !second.Duplicate || second.MessageID != first.MessageID || second.ConversationID != first.ConversationID {
			t.Fatalf("second = %+v, %v; want the first message, flagged duplicate", second, err)
		}
		msgs := w.Messages(first.ConversationID)
		if len(msgs) != 1 || msgs[0].Text != "hello" {
			t.Fatalf("messages = %+v, want one", msgs)
		}
		// Ids are per channel: the same id on another channel is another message.
		other, err := w.S.Inbound(w.Ctx, w.WhatsApp.ID, ic, im)
		if err != nil || other.Duplicate || other.MessageID == first.MessageID {
			t.Fatalf("same id on another channel = %+v, %v", other, err)
		}
	})
}

func TestInboundWithoutBotGoesStraightToTheQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{NoFlow: true})
		res := w.Inbound(w.API, w.NewContact(), "hello?")
		c := w.Get(res.ConversationID)
		if !res.Opened || res.Phase != desk.PhaseWaiting || c.Phase != desk.PhaseWaiting || c.Protocol == nil || c.WaitingSince == nil {
			t.Fatalf("result %+v, conversation %+v", res, c)
		}
		msgs := w.Messages(c.ID)
		if len(msgs) != 3 || msgs[0].ID != res.MessageID {
			t.Fatalf("timeline = %+v, want message, handover, notice", msgs)
		}
		wantEvent(t, msgs[1], desk.EventHandover, nil, "bot", "", nil, "")
		if msgs[1].Author.Type != desk.AuthorSystem {
			t.Fatalf("handover written by %+v, want the system", msgs[1].Author)
		}
		wantNotice(t, w, msgs[2], "An agent will be with you shortly.", false)
	})
}
