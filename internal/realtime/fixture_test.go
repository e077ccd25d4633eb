package realtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// password is every test user's password.
const password = "password1"

// flow makes a bot own its conversations (phase bot) until a handover.
var flow = json.RawMessage(`{"start":"welcome","nodes":{"welcome":{"type":"menu","text":"Hi","options":[{"label":"Person","next":"handover"}]},"handover":{"type":"handover"}}}`)

// testContext bounds a whole test: every frame is read against it, so a
// missing frame fails the test instead of hanging it.
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// node is one running Relevo process under test; stop is safe to call twice.
type node struct {
	*app.App
	once sync.Once
}

func (n *node) stop() { n.once.Do(func() { _ = n.Close() }) }

// startNode runs an app on a free port (SQLite in a fresh folder unless
// cfg says otherwise) and stops it when the test ends.
func startNode(t testing.TB, cfg app.Config, opt app.Options) *node {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.LockMax == 0 {
		cfg.LockMax = 30 * time.Second
	}
	cfg.FastHashing = true
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	a, err := app.New(context.Background(), cfg, opt)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	n := &node{App: a}
	t.Cleanup(n.stop)
	if err := a.Start(); err != nil {
		t.Fatalf("app.Start: %v", err)
	}
	return n
}

// floor is the cast most tests use: a flow bot whose conversations start
// in phase bot, a second bot Ana and Bob do not belong to, and people.
type floor struct {
	s             *store.Store
	bot, other    desk.Bot
	ch, otherCh   desk.Channel
	team          desk.Team
	ana, bob      desk.User // agents of bot
	carl          desk.User // agent of other only
	sue           desk.User // supervisor of bot
	customerCount int
}

func newFloor(t testing.TB, ctx context.Context, s *store.Store) *floor {
	t.Helper()
	f := &floor{s: s}
	sd := storetest.Seed{T: t, S: s, Ctx: ctx}
	f.bot = sd.Bot(desk.Bot{Name: "Support", Flow: flow})
	f.other = sd.Bot(desk.Bot{Name: "Sales"})
	f.ch = sd.APIChannel(f.bot, "api")
	f.otherCh = sd.APIChannel(f.other, "api2")
	f.ana = newUser(t, ctx, s, "Ana", desk.RoleAgent, f.bot.ID)
	f.bob = newUser(t, ctx, s, "Bob", desk.RoleAgent, f.bot.ID)
	f.carl = newUser(t, ctx, s, "Carl", desk.RoleAgent, f.other.ID)
	f.sue = newUser(t, ctx, s, "Sue", desk.RoleSupervisor, f.bot.ID)
	f.team = sd.Team(desk.Team{Name: "Tier 2", BotID: f.bot.ID, MemberIDs: storetest.IDs(f.ana, f.bob)})
	sd.Online(f.ana, f.bob, f.carl)
	// Re-read them: actors built from these carry the status and the team.
	for _, u := range []*desk.User{&f.ana, &f.bob, &f.carl} {
		*u = must(s.GetUser(ctx, u.ID))(t)
	}
	return f
}

// must(f())(t) returns f's value, failing the test on its error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func newUser(t testing.TB, ctx context.Context, s *store.Store, name string, role desk.Role, bots ...string) desk.User {
	t.Helper()
	sd := storetest.Seed{T: t, S: s, Ctx: ctx}
	return sd.User(desk.User{Name: name, Email: strings.ToLower(name) + "@x.io", Role: role, BotIDs: bots}, sd.Hash(password))
}

func online(t testing.TB, ctx context.Context, s *store.Store, users ...desk.User) {
	t.Helper()
	storetest.Seed{T: t, S: s, Ctx: ctx}.Online(users...)
}

// inbound stores a customer message on ch from a new or known customer.
func inbound(t testing.TB, ctx context.Context, s *store.Store, chID, customer, msgID, text string) store.InboundResult {
	t.Helper()
	return storetest.Seed{T: t, S: s, Ctx: ctx}.Inbound(chID, store.InboundContact{ExternalID: customer, Name: customer},
		store.InboundMessage{ExternalID: msgID, Text: text})
}

// botConversation opens a conversation of the flow bot (phase bot).
func (f *floor) botConversation(t testing.TB, ctx context.Context) string {
	t.Helper()
	f.customerCount++
	who := fmt.Sprintf("cust-%d", f.customerCount)
	return inbound(t, ctx, f.s, f.ch.ID, who, who+"-m1", "hello").ConversationID
}

// waiting opens a conversation and hands it over to the queue.
func (f *floor) waiting(t testing.TB, ctx context.Context, team string) string {
	t.Helper()
	id := f.botConversation(t, ctx)
	must(f.s.Handover(ctx, desk.SystemActor, id, store.HandoverInput{TeamID: team}))(t)
	return id
}

