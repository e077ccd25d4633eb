package bench

// The real-time runs (realtime, ceiling, idle, monitors) drive a whole
// Relevo node the way production does: customers' messages through the
// HTTP API with bot tokens, consoles through POST /api/v1/auth/login and
// the socket, with the Go client in internal/realtime/rtclient.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// rtPassword is every bench user's password.
const rtPassword = "bench-password-1"

// node is one Relevo process on 127.0.0.1 with SQLite in a temp folder,
// one bot without a flow (its conversations go straight to the queue) and
// one API channel.
type node struct {
	app  *app.App
	dir  string
	drop func() // the PostgreSQL schema, when there is one
	bot  desk.Bot
	ch   desk.Channel
	hash string
}

// newNode builds the node without listening yet: setup that needs no HTTP
// (users, tokens, seeding) goes straight to the store before start.
// databaseURL, when set, puts the node on a fresh schema of that
// PostgreSQL server (dropped at close) instead of SQLite.
func newNode(ctx context.Context, opt app.Options, databaseURL string) (*node, error) {
	return newNodeWith(ctx, opt, databaseURL, nil)
}

// newNodeWith is newNode with tune, if set, adjusting the node's config
// (the widget run sets the per-visitor limits) before it is built.
func newNodeWith(ctx context.Context, opt app.Options, databaseURL string, tune func(*app.Config)) (*node, error) {
	dir, err := os.MkdirTemp("", "relevo-rt-")
	if err != nil {
		return nil, err
	}
	drop := func() {}
	if databaseURL != "" {
		if databaseURL, drop, err = freshSchema(databaseURL); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	opt.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	// RELEVO_SQLITE_SYNCHRONOUS, as for relevo serve: "normal" measures the
	// node without an fsync per commit (default full).
	cfg := app.Config{Addr: "127.0.0.1:0", DataDir: dir, FastHashing: true, LockMax: 30 * time.Second,
		SQLiteSync: os.Getenv("RELEVO_SQLITE_SYNCHRONOUS"), DatabaseURL: databaseURL}
	if tune != nil {
		tune(&cfg)
	}
	a, err := app.New(ctx, cfg, opt)
	if err != nil {
		drop()
		os.RemoveAll(dir)
		return nil, err
	}
	n := &node{app: a, dir: dir, drop: drop}
	if n.bot, err = a.Store.CreateBot(ctx, desk.Bot{Name: "Bench"}); err == nil {
		n.ch, err = a.Store.CreateChannel(ctx, desk.Channel{BotID: n.bot.ID, Type: desk.ChannelAPI, Name: "bench api"})
	}
	if err == nil {
		// One hash for every user: hashing is not what is measured.
		n.hash, err = auth.HashPassword(rtPassword, auth.FastParams)
	}
	if err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

func (n *node) start() error { return n.app.Start() }

func (n *node) url() string { return n.app.URL() }

func (n *node) close() {
	_ = n.app.Close()
	n.drop()
	os.RemoveAll(n.dir)
}

// users creates count users of the bot and returns their emails.
func (n *node) users(ctx context.Context, prefix string, count int, role desk.Role) ([]string, error) {
	emails := make([]string, count)
	for i := range emails {
		emails[i] = fmt.Sprintf("%s-%d@bench.test", prefix, i)
		u := desk.User{Name: fmt.Sprintf("%s %d", prefix, i), Email: emails[i], Role: role, BotIDs: []string{n.bot.ID}}
		if _, err := n.app.Store.CreateUser(ctx, u, n.hash); err != nil {
			return nil, fmt.Errorf("create user %d: %w", i, err)
		}
	}
	return emails, nil
}

// tokens makes count API tokens of the bot. The API allows each token 100
// requests a second (burst 200), so a rate above that is spread over
// several, like several integrations feeding one bot.
func (n *node) tokens(ctx context.Context, count int) ([]string, error) {
	out := make([]string, count)
	for i := range out {
		plain, hash, err := auth.NewToken("rlv_")
		if err != nil {
			return nil, err
		}
		if _, err := n.app.Store.CreateToken(ctx, fmt.Sprintf("bench %d", i), n.bot.ID, "", hash); err != nil {
			return nil, err
		}
		out[i] = plain
	}
	return out, nil
}

// waiting opens count conversations in the queue, straight in the store
// (setup, untimed), and returns their customers' external ids.
func (n *node) waiting(ctx context.Context, count int) ([]string, error) {
	out := make([]string, count)
	for i := range out {
		out[i] = fmt.Sprintf("waiting-%d", i)
		res, err := n.app.Store.Inbound(ctx, n.ch.ID, store.InboundContact{ExternalID: out[i], Name: fmt.Sprintf("Customer %d", i)},
			store.InboundMessage{ExternalID: out[i] + "-hello", Text: "Hello, I need a person"})
		if err != nil {
			return nil, err
		}
		if res.Phase != desk.PhaseWaiting {
			return nil, fmt.Errorf("seeded conversation is in phase %q, want waiting", res.Phase)
		}
	}
	// Whatever the openings queued (notices) is sent before the run.
	return out, n.app.Outbox.Drain(ctx)
}

// bearer adds an API token to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// apiClients returns one API client per token over one connection pool.
func apiClients(base string, tokens []string, conns int) []*rtclient.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conns
	out := make([]*rtclient.Client, len(tokens))
	for i, t := range tokens {
		out[i] = &rtclient.Client{Base: base, HTTP: &http.Client{Transport: bearer{t, tr}, Timeout: 30 * time.Second}}
	}
	return out
}

// inboundAnswer is what POST /api/v1/channels/{id}/inbound answers.
type inboundAnswer struct {
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
}

// postInbound sends one customer message through the API.
func postInbound(ctx context.Context, c *rtclient.Client, channelID, contact, msgID, text string) (inboundAnswer, error) {
	var out inboundAnswer
	body := map[string]any{"contact": map[string]string{"external_id": contact, "name": "Customer " + contact},
		"message": map[string]string{"id": msgID, "text": text}}
	err := c.Do(ctx, "POST", "/api/v1/channels/"+channelID+"/inbound", body, &out)
	return out, err
}

// connectAll logs every email in on base and opens its socket, workers at
// a time, and returns once each has read its hello. then, if set, is
// called with each client right after its hello (to start reading it
// before the server's first ping, 25 s on).
func connectAll(ctx context.Context, base string, emails []string, workers int, then func(*rtclient.Client)) ([]*rtclient.Client, error) {
	return connectAllAs(ctx, base, emails, rtPassword, workers, then)
}

// connectAllAs is connectAll with one password for every login (a server
// the bench did not set up: --url).
func connectAllAs(ctx context.Context, base string, emails []string, password string, workers int, then func(*rtclient.Client)) ([]*rtclient.Client, error) {
	out := make([]*rtclient.Client, len(emails))
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range min(workers, len(emails)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(emails) || ctx.Err() != nil {
					return
				}
				c, err := connectOne(ctx, base, emails[i], password)
				if err != nil {
					mu.Lock()
					firstErr = errors.Join(firstErr, fmt.Errorf("%s: %w", emails[i], err))
					mu.Unlock()
					return
				}
				out[i] = c
				if then != nil {
					then(c)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		for _, c := range out {
			if c != nil {
				c.Close()
			}
		}
		return nil, firstErr
	}
	return out, nil
}

func connectOne(ctx context.Context, base, email, password string) (*rtclient.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := rtclient.Login(ctx, base, email, password)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	if err := c.Connect(ctx); err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	f, err := c.Read(ctx)
	if err != nil || f.Type != realtime.FrameHello {
		c.Close()
		return nil, fmt.Errorf("first frame %q, %v; want hello", f.Type, err)
	}
	return c, nil
}

// cpuProfile starts a CPU profile of the timed part when path is set.
func cpuProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// closeAll closes the sockets, all at once.
func closeAll(clients []*rtclient.Client) {
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); c.Close() }()
	}
	wg.Wait()
}

// writeHeapProfile writes the live heap (as of the last GC) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("heap").WriteTo(f, 0)
}
