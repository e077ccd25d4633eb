package realtime_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// floorNumbers is what the monitor shows, in a form both the pushed
// counters and GET /api/v1/monitor reduce to: agents and teams with
// nothing open are left out (the push omits them, the monitor lists them
// with zeros).
type floorNumbers struct {
	Counters store.Counters
	Open     map[string]int    // agent → conversations with people
	Teams    map[string][2]int // team → waiting, human
}

func (n floorNumbers) String() string {
	return fmt.Sprintf("%+v", struct{ C, O, T any }{n.Counters, n.Open, n.Teams})
}

func pushedNumbers(m realtime.MonitorCounters) floorNumbers {
	out := floorNumbers{Counters: m.Counters, Open: map[string]int{}, Teams: map[string][2]int{}}
	for _, a := range m.Agents {
		if a.Open != 0 {
			out.Open[a.ID] += a.Open
		}
	}
	for _, tc := range m.Teams {
		if tc.Waiting != 0 || tc.Human != 0 {
			out.Teams[tc.ID] = [2]int{tc.Waiting, tc.Human}
		}
	}
	return out
}

// monitorNumbers reads GET /api/v1/monitor as c.
func monitorNumbers(t *testing.T, ctx context.Context, c *rtclient.Client) floorNumbers {
	t.Helper()
	var m store.Monitor
	if err := c.Do(ctx, "GET", "/api/v1/monitor", nil, &m); err != nil {
		t.Fatal(err)
	}
	out := floorNumbers{Counters: m.Counters, Open: map[string]int{}, Teams: map[string][2]int{}}
	for _, a := range m.Agents {
		if a.Open != 0 {
			out.Open[a.ID] = a.Open
		}
	}
	for _, tc := range m.Teams {
		if tc.Waiting != 0 || tc.Human != 0 {
			out.Teams[tc.ID] = [2]int{tc.Waiting, tc.Human}
		}
	}
	return out
}

func TestMonitorCountersOnConnectEqualTheMonitorAndFollowTheFloor(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	watch := connect(t, ctx, n.URL(), f.sue)

	// A floor with something in every place: bot, queue (with and
	// without team), with people, and another bot's conversation that
	// Sue must not count.
	for range 3 {
		f.botConversation(t, ctx)
	}
	var queued []string
	for i := range 6 {
		team := ""
		if i%2 == 0 {
			team = f.team.ID
		}
		queued = append(queued, f.waiting(t, ctx, team))
	}
	must(n.Store.Assign(ctx, desk.UserActor(f.ana), queued[0], store.AssignInput{}))(t)
	must(n.Store.Assign(ctx, desk.UserActor(f.bob), queued[1], store.AssignInput{}))(t)
	inbound(t, ctx, n.Store, f.otherCh.ID, "s1", "s1-m1", "hola")
	// Every change above has been routed once this barrier arrives, so the
	// count on connect cannot be moved twice by a late change.
	barrier(t, ctx, n.Store, f.ana.ID, watch)

	sue := connect(t, ctx, n.URL(), f.sue)
	fr := read(t, ctx, sue)
	if fr.Type != realtime.FrameMonitorCounters {
		t.Fatalf("supervisor's second frame is %s, want monitor.counters", fr.Type)
	}
	want := monitorNumbers(t, ctx, sue)
	if got := pushedNumbers(decode[realtime.MonitorCounters](t, fr)); !reflect.DeepEqual(got, want) {
		t.Fatalf("counters on connect\n got %v\nwant %v", got, want)
	}
	if want.Counters.Total != 9 || want.Counters.Human != 2 {
		t.Fatalf("fixture floor is %v", want)
	}

	// N moves of every kind; the pushes end equal to the store again.
	for _, id := range queued[2:] {
		must(n.Store.Assign(ctx, desk.UserActor(f.ana), id, store.AssignInput{}))(t)
	}
	for range 4 {
		f.waiting(t, ctx, f.team.ID)
	}
	must(n.Store.Unassign(ctx, desk.UserActor(f.sue), queued[0]))(t)
	want = monitorNumbers(t, ctx, sue)
	var last floorNumbers
	await(t, ctx, sue, "counters equal to the store", func(fr realtime.Frame) bool {
		if fr.Type != realtime.FrameMonitorCounters {
			return false
		}
		last = pushedNumbers(decode[realtime.MonitorCounters](t, fr))
		return reflect.DeepEqual(last, want)
	})
	if want.Counters.Human != 5 || want.Counters.Waiting != 5 {
		t.Fatalf("floor after the moves is %v", want)
	}
}

func TestMonitorCountersAreNotPushedToAgents(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	ana := connect(t, ctx, n.URL(), f.ana)
	sue := connect(t, ctx, n.URL(), f.sue)
	f.waiting(t, ctx, "")
	// Sue's pushed counters show the new item; by then Ana would have had
	// hers, had she any.
	await(t, ctx, sue, "the push", func(fr realtime.Frame) bool {
		return fr.Type == realtime.FrameMonitorCounters && decode[realtime.MonitorCounters](t, fr).Counters.Waiting == 1
	})
	for _, fr := range barrier(t, ctx, n.Store, f.sue.ID, ana) {
		if fr.Type == realtime.FrameMonitorCounters {
			t.Fatal("an agent got monitor counters")
		}
	}
}
