package pace_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/pace"
)

// One worker makes the handing-out order visible: every call once, in order.
func TestOpenLoopStartsEveryCallOnceInOrder(t *testing.T) {
	var got []int
	n := pace.OpenLoop(context.Background(), time.Now(), 200, 1e6, 1, func(i int) {
		got = append(got, i) // one worker: no race
	})
	if n != 200 || len(got) != 200 {
		t.Fatalf("started %d, called %d; want 200", n, len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("call %d was fn(%d): out of order", i, v)
		}
	}
}

// The calls spread across the workers: the first ones run at once, never
// more than workers at a time, and every number is called exactly once.
func TestOpenLoopSpreadsAcrossWorkers(t *testing.T) {
	const workers, n = 4, 40
	var running, most atomic.Int32
	var mu sync.Mutex
	seen := make(map[int]int)
	allIn := make(chan struct{})
	var arrived atomic.Int32
	started := pace.OpenLoop(context.Background(), time.Now(), n, 1e6, workers, func(i int) {
		r := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if r <= m || most.CompareAndSwap(m, r) {
				break
			}
		}
		if i < workers {
			// The first calls meet: only possible with workers goroutines.
			if arrived.Add(1) == workers {
				close(allIn)
			}
			select {
			case <-allIn:
			case <-time.After(time.Minute): // a guard against hanging, not a timing assertion
				t.Errorf("fn(%d): the first %d calls never ran together", i, workers)
			}
		}
		mu.Lock()
		seen[i]++
		mu.Unlock()
	})
	if started != n || len(seen) != n {
		t.Fatalf("started %d, distinct calls %d; want %d", started, len(seen), n)
	}
	for i := range n {
		if seen[i] != 1 {
			t.Errorf("fn(%d) called %d times", i, seen[i])
		}
	}
	if m := most.Load(); m != workers {
		t.Errorf("at most %d calls at once; want %d", m, workers)
	}
}

// Cancelling stops the schedule while it waits for the next call to be
// due: calls 0..9 are due already, call 10 an hour from now.
func TestOpenLoopStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hour := time.Hour
	start := time.Now().Add(-9 * hour)
	var got []int
	n := pace.OpenLoop(ctx, start, 100, 1/hour.Seconds(), 1, func(i int) {
		got = append(got, i)
		if i == 9 {
			cancel()
		}
	})
	if n != 10 || len(got) != 10 {
		t.Fatalf("started %d, called %v; want 10 (0..9)", n, got)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("call %d was fn(%d)", i, v)
		}
	}
}

// Cancelled before it starts: nothing is called.
func TestOpenLoopCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int32
	if n := pace.OpenLoop(ctx, time.Now(), 10, 1e6, 2, func(int) { calls.Add(1) }); n != 0 || calls.Load() != 0 {
		t.Fatalf("started %d, called %d; want 0", n, calls.Load())
	}
}
