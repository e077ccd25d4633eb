package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// started is a running App, closed once at the end of the test (or
// earlier by stop).
type started struct {
	*app.App
	stop func()
}

// open builds an App for cfg (fast hashing, a free port) and starts it.
func open(t *testing.T, cfg app.Config) *started {
	t.Helper()
	cfg.Addr, cfg.FastHashing = "127.0.0.1:0", true
	a, err := app.New(context.Background(), cfg, app.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	if err := a.Start(); err != nil {
		a.Close()
		t.Fatalf("Start: %v", err)
	}
	var once sync.Once
	s := &started{App: a, stop: func() {
		once.Do(func() {
			if err := a.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}}
	t.Cleanup(s.stop)
	return s
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// login posts the credentials and returns the status and the user's role.
func login(t *testing.T, base, email, password string) (int, desk.Role) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := c.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	defer res.Body.Close()
	var out struct{ User desk.User }
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.User.Role
}

// counts is how many users and conversations the store holds.
func counts(t *testing.T, s *store.Store) (users, convs int) {
	t.Helper()
	ctx := context.Background()
	us, err := s.ListUsers(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, _, err := s.ListConversations(ctx, desk.SystemActor, store.ConversationFilter{AllPhases: true, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return len(us), len(cs)
}

func TestServeAnswersHealthReadinessAndMetrics(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), Demo: true})
	c := &http.Client{Timeout: 10 * time.Second}
	if code, body := get(t, c, a.URL()+"/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz: %d %s", code, body)
	}
	if code, body := get(t, c, a.URL()+"/readyz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/readyz: %d %s", code, body)
	}
	code, body := get(t, c, a.URL()+"/metrics")
	if code != 200 || !strings.Contains(body, `relevo_http_requests_total{route="GET /healthz",status="200"} 1`) {
		t.Errorf("/metrics after one /healthz: %d\n%.3000s", code, body)
	}
	if code, body := get(t, c, a.URL()+"/api/openapi.json"); code != 200 || !json.Valid([]byte(body)) {
		t.Errorf("/api/openapi.json: %d", code)
	}
	a.stop()
	if _, err := c.Get(a.URL() + "/healthz"); err == nil {
		t.Error("the server still answers after Close")
	}
}

func TestDemoLoginsWorkAndEveryPhaseHasConversations(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), Demo: true})
	for email, role := range map[string]desk.Role{"admin@demo.relevo": desk.RoleAdmin, "supervisor@demo.relevo": desk.RoleSupervisor,
		"agent@demo.relevo": desk.RoleAgent, "agent2@demo.relevo": desk.RoleAgent, "auditor@demo.relevo": desk.RoleAuditor} {
		if code, got := login(t, a.URL(), email, app.DemoPassword); code != 200 || got != role {
			t.Errorf("demo login %s: %d, role %q", email, code, got)
		}
	}
	if code, _ := login(t, a.URL(), "admin@demo.relevo", "not the password"); code != 401 {
		t.Errorf("wrong demo password: %d", code)
	}
	cs, _, err := a.Store.ListConversations(context.Background(), desk.SystemActor, store.ConversationFilter{AllPhases: true, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	phases := map[desk.Phase]int{}
	for _, c := range cs {
		phases[c.Phase]++
	}
	for _, p := range []desk.Phase{desk.PhaseBot, desk.PhaseWaiting, desk.PhaseHuman, desk.PhaseClosed} {
		if phases[p] == 0 {
			t.Errorf("the demo has no conversation in phase %s (%v)", p, phases)
		}
	}
}

// The demo has done every step of the guided start, so its admin's
// dashboard shows no checklist.
func TestDemoAdminHasNoChecklist(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), Demo: true})
	admin, _, err := a.Store.UserByEmail(context.Background(), "admin@demo.relevo")
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.Store.Onboarding(context.Background(), admin.ID)
	if err != nil || !o.Complete {
		t.Fatalf("demo admin's checklist: %+v, %v", o, err)
	}
}

