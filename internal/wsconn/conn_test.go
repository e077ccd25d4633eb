package wsconn

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// peer is one real connection over 127.0.0.1: the server end is a Conn
// accepted by Accept, the client end a plain coder/websocket connection.
type peer struct {
	server *Conn
	client *websocket.Conn
	// writes counts write(2)s on the server's end of the TCP connection.
	writes *atomic.Int64
	// closes receives what OnClose was called with.
	closes chan closed
	// frames receives what the server's handler got.
	frames chan []byte
	// ran is closed when Run has returned.
	ran chan struct{}
}

type closed struct {
	code   websocket.StatusCode
	reason string
}

// dial starts a server for one connection. before runs on the server's
// goroutine after Accept and before Run (nil: none), with the write count;
// Run gets ctx.
func dial(t *testing.T, ctx context.Context, opt Options, before func(*Conn, *atomic.Int64), dopt *websocket.DialOptions) *peer {
	t.Helper()
	p := &peer{writes: new(atomic.Int64), closes: make(chan closed, 8), frames: make(chan []byte, 64), ran: make(chan struct{})}
	opt.OnClose = func(code websocket.StatusCode, reason string) { p.closes <- closed{code, reason} }
	accepted := make(chan *Conn, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Accept(w, r, nil, opt)
		if err != nil {
			t.Error(err)
			return
		}
		accepted <- c
		if before != nil {
			before(c, p.writes)
		}
		defer close(p.ran)
		c.Run(ctx, func(_ context.Context, _ websocket.MessageType, data []byte) { p.frames <- data })
	}))
	srv.Listener = countingListener{Listener: srv.Listener, writes: p.writes}
	srv.Start()
	t.Cleanup(srv.Close)
	client, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), dopt)
	if err != nil {
		t.Fatal(err)
	}
	client.SetReadLimit(-1)
	t.Cleanup(func() { client.CloseNow() })
	p.client = client
	select {
	case p.server = <-accepted:
	case <-ctx.Done():
		t.Fatal("not accepted")
	}
	return p
}

// closeStatus reads the client until the connection ends.
func (p *peer) closeStatus(t *testing.T, ctx context.Context) websocket.CloseError {
	t.Helper()
	for {
		if _, _, err := p.client.Read(ctx); err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("the connection ended without a close frame: %v", err)
			}
			return ce
		}
	}
}

func (p *peer) closed(t *testing.T, ctx context.Context) closed {
	t.Helper()
	select {
	case c := <-p.closes:
		return c
	case <-ctx.Done():
		t.Fatal("never closed")
		return closed{}
	}
}

