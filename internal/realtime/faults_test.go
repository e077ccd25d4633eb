package realtime_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// lossyBus drops every tenth change handed to the bus, as the bus is
// allowed to (DESIGN.md invariant 4). Off, it passes everything.
type lossyBus struct {
	seen, dropped atomic.Int64
	off           atomic.Bool
}

func (l *lossyBus) wrap(publish func([]desk.Change)) func([]desk.Change) {
	return func(cs []desk.Change) {
		kept := make([]desk.Change, 0, len(cs))
		for _, c := range cs {
			if !l.off.Load() && l.seen.Add(1)%10 == 0 {
				l.dropped.Add(1)
				continue
			}
			kept = append(kept, c)
		}
		if len(kept) > 0 {
			publish(kept)
		}
	}
}

func TestEveryClientEndsWithEveryMessageOnceDespiteALossyBus(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	var bus lossyBus
	n := startNode(t, app.Config{}, app.Options{WrapPublish: bus.wrap})
	f := newFloor(t, ctx, n.Store)
	s := n.Store
	clients := []*rtclient.Client{
		connect(t, ctx, n.URL(), f.ana),
		connect(t, ctx, n.URL(), f.bob),
		connect(t, ctx, n.URL(), f.sue),
	}
	pumps := make([]*pump, len(clients))
	for i, c := range clients {
		pumps[i] = startPump(c)
	}

	// Ten conversations, everything below on the lossy bus: four Ana's,
	// three Bob's, three waiting.
	type conv struct {
		id, customer string
		owner        *desk.User
	}
	var convs []conv
	for i := range 10 {
		c := conv{id: f.waiting(t, ctx, ""), customer: fmt.Sprintf("cust-%d", i+1)}
		switch {
		case i < 4:
			c.owner = &f.ana
		case i < 7:
			c.owner = &f.bob
		}
		if c.owner != nil {
			must(s.Assign(ctx, desk.UserActor(*c.owner), c.id, store.AssignInput{}))(t)
		}
		convs = append(convs, c)
	}
	eventually(t, ctx, "the hand-over locks to end", func() bool {
		for _, c := range convs {
			if must(s.GetConversation(ctx, desk.SystemActor, c.id))(t).LockedUntil != nil {
				return false
			}
		}
		return true
	})

	// 200 messages: customers write, owners answer (each answer then
	// ticks to sent), notes from owners and the supervisor.
	for i := range 200 {
		c := convs[i%10]
		text := fmt.Sprintf("m%d", i)
		switch {
		case i%5 == 3:
			author := f.sue
			if c.owner != nil {
				author = *c.owner
			}
			must(s.AddNote(ctx, desk.UserActor(author), c.id, text))(t)
		case i%5 == 4 && c.owner != nil:
			must(s.Send(ctx, desk.UserActor(*c.owner), c.id, store.SendInput{Text: text}))(t)
		default:
			inbound(t, ctx, s, f.ch.ID, c.customer, fmt.Sprintf("%s-%d", c.customer, i), text)
		}
	}
	if bus.dropped.Load() == 0 {
		t.Fatal("the bus dropped nothing")
	}

	// Whatever is still on its way arrives before these barriers (the bus
	// stops dropping so the barriers themselves get through).
	bus.off.Store(true)
	totalGaps := 0
	for i, c := range clients {
		pumps[i].barrier(t, ctx, s, f.carl.ID)
		ids := visible(t, ctx, c)
		live := held(c, ids)
		gaps, ids := catchUp(t, ctx, c)
		totalGaps += gaps
		total := sameHistory(t, ctx, s, c, ids)
		t.Logf("%s: %d conversations, %d messages, %d held live before catching up, %d gaps", c.User.Name, len(ids), total, live, gaps)
		if live*2 < total {
			t.Errorf("%s: only %d of %d messages came live", c.User.Name, live, total)
		}
	}
	if totalGaps == 0 {
		t.Errorf("%d changes dropped and no client saw a gap", bus.dropped.Load())
	}
}
