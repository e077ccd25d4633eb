package realtime

import (
	"context"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// tally keeps the floor's counters per bot, moved by each change's Move as
// it arrives, never by counting rows per event. It is reset from the store
// when a supervisor connects and every 30 s, so a lost bus message skews it
// for seconds at most.
type tally struct {
	mu    sync.Mutex
	bots  map[string]*botTally
	dirty bool
	reset time.Time
}

type botTally struct {
	phase map[desk.Phase]int
	open  map[string]int        // agent → conversations in phase human
	teams map[string]*TeamCount // team → waiting and human
}

func newTally() *tally { return &tally{bots: map[string]*botTally{}} }

func (t *tally) bot(id string) *botTally {
	b := t.bots[id]
	if b == nil {
		b = &botTally{phase: map[desk.Phase]int{}, open: map[string]int{}, teams: map[string]*TeamCount{}}
		t.bots[id] = b
	}
	return b
}

func (b *botTally) add(p desk.Placement, n int) {
	if !p.Phase.Open() {
		return
	}
	b.phase[p.Phase] += n
	if p.Phase == desk.PhaseHuman && p.AssigneeID != "" {
		b.open[p.AssigneeID] += n
	}
	if p.TeamID != "" && (p.Phase == desk.PhaseWaiting || p.Phase == desk.PhaseHuman) {
		tc := b.teams[p.TeamID]
		if tc == nil {
			tc = &TeamCount{ID: p.TeamID}
			b.teams[p.TeamID] = tc
		}
		if p.Phase == desk.PhaseWaiting {
			tc.Waiting += n
		} else {
			tc.Human += n
		}
	}
}

// apply moves one conversation from m.Prev to m.Next.
func (t *tally) apply(botID string, m desk.Move) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.bot(botID)
	b.add(m.Prev, -1)
	b.add(m.Next, +1)
	t.dirty = true
}

// load replaces the counters with rows counted by the store.
func (t *tally) load(rows []store.TallyRow) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.bots = map[string]*botTally{}
	for _, r := range rows {
		t.bot(r.BotID).add(desk.Placement{Phase: r.Phase, AssigneeID: r.AssigneeID, TeamID: r.TeamID}, r.Count)
	}
	t.dirty, t.reset = true, time.Now()
}

// view sums the counters over the bots a viewer may see (nil: all).
func (t *tally) view(bots []string) MonitorCounters {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := MonitorCounters{Agents: []AgentOpen{}, Teams: []TeamCount{}}
	open := map[string]int{}
	add := func(b *botTally) {
		out.Counters.Bot += b.phase[desk.PhaseBot]
		out.Counters.Waiting += b.phase[desk.PhaseWaiting]
		out.Counters.Human += b.phase[desk.PhaseHuman]
		for a, n := range b.open {
			open[a] += n
		}
		for _, tc := range b.teams {
			out.Teams = append(out.Teams, *tc)
		}
	}
	if bots == nil {
		for _, b := range t.bots {
			add(b)
		}
	} else {
		for _, id := range bots {
			if b := t.bots[id]; b != nil {
				add(b)
			}
		}
	}
	out.Counters.Total = out.Counters.Bot + out.Counters.Waiting + out.Counters.Human
	for a, n := range open {
		out.Agents = append(out.Agents, AgentOpen{ID: a, Open: n})
	}
	return out
}

// takeDirty reports and clears whether counters moved since the last push.
func (t *tally) takeDirty() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := t.dirty
	t.dirty = false
	return d
}

func (t *tally) stale(age time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return time.Since(t.reset) > age
}

// recount resets the tally from the store.
func (h *Hub) recount(ctx context.Context) error {
	rows, err := h.store.Tally(ctx)
	if err != nil {
		return err
	}
	h.tally.load(rows)
	return nil
}

func scopeOf(a desk.Actor) []string {
	if a.User.Role == desk.RoleAdmin {
		return nil
	}
	if a.User.BotIDs == nil {
		return []string{}
	}
	return a.User.BotIDs
}

func (h *Hub) countersFrame(a desk.Actor) []byte {
	return encode(FrameMonitorCounters, "", 0, h.tally.view(scopeOf(a)))
}

// pushCounters sends the counters to supervisors at most every
// CounterInterval, and only when they moved: bursts of changes coalesce.
func (h *Hub) pushCounters() {
	t := time.NewTicker(h.opt.CounterInterval)
	defer t.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		if h.tally.stale(30 * time.Second) {
			if err := h.recount(h.ctx); err != nil && h.ctx.Err() == nil {
				h.log.Warn("realtime: recount", "err", err)
			}
		}
		if !h.tally.takeDirty() {
			continue
		}
		h.each(func(s *socket) {
			if s.actor.User.Role.Supervises() {
				s.enqueue(h.countersFrame(s.actor))
			}
		})
	}
}
