package bus

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/relevo/relevo/internal/desk"
)

func receive(t *testing.T, ch <-chan desk.Change) desk.Change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no change delivered")
	}
	return desk.Change{}
}

func TestEmbeddedBusDeliversPublishedChanges(t *testing.T) {
	b, err := Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got := make(chan desk.Change, 1)
	stop, err := b.Subscribe(func(c desk.Change) { got <- c })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := b.Ping(context.Background()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	want := desk.Change{Type: desk.ChangeMessageCreated, ConversationID: "c1", BotID: "b1", Seq: 7, MessageID: "m1"}
	b.Publish([]desk.Change{want})
	if c := receive(t, got); c != want {
		t.Fatalf("got %+v, want %+v", c, want)
	}
}

// Two nodes on one external NATS see each other's changes.
func TestExternalBusConnectsNodes(t *testing.T) {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	defer srv.Shutdown()
	if !srv.ReadyForConnections(5 * time.Second) {
		t.Fatal("nats not ready")
	}
	url := fmt.Sprintf("nats://%s", srv.Addr().String())
	a, err := Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got := make(chan desk.Change, 1)
	stop, err := b.Subscribe(func(c desk.Change) { got <- c })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := b.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.Publish([]desk.Change{{Type: desk.ChangeConversation, ConversationID: "c9", Seq: 3}})
	if c := receive(t, got); c.ConversationID != "c9" || c.Seq != 3 {
		t.Fatalf("got %+v", c)
	}
}

// A node's own changes reach its subscribers once, in process, with the
// payload the store attached; another node gets the ids only.
func TestOwnChangesStayInProcessWithTheirPayload(t *testing.T) {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	defer srv.Shutdown()
	if !srv.ReadyForConnections(5 * time.Second) {
		t.Fatal("nats not ready")
	}
	url := fmt.Sprintf("nats://%s", srv.Addr().String())
	a, err := Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	onA, onB := make(chan desk.Change, 8), make(chan desk.Change, 8)
	for bus, ch := range map[*Bus]chan desk.Change{a: onA, b: onB} {
		stop, err := bus.Subscribe(func(c desk.Change) { ch <- c })
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		if err := bus.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	conv := &desk.Conversation{ID: "c1", Tags: []string{"vip"}}
	msg := &desk.Message{ID: "m1", Text: "hello"}
	a.Publish([]desk.Change{{Type: desk.ChangeMessageCreated, ConversationID: "c1", Seq: 2, MessageID: "m1", Conversation: conv, Message: msg}})
	if c := receive(t, onA); c.Conversation != conv || c.Message != msg {
		t.Fatalf("on the node that wrote: %+v, want the payload as published", c)
	}
	if c := receive(t, onB); c.MessageID != "m1" || c.Conversation != nil || c.Message != nil {
		t.Fatalf("on the other node: %+v, want ids only", c)
	}
	// A's echo from NATS, if it were not skipped, would come before B's
	// marker: A's publish reached the server first (Ping flushes).
	if err := a.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.Publish([]desk.Change{{Type: desk.ChangeConversation, ConversationID: "marker"}})
	if c := receive(t, onA); c.ConversationID != "marker" {
		t.Fatalf("A got %+v before B's marker: its own change came twice", c)
	}
}
