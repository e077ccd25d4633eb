package realtime

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/wsconn"
)

// Console socket limits; the connection itself (queue, batching, pings,
// closing) is internal/wsconn's.
const (
	// sendQueue is how many frames may wait for a console that is behind,
	// sized from what one agent must take at the throughput target
	// (docs/PERFORMANCE.md, "The agent's socket under a widget burst"): at
	// 1,000 customer messages a second an agent seeing the queue gets one
	// message.created each, and five frames for each new conversation
	// (two conversation.updated, the message, the hand-over line, the queue
	// notice); 500 visitors starting at once are 2,500 frames. 4,096 holds
	// that burst and a second and a half of the steady stream. 256, the old
	// figure, closed a healthy console in such a burst. The slots hold
	// frames shared with every other socket; sendQueueBytes bounds memory.
	sendQueue = 4096
	// sendQueueBytes bounds the queue's bytes: the old 256 frames of the
	// largest message. The burst above is about 1.6 MB.
	sendQueueBytes = 4 << 20
	// maxClientFrame bounds what a console may send.
	maxClientFrame = 64 << 10
)

// socket is one connected browser: its connection and whose it is. Who
// gets which frame is route.go's.
type socket struct {
	hub   *Hub
	conn  *wsconn.Conn
	actor desk.Actor
	done  <-chan struct{} // the connection's Done
	// closeCode is what the socket was closed with (set before done closes).
	closeCode websocket.StatusCode
}

// newSocket serves an already accepted connection (each frame its own
// write); ServeSocket accepts through acceptSocket, which batches. c may be
// nil for a socket that is only routed to, never run.
func newSocket(h *Hub, c *websocket.Conn, a desk.Actor) *socket {
	s := &socket{hub: h, actor: a}
	s.attach(wsconn.New(c, s.options()))
	return s
}

// acceptSocket upgrades the request; on error Accept has answered it.
func acceptSocket(h *Hub, w http.ResponseWriter, r *http.Request, ao *websocket.AcceptOptions, a desk.Actor) (*socket, error) {
	s := &socket{hub: h, actor: a}
	c, err := wsconn.Accept(w, r, ao, s.options())
	if err != nil {
		return nil, err
	}
	s.attach(c)
	return s, nil
}

func (s *socket) options() wsconn.Options {
	return wsconn.Options{Queue: sendQueue, QueueBytes: sendQueueBytes, ReadLimit: maxClientFrame, OnClose: s.closed}
}

func (s *socket) attach(c *wsconn.Conn) { s.conn, s.done = c, c.Done() }

// closed counts the sockets closed for not keeping up (a full queue or a
// write that timed out).
func (s *socket) closed(code websocket.StatusCode, reason string) {
	s.closeCode = code
	if reason == wsconn.ReasonTooSlow {
		s.hub.metrics.slowClosed.Inc()
	}
}

func (s *socket) userID() string { return s.actor.User.ID }

// enqueue offers a frame without blocking; a full queue closes the socket
// with 1008 (wsconn), and the console reconnects and resyncs.
func (s *socket) enqueue(frame []byte) { _ = s.conn.Send(frame) }

// take drains the queue (the writer's, and the routing benchmark's).
func (s *socket) take(spare [][]byte) [][]byte { return s.conn.Take(spare) }

// close ends the socket once, with code.
func (s *socket) close(code websocket.StatusCode, reason string) { s.conn.Close(code, reason) }

// run serves the socket until it closes; ctx ending is the shutdown.
func (s *socket) run(ctx context.Context) { s.conn.Run(ctx, s.read) }

// read handles a client frame: typing, and viewing a conversation
// (viewers.go). Anything else gets an error frame.
func (s *socket) read(ctx context.Context, typ websocket.MessageType, data []byte) {
	if typ != websocket.MessageText {
		s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: "bad_request", Message: "frames are JSON text"}))
		return
	}
	var f ClientFrame
	if err := json.Unmarshal(data, &f); err != nil {
		s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: "bad_request", Message: "invalid JSON"}))
		return
	}
	switch f.Type {
	case FrameTyping:
		if err := s.hub.typing(ctx, s.actor, f.ConversationID); err != nil {
			s.enqueue(encode(FrameError, f.ConversationID, 0, ErrorFrame{Code: string(desk.ErrorCode(err)), Message: "cannot type there"}))
		}
	case FrameConversationView:
		if err := s.hub.view(ctx, s, f.ConversationID); err != nil {
			s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: string(desk.ErrorCode(err)), Message: "cannot view that conversation"}))
		}
	case FrameConversationTyping:
		if err := s.hub.viewTyping(s, f.ConversationID); err != nil {
			s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: string(desk.ErrorCode(err)), Message: "view the conversation before typing in it"}))
		}
	case FrameConversationLeave:
		s.hub.leave(s)
	case FrameCallStart, FrameCallAccept, FrameCallDecline, FrameCallHangup, FrameCallSignal:
		s.hub.callFrame(ctx, s, data)
	default:
		s.enqueue(encode(FrameError, "", 0, ErrorFrame{Code: "bad_request", Message: "unknown frame type"}))
	}
}
