package wsconn

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Close reasons sent with the close codes chosen in the package doc.
const (
	ReasonTooSlow     = "too slow: reconnect and resync"
	ReasonPingTimeout = "ping timeout"
	ReasonShutdown    = "server shutting down"
)

// Send's answers when a frame was not queued.
var (
	// ErrTooSlow: the queue was full; this call closed the connection.
	ErrTooSlow = errors.New("wsconn: send queue full, closed as too slow")
	// ErrClosed: the connection had already begun closing.
	ErrClosed = errors.New("wsconn: connection closed")
)

// Options are one kind of socket's limits; zero values take the defaults.
type Options struct {
	// Queue is how many frames may wait for a slow peer before it is
	// closed (default 256): enough for a burst, small enough to bound memory.
	Queue int
	// QueueBytes bounds the bytes of those frames (default 4 MiB, what 256
	// frames of the largest message come to), so a queue sized in frames
	// for a burst of ordinary ones stays bounded in memory when frames are
	// large. A frame alone in the queue is always taken, whatever its size.
	QueueBytes int
	// ReadLimit bounds a peer's frame (default 64 KiB); a larger one closes
	// the connection with 1009 message too big (the library's answer).
	ReadLimit int64
	// WriteTimeout bounds each write, and the wait for a ping's pong
	// (default 5 s).
	WriteTimeout time.Duration
	// PingEvery is how often the peer is pinged (default 25 s).
	PingEvery time.Duration
	// OnClose, if set, runs once, when the connection begins closing and
	// before Done is closed. It must not block: it may run under a hub's
	// routing lock (Send overflowing) or on the connection's goroutines.
	OnClose func(code websocket.StatusCode, reason string)
}

func (o Options) withDefaults() Options {
	if o.Queue <= 0 {
		o.Queue = 256
	}
	if o.QueueBytes <= 0 {
		o.QueueBytes = 4 << 20
	}
	if o.ReadLimit <= 0 {
		o.ReadLimit = 64 << 10
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 5 * time.Second
	}
	if o.PingEvery <= 0 {
		o.PingEvery = 25 * time.Second
	}
	return o
}

// Handler takes one frame from the peer, on the connection's reading
// goroutine; ctx ends when the connection is done.
type Handler func(ctx context.Context, typ websocket.MessageType, data []byte)

// Conn is one WebSocket connection. Send may be called from any goroutine;
// Run owns every write, so frames never interleave.
type Conn struct {
	ws   *websocket.Conn
	cork *cork // nil when the connection was not accepted through Accept
	opt  Options

	// queue holds the frames waiting for the writer (at most opt.Queue)
	// and wake, of capacity 1, says there are some. A slice rather than a
	// channel of Queue slots: such a channel allocated its 256 slots
	// (6 KiB) up front on every socket, idle or not.
	qmu    sync.Mutex
	queue  [][]byte
	queued int // bytes in queue
	wake   chan struct{}

	closeOnce sync.Once
	done      chan struct{}
	// code and reason are what the writer closes with (set once, before
	// done is closed).
	code   websocket.StatusCode
	reason string
}

// Accept upgrades the request and returns a connection whose writes are
// batched (batch.go). On error Accept has already answered the request.
func Accept(w http.ResponseWriter, r *http.Request, ao *websocket.AcceptOptions, opt Options) (*Conn, error) {
	cw := &corkingWriter{ResponseWriter: w}
	ws, err := websocket.Accept(cw, r, ao)
	if err != nil {
		return nil, err
	}
	c := New(ws, opt)
	c.cork = cw.cork
	return c, nil
}

