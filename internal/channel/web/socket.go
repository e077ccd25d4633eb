package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpapi"
	"github.com/relevo/relevo/internal/realtime"
)

// Socket limits.
const (
	maxClientFrame = 16 << 10
	writeTimeout   = 5 * time.Second
	pingEvery      = 25 * time.Second
	// typingEvery is the most often one socket's typing is announced.
	typingEvery = 2 * time.Second
)

// ServeSocket upgrades a visitor's request (token in ?token=, since
// browsers cannot set headers on a WebSocket) to its live socket.
func (s *Service) ServeSocket(w http.ResponseWriter, r *http.Request) {
	v, err := s.authenticate(w, r, true)
	if err != nil {
		httpapi.WriteError(w, r, s.log, err)
		return
	}
	// The origin was checked against the channel by authenticate.
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true, CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return // Accept has answered
	}
	sock := newSocket(s.hub, conn, v)
	sock.enqueue(encode(realtime.FrameHello, "", 0, hello{ContactID: v.ContactID, ServerTime: s.store.Now().UTC().Format(time.RFC3339Nano)}))
	if !s.hub.add(sock) {
		_ = conn.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	defer s.hub.remove(sock)
	sock.run(s.hub.ctx)
}

// socket is one visitor's browser tab.
type socket struct {
	hub  *hub
	conn *websocket.Conn
	v    visitor
	send chan []byte

	closeOnce   sync.Once
	done        chan struct{}
	closeCode   websocket.StatusCode
	closeReason string
	lastTyping  time.Time
}

func newSocket(h *hub, c *websocket.Conn, v visitor) *socket {
	return &socket{hub: h, conn: c, v: v, send: make(chan []byte, h.queue), done: make(chan struct{})}
}

// enqueue offers a frame without blocking; a full queue closes the socket
// with policy violation (1008): the widget reconnects and catches up,
// rather than silently missing a reply.
func (s *socket) enqueue(frame []byte) {
	select {
	case <-s.done:
	case s.send <- frame:
	default:
		s.close(websocket.StatusPolicyViolation, "too slow: reconnect and catch up")
	}
}

func (s *socket) close(code websocket.StatusCode, reason string) {
	s.closeOnce.Do(func() {
		s.closeCode, s.closeReason = code, reason
		close(s.done)
	})
}

// run serves the socket until it closes: this goroutine owns every write;
// the reader handles client frames. I/O uses a context that outlives ctx
// so the close frame still goes out on shutdown.
func (s *socket) run(ctx context.Context) {
	ioCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	s.conn.SetReadLimit(maxClientFrame)
	go s.read(ioCtx)
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-s.done:
			_ = s.conn.Close(s.closeCode, s.closeReason)
			return
		case <-ctx.Done():
			s.close(websocket.StatusGoingAway, "server shutting down")
		case f := <-s.send:
			wctx, wcancel := context.WithTimeout(ioCtx, writeTimeout)
			err := s.conn.Write(wctx, websocket.MessageText, f)
			wcancel()
			if err != nil {
				s.close(websocket.StatusPolicyViolation, "write timed out")
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

// clientFrame is what a widget may send: {"type":"typing"}.
type clientFrame struct {
	Type realtime.FrameType `json:"type"`
}

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
		var f clientFrame
		if typ != websocket.MessageText || json.Unmarshal(data, &f) != nil {
			s.enqueue(encode(realtime.FrameError, "", 0, realtime.ErrorFrame{Code: "bad_request", Message: "frames are JSON text"}))
			continue
		}
		switch f.Type {
		case realtime.FrameTyping:
			s.typing(ctx)
		default:
			s.enqueue(encode(realtime.FrameError, "", 0, realtime.ErrorFrame{Code: "bad_request", Message: "unknown frame type"}))
		}
	}
}

// typing tells the agents (through the bus, so on every node) that the
// customer is typing in its open conversation; at most once per
// typingEvery, and only with a conversation open.
func (s *socket) typing(ctx context.Context) {
	now := time.Now()
	if now.Sub(s.lastTyping) < typingEvery {
		return
	}
	s.lastTyping = now
	c, err := s.hub.s.store.WidgetConversation(ctx, s.v.ChannelID, s.v.ContactID)
	if err != nil || !c.Phase.Open() {
		return
	}
	s.hub.s.publish([]desk.Change{{Type: desk.ChangeTyping, ConversationID: c.ID, BotID: c.BotID}})
}
