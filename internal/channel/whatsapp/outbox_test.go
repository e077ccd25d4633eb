package whatsapp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Graph errors through the real outbox worker: what is retried, what fails
// the message for good, and with which reason.

func graphFailure(t *testing.T, status int, name string) fakeReply {
	return fakeReply{Status: status, Body: string(fixture(t, name))}
}

// retryDue moves the clock past any backoff and delivers what fell due.
func (e *env) retryDue() {
	e.t.Helper()
	e.db.Clock.Advance(10 * time.Minute)
	if err := e.outbox.Drain(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func TestRateLimitAndServerErrorsAreRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		for _, tc := range []struct {
			name  string
			reply fakeReply
		}{
			{"130429 rate limit (a 400)", graphFailure(t, 400, "graph_error_130429.json")},
			{"131056 pair rate limit", fakeReply{400, `{"error":{"message":"(#131056) (Business Account, Consumer Account) pair rate limit hit","type":"OAuthException","code":131056,"fbtrace_id":"A1"}}`}},
			{"131000 something went wrong", graphFailure(t, 500, "graph_error_131000.json")},
			{"a proxy's 502 page", fakeReply{502, "<html>Bad Gateway</html>"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, db)
				c := e.opened()
				e.graph.reply(tc.reply)
				m := e.send(c.ID, sendText("Thanks!"))
				if m.Status != desk.StatusPending || m.Error != nil {
					t.Fatalf("after the refusal: %s %q, want still pending", m.Status, errText(m))
				}
				e.retryDue()
				if m = e.message(c.ID, m.ID); m.Status != desk.StatusSent || m.ExternalID != outWamid {
					t.Fatalf("after the retry: %s %q", m.Status, m.ExternalID)
				}
				if n := len(e.graph.requests(pnid + "/messages")); n != 2 {
					t.Errorf("%d sends, want 2", n)
				}
			})
		}
	})
}

func TestReEngagementErrorFailsForGoodAndClosesTheWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		e.graph.reply(graphFailure(t, 400, "graph_error_131047.json"))
		m := e.send(c.ID, sendText("Still there?"))
		want := "WhatsApp: the 24-hour window is closed: only an approved template can reach this customer now (code 131047, fbtrace_id AbCdEfGhIjKlMnOpQrStUvW)"
		if m.Status != desk.StatusFailed || errText(m) != want {
			t.Fatalf("%s %q, want failed with %q", m.Status, errText(m), want)
		}
		if c := e.only(); c.WindowOpen(db.Clock.Now()) {
			t.Fatalf("window open until %v after 131047", c.WindowExpiresAt)
		}
		e.retryDue()
		if n := len(e.graph.requests(pnid + "/messages")); n != 1 {
			t.Errorf("%d sends, want 1: 131047 is not retried", n)
		}
		_, err := e.s.Send(context.Background(), desk.Actor{Integration: true, BotID: e.bot.ID}, c.ID, sendText("again"))
		if !desk.IsCode(err, desk.CodeWindowClosed) {
			t.Fatalf("send after 131047: %v, want window_closed", err)
		}
	})
}

func TestOtherClientErrorsFailForGood(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		e.graph.reply(graphFailure(t, 400, "graph_error_100.json"))
		m := e.send(c.ID, sendText("Hi"))
		if m.Status != desk.StatusFailed || !strings.Contains(errText(m), "Parameter 'to' is not a valid WhatsApp user") {
			t.Fatalf("%s %q", m.Status, errText(m))
		}
		e.retryDue()
		if n := len(e.graph.requests(pnid + "/messages")); n != 1 {
			t.Errorf("%d sends, want 1", n)
		}
		if c := e.only(); !c.WindowOpen(db.Clock.Now()) {
			t.Error("a 400 closed the window")
		}
	})
}

func TestUnreachableGraphIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		ctx := context.Background()
		dead := newFakeGraph(t)
		dead.Close()
		cfg := channelConfig(dead.api(), 0)
		if _, err := e.s.UpdateChannel(ctx, e.ch.ID, store.ChannelPatch{Config: &cfg}); err != nil {
			t.Fatal(err)
		}
		m := e.send(c.ID, sendText("Hi"))
		if m.Status != desk.StatusPending {
			t.Fatalf("%s %q, want pending", m.Status, errText(m))
		}
		cfg = channelConfig(e.graph.api(), 0)
		if _, err := e.s.UpdateChannel(ctx, e.ch.ID, store.ChannelPatch{Config: &cfg}); err != nil {
			t.Fatal(err)
		}
		e.retryDue()
		if m = e.message(c.ID, m.ID); m.Status != desk.StatusSent {
			t.Fatalf("after the network came back: %s %q", m.Status, errText(m))
		}
	})
}
