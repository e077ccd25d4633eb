package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpapi"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
	"github.com/relevo/relevo/internal/widgetapi"
)

// The harness: the real router (httpapi.New with the widget) over a real
// store (SQLite, and PostgreSQL when RELEVO_TEST_DATABASE_URL is set),
// served by httptest. Committed changes reach the widget's hub the way the
// bus would bring them; the outbox is drained by hand.

// quiet drops logs: tests provoke warnings on purpose.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// shopOrigin is the one site allowed on the shop channel; secret is its
// identity verification secret.
const (
	shopOrigin = "https://shop.example"
	secret     = "s3cret-of-the-shop"
)

// env is one server over one fresh database: bot "Acme" (no flow: new
// conversations go straight to the queue) with an open web channel, a
// locked-down web channel (allowed origins, secret, required name) and an
// API channel; one online agent of the bot.
type env struct {
	t      *testing.T
	db     *storetest.DB
	s      *store.Store
	svc    *web.Service
	ts     *httptest.Server
	outbox *jobs.Outbox
	bot    desk.Bot
	open   desk.Channel // web, no restrictions
	shop   desk.Channel // web, allowed_origins + secret + required name
	api    desk.Channel
	agent  desk.User

	mu        sync.Mutex
	published []desk.Change // what the widget put on the bus
	committed []desk.Change // what the store committed, as this node has it
	trace     *store.StatementTrace
}

// eachDB runs fn on every available database with a fresh env.
func eachDB(t *testing.T, fn func(t *testing.T, e *env), opts ...func(*web.Options)) {
	for _, name := range storetest.Dialects() {
		t.Run(name, func(t *testing.T) { fn(t, newEnv(t, name, opts...)) })
	}
}

func newEnv(t *testing.T, dialect string, opts ...func(*web.Options)) *env {
	t.Helper()
	e := &env{t: t, trace: &store.StatementTrace{}}
	e.db = storetest.Open(t, dialect, func(o *store.Options) {
		o.Trace = e.trace
		o.OnCommit = func(cs []desk.Change) {
			e.mu.Lock()
			e.committed = append(e.committed, cs...)
			e.mu.Unlock()
			for _, c := range cs {
				if e.svc != nil {
					e.svc.OnChange(c)
				}
			}
		}
	})
	e.s = e.db.Store
	sd := storetest.NewSeed(t, e.s)
	e.agent = sd.User(desk.User{Name: "Alice Agent", Email: "alice@example.com", Role: desk.RoleAgent}, sd.Hash("password1"))
	e.bot = sd.Bot(desk.Bot{Name: "Acme", MemberIDs: storetest.IDs(e.agent)})
	sd.Online(e.agent)
	// Read again: the agent now belongs to the bot and is online.
	e.agent = storetest.Must[desk.User](t)(e.s.GetUser(sd.Ctx, e.agent.ID))
	e.open = sd.Channel(desk.Channel{BotID: e.bot.ID, Type: desk.ChannelWeb, Name: "Site", Config: json.RawMessage(`{"greeting":"Hello"}`)})
	cfg, _ := json.Marshal(map[string]any{"title": "Shop help", "allowed_origins": []string{shopOrigin + "/"}, "secret": secret,
		"prechat": []map[string]any{{"name": "name", "required": true}, {"name": "email"}}, "languages": []string{"es"}})
	e.shop = sd.Channel(desk.Channel{BotID: e.bot.ID, Type: desk.ChannelWeb, Name: "Shop", Config: cfg})
	e.api = sd.APIChannel(e.bot, "API")

	o := web.Options{Store: e.s, Log: quiet, UploadDir: t.TempDir(), Publish: e.publish, Files: fstest.MapFS{
		"widget.js":        {Data: []byte("/* loader */")},
		"index.html":       {Data: []byte("<!doctype html><title>chat</title>")},
		"assets/app-1.js":  {Data: []byte("console.log(1)")},
		"assets/app-1.css": {Data: []byte("body{}")},
	}}
	for _, f := range opts {
		f(&o)
	}
	e.svc = web.New(o)
	srv, err := httpapi.New(httpapi.Config{UploadDir: o.UploadDir}, httpapi.Deps{Store: e.s, Log: quiet, Widget: e.svc,
		Extra: map[string]http.Handler{"GET /widget/": e.svc.Files()}})
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(srv)
	t.Cleanup(func() {
		e.svc.Close()
		e.ts.Close()
	})
	noop := jobs.SenderFunc(func(context.Context, store.Delivery) (string, error) { return "", nil })
	e.outbox = &jobs.Outbox{Store: e.s, Log: quiet, Routes: jobs.Routes{
		Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelWeb: e.svc, desk.ChannelAPI: noop}, BotEvent: noop, Flow: noop}}
	return e
}

