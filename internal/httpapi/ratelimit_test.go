package httpapi

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

func TestLimiterRefusesPastBurstPerKey(t *testing.T) {
	l := newLimiter(0.001, 3)
	for i := 0; i < 3; i++ {
		if err := l.allow("a"); err != nil {
			t.Fatalf("request %d refused: %v", i, err)
		}
	}
	err := l.allow("a")
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
	if err := l.allow("b"); err != nil {
		t.Fatalf("another key shares the bucket: %v", err)
	}
}
