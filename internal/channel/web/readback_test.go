package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

// localChange is the last change the store committed for message id, as
// the node that wrote it has it (conversation and message attached).
func (e *env) localChange(id string) desk.Change {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.committed) - 1; i >= 0; i-- {
		if c := e.committed[i]; c.MessageID == id && c.Type == desk.ChangeMessageCreated {
			return c
		}
	}
	e.t.Fatalf("no committed change for message %s", id)
	return desk.Change{}
}

// routed is what the hub sends to the database while it routes c to the
// visitor sockets.
func (e *env) routed(c desk.Change) (store.TraceCounts, []string) {
	e.trace.Start()
	e.svc.OnChange(c)
	return e.trace.Stop()
}

// On the node that wrote it, an agent's reply reaches the visitor's socket
// built from what the change carries: no read of the store. The same
// change from another node (ids only) is read back, as before.
func TestWidgetLocalChangesRouteWithoutReadingTheStore(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		first := v.say("1", "Hello?")
		f := e.dial(v)
		reply := e.assignAndReply(first.ConversationID, "Hi there")
		isReply := func(fr realtime.Frame) bool {
			return fr.Type == realtime.FrameMessageCreated && messageText(fr) == "Hi there"
		}
		f.until(isReply) // as the store's commit delivered it
		local := e.localChange(reply.ID)
		if local.Conversation == nil || local.Message == nil {
			t.Fatalf("the store's change carries no conversation or message: %+v", local)
		}
		if n, q := e.routed(local); n.RoundTrips() != 0 {
			t.Fatalf("routing a local reply read the store %+v: %q", n, q)
		}
		fr := f.until(isReply)
		var m widgetapi.WidgetMessage
		_ = json.Unmarshal(fr.Data, &m)
		if m.Author != (widgetapi.WidgetAuthor{Type: desk.AuthorAgent, Name: "Alice Agent"}) || fr.Seq != reply.Seq || m.ID != reply.ID {
			t.Fatalf("reply frame %+v %+v", fr, m)
		}
		remote := local
		remote.Conversation, remote.Message = nil, nil
		// Statements, not round trips: SQLite may prepare one the first time.
		if n, q := e.routed(remote); n.Statements != 2 {
			t.Fatalf("a change from another node: %d reads, want 2 (conversation, message): %q", n.Statements, q)
		}
		f.until(isReply)
	})
}

// An internal note committed on this node carries itself on the change;
// it still never reaches the visitor's socket.
func TestWidgetLocalNoteNeverReachesTheVisitor(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		v := e.anon()
		first := v.say("1", "Hello?")
		f := e.dial(v)
		a := desk.UserActor(e.agent)
		if _, err := e.s.Assign(ctx, a, first.ConversationID, store.AssignInput{}); err != nil {
			t.Fatal(err)
		}
		e.drain()
		note, err := e.s.AddNote(ctx, a, first.ConversationID, "INTERNAL note")
		if err != nil {
			t.Fatal(err)
		}
		if c := e.localChange(note.ID); c.Message == nil || c.Message.Kind != desk.KindNote {
			t.Fatalf("the note's change %+v", c)
		}
		if _, err := e.s.Send(ctx, a, first.ConversationID, store.SendInput{Text: "after the note"}); err != nil {
			t.Fatal(err)
		}
		// until fails on any frame carrying the note's text.
		f.until(func(fr realtime.Frame) bool {
			return fr.Type == realtime.FrameMessageCreated && messageText(fr) == "after the note"
		})
	})
}

// The visitor's POST is answered with the message as its transaction
// stored it: nothing is read after the commit (on PostgreSQL that read was
// one more round trip per visitor message), and the answer is the message
// as the visitor's history then lists it.
func TestWidgetSendAnswersWithoutReadingTheMessageBack(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		v.say("1", "Hello?") // opens the conversation
		e.trace.Start()
		got := v.say("2", "Anyone there?")
		_, queries := e.trace.Stop()
		for _, q := range queries {
			if strings.Contains(q, "FROM messages WHERE id = $1") {
				t.Fatalf("the POST read its message back: %q", q)
			}
		}
		var listed *widgetapi.WidgetMessage
		for _, m := range v.messages("").Items {
			if m.ID == got.ID {
				listed = &m
			}
		}
		if listed == nil {
			t.Fatalf("message %s not in the history", got.ID)
		}
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(listed)
		if string(a) != string(b) || got.ClientID != "2" || got.Text != "Anyone there?" {
			t.Fatalf("the POST answered %s, the history lists %s", a, b)
		}
	})
}
