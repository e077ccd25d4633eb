package httpkit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/relevo/relevo/internal/desk"
)

// Limiter keeps a token bucket per key (a client IP, an API or widget
// token), per node: it protects this process from a runaway or hostile
// client, and a bucket lost on restart costs nothing. The map is bounded
// twice: buckets idle longer than a full refill are swept, and past maxKeys
// every new key shares one overflow bucket, so a flood of fresh keys
// (spoofed IPv6 addresses, minted tokens) gets one budget between them
// instead of memory.
type Limiter struct {
	mu       sync.Mutex
	every    rate.Limit
	burst    int
	maxKeys  int
	buckets  map[string]*bucket
	overflow *rate.Limiter
	swept    time.Time
	now      func() time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// Per is n events per period, as a rate.
func Per(n int, per time.Duration) rate.Limit { return rate.Limit(float64(n) / per.Seconds()) }

// NewLimiter allows burst requests at once per key, refilled at every per
// second, with buckets of their own for at most maxKeys keys.
func NewLimiter(every rate.Limit, burst, maxKeys int) *Limiter {
	return &Limiter{every: every, burst: burst, maxKeys: maxKeys, buckets: map[string]*bucket{},
		overflow: rate.NewLimiter(every, burst), now: time.Now}
}

// Limit is the refill rate, in requests per second.
func (l *Limiter) Limit() rate.Limit { return l.every }

// Burst is how many requests a key may make at once.
func (l *Limiter) Burst() int { return l.burst }

// Allow takes a token for key, or returns rate_limited with the wait.
func (l *Limiter) Allow(key string) error {
	now := l.now()
	l.mu.Lock()
	idle := time.Duration(float64(l.burst)/float64(l.every)*float64(time.Second)) + time.Minute
	if since := now.Sub(l.swept); since > time.Minute || (len(l.buckets) >= l.maxKeys && since > time.Second) {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idle {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	var lim *rate.Limiter
	if b := l.buckets[key]; b != nil {
		b.seen, lim = now, b.lim
	} else if len(l.buckets) < l.maxKeys {
		lim = rate.NewLimiter(l.every, l.burst)
		l.buckets[key] = &bucket{lim: lim, seen: now}
	} else {
		lim = l.overflow
	}
	r := lim.ReserveN(now, 1)
	l.mu.Unlock()
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		e := desk.Errorf(desk.CodeRateLimited, "too many requests; slow down")
		e.RetryAfter = d
		return e
	}
	return nil
}

// size is how many keys have a bucket of their own (tests).
func (l *Limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
