package httpapi

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/relevo/relevo/internal/desk"
)

// limiter keeps one token bucket per key (an API token, a client IP). It is
// per node on purpose: it protects this process from a runaway client, and
// a lost bucket on restart costs nothing. Buckets idle for a few minutes are
// dropped so the map stays bounded by active clients.
type limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{every: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or returns rate_limited with the wait.
func (l *limiter) allow(key string) error {
	now := time.Now()
	l.mu.Lock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 5*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	l.mu.Unlock()
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		e := desk.Errorf(desk.CodeRateLimited, "too many requests; slow down")
		e.RetryAfter = d
		return e
	}
	return nil
}
