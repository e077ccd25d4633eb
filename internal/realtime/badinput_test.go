package realtime_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/realtime"
)

// rawSocket is a socket driven byte by byte, for input the Go client would
// never send.
type rawSocket struct {
	t    *testing.T
	conn *websocket.Conn
}

func (r rawSocket) write(ctx context.Context, typ websocket.MessageType, b []byte) {
	r.t.Helper()
	if err := r.conn.Write(ctx, typ, b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// next reads one frame.
func (r rawSocket) next(ctx context.Context) realtime.Frame {
	r.t.Helper()
	_, b, err := r.conn.Read(ctx)
	if err != nil {
		r.t.Fatalf("read: %v", err)
	}
	var f realtime.Frame
	if err := json.Unmarshal(b, &f); err != nil {
		r.t.Fatalf("frame %q: %v", b, err)
	}
	return f
}

// errorFrame reads until an error frame and returns its payload.
func (r rawSocket) errorFrame(ctx context.Context) realtime.ErrorFrame {
	r.t.Helper()
	for {
		if f := r.next(ctx); f.Type == realtime.FrameError {
			return decode[realtime.ErrorFrame](r.t, f)
		}
	}
}

func TestBadClientFramesGetAnErrorFrameAndTheSocketStaysUsable(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	ana := connect(t, ctx, n.URL(), f.ana)
	conn, _, err := dial(ctx, n.URL(), ana.HTTP, n.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	raw := rawSocket{t, conn}
	if f := raw.next(ctx); f.Type != realtime.FrameHello {
		t.Fatalf("first frame %s", f.Type)
	}

	cases := []struct {
		name string
		typ  websocket.MessageType
		body string
		code string
	}{
		{"unknown type", websocket.MessageText, `{"type":"subscribe","conversation_id":"x"}`, "bad_request"},
		{"invalid JSON", websocket.MessageText, `{"type":`, "bad_request"},
		{"binary frame", websocket.MessageBinary, `{"type":"typing"}`, "bad_request"},
		{"typing where it cannot see", websocket.MessageText, `{"type":"typing","conversation_id":"nope"}`, "not_found"},
	}
	for _, tc := range cases {
		raw.write(ctx, tc.typ, []byte(tc.body))
		if e := raw.errorFrame(ctx); e.Code != tc.code {
			t.Errorf("%s: error code %q, want %q", tc.name, e.Code, tc.code)
		}
	}
	// Still usable: a change committed now arrives.
	id := f.waiting(t, ctx, "")
	for {
		if fr := raw.next(ctx); fr.ConversationID == id {
			break
		}
	}
	// The Go client's socket of the same user saw none of it.
	for _, fr := range barrier(t, ctx, n.Store, f.sue.ID, ana) {
		if fr.Type == realtime.FrameError {
			t.Fatalf("another socket got the error frame %s", fr.Data)
		}
	}
}

func TestOversizeFrameClosesOnlyThatSocket(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	ana := connect(t, ctx, n.URL(), f.ana)
	conn, _, err := dial(ctx, n.URL(), ana.HTTP, n.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	raw := rawSocket{t, conn}
	raw.next(ctx) // hello

	// A 64 KiB frame is the most a client may send; one byte more ends
	// the socket with 1009 "message too big".
	fits := `{"type":"nothing","pad":"` + strings.Repeat("x", 64<<10-len(`{"type":"nothing","pad":""}`)) + `"}`
	raw.write(ctx, websocket.MessageText, []byte(fits))
	if e := raw.errorFrame(ctx); e.Code != "bad_request" {
		t.Fatalf("64 KiB frame: %+v", e)
	}
	_ = conn.Write(ctx, websocket.MessageText, []byte(fits+" "))
	for {
		if _, _, err := conn.Read(ctx); err != nil {
			if code := websocket.CloseStatus(err); code != websocket.StatusMessageTooBig {
				t.Fatalf("oversize frame: socket ended with %v (%v), want 1009", code, err)
			}
			break
		}
	}
	// The server goes on serving: the other socket still gets changes and
	// a new one opens.
	id := f.waiting(t, ctx, "")
	await(t, ctx, ana, "the new queue item", about(realtime.FrameConversationUpdated, id))
	again := connect(t, ctx, n.URL(), f.ana)
	barrier(t, ctx, n.Store, f.sue.ID, again)
}
