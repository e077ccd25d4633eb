package realtime

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/relevo/relevo/internal/clock"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/wsconn"
)

// Options configure a Hub.
type Options struct {
	Store *store.Store
	// Publish puts a change on the bus (typing indicators travel this way).
	Publish func([]desk.Change)
	Log     *slog.Logger
	Clock   clock.Clock
	// OriginPatterns are extra hosts allowed to open sockets (the request's
	// own host always is).
	OriginPatterns []string
	// CounterInterval is the shortest time between two monitor pushes
	// (default 250 ms: at most 4 a second, as specified). Changes are
	// checked every 50 ms, so after a quiet spell a change goes out at
	// once; under a steady stream a change waits up to one interval.
	CounterInterval time.Duration
	// Heartbeat is how often connected users' presence is refreshed in the
	// store (default 20 s).
	Heartbeat time.Duration
	// CallGrace is how long an agent's last socket may be gone before its
	// live calls end (default desk.CallPartyGrace; callgone.go).
	CallGrace time.Duration
	Registry  *prometheus.Registry
	// WhatsAppCalls hands an agent's SDP answer to Meta (wacalls.go); nil
	// refuses answers to WhatsApp calls.
	WhatsAppCalls WhatsAppCalls
}

// changeReader reads back what a change from another node names.
type changeReader interface {
	GetConversation(ctx context.Context, a desk.Actor, id string) (desk.Conversation, error)
	GetMessage(ctx context.Context, id string) (desk.Message, error)
}

// Hub holds this node's sockets and routes changes to them.
type Hub struct {
	opt   Options
	store *store.Store
	// reads is where routing reads a change's conversation and message
	// when the change does not carry them (the store; tests count them).
	reads   changeReader
	log     *slog.Logger
	metrics *metrics

	mu      sync.RWMutex
	sockets map[*socket]struct{}
	byUser  map[string]map[*socket]struct{}
	// gone: users whose last socket here closed, waiting before their
	// calls end (callgone.go).
	gone map[string]*goneTimer
	beat sync.Mutex
	// closed refuses new sockets once Close has begun; live counts the
	// sockets still being served, so Close can wait for their close
	// frames to go out (both under mu).
	closed bool
	live   sync.WaitGroup

	tally *tally
	// viewers is collision state; node names this hub's entries on the bus.
	viewers *viewers
	node    string

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds a hub; call Run to start its background work.
func New(opt Options) *Hub {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Clock == nil {
		opt.Clock = clock.System{}
	}
	if opt.CounterInterval <= 0 {
		opt.CounterInterval = 250 * time.Millisecond
	}
	if opt.Heartbeat <= 0 {
		opt.Heartbeat = 20 * time.Second
	}
	if opt.Registry == nil {
		opt.Registry = prometheus.NewRegistry()
	}
	if opt.CallGrace <= 0 {
		opt.CallGrace = desk.CallPartyGrace
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{opt: opt, store: opt.Store, reads: opt.Store, log: opt.Log, metrics: newMetrics(opt.Registry),
		sockets: map[*socket]struct{}{}, byUser: map[string]map[*socket]struct{}{}, gone: map[string]*goneTimer{},
		tally: newTally(), viewers: newViewers(), node: newNodeID(), ctx: ctx, cancel: cancel}
}

// Run starts the counter pusher and the presence heartbeat.
func (h *Hub) Run() {
	if err := h.recount(h.ctx); err != nil {
		h.log.Warn("realtime: initial count", "err", err)
	}
	h.wg.Add(3)
	go func() { defer h.wg.Done(); h.pushCounters() }()
	go func() { defer h.wg.Done(); h.heartbeat() }()
	go func() { defer h.wg.Done(); h.sweepViewers() }()
}

// Close closes every socket with "going away" and stops the hub. It
// returns once every socket has sent its close frame (or timed out doing
// so), so a process that exits right after still tells clients to
// reconnect rather than dropping them (1006).
func (h *Hub) Close() {
	h.cancel()
	h.mu.Lock()
	h.closed = true
	for u := range h.gone {
		h.backLocked(u) // the node stops: its calls end as node_restart
	}
	for s := range h.sockets {
		s.close(websocket.StatusGoingAway, wsconn.ReasonShutdown)
	}
	h.mu.Unlock()
	h.live.Wait()
	h.wg.Wait()
}

// Connected is how many sockets this node holds.
func (h *Hub) Connected() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.sockets)
}

