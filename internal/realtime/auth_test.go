package realtime_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/realtime/rtclient"
)

func TestSocketWithoutSessionIsRefusedBeforeUpgrade(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	conn, resp, err := dial(ctx, n.URL(), &http.Client{}, n.URL())
	if err == nil {
		conn.CloseNow()
		t.Fatal("socket opened without a session")
	}
	if resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("answer %v, want 401 without an upgrade", resp)
	}
}

func TestSocketFromAnotherSiteIsRefused(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	c, err := rtclient.Login(ctx, n.URL(), f.ana.Email, password)
	if err != nil {
		t.Fatal(err)
	}
	// The session cookie rides along on a cross-site handshake: only the
	// Origin check stands between evil.example and Ana's desk.
	conn, resp, err := dial(ctx, n.URL(), c.HTTP, "http://evil.example")
	if err == nil {
		conn.CloseNow()
		t.Fatal("socket opened from another origin")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("answer %v, want 403", resp)
	}
	// The same session from the server's own origin is fine.
	conn, _, err = dial(ctx, n.URL(), c.HTTP, n.URL())
	if err != nil {
		t.Fatalf("own origin refused: %v", err)
	}
	conn.CloseNow()
}

func TestSupervisorLogoutClosesTheAgentsSockets(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	tab1 := connect(t, ctx, n.URL(), f.ana)
	tab2 := connect(t, ctx, n.URL(), f.ana) // a second tab, its own session
	bob := connect(t, ctx, n.URL(), f.bob)
	sue := connect(t, ctx, n.URL(), f.sue)

	post(t, ctx, sue, "/api/v1/agents/"+f.ana.ID+"/logout", nil)

	for _, c := range []*rtclient.Client{tab1, tab2} {
		if code := closeCode(t, ctx, c); code != websocket.StatusPolicyViolation {
			t.Fatalf("logged-out socket closed with %v, want %v", code, websocket.StatusPolicyViolation)
		}
	}
	// Her sessions are gone: no new socket, no API.
	err := tab1.Connect(ctx)
	var ae *rtclient.APIError
	if err == nil {
		t.Fatal("a logged-out session opened a socket")
	}
	if err := tab1.Do(ctx, "GET", "/api/v1/me", nil, nil); !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized {
		t.Fatalf("GET /me after logout: %v, want 401", err)
	}
	// Colleagues are untouched.
	barrier(t, ctx, n.Store, f.sue.ID, bob)
}

func TestSocketWithABearerTokenIsRefused(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	hc := &http.Client{Transport: bearer(botToken(t, ctx, n.Store, f.bot.ID))}
	conn, resp, err := dial(ctx, n.URL(), hc, n.URL())
	if err == nil {
		conn.CloseNow()
		t.Fatal("a bot token opened a console socket")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("answer %v, want 403", resp)
	}
}
