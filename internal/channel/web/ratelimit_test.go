package web_test

import (
	"strconv"
	"testing"

	"github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/widgetapi"
)

func TestSessionsAreRateLimitedPerIP(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		for i := range 10 {
			if _, r := e.session(e.open, "", widgetapi.WidgetSessionRequest{}); r.Status != 200 {
				t.Fatalf("session %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		_, r := e.session(e.open, "", widgetapi.WidgetSessionRequest{})
		if r.Status != 429 || r.code() != "rate_limited" {
			t.Fatalf("11th session in a minute: %d %s", r.Status, r.Body)
		}
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 6 {
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
	})
}

func TestMessagesAreRateLimitedPerToken(t *testing.T) {
	// 3 per 10 s here (the default is 20), so the test is not racing the
	// refill on a slow machine.
	eachDB(t, func(t *testing.T, e *env) {
		v, other := e.anon(), e.anon()
		for i := range 3 {
			v.post("/widget/v1/messages", widgetapi.WidgetSendRequest{ID: strconv.Itoa(i), Text: "spam"}).want(200)
		}
		r := v.post("/widget/v1/messages", widgetapi.WidgetSendRequest{ID: "4", Text: "spam"})
		if r.Status != 429 || r.code() != "rate_limited" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("4th message in 10 s: %d %s %v", r.Status, r.Body, r.Header)
		}
		// Uploads share the budget; another visitor has its own.
		if r := v.upload("a.txt", []byte("x")); r.Status != 429 {
			t.Fatalf("upload over budget: %d", r.Status)
		}
		other.say("1", "I am fine")
		// Reading is not limited by the sending budget.
		v.get("/widget/v1/messages").want(200)
	}, func(o *web.Options) { o.MessageRate, o.MessageBurst = 0.3, 3 })
}
