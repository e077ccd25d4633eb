package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
)

// runRealtime is `relevo-bench realtime`: customer message accepted →
// agent sockets, on a Relevo node.
func runRealtime(ctx context.Context, args []string, out io.Writer) error {
	var c fanoutConfig
	if err := fanoutFlags("realtime", &c).Parse(args); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	fmt.Fprintf(out, "relevo-bench realtime: %s\n", machine())
	r, err := relevoFanout(ctx, c)
	if err != nil {
		return err
	}
	printFanout(out, r, c)
	return nil
}

// relevoFanout sets a node up (agents, tokens, waiting conversations, all
// untimed) and runs the fan-out against it.
func relevoFanout(ctx context.Context, c fanoutConfig) (fanoutResult, error) {
	raiseFileLimit(uint64(2*c.sockets + 1000))
	n, err := newNode(ctx, app.Options{})
	if err != nil {
		return fanoutResult{}, err
	}
	defer n.close()
	emails, err := n.users(ctx, "agent", c.sockets, desk.RoleAgent)
	if err != nil {
		return fanoutResult{}, err
	}
	tokens, err := n.tokens(ctx, (c.rate+49)/50) // ≤ 50 requests/s each, half the API's per-token limit
	if err != nil {
		return fanoutResult{}, err
	}
	contacts, err := n.waiting(ctx, c.conversations)
	if err != nil {
		return fanoutResult{}, err
	}
	if err := n.start(); err != nil {
		return fanoutResult{}, err
	}
	return runFanout(ctx, fanoutTarget{name: "relevo (SQLite)", base: n.url(), channelID: n.ch.ID,
		api: apiClients(n.url(), tokens, c.senders), emails: emails, contacts: contacts}, c)
}

// runCeiling is `relevo-bench ceiling`: the same run against a bare
// broadcast server, then against Relevo, and the ratio.
func runCeiling(ctx context.Context, args []string, out io.Writer) error {
	var c fanoutConfig
	fs := fanoutFlags("ceiling", &c)
	withRelevo := fs.Bool("relevo", true, "also run Relevo with the same flags and print the ratio")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	fmt.Fprintf(out, "relevo-bench ceiling: %s\n", machine())
	raiseFileLimit(uint64(2*c.sockets + 1000))
	b, err := startBare()
	if err != nil {
		return err
	}
	emails := make([]string, c.sockets)
	for i := range emails {
		emails[i] = fmt.Sprintf("bare-%d@bench.test", i)
	}
	contacts := make([]string, c.conversations)
	for i := range contacts {
		contacts[i] = fmt.Sprintf("waiting-%d", i)
	}
	rb, err := runFanout(ctx, fanoutTarget{name: "bare coder/websocket broadcast (ceiling)", base: b.url(), channelID: "bare",
		api: apiClients(b.url(), []string{"bare"}, c.senders), emails: emails, contacts: contacts}, c)
	b.close()
	if err != nil {
		return err
	}
	printFanout(out, rb, c)
	if !*withRelevo {
		return nil
	}
	c.cpuprofile = "" // the profile, if asked, is the bare server's
	rr, err := relevoFanout(ctx, c)
	if err != nil {
		return err
	}
	printFanout(out, rr, c)
	printRatio(out, rb, rr)
	return nil
}

func printRatio(out io.Writer, bare, rel fanoutResult) {
	fmt.Fprintf(out, "\nceiling ratio (Relevo ÷ bare server, same client, same flags):\n")
	fmt.Fprintf(out, "%-32s %10s %10s %8s\n", "", "bare", "relevo", "ratio")
	q := func(d []time.Duration, p float64) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return quantile(s, p)
	}
	for _, l := range []struct {
		name string
		b, r []time.Duration
		p    float64
	}{
		{"accept → first socket, median", bare.first, rel.first, 0.5},
		{"accept → first socket, p99", bare.first, rel.first, 0.99},
		{"accept → last socket, median", bare.last, rel.last, 0.5},
		{"accept → last socket, p99", bare.last, rel.last, 0.99},
	} {
		b, r := q(l.b, l.p), q(l.r, l.p)
		fmt.Fprintf(out, "%-32s %10s %10s %7.1f×\n", l.name, fmtDur(b), fmtDur(r), float64(r)/float64(max(b, 1)))
	}
	fmt.Fprintf(out, "%-32s %10.0f %10.0f %7.2f×\n", "messages/s achieved", bare.rate(), rel.rate(), rel.rate()/max(bare.rate(), 1e-9))
}

// bare is the ceiling: a broadcast server on net/http and
// github.com/coder/websocket, the libraries Relevo serves sockets with, and
// nothing else: no store, no bus, no sessions, no scope check. It answers
// the three requests of the run (login, the socket, inbound) in the same
// shapes, with one writer goroutine and a 256-frame queue per socket like
// Relevo, so the client side does the same work.
type bare struct {
	mu   sync.Mutex
	subs map[*bareSub]struct{}
	seq  atomic.Int64
	srv  *http.Server
	ln   net.Listener
}

type bareSub struct {
	send chan []byte
	once sync.Once
	done chan struct{}
}

func (s *bareSub) stop() { s.once.Do(func() { close(s.done) }) }

func startBare() (*bare, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bare{subs: map[*bareSub]struct{}{}, ln: ln}
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
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := conn.Write(wctx, websocket.MessageText, f)
			cancel()
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