// ServeSocket upgrades an authenticated console request. The Origin must be
// this server's own host (or an allowed pattern): cookies ride along on
// cross-site WebSocket handshakes, and CSRF protection does not cover GET.
// It returns once the socket is up; the socket lives on until it closes.
func (h *Hub) ServeSocket(w http.ResponseWriter, r *http.Request, a desk.Actor) {
	if a.User == nil {
		http.Error(w, "console users only", http.StatusForbidden)
		return
	}
	s, err := acceptSocket(h, w, r, &websocket.AcceptOptions{
		OriginPatterns:  h.opt.OriginPatterns,
		CompressionMode: websocket.CompressionDisabled,
	}, a)
	if err != nil {
		return // Accept has answered (403 for a foreign origin)
	}
	// Hello is queued before the socket is routed to, so it is always
	// the first frame.
	s.enqueue(encode(FrameHello, "", 0, Hello{UserID: a.User.ID, ServerTime: h.opt.Clock.Now().Format(time.RFC3339Nano)}))
	if a.User.Role.Supervises() && h.tally.stale(5*time.Second) {
		// Exact on connect: a tally more than a few seconds old is merged
		// with a fresh count first (a busy floor of supervisors connecting
		// at once shares one count).
		if err := h.recount(r.Context()); err != nil {
			h.log.Warn("realtime: recount", "err", err)
		}
	}
	if !h.add(s) {
		s.close(websocket.StatusGoingAway, wsconn.ReasonShutdown)
		s.run(h.ctx) // only sends the close frame
		return
	}
	// The socket is served by goroutines of its own and the handler
	// returns: the request, its headers, the server's response buffers
	// and the handler's deep stack are not kept for the socket's life
	// (they were about a quarter of an idle socket's memory).
	go func() {
		defer h.remove(s)
		s.run(h.ctx)
	}()
}

// add routes changes to s from now on; false when the hub is closing.
func (h *Hub) add(s *socket) bool {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return false
	}
	if s.actor.User.Role.Supervises() {
		// The counters go in the queue under the lock that routing takes,
		// so they are the second frame (no change routed in between:
		// that raced and failed TestMonitorCountersOnConnect…), and they
		// count every change routed before the socket was.
		s.enqueue(h.countersFrame(s.actor))
	}
	h.live.Add(1)
	h.sockets[s] = struct{}{}
	m := h.byUser[s.userID()]
	first := m == nil
	if first {
		m = map[*socket]struct{}{}
		h.byUser[s.userID()] = m
	}
	m[s] = struct{}{}
	h.backLocked(s.userID())
	h.mu.Unlock()
	h.metrics.connected.Inc()
	h.touch([]string{s.userID()})
	if first {
		// Back on this node (or first here): renew the agent's calls at
		// once, so no node's wait (callgone.go) ends them.
		h.keepCalls([]string{s.userID()})
	}
	return true
}

func (h *Hub) remove(s *socket) {
	defer h.live.Done()
	h.leave(s)
	h.mu.Lock()
	m := h.byUser[s.userID()]
	delete(m, s)
	last := len(m) == 0
	if last {
		delete(h.byUser, s.userID())
	}
	h.mu.Unlock()
	if last {
		h.left(s.userID())
		// The grace period before "offline" counts from the last socket.
		// Written before the socket leaves the count, so whoever sees it
		// gone (Connected) also sees the time written.
		h.touch([]string{s.userID()})
	}
	h.mu.Lock()
	delete(h.sockets, s)
	h.mu.Unlock()
	h.metrics.connected.Dec()
}

// touch records that users are connected now.
func (h *Hub) touch(users []string) {
	if len(users) == 0 {
		return
	}
	if err := h.store.TouchPresence(h.ctx, users); err != nil && h.ctx.Err() == nil {
		h.log.Warn("realtime: presence", "err", err)
	}
}

func (h *Hub) heartbeat() {
	t := time.NewTicker(h.opt.Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		// beat is held from the list to the renewal: a user leaving
		// meanwhile counts as gone from after it (callgone.go).
		h.beat.Lock()
		h.mu.RLock()
		users := make([]string, 0, len(h.byUser))
		for u := range h.byUser {
			users = append(users, u)
		}
		h.mu.RUnlock()
		h.touch(users)
		// A call lives while its agent is connected somewhere.
		h.keepCalls(users)
		h.beat.Unlock()
	}
}

// keepCalls renews the live calls of users, connected here.
func (h *Hub) keepCalls(users []string) {
	if err := h.store.KeepCallsAlive(h.ctx, users); err != nil && h.ctx.Err() == nil {
		h.log.Warn("realtime: calls", "err", err)
	}
}

// each calls fn for every socket, under the read lock.
func (h *Hub) each(fn func(*socket)) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.sockets {
		fn(s)
	}
}

// ofUser calls fn for the sockets of one user.
func (h *Hub) ofUser(id string, fn func(*socket)) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.byUser[id] {
		fn(s)
	}
}
