package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// Assigner is the automatic assignment's drainer. Every node runs one:
// it hears every node's committed changes on the bus (OnChange) and,
// when one may let a conversation be given out (desk.MayServe), drains
// the automatic queues until each is empty or nobody in it has room. A
// periodic drain catches a trigger the bus lost. Nodes draining at once
// are safe: the store serialises them per agent (store.AssignNext).
type Assigner struct {
	Store *store.Store
	Log   *slog.Logger
	// Interval is the safety drain's period (default 5 s).
	Interval time.Duration

	once sync.Once
	kick chan struct{}
}

func (a *Assigner) init() {
	a.once.Do(func() { a.kick = make(chan struct{}, 1) })
}

// OnChange is the bus subscriber.
func (a *Assigner) OnChange(c desk.Change) {
	if desk.MayServe(c) {
		a.Kick()
	}
}

// Kick asks for a drain; kicks that arrive during one are folded into
// the next, so a burst of 500 arrivals costs a few drains, not 500.
func (a *Assigner) Kick() {
	a.init()
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// Run drains on every kick and every Interval until ctx ends.
func (a *Assigner) Run(ctx context.Context) {
	a.init()
	if a.Interval <= 0 {
		a.Interval = 5 * time.Second
	}
	if a.Log == nil {
		a.Log = slog.Default()
	}
	t := time.NewTicker(a.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.kick:
		case <-t.C:
		}
		if _, err := a.Drain(ctx); err != nil && ctx.Err() == nil {
			a.Log.Error("auto-assign", "err", err)
		}
	}
}

// Drain serves every automatic queue until it is empty or full, the
// queues side by side (on SQLite their transactions share group commits).
// It returns how many conversations it gave out.
func (a *Assigner) Drain(ctx context.Context) (int, error) {
	queues, err := a.Store.AutoQueues(ctx)
	if err != nil {
		return 0, err
	}
	var mu sync.Mutex
	var n int
	var first error
	var wg sync.WaitGroup
	for _, q := range queues {
		wg.Go(func() {
			k, err := drainQueue(ctx, a.Store, q)
			mu.Lock()
			defer mu.Unlock()
			n += k
			if err != nil && first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	return n, first
}

// drainQueue assigns from q until AssignNext gives nothing more.
// A lost race (a hand assign took the conversation first: conflict,
// already_assigned) is no error: the next call reads the queue again.
func drainQueue(ctx context.Context, s *store.Store, q store.Queue) (int, error) {
	n, races := 0, 0
	for ctx.Err() == nil {
		k, err := s.AssignNext(ctx, q)
		switch {
		case err == nil && k == 0:
			return n, nil
		case err == nil:
			n += k
		case desk.IsCode(err, desk.CodeConflict) || desk.IsCode(err, desk.CodeAlreadyAssigned) || desk.IsCode(err, desk.CodeAgentUnavailable):
			// Bounded: a queue that keeps losing waits for the next kick.
			if races++; races > 100 {
				return n, nil
			}
		default:
			return n, err
		}
	}
	return n, ctx.Err()
}