type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	// A small send buffer, so a peer that stops reading blocks writes
	// after a little data rather than after the kernel's megabytes.
	if err := c.(*net.TCPConn).SetWriteBuffer(64 << 10); err != nil {
		return nil, err
	}
	return countingConn{Conn: c, writes: l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(b)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// A full queue closes the connection as too slow, once, and the peer gets
// that code and reason when the writer runs.
func TestAFullQueueClosesAsTooSlow(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	sends := make(chan []error, 1)
	p := dial(t, ctx, Options{Queue: 4}, func(c *Conn, _ *atomic.Int64) {
		// The writer is not running yet: the peer is as slow as can be.
		var errs []error
		for range 6 {
			errs = append(errs, c.Send([]byte(`{"type":"x"}`)))
		}
		sends <- errs
	}, nil)
	errs := <-sends
	for i, want := range []error{nil, nil, nil, nil, ErrTooSlow, ErrClosed} {
		if !errors.Is(errs[i], want) {
			t.Fatalf("send %d: %v, want %v", i+1, errs[i], want)
		}
	}
	if c := p.closed(t, ctx); c != (closed{websocket.StatusPolicyViolation, ReasonTooSlow}) {
		t.Fatalf("closed with %+v", c)
	}
	if ce := p.closeStatus(t, ctx); ce.Code != websocket.StatusPolicyViolation || ce.Reason != ReasonTooSlow {
		t.Fatalf("peer saw %v %q, want 1008 %q", ce.Code, ce.Reason, ReasonTooSlow)
	}
}

// The queue is bounded in bytes too: a queue sized in frames for a burst
// of ordinary ones cannot hold megabytes for a peer that stopped reading.
// A frame alone is taken whatever its size (it could never go otherwise).
func TestQueuedBytesCloseAsTooSlow(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	sends := make(chan []error, 1)
	p := dial(t, ctx, Options{Queue: 100, QueueBytes: 1000}, func(c *Conn, _ *atomic.Int64) {
		errs := []error{c.Send(bytes.Repeat([]byte("x"), 1500))} // alone: taken
		c.Take(nil)                                              // written: the queue is empty again
		for _, n := range []int{600, 400, 1} {
			errs = append(errs, c.Send(bytes.Repeat([]byte("x"), n)))
		}
		sends <- errs
	}, nil)
	errs := <-sends
	for i, want := range []error{nil, nil, nil, ErrTooSlow} {
		if !errors.Is(errs[i], want) {
			t.Fatalf("send %d: %v, want %v", i+1, errs[i], want)
		}
	}
	if c := p.closed(t, ctx); c != (closed{websocket.StatusPolicyViolation, ReasonTooSlow}) {
		t.Fatalf("closed with %+v", c)
	}
}

// Frames already waiting when the writer wakes go out together: 150
// queued frames are 3 writes (64 at most in each), and arrive whole and in
// order.
func TestQueuedFramesAreCoalescedIntoFewWrites(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	const n = 150
	bases := make(chan int64, 1)
	p := dial(t, ctx, Options{}, func(c *Conn, writes *atomic.Int64) {
		bases <- writes.Load() // the handshake is written
		for i := range n {
			if err := c.Send([]byte(strings.Repeat("x", i+1))); err != nil {
				t.Error(err)
			}
		}
	}, nil)
	for i := range n {
		_, data, err := p.client.Read(ctx)
		if err != nil || len(data) != i+1 {
			t.Fatalf("frame %d: %d bytes, %v", i, len(data), err)
		}
	}
	if got := p.writes.Load() - <-bases; got != 3 {
		t.Fatalf("%d writes for %d queued frames, want 3", got, n)
	}
}

// Close may be called from anywhere any number of times: the first code
// and reason are the ones sent, OnClose runs once.
func TestCloseIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	p := dial(t, ctx, Options{}, nil, nil)
	p.server.Close(websocket.StatusGoingAway, "first")
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() { defer wg.Done(); p.server.Close(websocket.StatusPolicyViolation, "later") }()
	}
	wg.Wait()
	if ce := p.closeStatus(t, ctx); ce.Code != websocket.StatusGoingAway || ce.Reason != "first" {
		t.Fatalf("peer saw %v %q, want 1001 first", ce.Code, ce.Reason)
	}
	<-p.ran
	p.server.Close(websocket.StatusNormalClosure, "after Run") // still harmless
	if c := p.closed(t, ctx); c.reason != "first" || len(p.closes) != 0 {
		t.Fatalf("OnClose got %+v and %d more", c, len(p.closes))
	}
	if err := p.server.Send([]byte("late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("send after close: %v", err)
	}
}

// A frame up to the read limit reaches the handler; one byte more closes
// the connection with 1009.
func TestReadLimitIsEnforced(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	p := dial(t, ctx, Options{ReadLimit: 1024}, nil, nil)
	if err := p.client.Write(ctx, websocket.MessageText, bytes.Repeat([]byte("a"), 1024)); err != nil {
		t.Fatal(err)
	}
	if got := <-p.frames; len(got) != 1024 {
		t.Fatalf("handler got %d bytes", len(got))
	}
	if err := p.client.Write(ctx, websocket.MessageText, bytes.Repeat([]byte("a"), 1025)); err != nil {
		t.Fatal(err)
	}
	if ce := p.closeStatus(t, ctx); ce.Code != websocket.StatusMessageTooBig {
		t.Fatalf("peer saw %v, want 1009", ce.Code)
	}
	select {
	case f := <-p.frames:
		t.Fatalf("a frame over the limit reached the handler (%d bytes)", len(f))
	default:
	}
}

