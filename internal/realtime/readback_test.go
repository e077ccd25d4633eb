package realtime

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// countingReader counts the reads routing makes.
type countingReader struct {
	changeReader
	n atomic.Int64
}

func (r *countingReader) GetConversation(ctx context.Context, a desk.Actor, id string) (desk.Conversation, error) {
	r.n.Add(1)
	return r.changeReader.GetConversation(ctx, a, id)
}

func (r *countingReader) GetMessage(ctx context.Context, id string) (desk.Message, error) {
	r.n.Add(1)
	return r.changeReader.GetMessage(ctx, id)
}

// On the node that wrote it, a change is routed from what its transaction
// wrote: a customer's message reaches the agent without a read of the
// store. A change from another node (ids only) is read back.
func TestLocalChangesRouteWithoutReadingTheStore(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := newHubWorld(t, Options{CounterInterval: time.Hour})
	reads := &countingReader{changeReader: w.hub.reads}
	w.hub.reads = reads
	ana := w.dial(t, ctx, w.agent)
	res, err := w.db.Store.Inbound(ctx, w.ch.ID, store.InboundContact{ExternalID: "dana", Name: "Dana"},
		store.InboundMessage{ExternalID: "m1", Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	ana.until(t, ctx, FrameMessageCreated)
	w.db.Clock.Advance(time.Minute) // past the hand-over's processing lock
	storetest.NewSeed(t, w.db.Store).Online(w.agent)
	if _, err := w.db.Store.Assign(ctx, desk.UserActor(w.agent), res.ConversationID, store.AssignInput{}); err != nil {
		t.Fatal(err)
	}
	for {
		f := ana.next(t, ctx)
		if f.Type == FrameConversationUpdated && decodeConv(t, f).AssigneeID != nil {
			break
		}
	}
	if n := reads.n.Load(); n != 0 {
		t.Fatalf("routing read the store %d times for changes made on this node", n)
	}
	// The same change as another node announces it: ids only.
	m, err := w.db.Store.GetMessage(ctx, res.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	w.hub.OnChange(desk.Change{Type: desk.ChangeMessageCreated, ConversationID: res.ConversationID, BotID: w.bot.ID, Seq: m.Seq, MessageID: m.ID})
	if f := ana.until(t, ctx, FrameMessageCreated); len(f) != 0 {
		t.Fatalf("frames before the re-routed message: %v", f)
	}
	if n := reads.n.Load(); n != 2 {
		t.Fatalf("a change from another node: %d reads, want 2 (conversation, message)", n)
	}
}

func decodeConv(t *testing.T, f Frame) desk.Conversation {
	t.Helper()
	var c desk.Conversation
	if err := json.Unmarshal(f.Data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}
