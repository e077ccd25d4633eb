package realtime

import (
	"context"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// tally keeps the floor's counters per bot, moved by each change's Move as
// it arrives, never by counting rows per event. Each conversation's last
// counted seq is kept too, so counting is exact whatever the order: a move
// older than what is held is skipped, a recount from the store keeps moves
// newer than its read, and a duplicate is harmless. A recount (on a
// supervisor's connect when the tally is older than a few seconds, and
// every 30 s) repairs what a lost bus message left out.
type tally struct {
	mu    sync.Mutex
	convs map[string]*counted
	bots  map[string]*botTally
	dirty bool
	reset time.Time
}

// counted is one conversation as the tally holds it.
type counted struct {
	bot  string
	seq  int64
	p    desk.Placement
	seen time.Time // when this node last learnt of it
}

type botTally struct {
	phase map[desk.Phase]int
	open  map[string]int        // agent → conversations in phase human
	teams map[string]*TeamCount // team → waiting and human
}

// closedWindow is how far back a recount reads closed conversations: a
// close missed on the bus longer ago than this is repaired by dropping
// entries not seen since.
const closedWindow = 10 * time.Minute

func newTally() *tally { return &tally{convs: map[string]*counted{}, bots: map[string]*botTally{}} }

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

// apply moves one conversation to c.Move.Next, unless the tally already
// holds it at c's seq or later.
func (t *tally) apply(c desk.Change) {
	t.mu.Lock()
	defer t.mu.Unlock()
	prev := c.Move.Prev
	if e := t.convs[c.ConversationID]; e != nil {
		if c.Seq <= e.seq {
			return
		}
		prev = e.p // what was counted, whatever the move says it left
	}
	b := t.bot(c.BotID)
	b.add(prev, -1)
	b.add(c.Move.Next, +1)
	// Closed conversations stay as tombstones until a recount, so an older
	// move arriving late cannot count them again.
	t.convs[c.ConversationID] = &counted{bot: c.BotID, seq: c.Seq, p: c.Move.Next, seen: time.Now()}
	t.dirty = true
}

// load merges a recount read at readAt: the store's row wins unless the
// tally holds the conversation at a later seq; a held conversation the
// store did not list is kept only if this node learnt of it around or
// after the read (it is newer than the read), and dropped otherwise (its
// close was missed).
func (t *tally) load(rows []store.TallyRow, readAt time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	next := make(map[string]*counted, len(rows))
	for _, r := range rows {
		e := &counted{bot: r.BotID, seq: r.Seq, p: r.Placement, seen: readAt}
		if old := t.convs[r.ID]; old != nil && old.seq > r.Seq {
			e = old
		}
		next[r.ID] = e
	}
	for id, old := range t.convs {
		if _, listed := next[id]; !listed && old.seen.After(readAt.Add(-time.Minute)) {
			next[id] = old
		}
	}
	t.convs, t.bots = next, map[string]*botTally{}
	for _, e := range next {
		t.bot(e.bot).add(e.p, +1)
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

// recount merges the store's count into the tally.
func (h *Hub) recount(ctx context.Context) error {
	readAt := time.Now()
	rows, err := h.store.Tally(ctx, h.opt.Clock.Now().Add(-closedWindow))
	if err != nil {
		return err
	}
	h.tally.load(rows, readAt)
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
	// Check often, push at most once per interval: a change after a quiet
	// spell goes out within a check, and a busy floor still gets at most
	// one push per interval.
	check := min(h.opt.CounterInterval, 50*time.Millisecond)
	t := time.NewTicker(check)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-h.ctx.Done():
			return
		case now := <-t.C:
			// A few milliseconds of slack: ticks jitter, and one a hair
			// early must not put the push off by a whole check (a 250 ms
			// interval gave pushes 300 ms apart).
			if now.Sub(last) >= h.opt.CounterInterval-2*time.Millisecond && h.flushCounters() {
				last = now
			}
		}
	}
}

// flushCounters is one tick of pushCounters: the counters go to every
// supervisor if they moved since the last tick, however many changes moved
// them. It reports whether it pushed. (A method of its own so tests drive
// the tick without timing.)
func (h *Hub) flushCounters() bool {
	if h.tally.stale(30 * time.Second) {
		if err := h.recount(h.ctx); err != nil && h.ctx.Err() == nil {
			h.log.Warn("realtime: recount", "err", err)
		}
	}
	if !h.tally.takeDirty() {
		return false
	}
	h.each(func(s *socket) {
		if s.actor.User.Role.Supervises() {
			s.enqueue(h.countersFrame(s.actor))
		}
	})
	return true
}