// connect logs u in on base, opens the socket and reads the hello frame.
func connect(t testing.TB, ctx context.Context, base string, u desk.User) *rtclient.Client {
	t.Helper()
	c, err := rtclient.Login(ctx, base, u.Email, password)
	if err != nil {
		t.Fatalf("login %s: %v", u.Name, err)
	}
	if err := c.Connect(ctx); err != nil {
		t.Fatalf("connect %s: %v", u.Name, err)
	}
	t.Cleanup(c.Close)
	if f := read(t, ctx, c); f.Type != realtime.FrameHello {
		t.Fatalf("%s: first frame %s, want hello", u.Name, f.Type)
	}
	return c
}

// read returns the next frame or fails the test.
func read(t testing.TB, ctx context.Context, c *rtclient.Client) realtime.Frame {
	t.Helper()
	f, err := c.Next(ctx)
	if err != nil {
		t.Fatalf("%s: reading a frame: %v", c.User.Name, err)
	}
	return f
}

// await reads c's frames until match; it returns every frame read, the
// match last.
func await(t testing.TB, ctx context.Context, c *rtclient.Client, what string, match func(realtime.Frame) bool) []realtime.Frame {
	t.Helper()
	var seen []realtime.Frame
	for {
		f, err := c.Next(ctx)
		if err != nil {
			t.Fatalf("%s: waiting for %s (read %d frames: %s): %v", c.User.Name, what, len(seen), types(seen), err)
		}
		seen = append(seen, f)
		if match(f) {
			return seen
		}
	}
}

// barrier sends c's user an internal chat message from `from` and reads c
// until it arrives. One node routes changes in commit order, so every
// change committed before the barrier has by then reached c, or never will.
func barrier(t testing.TB, ctx context.Context, s *store.Store, from string, c *rtclient.Client) []realtime.Frame {
	t.Helper()
	m := must(s.SendChat(ctx, from, c.User.ID, "barrier"))(t)
	seen := await(t, ctx, c, "barrier", func(f realtime.Frame) bool {
		return f.Type == realtime.FrameChatMessage && decode[desk.ChatMessage](t, f).ID == m.ID
	})
	return seen[:len(seen)-1]
}

// closeCode reads c until the socket ends and returns the close status.
func closeCode(t testing.TB, ctx context.Context, c *rtclient.Client) websocket.StatusCode {
	t.Helper()
	for {
		if _, err := c.Next(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatalf("%s: socket still open: %v", c.User.Name, err)
			}
			return websocket.CloseStatus(err)
		}
	}
}

func decode[T any](t testing.TB, f realtime.Frame) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(f.Data, &v); err != nil {
		t.Fatalf("%s frame: %v (%s)", f.Type, err, f.Data)
	}
	return v
}

// about matches frames of one type about one conversation.
func about(typ realtime.FrameType, convID string) func(realtime.Frame) bool {
	return func(f realtime.Frame) bool { return f.Type == typ && f.ConversationID == convID }
}

// mentions reports whether any frame is about convID.
func mentions(frames []realtime.Frame, convID string) bool {
	for _, f := range frames {
		if f.ConversationID == convID {
			return true
		}
	}
	return false
}

func types(frames []realtime.Frame) string {
	var b strings.Builder
	for i, f := range frames {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(string(f.Type))
	}
	return b.String()
}

// wsURL is the socket address of a node.
func wsURL(base string) string { return "ws" + strings.TrimPrefix(base, "http") + "/api/v1/ws" }

// dial opens a raw socket with hc's cookies and the given Origin.
func dial(ctx context.Context, base string, hc *http.Client, origin string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return websocket.Dial(ctx, wsURL(base), &websocket.DialOptions{HTTPClient: hc, HTTPHeader: h})
}

// post calls the API as c and fails the test on an error.
func post(t testing.TB, ctx context.Context, c *rtclient.Client, path string, in any) {
	t.Helper()
	if in == nil {
		in = struct{}{}
	}
	if err := c.Do(ctx, "POST", path, in, nil); err != nil {
		t.Fatalf("%s POST %s: %v", c.User.Name, path, err)
	}
}

// botToken makes an API token acting as bot.
func botToken(t *testing.T, ctx context.Context, s *store.Store, bot string) string {
	t.Helper()
	plain, hash, err := auth.NewToken("rlv_")
	if err != nil {
		t.Fatal(err)
	}
	must(s.CreateToken(ctx, "bot", bot, "", hash))(t)
	return plain
}

// bearer adds an API token to every request.
type bearer string

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+string(b))
	return http.DefaultTransport.RoundTrip(r)
}
