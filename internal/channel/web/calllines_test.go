package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

// How a call ended is part of the customer's feed, so the widget shows the
// same line after a reload as it wrote live; the call's other events, notes
// and the desk's own events stay out of it.
func TestWidgetHistoryKeepsCallLines(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		calls := desk.CallSettings{Mode: desk.CallsAudio}
		if _, err := e.s.UpdateBot(ctx, e.bot.ID, store.BotPatch{Calls: &calls}); err != nil {
			t.Fatal(err)
		}
		v := e.anon()
		first := v.say("1", "Hello?")
		conv := first.ConversationID
		e.assignAndReply(conv, "Let me call you")
		a := desk.UserActor(e.agent)
		if _, err := e.s.AddNote(ctx, a, conv, "INTERNAL note"); err != nil {
			t.Fatal(err)
		}
		c, err := e.s.StartCall(ctx, store.CallStart{ConversationID: conv, By: desk.PartyAgent, AgentID: e.agent.ID, Media: desk.MediaAudio, Node: "n1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.MoveCall(ctx, store.CallMove{CallID: c.ID, Act: desk.ActAccept, By: desk.PartyCustomer, ConversationID: conv}); err != nil {
			t.Fatal(err)
		}
		e.db.Clock.Advance(134 * time.Second)
		if _, err := e.s.MoveCall(ctx, store.CallMove{CallID: c.ID, Act: desk.ActHangup, By: desk.PartyCustomer, ConversationID: conv}); err != nil {
			t.Fatal(err)
		}
		missed, err := e.s.StartCall(ctx, store.CallStart{ConversationID: conv, By: desk.PartyAgent, AgentID: e.agent.ID, Media: desk.MediaAudio, Node: "n1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.MoveCall(ctx, store.CallMove{CallID: missed.ID, Act: desk.ActDecline, By: desk.PartyCustomer, ConversationID: conv}); err != nil {
			t.Fatal(err)
		}
		var lines []widgetapi.WidgetCallLine
		for _, m := range v.messages("").Items {
			switch {
			case m.Kind == desk.KindNote || m.Text == "INTERNAL note":
				t.Fatalf("a note in the customer's feed: %+v", m)
			case m.Kind == desk.KindEvent && m.Call == nil:
				t.Fatalf("a desk event in the customer's feed: %+v", m)
			case m.Call != nil:
				if m.Kind != desk.KindEvent || m.Author.Type != desk.AuthorSystem {
					t.Fatalf("call line %+v", m)
				}
				lines = append(lines, *m.Call)
			}
		}
		want := []widgetapi.WidgetCallLine{{ID: c.ID, Event: desk.EventCallEnded, DurationSeconds: 134}, {ID: missed.ID, Event: desk.EventCallDeclined}}
		if len(lines) != len(want) || lines[0] != want[0] || lines[1] != want[1] {
			t.Fatalf("call lines %+v, want %+v", lines, want)
		}
		// Paging forward (the widget's catch-up) sees the same lines.
		page := v.messages("?after_seq=0")
		n := 0
		for _, m := range page.Items {
			if m.Call != nil {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("after_seq=0: %d call lines, want 2", n)
		}
	})
}
