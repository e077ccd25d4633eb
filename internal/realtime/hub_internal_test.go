package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// hubWorld is a hub wired straight to a SQLite store, without a bus: each
// commit is routed before the store call returns, so tests need no waiting.
// While held, changes queue up instead, as on a busy bus.
type hubWorld struct {
	mu     sync.Mutex
	held   bool
	queued []desk.Change

	hub   *Hub
	db    *storetest.DB
	reg   *prometheus.Registry
	srv   *httptest.Server
	users map[string]desk.User
	bot   desk.Bot
	ch    desk.Channel
	sup   desk.User
	agent desk.User
}

func newHubWorld(t *testing.T, opt Options) *hubWorld { return newHubWorldOn(t, "sqlite", opt, nil) }

// newHubWorldOn is newHubWorld on the named database, its sockets served
// through listen's listener (nil: as accepted).
func newHubWorldOn(t *testing.T, dialect string, opt Options, listen func(net.Listener) net.Listener) *hubWorld {
	t.Helper()
	w := &hubWorld{reg: prometheus.NewRegistry(), users: map[string]desk.User{}}
	w.db = storetest.Open(t, dialect, func(o *store.Options) { o.OnCommit = w.route })
	db := w.db
	opt.Store, opt.Registry = db.Store, w.reg
	h := New(opt)
	h.Run()
	t.Cleanup(h.Close)
	w.mu.Lock()
	w.hub = h
	w.mu.Unlock()
	sd := storetest.NewSeed(t, db.Store)
	w.bot = sd.Bot(desk.Bot{Name: "B"})
	w.ch = sd.APIChannel(w.bot, "api")
	w.sup = w.user(t, "sue", desk.RoleSupervisor)
	w.agent = w.user(t, "ana", desk.RoleAgent)
	// The socket's user is named in the query: the hub trusts its caller
	// (the HTTP layer) for authentication.
	w.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h.ServeSocket(rw, r, desk.UserActor(w.users[r.URL.Query().Get("as")]))
	}))
	if listen != nil {
		w.srv.Listener = listen(w.srv.Listener)
	}
	w.srv.Start()
	t.Cleanup(w.srv.Close)
	return w
}

