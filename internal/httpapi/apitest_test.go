package httpapi_test

// The harness of the API tests: the real router (httpapi.New) over a real
// store (storetest: SQLite, and PostgreSQL when RELEVO_TEST_DATABASE_URL is
// set), served by httptest, with one cookie-jar client per user and bearer
// clients made through POST /api/v1/tokens. Nothing is mocked; time is the
// store's fake clock and the outbox is drained by hand, so the processing
// lock can be held and released without sleeping.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/channel/api"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpapi"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// password is every seeded user's password.
const password = "correct horse 1"

// flow makes a bot keep its conversations in phase bot until handover.
var flow = json.RawMessage(`{"start":"welcome","nodes":{"welcome":{"type":"handover"}}}`)

// world is one server over one fresh database with a small desk: bot A
// (with a flow: conversations start in phase bot) with an API and a
// WhatsApp channel, bot B (no flow: conversations go straight to the
// queue) with an API channel, and one user of each role.
type world struct {
	t      *testing.T
	db     *storetest.DB
	srv    *httpapi.Server
	ts     *httptest.Server
	outbox *jobs.Outbox

	botA, botB      desk.Bot
	apiA, waA, apiB desk.Channel
	teamA           desk.Team
	reason, reasonB desk.Reason
	tag             desk.Tag
	admin, sup      desk.User
	agent, agent2   desk.User // agents of bot A
	auditor, agentB desk.User // auditor of bot A, agent of bot B
	adminC          *client
	mu              sync.Mutex
	hits            map[string]int // route pattern → 2xx answers seen
	router          *http.ServeMux // matches requests to route patterns
	doc             *docCheck      // the served OpenAPI document, as a validator
	msgN            int            // numbers seeded inbound messages
}

// newWorld opens a server over db; cfg may adjust the HTTP config.
func newWorld(t *testing.T, db *storetest.DB, cfg ...func(*httpapi.Config)) *world {
	t.Helper()
	w := emptyWorld(t, db, cfg...)
	w.seed()
	return w
}

// emptyWorld is a server over db with nothing seeded: no admin yet, as
// on a first start.
func emptyWorld(t *testing.T, db *storetest.DB, cfg ...func(*httpapi.Config)) *world {
	t.Helper()
	c := httpapi.Config{
		Version:      "test",
		UploadDir:    t.TempDir(),
		HashPassword: func(pw string) (string, error) { return auth.HashPassword(pw, auth.FastParams) },
	}
	for _, f := range cfg {
		f(&c)
	}
	srv, err := httpapi.New(c, httpapi.Deps{Store: db.Store})
	if err != nil {
		t.Fatalf("httpapi.New: %v", err)
	}
	w := &world{t: t, db: db, srv: srv, hits: map[string]int{}, router: http.NewServeMux(), doc: loadDocCheck(t, srv)}
	for _, rt := range srv.Routes() {
		w.router.Handle(rt.Method+" "+rt.Pattern, http.NotFoundHandler())
	}
	w.ts = httptest.NewServer(srv)
	t.Cleanup(w.ts.Close)
	noop := jobs.SenderFunc(func(context.Context, store.Delivery) (string, error) { return "", nil })
	w.outbox = &jobs.Outbox{Store: db.Store, Routes: jobs.Routes{
		Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: api.Sender{}, desk.ChannelWeb: noop, desk.ChannelWhatsApp: noop},
		BotEvent: noop,
		// The built-in flow engine is another issue: here bot A's flow
		// stays silent, so its conversations wait in phase bot.
		Flow: noop,
	}}
	return w
}

// sqliteWorld is a world on a fresh SQLite database.
func sqliteWorld(t *testing.T, cfg ...func(*httpapi.Config)) *world {
	t.Helper()
	return newWorld(t, storetest.Open(t, "sqlite", nil), cfg...)
}

// eachWorld runs fn on SQLite and, when configured, PostgreSQL.
func eachWorld(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *storetest.DB) { fn(t, newWorld(t, db)) })
}

func (w *world) seed() {
	sd := storetest.NewSeed(w.t, w.db.Store)
	w.botA = sd.Bot(desk.Bot{Name: "Bot A", Flow: flow})
	w.botB = sd.Bot(desk.Bot{Name: "Bot B"})
	w.apiA = sd.APIChannel(w.botA, "A api")
	w.waA = sd.Channel(desk.Channel{BotID: w.botA.ID, Type: desk.ChannelWhatsApp, Name: "A whatsapp",
		Config: json.RawMessage(`{"phone_number_id":"123","access_token":"sekret"}`)})
	w.apiB = sd.APIChannel(w.botB, "B api")
	h := sd.Hash(password)
	user := func(name, email string, role desk.Role, bots ...string) desk.User {
		return sd.User(desk.User{Name: name, Email: email, Role: role, BotIDs: bots}, h)
	}
	w.admin = user("Ada Admin", "admin@test.relevo", desk.RoleAdmin)
	w.sup = user("Sam Supervisor", "sup@test.relevo", desk.RoleSupervisor, w.botA.ID)
	w.agent = user("Alice Agent", "agent@test.relevo", desk.RoleAgent, w.botA.ID)
	w.agent2 = user("Bruno Agent", "agent2@test.relevo", desk.RoleAgent, w.botA.ID)
	w.auditor = user("Olga Auditor", "auditor@test.relevo", desk.RoleAuditor, w.botA.ID)
	w.agentB = user("Bea Agent", "agentb@test.relevo", desk.RoleAgent, w.botB.ID)
	w.teamA = sd.Team(desk.Team{Name: "Support", BotID: w.botA.ID, MemberIDs: storetest.IDs(w.agent, w.agent2)})
	w.reason = sd.Reason(desk.Reason{Name: "Billing"})
	w.reasonB = sd.Reason(desk.Reason{Name: "B only", BotID: w.botB.ID})
	w.tag = sd.Tag(desk.Tag{Name: "VIP", Color: "#b7791f"})
}

