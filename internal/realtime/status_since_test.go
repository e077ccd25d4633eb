package realtime_test

import (
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
)

// agent.status carries when the status changed, so the monitor shows the
// time in status without reading the user again.
func TestAgentStatusFrameCarriesStatusSince(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	ana := connect(t, ctx, n.URL(), f.ana)
	sue := connect(t, ctx, n.URL(), f.sue)
	if err := ana.Do(ctx, "PUT", "/api/v1/me/status", map[string]string{"status": "paused", "pause_reason": "lunch"}, nil); err != nil {
		t.Fatal(err)
	}
	u := must(n.Store.GetUser(ctx, f.ana.ID))(t)
	if u.Status != desk.StatusPaused || u.StatusSince.IsZero() {
		t.Fatalf("stored %s since %v", u.Status, u.StatusSince)
	}
	seen := await(t, ctx, sue, "Ana's pause", func(fr realtime.Frame) bool {
		return fr.Type == realtime.FrameAgentStatus && decode[realtime.AgentStatus](t, fr).Status == desk.StatusPaused
	})
	if got := decode[realtime.AgentStatus](t, seen[len(seen)-1]).StatusSince; !got.Equal(u.StatusSince) {
		t.Errorf("frame's status_since %v, want the stored %v", got, u.StatusSince)
	}
}
