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
// instead of memory. A key may carry a rate of its own (AllowAt: an API
// token's rate_limit, read with the token), so one limiter serves keys at
// different rates.
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
	// idle is how long this bucket may go unused before it is swept: past a
	// full refill at its own rate, a fresh bucket is the same as this one.
	idle time.Duration
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

// Allow takes a token for key at the limiter's rate and burst, or returns
// rate_limited with the wait.
func (l *Limiter) Allow(key string) error { return l.AllowAt(key, l.every, l.burst) }

// AllowAt is Allow for a key with a rate and burst of its own. A key whose
// rate or burst changed since its last request starts a fresh bucket at the
// new values: the change holds from this request on, and raising a limit
// frees the client at once instead of leaving it to refill from empty.
// Keys past maxKeys share the overflow bucket at the limiter's own rate.
func (l *Limiter) AllowAt(key string, every rate.Limit, burst int) error {
	now := l.now()
	l.mu.Lock()
	if since := now.Sub(l.swept); since > time.Minute || (len(l.buckets) >= l.maxKeys && since > time.Second) {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > b.idle {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	var lim *rate.Limiter
	b := l.buckets[key]
	if b != nil && (b.lim.Limit() != every || b.lim.Burst() != burst) {
		delete(l.buckets, key)
		b = nil
	}
	if b != nil {
		b.seen, lim = now, b.lim
	} else if len(l.buckets) < l.maxKeys {
		lim = rate.NewLimiter(every, burst)
		idle := time.Duration(float64(burst)/float64(every)*float64(time.Second)) + time.Minute
		l.buckets[key] = &bucket{lim: lim, seen: now, idle: idle}
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
