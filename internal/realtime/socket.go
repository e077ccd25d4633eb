package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
)

// Socket limits.
const (
	// sendQueue is how many frames may wait for a slow socket before it
	// is closed: enough for a burst, small enough to bound memory.
	sendQueue = 256
	// maxClientFrame bounds what a client may send.
	maxClientFrame = 64 << 10
	writeTimeout   = 5 * time.Second
	pingEvery      = 25 * time.Second
)

// socket is one connected browser.
type socket struct {
	hub   *Hub
	conn  *websocket.Conn
	cork  *cork // under conn's writer (batch.go)
	actor desk.Actor

	// queue holds the frames waiting for the writer (at most sendQueue)
	// and wake, of capacity 1, says there are some. A slice rather than a
	// channel of sendQueue slots: such a channel allocated its 256 slots
	// (6 KiB) up front on every socket, idle or not.
	qmu   sync.Mutex
	queue [][]byte
	wake  chan struct{}

	closeOnce sync.Once
	done      chan struct{}
	// closeCode and reason are what the writer closes with.
	closeCode   websocket.StatusCode
	closeReason string
}

func newSocket(h *Hub, c *websocket.Conn, a desk.Actor) *socket {
	return &socket{hub: h, conn: c, actor: a, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

func (s *socket) userID() string { return s.actor.User.ID }

// enqueue offers a frame without blocking. A full queue means the client
// cannot keep up: it is closed with policy violation and will reconnect
// and resync, rather than silently miss frames.
func (s *socket) enqueue(frame []byte) {
	select {
	case <-s.done:
		return
	default:
	}
	s.qmu.Lock()
	full := len(s.queue) >= sendQueue
	if !full {
		s.queue = append(s.queue, frame)
	}
	s.qmu.Unlock()
	if full {
		s.hub.metrics.slowClosed.Inc()
		s.close(websocket.StatusPolicyViolation, "too slow: reconnect and resync")
		return
	}
	select {
	case s.wake <- struct{}{}:
	default: // the writer has been woken already
	}
}

// take returns the waiting frames, oldest first, and leaves spare (emptied)
// as the queue, so a busy socket reuses two slices.
func (s *socket) take(spare [][]byte) [][]byte {
	s.qmu.Lock()
	q := s.queue
	s.queue = spare[:0]
	s.qmu.Unlock()
	return q
}

// close ends the socket once, with code.
func (s *socket) close(code websocket.StatusCode, reason string) {
	s.closeOnce.Do(func() {
		s.closeCode, s.closeReason = code, reason
		close(s.done)
	})
}

// run serves the socket until it closes. The writer owns every write (one
// goroutine per socket writes, so frames never interleave); the reader
// handles client frames.
//
// ctx ending (shutdown) closes the socket with "going away". Reads and
// writes use a context of their own that ends only after the close
// handshake: coder/websocket drops the connection at once when a read or
// write context ends, which cut the 1001 close frame off on shutdown
// (clients saw 1006 and could not tell a restart from a network fault).
func (s *socket) run(ctx context.Context) {
	ioCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	s.conn.SetReadLimit(maxClientFrame)
	go s.read(ioCtx)
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	var q [][]byte
	for {
		select {
		case <-s.done:
			_ = s.conn.Close(s.closeCode, s.closeReason)
			return
		case <-ctx.Done():
			s.close(websocket.StatusGoingAway, "server shutting down")
		case <-s.wake:
			q = s.take(q)
			if err := s.writeFrames(ioCtx, q); err != nil {
				s.close(websocket.StatusInternalError, "write failed")
			}
			clear(q) // the frames are garbage once written
			if cap(q) > 32 {
				q = nil // a burst's slice is not kept by a quiet socket
			}
		case <-ping.C:
			pctx, pcancel := context.WithTimeout(ioCtx, writeTimeout)
			err := s.conn.Ping(pctx)
			pcancel()
			if err != nil {
				s.close(websocket.StatusPolicyViolation, "ping timeout")
			}
		}
	}
}

// writeFrames writes the frames, up to maxBatch of them in each write to
// the connection (batch.go), each write within writeTimeout.
//
// The library is given a context that never ends: its writes only fill
// the cork and cannot block, and a context with a deadline cost a timer
// and a cancel registration per frame (about a fifth of the write path).
// The timeout is the connection's write deadline when uncorking.
func (s *socket) writeFrames(ctx context.Context, frames [][]byte) error {
	if s.cork == nil { // not hijacked through corkingWriter
		for _, f := range frames {
			wctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := s.conn.Write(wctx, websocket.MessageText, f)
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
		s.cork.cork()
		var err error
		for _, f := range frames[:n] {
			if err = s.conn.Write(wctx, websocket.MessageText, f); err != nil {
				break
			}
		}
		if uerr := s.cork.uncork(writeTimeout); err == nil {
			err = uerr
		}
		if err != nil {
			return err
		}
		frames = frames[n:]
	}
	return nil
}

// read handles client frames: typing only, for now. Anything else gets an
// error frame; a frame over the limit closes the socket (the library
// answers 1009 message too big).
func (s *socket) read(ctx context.Context) {
	for {
		typ, data, err := s.conn.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				s.close(ce.Code, "")
			} else {
				s.close(websocket.StatusNormalClosure, "")
			}
			return
		}
		if typ != websocket.MessageText {
			s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: "bad_request", Message: "frames are JSON text"}))
			continue
		}
		var f ClientFrame
		if err := json.Unmarshal(data, &f); err != nil {
			s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: "bad_request", Message: "invalid JSON"}))
			continue
		}
		switch f.Type {
		case FrameTyping:
			if err := s.hub.typing(ctx, s.actor, f.ConversationID); err != nil {
				s.enqueue(encode(FrameError, f.ConversationID, 0, ErrorFrame{Code: string(desk.ErrorCode(err)), Message: "cannot type there"}))
			}
		default:
			s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: "bad_request", Message: "unknown frame type"}))
		}
	}
}
