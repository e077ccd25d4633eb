package rtclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
)

// fakeAPI serves one conversation's seq and timeline; during reads it
// may run hook, to let a frame arrive in the middle of a Resync.
type fakeAPI struct {
	seq  int64
	msgs []desk.Message
	hook func()
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.hook != nil {
		f.hook()
	}
	switch r.URL.Path {
	case "/api/v1/conversations/c1":
		_ = json.NewEncoder(w).Encode(desk.Conversation{ID: "c1", Seq: f.seq})
	case "/api/v1/conversations/c1/messages":
		after, _ := strconv.ParseInt(r.URL.Query().Get("after_seq"), 10, 64)
		out := []desk.Message{}
		for _, m := range f.msgs {
			if m.Seq > after {
				out = append(out, m)
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": out})
	default:
		http.NotFound(w, r)
	}
}

func msg(seq int64) desk.Message {
	return desk.Message{ID: fmt.Sprintf("m%d", seq), ConversationID: "c1", Seq: seq}
}

func created(seq int64) realtime.Frame {
	b, _ := json.Marshal(msg(seq))
	return realtime.Frame{Type: realtime.FrameMessageCreated, ConversationID: "c1", Seq: seq, Data: b}
}

func ids(ms []desk.Message) string {
	s := ""
	for _, m := range ms {
		s += fmt.Sprintf("%s@%d ", m.ID, m.Seq)
	}
	return s
}

func TestGapDetectionResyncAndDuplicates(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	c := &Client{Base: srv.URL, HTTP: srv.Client(), convs: map[string]*convState{}}
	ctx := context.Background()

	c.apply(created(1))
	c.apply(created(2))
	c.apply(created(2)) // a duplicate replaces itself
	if g := c.Gaps(); len(g) != 0 {
		t.Fatalf("gaps %v in a contiguous stream", g)
	}
	c.apply(created(4)) // 3 was lost
	if g := c.Gaps(); len(g) != 1 || g[0] != "c1" {
		t.Fatalf("gaps %v, want c1", g)
	}
	api.seq = 4
	api.msgs = []desk.Message{msg(1), msg(2), msg(3), msg(4)}
	if err := c.Resync(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	if g := c.Gaps(); len(g) != 0 {
		t.Fatalf("gap %v left after a resync", g)
	}
	if got := ids(c.Messages("c1")); got != "m1@1 m2@2 m3@3 m4@4 " {
		t.Fatalf("messages %s", got)
	}
	c.apply(created(3)) // late duplicate of what the resync fetched
	if got := len(c.Messages("c1")); got != 4 {
		t.Fatalf("%d messages after a late duplicate", got)
	}
}

func TestFrameArrivingDuringResyncKeepsTheGap(t *testing.T) {
	api := &fakeAPI{seq: 5, msgs: []desk.Message{msg(1), msg(2), msg(3), msg(4), msg(5)}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	c := &Client{Base: srv.URL, HTTP: srv.Client(), convs: map[string]*convState{}}
	c.apply(created(1))
	c.apply(created(3))
	// While the resync reads seq 5, frame 7 arrives (6 was lost): the
	// resync covers up to 5 only, so the gap must survive it.
	api.hook = func() { c.apply(created(7)); api.hook = nil }
	if err := c.Resync(context.Background(), "c1"); err != nil {
		t.Fatal(err)
	}
	if g := c.Gaps(); len(g) != 1 {
		t.Fatal("a frame past the resync's reach left no gap: message 6 would never be fetched")
	}
	api.seq, api.msgs = 7, append(api.msgs, msg(6), msg(7))
	if err := c.Resync(context.Background(), "c1"); err != nil {
		t.Fatal(err)
	}
	if got := ids(c.Messages("c1")); got != "m1@1 m2@2 m3@3 m4@4 m5@5 m6@6 m7@7 " {
		t.Fatalf("messages %s", got)
	}
}
