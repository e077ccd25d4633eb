package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/wsconn"
)

// Widget socket limits; the connection itself (queue, batching, pings,
// closing) is internal/wsconn's.
const (
	// maxClientFrame leaves room for a call signal of desk.MaxCallSignal
	// bytes (SDP) once JSON-escaped.
	maxClientFrame = desk.MaxCallSignal + 8<<10
	// typingEvery is the most often one socket's typing is announced.
	typingEvery = 2 * time.Second
)

// ServeSocket upgrades a visitor's request (token in ?token=, since
// browsers cannot set headers on a WebSocket) to its live socket.
func (s *Service) ServeSocket(w http.ResponseWriter, r *http.Request) {
	v, err := s.authenticate(w, r, true)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	// The origin was checked against the channel by authenticate.
	sock := &socket{hub: s.hub, v: v}
	conn, err := wsconn.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true, CompressionMode: websocket.CompressionDisabled}, sock.options())
	if err != nil {
		return // Accept has answered
	}
	sock.attach(conn)
	sock.enqueue(encode(realtime.FrameHello, "", 0, Hello{ContactID: v.ContactID, ServerTime: s.store.Now().UTC().Format(time.RFC3339Nano)}))
	if !s.hub.add(sock) {
		sock.close(websocket.StatusGoingAway, wsconn.ReasonShutdown)
		sock.run(s.hub.ctx) // only sends the close frame
		return
	}
	defer s.hub.remove(sock)
	sock.run(s.hub.ctx)
}

// socket is one visitor's browser tab: its connection and whose it is.
type socket struct {
	hub        *hub
	conn       *wsconn.Conn
	v          visitor
	done       <-chan struct{} // the connection's Done
	lastTyping time.Time
}

// newSocket serves an already accepted connection (each frame its own
// write); ServeSocket accepts through wsconn.Accept, which batches.
func newSocket(h *hub, c *websocket.Conn, v visitor) *socket {
	s := &socket{hub: h, v: v}
	s.attach(wsconn.New(c, s.options()))
	return s
}

func (s *socket) options() wsconn.Options {
	return wsconn.Options{Queue: s.hub.queue, ReadLimit: maxClientFrame}
}

func (s *socket) attach(c *wsconn.Conn) { s.conn, s.done = c, c.Done() }

// enqueue offers a frame without blocking; a full queue closes the socket
// with 1008 (wsconn): the widget reconnects and catches up, rather than
// silently missing a reply.
func (s *socket) enqueue(frame []byte) { _ = s.conn.Send(frame) }

func (s *socket) close(code websocket.StatusCode, reason string) { s.conn.Close(code, reason) }

// run serves the socket until it closes; ctx ending is the shutdown.
func (s *socket) run(ctx context.Context) { s.conn.Run(ctx, s.read) }

// ClientFrame is what a widget may send: {"type":"typing"}.
type ClientFrame struct {
	Type realtime.FrameType `json:"type"`
}

func (s *socket) read(ctx context.Context, typ websocket.MessageType, data []byte) {
	var f ClientFrame
	if typ != websocket.MessageText || json.Unmarshal(data, &f) != nil {
		s.enqueue(encode(realtime.FrameError, "", 0, realtime.ErrorFrame{Code: "bad_request", Message: "frames are JSON text"}))
		return
	}
	switch f.Type {
	case realtime.FrameTyping:
		s.typing(ctx)
	case realtime.FrameCallStart, realtime.FrameCallAccept, realtime.FrameCallDecline, realtime.FrameCallHangup, realtime.FrameCallSignal:
		s.call(ctx, data)
	default:
		s.enqueue(encode(realtime.FrameError, "", 0, realtime.ErrorFrame{Code: "bad_request", Message: "unknown frame type"}))
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
