package httpkit

import (
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/relevo/relevo/internal/desk"
)

func TestLimiterRefusesPastBurstPerKey(t *testing.T) {
	l := NewLimiter(0.001, 3, 100)
	for i := 0; i < 3; i++ {
		if err := l.Allow("a"); err != nil {
			t.Fatalf("request %d refused: %v", i, err)
		}
	}
	err := l.Allow("a")
	if !desk.IsCode(err, desk.CodeRateLimited) {
		t.Fatalf("4th request: got %v, want rate_limited", err)
	}
	var de *desk.Error
	if e, ok := err.(*desk.Error); ok {
		de = e
	}
	if de == nil || de.RetryAfter <= 0 {
		t.Fatalf("rate_limited without Retry-After: %#v", err)
	}
	if err := l.Allow("b"); err != nil {
		t.Fatalf("another key shares the bucket: %v", err)
	}
}

// The rate limiters' maps stay bounded however many keys come: past the
// bound, new keys share one overflow bucket.
func TestLimiterMapIsBounded(t *testing.T) {
	now := time.Unix(1000, 0)
	l := NewLimiter(Per(10, time.Minute), 10, 100)
	l.now = func() time.Time { return now }
	for i := range 1000 {
		_ = l.Allow("ip:" + strconv.Itoa(i))
	}
	if n := l.size(); n > 100 {
		t.Fatalf("%d buckets, bound 100", n)
	}
	// The overflow bucket has one budget for every newcomer.
	limited := 0
	for i := range 50 {
		if l.Allow("new:"+strconv.Itoa(i)) != nil {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("newcomers past the bound were never limited")
	}
	// Idle buckets are swept, making room again.
	now = now.Add(10 * time.Minute)
	if err := l.Allow("fresh"); err != nil {
		t.Fatal(err)
	}
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after the sweep, want 1", n)
	}
}

// A key with a rate of its own gets its own burst in the same limiter, and
// a changed rate holds from the next request: a fresh bucket at the new
// values (the clock stands still, so nothing refills in between).
func TestLimiterAllowAtPerKeyRate(t *testing.T) {
	now := time.Unix(1000, 0)
	l := NewLimiter(100, 200, 100)
	l.now = func() time.Time { return now }
	count := func(key string, every float64, burst, n int) (ok int) {
		for range n {
			if l.AllowAt(key, rate.Limit(every), burst) == nil {
				ok++
			}
		}
		return ok
	}
	if ok := count("slow", 5, 10, 15); ok != 10 {
		t.Fatalf("a key at 5/s, burst 10: %d of 15 allowed", ok)
	}
	if ok := count("default", 100, 200, 15); ok != 15 {
		t.Fatalf("a key at the default: %d of 15 allowed", ok)
	}
	if ok := count("slow", 5, 10, 1); ok != 0 {
		t.Fatal("the slow key's bucket refilled with no time passing")
	}
	if ok := count("slow", 100, 200, 150); ok != 150 {
		t.Fatalf("after raising the slow key's rate: %d of 150 allowed", ok)
	}
	if ok := count("slow", 1, 2, 5); ok != 2 {
		t.Fatalf("after lowering it to 1/s, burst 2: %d of 5 allowed", ok)
	}
}
