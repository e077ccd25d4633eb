package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/relevo/relevo/internal/store"
)

// A socket whose client does not read is closed with policy violation
// (1008) once its queue is full, never left to grow or silently skipped.
func TestSlowSocketIsClosedWith1008(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := New(Options{SendQueue: 4})
	accepted := make(chan *websocket.Conn, 1)
	hold := make(chan struct{})
	defer close(hold)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		accepted <- c
		<-hold
	}))
	defer srv.Close()
	client, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.CloseNow()
	// The writer is not running yet: the client is as slow as can be.
	sock := newSocket(s.hub, <-accepted, visitor{WidgetSession: store.WidgetSession{ContactID: "k", ChannelID: "c"}})
	for range 4 {
		sock.enqueue([]byte(`{"type":"x"}`))
	}
	select {
	case <-sock.done:
		t.Fatal("closed before its queue was full")
	default:
	}
	sock.enqueue([]byte(`{"type":"one too many"}`))
	select {
	case <-sock.done:
	default:
		t.Fatal("a socket whose queue overflowed is still open")
	}
	go sock.run(s.hub.ctx)
	for {
		if _, _, err := client.Read(ctx); err != nil {
			if c := websocket.CloseStatus(err); c != websocket.StatusPolicyViolation {
				t.Fatalf("client saw %v (%v), want 1008", c, err)
			}
			return
		}
	}
}

// The defaults: 10 sessions a minute per IP, 20 messages per 10 s per token.
func TestDefaultLimits(t *testing.T) {
	s := New(Options{})
	if s.sessions.Burst() != 10 || s.sessions.Limit() != rate.Limit(10.0/60) {
		t.Errorf("sessions: burst %d, %v/s", s.sessions.Burst(), s.sessions.Limit())
	}
	if s.messages.Burst() != 20 || s.messages.Limit() != rate.Limit(2) {
		t.Errorf("messages: burst %d, %v/s", s.messages.Burst(), s.messages.Limit())
	}
}