// Loading the demo again on the same data changes nothing.
func TestDemoLoadsOnce(t *testing.T) {
	eachDatabase(t, func(t *testing.T, cfg app.Config) {
		cfg.Demo = true
		first := open(t, cfg)
		users, convs := counts(t, first.Store)
		if users != 5 || convs < 4 {
			t.Fatalf("demo: %d users, %d conversations", users, convs)
		}
		first.stop()
		second := open(t, cfg)
		if u, c := counts(t, second.Store); u != users || c != convs {
			t.Errorf("second start: %d users, %d conversations; first had %d, %d", u, c, users, convs)
		}
		if code, _ := login(t, second.URL(), "agent@demo.relevo", app.DemoPassword); code != 200 {
			t.Errorf("demo login after a restart: %d", code)
		}
	})
}

// RELEVO_ADMIN_EMAIL and RELEVO_ADMIN_PASSWORD make the first admin when
// there is none, once.
func TestAdminBootstrapCreatesOneAdminOnce(t *testing.T) {
	eachDatabase(t, func(t *testing.T, cfg app.Config) {
		cfg.AdminEmail, cfg.AdminPassword = "boss@example.com", "boss-password"
		first := open(t, cfg)
		if code, role := login(t, first.URL(), "boss@example.com", "boss-password"); code != 200 || role != desk.RoleAdmin {
			t.Fatalf("bootstrap admin login: %d %q", code, role)
		}
		if n, err := first.Store.CountAdmins(context.Background()); err != nil || n != 1 {
			t.Fatalf("%d admins (%v), want 1", n, err)
		}
		first.stop()
		cfg.AdminEmail, cfg.AdminPassword = "other@example.com", "other-password"
		second := open(t, cfg)
		if n, _ := second.Store.CountAdmins(context.Background()); n != 1 {
			t.Errorf("%d admins after a restart with other credentials, want 1", n)
		}
		if code, _ := login(t, second.URL(), "other@example.com", "other-password"); code != 401 {
			t.Errorf("a second bootstrap admin logs in: %d", code)
		}
		if code, _ := login(t, second.URL(), "boss@example.com", "boss-password"); code != 200 {
			t.Errorf("the first admin after a restart: %d", code)
		}
		if u, _ := counts(t, second.Store); u != 1 {
			t.Errorf("%d users, want 1", u)
		}
	})
}

func TestAdminBootstrapRefusesAShortPassword(t *testing.T) {
	cfg := app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), FastHashing: true, AdminEmail: "boss@example.com", AdminPassword: "short"}
	a, err := app.New(context.Background(), cfg, app.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil {
		a.Close()
		t.Fatal("app.New accepted a 5-character admin password")
	}
}

// eachDatabase runs fn on a fresh SQLite folder and, when
// RELEVO_TEST_DATABASE_URL is set, on a fresh PostgreSQL schema.
func eachDatabase(t *testing.T, fn func(t *testing.T, cfg app.Config)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, app.Config{DataDir: t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) {
		// A fresh schema (skipped without a server); the app opens it
		// again as a second node would.
		db := storetest.Open(t, "postgres", nil)
		fn(t, app.Config{DataDir: t.TempDir(), DatabaseURL: db.URL})
	})
}