// A peer that answers pings stays connected through many of them.
func TestPingsKeepALivePeerConnected(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	pings := make(chan struct{}, 100)
	p := dial(t, ctx, Options{PingEvery: 20 * time.Millisecond, WriteTimeout: 5 * time.Second}, nil,
		&websocket.DialOptions{OnPingReceived: func(context.Context, []byte) bool {
			select {
			case pings <- struct{}{}:
			default:
			}
			return true
		}})
	got := make(chan []byte, 1)
	go func() { // reading is what answers pings
		if _, data, err := p.client.Read(ctx); err == nil {
			got <- data
		}
	}()
	for range 10 {
		select {
		case <-pings:
		case <-ctx.Done():
			t.Fatal("fewer than 10 pings")
		}
	}
	if err := p.server.Send([]byte("still here")); err != nil {
		t.Fatalf("after 10 pings: %v", err)
	}
	if d := <-got; string(d) != "still here" {
		t.Fatalf("got %q", d)
	}
}

// A peer that stops reading never answers a ping: it is closed with 1008
// "ping timeout" after WriteTimeout.
func TestADeadPeerIsClosedOnPingTimeout(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	p := dial(t, ctx, Options{PingEvery: 20 * time.Millisecond, WriteTimeout: 100 * time.Millisecond}, nil, nil)
	if c := p.closed(t, ctx); c != (closed{websocket.StatusPolicyViolation, ReasonPingTimeout}) {
		t.Fatalf("closed with %+v", c)
	}
	if ce := p.closeStatus(t, ctx); ce.Code != websocket.StatusPolicyViolation || ce.Reason != ReasonPingTimeout {
		t.Fatalf("peer saw %v %q", ce.Code, ce.Reason)
	}
}

// A write that cannot finish (the peer stopped reading and the buffers
// are full) closes as too slow, the same as a full queue.
func TestAFailedWriteClosesAsTooSlow(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	// The client's receive buffer is small too (a fixed size also stops
	// the kernel growing it), and the client never reads.
	small := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			err = c.(*net.TCPConn).SetReadBuffer(16 << 10)
		}
		return c, err
	}}}
	p := dial(t, ctx, Options{WriteTimeout: 200 * time.Millisecond}, nil, &websocket.DialOptions{HTTPClient: small})
	big := bytes.Repeat([]byte("x"), 1<<20)
	for i := range 4 { // 4 MiB: far more than the buffers hold
		if err := p.server.Send(big); err != nil {
			t.Fatalf("send %d: %v (the queue should hold them)", i, err)
		}
	}
	if c := p.closed(t, ctx); c != (closed{websocket.StatusPolicyViolation, ReasonTooSlow}) {
		t.Fatalf("closed with %+v", c)
	}
	// The close frame cannot get through either; once the peer is gone,
	// Run returns.
	p.client.CloseNow()
	select {
	case <-p.ran:
	case <-ctx.Done():
		t.Fatal("Run did not return after the failed write")
	}
}

// Shutdown (Run's context ending) closes with 1001, and the close frame
// still reaches the peer although that context has ended.
func TestShutdownClosesWithGoingAway(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	runCtx, stop := context.WithCancel(ctx)
	p := dial(t, runCtx, Options{}, nil, nil)
	stop()
	if ce := p.closeStatus(t, ctx); ce.Code != websocket.StatusGoingAway || ce.Reason != ReasonShutdown {
		t.Fatalf("peer saw %v %q, want 1001 %q", ce.Code, ce.Reason, ReasonShutdown)
	}
	<-p.ran
}
