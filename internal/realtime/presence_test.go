package realtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/clock"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store/storetest"
)

// eventually waits until cond holds, checking every millisecond: for
// state with no frame to announce it (a socket gone from the hub, a lock
// released while the bus dropped its news).
func eventually(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("still waiting for %s", what)
		case <-tick.C:
		}
	}
}

// waitConnected waits until the node holds n sockets: a socket the client
// closed is gone from the hub, its presence written, only when the server
// has seen the close.
func waitConnected(t *testing.T, ctx context.Context, nd *node, n int) {
	t.Helper()
	eventually(t, ctx, "the sockets to close", func() bool { return nd.Hub.Connected() == n })
}

func TestUserGoesOfflineAGracePeriodAfterItsLastSocket(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	clk := clock.NewFake(storetest.Epoch)
	n := startNode(t, app.Config{}, app.Options{Clock: clk})
	f := newFloor(t, ctx, n.Store)
	sue := connect(t, ctx, n.URL(), f.sue)
	tab1 := connect(t, ctx, n.URL(), f.ana)
	tab2 := connect(t, ctx, n.URL(), f.ana)

	// The first tab closes; 40 s later the last one does.
	tab1.Close()
	waitConnected(t, ctx, n, 2)
	clk.Advance(40 * time.Second)
	tab2.Close()
	waitConnected(t, ctx, n, 1)

	// 70 s after the first close but 30 s after the last she is online:
	// the grace period counts from the last socket.
	clk.Advance(30 * time.Second)
	if got := must(n.Store.SweepPresence(ctx, time.Minute))(t); got != 0 {
		t.Fatalf("swept %d users inside the grace period", got)
	}
	if u := must(n.Store.GetUser(ctx, f.ana.ID))(t); u.Status != desk.StatusOnline {
		t.Fatalf("Ana is %s inside the grace period", u.Status)
	}
	// Past it she is offline, and supervisors see it live. (The node's own
	// sweeper may get there first; the frame comes either way.)
	clk.Advance(31 * time.Second)
	must(n.Store.SweepPresence(ctx, time.Minute))(t)
	await(t, ctx, sue, "Ana going offline", func(fr realtime.Frame) bool {
		if fr.Type != realtime.FrameAgentStatus {
			return false
		}
		s := decode[realtime.AgentStatus](t, fr)
		return s.UserID == f.ana.ID && s.Status == desk.StatusOffline
	})
	if u := must(n.Store.GetUser(ctx, f.ana.ID))(t); u.Status != desk.StatusOffline {
		t.Fatalf("Ana is %s", u.Status)
	}
}

func TestShutdownClosesSocketsWithGoingAway(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	clients := []*rtclient.Client{
		connect(t, ctx, n.URL(), f.ana),
		connect(t, ctx, n.URL(), f.bob),
		connect(t, ctx, n.URL(), f.sue),
	}
	// Close waits for the close handshakes, which the clients answer as
	// they read: stop in the background.
	stopped := make(chan struct{})
	go func() { n.stop(); close(stopped) }()
	for _, c := range clients {
		if code := closeCode(t, ctx, c); code != websocket.StatusGoingAway {
			t.Errorf("%s: socket ended with %v, want 1001 going away", c.User.Name, code)
		}
	}
	select {
	case <-stopped:
	case <-ctx.Done():
		t.Fatal("Close did not return")
	}
}