func (w *hubWorld) route(cs []desk.Change) {
	w.mu.Lock()
	h := w.hub
	if w.held || h == nil {
		w.queued = append(w.queued, cs...)
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	for _, c := range cs {
		h.OnChange(c)
	}
}

// release routes what was held, in order, and stops holding.
func (w *hubWorld) release() {
	w.mu.Lock()
	q := w.queued
	w.held, w.queued = false, nil
	w.mu.Unlock()
	for _, c := range q {
		w.hub.OnChange(c)
	}
}

func (w *hubWorld) user(t *testing.T, name string, role desk.Role) desk.User {
	t.Helper()
	u := storetest.NewSeed(t, w.db.Store).User(desk.User{Name: name, Email: name + "@x.io", Role: role, BotIDs: []string{w.bot.ID}}, "x")
	w.users[u.ID] = u
	return u
}

// frames is a socket read by a goroutine, so the server never waits on
// the test.
type frames struct {
	conn *websocket.Conn
	ch   chan Frame
	err  chan error
}

func (w *hubWorld) dial(t *testing.T, ctx context.Context, u desk.User) *frames {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(w.srv.URL, "http")+"/?as="+u.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(-1)
	t.Cleanup(func() { conn.CloseNow() })
	fs := &frames{conn: conn, ch: make(chan Frame, 4096), err: make(chan error, 1)}
	go fs.pump()
	// The hub writes hello only once the socket is routed to: from here
	// on nothing committed is missed.
	if f := fs.next(t, ctx); f.Type != FrameHello {
		t.Fatalf("first frame %s, want hello", f.Type)
	}
	return fs
}

// pump reads the socket into ch until it ends (the error into err).
func (fs *frames) pump() {
	for {
		_, b, err := fs.conn.Read(context.Background())
		if err != nil {
			fs.err <- err
			return
		}
		var f Frame
		if err := json.Unmarshal(b, &f); err != nil {
			fs.err <- err
			return
		}
		fs.ch <- f
	}
}

// next returns the next frame.
func (fs *frames) next(t *testing.T, ctx context.Context) Frame {
	t.Helper()
	select {
	case f := <-fs.ch:
		return f
	case err := <-fs.err:
		t.Fatalf("socket ended: %v", err)
	case <-ctx.Done():
		t.Fatal("no frame")
	}
	return Frame{}
}

// until reads frames up to one of type typ and returns those before it.
func (fs *frames) until(t *testing.T, ctx context.Context, typ FrameType) []Frame {
	t.Helper()
	var seen []Frame
	for {
		f := fs.next(t, ctx)
		if f.Type == typ {
			return seen
		}
		seen = append(seen, f)
	}
}

func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

func TestCounterPushesCoalesceABurstOfChanges(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The pusher's tick is driven by hand (flushCounters), never by time.
	w := newHubWorld(t, Options{CounterInterval: time.Hour})
	sue := w.dial(t, ctx, w.sup)
	if f := sue.next(t, ctx); f.Type != FrameMonitorCounters {
		t.Fatalf("second frame %s, want the counters on connect", f.Type)
	}

	// A burst of 50 new conversations: each opens and goes to the queue
	// (two moves each), a hundred counter changes in all.
	for i := range 50 {
		who := fmt.Sprintf("c%d", i)
		if _, err := w.db.Store.Inbound(ctx, w.ch.ID, store.InboundContact{ExternalID: who}, store.InboundMessage{ExternalID: who, Text: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	w.hub.flushCounters() // one tick after the burst
	w.hub.flushCounters() // a tick with nothing new pushes nothing
	if _, err := w.db.Store.SendChat(ctx, w.agent.ID, w.sup.ID, "barrier"); err != nil {
		t.Fatal(err)
	}
	var pushes []MonitorCounters
	for _, f := range sue.until(t, ctx, FrameChatMessage) {
		if f.Type == FrameMonitorCounters {
			var m MonitorCounters
			if err := json.Unmarshal(f.Data, &m); err != nil {
				t.Fatal(err)
			}
			pushes = append(pushes, m)
		}
	}
	if len(pushes) != 1 {
		t.Fatalf("%d counter pushes for one tick after a burst, want 1", len(pushes))
	}
	want, err := w.db.Store.Monitor(ctx, []string{w.bot.ID})
	if err != nil {
		t.Fatal(err)
	}
	if pushes[0].Counters != want.Counters || want.Counters.Waiting != 50 {
		t.Fatalf("pushed %+v, store %+v", pushes[0].Counters, want.Counters)
	}
}

func TestSlowSocketIsClosedWithPolicyViolation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := newHubWorld(t, Options{})
	// A connection whose server end is a socket with its writer not yet
	// running: the client is as slow as can be.
	accepted := make(chan *websocket.Conn, 1)
	hold := make(chan struct{})
	defer close(hold)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(rw, r, nil)
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
	s := newSocket(w.hub, <-accepted, desk.UserActor(w.agent))

	for range sendQueue {
		s.enqueue([]byte(`{"type":"x"}`))
	}
	select {
	case <-s.done:
		t.Fatal("closed before its queue was full")
	default:
	}
	s.enqueue([]byte(`{"type":"one too many"}`))
	select {
	case <-s.done:
	default:
		t.Fatal("a socket whose queue overflowed is still open")
	}
	if s.closeCode != websocket.StatusPolicyViolation {
		t.Fatalf("close code %v, want 1008", s.closeCode)
	}
	if v := counterValue(t, w.reg, "relevo_ws_slow_closed_total"); v != 1 {
		t.Fatalf("relevo_ws_slow_closed_total = %v, want 1", v)
	}

	// The writer starts and ends the socket with that code; the client
	// sees 1008 and knows to reconnect and resync.
	go s.run(w.hub.ctx)
	for {
		if _, _, err := client.Read(ctx); err != nil {
			if code := websocket.CloseStatus(err); code != websocket.StatusPolicyViolation {
				t.Fatalf("client saw %v (%v), want 1008", code, err)
			}
			break
		}
	}
	// Other sockets are unaffected.
	sue := w.dial(t, ctx, w.sup)
	if _, err := w.db.Store.SendChat(ctx, w.agent.ID, w.sup.ID, "still here"); err != nil {
		t.Fatal(err)
	}
	sue.until(t, ctx, FrameChatMessage)
}

func TestEveryChatMessageOfABurstReachesBothEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := newHubWorld(t, Options{})
	ana, sue := w.dial(t, ctx, w.agent), w.dial(t, ctx, w.sup)
	// 30 messages are committed before the first is routed (a busy bus):
	// each must still be found and delivered, to both ends.
	w.mu.Lock()
	w.held = true
	w.mu.Unlock()
	const burst = 30
	for i := range burst {
		if _, err := w.db.Store.SendChat(ctx, w.sup.ID, w.agent.ID, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	w.release()
	if _, err := w.db.Store.SendChat(ctx, w.sup.ID, w.agent.ID, "end"); err != nil {
		t.Fatal(err)
	}
	for _, fs := range []*frames{ana, sue} {
		var got []string
		for {
			f := fs.next(t, ctx)
			if f.Type != FrameChatMessage {
				continue
			}
			var m desk.ChatMessage
			if err := json.Unmarshal(f.Data, &m); err != nil {
				t.Fatal(err)
			}
			if m.Text == "end" {
				break
			}
			got = append(got, m.Text)
		}
		if len(got) != burst {
			t.Fatalf("%d of %d chat messages delivered: %v", len(got), burst, got)
		}
	}
}

// A recount (on a supervisor's connect, or every 30 s) races moves still
// on the bus: a move committed before the store read but routed after it
// must not be counted twice. The tally keeps each conversation's seq, so
// the late move is recognised as already counted.
func TestCountersOnConnectStayExactWhileMovesAreInFlight(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := newHubWorld(t, Options{CounterInterval: time.Hour})
	// A conversation opens and is queued, but its changes are still on the
	// bus when a supervisor connects and the counters are recounted.
	w.mu.Lock()
	w.held = true
	w.mu.Unlock()
	if _, err := w.db.Store.Inbound(ctx, w.ch.ID, store.InboundContact{ExternalID: "x"}, store.InboundMessage{ExternalID: "x", Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	sue := w.dial(t, ctx, w.sup)
	sue.until(t, ctx, FrameMonitorCounters)
	// The count the store gives now already includes the held moves.
	if err := w.hub.recount(ctx); err != nil {
		t.Fatal(err)
	}
	w.release()
	if got := w.hub.tally.view(nil); got.Counters.Waiting != 1 || got.Counters.Total != 1 {
		t.Fatalf("counters %+v after a recount raced a move; the store has 1 waiting", got.Counters)
	}
}
