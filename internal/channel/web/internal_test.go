package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
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

// The rate limiters' maps stay bounded however many keys come: past the
// bound, new keys share one overflow bucket.
func TestLimiterMapIsBounded(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newLimiter(10, time.Minute, 10, 100)
	l.now = func() time.Time { return now }
	for i := range 1000 {
		_ = l.allow("ip:" + strconv.Itoa(i))
	}
	if n := l.size(); n > 100 {
		t.Fatalf("%d buckets, bound 100", n)
	}
	// The overflow bucket has one budget for every newcomer.
	limited := 0
	for i := range 50 {
		if l.allow("new:"+strconv.Itoa(i)) != nil {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("newcomers past the bound were never limited")
	}
	// Idle buckets are swept, making room again.
	now = now.Add(10 * time.Minute)
	if err := l.allow("fresh"); err != nil {
		t.Fatal(err)
	}
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after the sweep, want 1", n)
	}
}

// The defaults: 10 sessions a minute per IP, 20 messages per 10 s per token.
func TestDefaultLimits(t *testing.T) {
	s := New(Options{})
	if s.sessions.burst != 10 || s.sessions.every != rate.Limit(10.0/60) {
		t.Errorf("sessions: burst %d, %v/s", s.sessions.burst, s.sessions.every)
	}
	if s.messages.burst != 20 || s.messages.every != rate.Limit(2) {
		t.Errorf("messages: burst %d, %v/s", s.messages.burst, s.messages.every)
	}
}
