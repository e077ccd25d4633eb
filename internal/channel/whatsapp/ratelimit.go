package whatsapp

import (
	"context"
	"sync"
	"time"
)

// limiter spaces the sends of each business number: a token bucket of one
// token refilled every 1/rate seconds, shared by every send of that number
// in this process, so a burst of outbox deliveries leaves at most rate
// messages per second (Cloud API answers 130429 beyond its throughput).
// Several nodes each keep their own bucket; the outbox retries what Meta
// still refuses.
type limiter struct {
	mu    sync.Mutex
	slots map[string]*slot
}

// slot is one number's bucket: when its next token is available.
type slot struct {
	next time.Time
}

func newLimiter() *limiter { return &limiter{slots: map[string]*slot{}} }

// reserve takes number's next token at perSecond and says how long after
// now it may be used. A changed rate applies from the next token on.
func (l *limiter) reserve(number string, perSecond float64, now time.Time) time.Duration {
	if perSecond <= 0 {
		perSecond = DefaultMaxPerSecond
	}
	interval := time.Duration(float64(time.Second) / perSecond)
	l.mu.Lock()
	defer l.mu.Unlock()
	sl := l.slots[number]
	if sl == nil {
		sl = &slot{}
		l.slots[number] = sl
	}
	at := sl.next
	if at.Before(now) {
		at = now // an idle bucket is full: the token is there now
	}
	sl.next = at.Add(interval)
	return at.Sub(now)
}

// wait blocks until number may send, or ctx ends. A cancelled wait still
// used its token: the slot stays taken, which only makes sends slower.
func (l *limiter) wait(ctx context.Context, number string, perSecond float64) error {
	d := l.reserve(number, perSecond, time.Now())
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
