// Package pace runs calls on an open-loop schedule: load generators (the
// benchmarks in internal/bench, the kill test in internal/app) offer a
// fixed rate whatever the answers' latency, so a slow server shows as
// slipping calls instead of quietly lowering the offered load.
package pace

import (
	"context"
	"sync"
	"time"
)

// OpenLoop calls fn(i) for i in [0, n), call i due at start + i/rate
// (rate > 0), on up to workers goroutines, and returns how many calls it
// started once every started call has returned. A late call does not push the next
// ones back unless every worker is busy (then the reached rate shows it).
// Cancelling ctx stops handing out calls, also while waiting for one to
// be due; calls already started finish.
func OpenLoop(ctx context.Context, start time.Time, n int, rate float64, workers int, fn func(i int)) int {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				fn(i)
			}
		}()
	}
	period := time.Duration(float64(time.Second) / rate)
	started := 0
	for started < n && ctx.Err() == nil {
		if !due(ctx, start.Add(time.Duration(started)*period)) {
			break
		}
		select {
		case jobs <- started:
			started++
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	return started
}

// due waits until at, and says false when ctx ends first.
func due(ctx context.Context, at time.Time) bool {
	d := time.Until(at)
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