// publish is the widget's bus: recorded, and routed back like the bus does.
func (e *env) publish(cs []desk.Change) {
	e.mu.Lock()
	e.published = append(e.published, cs...)
	e.mu.Unlock()
	for _, c := range cs {
		e.svc.OnChange(c)
	}
}

func (e *env) typingPublished() []desk.Change {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []desk.Change
	for _, c := range e.published {
		if c.Type == desk.ChangeTyping {
			out = append(out, c)
		}
	}
	return out
}

func (e *env) drain() {
	e.t.Helper()
	if err := e.outbox.Drain(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// resp is one answer.
type resp struct {
	t      *testing.T
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) want(status int) resp {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

func (r resp) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// code is the error code of an error answer.
func (r resp) code() string {
	var er struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &er)
	return er.Error.Code
}

// call is one request: a bearer token and an Origin when not empty.
type call struct {
	method, path, token, origin string
	body                        any
	header                      map[string]string
}

func (e *env) do(c call) resp {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := c.body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(c.method, e.ts.URL+c.path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return resp{t: e.t, Status: res.StatusCode, Header: res.Header, Body: body}
}

// visitor is one browser with a widget session.
type visitor struct {
	e         *env
	token     string
	contactID string
	origin    string
}

// session starts a session on ch with the given request fields.
func (e *env) session(ch desk.Channel, origin string, in widgetapi.WidgetSessionRequest) (visitor, resp) {
	e.t.Helper()
	in.ChannelID = ch.ID
	r := e.do(call{method: "POST", path: "/widget/v1/sessions", origin: origin, body: in})
	var out widgetapi.WidgetSessionResponse
	if r.Status == http.StatusOK {
		r.decode(&out)
	}
	return visitor{e: e, token: out.Token, contactID: out.ContactID, origin: origin}, r
}

// anon is a fresh anonymous visitor of the open channel.
func (e *env) anon() visitor {
	e.t.Helper()
	v, r := e.session(e.open, "", widgetapi.WidgetSessionRequest{})
	r.want(200)
	return v
}

func (v visitor) get(path string) resp {
	return v.e.do(call{method: "GET", path: path, token: v.token, origin: v.origin})
}

func (v visitor) post(path string, body any) resp {
	return v.e.do(call{method: "POST", path: path, token: v.token, origin: v.origin, body: body})
}

// say sends a text message with the given client id.
func (v visitor) say(id, text string) widgetapi.WidgetMessage {
	v.e.t.Helper()
	var m widgetapi.WidgetMessage
	v.post("/widget/v1/messages", widgetapi.WidgetSendRequest{ID: id, Text: text}).want(200).decode(&m)
	return m
}

func (v visitor) messages(query string) widgetapi.WidgetMessages {
	v.e.t.Helper()
	var out widgetapi.WidgetMessages
	v.get("/widget/v1/messages" + query).want(200).decode(&out)
	return out
}

// upload sends one file through the widget's upload route.
func (v visitor) upload(name string, data []byte) resp {
	v.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return v.e.do(call{method: "POST", path: "/widget/v1/uploads", token: v.token, origin: v.origin, body: buf.Bytes(),
		header: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

// assignAndReply has the agent take the conversation, waits out the lock
// (the notice is delivered) and writes to the customer.
func (e *env) assignAndReply(convID, text string) desk.Message {
	e.t.Helper()
	ctx := context.Background()
	a := desk.UserActor(e.agent)
	if _, err := e.s.Assign(ctx, a, convID, store.AssignInput{}); err != nil {
		e.t.Fatal(err)
	}
	e.drain()
	m, err := e.s.Send(ctx, a, convID, store.SendInput{Text: text})
	if err != nil {
		e.t.Fatal(err)
	}
	e.drain()
	return m
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
	0, 0, 0, 0x0a, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82}
