package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
)

// bare is the ceiling: a broadcast server on net/http and
// github.com/coder/websocket, the libraries Relevo serves sockets with, and
// nothing else: no store, no bus, no sessions, no scope check. It answers
// the three requests of the run (login, the socket, inbound) in the same
// shapes, with one writer goroutine and a 256-frame queue per socket like
// Relevo, so the client side does the same work.
//
// With batch, each socket's writer puts the frames waiting in its queue
// on the wire with one write, as Relevo's does (internal/realtime,
// batch.go; copied below as batchConn): the ceiling for Relevo's design.
type bare struct {
	batch bool
	mu    sync.Mutex
	subs  map[*bareSub]struct{}
	seq   atomic.Int64
	srv   *http.Server
	ln    net.Listener
}

type bareSub struct {
	send chan []byte
	once sync.Once
	done chan struct{}
}

func (s *bareSub) stop() { s.once.Do(func() { close(s.done) }) }

func startBare(batch bool) (*bare, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bare{batch: batch, subs: map[*bareSub]struct{}{}, ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/auth/login", b.login)
	mux.HandleFunc("GET /api/v1/ws", b.socket)
	mux.HandleFunc("POST /api/v1/channels/{id}/inbound", b.inbound)
	b.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = b.srv.Serve(ln) }()
	return b, nil
}

func (b *bare) url() string { return "http://" + b.ln.Addr().String() }

func (b *bare) close() {
	_ = b.srv.Close()
	b.mu.Lock()
	for s := range b.subs {
		s.stop()
	}
	b.mu.Unlock()
}

func (b *bare) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string `json:"email"`
	}
	_ = json.NewDecoder(r.Body).Decode(&in)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"user": desk.User{ID: in.Email, Name: in.Email, Email: in.Email, Role: desk.RoleAgent}})
}

func (b *bare) socket(w http.ResponseWriter, r *http.Request) {
	var bc *batchHijacker
	if b.batch {
		bc = &batchHijacker{ResponseWriter: w}
		w = bc
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return
	}
	s := &bareSub{send: make(chan []byte, 256), done: make(chan struct{})}
	hello, _ := json.Marshal(realtime.Frame{Type: realtime.FrameHello, Data: json.RawMessage(`{}`)})
	s.send <- hello
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.subs, s)
		b.mu.Unlock()
	}()
	ctx := conn.CloseRead(context.Background())
	for {
		select {
		case <-ctx.Done():
			_ = conn.CloseNow()
			return
		case <-s.done:
			_ = conn.Close(websocket.StatusPolicyViolation, "too slow")
			return
		case f := <-s.send:
			var err error
			if bc != nil {
				err = bc.c.writeQueued(conn, f, s.send)
			} else {
				wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				err = conn.Write(wctx, websocket.MessageText, f)
				cancel()
			}
			if err != nil {
				_ = conn.CloseNow()
				return
			}
		}
	}
}

// inbound encodes the message once, as Relevo does, and queues it on
// every socket.
func (b *bare) inbound(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Contact struct {
			ExternalID string `json:"external_id"`
			Name       string `json:"name"`
		} `json:"contact"`
		Message struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"message"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n := b.seq.Add(1)
	// Ids the length of Relevo's.
	id := func(kind string) string { return fmt.Sprintf("%s%026s", kind, strconv.FormatInt(n, 36))[:26] }
	contactID, convID := id("k"), id("c")
	m := desk.Message{ID: id("m"), ConversationID: convID, Seq: n, Author: desk.Author{Type: desk.AuthorContact, ID: &contactID, Name: in.Contact.Name},
		Kind: desk.KindText, Text: in.Message.Text, Attachments: []desk.Attachment{}, Status: desk.StatusReceived, CreatedAt: time.Now()}
	data, _ := json.Marshal(m)
	frame, _ := json.Marshal(realtime.Frame{Type: realtime.FrameMessageCreated, ConversationID: convID, Seq: n, Data: data})
	b.mu.Lock()
	for s := range b.subs {
		select {
		case s.send <- frame:
		default:
			s.stop()
		}
	}
	b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(inboundAnswer{ConversationID: convID, MessageID: m.ID})
}

// batchConn is the bench's copy of Relevo's write batching: corked, what
// the library flushes is collected, and goes out in one write on uncork.
type batchConn struct {
	conn net.Conn
	mu   sync.Mutex
	on   bool
	buf  []byte
}

func (c *batchConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.on {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	return c.conn.Write(p)
}

// writeQueued writes f and up to 63 frames waiting behind it in one write.
func (c *batchConn) writeQueued(conn *websocket.Conn, f []byte, queue chan []byte) error {
	c.mu.Lock()
	c.on = true
	c.mu.Unlock()
	err := conn.Write(context.Background(), websocket.MessageText, f)
	for n := 1; err == nil && n < 64 && len(queue) > 0; n++ {
		err = conn.Write(context.Background(), websocket.MessageText, <-queue)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.on = false
	if err == nil && len(c.buf) > 0 {
		_ = c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, err = c.conn.Write(c.buf)
		_ = c.conn.SetWriteDeadline(time.Time{})
	}
	c.buf = c.buf[:0]
	return err
}

type batchHijacker struct {
	http.ResponseWriter
	c *batchConn
}

func (w *batchHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.c = &batchConn{conn: conn}
	brw.Writer.Reset(w.c)
	return conn, brw, nil
}

func (w *batchHijacker) Unwrap() http.ResponseWriter { return w.ResponseWriter }
