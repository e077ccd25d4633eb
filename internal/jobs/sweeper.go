package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/relevo/relevo/internal/store"
)

// Sweeper periodically closes due conversations and expired locks, and
// re-offers conversations their agent has not answered in time, and keeps
// SQLite's search index in few segments (SearchMerger's step).
type Sweeper struct {
	Store    *store.Store
	Log      *slog.Logger
	Interval time.Duration // default 1 s: lock expiry is seen within it
	// Grace is how long a user's last socket may be gone before the user
	// is set offline (default 60 s).
	Grace time.Duration
}

// Run sweeps until ctx ends.
func (s *Sweeper) Run(ctx context.Context) {
	if s.Interval <= 0 {
		s.Interval = time.Second
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Grace <= 0 {
		s.Grace = time.Minute
	}
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	merger := &SearchMerger{Store: s.Store, Log: s.Log}
	lastHousekeeping := time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		closed, unlocked, err := s.Store.Sweep(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("sweep", "err", err)
		} else if closed > 0 || unlocked > 0 {
			s.Log.Info("sweep", "auto_closed", closed, "locks_expired", unlocked)
		}
		if n, err := s.Store.SweepReoffers(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("sweep reoffers", "err", err)
		} else if n > 0 {
			s.Log.Info("sweep", "reoffered", n)
		}
		if n, err := s.Store.SweepCalls(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("sweep calls", "err", err)
		} else if n > 0 {
			s.Log.Info("sweep", "calls_missed", n)
		}
		// A call whose node stopped renewing it lost its signalling: end it
		// (on the store's clock, the one alive_at is written with).
		if _, err := s.Store.EndNodeCalls(ctx, "", s.Store.Now().Add(-store.CallNodeTimeout)); err != nil && ctx.Err() == nil {
			s.Log.Error("sweep calls", "err", err)
		}
		if _, err := s.Store.SweepPresence(ctx, s.Grace); err != nil && ctx.Err() == nil {
			s.Log.Error("sweep presence", "err", err)
		}
		merger.step(ctx) // SQLite's search index kept in few segments
		// Expired sessions and old login-failure windows only cost space:
		// once a minute is plenty.
		if time.Since(lastHousekeeping) > time.Minute {
			lastHousekeeping = time.Now()
			if _, err := s.Store.SweepSessions(ctx, 15*time.Minute); err != nil && ctx.Err() == nil {
				s.Log.Error("sweep sessions", "err", err)
			}
		}
	}
}