// client is one caller: a cookie jar (console user) or a bearer token.
type client struct {
	w      *world
	hc     *http.Client
	bearer string
	header http.Header
}

func (w *world) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{w: w, hc: &http.Client{Jar: jar}, header: http.Header{}}
}

// login logs a user in through POST /api/v1/auth/login.
func (w *world) login(u desk.User) *client {
	w.t.Helper()
	c := w.anon()
	c.post("/api/v1/auth/login", map[string]string{"email": u.Email, "password": password}).want(200)
	return c
}

// adm is the admin's client, logged in once.
func (w *world) adm() *client {
	if w.adminC == nil {
		w.adminC = w.login(w.admin)
	}
	return w.adminC
}

// token makes an API token (for botID, or for every bot when "") through
// POST /api/v1/tokens and returns a bearer client.
func (w *world) token(botID string) *client {
	w.t.Helper()
	body := map[string]string{"name": "token for " + botID}
	if botID != "" {
		body["bot_id"] = botID
	}
	var out struct{ Token string }
	w.adm().post("/api/v1/tokens", body).want(200).into(&out)
	if out.Token == "" {
		w.t.Fatal("POST /api/v1/tokens returned no token")
	}
	c := w.anon()
	c.hc.Jar = nil
	c.bearer = out.Token
	return c
}

// resp is an answer, with what was asked for messages.
type resp struct {
	t      *testing.T
	what   string
	Status int
	Header http.Header
	Body   []byte
}

// do sends a request. body: nil (none), string or []byte (sent as is, as
// JSON), anything else (JSON-encoded).
func (c *client) do(method, path string, body any) *resp {
	c.w.t.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		r, ct = strings.NewReader(b), "application/json"
	case []byte:
		r, ct = bytes.NewReader(b), "application/json"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.w.t.Fatalf("encode body: %v", err)
		}
		r, ct = bytes.NewReader(raw), "application/json"
	}
	return c.raw(method, path, ct, r)
}

// raw sends a body of any content type. Request and answer are checked
// against the served OpenAPI document (apivalidate_test.go).
func (c *client) raw(method, path, contentType string, body io.Reader) *resp {
	t := c.w.t
	t.Helper()
	var sent []byte
	if body != nil {
		var err error
		if sent, err = io.ReadAll(body); err != nil {
			t.Fatalf("%s %s: read body: %v", method, path, err)
		}
		body = bytes.NewReader(sent)
	}
	req, err := http.NewRequest(method, c.w.ts.URL+path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, path, err)
	}
	c.w.doc.check(t, req, sent, res.StatusCode, res.Header, data)
	if res.StatusCode/100 == 2 {
		if _, pattern := c.w.router.Handler(req); pattern != "" {
			c.w.mu.Lock()
			c.w.hits[pattern]++
			c.w.mu.Unlock()
		}
	}
	return &resp{t: t, what: method + " " + path, Status: res.StatusCode, Header: res.Header, Body: data}
}

func (c *client) get(path string) *resp            { c.w.t.Helper(); return c.do("GET", path, nil) }
func (c *client) post(path string, body any) *resp { c.w.t.Helper(); return c.do("POST", path, body) }

// want fails the test unless the status is one of statuses.
func (r *resp) want(statuses ...int) *resp {
	r.t.Helper()
	for _, s := range statuses {
		if r.Status == s {
			return r
		}
	}
	r.t.Fatalf("%s: status %d, want %v; body: %s", r.what, r.Status, statuses, r.Body)
	return r
}

// into decodes the JSON body.
func (r *resp) into(v any) *resp {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("%s: body is not JSON (%v): %s", r.what, err, r.Body)
	}
	return r
}

// obj is the body as a JSON object.
func (r *resp) obj() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.into(&m)
	return m
}

// items is a list response's items, after checking the list shape.
func (r *resp) items() []map[string]any {
	r.t.Helper()
	m := r.obj()
	checkPage(r.t, r.what, m)
	var out []map[string]any
	for _, it := range m["items"].([]any) {
		o, ok := it.(map[string]any)
		if !ok {
			r.t.Fatalf("%s: item %v is not an object", r.what, it)
		}
		out = append(out, o)
	}
	return out
}

// fails checks the error envelope: status, code, a message for people.
// It returns the details.
func (r *resp) fails(status int, code string) map[string]any {
	r.t.Helper()
	d, ok := r.check(r.t, status, code)
	if !ok {
		r.t.FailNow()
	}
	return d
}

// check is fails reporting to t without stopping the test.
func (r *resp) check(t *testing.T, status int, code string) (map[string]any, bool) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d (%s); body: %s", r.what, r.Status, status, code, r.Body)
		return nil, false
	}
	var env struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil {
		t.Errorf("%s: error body is not JSON: %s", r.what, r.Body)
		return nil, false
	}
	if env.Error.Code != code {
		t.Errorf("%s: code %q, want %q; body: %s", r.what, env.Error.Code, code, r.Body)
		return nil, false
	}
	if env.Error.Message == "" {
		t.Errorf("%s: error without a message: %s", r.what, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: error Content-Type %q", r.what, ct)
	}
	return env.Error.Details, true
}

// ids lists the "id" of each item.
func ids(items []map[string]any) []string {
	var out []string
	for _, it := range items {
		out = append(out, str(it["id"]))
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