// New wraps a connection accepted elsewhere: everything but batching (each
// frame is then its own write). ws may be nil for a connection that is only
// queued to and drained with Take, never run.
func New(ws *websocket.Conn, opt Options) *Conn {
	return &Conn{ws: ws, opt: opt.withDefaults(), wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// Done is closed once the connection has begun closing.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Send queues a frame without blocking. A full queue (Queue frames, or
// QueueBytes) means the peer cannot keep up: the connection is closed as too slow (ErrTooSlow) and the peer
// reconnects and resyncs, rather than silently missing frames. The frame is
// kept as is until written: callers share one encoded frame between
// connections and must not change it.
func (c *Conn) Send(frame []byte) error {
	select {
	case <-c.done:
		return ErrClosed
	default:
	}
	c.qmu.Lock()
	full := len(c.queue) >= c.opt.Queue || (len(c.queue) > 0 && c.queued+len(frame) > c.opt.QueueBytes)
	if !full {
		c.queue = append(c.queue, frame)
		c.queued += len(frame)
	}
	c.qmu.Unlock()
	if full {
		c.Close(websocket.StatusPolicyViolation, ReasonTooSlow)
		return ErrTooSlow
	}
	select {
	case c.wake <- struct{}{}:
	default: // the writer has been woken already
	}
	return nil
}

// Take returns the waiting frames, oldest first, and leaves spare (emptied)
// as the queue, so a busy writer reuses two slices. Run's writer is its
// user; routing benchmarks that have no peer drain queues with it.
func (c *Conn) Take(spare [][]byte) [][]byte {
	c.qmu.Lock()
	q := c.queue
	c.queue, c.queued = spare[:0], 0
	c.qmu.Unlock()
	return q
}

// Close ends the connection with code and reason; only the first call
// counts. Run sends the close frame.
func (c *Conn) Close(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		c.code, c.reason = code, reason
		if c.opt.OnClose != nil {
			c.opt.OnClose(code, reason)
		}
		close(c.done)
	})
}

// Run serves the connection until it closes, handing the peer's frames to
// handle, and returns once the close handshake is done and the reader has
// stopped.
//
// ctx ending (shutdown) closes with 1001. Reads and writes use a context of
// their own that ends only after the close handshake: coder/websocket drops
// the connection at once when a read or write context ends, which cut the
// 1001 close frame off on shutdown (clients saw 1006 and could not tell a
// restart from a network fault).
func (c *Conn) Run(ctx context.Context, handle Handler) {
	ioCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.ws.SetReadLimit(c.opt.ReadLimit)
	read := make(chan struct{})
	go func() { defer close(read); c.read(ioCtx, handle) }()
	defer func() {
		cancel()
		<-read // nothing of this connection runs once Run has returned
	}()
	ping := time.NewTicker(c.opt.PingEvery)
	defer ping.Stop()
	var q [][]byte
	for {
		select {
		case <-c.done:
			_ = c.ws.Close(c.code, c.reason)
			return
		case <-ctx.Done():
			c.Close(websocket.StatusGoingAway, ReasonShutdown)
		case <-c.wake:
			q = c.Take(q)
			if err := c.write(ioCtx, q); err != nil {
				// A peer whose writes time out has stopped reading: the
				// same case as a full queue, closed the same way.
				c.Close(websocket.StatusPolicyViolation, ReasonTooSlow)
			}
			clear(q) // the frames are garbage once written
			if cap(q) > 32 {
				q = nil // a burst's slice is not kept by a quiet connection
			}
		case <-ping.C:
			pctx, pcancel := context.WithTimeout(ioCtx, c.opt.WriteTimeout)
			err := c.ws.Ping(pctx)
			pcancel()
			if err != nil {
				c.Close(websocket.StatusPolicyViolation, ReasonPingTimeout)
			}
		}
	}
}

// write writes the frames, up to maxBatch of them in each write to the
// connection (batch.go), each write within WriteTimeout.
//
// The library is given a context that never ends: its writes only fill
// the cork and cannot block, and a context with a deadline cost a timer
// and a cancel registration per frame (about a fifth of the write path).
// The timeout is the connection's write deadline when uncorking.
func (c *Conn) write(ctx context.Context, frames [][]byte) error {
	if c.cork == nil {
		for _, f := range frames {
			wctx, cancel := context.WithTimeout(ctx, c.opt.WriteTimeout)
			err := c.ws.Write(wctx, websocket.MessageText, f)
			cancel()
			if err != nil {
				return err
			}
		}
		return nil
	}
	wctx := context.WithoutCancel(ctx)
	for len(frames) > 0 {
		n := min(len(frames), maxBatch)
		c.cork.cork()
		var err error
		for _, f := range frames[:n] {
			if err = c.ws.Write(wctx, websocket.MessageText, f); err != nil {
				break
			}
		}
		if uerr := c.cork.uncork(c.opt.WriteTimeout); err == nil {
			err = uerr
		}
		if err != nil {
			return err
		}
		frames = frames[n:]
	}
	return nil
}

// read hands the peer's frames to handle until the connection ends; a
// frame over the read limit ends it (the library answers 1009).
func (c *Conn) read(ctx context.Context, handle Handler) {
	for {
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				c.Close(ce.Code, "")
			} else {
				c.Close(websocket.StatusNormalClosure, "")
			}
			return
		}
		handle(ctx, typ, data)
	}
}