func TestParseFlagsDefaults(t *testing.T) {
	cfg, err := app.ParseFlags(nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := app.Config{Addr: "127.0.0.1:8080", DataDir: "./data", LockMax: 30 * time.Second, PublicURL: "http://127.0.0.1:8080",
		SQLiteSync: "full", TokenRate: 100, TokenBurst: 200, WidgetRate: 2, WidgetBurst: 20}
	if cfg != want {
		t.Errorf("defaults %+v, want %+v", cfg, want)
	}
}

// Every flag has a RELEVO_ twin; a flag given wins over its twin.
func TestParseFlagsEnvTwinsAndFlagsWin(t *testing.T) {
	env := map[string]string{
		"RELEVO_ADDR": "0.0.0.0:9000", "RELEVO_DATA": "/var/relevo", "RELEVO_DATABASE_URL": "postgres://env/db",
		"RELEVO_NATS_URL": "nats://env:4222", "RELEVO_PUBLIC_URL": "https://env.example", "RELEVO_LOCK_MAX": "5s",
		"RELEVO_DEMO": "true", "RELEVO_ADMIN_EMAIL": "boss@example.com", "RELEVO_ADMIN_PASSWORD": "boss-password",
		"RELEVO_SQLITE_SYNCHRONOUS": "normal", "RELEVO_TOKEN_RATE": "1000", "RELEVO_TOKEN_BURST": "2000",
		"RELEVO_WIDGET_RATE": "5", "RELEVO_WIDGET_BURST": "50",
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := app.ParseFlags(nil, getenv)
	if err != nil {
		t.Fatal(err)
	}
	want := app.Config{Addr: "0.0.0.0:9000", DataDir: "/var/relevo", DatabaseURL: "postgres://env/db", NATSURL: "nats://env:4222",
		PublicURL: "https://env.example", LockMax: 5 * time.Second, Demo: true, AdminEmail: "boss@example.com", AdminPassword: "boss-password",
		SQLiteSync: "normal", TokenRate: 1000, TokenBurst: 2000, WidgetRate: 5, WidgetBurst: 50}
	if cfg != want {
		t.Errorf("from the environment:\n got %+v\nwant %+v", cfg, want)
	}
	cfg, err = app.ParseFlags([]string{"--addr", "127.0.0.1:7000", "--data=/tmp/d", "--database-url", "postgres://flag/db",
		"--nats-url", "nats://flag:4222", "--public-url", "https://flag.example", "--lock-max", "2s", "--demo=false",
		"--sqlite-synchronous", "full", "--token-rate", "7", "--token-burst=14", "--widget-rate", "1", "--widget-burst", "3"}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	want = app.Config{Addr: "127.0.0.1:7000", DataDir: "/tmp/d", DatabaseURL: "postgres://flag/db", NATSURL: "nats://flag:4222",
		PublicURL: "https://flag.example", LockMax: 2 * time.Second, AdminEmail: "boss@example.com", AdminPassword: "boss-password",
		SQLiteSync: "full", TokenRate: 7, TokenBurst: 14, WidgetRate: 1, WidgetBurst: 3}
	if cfg != want {
		t.Errorf("flags over the environment:\n got %+v\nwant %+v", cfg, want)
	}
	cfg, err = app.ParseFlags([]string{"--addr", "127.0.0.1:7000"}, func(string) string { return "" })
	if err != nil || cfg.PublicURL != "http://127.0.0.1:7000" {
		t.Errorf("public URL follows --addr: %q (%v)", cfg.PublicURL, err)
	}
}

func TestParseFlagsRejectsBadInput(t *testing.T) {
	none := func(string) string { return "" }
	for _, args := range [][]string{
		{"--sqlite-synchronous", "off"}, {"--sqlite-synchronous", "FULL"},
		{"--lock-max", "soon"}, {"--lock-max", "0s"}, {"--lock-max", "-1s"}, {"--lock-max", "11m"},
		{"--lock-max", "0"}, {"--lock-max", "601"}, {"--lock-max", "1.5s"}, {"--lock-max", "9999999h"},
		{"--no-such-flag"}, {"extra-argument"},
		{"--token-rate", "0"}, {"--token-rate", "-5"}, {"--token-rate", "100001"}, {"--token-rate", "fast"}, {"--token-rate", "2.5"},
		{"--token-burst", "0"}, {"--token-burst", "200001"}, {"--widget-rate", "0"}, {"--widget-rate", "1e9"},
		{"--widget-burst", "-1"}, {"--widget-burst", ""},
	} {
		if _, err := app.ParseFlags(args, none); err == nil {
			t.Errorf("ParseFlags(%q) accepted", args)
		}
	}
	if _, err := app.ParseFlags(nil, func(k string) string {
		if k == "RELEVO_LOCK_MAX" {
			return "forever"
		}
		return ""
	}); err == nil {
		t.Error("RELEVO_LOCK_MAX=forever accepted")
	}
	// A bad rate says which flag and what it takes.
	_, err := app.ParseFlags(nil, func(k string) string {
		if k == "RELEVO_TOKEN_RATE" {
			return "0"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "--token-rate") || !strings.Contains(err.Error(), "100000") {
		t.Errorf("RELEVO_TOKEN_RATE=0: %v", err)
	}
}
