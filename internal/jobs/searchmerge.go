package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/relevo/relevo/internal/store"
)

// SearchMerger keeps SQLite's message index in few segments: each tick,
// one bounded merge step when the index has something to merge (a read
// decides; an idle index costs no write). The step goes through the
// store's one writer, so it waits its turn behind customers' writes and
// holds the writer for one small step only. On PostgreSQL it returns.
// In serve the Sweeper's tick takes the step (one ticker for the node's
// periodic work); Run is for a store without a sweeper (relevo bench).
type SearchMerger struct {
	Store    *store.Store
	Log      *slog.Logger
	Interval time.Duration // default 1 s
}

// Run merges until ctx ends.
func (m *SearchMerger) Run(ctx context.Context) {
	if m.Store.Dialect() != "sqlite" {
		return
	}
	if m.Interval <= 0 {
		m.Interval = time.Second
	}
	if m.Log == nil {
		m.Log = slog.Default()
	}
	t := time.NewTicker(m.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		m.step(ctx)
	}
}

// step runs one merge step, if there is work; errors are logged.
func (m *SearchMerger) step(ctx context.Context) {
	if _, err := m.Store.MergeSearchIndex(ctx); err != nil && ctx.Err() == nil {
		m.Log.Error("search index merge", "err", err)
	}
}
